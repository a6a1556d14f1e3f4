"""What in an article is translated: segments, each with its msgid, location and write-back syntax.

The body is parsed with markdown-it-py at block level only (inline parsing is not needed and is the
slow part); each inline run is then located in the source lines, so container syntax (`> `, `1.  `,
`|`, `[^7]: `) stays outside the msgid and a translation replaces exactly the characters it stands for.
The parse hands its tokens over a top-level block at a time (`_parse_blocks`) and they are dropped once
read: a long article's token list, many times its size, never exists whole.

Nothing is skipped silently: a parse the nesting limit cut short is an error, and after extraction
every Han character of the body must lie in a segment or where text stays as it is (code, math,
URLs, comments, shortcodes, labels). The rest is a `Leftover`: a documented limit (HTML blocks,
link reference titles) is reported as a warning, anything else is an error naming the line. The
same scan run on a built article finds the Chinese an English edition keeps (`check`: han-output).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

from ...document import EOL, Document
from ...errors import L10nError
from ...segment import TITLE, Segment
from ..format import Leftover
from .frontmatter import parse_front_matter
from .inline import MASK, References
from .markup import AUTOLINK, BARE_URL, CODE_SPAN, HEADING_ANCHOR, INLINE_LINK, SHORTCODE, has_words

MAX_NESTING = 100  # markdown-it levels (a list level counts two); deeper, Python recursion gets risky
_IMAGE = re.compile(r"!\[((?:\\.|[^\]\\])*)\](?:\((?:[^()\s]|\([^()]*\))*(?:\s+\"((?:\\.|[^\"\\])*)\")?\)|\[[^\]]*\])?")
_IMAGES_ONLY = re.compile(rf"\s*(?:{_IMAGE.pattern}\s*)+")
_TRAILING_ANCHOR = re.compile(r"[ \t]*" + HEADING_ANCHOR.pattern + r"$")
_TASK = re.compile(r"\[[ xX]\](?:[ \t]+|$)")  # GFM task list box: list syntax, not text
_CODE_BLOCKS = {"fence", "code_block", "math_block", "math_block_label"}
# parsed by a nested block run
_CONTAINERS = {"blockquote_open", "list_item_open", "footnote_reference_open", "dd_open"}
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
# Inline places where Han stays as written: code, URLs, anchors, footnote and link labels.
_VERBATIM = (CODE_SPAN, INLINE_LINK, AUTOLINK, BARE_URL, HEADING_ANCHOR, re.compile(r"\[\^[^\]\s]+\]:?"),
             re.compile(r"\]\[[^\]]*\]"))
# A link reference definition: `[label]: url` (verbatim), then an optional title (shown to readers).
_LINK_DEFINITION = re.compile(r"^[ \t>]*\[(?:\\.|[^\]\\])+\]:[ \t]*(?:<[^>\n]*>|\S+)")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@dataclass(frozen=True)
class Body:
    """The block parse of an article's body: what a translated edition must keep (see `render.refusals`)."""

    start: int  # offset of the body in the text (after the front matter)
    structure: tuple  # `block_structure` of the source
    references: References  # the link reference definitions, which resolve `[text][label]`


@dataclass
class Extraction:
    segments: list[Segment]  # in document order
    leftovers: list[Leftover]  # in document order
    body: Body


def extract_text(doc: Document, keys: tuple[str, ...], shortcode_params: tuple[str, ...], *,
                 verify: bool = True) -> Extraction:
    """The segments of `doc`, and the Han text left outside them.

    With `verify`, text left outside for no documented reason is an error: extraction must not lose
    text silently. Without (checking a built article), it is returned like the rest.
    """
    try:
        front = parse_front_matter(doc.text, keys)
    except L10nError as exc:
        raise exc.located(doc.path) from None
    segments = [
        Segment(f.value, f"front matter: {f.key}", doc.line_of(f.start), f.start, f.end, f.syntax,
                kind="front matter", key=f.key if f.index is None else f"{f.key}[{f.index}]",
                role=TITLE if f.key == "title" else "")
        for f in (front.fields if front else ())
    ]
    body_start = front.end if front else 0
    body_segments, places, body = _body_segments(doc, body_start, shortcode_params)
    segments += body_segments
    segments.sort(key=lambda s: s.start)
    # Spans must not overlap, or build would write garbage; an overlap is a bug, so fail loudly.
    for before, after in zip(segments, segments[1:]):
        if after.start < before.end:
            raise L10nError("two segments overlap here (please report this as a bug)", doc.path, after.line)
    leftovers = _leftovers(doc, body_start, segments, places) if HAN.search(doc.text, body_start) else []
    missed = [left for left in leftovers if not left.limit]
    if verify and missed:
        more = f" (and {len(missed) - 1} more)" if len(missed) > 1 else ""
        raise L10nError(missed[0].message() + more, doc.path, missed[0].line)
    return Extraction(segments, leftovers, body)


