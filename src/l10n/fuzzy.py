"""The previous msgid closest to a changed one, found in linear time.

Scoring every new msgid against every old one is quadratic: after an edit of every paragraph of a
long article, extract took minutes. Only a few candidates are scored: the old msgids around the
place the new one takes in the text (edits keep the order), or else, as msgmerge's fuzzy index
does (gettext's msgl-fsearch.c), those sharing the most character n-grams with it (text that
moved). The score is msgmerge's: 2 x longest common subsequence / total length (rapidfuzz's
Indel similarity, computed in C; difflib's ratio approximates it at a hundred times the cost).
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from functools import cached_property

from rapidfuzz.distance import Indel

GRAM = 2  # bigrams: a Chinese word is one or two characters, so an edit spares most of them
WINDOW = 8  # old msgids scored on each side of the place a new msgid takes
SHORTLIST = 8  # old msgids scored among those sharing the most n-grams
BUDGET = 512  # posting entries read per lookup, rarest n-grams first: repetitive text cannot make it linear


def similarity(a: str, b: str, cutoff: float = 0.0) -> float:
    """msgmerge's similarity of two msgids, 0 to 1 (0 when below `cutoff`)."""
    return Indel.normalized_similarity(a, b, score_cutoff=cutoff)


class FuzzyIndex:
    """Old msgids, in document order; indexed by their n-grams when first needed."""

    def __init__(self, msgids: list[str], threshold: float):
        self.msgids, self.threshold = msgids, threshold

    def closest(self, msgid: str, near: int) -> int | None:
        """The position of the old msgid most similar to `msgid`, if one reaches the threshold.

        `near` is where `msgid` would stand among the old msgids if the text kept its order, as edits
        do: the old msgids around it are scored first, nearest first, and the whole catalog is
        searched only if none of them reaches the threshold. Among equals the nearest wins, so
        repeated, near-identical paragraphs keep their own translations.
        """
        around = sorted(range(max(0, near - WINDOW), min(len(self.msgids), near + WINDOW + 1)),
                        key=lambda number: abs(number - near))
        found = self._best(msgid, around)
        return found if found is not None else self._best(msgid, self._sharing(msgid, near))

    def _best(self, msgid: str, candidates: list[int]) -> int | None:
        best, best_score = None, self.threshold
        for number in candidates:
            score = similarity(msgid, self.msgids[number], best_score)
            if score > best_score or (best is None and score == best_score):
                best, best_score = number, score
        return best

    @cached_property
    def postings(self) -> dict[str, list[int]]:
        """n-gram -> the old msgids holding it, in order."""
        postings: dict[str, list[int]] = defaultdict(list)
        for number, msgid in enumerate(self.msgids):
            for gram in _grams(msgid):
                postings[gram].append(number)
        return postings

    def _sharing(self, msgid: str, near: int) -> list[int]:
        """The old msgids sharing the most n-grams with `msgid` (nearest to `near` first among equals)."""
        postings = sorted((self.postings[g] for g in _grams(msgid) if g in self.postings), key=len)
        shared: Counter[int] = Counter()
        budget = BUDGET
        for posting in postings:
            if len(posting) > budget and shared:
                break  # the rest are common n-grams: they add cost, not discrimination
            shared.update(posting[:budget])
            budget -= len(posting)
        if not shared:
            return []
        least = heapq.nlargest(SHORTLIST, shared.values())[-1]  # on plain counts first: cheap
        best = sorted((-count, abs(number - near), number) for number, count in shared.items() if count >= least)
        return [number for *_, number in best[:SHORTLIST]]


def _grams(text: str) -> set[str]:
    """The distinct n-grams of `text` with its ends marked, so even a one-character msgid has some."""
    padded = f"\x02{text}\x03"
    return {padded[i:i + GRAM] for i in range(len(padded) - GRAM + 1)}
