"""The inline model: what a Markdown fragment holds, as markdown-it-py's own inline parser reads it.

Build's refusal, `check` and the machine-translation placeholders all ask this module, so they cannot
disagree with each other or with a CommonMark reader: `[^1]:` in mid-line is a footnote reference,
`<主机名或 IP>` is text, and `[text][label](x)` is a reference link followed by the text "(x)" when the
article defines `[label]`. What CommonMark does not know is found by pattern, in what the parser left
as text: Hugo shortcodes (masked before parsing, as extraction does), a shortcode delimiter outside a
complete shortcode (Hugo's page lexer reads `{{<` before any Markdown, even in a code span, and fails the
site on a lone one), heading attribute lists (`{#id}`, `{.class}`) and bare URLs, `www.` names and e-mail
addresses (Hugo's linkify turns them into links).

`parse(text, references)` gives a `Markup`: the located `pieces` (what machine translation must not
touch, with the link brackets and emphasis markers whose text it translates) and the `inventory`, a
multiset per kind that a translation must keep (see `KEPT`) or must not grow (see `NOT_ADDED`).
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

from ..format import Piece

# A shortcode may span lines but not a blank line (an unclosed `{{<` must not swallow paragraphs).
SHORTCODE = re.compile(r"\{\{<(?:(?!\n[ \t]*\r?\n).)*?>\}\}|\{\{%(?:(?!\n[ \t]*\r?\n).)*?%\}\}", re.DOTALL)
# A heading's attribute list as Hugo reads it at the end of a heading (`{#id}`, `{.class}`, `{key=value}`, on by
# default): carried verbatim, so that a translation can neither change an anchor nor add a class or attribute
HEADING_ANCHOR = re.compile(r"\{[ \t]*(?:#[^}\s]+|\.[^{}\n]*|[A-Za-z_][\w:.-]*[ \t]*=)[^{}\n]*\}")
BARE_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>()\[\]]+", re.IGNORECASE)
# What Hugo's linkify (on by default) turns into a link in text: a URL, a `www.` name, an e-mail address; each
# of ASCII URL characters, not ending with punctuation (as linkify trims it: `see www.a.com.`), and read in the
# source as in its translation, whatever precedes it (`访问www.a.com` has it too). Compared as `address_key`
# spells them. A URL's piece of text runs on to the next space (`_URL_TAIL`): a Chinese path copied with it
# (`/wiki/人工智能`) is no Chinese left in the prose.
_URL_BODY = r"[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]*[A-Za-z0-9\-_~/#@$&+=%]"
LINKIFIED = re.compile(rf"(?<![A-Za-z0-9])(?:https?|ftp)://{_URL_BODY}|(?<![A-Za-z0-9./:@+-])www\.{_URL_BODY}"
                       r"|(?<![A-Za-z0-9_.+/:-])[A-Za-z0-9_.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+", re.IGNORECASE)
_URL_TAIL = re.compile(r"[^\s<>()\[\]]*[^\s<>()\[\].,:;!?'\"*_~。，、；：！？）」』】》]")

# `{{<`, `{{%` (Hugo's comment form `{{</*` included), `>}}` and `%}}` standing alone
# (see `_Recorder._shortcode_delimiters`)
SHORTCODE_DELIMITER = re.compile(r"\{\{[<%]|[>%]\}\}")
MASK = "\ue000"  # stands in for shortcode characters while parsing; never markup, never a letter

# a translation keeps these as they are
KEPT = ("footnote", "url", "label", "code", "math", "html", "shortcode", "delimiter", "anchor")
NOT_ADDED = ("unsafe", "backtick", "bare-url", "emphasis")  # a translation must not add these (losing them is fine)
_KINDS = KEPT + NOT_ADDED  # the order of a Markup's inventory

# a fragment without any of these holds no markup at all
_ANY_MARKUP = re.compile(r"[\[<`*_~\\&{\n\r@]|://|(?i:www\.)|\}\}|\$[^$]+\$")
# Left as text by the parser: an unclosed tag, or the opener of an unclosed comment, processing instruction,
# declaration or CDATA section. Raw HTML binds tighter than brackets: with a closer in the next segment of
# the run (an image's title after its alt text), Hugo would read one raw HTML span across both.
_TAG_START = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*|<!--|<\?|<![A-Za-z]|<!\[CDATA\[")
_UNSAFE_TAG = re.compile(r"<\s*(script|iframe|object|embed)\b", re.IGNORECASE)
_EVENT_ATTRIBUTE = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
_ATTRIBUTE_VALUE = re.compile(r"=\s*[\"']?([^\"'\s>]*)")
_UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_ATOMS = {"newline": "break", "escape": "escape", "backticks": "code", "autolink": "autolink",
          "html_inline": "html", "entity": "entity", "footnote_ref": "footnote", "math_inline": "math"}
_DELIMITERS = ("emphasis", "strikethrough")
# Found by pattern in the text runs, each with the substrings it cannot match without; `<` for unclosed tags
_IN_TEXT = ((HEADING_ANCHOR, "anchor", ("{",)), (LINKIFIED, "bare-url", ("://", "www.", "WWW.", "@")))
_IN_TEXT_NEEDS = re.compile("|".join(re.escape(one) for _, _, needs in _IN_TEXT for one in needs) + "|<")
_START = attrgetter("start")
_OPEN_TYPES = {"em_open", "strong_open", "s_open"}
_CLOSE_TYPES = {"em_close", "strong_close", "s_close"}


def address_key(address: str) -> str:
    """One spelling per address: case and a final `/` change nothing (`https://OpenAI.com/` is `https://openai.com`)."""
    return address.casefold().rstrip("/")


@dataclass(frozen=True)
class References:
    """An article's link reference definitions (`[label]: url "title"`): what `[text][label]` resolves to."""

    definitions: tuple[tuple[str, str, str], ...] = ()  # (normalized label, href, title), sorted

    @classmethod
    def from_env(cls, env: dict[str, Any]) -> References:
        """From the `env` of markdown-it's block parse, which collects the definitions."""
        return cls(tuple(sorted((label, ref["href"], ref.get("title") or "")
                                for label, ref in env.get("references", {}).items())))

    def env(self) -> dict[str, Any]:
        return {"references": {label: {"href": href, "title": title} for label, href, title in self.definitions}}


