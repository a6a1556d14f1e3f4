"""One markup model, from the parser: build, check and machine translation judge a translation alike.

Bypasses (a translation that changes the article's blocks) are refused by build and reported by check;
constructs that CommonMark reads differently from a pattern are no longer refused; reference labels
survive machine translation; unsafe content stops at build; an added bare URL is a check warning.
"""

from __future__ import annotations

import json
import re

import polib
import pytest
from markdown_it import MarkdownIt

from l10n.checks.entry import ENTRY_CHECKS, Pair
from l10n.document import Document
from l10n.formats.markdown.inline import parse
from l10n.formats.markdown.render import refusals
from l10n.formats.markdown.segmenter import extract_text
from l10n.glossary import Glossary

ARTICLE = "# 标题\n\n第一段。\n\n第二段。\n\n第三段。\n"
GOOD = {"标题": "Title", "第二段。": "Second paragraph.", "第三段。": "Third paragraph."}


def translate(project, rel: str, mapping: dict[str, str]) -> None:
    po = polib.pofile(str(project.po(rel)))
    for entry in po:
        entry.msgstr = mapping.get(entry.msgid, entry.msgstr)
    po.save()


def findings(project, *args: str) -> tuple[int, list[dict]]:
    result = project.cli("check", "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)["findings"]


def blocks(text: str) -> list[str]:
    return [t.type for t in MarkdownIt("commonmark").parse(text) if t.type != "inline"]


@pytest.mark.parametrize("translation", [
    "First paragraph.\n=",  # setext heading
    "First paragraph.\n--",  # setext heading
    "First paragraph.\n* * *",  # a thematic break
])  # (an HTML comment opened to hide the rest of the article is refused before: see test_trust_hugo_reading)
def test_a_translation_that_changes_the_blocks_is_refused_by_build_and_reported_by_check(project, translation):
    project.add("a.md", ARTICLE)
    project.cli("extract")
    translate(project, "a.md", {**GOOD, "第一段。": translation})
    result = project.cli("build")
    assert result.exit_code == 1
    assert "content/zh/a.md:3: translation refused" in result.output
    assert "changes the Markdown structure" in result.output
    built = project.out("a.md").read_text(encoding="utf-8")
    assert blocks(built) == blocks(ARTICLE)  # the refused segment keeps its source text; the rest is built
    assert "第一段。" in built and "Third paragraph." in built
    code, found = findings(project)
    assert code == 1
    assert [(f["check"], f["source_line"]) for f in found if f["severity"] == "error"] == [("block", 3)]


def test_a_bypass_spread_over_two_segments_is_refused_and_the_rest_still_builds(project):
    project.add("a.md", ARTICLE)
    project.cli("extract")
    translate(project, "a.md", {"标题": "Title", "第一段。": "First.\n<!--", "第二段。": "Second.",
                                "第三段。": "Third.\n-->"})
    result = project.cli("build")
    assert result.exit_code == 1
    built = project.out("a.md").read_text(encoding="utf-8")
    assert blocks(built) == blocks(ARTICLE) and "Second." in built


@pytest.mark.parametrize("translation", [
    "First paragraph.\r# Heading",  # a raw CR is a line break to Markdown: a real heading
    "First paragraph.\r~~~",  # a fence that turns the rest of the article into code
    "First paragraph.\r\r    indented code",
])
def test_a_raw_carriage_return_is_judged_as_the_line_break_it_is(translation):
    """PO files cannot carry a lone CR any more; machine drafts and the library go through `refusals`."""
    doc = Document("a.md", ARTICLE)
    found = extract_text(doc, (), ())
    first = next(i for i, s in enumerate(found.segments) if s.msgid == "第一段。")
    assert "changes the Markdown structure" in refusals(doc, found.segments, found.body, {first: translation})[first]


def test_what_commonmark_reads_as_text_or_as_a_reference_link_is_not_refused(project):
    source = ("# 配置\n\n进行初始化[^1]：\n\n参见[内容安全策略][CSP 标签]（CSP）。\n\n"
              "用 `ssh` 连接 <主机名或 IP>。\n\n[^1]: 见文档。\n\n"
              "[CSP 标签]: https://developer.mozilla.org/docs/Web/HTTP/CSP\n")
    project.add("a.md", source)
    project.cli("extract")
    translate(project, "a.md", {
        "配置": "Configuration",
        "进行初始化[^1]：": "Initialize as follows[^1]:",  # `[^1]:` in mid-line is a reference, not a definition
        "参见[内容安全策略][CSP 标签]（CSP）。": "See [Content Security Policy][CSP 标签](CSP).",  # then text "(CSP)"
        "用 `ssh` 连接 <主机名或 IP>。": "Connect with `ssh` to \\<hostname or IP\\>.",  # `<主机名或 IP>` is text
        "见文档。": "See the documentation.",
    })
    result = project.cli("build")
    assert result.exit_code == 0, result.output
    built = project.out("a.md").read_text(encoding="utf-8")
    assert "Initialize as follows[^1]:" in built and "[Content Security Policy][CSP 标签](CSP)" in built
    code, found = findings(project)
    assert code == 0, found


def test_a_changed_reference_label_is_refused_by_build_and_reported_by_check(project):
    project.add("a.md", "参见[内容安全策略][CSP 标签]。\n\n[CSP 标签]: https://example.com/csp\n")
    project.cli("extract")
    translate(project, "a.md", {"参见[内容安全策略][CSP 标签]。": "See [Content Security Policy][CSP label]."})
    result = project.cli("build")
    assert result.exit_code == 1 and "reference link label lost" in result.output
    code, found = findings(project)
    assert code == 1 and {f["check"] for f in found if f["severity"] == "error"} == {"markup"}


def test_reference_labels_survive_machine_translation(project):
    source = ("参见[内容安全策略][CSP 标签]、[CSP 标签]和[CSP 标签][]。\n\n"
              "[CSP 标签]: https://example.com/csp\n")
    project.add("a.md", source)
    project.cli("extract")
    result = project.cli("translate", "--engine", "pseudo")
    assert result.exit_code == 0, result.output
    msgstr = polib.pofile(str(project.po("a.md")))[0].msgstr
    assert msgstr.count("][CSP 标签]") == 3 and "内容安全策略" not in msgstr  # the text is translated, not labels
    assert project.cli("build", "--fuzzy").exit_code == 0
    html = MarkdownIt("commonmark").render(project.out("a.md").read_text(encoding="utf-8"))
    assert html.count('<a href="https://example.com/csp">') == 3


@pytest.mark.parametrize("translation, why", [
    ("Details: <javascript:alert(1)>.", "javascript: URL"),
    ("Details: [site](vbscript:msgbox).", "vbscript: URL"),
    ("Details: ![x](data:text/html;base64,PHNjcmlwdD4=).", "data: URL"),
    ("Details.<script", "unclosed tag <script"),
    ("Details.<iframe src=x>", "<iframe>"),
    ("Details <b onclick=\"x()\">here</b>.", "on*= attribute"),
])
def test_unsafe_content_is_refused_at_build(project, translation, why):
    project.add("a.md", "详情见官网。\n")
    project.cli("extract")
    translate(project, "a.md", {"详情见官网。": translation})
    result = project.cli("build")
    assert result.exit_code == 1 and f"unsafe content added by the translation: {why}" in result.output
    assert project.out("a.md").read_text(encoding="utf-8") == "详情见官网。\n"
    code, found = findings(project)
    assert code == 1 and "unsafe-html" in {f["check"] for f in found}


@pytest.mark.parametrize("added", ["https://evil.example/x", "www.evil.example", "me@evil.example"])
def test_an_added_bare_url_www_name_or_email_is_refused_by_build_and_an_error_of_check(project, added):
    """Hugo's linkify makes a link of each: a link the source does not have (it was a check warning)."""
    project.add("a.md", "详情见[官网](https://www.byd.com/)，或写信给 info@byd.com。\n")
    project.cli("extract")
    translate(project, "a.md", {"详情见[官网](https://www.byd.com/)，或写信给 info@byd.com。":
                                f"Details on the [website](https://www.byd.com/), info@byd.com, or {added}."})
    result = project.cli("build")
    assert result.exit_code == 1 and f"not in the source (Hugo turns it into a link): {added}" in result.output
    assert added not in project.out("a.md").read_text(encoding="utf-8")
    code, found = findings(project)
    assert code == 1
    assert [(f["check"], f["severity"]) for f in found if f["check"] == "bare-url"] == [("bare-url", "error")]


def test_the_sources_own_addresses_may_stand_in_the_translation_before_a_full_stop(project):
    project.add("a.md", "访问www.byd.com或 https://byd.com/a?b=1 ，写信给 info@byd.com。\n")
    project.cli("extract")
    translate(project, "a.md", {"访问www.byd.com或 https://byd.com/a?b=1 ，写信给 info@byd.com。":
                                "Visit www.byd.com or https://byd.com/a?b=1, or write to info@byd.com."})
    assert project.cli("build").exit_code == 0


@pytest.mark.parametrize("source, translation, why", [
    # (relative destinations: a bare https:// URL in the text is refused before, as a link to Hugo)
    ("请看 [foo] 这里。\n", "[foo]: /evil.example/\nSee [foo] here.",  # `[foo]` would become a link
     "adds or changes a link reference definition ([FOO]: /evil.example/)"),
    ("请看这里。\n", "[x]: /evil.example/\nclick [x]",  # no brackets in the source at all
     "adds or changes a link reference definition ([X]: /evil.example/)"),
    ("请看这里。\n", "[x]: /evil.example/", "blocks of the source disappear"),  # nothing but a definition
    ("请看[链接][a]。\n\n[a]: https://example.com/\n",  # the first definition wins: it changes `[a]`
     "See [the link][a].\n\n[a]: https://evil.example/", "link URL not in the source"),
])
def test_a_translation_that_adds_a_link_reference_definition_is_refused_by_build_and_reported_by_check(
        project, source, translation, why):
    project.add("a.md", source)
    project.cli("extract")
    translate(project, "a.md", {polib.pofile(str(project.po("a.md")))[0].msgid: translation})
    result = project.cli("build")
    assert result.exit_code == 1 and "translation refused" in result.output
    assert why in result.output
    assert "evil.example" not in project.out("a.md").read_text(encoding="utf-8")
    code, found = findings(project)
    check = "markup" if why.startswith("link URL") else "block"
    assert code == 1 and check in {f["check"] for f in found if f["severity"] == "error"}


def test_an_added_link_reference_definition_is_named_as_such():
    doc = Document("a.md", "# 标题\n\n请看 [foo] 这里。\n")
    found = extract_text(doc, (), ())
    i = next(i for i, s in enumerate(found.segments) if s.msgid == "请看 [foo] 这里。")
    why = refusals(doc, found.segments, found.body, {i: "[foo]: /evil.example/\nSee [foo] here."})[i]
    assert "adds or changes a link reference definition" in why and "/evil.example/" in why


@pytest.mark.parametrize("text, markers", [
    ("~~x~~", [(0, 2, "open"), (3, 5, "close")]),  # markdown-it opens `~~` on its first character
    ("a ~~b~~ c", [(2, 4, "open"), (5, 7, "close")]),
    ("~~~x~~~", [(1, 3, "open"), (5, 7, "close")]),  # an odd run: the first `~` is text
    ("**x**", [(0, 2, "open"), (3, 5, "close")]),  # `**` and `__` open on their second character
    ("a __b__ c", [(2, 4, "open"), (5, 7, "close")]),
    ("*x* _y_", [(0, 1, "open"), (2, 3, "close"), (4, 5, "open"), (6, 7, "close")]),
    ("***x***", [(0, 1, "open"), (1, 3, "open"), (4, 6, "close"), (6, 7, "close")]),
    ("~~**x**~~", [(0, 2, "open"), (2, 4, "open"), (5, 7, "close"), (7, 9, "close")]),
])
def test_emphasis_markers_are_pieces_where_they_stand(text, markers):
    pieces = [p for p in parse(text).pieces if p.kind == "emphasis"]
    assert [(p.start, p.end, p.role) for p in pieces] == markers
    assert all(text[p.start:p.end] in ("*", "_", "**", "__", "~~") for p in pieces)


def test_strikethrough_survives_protect_and_restore():
    from l10n.translate.placeholders import protect, restore
    for text in ("~~旧的~~ 文本", "新 ~~旧的~~ 文本"):
        protected = protect(text)
        assert "~" not in protected.text and "旧的" in protected.text
        assert protected.text.count("旧的") == 1
        assert restore(protected.text, protected) == text


@pytest.mark.parametrize("cell", ["C:\\", "A\\\\", "a \\| b \\"])
def test_a_table_cell_ending_in_a_backslash_keeps_the_next_cell(project, cell):
    """markdown-it (and GFM) read any backslash right before a pipe as escaping it: `|C:\\\\|B|` is one cell."""
    project.add("a.md", "|路径|说明|\n|---|---|\n|盘符|根目录|\n")
    project.cli("extract")
    translate(project, "a.md", {"路径": "Path", "说明": "Meaning", "盘符": cell, "根目录": "the root"})
    result = project.cli("build")
    assert result.exit_code == 0, result.output
    md = MarkdownIt("commonmark").enable("table")
    html = md.render(project.out("a.md").read_text(encoding="utf-8"))
    assert re.findall(r"<t[hd]>(.*?)</t[hd]>", html) == ["Path", "Meaning", md.renderInline(cell), "the root"]
    code, found = findings(project)
    assert code == 0, found


@pytest.mark.parametrize("source, translation", [
    ("见 https://openai.com/ 。", "See https://openai.com."),  # a final slash changes no address
    ("见 WWW.XAI.COM。", "See www.xai.com."),  # nor does case
    ("写信给 Press@X.ai。", "Write to press@x.ai."),
    ("见 https://zh.wikipedia.org/wiki/人工智能 。", "See https://zh.wikipedia.org/wiki/人工智能."),  # a Chinese path
    ("见https://a.cn/x。", "See https://a.cn/x."),
])
def test_the_sources_address_spelt_another_way_is_the_same_address(source, translation):
    doc = Document("a.md", source + "\n")
    found = extract_text(doc, (), ())
    assert refusals(doc, found.segments, found.body, {0: translation}) == {}
    assert not ENTRY_CHECKS["han"](Pair(source, translation, "en", Glossary(())))
