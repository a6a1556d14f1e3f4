"""Markdown judged as Hugo reads it, where that differs from CommonMark: each class of the red team's findings.

Hugo lexes shortcode delimiters before any Markdown (a lone `{{<` fails the whole site), goldmark reads
definition lists and task list boxes, a math script reads `$...$` formulas, and a shortcode parameter may be a
raw string. Each test runs a whole class (every corpus segment, every delimiter and place, every context),
not one snippet; the red team's own reproductions are in test_attack_findings.py.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import polib
import pytest

from conftest import corpus_files
from l10n.config import DEFAULT_FRONT_MATTER_KEYS, DEFAULT_SHORTCODE_PARAMS
from l10n.document import Document, decode_document
from l10n.formats.markdown import MARKDOWN, MarkdownInline
from l10n.formats.markdown.inline import parse
from l10n.formats.markdown.render import refusals
from l10n.formats.markdown.segmenter import block_structure, extract_text
from l10n.translate.placeholders import protect
from synthetic import synth

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "content/zh/posts/xai-burn-rate.md"


def corpus_segments():
    """(the article's inline model, segment) for every segment of the fixture corpus and the seed article."""
    for path in [*corpus_files(), SEED]:
        doc = decode_document(path.read_bytes(), str(path))
        found = extract_text(doc, DEFAULT_FRONT_MATTER_KEYS, DEFAULT_SHORTCODE_PARAMS)
        for segment in found.segments:
            yield MarkdownInline(found.body.references), segment


def judged(text: str, translations: dict[int, str], params=DEFAULT_SHORTCODE_PARAMS) -> dict[int, str]:
    doc = Document("a.md", text)
    found = extract_text(doc, (), params)
    return refusals(doc, found.segments, found.body, translations)


def translate(project, rel: str, mapping: dict[str, str]) -> None:
    po = polib.pofile(str(project.po(rel)))
    for entry in po:
        entry.msgstr = mapping.get(entry.msgid, entry.msgstr)
    po.save()


# --- Shortcode delimiters: Hugo's page lexer reacts to each, wherever it stands ---

DELIMITERS = ["{{<", "{{%", ">}}", "%}}", "{{</*"]
PLACES = ["{} opens here", "text {}", "text {}.", "in code `{}` too", "**{}**", "[{}](https://example.org)"]


def test_a_shortcode_delimiter_a_translation_adds_is_refused_anywhere_in_any_segment():
    """Every corpus and seed segment, every delimiter, at the start, in the middle, at the end, in a code span,
    in emphasis or a link's text: the one refusal build, check and machine translation share says no."""
    let_through = []
    for (inline, segment), delimiter, place in itertools.product(list(corpus_segments()), DELIMITERS, PLACES):
        translation = synth(segment.msgid) + " " + place.format(delimiter)
        if inline.refusal(segment.msgid, translation) is None:
            let_through.append((segment.msgid, translation))
    assert let_through == []


@pytest.mark.parametrize("source", ["见 `>}}` 符号。", "模板以 %}} 结尾。"])
def test_a_lone_closing_delimiter_of_the_source_must_stay(source):
    """Hugo reads a closing delimiter outside a shortcode as text, so a source may hold one; its translation
    keeps it (the inventory counts delimiters both ways) and machine translation never sees it."""
    closer = ">}}" if ">}}" in source else "%}}"
    kept = source.replace("见", "See").replace("符号。", "sign.").replace("模板以", "Templates end with").replace(
        "结尾。", ".")
    assert MARKDOWN.standalone.refusal(source, kept) is None
    assert "shortcode delimiter lost" in MARKDOWN.standalone.refusal(source, kept.replace(closer, "x"))
    assert closer not in protect(source).text


@pytest.mark.parametrize("translation", ["opens {{< here", "ends >}} here", "a `{{%` b"])
@pytest.mark.parametrize("quote", ['"{}"', "`{}`"])
def test_a_shortcode_parameter_translation_with_a_delimiter_is_refused(translation, quote):
    text = f"段落。\n\n{{{{< figure src=\"a.png\" caption={quote.format('图片说明')} >}}}}\n"
    assert list(judged(text, {1: translation})) == [1]
    assert judged(text, {1: "A caption"}) == {}


def test_build_and_check_refuse_a_delimiter_in_a_caption(project):
    project.add("a.md", '段落。\n\n{{< figure src="a.png" caption="图片说明" >}}\n')
    project.cli("extract")
    translate(project, "a.md", {"段落。": "Text.", "图片说明": "opens {{< here"})
    project.cli("build")
    assert project.out("a.md").read_text(encoding="utf-8") == '段落。\n\n{{< figure src="a.png" caption="图片说明" >}}\n' \
        .replace("段落。", "Text.")
    result = project.cli("check", "--format", "json")
    assert result.exit_code == 1
    assert any("shortcode delimiter not in the source: {{<" in f["message"]
               for f in json.loads(result.stdout)["findings"])


# --- Inline math: a formula is carried verbatim, like a code span; money is not a formula ---

def test_every_corpus_formula_must_be_carried_verbatim():
    formulas = 0
    for inline, segment in corpus_segments():
        for formula in parse(segment.msgid).count("math"):
            formulas += 1
            kept = synth(segment.msgid)
            assert formula in kept and inline.refusal(segment.msgid, kept) is None
            for changed in (formula.replace("$", "$ ", 1), formula[:-2] + "+" + formula[-2:], "`" + formula + "`"):
                assert "inline formula lost" in inline.refusal(segment.msgid, kept.replace(formula, changed))
    assert formulas >= 2


MONEY = ["$5", "US$5", "$1 billion and $2 billion", "$5-$10", "$5–$10", "$5/$10", "$4.3bn to $6bn", "($5)",
         "$5, $6 and $7", "HK$10, NT$20 or $30", "from $5 (2024) to $9 (2025)", "$0.5-$1.2 per share"]


@pytest.mark.parametrize("money", MONEY)
def test_money_is_not_a_formula(money):
    """`$` amounts in a translation (and in a source) are prose: currency-heavy translations stay accepted."""
    assert parse(money).count("math") == {}
    source = "xAI 每月烧掉 10 亿美元，融资 43 亿美元。"
    assert MARKDOWN.standalone.refusal(source, f"xAI burns {money} a month and raises {money}.") is None
    assert MARKDOWN.standalone.refusal(f"花了{money}和{money}。", f"It spent {money}.") is None


def test_a_formula_is_a_placeholder_for_machine_translation():
    assert protect("只要 $\\delta$ 小于 0.01%").text == '只要 <x id="1"/> 小于 0.01%'


# --- Definition lists and task list boxes: goldmark's defaults change blocks ---

# Where a translated paragraph can stand, its text replaced by `{}`.
CONTEXTS = ["前文。\n\n{}\n", "前文。\n\n\n\n{}\n", "{}\n\n后文。\n", "> 前文。\n>\n> {}\n", "- 前文。\n\n  {}\n",
            "前文\n: 定义。\n\n{}\n"]
# Translations goldmark reads as a definition list where markdown-it without the extension read a paragraph.
DEFINITIONS = ["Term\n: a definition", "Term  \n: after a hard break", "Term\\\n: after a backslash break",
               "Term\n:\ttab", "Term\n\n: loose", ": a definition of the paragraph before",
               # goldmark lets a definition interrupt a paragraph: its lines before become terms
               "A sentence.\nTerm\n: a definition", "A sentence\nand another.\n  : indented definition"]


@pytest.mark.parametrize(("context", "translation"), list(itertools.product(CONTEXTS, DEFINITIONS)))
def test_a_translation_hugo_reads_as_a_definition_is_refused(context, translation):
    text = context.format("中文段落。")
    index = next(i for i, s in enumerate(extract_text(Document("a.md", text), (), ()).segments)
                 if s.msgid == "中文段落。")
    if translation.startswith(":") and context.startswith("{}"):
        translation = "A\n\n" + translation  # a definition needs a paragraph before it
    assert list(judged(text, {index: translation})) == [index]


@pytest.mark.parametrize("translation", ["[x] done", "[ ] to do", "[X]done", "[ ]\tlater"])
@pytest.mark.parametrize("context", ["- {}\n- 其他\n", "1. {}\n", "* 前文\n\n* {}\n"])
def test_a_list_item_translation_hugo_reads_as_a_checkbox_is_refused(context, translation):
    assert list(judged(context.format("中文"), {0: translation})) == [0]


def test_a_definition_list_of_the_source_is_translated_term_by_term():
    text = "术语\n: 第一个定义。\n: 第二个定义。\n\n另一个术语\n\n: 松散的定义。\n\n- 列表项\n\n  项内术语\n  : 项内定义。\n"
    doc = Document("a.md", text)
    found = extract_text(doc, (), ())
    assert [(s.kind, s.msgid, s.line) for s in found.segments] == [
        ("definition term", "术语", 1), ("definition", "第一个定义。", 2), ("definition", "第二个定义。", 3),
        ("definition term", "另一个术语", 5), ("definition", "松散的定义。", 7), ("list item", "列表项", 9),
        ("definition term", "项内术语", 11), ("definition", "项内定义。", 12)]
    english = {i: f"English {i}." for i in range(len(found.segments))}
    assert refusals(doc, found.segments, found.body, english) == {}
    built = doc.text
    for segment in reversed(found.segments):
        built = built[:segment.start] + "Text" + built[segment.end:]
    assert block_structure(built, 0) == found.body.structure


# --- Shortcode parameters: raw strings offered, Han that is not offered reported ---

def test_a_raw_string_parameter_is_offered_and_written_back_raw(project):
    project.add("a.md", '段落。\n\n{{< figure src="a.png" caption=`图片"说明"` title="标题" >}}\n')
    project.cli("extract")
    offered = {entry.msgid: entry.tcomment or entry.comment for entry in polib.pofile(str(project.po("a.md")))}
    assert '图片"说明"' in offered
    translate(project, "a.md", {"段落。": "Text.", '图片"说明"': 'A "quoted" caption', "标题": "Title"})
    assert project.cli("build").exit_code == 0
    assert project.out("a.md").read_text(encoding="utf-8") == \
        'Text.\n\n{{< figure src="a.png" caption=`A "quoted" caption` title="Title" >}}\n'


@pytest.mark.parametrize("translation", ["A `caption`", "A ` caption", "A ``caption"])
def test_a_backtick_in_a_raw_string_translation_is_refused(translation):
    """A raw string ends at its first backtick; the source's holds none, so the markup refusal stops any."""
    text = '{{< figure src="a.png" caption=`图片说明` >}}\n'
    assert list(judged(text, {0: translation})) == [0]
    assert judged(text, {0: 'A "caption"'}) == {}


@pytest.mark.parametrize("shortcode", ['{{< notice "注意" >}}', '{{< figure src="a.png" credit="摄影：老周" >}}',
                                       "{{< figure src=a.png caption=图片 >}}", '{{< 提示 >}}'])
def test_han_in_a_shortcode_parameter_not_offered_is_a_warning_and_a_check_finding(project, shortcode):
    project.add("a.md", f"段落。\n\n{shortcode}\n")
    result = project.cli("extract")
    assert result.exit_code == 0
    assert "line 3: shortcode parameter not offered for translation" in result.output
    translate(project, "a.md", {"段落。": "Text."})
    project.cli("build")
    result = project.cli("check", "--format", "json")
    assert any(f["check"] == "han-output" and f["line"] == 3 for f in json.loads(result.stdout)["findings"])


def test_han_in_a_shortcode_inside_an_html_comment_or_code_stays_silent(project):
    project.add("a.md", '段落。\n\n<!-- {{< notice "注意" >}} -->\n\n```\n{{< notice "注意" >}}\n```\n')
    result = project.cli("extract")
    assert result.exit_code == 0 and "not offered" not in result.output


# --- Raw HTML binds tighter than brackets: an opener left open in one segment may close in the next ---

@pytest.mark.parametrize("opener", ["<!--", "<?", "<!DOCTYPE", "<![CDATA[", "<b"])
def test_a_raw_html_opener_left_open_is_refused_so_it_cannot_span_two_segments(opener):
    """An image's alt text and title are two segments of one inline run: `<!--` in the alt and `-->` in the
    title would make Hugo read one HTML comment over both, and the image would vanish."""
    text = '前文。\n\n![图片说明](/img/a.png "图片标题")\n'
    found = extract_text(Document("a.md", text), (), ())
    alt, title = (next(i for i, s in enumerate(found.segments) if s.msgid == msgid) for msgid in ("图片说明", "图片标题"))
    closer = {"<!--": "-->", "<?": "?>", "<![CDATA[": "]]>"}.get(opener, ">")
    assert list(judged(text, {alt: f"A picture {opener} of", title: f"{closer} a title"})) == [alt]
    assert judged(text, {alt: "A picture", title: f"{closer} a title"}) == {}  # a closer alone opens nothing


# --- Tables: goldmark takes header rows markdown-it refuses (more cells than the delimiter row) ---

TABLES = ["A sentence.\n| a | b ||\n|---|---|", "A sentence.\n| a | b | c |\n|---|---|", "Text\n|---|\nrow",
          "Text  \n| a |\n| :-: |"]


@pytest.mark.parametrize("translation", TABLES)
@pytest.mark.parametrize("context", ["前文。\n\n{}\n", "- {}\n- 其他\n", "前文[^1]。\n\n[^1]: {}\n", "> {}\n"])
def test_a_translation_with_a_table_delimiter_row_is_refused(context, translation):
    text = context.format("中文段落。")
    index = next(i for i, s in enumerate(extract_text(Document("a.md", text), (), ()).segments)
                 if s.msgid == "中文段落。")
    assert list(judged(text, {index: translation})) == [index]


# --- Heading attributes: Hugo reads `{#id}`, `{.class}` and `{key=value}` at the end of a heading ---

@pytest.mark.parametrize("attributes", ["{#evil}", "{.evil}", "{ .a #b }", "{data-x=1}", '{onclick="x()" .c}'])
def test_heading_attributes_a_translation_adds_are_refused(attributes):
    text = "# 标题\n\n正文。\n"
    assert list(judged(text, {0: f"Title {attributes}"})) == [0]


def test_the_sources_heading_attributes_stay_out_of_the_segment_and_in_place():
    text = "## 标题 {.wide #top}\n\n正文。\n"
    found = extract_text(Document("a.md", text), (), ())
    assert found.segments[0].msgid == "标题"
    assert judged(text, {0: "Title"}) == {} and judged(text, {0: "Title {.wide #top}"}) != {}
