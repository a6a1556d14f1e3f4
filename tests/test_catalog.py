"""Catalogs: standard PO, stable, and merged without ever losing a translator's work."""

from __future__ import annotations

import os
import shutil
import subprocess

import polib
import pytest

import l10n

ARTICLE = """---
title: 第一篇文章
tags:
  - 科技
---
第一段，讲述背景。

第二段，包含**重点**和链接[来源](https://example.com/a)[^1]。

第二段，包含**重点**和链接[来源](https://example.com/a)[^1]。

## 小标题

第三段会被删除。

[^1]: 来源说明。
"""

msgfmt = shutil.which("msgfmt")
# CI installs gettext; elsewhere these tests are skipped when it is missing.
needs_gettext = pytest.mark.skipif(msgfmt is None and not os.environ.get("CI"), reason="needs GNU gettext (msgfmt)")


def entries(po_path):
    po = polib.pofile(str(po_path))
    return {e.msgid: e for e in po if not e.obsolete}, [e for e in po if e.obsolete], po


def test_po_structure_header_references_comments_merging(project):
    project.add("posts/a.md", ARTICLE)
    assert project.cli("extract").exit_code == 0
    active, obsolete, po = entries(project.po("posts/a.md"))
    assert po.metadata["Language"] == "en"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert po.metadata["X-Generator"] == f"hugo-l10n {l10n.__version__}"
    assert po.metadata["X-Source-Path"] == "content/zh/posts/a.md"
    assert list(active) == ["第一篇文章", "科技", "第一段，讲述背景。",
                            "第二段，包含**重点**和链接[来源](https://example.com/a)[^1]。",
                            "小标题", "第三段会被删除。", "来源说明。"]
    repeated = active["第二段，包含**重点**和链接[来源](https://example.com/a)[^1]。"]
    assert repeated.occurrences == [("content/zh/posts/a.md", "8"), ("content/zh/posts/a.md", "10")]
    assert active["第一篇文章"].comment == "front matter: title"
    assert active["来源说明。"].comment == "footnote [^1]"
    assert active["小标题"].comment == "heading"
    assert obsolete == []


@needs_gettext
def test_catalogs_pass_msgfmt_check_and_msgmerge_accepts_them(project, tmp_path):
    project.add("posts/a.md", ARTICLE)
    project.cli("extract")
    project.translate_all("posts/a.md")
    po_path = project.po("posts/a.md")
    subprocess.run([msgfmt, "--check", "-o", "/dev/null", str(po_path)], check=True, capture_output=True)
    merged = tmp_path / "merged.po"
    subprocess.run(["msgmerge", "--quiet", "--previous", "-o", str(merged), str(po_path), str(po_path)],
                   check=True, capture_output=True)
    assert {e.msgid: e.msgstr for e in polib.pofile(str(merged))} == \
        {e.msgid: e.msgstr for e in polib.pofile(str(po_path))}


def test_reextracting_unchanged_input_changes_no_byte(project):
    project.add("posts/a.md", ARTICLE)
    project.cli("extract")
    project.translate_all("posts/a.md")
    before = project.po("posts/a.md").read_bytes()
    result = project.cli("extract")
    assert "1 unchanged" in result.output
    assert project.po("posts/a.md").read_bytes() == before


def test_edited_source_keeps_translations_fuzzy_with_previous_and_obsolete(project):
    source = project.add("posts/a.md", ARTICLE)
    project.cli("extract")
    po = polib.pofile(str(project.po("posts/a.md")))
    for entry in po:
        entry.msgstr = "EN " + entry.msgid
    po.find("第一段，讲述背景。").tcomment = "checked with the author"
    po.save()

    edited = ARTICLE.replace("第一段，讲述背景。", "第一段，详细讲述背景。").replace("第三段会被删除。\n\n", "")
    source.write_text(edited, encoding="utf-8")
    assert project.cli("extract").exit_code == 0
    active, obsolete, _ = entries(project.po("posts/a.md"))

    changed = active["第一段，详细讲述背景。"]
    assert "fuzzy" in changed.flags
    assert changed.previous_msgid == "第一段，讲述背景。"
    assert changed.msgstr == "EN 第一段，讲述背景。"
    assert changed.tcomment == "checked with the author"
    assert "fuzzy" not in active["小标题"].flags and active["小标题"].msgstr == "EN 小标题"
    assert [(e.msgid, e.msgstr) for e in obsolete] == [("第三段会被删除。", "EN 第三段会被删除。")]


def test_vanished_text_coming_back_revives_its_translation(project):
    source = project.add("posts/a.md", ARTICLE)
    project.cli("extract")
    project.translate_all("posts/a.md", lambda m: "EN " + m)
    source.write_text(ARTICLE.replace("## 小标题\n\n", ""), encoding="utf-8")
    project.cli("extract")
    assert "小标题" in {e.msgid for e in entries(project.po("posts/a.md"))[1]}
    source.write_text(ARTICLE, encoding="utf-8")
    project.cli("extract")
    active, obsolete, _ = entries(project.po("posts/a.md"))
    assert active["小标题"].msgstr == "EN 小标题" and "fuzzy" not in active["小标题"].flags
    assert obsolete == []