NO_REFERENCES = References()


@dataclass(frozen=True)
class Markup:
    text: str
    pieces: tuple[Piece, ...] = ()
    inventory: dict[str, Counter] = field(default_factory=dict)

    def count(self, kind: str) -> Counter:
        return self.inventory.get(kind) or Counter()

    def prose(self) -> str:
        """The text a reader reads: code, URLs, reference labels, tags, shortcodes... blanked out."""
        out, pos = [], 0
        for piece in self.pieces:
            if piece.role != "open" and piece.kind not in ("emphasis", "escape", "entity", "break"):
                out += [self.text[pos:piece.start], " "]
                pos = piece.end
        out.append(self.text[pos:])
        return "".join(out)


def parse(text: str, references: References = NO_REFERENCES) -> Markup:
    """The markup of `text` (a segment's msgid or a translation) in an article with these `references`."""
    if not _ANY_MARKUP.search(text):
        return Markup(text)  # plain prose, the common case: no parser needed
    return _parse(text, references)


# Check judges each text again right after render did, within an article: 2,048 parses cover an article of
# 1,000 entries; a longer one's texts (tens of thousands) would only be held, never read again.
@lru_cache(maxsize=2_048)
def _parse(text: str, references: References) -> Markup:
    shortcodes = [(m.start(), m.end()) for m in SHORTCODE.finditer(text)] if "{{" in text else []
    masked = SHORTCODE.sub(lambda m: MASK * len(m.group(0)), text) if shortcodes else text
    env = references.env()
    recorder = env["l10n"] = _Recorder(masked)
    md = _parser()
    md.inline.parse(masked, md, env, [])
    return recorder.markup(text, shortcodes)


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """`_reader()` with its inline rules behind one that records what they read (see `_reading`), and its text
    rule stopping only where one of them can start (`_TEXT_STOP`)."""
    md = _reader()
    rules = [(rule.name, rule.fn) for rule in md.inline.ruler.__rules__ if rule.enabled and rule.name != "text"]
    md.inline.ruler.disable([name for name, _ in rules])
    md.inline.ruler.after("text", "l10n", _reading(rules))
    md.inline.terminator_re = _TEXT_STOP  # (markdown-it-py >= 4.2; older ones stop at every punctuation mark)
    return md