def extract_segments(doc: Document, keys: tuple[str, ...], shortcode_params: tuple[str, ...]) -> list[Segment]:
    """All segments of `doc` in document order (verified: see `extract_text`)."""
    return extract_text(doc, keys, shortcode_params).segments


def block_structure(text: str, body_start: int) -> tuple:
    """What a translation must keep of the body of `text`: its link reference definitions (first), then its
    block tokens without the text of inline runs (see `_Shapes`)."""
    shapes = _Shapes()
    env = _parse_blocks(_mask_shortcodes(text, body_start), body_start, shapes)
    return shapes.structure(env)


class _Shapes:
    """The items of a `block_structure`, read a few blocks at a time: the block tokens, after the article's
    link reference definitions (markdown-it keeps those in `env`, not in the tokens, and a definition a
    translation adds or changes makes `[text]` a link elsewhere). An inline run is kept without its text but
    with what Hugo reads in it that markdown-it does not (`hugo_reading`). Equal items are one tuple: most
    tokens (a paragraph's opening, its inline run, its closing) are alike, and a long article's structure
    stays small while it is kept for build's comparisons."""

    def __init__(self) -> None:
        self._items: list[tuple] = []
        self._alike: dict[tuple, tuple] = {}

    def __call__(self, tokens: list[Token]) -> None:
        alike = self._alike
        self._items += [
            alike.setdefault(item, item) for item in (
                (t.type, t.tag, t.nesting, hugo_reading(t.content) if t.type == "inline" else t.markup, t.info,
                 t.hidden, tuple(t.attrs.items()), t.meta.get("label") if t.meta else None,
                 None if t.type == "inline" else t.content)
                for t in tokens)]

    def structure(self, env: dict) -> tuple:
        return (REFERENCES, References.from_env(env).definitions), *self._items


REFERENCES = "link_reference_definitions"  # the first item of a `block_structure`
# How goldmark (Hugo) reads a text block where markdown-it reads text: `[x]` at its start is a task list
# checkbox (in a list item's first paragraph; `[x]foo` too); a line of it starting `: ` is a definition of
# the lines before, which become terms (goldmark lets a definition interrupt a paragraph and stand however
# many blank lines after it; markdown-it's definition lists do neither); a line of pipes and dashes is a
# table's delimiter row, the line before its header (goldmark takes header rows markdown-it refuses, such as
# one with more cells). Recorded for every run: a translation that makes one where its source did not is
# judged to change the blocks.
HUGO_STARTS = {"a task list checkbox ([x])": re.compile(r"\[[\sxX]\]")}
HUGO_LINES = {
    "definition (': ')": (":", re.compile(r"(?:^|\n)[ \t]*:[ \t]+\S")),
    "table delimiter row ('|---|')": ("|", re.compile(r"(?:^|\n)[ \t]*(?=[^\n]*\|)(?=[^\n]*-)[|: \t-]+(?=\n|$)")),
}


def hugo_reading(text: str) -> str:
    """What goldmark reads in inline run `text` that markdown-it does not (see `HUGO_STARTS`), or ""."""
    found = []
    if text[:1] == "[":
        found += [name for name, pattern in HUGO_STARTS.items() if pattern.match(text)][:1]
    for name, (needs, pattern) in HUGO_LINES.items():
        if needs in text and (count := len(pattern.findall(text))):
            found.append(f"a {name}" if count == 1 else f"{count} × {name}")
    return " and ".join(found)


