"""Red-team findings, round 2: each test states the behaviour the guarantees promise and fails today (strict xfail).

"A translator's work is never lost, the English edition is never silently wrong." The cases are minimal
reproductions found by perturbing English editions as translators do (align), by feeding `l10n check`
translations with wrong figures, and by rendering built editions with Hugo 0.168 (goldmark and its shortcode
lexer). The reason of each mark names the mechanism. When a defect is fixed, its test passes, strict xfail
fails, and the mark is removed.
"""

from __future__ import annotations

import polib
import pytest


def translate(project, rel: str, mapping: dict[str, str]) -> None:
    po = polib.pofile(str(project.po(rel)))
    for entry in po:
        entry.msgstr = mapping.get(entry.msgid, entry.msgstr)
    po.save()


def entries(project, rel: str = "a.md") -> dict[str, polib.POEntry]:
    return {entry.msgid: entry for entry in polib.pofile(str(project.po(rel))) if not entry.obsolete}


# --- align: a confident, wrong translation ---------------------------------------------------------------

NVIDIA = "英伟达表示，新规可能使其季度收入减少约5%。"
AMD = "AMD 表示，新规可能使其季度收入减少约5%以上。"
CHINA = "分析人士认为，这一规则对中国市场影响最大。"
EUROPE = "分析人士还认为，这一规则对欧洲市场影响有限。"
NVIDIA_EN = "Nvidia said the new rules could cut its quarterly revenue by about 5%."
AMD_EN = "AMD said the new rules could cut its quarterly revenue by more than about 5%."
CHINA_EN = "Analysts believe the rule hits the Chinese market hardest."
EUROPE_EN = "Analysts also believe the rule has a limited impact on the European market."


def _aligned_with_swapped_paragraphs(project, first: str, second: str, first_en: str, second_en: str):
    """A source with two neighbouring paragraphs alike in shape; its English edition, made by hand, gives
    them in the other order (a translator's choice of flow). Returns the catalog's entries after align."""
    project.add("a.md", f"## 影响\n\n{first}\n\n{second}\n\n## 结论\n\n各公司正在评估影响。\n")
    english = (f"## Impact\n\n{second_en}\n\n{first_en}\n\n## Conclusion\n\n"
               "The companies are assessing the impact.\n")
    project.out("a.md").parent.mkdir(parents=True, exist_ok=True)
    project.out("a.md").write_text(english, encoding="utf-8")
    project.cli("extract")
    project.cli("align")
    return entries(project)


def test_swapped_paragraphs_with_a_telling_name_are_not_aligned_confidently_to_each_other(project):
    found = _aligned_with_swapped_paragraphs(project, NVIDIA, AMD, NVIDIA_EN, AMD_EN)
    for msgid, right in ((NVIDIA, NVIDIA_EN), (AMD, AMD_EN)):
        entry = found[msgid]
        assert entry.msgstr in ("", right) or "fuzzy" in entry.flags, (msgid, entry.msgstr)


def test_swapped_look_alike_paragraphs_are_fuzzy_not_confidently_wrong(project):
    found = _aligned_with_swapped_paragraphs(project, CHINA, EUROPE, CHINA_EN, EUROPE_EN)
    for msgid, right in ((CHINA, CHINA_EN), (EUROPE, EUROPE_EN)):
        entry = found[msgid]
        assert entry.msgstr in ("", right) or "fuzzy" in entry.flags, (msgid, entry.msgstr)


# --- check: wrong figures that pass ----------------------------------------------------------------------

def _check_exit(project, source: str, translation: str) -> int:
    project.add("a.md", source + "\n")
    project.cli("extract")
    translate(project, "a.md", {source: translation})
    project.cli("build")
    return project.cli("check").exit_code


@pytest.mark.parametrize(("source", "translation"), [
    ("台积电将采用7nm工艺。", "TSMC will use a 5nm process."),
    ("该显卡有24GB显存。", "The card has 12GB of memory."),
    ("电站功率为500MW。", "The plant's output is 50MW."),
    ("城市在30km外。", "The city is 3km away."),
    ("主频为3.5GHz。", "The clock is 3.9GHz."),
    ("公司采购了H100芯片。", "The company bought H200 chips."),
])
def test_a_number_written_against_a_latin_unit_must_be_kept(project, source, translation):
    assert _check_exit(project, source, translation) == 1


@pytest.mark.parametrize(("source", "translation"), [
    ("利润率为-3.2%。", "The margin was 3.2%."),
    ("同比增长-12%。", "It grew 12% year on year."),
    ("气温降至-20°C。", "The temperature fell to 20°C."),
])
def test_a_minus_sign_dropped_by_the_translation_is_a_numbers_error(project, source, translation):
    assert _check_exit(project, source, translation) == 1


# --- Hugo reads a shortcode parameter otherwise ----------------------------------------------------------

def test_a_caption_with_a_quote_and_a_backslash_reaches_hugo_as_translated(project):
    project.add("a.md", "前言。\n\n{{< figure src=\"a.png\" caption=\"说明\" >}}\n")
    project.cli("extract")
    translate(project, "a.md", {"前言。": "Preface.", "说明": 'Open "C:\\temp" now'})
    project.cli("build")
    text = project.out("a.md").read_text(encoding="utf-8")
    # Written so that Hugo reads the translation back (a raw string, or refused: the source caption stays).
    assert 'caption="Open \\"C:\\temp\\" now"' not in text