def _reader() -> MarkdownIt:
    """The inline rules of extraction's parser (commonmark, table, footnote, dollarmath), as Hugo reads text.

    Footnote references count whatever the article defines (a reference to an undefined label is still
    one a translation must keep); inline math is read as Pandoc reads it (no space inside the dollars, no
    digit after the closing one), so `$5 and $6`, `$5-$10` and `US$5` stay money while `$a < b$` is a
    formula a translation carries like a code span (Hugo renders `$` as text, for a math script to read);
    every URL scheme is a link (Hugo links `javascript:` too, so it must be seen to be refused).
    """
    md = (MarkdownIt("commonmark").enable(["table", "strikethrough"])
          .use(footnote_plugin, inline=False, always_match_refs=True)
          .use(dollarmath_plugin, allow_space=False, allow_digits=False))
    md.disable(["fragments_join"], ignoreInvalid=True)
    # markdown-it-py's documented way to customise these is to assign them on the instance:
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.normalizeLink = md.normalizeLinkText = lambda url: url  # type: ignore[method-assign,assignment]
    return md


# The characters each inline rule can start at (it answers False anywhere else, see test_inline_triggers).
_TRIGGERS = {"newline": "\n", "escape": "\\", "backticks": "`", "strikethrough": "~", "emphasis": "*_",
             "link": "[", "image": "!", "footnote_ref": "[", "autolink": "<", "html_inline": "<", "entity": "&",
             "math_inline": "$"}
# Where markdown-it's `text` rule stops: where a rule may start, and at `]`, where a link label's scan looks for
# its end. It reads the text between the same (every rule answers False there; the pending text is one run) in
# one call instead of a round of every rule at each punctuation mark.
_TEXT_STOP = re.compile("[" + re.escape("".join(sorted(set("".join(_TRIGGERS.values())) | {"]"}))) + "]")


def _reading(rules: list[tuple[str, Any]]):
    """One inline rule in place of `rules`: it tries, in their order, those that can start at the current
    character, and tells the parse's recorder where each construct it reads starts and ends in the source."""
    by_char: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    for name, rule in rules:
        for char in _TRIGGERS[name]:  # a rule without triggers is one this model does not know
            by_char[char].append((name, rule))

    def read(state, silent: bool) -> bool:
        candidates = by_char.get(state.src[state.pos])
        if not candidates:
            return False
        recorder = None if silent else state.env.get("l10n")
        if recorder is None or state.src is not recorder.src:  # validating, or an image's alt text (part of it)
            return any(rule(state, silent) for _, rule in candidates)
        start, first = state.pos, len(state.tokens) + bool(state.pending)
        for name, rule in candidates:
            if rule(state, False):
                recorder.saw(name, state, start, first)
                return True
        return False
    return read