_CONSUMERS = "l10n.consumers"  # where `_parse_blocks` puts its consumers in markdown-it's env


def _parse_blocks(text: str, body_start: int, *consumers: Callable[[list[Token]], None]) -> dict:
    """The block parse of the body of `text` (from `body_start`, a line's start or the end), its tokens
    handed to each of `consumers` in document order, a top-level block at a time (each list is dropped
    after: a consumer keeps what it needs, not the list), their lines counted from the start of `text`.
    Returns markdown-it's env (the link reference definitions).

    The body is parsed where it stands, from its first line on, not copied out of `text` first: a block
    rule reads its lines from its first on, never one before, so the lines above are never read.
    """
    first_line = len(EOL.findall(text, 0, body_start))  # markdown-it's lines: after `normalize`, LF ends them
    empty = body_start >= len(text)
    if "\r" in text or "\0" in text:  # markdown-it's `normalize`, which copies every text (see `_parser`)
        text = re.sub(r"\r\n?", "\n", text).replace("\0", "\ufffd")
    env: dict = {_CONSUMERS: consumers}
    tokens: list[Token] = []
    state = StateBlock(text, _parser(), env, tokens)
    if not empty:
        state.md.block.tokenize(state, first_line, state.lineMax)
    for consume in consumers:
        consume(tokens)  # the blocks after the last hand-over
    del env[_CONSUMERS]
    return env


