"""Nothing skipped silently: no text lost to a parser limit, every Han character of the body accounted
for, Chinese left in the English edition reported, PO header fields kept, the real cause of a missing
catalog named."""

from __future__ import annotations

import json

import polib

from conftest import FIXTURES, corpus_files, pseudo


def nested_list(depth: int) -> str:
    items = "".join(f"{'  ' * level}- 第{level}层的内容\n" for level in range(depth))
    return f"# 标题\n\n{items}\n列表之后的段落。\n\n最后一段。\n"


def msgids(project, rel: str) -> list[str]:
    return [e.msgid for e in polib.pofile(str(project.po(rel))) if not e.obsolete]


def test_a_list_nested_ten_levels_is_extracted_whole_with_what_follows(project):
    project.add("deep.md", nested_list(10))
    assert project.cli("extract").exit_code == 0
    assert msgids(project, "deep.md") == ["标题"] + [f"第{level}层的内容" for level in range(10)] + [
        "列表之后的段落。", "最后一段。"]


def test_nesting_beyond_the_parser_limit_is_an_error_naming_the_line_not_a_silent_cut(project):
    project.add("a.md", "一篇正常的文章。\n")
    project.add("quote.md", "第一段。\n\n" + ">" * 500 + " 很深的引用\n\n后面的段落。\n")
    project.add("list.md", nested_list(60))
    result = project.cli("extract")
    assert result.exit_code == 1
    assert "content/zh/quote.md:3: Markdown nested more than 100 levels deep" in result.output
    assert "content/zh/list.md:52: Markdown nested more than 100 levels deep" in result.output
    assert not project.po("quote.md").exists() and not project.po("list.md").exists()
    assert project.po("a.md").exists()


def test_han_text_no_segment_holds_is_an_error_naming_the_line(project):
    # GFM ignores cells beyond the header's columns: the parser drops them, the English edition would not.
    project.add("table.md", "说明。\n\n| 名称 | 数量 |\n|---|---|\n| 苹果 | 3 | 多出的一格 |\n")
    result = project.cli("extract")
    assert result.exit_code == 1
    assert "content/zh/table.md:5: text not offered for translation: '| 苹果 | 3 | 多出的一格 |'" in result.output
    assert not project.po("table.md").exists()


HTML_ARTICLE = """---
title: 标题
slug: 不翻译的配置
---
正文第一段。

<div class="note">
HTML 块里的中文。
</div>

<!-- 注释里的中文 -->

```python
print("代码里的中文")
```

见[说明][参考]。

[参考]: https://example.com/说明 "链接标题"
"""


def test_html_block_and_link_title_chinese_is_a_warning_naming_the_line(project):
    project.add("html.md", HTML_ARTICLE)
    result = project.cli("extract", "--format", "json")
    assert result.exit_code == 0
    [file] = json.loads(result.stdout)["files"]
    assert file["warnings"] == [
        "line 8: HTML block not offered for translation: 'HTML 块里的中文。' stays as it is",
        "line 19: link title not offered for translation: '[参考]: https://example.com/说明 \"链接标题\"' stays as it is",
    ]
    assert msgids(project, "html.md") == ["标题", "正文第一段。", "见[说明][参考]。"]


def check_json(project) -> list[dict]:
    result = project.cli("check", "--format", "json")
    return json.loads(result.stdout)["findings"]