class _Recorder:
    """Collects the pieces of one parse as the rules run, then turns them into a `Markup`."""

    def __init__(self, src: str):
        self.src = src
        self.pieces: list[Piece] = []
        self.delimiters: list[tuple[Any, int, bool]] = []  # (token, position, could open or close)
        self.inventory: defaultdict[str, Counter[str]] = defaultdict(Counter)  # a Counter for each kind seen

    def saw(self, name: str, state, start: int, first: int) -> None:
        """Rule `name` read src[start:state.pos] into the tokens from state.tokens[first] on."""
        src, end, found = self.src, state.pos, self.inventory
        tokens = state.tokens[first:]
        if name in _DELIMITERS:
            flanking = _flanking(state, first)
            position = start
            for index, token in enumerate(tokens, first):
                self.delimiters.append((token, position, flanking.get(index, False)))
                position += len(token.content)
        elif name in ("link", "image"):
            opener = start + (2 if name == "image" else 1)
            label_end = state.md.helpers.parseLinkLabel(state, opener - 1, name == "link")
            closer = src[label_end:end]
            label = None
            if not closer.startswith("]("):
                raw = closer[2:-1] if closer.startswith("][") and closer != "][]" else src[opener:label_end]
                label = normalizeReference(raw)
                found["label"][label] += 1
                closer = f"][{raw}]"
            self.pieces += [Piece("link", start, opener, "open"),
                            Piece("link", label_end, end, "close", value=closer)]
            token = next(t for t in tokens if t.type in ("link_open", "image"))
            url = token.attrs.get("href" if name == "link" else "src", "")
            found["url"][url] += 1
            self._unsafe_url(url)
        elif name in _ATOMS:
            if not tokens:  # the rule read the characters as text: an unmatched backtick run, a lone `\\`
                if name == "backticks":
                    found["backtick"][src[start:end]] += 1
                return
            kind = _ATOMS[name]
            if kind == "break" and tokens and tokens[-1].type == "hardbreak":
                start = len(src[:start].rstrip(" "))
            self.pieces.append(Piece(kind, start, end))
            raw = src[start:end]
            if kind == "footnote":
                found["footnote"][raw[2:-1]] += 1
            elif kind in ("code", "math"):
                found[kind][raw] += 1
            elif kind == "html":
                found["html"][raw] += 1
                self._unsafe_html(raw)
            elif kind == "autolink":
                url = raw[1:-1]
                found["url"][url] += 1
                self._unsafe_url(url)

    def markup(self, text: str, shortcodes: list[tuple[int, int]]) -> Markup:
        found = self.inventory
        self._emphasis()
        if shortcodes:
            self.pieces += [Piece("shortcode", s, e) for s, e in shortcodes]
            found["shortcode"].update(text[s:e] for s, e in shortcodes)
        self.pieces.sort(key=_START)
        if _IN_TEXT_NEEDS.search(self.src):
            self._in_text()
        if "{{" in self.src or "}}" in self.src:
            self._shortcode_delimiters()
        return Markup(text, _paired(self.pieces), {k: found[k] for k in _KINDS if found.get(k)})

    def _in_text(self) -> None:
        """What the parser left as text but Hugo reads as markup (`_IN_TEXT`), and unclosed tags."""
        found, in_link = self.inventory, _within(_link_spans([p for p in self.pieces if p.kind == "link"]))
        for start, end in list(self._text_runs()):  # (the runs between the pieces found so far)
            run = self.src[start:end]
            for pattern, kind, needs in _IN_TEXT:
                for match in pattern.finditer(run) if any(one in run for one in needs) else ():
                    where = (start + match.start(), start + match.end())
                    if kind == "bare-url" and in_link(where[0]):
                        continue  # a link's text, not a bare URL
                    found[kind][address_key(match.group(0)) if kind == "bare-url" else match.group(0)] += 1
                    address = match.group(0).casefold()
                    if kind == "bare-url" and ("://" in address or address.startswith("www.")) \
                            and (tail := _URL_TAIL.match(run, match.end())):  # a URL, not an e-mail address
                        where = (where[0], start + tail.end())
                    self.pieces.append(Piece(kind, *where))
            for match in _TAG_START.finditer(run) if "<" in run else ():
                found["unsafe"][f"unclosed tag {match.group(0)}"] += 1
        self.pieces.sort(key=_START)

    def _shortcode_delimiters(self) -> None:
        """Shortcode delimiters outside complete shortcodes (those are masked in `src`): Hugo's page lexer
        starts a shortcode at each `{{<` or `{{%` wherever it stands, code spans included, so each counts
        (a piece only where nothing else covers it: a code span already keeps its characters)."""
        runs = list(self._text_runs())
        for match in SHORTCODE_DELIMITER.finditer(self.src):
            self.inventory["delimiter"][match.group(0)] += 1
            if any(start <= match.start() and match.end() <= end for start, end in runs):
                self.pieces.append(Piece("delimiter", *match.span()))
        self.pieces.sort(key=_START)

    def _emphasis(self) -> None:
        """Markers the parser paired become open/close pieces; flanking ones left unpaired are counted."""
        for token, position, flanking in self.delimiters:
            if token.type in _OPEN_TYPES:  # markdown-it opens `**`, `__` on their second character, `~~` on its first
                start = position if token.type == "s_open" else position + 1 - len(token.markup)
                self.pieces.append(Piece("emphasis", start, start + len(token.markup), "open"))
            elif token.type in _CLOSE_TYPES:
                self.pieces.append(Piece("emphasis", position, position + len(token.markup), "close"))
            elif token.content and flanking:
                self.inventory["emphasis"][token.content[0]] += len(token.content)

    def _text_runs(self):
        """The stretches of the source no piece covers: what the parser read as plain text."""
        pos = 0
        for piece in self.pieces:
            if piece.start > pos:
                yield pos, piece.start
            pos = max(pos, piece.end)
        if pos < len(self.src):
            yield pos, len(self.src)

    def _unsafe_url(self, url: str) -> None:
        scheme = _CONTROL.sub("", url).lower()
        for unsafe in _UNSAFE_SCHEMES:
            if scheme.startswith(unsafe):
                self.inventory["unsafe"][f"{unsafe} URL"] += 1

    def _unsafe_html(self, tag: str) -> None:
        unsafe = self.inventory["unsafe"]
        for name in _UNSAFE_TAG.findall(tag):
            unsafe[f"<{name.lower()}>"] += 1
        if _EVENT_ATTRIBUTE.search(tag):
            unsafe["on*= attribute"] += 1
        for value in _ATTRIBUTE_VALUE.findall(html.unescape(tag)):
            self._unsafe_url(value)


