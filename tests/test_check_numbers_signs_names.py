"""Numbers glued to Latin units, Latin names holding digits, and signs: what `numbers` must catch, and the
careful translations it must keep accepting (red team round 2, defects 2 and 3)."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from l10n.checks.entry import ENTRY_CHECKS, Pair
from l10n.checks.numbers import read_chinese, read_english, read_names
from l10n.glossary import Glossary


def _findings(source: str, translation: str) -> list[str]:
    pair = Pair(source, translation, "en", Glossary(()))
    return [*ENTRY_CHECKS["numbers"](pair), *ENTRY_CHECKS["numbers-extra"](pair)]


def _errors(source: str, translation: str) -> list[str]:
    return list(ENTRY_CHECKS["numbers"](Pair(source, translation, "en", Glossary(()))))


_UNITS = ("nm", "GB", "TB", "MW", "kW", "kWh", "km", "GHz", "MHz", "p", "K", "G", "mAh", "fps", "Hz", "mm", "ms")


def _number(rng: random.Random) -> tuple[str, Decimal]:
    """A number as written (with thousands separators or decimals), and its value."""
    whole = rng.choice([rng.randint(1, 99), rng.randint(100, 9999), rng.randint(10_000, 9_999_999)])
    written = f"{whole:,}" if whole >= 10_000 and rng.random() < 0.5 else str(whole)
    if rng.random() < 0.4:
        written += f".{rng.randint(1, 99)}"
    return written, Decimal(written.replace(",", ""))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_number_glued_to_a_latin_unit_is_read_and_kept_in_both_languages(seed):
    """7nm, 3.5GHz, 24GB, 1,080p: the number itself, decimals included, is a firm value on both sides, the
    same as written with a space; a translation that changes it is a `numbers` error."""
    rng = random.Random(seed)
    for _ in range(400):
        written, value = _number(rng)
        unit = rng.choice(_UNITS)
        source = rng.choice(["该芯片采用{}工艺。", "显存为{}，", "（{}）", "{}"]).format(written + unit)
        assert ("n", value) in read_chinese(source).firm, source
        for english in (f"It uses {written}{unit}.", f"It uses {written} {unit}.", f"({written}{unit})"):
            assert ("n", value) in read_english(english).firm, english
            assert _findings(source, english) == [], (source, english)
        wrong = f"{written}{rng.randint(1, 9)}" if "." in written else f"{int(value) + rng.randint(1, 9)}"
        assert _errors(source, f"It uses {wrong}{unit}."), (source, wrong)


@pytest.mark.parametrize(("source", "translation"), [
    ("A100和H100均受限制。", "Both the A100 and the A100 are restricted."),
    ("公司采购了H100芯片。", "The company bought H200 chips."),
    ("RTX4090售价上涨。", "The RTX 4080 became more expensive."),
    ("iPhone15销量下滑。", "Sales of the iPhone 14 fell."),
    ("阿里发布了Qwen2.5模型。", "Alibaba released the Qwen2 model."),
    ("5G网络覆盖全市。", "The 4G network covers the whole city."),
])
def test_a_latin_name_with_digits_must_be_carried_by_the_translation(source, translation):
    assert _errors(source, translation)


@pytest.mark.parametrize(("source", "translation"), [
    ("公司采购了H100芯片。", "The company bought Hopper H100 chips."),
    ("公司采购了H100芯片。", "The company bought H100s."),
    ("公司采购了H100芯片。", "The company bought H-100 chips."),
    ("RTX4090售价上涨。", "The RTX 4090 became more expensive."),
    ("RTX 4090售价上涨。", "The RTX4090 became more expensive."),
    ("GPT-4发布。", "GPT4 was released."),
    ("公司Q1营收增长。", "First-quarter revenue grew."),
    ("H1业绩承压。", "Results in the first half were under pressure."),
    ("英伟达的`H800`受限。", "Nvidia’s `H800` is restricted."),
])
def test_a_name_written_otherwise_but_kept_raises_nothing(source, translation):
    assert _findings(source, translation) == []


def test_names_are_read_alike_in_both_languages_and_not_inside_words_or_numbers():
    assert set(read_names("采购A100和H100").firm) == {("name", "a100"), ("name", "h100")}
    assert set(read_names("bought the A100 and the H100s").firm) == {("name", "a100"), ("name", "h100")}
    assert not read_names("2024-04-02T09:30, 0x1F, about 5 and 12").values


# Signs ---------------------------------------------------------------------------------------------------

# Where a sign stands, in a source and in its translation.
_BEFORE = (("", ""), ("利润率为", "The margin was "), ("同比增长", "It grew "), ("气温降至", "It fell to "), ("（", "("),
           ("：", ": "), ("从5%降至", "from 5% to "), (" ", " "), ("净利润", "net profit was "))


@pytest.mark.parametrize("seed", [1, 2])
def test_a_minus_sign_is_part_of_the_value(seed):
    """-x is not x: a translation that drops the sign (or adds one) is a `numbers` error, in every place a sign
    can stand; with the sign kept, in any of its forms, it passes."""
    rng = random.Random(seed)
    for _ in range(400):
        written, _ = _number(rng)
        suffix = rng.choice(["%", "°C", "", "GB"])
        zh, en = rng.choice(_BEFORE)
        source = f"{zh}{rng.choice(['-', '−', '负', '－'])}{written}{suffix}。"
        kept = f"{en}{rng.choice(['-', '−', 'minus '])}{written}{suffix}."
        dropped = f"{en}{written}{suffix}."
        assert any(number < 0 for kind, number in read_chinese(source).firm if kind in ("n", "%")), source
        assert _errors(source, kept) == [], (source, kept)
        assert _errors(source, dropped), (source, dropped)
        assert _errors(f"{zh}{written}{suffix}。", kept), (written, kept)


@pytest.mark.parametrize("seed", [1, 2])
def test_a_dash_after_a_number_is_a_range_never_a_sign(seed):
    """2019-2021, 5%-10%, 2019年-2021年, 5万美元-10万美元, GPT-4, COVID-19: a dash after a number (with its unit) or
    inside a word joins; read in either language, it makes no negative value."""
    rng = random.Random(seed)
    units = ("", "%", "年", "月", "万", "万元", "万美元", "亿", "GB", "km", "°C", " ")
    for _ in range(600):
        first, _ = _number(rng)
        second, _ = _number(rng)
        unit = rng.choice(units)
        text = f"{rng.choice(['', '约', '在', 'from '])}{first}{unit}{rng.choice('-−－–')}{second}{unit}"
        if unit == " ":
            continue  # "5 -3": a space before the dash, a sign
        for reading in (read_chinese(text), read_english(text)):
            assert not [v for v in reading.values if v[0] in ("n", "%") and v[1] < 0], text
    for word in ("GPT-4", "COVID-19", "F-35", "UTC-8", "pre-2020", "2024-06-19", "2025/6/19", "3胜5负2平", "正负3%"):
        assert not [v for v in read_chinese(word).values if v[0] in ("n", "%") and v[1] < 0], word


@pytest.mark.parametrize(("source", "translation"), [
    ("同比增长-12%。", "It fell 12% year on year."),
    ("同比增长-12%。", "A 12% year-on-year drop."),
    ("同比增长-12%。", "It was down by about 12% on a year earlier."),
    ("利润率为-3.2%。", "The margin was minus 3.2%."),
    ("利润率为-3.2%。", "The margin was −3.2%."),
    ("利润率为-3.2%。", "The margin was a negative 3.2%."),
    ("气温降至-20°C。", "The temperature fell to -20°C."),
    ("气温降至-20°C。", "It fell to 20 degrees below zero."),
    ("营收同比下降5%。", "Revenue fell 5% year on year."),
    ("误差为正负3%。", "The margin of error is ±3%."),
    ("2019-2021年，销量翻倍。", "Sales doubled in 2019-2021."),
    ("增速为5-10%。", "Growth was 5-10%."),
    ("价格在5万元-10万元之间。", "Prices are between 50,000 and 100,000 yuan."),
    ("2019年-2021年", "from 2019 to 2021"),
])
def test_careful_translations_of_signs_and_ranges_raise_nothing(source, translation):
    assert _findings(source, translation) == []


@pytest.mark.parametrize(("source", "translation"), [
    ("下降了5%。", "It rose by -5%."),
    ("气温降至-20°C。", "The temperature fell to 20°C."),
    ("同比增长-12%。", "It grew 12% year on year."),
    ("利润为负3亿元。", "The profit was 300 million yuan."),
    ("同比增长12%。", "It changed by minus 12% year on year."),
])
def test_a_sign_added_or_dropped_is_an_error(source, translation):
    assert _errors(source, translation)


# --- False alarms found by a hunt for correct translations the new readings refused ---

@pytest.mark.parametrize("source, translation", [
    ("歼-20战机首飞。", "The J-20 fighter jet made its first flight."),  # a dash between a Han name and digits
    ("东风-41导弹和苏-57战机。", "The DF-41 missile and the Su-57 fighter."),
    ("米格-29退役。", "The MiG-29 retired."),
    ("零下5摄氏度。", "-5°C."),  # 零下 is a minus
    ("零下5摄氏度。", "minus 5°C."),
    ("零下5摄氏度。", "5 degrees below zero."),
    ("海拔-430米。", "430 metres below sea level."),
    ("气温-5°C。", "5°C below freezing."),
])
def test_a_correct_translation_of_names_and_negative_values_is_not_a_numbers_error(source, translation):
    assert not list(ENTRY_CHECKS["numbers"](Pair(source, translation, "en", Glossary(()))))


@pytest.mark.parametrize("source, translation", [
    ("歼-20战机首飞。", "The J-21 fighter jet made its first flight."),
    ("零下5摄氏度。", "5°C."),
    ("同比增长-12%。", "grew 12%."),  # a unit after the number: a sign, whatever stands before the dash
    ("营收5亿利润-3%。", "Revenue of 500 million, a margin of 3%."),  # 利润 is a value word, not a range unit
])
def test_a_wrong_name_or_a_dropped_minus_is_still_an_error(source, translation):
    assert list(ENTRY_CHECKS["numbers"](Pair(source, translation, "en", Glossary(()))))


@pytest.mark.parametrize("source, translation", [
    ("CO2排放。", "CO₂ emissions."),  # subscript digits
    ("PM2.5浓度。", "PM₂.₅ levels."),
    ("CPI同比-0.3%。", "The CPI eased 0.3%."),
    ("同比-2%。", "It dipped 2%."),
    ("净利润-5亿元。", "a net loss of 500 million yuan."),
    ("财政余额-3000亿元。", "a deficit of 300 billion yuan."),
])
def test_subscripts_and_words_of_loss_read_as_a_professional_writes_them(source, translation):
    assert not list(ENTRY_CHECKS["numbers"](Pair(source, translation, "en", Glossary(()))))
