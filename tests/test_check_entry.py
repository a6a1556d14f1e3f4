"""Each entry check: a careful translation passes, a broken one is caught (realistic news prose)."""

from __future__ import annotations

from pathlib import Path

import pytest

from l10n.checks.entry import ENTRY_CHECKS, Pair
from l10n.checks.registry import CHECKS, waived
from l10n.glossary import Glossary

GLOSSARY = Glossary.load(Path(__file__).parent / "fixtures" / "check" / "glossary.yaml", Path(__file__).parent)

# check name -> (source, correct translation, broken translation)
CASES = {
    "footnotes": ("比亚迪周一公布，一季度销量同比增长13.4%[^1]。",
                  "BYD said on Monday that first-quarter sales rose 13.4% from a year earlier.[^1]",
                  "BYD said on Monday that first-quarter sales rose 13.4% from a year earlier.[^2]"),
    "markup": ("据[乘联会的数据](https://www.cpcaauto.com/news.php?id=2024)，渗透率继续上升。",
               "According to [CPCA data](https://www.cpcaauto.com/news.php?id=2024), penetration kept rising.",
               "According to [CPCA data](https://www.cpcaauto.com/news.php?id=2025), penetration kept rising."),
    "emphasis": ("3月份渗透率达到**百分之四十二**。", "Penetration reached **42%** in March.",
                 "Penetration reached **42% in March."),
    "bare-url": ("详情见[官网](https://www.byd.com/)。", "Details are on the [website](https://www.byd.com/).",
                 "Details are on the [website](https://www.byd.com/) and https://evil.example/."),
    "han": ("分析人士估计，整个行业的价格让利可能相当可观。", "Analysts estimate that price concessions could be substantial.",
            "Analysts estimate that 价格让利 could be substantial."),
    "script": ("分析人士估计，整个行业的价格让利可能相当可观。", "Analysts estimate that price concessions could be substantial.",
               "Аналитики считают, что price concessions could be substantial."),  # an engine answering in Russian
    "punctuation": ("新规生效后，这两款芯片也被纳入管制。", "Once the rules took effect, both chips were covered as well.",
                    "Once the rules took effect，both chips were covered as well。"),
    "numbers": ("xAI已累计获得140亿美元的股权融资。", "xAI has raised a total of $14 billion in equity.",
                "xAI has raised a total of $1.4 billion in equity."),
    "numbers-extra": ("入门车型的起售价有所下调。", "The starting price of the entry-level car was cut.",
                      "The starting price of the entry-level car was cut by 12,000 yuan."),
    "glossary": ("特斯拉随后跟进，下调了Model Y的售价。", "Tesla followed suit, cutting the price of the Model Y.",
                 "Tesla followed suit, cutting the price of the Model-Y."),
    "terminology": ("英伟达的数据中心业务增长迅速。", "Nvidia’s data-center business is growing fast.",
                    "The chipmaker’s data-center business is growing fast."),
    "unsafe-html": ("公司在说明中写道：<abbr title=\"Export Administration Regulations\">EAR</abbr>的变化可能影响收入。",
                    "The company wrote that changes to the <abbr title=\"Export Administration Regulations\">EAR</abbr> "
                    "may affect revenue.",
                    "The company wrote that changes to the <abbr title=\"Export Administration Regulations\" "
                    "onmouseover=\"steal()\">EAR</abbr> may affect revenue."),
}
MORE_BROKEN = [
    ("han", "比亚迪周一公布了一季度销量。", "比亚迪周一公布了一季度销量。"),
    ("glossary", "英伟达推出了新的芯片。", "Yingweida launched a new chip."),
    ("numbers", "美国商务部于2023年10月17日发布新规。", "The Commerce Department issued new rules on October 7, 2023."),
    ("numbers", "到今年第一季度初，其现金储备仅剩40亿美元。", "By the start of the second quarter it had $4 billion left."),
    ("numbers", "将有超过1.8万亿美元的资金投入。", "More than $1.8 billion will be invested."),
    ("unsafe-html", "详情见官网。", "Details are on the [website](javascript:alert(1))."),
    ("unsafe-html", "详情见官网。", "Details are on the website.<script>alert(1)</script>"),
    ("markup", "新规把`A800`纳入管制。", "The new rules cover the A800."),
    ("markup", "{{< figure src=\"/a.png\" >}}新规生效。", "The rules took effect."),
    ("unsafe-html", "详情见官网。", "Details are on the website <javascript:alert(1)>."),
    ("unsafe-html", "详情见官网。", "Details are on the website.<script"),
    ("footnotes", "数据见报告[^1][^3]。", "The data are in the report.[^1]"),
    ("punctuation", "报告全文见附件。", "The full report is attached（see below）."),
    ("script", "报告全文见附件。", "レポートの全文は添付の通りです。"),
    ("script", "报告全文见附件。", "보고서 전문은 첨부 파일에 있습니다."),
]


