"""Unsafe or corrupt content stops at build: strict PO strings, unique entries, front matter that reads
back, image and shortcode text escaped for the syntax it is written into."""

from __future__ import annotations

import json
import tomllib

import polib
import pytest
import yaml
from markdown_it import MarkdownIt

from l10n.document import decode_document
from l10n.formats.markdown.segmenter import extract_segments
from l10n.pofile import load_catalog

ARTICLE = "---\ntitle: 标题\n---\n\n第一段。\n\n第二段。\n"


def translated_project(project, article: str = ARTICLE, fn=lambda msgid: "EN " + msgid):
    """`a.md` extracted and fully translated; returns the catalog's text."""
    project.add("a.md", article)
    assert project.cli("extract").exit_code == 0
    project.translate_all("a.md", fn)
    return project.po("a.md").read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


def build_errors(project, path: str) -> tuple[int, list[str]]:
    result = project.cli("build")
    return result.exit_code, [out for out in result.output.splitlines() if out.startswith(path + ":")]


# --- PO strings ---------------------------------------------------------------------------------

@pytest.mark.parametrize("written, shown", [
    ("\x00", "U+0000"),  # a raw NUL would be copied into the article
    ("\x1b", "U+001B"),  # terminal escape
    ("\\r", "U+000D"),  # an escaped CR reaches the output as a raw CR
    ("\\b", "U+0008"),
    ("\\f", "U+000C"),
])
def test_a_control_character_in_a_msgstr_is_a_syntax_error_on_its_line(project, written, shown):
    po = translated_project(project)
    project.add("b.md", "另一篇。\n")
    assert project.cli("extract").exit_code == 0
    bad = po.replace('msgstr "EN 第二段。"', f'msgstr "EN 第二{written}段。"')
    project.po("a.md").write_bytes(bad.encode("utf-8"))
    code, errors = build_errors(project, "locales/en/a.po")
    assert code == 1
    assert errors == [f"locales/en/a.po:{line_of(bad, 'EN 第二')}: PO syntax error: "
                      f"control character {shown} in a translation"]
    assert not project.out("a.md").exists()
    assert project.out("b.md").exists()  # the other article is still built


def test_tab_and_newline_escapes_stay_allowed_in_a_msgstr(project):
    po = translated_project(project)
    project.po("a.md").write_text(po.replace('"EN 第二段。"', '"EN\\tsecond\\nline"'), encoding="utf-8")
    assert project.cli("build").exit_code == 0
    assert "EN\tsecond\nline" in project.out("a.md").read_text(encoding="utf-8")


def test_an_escape_gettext_and_polib_read_differently_is_a_syntax_error(project):
    po = translated_project(project)
    bad = po.replace('msgstr "EN 第二段。"', 'msgstr "EN \\101 \\x41"')  # msgfmt reads "A A", polib "\101 \x41"
    project.po("a.md").write_text(bad, encoding="utf-8")
    code, errors = build_errors(project, "locales/en/a.po")
    assert code == 1
    line = line_of(bad, 'msgstr "EN \\101')
    assert errors == [f"locales/en/a.po:{line}: PO syntax error: unsupported escape sequence '\\101' "
                      "(write the character itself)"]


@pytest.mark.parametrize("where", ["string", "comment"])
def test_a_lone_carriage_return_is_a_syntax_error_on_its_line(project, where):
    po = translated_project(project)
    # polib would read the CR as a line break: the msgstr cut at it, or a comment turned into code.
    needle = 'msgstr "EN 第二段。"' if where == "string" else "#. paragraph"
    bad = po.replace(needle, needle.replace("第二", "第\r二") if where == "string"
                     else needle + '\rmsgstr "injected"', 1)
    project.po("a.md").write_bytes(bad.encode("utf-8"))
    code, errors = build_errors(project, "locales/en/a.po")
    assert code == 1
    assert errors == [f"locales/en/a.po:{line_of(bad, chr(13))}: "
                      "PO syntax error: carriage return inside a line (only CRLF and LF line ends are allowed)"]