def _flanking(state, first: int) -> dict[int, bool]:
    """Whether each marker token from state.tokens[first] on could open or close emphasis. The rule appended
    a delimiter for each marker token it pushed (none for a lone `~`), after those of the tokens before: they
    are found from the end, not in all the delimiters of the fragment (which would take quadratic time)."""
    flanking = {}
    for delimiter in reversed(state.delimiters):
        if delimiter.token < first:
            break
        flanking[delimiter.token] = delimiter.open or delimiter.close
    return flanking


def _link_spans(brackets: list[Piece]) -> list[tuple[int, int]]:
    """(start, end) of each link or image, from its bracket pieces in document order."""
    spans, stack = [], []
    for piece in brackets:
        if piece.role == "open":
            stack.append(piece.start)
        elif stack:
            spans.append((stack.pop(), piece.end))
    return spans


def _within(spans: list[tuple[int, int]]):
    """A test of whether a position lies in any of `spans` (start, end), in log time (links may nest images)."""
    starts: list[int] = []
    ends: list[int] = []
    for start, end in sorted(spans):  # merged into disjoint spans
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return lambda position: (i := bisect_right(starts, position) - 1) >= 0 and position < ends[i]


def _paired(pieces: list[Piece]) -> tuple[Piece, ...]:
    """`pieces` with each close knowing its open (links and emphasis nest properly: a stack per kind)."""
    stacks: dict[str, list[int]] = {}
    out = []
    for i, piece in enumerate(pieces):
        if piece.role == "open":
            stacks.setdefault(piece.kind, []).append(i)
        elif piece.role == "close":
            piece = Piece(piece.kind, piece.start, piece.end, "close", stacks[piece.kind].pop(), piece.value)
        out.append(piece)
    return tuple(out)
