"""How alike a source segment and a segment of an existing translation are: what survives translation.

A translator rewrites every word, but keeps footnote references, link destinations, code spans,
numbers (read as values: 10亿美元 = $1 billion), Latin-script names, glossary terms, the kind of
block and its nesting, and writes about 3.8 English characters per Chinese character (calibrated
on the example article and the check fixtures: mean log ratio 0.24 around 3×, spread 0.13).
Features are computed once per segment (`features`), so scoring a pair (`compare`) is only set
and counter arithmetic, cheap enough for a dynamic-programming alignment.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from .checks.numbers import read_chinese, read_english
from .formats import Inline
from .glossary import Glossary
from .segment import Segment

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
EN_PER_HAN, EN_PER_OTHER = 3.8, 1.2  # expected English characters per source character
# Latin-script words, read from the lower-cased text (one `lower` per text, not one per word).
_LATIN = re.compile(r"[a-z][a-z0-9.+-]*[a-z0-9+]|[a-z]{2,}|\d*[a-z]+\d+[a-z0-9]*")
_SENTENCE_ZH = re.compile(r"[。！？!?]+[”’」』）)\"']*")
_SENTENCE_EN = re.compile(r"[.!?]+[”’)\"']*(?=\s|$)")
@dataclass(frozen=True)
class Features:
    kind: str  # heading, paragraph, list item, blockquote, table cell, footnote, front matter, ...
    nesting: int  # blockquote depth
    marks: Counter  # footnote references, URLs, code spans, HTML tags, shortcodes, reference labels
    firm: frozenset  # numbers the text states firmly
    values: frozenset  # every number it states, loosely too
    latin: frozenset  # Latin-script words (names, acronyms), lower-cased
    terms: tuple  # source only: accepted translations of each glossary term found
    length: float  # English: characters of prose; source: expected English characters
    sentences: int
    han: bool  # the text holds Chinese characters

    def __add__(self, other: Features) -> Features:
        """Two consecutive segments taken together (a paragraph split or merged in translation)."""
        marks = self.marks + other.marks if self.marks and other.marks else self.marks or other.marks
        return Features(self.kind, self.nesting, marks, self.firm | other.firm,
                        self.values | other.values, self.latin | other.latin, self.terms + other.terms,
                        self.length + other.length, self.sentences + other.sentences, self.han or other.han)


def kind_of(segment: Segment) -> str:
    return "table cell" if segment.kind == "table header" else segment.kind


def features(segment: Segment, source: bool, inline: Inline, glossary: Glossary | None = None,
             lang: str = "en") -> Features:
    """What survives translation of `segment`, computed once: a plain fragment takes the inline model's
    fast path (no parser), numbers are read only around digits and numerals."""
    text = segment.msgid
    marks = inline.carried(text)
    words = inline.prose(text)
    firm, values = _numbers(words, source)
    latin = frozenset(_LATIN.findall(words.lower()))
    if source:
        han = len(HAN.findall(words))
        length = EN_PER_HAN * han + EN_PER_OTHER * (len(words.strip()) - han)
        terms = tuple(tuple(t.lower() for t in term.accepted(lang)) for _, _, term in glossary.matches(words)
                      if term.translate and term.accepted(lang)) if glossary and han else ()
        sentences = len(_SENTENCE_ZH.findall(words))
    else:
        han = HAN.search(words) is not None
        length = float(len(words.strip()))
        terms = ()
        sentences = len(_SENTENCE_EN.findall(words))
    return Features(kind_of(segment), segment.depth, marks, firm, values, latin, terms, length,
                    sentences, han > 0)


_ZH_NUMBER_HINT = re.compile(r"[0-9０-９十百千万亿〇零两]+|季度")
_EN_NUMBER_HINT = re.compile(r"[0-9]+")


def _numbers(words: str, source: bool) -> tuple[frozenset, frozenset]:
    """(firm, all) values the text states, read only around the places where a number can be.

    The readers of `checks.numbers` scan with one large pattern, which costs more than everything
    else here, so only windows are read: in Chinese 4 characters before each digit or numeral (百分之,
    第, 数) and 6 after (年代, 个百分点); in English (firm values need digits) the word before the
    digits' word (a month, `US$`) and the two after (a scale, `percent`, `percentage points`), so no
    word is cut. Windows that touch are read as one (`50 to 100 million`). Their caches are bypassed:
    each text is read once here, and a cache would only flatter the benchmark.
    """
    if source:
        reader = read_chinese.__wrapped__
        spans: list[list[int]] = []
        for match in _ZH_NUMBER_HINT.finditer(words):
            start, end = max(0, match.start() - 4), match.end() + 6
            if spans and start <= spans[-1][1]:
                spans[-1][1] = end
            else:
                spans.append([start, end])
    else:
        reader = read_english.__wrapped__
        spans = []
        for match in _EN_NUMBER_HINT.finditer(words):
            start = words.rfind(" ", 0, max(0, match.start() - 1)) + 1
            end = match.end()
            for _ in range(3):  # the rest of the digits' word, and two more
                end = words.find(" ", end + 1)
                if end < 0:
                    end = len(words)
                    break
            if spans and start <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], end)
            else:
                spans.append([start, end])
    firm: set = set()
    values: set = set()
    for start, end in spans:
        reading = reader(words[start:end])
        firm.update(reading.firm)
        values.update(reading.values)
    return frozenset(firm), frozenset(values)


# Weights, in units where a plausible pair scores above 0 (skipping a segment scores 0).
KIND_MATCH, KIND_MISMATCH = 1.0, -4.0
MARK_HIT, MARK_MISS = 1.5, -2.0
NUMBER_HIT, NUMBER_MISS, NUMBER_EXTRA = 1.0, -1.0, -0.5
LATIN_HIT, LATIN_MISS = 0.4, -0.4
TERM_HIT, TERM_MISS = 0.4, -0.2
SENTENCE_MISS = 0.3
LENGTH_DOUBT = 2.6  # standard deviations


def sigma(expected: float) -> float:
    """Spread of log(English length / expected): wide for short texts, about 0.16 for long ones."""
    return 0.12 + 1.2 / math.sqrt(expected + 4.0)


def compare(src: Features, tgt: Features, tgt_text: str = "", doubts: list[str] | None = None) -> float:
    """Score of `tgt` being the translation of `src`; with `doubts`, also why it might not be."""
    score = KIND_MATCH if src.kind == tgt.kind else KIND_MISMATCH
    if doubts is not None and src.kind != tgt.kind:
        doubts.append(f"a {src.kind} in the source, a {tgt.kind} in the translation")
    if src.nesting != tgt.nesting:
        score -= 1.0
        if doubts is not None:
            doubts.append("nested differently")
    if src.marks or tgt.marks:
        common, differ = _overlap(src.marks, tgt.marks)
        score += MARK_HIT * common + MARK_MISS * differ
        if doubts is not None and differ:
            doubts.append("footnote references, links, code or labels differ")
    if src.firm or tgt.firm:
        missing = len(src.firm - tgt.values)
        extra = len(tgt.firm - src.values)
        score += NUMBER_HIT * (len(src.firm) - missing) + NUMBER_MISS * missing + NUMBER_EXTRA * extra
        hits = len(src.firm) - missing
        if doubts is not None and (missing > hits or (extra and not hits)):
            doubts.append("numbers differ")  # more differ than agree: a translator's fix is not a doubt
    if src.latin:
        hits = len(src.latin & tgt.latin)
        score += LATIN_HIT * hits + LATIN_MISS * (len(src.latin) - hits)
    if src.terms and tgt_text:
        lowered = tgt_text.lower()
        hits = sum(1 for accepted in src.terms if any(a in lowered for a in accepted))
        score += TERM_HIT * hits + TERM_MISS * (len(src.terms) - hits)
    if src.length > 0 and tgt.length > 0:
        z = math.log(tgt.length / src.length) / sigma(src.length)
        score += 1.0 - min(z * z, 36.0) / 2.0
        if doubts is not None:
            if abs(z) > LENGTH_DOUBT:
                doubts.append(f"{'longer' if z > 0 else 'shorter'} than a translation usually is")
            elif z < -1.0 and tgt.sentences < src.sentences:
                doubts.append("fewer sentences and shorter: a sentence may be missing")
            elif z > 1.0 and tgt.sentences > src.sentences + 1:
                doubts.append("more sentences and longer: text may have been added")
    elif src.length != tgt.length:
        score -= 2.0
    if src.sentences or tgt.sentences:  # translators mostly keep sentences: a soft hint, not a doubt
        score -= SENTENCE_MISS * min(abs(src.sentences - tgt.sentences), 3)
    if tgt.han and doubts is not None:
        doubts.append("Chinese text in the translation")
    return score


def _overlap(ours: Counter, theirs: Counter) -> tuple[int, int]:
    """(items both hold, items only one holds) of two multisets with positive counts: what `&` and `-` of
    Counters count, without building the three Counters (`compare` runs for every cell of the alignment)."""
    common = differ = 0
    for item, count in ours.items():
        other = theirs.get(item, 0)
        common += min(count, other)
        differ += abs(count - other)
    for item, count in theirs.items():
        if item not in ours:
            differ += count
    return common, differ
