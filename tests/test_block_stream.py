"""The body parse handed over a top-level block at a time gives what one parse of the whole body gives.

Extraction reads the block tokens as the parse hands them over and drops them (`segmenter._parse_blocks`),
so a long article's token list never exists whole; and it parses the body where it stands in the article,
from its first line, not a copy of it. Proven here against one plain markdown-it parse of the body copied
out, on the fixture corpus, the seed and generated documents built from the constructs that span blank
lines or reach back (lazy continuations, loose lists, fences, HTML blocks, footnotes, setext headings,
tables, references), after front matters with every line ending, and bodies that could continue them.
"""

from __future__ import annotations

import copy
import random
import re
from pathlib import Path

from markdown_it.rules_core import StateCore
from markdown_it.rules_core.normalize import normalize
from markdown_it.token import Token

from l10n.config import DEFAULT_FRONT_MATTER_KEYS, DEFAULT_SHORTCODE_PARAMS
from l10n.document import Document, decode_document
from l10n.errors import L10nError
from l10n.formats.markdown import MARKDOWN, segmenter

REPO = Path(__file__).resolve().parents[1]
FILES = sorted((REPO / "tests/fixtures/corpus").glob("*.md")) + [REPO / "content/zh/posts/xai-burn-rate.md"]

# Pieces that change how the lines around them parse, each followed by one of SEPARATORS.
PIECES = [
    "段落第一行\n懒惰续行", "> 引用\n懒惰续行", "> 引用\n>\n> 第二段", "> - 引用里的列表\n继续",
    "- 甲\n- 乙", "- 甲\n\n  乙的第二段\n- 丙", "- 松散\n\n- 列表", "1. 一\n2. 二\n\n   续段", "3) 从三开始",
    "- [ ] 任务\n- [x] 完成", "* 外层\n  * 内层\n    * 更深\n\n      深处续段", "- \n  空项后的文字",
    "```\n代码\n\n仍是代码\n```", "```python\n未闭合的围栏", "~~~\n波浪围栏\n~~~", "    缩进代码\n\n    续",
    "$$\n数学 x^2\n$$", "<div>\n块\n\n</div>", "<!-- 注释\n\n仍是注释 -->", "<p>行内 HTML</p>\n紧接的文字",
    "[^1]: 脚注\n\n    脚注第二段", "[^长]: 脚注\n懒惰续行", "正文引用[^1]和[^长]", "标题\n===", "副标题\n---",
    "# ATX 标题 #", "## 带锚点 {#anchor}", "---", "***", "甲 | 乙\n--- | ---\n丙 | 丁\\| 戊",
    "| 表 | 头 |\n|:-|-:|\n| 格 | 子 |\n| 多 | 出 | 列 |", "[链接]: https://example.com \"标题\"", "[链接][]与[链接]",
    "{{< figure caption=\"图注\" >}}", "{{% note %}}\n提示\n{{% /note %}}", "\t制表符开头", "  \n空格行前",
    "行尾两个空格  \n硬换行", "> > 双层引用\n> 回到一层", "1. 列表\n\n    缩进四格", "- 列表\n>引用打断",
]
SEPARATORS = ["\n", "\n\n", "\n\n\n", "\n \n", "\r\n", "\r\n\r\n", "\r"]


def generated(count: int, seed: int = 10) -> list[str]:
    rng = random.Random(seed)
    docs = []
    for _ in range(count):
        body = "".join(rng.choice(PIECES) + rng.choice(SEPARATORS) for _ in range(rng.randint(2, 12)))
        docs.append(rng.choice(FRONT_MATTERS) + body)
    return docs


FRONT_MATTERS = ["", "---\ntitle: 标题\n---\n", "+++\ntitle = \"标题\"\n+++\n\n", "---\r\ntitle: 标题\r\n---\r\n",
                 "---\rtitle: 标题\r---\r", "{\"title\": \"标题\"}\n"]
# Front matter the body could continue if its parse read the lines above it: a setext underline, a lazy
# continuation, a table's delimiter row, an indented line; or no body at all.
EDGES = [front + body for front in FRONT_MATTERS[1:] for body in (
    "===\n正文", "---\n正文", "| --- |\n正文", "    缩进\n", "续行\n", "> 引用\n", "", "\n", "\n\n正文")] + [
    "---\ntitle: 标题\n---", "+++\ntitle = \"标题\"\n+++"]
DOCUMENTS = [path.read_text(encoding="utf-8") for path in FILES] + generated(600) + EDGES


def _body(text: str) -> str:
    return segmenter._mask_shortcodes(text, MARKDOWN.body_start(text))[MARKDOWN.body_start(text):]