def test_a_po_file_with_crlf_line_ends_still_loads(project):
    po = translated_project(project)
    project.po("a.md").write_bytes(po.replace("\n", "\r\n").encode("utf-8"))
    assert project.cli("build").exit_code == 0
    assert project.out("a.md").read_text(encoding="utf-8") == "---\ntitle: EN 标题\n---\n\nEN 第一段。\n\nEN 第二段。\n"


# --- duplicate entries --------------------------------------------------------------------------

@pytest.mark.parametrize("obsolete", [False, True])
def test_a_duplicate_msgid_is_an_error_naming_both_lines_and_extract_does_not_rewrite_it(project, obsolete):
    po = translated_project(project)
    prefix = "#~ " if obsolete else ""
    bad = po + f'\n{prefix}msgid "第二段。"\n{prefix}msgstr "Another"\n'
    project.po("a.md").write_text(bad, encoding="utf-8")
    first, second = line_of(bad, 'msgid "第二段。"'), bad.count("\n") - 1
    expected = [f"locales/en/a.po:{second}: duplicate message definition (first defined on line {first})"]
    code, errors = build_errors(project, "locales/en/a.po")
    assert (code, errors) == (1, expected)
    project.add("a.md", ARTICLE + "\n新的一段。\n")  # re-extraction has work to do
    result = project.cli("extract")
    assert result.exit_code == 1
    assert [out for out in result.output.splitlines() if out.startswith("locales/en/a.po:")] == expected
    assert project.po("a.md").read_text(encoding="utf-8") == bad  # not rewritten with a `#~` duplicate


def test_the_same_msgid_under_different_msgctxt_is_refused_by_name(project):
    """Entries are known by msgid alone (`catalog.translations`): build used to take one of the two silently."""
    po = translated_project(project)
    project.po("a.md").write_text(po + '\nmsgctxt "other"\nmsgid "第二段。"\nmsgstr "Other"\n', encoding="utf-8")
    result = project.cli("build")
    assert result.exit_code == 1
    assert "duplicate message definition" in result.output and "msgctxt" in result.output


def test_machine_translation_never_writes_a_control_character_into_a_catalog(project):
    project.add("a.md", "第一段\x1b[31m。\n\n第二段。\n")  # the engine echoes the escape back
    assert project.cli("extract").exit_code == 0
    result = project.cli("translate", "--engine", "pseudo")
    assert result.exit_code == 1
    assert "content/zh/a.md:1: not translated (en): control character U+001B in a translation" in result.output
    po = load_catalog(project.po("a.md"), "a.po", project.root)  # still readable, the other translation kept
    assert {e.msgid: bool(e.msgstr) for e in po if e.msgid} == {"第一段\x1b[31m。": False, "第二段。": True}


# --- front matter reads back --------------------------------------------------------------------

FRONT = {
    "yaml": ("---\ntitle: 标题\nsummary: 摘要\n---\n\n正文。\n", lambda t: yaml.safe_load(t.split("---\n")[1])),
    "toml": ('+++\ntitle = "标题"\nsummary = "摘要"\n+++\n\n正文。\n', lambda t: tomllib.loads(t.split("+++\n")[1])),
    "json": ('{\n  "title": "标题",\n  "summary": "摘要"\n}\n\n正文。\n', lambda t: json.JSONDecoder().raw_decode(t)[0]),
}


@pytest.mark.parametrize("kind", FRONT)
@pytest.mark.parametrize("bad", ["\ufffe", "\uffff", "\ufdd0", "\U0001fffe"])
def test_a_non_character_in_a_front_matter_translation_is_refused_with_its_line(project, kind, bad):
    source, load = FRONT[kind]
    translations = {"标题": f"Bad{bad}title", "摘要": "Summary", "正文。": "Body."}
    translated_project(project, source, translations.get)
    code, errors = build_errors(project, "content/zh/a.md")
    po_line = polib.pofile(str(project.po("a.md"))).find("标题").linenum
    assert code == 1
    assert errors == [f"content/zh/a.md:2: translation refused (locales/en/a.po:{po_line}): "
                      f"U+{ord(bad):04X} is a Unicode non-character: it cannot be written in {kind.upper()} "
                      "front matter"]
    built = project.out("a.md").read_text(encoding="utf-8")
    assert load(built) == {"title": "标题", "summary": "Summary"}  # parses; the source value stands in
    assert built.endswith("\nBody.\n")


