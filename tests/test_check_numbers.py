"""Reading numbers: Chinese units and numerals, English scales and words, dates, percentages, quarters."""

from __future__ import annotations

from decimal import Decimal

import pytest

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
