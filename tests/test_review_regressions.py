"""Bugs found by reviewing the pipeline with hostile inputs; each must stay fixed."""

from __future__ import annotations

import tomllib

import polib
import pytest
import yaml

from l10n.document import Document
from l10n.formats.markdown.render import refusals
from l10n.formats.markdown.segmenter import extract_text


def build_with(project, source: str, mapping) -> str:
    project.add("x.md", source)
    assert project.cli("extract").exit_code == 0
    po = polib.pofile(str(project.po("x.md")))
    for entry in po:
        entry.msgstr = mapping(entry.msgid) if callable(mapping) else mapping.get(entry.msgid, "")
    po.save()
    project.cli("build")
    return project.out("x.md").read_text(encoding="utf-8")


def front(text: str) -> str:
    return text.split("---\n")[1]


def test_yaml_anchor_alias_and_tag_are_left_intact(project):
    built = build_with(project, "---\ntitle: &t 中文标题\ndescription: *t\nsummary: !!str 摘要\n---\n正文\n",
                       lambda m: "EN")
    data = yaml.safe_load(front(built))
    assert data == {"title": "中文标题", "description": "中文标题", "summary": "摘要"}


def test_yaml_flow_mapping_value_with_comma_is_quoted(project):
    built = build_with(project, "---\n{title: 标题, tags: [甲]}\n---\n正文\n", lambda m: "a, b")
    assert yaml.safe_load(front(built)) == {"title": "a, b", "tags": ["a, b"]}


@pytest.mark.parametrize("value", ["x\x7fy", "x\x80y", "x\x85y", "x\u2028y"])
def test_control_characters_are_escaped_in_front_matter(project, value):
    built = build_with(project, "---\ntitle: 标题\nsummary: '摘要'\n---\n正文\n", lambda m: value)
    assert yaml.safe_load(front(built))["title"] == value
    assert yaml.safe_load(front(built))["summary"] == value


def test_toml_text_inside_multiline_strings_is_not_structure(project):
    source = '+++\ndescription = """\n[注] 说明\ntitle = "假的"\n"""\ntitle = "标题"\n+++\n正文\n'
    built = build_with(project, source, lambda m: "EN " + m)
    data = tomllib.loads(built.split("+++\n")[1])
    assert data == {"description": "EN [注] 说明\ntitle = \"假的\"", "title": "EN 标题"}
    msgids = [e.msgid for e in polib.pofile(str(project.po("x.md")))]
    assert "[注] 说明\ntitle = \"假的\"" in msgids  # the trailing newline is not part of the msgid


def refused_in_list(translation: str) -> dict[int, str]:
    """Why `translation` of the first item of a tight list is refused (empty: accepted)."""
    doc = Document("x.md", "- 段落\n- 其他\n")
    found = extract_text(doc, (), ())
    return refusals(doc, found.segments, found.body, {0: translation})


@pytest.mark.parametrize("translation", ["A\n\nB", "Para\n", "A\n***", "    code", "A\n| a |\n|---|",
                                         "A\n[^9]: injected", "# Title", "- item"])
def test_translations_that_change_the_block_structure_are_refused(translation):
    assert refused_in_list(translation)


def test_harmless_multi_line_translations_pass():
    assert not refused_in_list("Line one  \nline two")


def test_heading_ending_in_hash_and_cell_ending_in_backslash_are_escaped(project):
    built = build_with(project, "## 标题\n\n|甲|乙|\n|-|-|\n|丙|丁|\n", {"标题": "Ranked #", "丙": "C:\\", "丁": "x"})
    assert "## Ranked \\#\n" in built
    assert "|C:\\ |x|" in built  # not `C:\\\\|`: the cell split reads that pipe as escaped


def test_unicode_line_separators_do_not_break_catalogs(project):
    project.add("x.md", "段落\u2028中文\n")
    assert project.cli("extract").exit_code == 0
    assert project.cli("build").exit_code == 0
    assert project.cli("status").exit_code == 0


def test_msgmerge_obsolete_previous_lines_are_accepted(project, tmp_path):
    project.add("x.md", "第一段。\n")
    project.cli("extract")
    po_path = project.po("x.md")
    po_path.write_text(po_path.read_text(encoding="utf-8")
                       + '\n#, fuzzy\n#~| msgid "旧的"\n#~ msgid "旧的二"\n#~ msgstr "Old"\n', encoding="utf-8")
    assert project.cli("build").exit_code == 0


def test_an_unclosed_shortcode_does_not_swallow_paragraphs(project):
    project.add("x.md", "短代码以 {{< 开头。\n\n中文段落一。\n\n{{< figure caption=\"图片说明\" >}}\n\n最后一段。\n")
    project.cli("extract")
    msgids = {e.msgid for e in polib.pofile(str(project.po("x.md")))}
    assert {"中文段落一。", "最后一段。", "图片说明"} <= msgids


def test_a_translator_comment_on_an_untranslated_entry_follows_the_edit(project):
    source = project.add("x.md", "第一段：今天去公园散步。\n")
    project.cli("extract")
    po = polib.pofile(str(project.po("x.md")))
    po[0].tcomment = "l10n: ignore numbers — checked"
    po.save()
    source.write_text("第一段：今天去公园跑步。\n", encoding="utf-8")
    project.cli("extract")
    entry = polib.pofile(str(project.po("x.md"))).find("第一段：今天去公园跑步。")
    assert entry.tcomment == "l10n: ignore numbers — checked" and "fuzzy" not in entry.flags


@pytest.mark.parametrize("lang, forms", [("pt-BR", "plural=(n > 1)"), ("zh-Hant", "nplurals=1")])
def test_plural_forms_for_hyphenated_language_codes(tmp_path, monkeypatch, lang, forms):
    from conftest import Project
    project = Project(tmp_path / "site", monkeypatch)
    (project.root / "l10n.toml").write_text(f'source_lang = "ja"\ntarget_langs = ["{lang}"]\n', encoding="utf-8")
    (project.root / "content/ja").mkdir(parents=True)
    (project.root / "content/ja/x.md").write_text("本文。\n", encoding="utf-8")
    assert project.cli("extract").exit_code == 0
    assert forms in polib.pofile(str(project.root / "locales" / lang / "x.po")).metadata["Plural-Forms"]