def test_a_po_with_a_syntax_error_is_reported_and_not_overwritten(project):
    project.add("posts/a.md", ARTICLE)
    project.add("posts/b.md", "另一篇文章。\n")
    project.cli("extract")
    broken = project.po("posts/a.md")
    text = broken.read_text(encoding="utf-8").replace('msgstr ""\n\n#. front matter: tags', 'msgstr "\n\n#. front matter: tags', 1)
    broken.write_text(text, encoding="utf-8")
    project.add("posts/a.md", ARTICLE + "\n新的一段。\n")
    project.add("posts/b.md", "另一篇文章，已修改。\n")
    result = project.cli("extract")
    assert result.exit_code == 1
    bad_line = text.splitlines().index('msgstr "') + 1
    assert f"locales/en/posts/a.po:{bad_line}: PO syntax error" in result.output
    assert broken.read_text(encoding="utf-8") == text
    assert "另一篇文章，已修改。" in project.po("posts/b.md").read_text(encoding="utf-8")
    built = project.cli("build")
    assert built.exit_code == 1 and "locales/en/posts/a.po" in built.output


def test_a_msgctxt_changes_nothing_build_check_status_and_extract_key_entries_by_msgid(project):
    """A msgctxt a tool or translator adds to every entry: build uses them, check and status count them
    translated, and extract after a source edit keeps each reviewed (not fuzzy), writing no msgctxt."""
    source = project.add("posts/a.md", ARTICLE)
    project.cli("extract")
    project.translate_all("posts/a.md", lambda m: "EN " + m)
    po_path = project.po("posts/a.md")
    text = po_path.read_text(encoding="utf-8")
    po_path.write_text(text.replace('\nmsgid "', '\nmsgctxt "ctx"\nmsgid "').replace(
        'msgctxt "ctx"\nmsgid ""\nmsgstr ""', 'msgid ""\nmsgstr ""', 1), encoding="utf-8")
    assert project.cli("build").exit_code == 0
    assert "EN 第三段会被删除。" in project.out("posts/a.md").read_text(encoding="utf-8")
    assert "100.0%" in project.cli("check").output  # every entry translated (its findings: "EN 第一段" is Chinese)
    source.write_text(ARTICLE.replace("第三段会被删除。", "第三段改了。"), encoding="utf-8")
    assert project.cli("extract").exit_code == 0
    active, obsolete, _ = entries(po_path)
    assert all(e.msgctxt is None for e in active.values())
    kept = [e for msgid, e in active.items() if msgid != "第三段改了。"]
    assert kept and all(e.msgstr == "EN " + e.msgid and "fuzzy" not in e.flags for e in kept)
    assert project.cli("build").exit_code == 0
    assert "EN 第一段，讲述背景。" in project.out("posts/a.md").read_text(encoding="utf-8")


def test_plural_forms_and_an_obsolete_previous_msgid_survive_re_extraction(project):
    """Hand-added plural forms and an obsolete entry's `#~|` previous msgid are kept (obsolete), as msgmerge
    keeps them; before, the plural forms vanished and the previous msgid was dropped on reading."""
    source = project.add("posts/a.md", ARTICLE)
    project.cli("extract")
    po_path = project.po("posts/a.md")
    with po_path.open("a", encoding="utf-8") as po:
        po.write('\nmsgid "one file"\nmsgid_plural "%d files"\nmsgstr[0] "un fichier"\nmsgstr[1] "%d fichiers"\n'
                 '\n#, fuzzy\n#~| msgid "older"\n#~ msgid "gone"\n#~ msgstr "Gone"\n')
    source.write_text(ARTICLE.replace("第三段会被删除。", "第三段改了。"), encoding="utf-8")
    result = project.cli("extract")
    assert result.exit_code == 0, result.output
    _, obsolete, _ = entries(po_path)
    by_msgid = {e.msgid: e for e in obsolete}
    assert by_msgid["one file"].msgstr_plural == {0: "un fichier", 1: "%d fichiers"}
    text = po_path.read_text(encoding="utf-8")
    assert '#~| msgid "older"\n#~ msgid "gone"\n#~ msgstr "Gone"\n' in text
    assert project.cli("extract").exit_code == 0 and po_path.read_text(encoding="utf-8") == text


@needs_gettext
def test_a_plural_entry_whose_msgid_becomes_a_segment_gives_it_its_first_form_to_review(project):
    """A catalog cannot hold one msgid twice, obsolete or not: kept obsolete beside the new segment's entry,
    the plural entry made a file that msgfmt and l10n itself refused (the next build failed)."""
    source = project.add("posts/a.md", ARTICLE)
    project.cli("extract")
    po_path = project.po("posts/a.md")
    with po_path.open("a", encoding="utf-8") as po:
        po.write('\n# a note\nmsgid "新的一段。"\nmsgid_plural "新的几段。"\nmsgstr[0] ""\nmsgstr[1] "New ones."\n')
    source.write_text(ARTICLE + "\n新的一段。\n", encoding="utf-8")
    assert project.cli("extract").exit_code == 0
    subprocess.run([msgfmt or "msgfmt", "--check", "-o", os.devnull, str(po_path)], check=True)
    live = {e.msgid: e for e in polib.pofile(str(po_path)) if not e.obsolete}
    taken = live["新的一段。"]
    assert (taken.msgstr, taken.tcomment, "fuzzy" in taken.flags) == ("New ones.", "a note", True)
    assert not any(e.msgid_plural for e in polib.pofile(str(po_path)))
    assert project.cli("build").exit_code == 0