def _one_parse(body: str) -> tuple[list, dict]:
    """markdown-it's block parse of the whole body copied out, as it was before hand-overs: its own
    `normalize` rule, then the blocks (the hand-over rule does nothing without consumers)."""
    md = segmenter._parser()
    state = StateCore(body, md, {})
    normalize(state)
    env: dict = {}
    tokens: list[Token] = []
    md.block.parse(state.src, md, env, tokens)
    return tokens, env


def _body_line(text: str) -> int:
    """The 0-based line of `text` its body starts on (the document's own count)."""
    return Document("a.md", text).line_of(MARKDOWN.body_start(text)) - 1


def _moved(tokens: list[Token], lines: int) -> list[Token]:
    """Copies of `tokens` with their line numbers moved by `lines`."""
    moved = copy.deepcopy(tokens)
    for token in moved:
        if token.map:
            token.map = [token.map[0] + lines, token.map[1] + lines]
    return moved


def test_tokens_handed_over_are_those_of_one_parse_and_final_when_handed_over():
    for text in DOCUMENTS:
        _assert_handed_over_as_parsed(text)


def _assert_handed_over_as_parsed(text: str) -> None:
    body_start = MARKDOWN.body_start(text)
    chunks: list[list] = []
    env = segmenter._parse_blocks(segmenter._mask_shortcodes(text, body_start), body_start,
                                  lambda tokens: chunks.append(copy.deepcopy(tokens)))
    whole, whole_env = _one_parse(_body(text))
    handed = [token for chunk in chunks for token in chunk]  # copied when handed over: final
    lines = _body_line(text) if body_start < len(text) else 0  # no body: nothing parsed, nothing to move
    assert handed == _moved(whole, lines), text
    # The lines of link definitions (read by nothing: `References.from_env` keeps label, href and title).
    for definition in [*whole_env.get("references", {}).values(), *whole_env.get("duplicate_refs", [])]:
        definition["map"] = [definition["map"][0] + lines, definition["map"][1] + lines]
    assert env == whole_env, text
    # One top-level block at a time (a link reference definition has no tokens: a chunk may be empty).
    assert all(sum(t.level == 0 and t.nesting >= 0 for t in chunk) == 1 for chunk in chunks if chunk), text


def test_extraction_of_a_body_read_block_by_block_is_that_of_all_its_tokens_at_once():
    for text in DOCUMENTS:
        _assert_read_as_all_at_once(text)


def _assert_read_as_all_at_once(text: str) -> None:
    doc = decode_document(text.encode("utf-8"), "a.md")
    body_start = MARKDOWN.body_start(doc.text)
    masked = segmenter._mask_shortcodes(doc.text, body_start)
    whole, env = _one_parse(masked[body_start:])
    reader, shapes = segmenter._BlockReader(doc, masked), segmenter._Shapes()
    try:
        reader(_moved(whole, _body_line(doc.text)))
        shapes(whole)
        expected: object = (reader.segments, reader.places, shapes.structure(env))
    except L10nError as exc:
        expected = str(exc)
    try:
        segments, places, body = segmenter._body_segments(doc, body_start, ())
        result: object = (segments, places, body.structure)
        assert body.structure == segmenter.block_structure(doc.text, body_start)  # as build reads a text
    except L10nError as exc:
        result = str(exc)
    assert result == expected, text


def test_han_runs_between_segments_are_those_of_the_text_with_the_segments_blanked():
    for text in DOCUMENTS:
        _assert_runs_as_blanked(text)


def _assert_runs_as_blanked(text: str) -> None:
    doc = decode_document(text.encode("utf-8"), "a.md")
    try:
        segments = segmenter.extract_text(doc, DEFAULT_FRONT_MATTER_KEYS, DEFAULT_SHORTCODE_PARAMS,
                                          verify=False).segments
    except L10nError:
        return
    body_start = MARKDOWN.body_start(doc.text)
    blanked = list(doc.text)
    for s in segments:
        if s.start >= body_start:
            blanked[s.start:s.end] = " " * (s.end - s.start)
    expected = [m.span() for m in segmenter.HAN.finditer("".join(blanked), body_start)]
    assert [m.span() for m in segmenter.han_outside(doc.text, body_start, segments)] == expected, text


def test_the_generated_documents_reach_the_constructs_they_are_for():
    """The generator is not vacuous: its documents hold the blocks the hand-over must not cut."""
    types = {t.type for text in generated(600) for t in _one_parse(_body(text))[0]}
    hidden = any(t.hidden for text in generated(600) for t in _one_parse(_body(text))[0])
    assert {"blockquote_open", "bullet_list_open", "ordered_list_open", "fence", "code_block", "math_block",
            "html_block", "footnote_reference_open", "heading_open", "table_open", "hr"} <= types
    assert hidden  # tight lists: their paragraphs are marked hidden after the list is parsed
    assert any("\r" in text for text in generated(600))
    assert any(re.search(r"^\[链接\]:", text, re.M) for text in generated(600))