def test_a_replacement_that_does_not_read_back_is_found_among_good_ones():
    """The invariant itself: a value written over the wrong span (a bug anywhere upstream) is caught."""
    from l10n.formats.markdown.frontmatter import Replacement, unreadable  # here: the original code has no such check
    text = "---\ntitle: 标题\nslug: keep\nsummary: 摘要\n---\nbody\n"
    title, summary = text.index("标题"), text.index("摘要")
    good = Replacement(summary, summary + 2, "yaml-plain", "Summary")
    swallows_slug = Replacement(title, text.index("\nsummary"), "yaml-plain", "Title")
    eats_the_end = Replacement(summary, text.index("\nbody"), "yaml-plain", "Summary")
    assert unreadable(text, [good]) == {}
    assert unreadable(text, [swallows_slug, good]) == {title: "does not read back from the YAML front matter"}
    assert unreadable(text, [eats_the_end]) == {summary: "the YAML front matter would no longer parse"}


# --- images and shortcodes ----------------------------------------------------------------------

def images(text: str) -> list[tuple[str, str | None]]:
    """(alt, title) of every image, as CommonMark reads them."""
    md = MarkdownIt("commonmark")
    return [(md.renderer.renderInlineAsText(t.children, md.options, {}), t.attrGet("title"))
            for block in md.parse(text) if block.type == "inline" for t in block.children if t.type == "image"]


@pytest.mark.parametrize("alt, title, read_alt, read_title", [
    ("ends with \\", "ends with \\", "ends with \\", "ends with \\"),
    ("a ] b [c", 'say "hi"', "a ] b [c", 'say "hi"'),
    # the translator's own Markdown escapes are kept: `\]` is `]`, `\\` a backslash
    ("kept \\] and \\\\", 'kept \\\\" then', "kept ] and \\", 'kept \\" then'),
])
def test_image_alt_and_title_are_escaped_and_read_back_as_the_translation(project, alt, title, read_alt,
                                                                           read_title):
    translated_project(project, '![图片说明](a.png "图片标题")\n\n第一段。\n',
                       {"图片说明": alt, "图片标题": title, "第一段。": "One."}.get)
    assert project.cli("build").exit_code == 0
    built = project.out("a.md").read_text(encoding="utf-8")
    assert images(built) == [(read_alt, read_title)]  # still one image, alt and title as translated
    doc = decode_document(built.encode(), "a.md")
    assert [s.comment for s in extract_segments(doc, (), ())] == ["image alt text", "image title", "paragraph"]


def test_a_shortcode_caption_is_escaped_or_refused_when_it_cannot_be_written(project):
    source = '{{< figure src="a.png" caption="图一" >}}\n\n{{< figure src="b.png" caption="图二" >}}\n'
    translated_project(project, source, {"图一": 'Fig. "one"', "图二": "ends with \\"}.get)
    code, errors = build_errors(project, "content/zh/a.md")
    po_line = polib.pofile(str(project.po("a.md"))).find("图二").linenum
    assert code == 1
    assert errors == [f"content/zh/a.md:3: translation refused (locales/en/a.po:{po_line}): ends with a backslash, "
                      "which would escape the closing quote of the shortcode parameter"]
    built = project.out("a.md").read_text(encoding="utf-8")
    assert built == ('{{< figure src="a.png" caption="Fig. \\"one\\"" >}}\n\n'
                     '{{< figure src="b.png" caption="图二" >}}\n')
    doc = decode_document(built.encode(), "a.md")
    captions = [s.msgid for s in extract_segments(doc, (), ("caption",))]
    assert captions == ['Fig. \\"one\\"', "图二"]  # still one parameter each; Hugo reads \" as "
