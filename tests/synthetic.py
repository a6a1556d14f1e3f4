"""Synthetic English editions with a known answer, and the changes human translators make to them.

`synth` is a deterministic pseudo-translation that behaves like an English translation where an
aligner can see it: markup, URLs, code and Latin names kept, numbers rewritten the English way
as values (10亿 -> 1,000,000,000; 2025年6月19日 -> June 19, 2025; 百分之三十 -> 30%), sentence
ends kept, about 3.5 characters per Chinese character. `Perturbation`s then edit
a built English file as translators do, and say which source entries they touch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from l10n.checks.numbers import read_chinese
from l10n.document import decode_document
from l10n.formats.markdown.markup import AUTOLINK, BARE_URL, CODE_SPAN, FOOTNOTE_REF, HTML_TAG, INLINE_LINK, SHORTCODE
from l10n.formats.markdown.segmenter import extract_segments
from l10n.segment import Segment

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
SYLLABLES = ("kal", "mor", "tis", "ven", "dra", "pel", "sun", "gow", "rik", "lam", "bes", "nod", "fay", "hut")
INLINE_MATH = re.compile(r"(?<![\\\d])\$[^$\s](?:[^$]*[^$\s])?\$(?!\d)")  # `$E=mc^2$`, as the inline model reads it
_KEPT = (SHORTCODE, CODE_SPAN, INLINE_LINK, AUTOLINK, BARE_URL, HTML_TAG, FOOTNOTE_REF, INLINE_MATH)  # never rewritten
_KEEP = re.compile("|".join(f"(?:{p.pattern})" for p in _KEPT), re.DOTALL)
_MONTHS = "January February March April May June July August September October November December".split()
_PUNCT = str.maketrans({"，": ", ", "。": ". ", "！": "! ", "？": "? ", "：": ": ", "；": "; ", "、": ", ",
                        "“": "“", "”": "”", "（": " (", "）": ") ", "《": "“", "》": "”", "【": "[", "】": "]"})


def synth(text: str) -> str:
    """The known 'translation' of a msgid: prose rewritten, markup and hard line breaks kept verbatim."""
    lines = []
    for line in text.split("\n"):
        brk = re.search(r"(  |\\)$", line)
        lines.append(_line(line[:brk.start()] if brk else line) + (brk.group(0) if brk else ""))
    return "\n".join(lines)


def _line(text: str) -> str:
    out, pos = [], 0
    for match in _KEEP.finditer(text):
        out.append(_prose(text[pos:match.start()]))
        kept = match.group(0)
        out.append(kept)
        pos = match.end()
    out.append(_prose(text[pos:]))
    result = "".join(out)
    result = re.sub(r"[ \t]{2,}", " ", re.sub(r" +([,.!?:;)”])", r"\1", result))
    return result.strip(" ") or text


def _english_value(value: tuple) -> str:
    kind, number = value
    if kind == "date":
        y, m, d = number
        return " ".join(str(p) for p in (_MONTHS[m - 1], f"{d}," if d and y else d, y) if p)
    if kind == "quarter":
        return f"Q{number}"
    if kind == "ordinal":
        return f"No. {number}"
    if kind == "decade":
        return f"{number:02d}s"
    text = f"{number:,f}"
    return text + "%" if kind == "%" else text


def _prose(text: str) -> str:
    reading = read_chinese(text)
    for value, words in sorted(reading.firm.items(), key=lambda kv: -len(kv[1])):
        if words in text:
            text = text.replace(words, f" {_english_value(value)} ", 1)

    def words(match: re.Match) -> str:
        run = match.group(0)
        sylls = [SYLLABLES[(ord(ch) * 7 + i) % len(SYLLABLES)] for i, ch in enumerate(run)]
        return " " + " ".join("".join(sylls[k:k + 2]) for k in range(0, len(sylls), 2)) + " "

    return HAN.sub(words, text).translate(_PUNCT)


@dataclass
class Perturbation:
    """An edit of an English file, the source msgids whose translation it changes, and the new lines."""

    name: str
    text: str  # the edited English file
    touched: set[str] = field(default_factory=set)  # source msgids whose translation changed
    added_line: int | None = None  # a line the English edition gained (must be reported as unplaced)


def _segments(text: str, keys: tuple[str, ...], params: tuple[str, ...]) -> list[Segment]:
    return extract_segments(decode_document(text.encode(), "en.md"), keys, params)


def _top_paragraphs(segs: list[Segment]) -> list[Segment]:
    return [s for s in segs if s.comment == "paragraph" and not s.prefix and "\n" not in s.msgid]


_SENTENCE = re.compile(r"(?<=[.!?]) (?=[A-Z“])")


def perturb(kind: str, text: str, keys, params, source_of: dict[str, str]) -> Perturbation | None:
    """Apply one kind of change to the English `text`; `source_of` maps English msgids to source msgids.

    Returns None when the file offers no place for this kind of change.
    """
    segs = _segments(text, keys, params)
    paragraphs = _top_paragraphs(segs)
    if kind == "split":
        for s in paragraphs:
            cuts = [m.start() for m in _SENTENCE.finditer(s.msgid)]
            if cuts:
                cut = s.start + cuts[len(cuts) // 2]
                return Perturbation(kind, text[:cut] + "\n\n" + text[cut + 1:], {source_of[s.msgid]})
    if kind == "merge":
        for a, b in zip(paragraphs, paragraphs[1:]):
            if text[a.end:b.start] == "\n\n" and source_of[a.msgid] != source_of[b.msgid]:
                return Perturbation(kind, text[:a.end] + " " + text[b.start:],
                                    {source_of[a.msgid], source_of[b.msgid]})
    if kind == "drop-sentence":
        for s in paragraphs:
            sentences = _SENTENCE.split(s.msgid)
            if 2 <= len(sentences) <= 4:
                longest = max(range(len(sentences)), key=lambda k: len(sentences[k]))
                kept = " ".join(x for k, x in enumerate(sentences) if k != longest)
                return Perturbation(kind, text[:s.start] + kept + text[s.end:], {source_of[s.msgid]})
    if kind == "add-paragraph" and paragraphs:
        s = paragraphs[len(paragraphs) // 2]
        line = text.count("\n", 0, s.end) + 3
        added = ("\n\nThe English edition adds this paragraph of its own, with a note for readers abroad "
                 "that the source never had.")
        return Perturbation(kind, text[:s.end] + added + text[s.end:], set(), line)
    if kind == "swap-items":
        items = [s for s in segs if s.comment == "list item" and "\n" not in s.msgid]
        for a, b in zip(items, items[1:]):
            between = text[a.end:b.start]
            if between.count("\n") == 1 and a.msgid != b.msgid and source_of[a.msgid] != source_of[b.msgid]:
                swapped = text[:a.start] + b.msgid + text[a.end:b.start] + a.msgid + text[b.end:]
                return Perturbation(kind, swapped, {source_of[a.msgid], source_of[b.msgid]})
    if kind in ("swap-paragraphs", "swap-named-paragraphs"):
        # Two neighbouring paragraphs given in the other order, the pair most alike in length: with no Latin
        # name or number in either (only their length tells them apart), or told apart by one.
        def wanted(a: Segment, b: Segment) -> bool:
            first, second = _telling(source_of[a.msgid]), _telling(source_of[b.msgid])
            return first != second if kind == "swap-named-paragraphs" else not first and not second

        blocks = [s for s in segs if s.comment == "paragraph" and not s.prefix]  # hard-wrapped ones too
        pairs = [(a, b) for a, b in zip(blocks, blocks[1:]) if text[a.end:b.start] == "\n\n"
                 and source_of[a.msgid] != source_of[b.msgid] and wanted(a, b)]
        if pairs:
            a, b = min(pairs, key=lambda ab: abs(len(ab[0].msgid) - len(ab[1].msgid)) / len(ab[0].msgid))
            swapped = text[:a.start] + text[b.start:b.end] + "\n\n" + text[a.start:a.end] + text[b.end:]
            return Perturbation(kind, swapped, {source_of[a.msgid], source_of[b.msgid]})
    if kind == "rename-label":
        for s in segs:
            match = re.search(r"\]\[([^\]\^\n][^\]\n]*)\]", s.msgid)  # [text][label], not [^1][^2]
            if match and re.search(rf"^\[{re.escape(match.group(1))}\]:", text, re.MULTILINE):
                label = match.group(1)
                edited = text.replace(f"][{label}]", f"][{label}-en]")
                edited = re.sub(rf"^\[{re.escape(label)}\]:", f"[{label}-en]:", edited, flags=re.MULTILINE)
                return Perturbation(kind, edited, {source_of[s.msgid]})
    return None


def _telling(source: str) -> frozenset:
    """The Latin names and numbers of a source text: what tells its translation from a neighbour's."""
    return frozenset(re.findall(r"[A-Za-z][\w.+-]*", source)) | frozenset(read_chinese(source).firm)


KINDS = ("split", "merge", "drop-sentence", "add-paragraph", "swap-items", "swap-paragraphs",
         "swap-named-paragraphs", "rename-label")