def _hand_over(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A block rule that matches nothing. It runs before every block; before a top-level one, it hands the
    tokens of the blocks before to the parse's consumers and drops them. They are final: no rule changes
    or reads the tokens of a block once the next top-level block starts (a list marks its paragraphs tight
    before its rule returns; the footnote tail, which gathers definitions, is off)."""
    consumers = state.env.get(_CONSUMERS)
    if state.level == 0 and state.tokens and consumers:
        for consume in consumers:
            consume(state.tokens)
        state.tokens.clear()
    return False


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING})
    # Hugo's goldmark reads definition lists (`Term` then `: definition`) by default; the plugin reads `~` as
    # a marker too, and an indented `:`, which goldmark does not: a translation is suspected of more, not less.
    md.enable(["table"]).use(footnote_plugin).use(dollarmath_plugin).use(deflist_plugin)
    # Block structure is all we need: `_parse_blocks` runs the block parser alone (none of the core rules:
    # footnote definitions stay where they stand, unreferenced ones too), and normalises line endings and
    # NUL itself, only when there are any.
    md.block.ruler.before(md.block.ruler.get_all_rules()[0], "l10n_hand_over", _hand_over)
    return md


def _mask_shortcodes(text: str, start: int) -> str:
    """`text` with shortcodes from `start` on hidden; a line holding only shortcodes becomes blank."""
    def hide(match: re.Match) -> str:
        return "".join(ch if ch in "\r\n" else MASK for ch in match.group(0))

    if MASK not in text and not SHORTCODE.search(text, start):
        return text  # the common case: no copy of a long text
    masked = text[:start] + SHORTCODE.sub(hide, text[start:])
    if MASK not in masked:
        return masked
    return "".join(
        " " * len(line) if line.strip(" \t" + MASK) == "" and MASK in line else line
        for line in re.split(r"(\r\n|\r|\n)", masked)
    )


class LineSet:
    """A set of 0-based line numbers, a byte per line of the article: a set of ints would weigh some
    fifty times more, and a long article's would be held while it is parsed."""

    def __init__(self) -> None:
        self._marks = bytearray()

    def update(self, lines: range) -> None:
        if lines.stop > len(self._marks):
            self._marks.extend(bytes(lines.stop - len(self._marks)))
        self._marks[lines.start:lines.stop] = b"\1" * len(lines)

    def __contains__(self, line: int) -> bool:
        return 0 <= line < len(self._marks) and self._marks[line] == 1

    def __eq__(self, other: object) -> bool:
        """The same lines marked (however far each was sized)."""
        return isinstance(other, LineSet) and self._marks.rstrip(b"\0") == other._marks.rstrip(b"\0")


@dataclass
class _Places:
    """Where the body parse put what, for finding the text no segment holds (0-based line numbers)."""

    masked: str  # the text with shortcodes hidden
    code_lines: LineSet = field(default_factory=LineSet)  # code and math blocks
    html_lines: LineSet = field(default_factory=LineSet)  # HTML blocks
    block_lines: LineSet = field(default_factory=LineSet)  # any leaf block (the rest: link definitions, blanks)


def _body_segments(doc: Document, body_start: int,
                   shortcode_params: tuple[str, ...]) -> tuple[list[Segment], _Places, Body]:
    masked = _mask_shortcodes(doc.text, body_start)
    reader, shapes = _BlockReader(doc, masked), _Shapes()
    env = _parse_blocks(masked, body_start, reader, shapes)
    segments = reader.segments
    taken = [(s.start, s.end) for s in segments]
    segments += [p for p in _shortcode_params(doc, body_start, shortcode_params, reader.places.code_lines)
                 if not any(start <= p.start < end for start, end in taken)]
    return segments, reader.places, Body(body_start, shapes.structure(env), References.from_env(env))


class _BlockReader:
    """The segments of a body and the `_Places` of its blocks, read from its block tokens as the parse
    hands them over (see `_parse_blocks`)."""

    def __init__(self, doc: Document, masked: str) -> None:
        self.doc, self.masked = doc, masked
        self.segments: list[Segment] = []
        self.places = _Places(masked)
        self._open: list[Token] = []  # the blocks the next token stands in, outermost first
        self._cell_from = 0  # where the last table cell ended: the row's next cell starts after it (and a
        # later row after its own line's start, which `_locate_cell` takes if later)

    def __call__(self, tokens: list[Token]) -> None:
        places, stack = self.places, self._open
        for token in tokens:
            if token.nesting == 0 and token.map:
                lines = range(*token.map)
                places.block_lines.update(lines)
                if token.type == "html_block":
                    places.html_lines.update(lines)
            if token.nesting == 1:
                if token.level >= MAX_NESTING - 1 and token.type in _CONTAINERS:  # the parser skips what it holds
                    assert token.map is not None  # a container's opening token has its lines
                    raise L10nError(f"Markdown nested more than {MAX_NESTING} levels deep here (a list level "
                                    "counts two): the parser would drop the text below; flatten the nesting",
                                    self.doc.path, token.map[0] + 1)
                stack.append(token)
            elif token.nesting == -1:
                stack.pop()
            elif token.type in _CODE_BLOCKS and token.map:
                places.code_lines.update(range(*token.map))
            elif token.type == "inline" and token.map:
                self._inline(token, token.map[0])

    def _inline(self, token: Token, line: int) -> None:
        """The segment(s) of an inline run starting on 0-based `line`."""
        doc, masked, stack = self.doc, self.masked, self._open
        parent = stack[-1]
        if parent.type in ("th_open", "td_open"):
            found = _locate_cell(doc, masked, line, token.content, self._cell_from)
            if found:
                self._cell_from = found[1]
                kind = "table header" if parent.type == "th_open" else "table cell"
                self.segments += _segment(doc, [found], kind, "table-cell")
            return
        if parent.type == "dt_open":
            pieces = _locate_lines(doc, masked, line, token.content, atx=False)
            self.segments += _segment(doc, pieces, "definition term", "block", masked)
            return
        heading = parent.type == "heading_open"
        pieces = _locate_lines(doc, masked, line, token.content, atx=heading and parent.markup.startswith("#"))
        if heading and pieces:
            s, e = pieces[-1]
            anchor = _TRAILING_ANCHOR.search(doc.text, s, e)
            pieces[-1] = (s, anchor.start() if anchor else e)
        kind, label = ("heading", "") if heading else _container(stack)
        if kind == "list item" and pieces and (task := _TASK.match(doc.text, pieces[0][0], pieces[0][1])):
            pieces[0] = (task.end(), pieces[0][1])
        self.segments += _segment(doc, pieces, kind, "heading" if heading else "block", masked, label)


def _leftovers(doc: Document, body_start: int, segments: list[Segment], places: _Places) -> list[Leftover]:
    """Han runs of the body outside every segment and every place where text stays as written. A shortcode
    stays as written but for the parameters offered as segments: Han elsewhere in it (a positional parameter,
    one not in `shortcode_params`) is a known limit, reported like an HTML block's."""
    masked = places.masked  # shortcodes hidden (a line of only shortcodes blanked)
    found: list[Leftover] = []
    for run in han_outside(doc.text, body_start, segments):
        index = doc.line_of(run.start()) - 1
        if index in places.code_lines:
            continue
        line_start, line_end = doc.line_span(index)
        line = masked[line_start:line_end]
        at = run.start() - line_start
        if index in places.html_lines and _in_comment(doc, masked, places.html_lines, index, run.start()):
            continue
        if masked[run.start()] != doc.text[run.start()]:  # hidden: in a shortcode
            line, limit = doc.text[line_start:line_end], "shortcode parameter"
        elif index in places.html_lines:
            limit = "HTML block"
        elif index not in places.block_lines and (definition := _LINK_DEFINITION.match(line)):
            if at < definition.end():
                continue  # the label or URL: an identifier
            limit = "link title"
        elif any(m.start() <= at < m.end() for pattern in _VERBATIM for m in pattern.finditer(line)):
            continue
        else:
            limit = ""
        if found and found[-1].line == index + 1 and found[-1].limit == limit:
            continue  # one report per line is enough
        text = line.strip()
        found.append(Leftover(index + 1, text if len(text) <= 60 else text[:59] + "…", limit))
    return found


def han_outside(text: str, body_start: int, segments: list[Segment]) -> Iterator[re.Match]:
    """The Han runs of `text` from `body_start` on in the gaps between `segments` (in order, none empty, none
    overlapping): a run ends where a segment starts. Gap by gap, not in a copy of the text with the segments
    blanked out."""
    pos = body_start
    for segment in segments:
        if segment.start >= body_start:
            yield from HAN.finditer(text, pos, segment.start)
            pos = segment.end
    yield from HAN.finditer(text, pos)


def _in_comment(doc: Document, masked: str, html_lines: LineSet, index: int, offset: int) -> bool:
    """Whether `offset` on HTML block line `index` lies inside an HTML comment of that block."""
    first = last = index
    while first - 1 in html_lines:
        first -= 1
    while last + 1 in html_lines:
        last += 1
    start, end = doc.line_span(first)[0], doc.line_span(last)[1]
    return any(m.start() <= offset < m.end() for m in _COMMENT.finditer(masked, start, end))


def _container(stack: list[Token]) -> tuple[str, str]:
    """The kind of block an inline run stands in, and the label of the footnote it is in ("" if none)."""
    for token in reversed(stack):
        if token.type == "list_item_open":
            return "list item", ""
        if token.type == "blockquote_open":
            return "blockquote", ""
        if token.type == "footnote_reference_open":
            return "footnote", token.meta["label"]
        if token.type == "dd_open":
            return "definition", ""
    return "paragraph", ""


def _locate_lines(doc: Document, masked: str, first: int, content: str, atx: bool) -> list[tuple[int, int]]:
    """The (start, end) of each content line of an inline run in the source text."""
    pieces = []
    for i, content_line in enumerate(content.split("\n")):
        wanted = content_line.strip(" \t")
        if not wanted:
            continue
        line_start, line_end = doc.line_span(first + i)
        line = masked[line_start:line_end]
        if atx:
            after_marker = line.index("#")
            after_marker += len(line) - after_marker - len(line[after_marker:].lstrip("#"))
            at = line.find(wanted, after_marker)
        else:
            stop = len(line.rstrip(" \t"))
            at = stop - len(wanted) if line[:stop].endswith(wanted) else line.find(wanted)
        if at < 0:
            raise L10nError("cannot locate this text in the source line (please report this as a bug)",
                            doc.path, first + i + 1)
        pieces.append((line_start + at, line_start + at + len(wanted)))
    return pieces


def _locate_cell(doc: Document, masked: str, line: int, content: str, pos: int) -> tuple[int, int] | None:
    """A table cell's span; markdown-it unescapes `\\|` in cell content, the source keeps it."""
    wanted = content.strip()
    if not wanted:
        return None
    line_start, line_end = doc.line_span(line)
    pattern = "".join(r"\\\|" if ch == "|" else re.escape(ch) for ch in wanted)
    match = re.compile(pattern).search(masked, max(line_start, pos), line_end)
    if match is None:
        raise L10nError("cannot locate this table cell in the source (please report this as a bug)",
                        doc.path, line + 1)
    return match.start(), match.end()


def _segment(doc: Document, pieces: list[tuple[int, int]], kind: str, syntax: str,
             masked: str = "", label: str = "") -> list[Segment]:
    """Join located pieces into one segment (or image alt segments for a paragraph of images); a piece left
    empty by stripping syntax (a task box or `{#id}` alone on its line) is no text."""
    pieces = [piece for piece in pieces if piece[0] < piece[1]]
    if not pieces:
        return []
    text = doc.text
    parts = []
    for (start, end), following in zip(pieces, pieces[1:] + [None]):
        part = text[start:end]
        if following is not None:
            _, line_end = doc.line_span(doc.line_of(end) - 1)
            trailing = text[end:line_end]
            if part.endswith("\\") or (len(trailing) >= 2 and not trailing.strip(" ")):
                part += trailing + "\n"  # hard line break: kept, it is part of the text
            elif _is_wide(part[-1]) and _is_wide(text[following[0]]):
                pass  # soft break between CJK characters: joined without space
            else:
                part += " "
        parts.append(part)
    msgid = "".join(parts)
    start, end = pieces[0][0], pieces[-1][1]
    if not has_words(msgid):
        return []
    if syntax == "block" and _IMAGES_ONLY.fullmatch(msgid):
        return [
            Segment(m.group(group), kind, doc.line_of(m.start(group)), m.start(group), m.end(group), syntax,
                    kind=kind)
            for m in _IMAGE.finditer(text, start, end)
            for group, kind, syntax in ((1, "image alt text", "image-alt"), (2, "image title", "image-title"))
            if m.group(group) and has_words(m.group(group))
        ]
    line_start, _ = doc.line_span(doc.line_of(start) - 1)
    prefix = re.sub(r"[^>\s]", " ", masked[line_start:start]) if syntax == "block" else ""
    return [Segment(msgid, f"footnote [^{label}]" if label else kind, doc.line_of(start), start, end, syntax, prefix,
                    kind=kind, key=f"^{label}" if label else "", depth=prefix.count(">"))]


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


# A named parameter's value as Hugo reads it: "quoted" (backslash escapes) or `raw` (no escapes, may span lines).
_PARAM = r'(?<![\w-])({names})[ \t]*=[ \t]*(?:"((?:[^"\\\n]|\\.)*)"|`([^`]*)`)'
_PARAM_SYNTAX = {2: "quoted", 3: "raw"}  # the group of `_PARAM` a value is in -> its segment's syntax


def _shortcode_params(doc: Document, body_start: int, names: tuple[str, ...], code_lines: LineSet) -> list[Segment]:
    """Human-visible shortcode parameters (caption="...", alt=`...`) as their own segments."""
    if not names:
        return []
    param = re.compile(_PARAM.format(names="|".join(map(re.escape, names))))
    segments = []
    for shortcode in SHORTCODE.finditer(doc.text, body_start):
        if doc.line_of(shortcode.start()) - 1 in code_lines:
            continue
        named = re.match(r"\{\{[<%]/?\*?\s*([\w./-]*)", shortcode.group(0))
        assert named is not None  # SHORTCODE matched `{{<` or `{{%`
        name = named.group(1)
        for match in param.finditer(doc.text, shortcode.start(), shortcode.end()):
            group = 2 if match.group(2) is not None else 3
            if has_words(value := match.group(group)):
                what = f"shortcode {name}: {match.group(1)}"
                segments.append(Segment(value, what, doc.line_of(match.start(group)), match.start(group),
                                        match.end(group), _PARAM_SYNTAX[group], kind=what))
    return segments
