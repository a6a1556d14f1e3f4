"""Hiding what must survive machine translation verbatim behind opaque placeholders, and putting it back.

`protect` replaces shortcodes, code spans, HTML tags, URLs, footnote references, `{#id}` anchors,
link brackets, emphasis markers, escapes and hard line breaks (and glossary terms, for engines that
take no glossary) with `<x id="N"/>`, a tag every engine we ship leaves alone. `restore` accepts
what engines do to such tags (spaces, case, HTML escaping), refuses a reply that lost, invented or
reordered one, and puts each piece back, closing up the spaces an engine adds inside `**` or `[...]`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .markup import AUTOLINK, BARE_URL, CODE_SPAN, FOOTNOTE_REF, HEADING_ANCHOR, HTML_TAG, INLINE_LINK, SHORTCODE

_FOUND = re.compile(r"(?:<|&lt;)\s*x\s+id\s*=\s*(?:\"|'|&quot;|&#34;)?\s*(\d+)\s*(?:\"|'|&quot;|&#34;)?\s*/?\s*"
                    r"(?:>|&gt;)", re.IGNORECASE)
_ATOMS = (SHORTCODE, CODE_SPAN, HTML_TAG, AUTOLINK, BARE_URL, FOOTNOTE_REF, HEADING_ANCHOR,
          re.compile(r"\\[!-/:-@\[-`{-~]"),  # backslash escapes
          re.compile(r"(?: {2,}|\\)?\n"))  # line breaks, hard or kept
_EMPHASIS = re.compile(r"\*{1,3}|_{2,3}|~~")


class PlaceholderMismatch(ValueError):
    """The engine's reply does not carry every placeholder exactly once, in a possible order."""


@dataclass(frozen=True)
class Slot:
    value: str  # written back: the source markup, or the glossary's translation of a term
    kind: str = "atom"  # atom, open / close (link brackets: no space inside), emphasis, term (a word: spaced)
    pair: int = 0  # for a `close`: the number of its `open`


@dataclass(frozen=True)
class Protected:
    text: str  # what is sent
    slots: tuple[Slot, ...]  # slot i stands for placeholder i + 1

    @property
    def sendable(self) -> bool:
        """False when nothing but placeholders, spaces and punctuation is left: no need to ask an engine."""
        return any(ch.isalpha() for ch in _FOUND.sub("", self.text))


def placeholder(number: int) -> str:
    return f'<x id="{number}"/>'


def protect(text: str, terms: list[tuple[int, int, str]] = ()) -> Protected:
    """`text` with its verbatim pieces, and the `(start, end, translation)` terms given, as placeholders."""
    spans: list[tuple[int, int, Slot]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e, _ in spans)

    for pattern in _ATOMS[:3]:  # shortcodes, code and HTML come before links: they may contain `](`
        spans += [(m.start(), m.end(), Slot(m.group(0))) for m in pattern.finditer(text) if free(*m.span())]
    for link in INLINE_LINK.finditer(text):
        opener = _opening_bracket(text, link.start())
        if opener is not None and free(opener, opener + 1) and free(*link.span()):
            if opener > 0 and text[opener - 1] == "!" and free(opener - 1, opener):
                opener -= 1
            spans.append((opener, text.index("[", opener) + 1, Slot(text[opener:text.index("[", opener) + 1],
                                                                     "open")))
            spans.append((link.start(), link.end(), Slot(link.group(0), "close")))
    for pattern in _ATOMS[3:]:
        spans += [(m.start(), m.end(), Slot(m.group(0))) for m in pattern.finditer(text) if free(*m.span())]
    spans += [(s, e, Slot(target, "term")) for s, e, target in terms if free(s, e)]
    spans += [(m.start(), m.end(), Slot(m.group(0), "emphasis")) for m in _EMPHASIS.finditer(text)
              if free(*m.span())]
    spans.sort(key=lambda span: span[0])
    numbers = {id(slot): i + 1 for i, (_, _, slot) in enumerate(spans)}
    slots = tuple(Slot(slot.value, "close", numbers[id(spans[_opener_of(spans, i)][2])]) if slot.kind == "close"
                  else slot for i, (_, _, slot) in enumerate(spans))
    out, pos = [], 0
    for number, (start, end, _) in enumerate(spans, 1):
        out += [text[pos:start], placeholder(number)]
        pos = end
    out.append(text[pos:])
    return Protected("".join(out), slots)


def restore(translation: str, protected: Protected) -> str:
    """The reply with every placeholder replaced by what it stands for; `PlaceholderMismatch` if one is off."""
    found = [(m, int(m.group(1))) for m in _FOUND.finditer(translation)]
    got, want = Counter(n for _, n in found), Counter(range(1, len(protected.slots) + 1))
    if got != want:
        lost, extra = sorted((want - got).elements()), sorted((got - want).elements())
        raise PlaceholderMismatch(f"placeholders lost: {lost}, invented or repeated: {extra}")
    position = {n: i for i, (_, n) in enumerate(found)}
    emphasis_seen: Counter = Counter()
    out, pos, last = [], 0, "atom"
    for match, number in found:
        slot = protected.slots[number - 1]
        before, kind = translation[pos:match.start()], slot.kind
        if kind == "close" and position[slot.pair] > position[number]:
            raise PlaceholderMismatch("a link's closing bracket came back before its opening one")
        if kind == "emphasis":  # the same marker alternates: opening, closing, opening...
            kind = "open" if emphasis_seen[slot.value] % 2 == 0 else "close"
            emphasis_seen[slot.value] += 1
        if kind == "close":
            before = before.rstrip(" ")
        if last == "open":
            before = before.lstrip(" ")
        if _word_end(out[-1] if not before and out else before) and kind == "term" and _word_start(slot.value) \
                or last == "term" and _word_end(out[-1]) and _word_start(before or slot.value):
            before = " " + before  # 英伟达H20 hidden as two terms: "Nvidia H20", not "NvidiaH20"
        out += [before, slot.value]
        pos, last = match.end(), kind
    tail = translation[pos:]
    if last == "term" and _word_end(out[-1]) and _word_start(tail):
        tail = " " + tail
    out.append(tail.lstrip(" ") if last == "open" else tail)
    return "".join(out)


def _word_start(text: str) -> bool:
    return text[:1].isascii() and text[:1].isalnum()


def _word_end(text: str) -> bool:
    return text[-1:].isascii() and text[-1:].isalnum()


def _opening_bracket(text: str, close: int) -> int | None:
    """Where the `[` matching the `]` at `close` is (link text may hold brackets), or None."""
    depth = 0
    for i in range(close - 1, -1, -1):
        if text[i] == "]" and (i == 0 or text[i - 1] != "\\"):
            depth += 1
        elif text[i] == "[" and (i == 0 or text[i - 1] != "\\"):
            if depth == 0:
                return i
            depth -= 1
    return None


def _opener_of(spans: list[tuple[int, int, Slot]], index: int) -> int:
    """The index of the `open` span a `close` span belongs to: the nearest unmatched one before it."""
    depth = 0
    for i in range(index - 1, -1, -1):
        kind = spans[i][2].kind
        if kind == "close":
            depth += 1
        elif kind == "open":
            if depth == 0:
                return i
            depth -= 1
    raise AssertionError("a link close without its open")
