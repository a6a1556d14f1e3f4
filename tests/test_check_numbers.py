"""Reading numbers: Chinese units and numerals, English scales and words, dates, percentages, quarters."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from l10n.checks import numbers
from l10n.checks.numbers import read_chinese, read_english, zh_integer


@pytest.mark.parametrize("zh, en", [
    ("10亿美元", "$1 billion"),
    ("十亿美元", "one billion dollars"),
    ("十亿美元", "$1 billion"),
    ("23万美元", "$230,000"),
    ("1.8万亿元", "1.8 trillion yuan"),
    ("百分之三十", "30%"),
    ("百分之三十", "thirty percent"),
    ("13.4%", "13.4 per cent"),
    ("2025年6月19日", "June 19, 2025"),
    ("2025/6/19", "19 June 2025"),
    ("（2024/12/15）", "(December 15, 2024)"),
    ("2024年6月", "June 2024"),
    ("5000万至1亿美元", "between $50 million and $100 million"),
    ("5000万至1亿美元", "$50 million-$100 million"),
    ("50至100亿美元", "$5 billion to $10 billion"),
    ("第一季度", "the first quarter"),
    ("第一季度", "Q1"),
    ("一百四十人", "140 people"),
    ("二十多个城市", "more than twenty cities"),
    ("百亿级融资", "tens of billions of dollars in funding"),
    ("二〇二五年", "2025"),
    ("90年代", "the 1990s"),
    ("62.6万辆", "626,000 vehicles"),
    ("1.5倍", "1.5x"),
])
def test_same_values_in_both_languages(zh, en):
    source, translation = read_chinese(zh), read_english(en)
    assert set(source.firm) <= translation.values, (dict(source.firm), dict(translation.firm))
    assert set(translation.firm) <= source.values


@pytest.mark.parametrize("zh, en", [
    ("140亿美元", "$1.4 billion"),
    ("23万美元", "$23,000"),
    ("2025年6月19日", "June 9, 2025"),
    ("第一季度", "the second quarter"),
    ("百分之三十", "13%"),
    ("1.8万亿", "1.8 billion"),
])
def test_different_values_are_caught(zh, en):
    assert set(read_chinese(zh).firm) - read_english(en).values


@pytest.mark.parametrize("zh", ["三张王牌", "成千上万", "数十万个", "万一失败", "千万不要", "十分重要", "三成", "一次次"])
def test_idioms_and_small_numerals_demand_nothing(zh):
    assert not read_chinese(zh).firm


def test_written_out_english_numbers_are_never_reported_as_extra():
    assert not read_english("three aces, two rivals and a billion reasons").firm
    assert read_english("three aces").values == {("n", Decimal(3))}


def test_a_year_before_a_range_is_not_taken_as_its_start():
    values = read_english("from $51 billion at the end of 2024 to $80 billion").firm
    assert ("n", Decimal(2024)) in values and ("n", Decimal(2024 * 10**9)) not in values


def test_chinese_integers():
    assert [zh_integer(t) for t in ("一百四十", "十亿", "三亿五千万", "一万亿", "二十", "二〇二五")] == \
        [140, 10**9, 350_000_000, 10**12, 20, 2025]


def test_english_scale_words_in_a_chinese_source_are_read():
    assert ("n", Decimal(10**9)) in read_chinese("Bloomberg（2025/06/17）。[Musk’s xAI Burning Through $1 Billion").firm


@pytest.mark.parametrize("zh, en", [
    ("140亿美元", "$14 billion"), ("1.8万亿美元", "$1.8 trillion"), ("50亿元", "5 billion yuan"),
    ("1.8万亿元", "1.8 trillion yuan"), ("62.6万", "626,000"), ("7.98万元", "79,800 yuan"),
    ("5000万美元", "$50 million"), ("0.5亿", "50 million"), ("1.234万", "12,340"), ("2万亿日元", "2 trillion yen"),
    ("百分之三十", "30%"), ("百分之四十二", "42%"), ("13.4%", "13.4%"), ("3个百分点", "3 percentage points"),
])
def test_unambiguous_amounts_are_written_in_english_as_the_reader_reads_them(zh, en):
    from l10n.checks.numbers import english_amounts
    assert english_amounts(zh) == [(0, len(zh), en)]
    assert set(read_chinese(zh).firm) <= read_english(en).values


@pytest.mark.parametrize("zh", ["50多亿美元", "3万余人", "50-100亿美元", "50至100亿美元", "百分之十点五", "数十万"])
def test_approximations_and_ranges_are_not_rendered(zh):
    from l10n.checks.numbers import english_amounts
    assert english_amounts(zh) == []


def test_the_english_pattern_s_look_aheads_only_skip_positions_where_nothing_matches():
    """The first-letter look-aheads are for speed: the pattern without them finds the very same matches."""
    import random
    import re

    from l10n.checks.numbers import _EN

    plain = re.compile(re.sub(r"\(\?=\[[^\]]*\]\)", "", _EN.pattern))
    assert plain.pattern != _EN.pattern
    words = ("a an one two Two TWENTY hundred thousand million Billion first Second third ſixth quarter Q1 2Q 1990s '90s "
             "’80s March May Sept 5 12 2025 3.5 1,000 $5m US$ HK$3 € £ ¥ tens of Thousands percent per cent 5th 21st "
             "x bn tn k and , . -").split()
    rng = random.Random(7)
    texts = [rng.choice(["", " ", "-", ","]).join(rng.choice(words) for _ in range(rng.randint(1, 10)))
             for _ in range(20000)]
    for text in texts:
        assert [(m.span(), m.groupdict()) for m in _EN.finditer(text)] == \
               [(m.span(), m.groupdict()) for m in plain.finditer(text)], text


# The patterns as they were before `_matches` learnt to scan for where a match can start (commit cf1e744),
# frozen here: the readers must read every text exactly as finditer over these did, except where a number is
# glued to Latin letters (7nm, 3.5GHz), which the former patterns did not read (or read as 3).
_OLD_ZH = '(?P<date>(?P<y>\\d{4})\\s*(?:年\\s*(?P<m>\\d{1,2})\\s*月(?:\\s*(?P<d>\\d{1,2})\\s*[日号])?|(?P<sep>[/.-])(?P<m2>\\d{1,2})(?P=sep)(?P<d2>\\d{1,2})(?!\\d)))|(?P<md>(?P<md_m>\\d{1,2})\\s*月(?:\\s*(?P<md_d>\\d{1,2})\\s*[日号])?)|(?P<day>\\d{1,2})\\s*[日号](?!本)|(?P<decade>\\d{2,4})\\s*年代|第?(?P<quarter>[一二三四1-4])\\s*季度|百分之(?P<pct>\\d+(?:\\.\\d+)?|[零〇一二两三四五六七八九十百]+)|第(?P<ordinal>\\d+|[零〇一二两三四五六七八九十百千]+)|(?P<cheng>[1-9一二三四五六七八九两])成(?![为功立本员长果就绩交熟型人不])|(?<![A-Za-z0-9.,])(?P<num>\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)(?![A-Za-z0-9])\\s*(?:多|余)?\\s*(?:(?P<unit>[十百千万亿]+)|(?i:[\\s-]?(?P<scale>thousand|million|billion|trillion)\\b))?\\s*(?P<num_pct>%|％|个百分点)?|(?P<vague>数|几|上)?(?P<zh>[零〇一二两三四五六七八九十百千万亿]+)(?P<year>年)?'
_OLD_EN = "(?P<mdy>(?P<mdy_m>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\\b\\.?\\s+(?P<mdy_d>\\d{1,2})(?:st|nd|rd|th)?(?:,\\s*|\\s+)(?P<mdy_y>\\d{4}))|(?P<dmy>(?P<dmy_d>\\d{1,2})(?:st|nd|rd|th)?\\s+(?P<dmy_m>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\\b\\.?,?\\s+(?P<dmy_y>\\d{4}))|(?P<iso>(?P<iso_y>\\d{4})-(?P<iso_m>\\d{2})-(?P<iso_d>\\d{2}))|(?P<my>(?P<my_m>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\\b\\.?,?\\s+(?P<my_y>\\d{4}))|(?P<md>(?P<md_m>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\\b\\.?(?:\\s+(?P<md_d>\\d{1,2})(?:st|nd|rd|th)?\\b)?)|(?=[FfSsſTtQq1-4])(?i:(?P<q_word>first|second|third|fourth)[\\s-]quarter|\\bQ(?P<q_digit>[1-4])\\b|\\b(?P<q_digit2>[1-4])Q\\b)|(?=['’\\d])(?:'|’)?\\b(?P<decade>\\d{2}|\\d{4})s\\b|\\b(?P<ord_digit>\\d+)(?:st|nd|rd|th)\\b|(?=[FfSsſTtEeNn])(?i:\\b(?P<ord_word>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\\b)|(?=[TtHh])(?i:\\b(?P<many>tens|hundreds|thousands)\\s+of\\s+(?P<many_of>thousands|millions|billions|trillions)\\b)|(?<![A-Za-z0-9.,])(?P<cur>US\\$|HK\\$|[$€£¥])?\\s?(?P<num>\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)(?i:[\\s-]?(?P<scale>thousand|million|billion|trillion)\\b|(?P<short>bn|tn|mn|[mkb])\\b)?(?i:\\s?(?P<pct>%|percent\\b|per\\s+cent\\b|percentage\\s+points?\\b))?(?:x\\b)?(?![A-Za-z0-9])|(?=[AaBbEeFfHhMmNnOoSsſTtZz])(?i:\\b(?P<spelled>(?:(?:a|an)\\s+(?=hundred|thousand|million|billion|trillion))?(?:seventeen|thirteen|fourteen|eighteen|nineteen|thousand|trillion|fifteen|sixteen|seventy|hundred|million|billion|eleven|twelve|twenty|thirty|eighty|ninety|three|seven|eight|forty|fifty|sixty|zero|four|five|nine|one|two|six|ten)(?:(?:[\\s-]+|\\s+and\\s+)(?:seventeen|thirteen|fourteen|eighteen|nineteen|thousand|trillion|fifteen|sixteen|seventy|hundred|million|billion|eleven|twelve|twenty|thirty|eighty|ninety|three|seven|eight|forty|fifty|sixty|zero|four|five|nine|one|two|six|ten))*)\\b(?P<spelled_pct>\\s+percent|\\s+per\\s+cent)?)"


def _old_matches(pattern, start, text):
    text = text.translate(numbers._FULL_WIDTH)
    for match in pattern.finditer(text):
        yield match, match.group(0).strip(), text


def _generated_texts(count: int, seed: int) -> list[str]:
    """Chinese and English fragments of every kind the readers know, with their near misses, joined at random."""
    import random

    rng = random.Random(seed)
    zh = ("一 二 两 三 十 百 千 万 亿 零 〇 十亿 一百四十 三亿五千万 二〇二五 万一 千万 数十万 几百 上万 第 第一 第3 "
          "百分之 百分之三十 百分之12.5 季度 第二季度 3季度 成 三成 成为 7成 年 月 日 号 年代 90年代 2025年6月19日 "
          "6月 19日 19号 2025/6/19 2024-12-15 2024.1.2 多 余 个百分点 % ％ １２３ ５．５ 美元 元 人民币 至 到 ~ - – "
          "亿美元 万亿 1.8万亿元 5000万 50至100亿 62.6万辆 1,234.5 0.5 12 3 2024 本 的 是 和 （ ） 。 ，").split()
    en = ("a an one two Two TWENTY hundred thousand million Billion trillion first Second third fourth ſix tenth "
          "quarter Q1 2Q q3 1990s '90s ’80s January March May Sept Sep. Dec June 5 12 19th 2025 3.5 1,000 1,234.56 "
          "$5m $5 US$ HK$3 € £ ¥ €2bn 3tn 4mn 5k 6b tens hundreds of Thousands millions percent per cent "
          "percentage points 5th 21st 1.5x x bn tn k and or to , . - – — ( ) one-hundred forty-two seventy "
          "eleven zero often someone Often tone Monday Mar. Augustus 2024-06-19 2024-6-1 50 million-$100").split()
    texts = []
    for _ in range(count):
        pool = zh if rng.random() < 0.5 else en
        if rng.random() < 0.2:
            pool = zh + en
        texts.append("".join(rng.choice(["", "", " ", "  ", "-", ",", "\n"]) + rng.choice(pool)
                             for _ in range(rng.randint(1, 14))))
    return texts


def _glued(text: str) -> bool:
    """Whether the current patterns read a number glued to Latin letters in `text`."""
    read = text.translate(numbers._FULL_WIDTH)
    return any(m.group("glued") for p in (numbers._ZH, numbers._EN) for m in p.finditer(read))


@pytest.mark.parametrize("seed", [1, 2])
def test_the_readers_read_as_finditer_over_the_former_patterns(monkeypatch, seed):
    """The start scan and anchored matches only skip work: on generated texts (numerals, 万/亿, dates,
    percentages, currencies, scales, months, ordinals, ranges) the readings are those of finditer over the
    former patterns, value for value and word for word, wherever no number is glued to Latin letters; so
    are the raw matches. (The former patterns get a `glued` group that never matches, for the readers.)"""
    texts = [t for t in _generated_texts(15000, seed) if not _glued(t)]
    assert len(texts) > 9000
    new = [(numbers.read_chinese.__wrapped__(t), numbers.read_english.__wrapped__(t)) for t in texts]
    new_matches = [[(m.span(), m.groupdict()) for m, _, _ in numbers._matches(p, s, t)]
                   for t in texts[:3000] for p, s in ((numbers._ZH, numbers._ZH_START), (numbers._EN, numbers._EN_START))]
    old_zh, old_en = (re.compile(f"{old}|(?P<glued>(?!))") for old in (_OLD_ZH, _OLD_EN))
    monkeypatch.setattr(numbers, "_ZH", old_zh)
    monkeypatch.setattr(numbers, "_EN", old_en)
    monkeypatch.setattr(numbers, "_matches", _old_matches)
    old = [(numbers.read_chinese.__wrapped__(t), numbers.read_english.__wrapped__(t)) for t in texts]
    old_matches = [[(m.span(), m.groupdict()) for m in p.finditer(t.translate(numbers._FULL_WIDTH))]
                   for t in texts[:3000] for p in (old_zh, old_en)]
    assert new_matches == old_matches
    assert sum(bool(zh.values) + bool(en.values) for zh, en in new) > len(texts)  # the texts do hold numbers
    for text, (zh_new, en_new), (zh_old, en_old) in zip(texts, new, old):
        assert (zh_new.firm, zh_new.loose, en_new.firm, en_new.loose) == \
               (zh_old.firm, zh_old.loose, en_old.firm, en_old.loose), text
        assert list(zh_new.firm.items()) == list(zh_old.firm.items()), text


def test_no_match_of_the_large_patterns_is_empty():
    """`_matches` resumes at a match's end, which is finditer's rule only for matches that are not empty."""
    for pattern in (numbers._ZH, numbers._EN):
        assert pattern.match("") is None and pattern.search(" \n,.x") is None


@pytest.mark.parametrize("text, value", [("the ſixth day", ("ordinal", 6)), ("ſecond quarter", ("quarter", 2)),
                                         ("ſix million dollars", ("n", Decimal(6_000_000)))])
def test_words_the_case_insensitive_patterns_fold_are_read_not_a_crash(text, value):
    """`(?i:...)` matches ſ (long s) as s, which `str.lower()` keeps: the words are looked up case-folded."""
    assert value in read_english(text).values


def _boundary_texts(count: int, seed: int) -> list[str]:
    """Texts where the start scan can go wrong: a word right after a match or at the text's start, after a
    non-word character of any kind, inside a word (`xfirst quarter`), folded letters (ſ, ı, K), digits of other
    scripts, full-width digits, currency signs and quotes before digits or words, capitals of months and US$."""
    import random

    rng = random.Random(seed)
    pieces = ("one two Three ELEVEN twenty-one hundred a hundred an  thousand ſix fıve ſecond first FIRST third "
              "fourth tenth tens hundreds of thousands Q1 q4 Q5 2Q quarter Quarter -quarter xfirst tſecond "
              "January Jan Jan. Ju Jul June Mar May Ma Sept Sep Se Dec US$ US HK$ HK $ € £ ¥ ' ’ '9 ’90s 90s "
              "5 12 2025 3.5 1,000 1,2 5% % percent per cent bn tn m k x 5th 21st 2024-06-19 "
              "٣ ５ １２ ％ ． 十 亿 第 数 上 年 月 日 季度 中文").split()
    joints = ("", "", " ", "\u00a0", "\u3000", "\n", "\t", "-", ",", ".", "(", "%", "_", "K", "é", "5", "a")
    return ["".join(rng.choice(joints) + (rng.choice(pieces) if rng.random() < 0.9 else chr(rng.randint(32, 0x3000)))
                    for _ in range(rng.randint(1, 8))) for _ in range(count)]


@pytest.mark.parametrize("seed", [3, 4])
def test_the_start_scan_and_the_places_tried_at_once_find_every_match_finditer_finds(seed):
    """`_matches` tries the large patterns only where `start` hints, where a match ended and at the text's
    start: on texts built to test each kind of hint at its edges, it finds exactly what finditer finds."""
    for text in _boundary_texts(20000, seed):
        read = text.translate(numbers._FULL_WIDTH)
        for pattern, start in ((numbers._EN, numbers._EN_START), (numbers._ZH, numbers._ZH_START)):
            assert [(m.span(), m.groupdict()) for m, _, _ in numbers._matches(pattern, start, text)] == \
                   [(m.span(), m.groupdict()) for m in pattern.finditer(read)], text