def test_a_script_the_target_writes_or_the_source_has_is_fine():
    assert not ENTRY_CHECKS["script"](Pair("报告全文见附件。", "Полный текст отчёта прилагается.", "ru", GLOSSARY))
    assert not ENTRY_CHECKS["script"](pair("普京说：«Россия»。", "Putin said: «Россия»."))
    assert not ENTRY_CHECKS["script"](pair("苏黎世的报告。", "The report from Zürich, café and naïve."))
    # Greek letters one or two at a time are symbols
    assert not ENTRY_CHECKS["script"](pair("颗粒物直径为2.5微米。", "particles of 2.5 μm, α and β rays, 6σ, π, Ω"))


def pair(source: str, translation: str) -> Pair:
    return Pair(source, translation, "en", GLOSSARY)


def test_every_entry_check_has_a_case():
    # `block` needs the whole article (tests/test_trust_markup.py); untranslated and fuzzy judge no pair
    assert set(CASES) == set(ENTRY_CHECKS) == {c.name for c in CHECKS.values() if c.per_entry} - {"untranslated",
                                                                                                  "fuzzy", "block"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_careful_translation_passes_every_check(name):
    source, good, _ = CASES[name]
    problems = {check: list(fn(pair(source, good))) for check, fn in ENTRY_CHECKS.items()}
    assert not any(problems.values()), problems


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_broken_translation_is_caught(name):
    source, _, bad = CASES[name]
    assert list(ENTRY_CHECKS[name](pair(source, bad)))


@pytest.mark.parametrize("name, source, bad", MORE_BROKEN)
def test_more_broken_translations_are_caught(name, source, bad):
    assert list(ENTRY_CHECKS[name](pair(source, bad)))


def test_han_and_punctuation_are_not_checked_for_japanese():
    source = "新规生效后，这两款芯片也被纳入管制。"
    japanese = Pair(source, "新規則の発効後、この2つのチップも規制対象となった。", "ja", GLOSSARY)
    assert not ENTRY_CHECKS["han"](japanese) and not ENTRY_CHECKS["punctuation"](japanese)


def test_curly_quotes_dashes_and_ellipses_are_legal_english():
    assert not ENTRY_CHECKS["punctuation"](pair("他说：“再等等……”", "“Wait a little longer…” he said — twice."))


def test_han_inside_code_urls_and_do_not_translate_terms_is_fine():
    source = "见`配置.toml`和[文档](https://example.com/文档)。"
    assert not ENTRY_CHECKS["han"](pair(source, "See `配置.toml` and the [docs](https://example.com/文档)."))


def test_translator_comment_waives_named_checks_and_keeps_the_reason_free():
    assert waived("l10n: ignore numbers glossary because the source is wrong") == {"numbers", "glossary"}
    assert waived("Checked with the author.\nl10n: ignore numbers-extra, han") == {"numbers-extra", "han"}
    assert waived("nothing to see") == frozenset()
