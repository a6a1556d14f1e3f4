"""Hiding what must survive machine translation verbatim behind opaque placeholders, and putting it back.

`protect` asks the article's format (`Inline.pieces`, the reading build and check judge with) what a
segment holds and replaces each piece with `<x id="N"/>`, a tag every engine we ship leaves alone: shortcodes,
code spans, HTML tags, autolinks and bare URLs, footnote references, `{#id}` anchors, escapes, entities
and line breaks whole; of a link or image, the `[` and the `](url)` or `][label]` around its text, which
is translated; emphasis markers. A reference label is never translated: `[label]` and `[label][]` come
back as `[translated text][label]`. Glossary terms, for engines that take no glossary, are hidden too;
a term overlapping markup or a longer (or equally long, earlier-listed) term is dropped.
`restore` accepts what engines do to such tags (spaces, case, HTML escaping), refuses a reply that lost,
invented or reordered one, and puts each piece back, closing up the spaces an engine adds inside `**`
or `[...]`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from ..formats import NO_ARTICLE, Inline

_FOUND = re.compile(r"(?:<|&lt;)\s*x\s+id\s*=\s*(?:\"|'|&quot;|&#34;)?\s*(\d+)\s*(?:\"|'|&quot;|&#34;)?\s*/?\s*"
                    r"(?:>|&gt;)", re.IGNORECASE)


class PlaceholderMismatch(ValueError):
    """The engine's reply does not carry every placeholder exactly once, in a possible order."""


@dataclass(frozen=True)
class Slot:
    value: str  # written back: the source markup, or the glossary's translation of a term
    kind: str = "atom"  # atom; open / close (link brackets, emphasis markers: no space inside); term (a word: spaced)
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


def protect(text: str, terms: Sequence[tuple[int, int, str]] = (), inline: Inline = NO_ARTICLE) -> Protected:
    """`text` with its markup, and the `(start, end, translation)` terms given, as placeholders."""
    pieces = inline.pieces(text)
    spans: list[tuple[int, int, int | str]] = [(p.start, p.end, i) for i, p in enumerate(pieces)]
    spans += _kept_terms(terms, [(p.start, p.end) for p in pieces])
    spans.sort(key=lambda span: span[0])
    number = {what: n for n, (_, _, what) in enumerate(spans, 1) if isinstance(what, int)}  # piece -> placeholder
    slots = []
    for start, end, what in spans:
        if isinstance(what, str):
            slots.append(Slot(what, "term"))
        else:
            piece = pieces[what]
            value = piece.value if piece.value is not None else text[start:end]
            slots.append(Slot(value, piece.role, number.get(piece.pair, 0)))
    out, pos = [], 0
    for n, (start, end, _) in enumerate(spans, 1):
        out += [text[pos:start], placeholder(n)]
        pos = end
    out.append(text[pos:])
    return Protected("".join(out), tuple(slots))


def _kept_terms(terms: Sequence[tuple[int, int, str]], taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """The terms that overlap neither markup (`taken`) nor each other: one span, one placeholder. Of
    overlapping terms the longest is kept (140亿美元 the amount over 美元 the glossary term), of equally long
    ones the earliest listed (a term the first request hid over the same span found again)."""
    kept: list[tuple[int, int, str]] = []
    for s, e, target in sorted(terms, key=lambda term: term[0] - term[1]):  # stable: earlier-listed first on ties
        if all(e <= start or s >= end for start, end in taken):
            kept.append((s, e, target))
            taken.append((s, e))
    return kept


def restore(translation: str, protected: Protected) -> str:
    """The reply with every placeholder replaced by what it stands for; `PlaceholderMismatch` if one is off."""
    found = [(m, int(m.group(1))) for m in _FOUND.finditer(translation)]
    got, want = Counter(n for _, n in found), Counter(range(1, len(protected.slots) + 1))
    if got != want:
        lost, extra = sorted((want - got).elements()), sorted((got - want).elements())
        raise PlaceholderMismatch(f"placeholders lost: {lost}, invented or repeated: {extra}")
    position = {n: i for i, (_, n) in enumerate(found)}
    out: list[str] = []
    pos, last = 0, "atom"
    for match, number in found:
        slot = protected.slots[number - 1]
        before, kind = translation[pos:match.start()], slot.kind
        if kind == "close" and position[slot.pair] > position[number]:
            raise PlaceholderMismatch("a link's closing bracket or an emphasis marker came back before its opening one")
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