def test_check_reports_chinese_the_english_edition_keeps_outside_segments(project):
    project.add("html.md", HTML_ARTICLE)
    project.add("plain.md", "只有一段。\n\n第二段。\n")
    assert project.cli("extract").exit_code == 0
    project.translate_all("html.md", lambda m: pseudo(m.replace("[参考]", "\0")).replace("\0", "[参考]"))  # label kept
    po = project.translate_all("plain.md")  # then one entry left untranslated: reported as such only
    po[1].msgstr = ""
    po.save()
    assert project.cli("build").exit_code == 0
    found = [(f["check"], f["severity"], f["file"], f["line"]) for f in check_json(project)
             if f["check"] in ("han-output", "untranslated")]
    assert found == [
        ("han-output", "warning", "content/en/html.md", 8),
        ("han-output", "warning", "content/en/html.md", 19),
        ("untranslated", "warning", "locales/en/plain.po", found[-1][3]),
    ]
    # A hand edit putting Chinese where no catalog reaches is found in the output, at its line.
    out = project.out("plain.md")
    out.write_text(out.read_text(encoding="utf-8") + "\n<p>手工加的中文</p>\n", encoding="utf-8")
    lines = [(f["file"], f["line"]) for f in check_json(project) if f["check"] == "han-output"]
    assert ("content/en/plain.md", 5) in lines


def test_header_fields_and_comments_a_translator_added_survive_re_extract(project):
    path = project.add("a.md", "第一段。\n")
    project.cli("extract")
    po = polib.pofile(str(project.po("a.md")), wrapwidth=0)
    po.header += "\nCopyright (C) 2025 译者\nThis file is distributed under CC BY 4.0."
    po.metadata["Report-Msgid-Bugs-To"] = "bugs@example.com"
    po.metadata["Last-Translator"] = "Li Lei <li@example.com>"
    po.metadata["X-Poedit-Basepath"] = "../.."
    po.metadata["X-Poedit-SearchPath-0"] = "content"
    po.save()
    path.write_text("第一段。\n\n新的一段。\n", encoding="utf-8")
    assert project.cli("extract").exit_code == 0
    again = polib.pofile(str(project.po("a.md")), wrapwidth=0)
    assert "新的一段。" in [e.msgid for e in again]
    for name, value in (("Report-Msgid-Bugs-To", "bugs@example.com"), ("Last-Translator", "Li Lei <li@example.com>"),
                        ("X-Poedit-Basepath", "../.."), ("X-Poedit-SearchPath-0", "content")):
        assert again.metadata[name] == value
    assert again.header.split("\n") == ["en translation of content/zh/a.md", "Generated by l10n; edit the msgstr "
                                        "lines only.", "Copyright (C) 2025 译者", "This file is distributed under "
                                        "CC BY 4.0."]


def test_broken_front_matter_is_reported_as_such_by_build_status_and_check(project):
    project.add("bad.md", (FIXTURES / "bad" / "malformed-yaml.md").read_bytes())
    project.add("later.md", "---\ntitle: 标题\n---\n正文。\n")
    assert project.cli("extract").exit_code == 1
    project.add("later.md", "---\ntitle: 标题: 坏了\n---\n正文。\n")  # broken after its catalog was made
    for command in ("build", "status"):
        result = project.cli(command)
        assert result.exit_code == 1
        assert "content/zh/bad.md:2: " in result.output and "no catalog" not in result.output
        assert "content/zh/later.md:2: " in result.output and "source changed" not in result.output
    findings = {(f["check"], f["file"], f["line"]) for f in check_json(project)}
    assert ("unreadable", "content/zh/bad.md", 2) in findings
    assert ("unreadable", "content/zh/later.md", 2) in findings
    assert not {f for f in findings if f[0] in ("missing-catalog", "stale-catalog")}


def test_the_corpus_and_the_seed_have_nohan_outside_segments(project):
    from l10n.config import DEFAULT_FRONT_MATTER_KEYS, DEFAULT_SHORTCODE_PARAMS
    from l10n.document import decode_document
    from l10n.formats.markdown.segmenter import extract_text

    seed = FIXTURES.parents[1] / "content" / "zh" / "posts" / "xai-burn-rate.md"
    leftovers = {}
    for path in corpus_files() + [seed]:
        doc = decode_document(path.read_bytes(), path.name)
        found = extract_text(doc, DEFAULT_FRONT_MATTER_KEYS, DEFAULT_SHORTCODE_PARAMS, verify=False)
        leftovers.update({(path.name, left.line): left.limit for left in found.leftovers})
    assert leftovers == {("tables-code.md", 64): "HTML block", ("tables-code.md", 65): "HTML block"}
