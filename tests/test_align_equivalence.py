"""The alignment's faster internals decide exactly as the previous ones did.

`_dynamic_before` is the banded dynamic programme as it was before it stored only the band and left
skips unscored (kept here verbatim as the oracle, adapted only to take the step scores as `gain`);
`_marks_before` is the Counter arithmetic `compare` used. Both are compared with today's code on
adversarial inputs (random score tables full of ties and impossible steps, random multisets) and, for
the whole alignment, on the fixture corpus with synthetic English editions edited at random.
"""

from __future__ import annotations

import dataclasses
import random
from collections import Counter
from pathlib import Path

import pytest

import l10n.align as align_module
from l10n.align import _MOVES, BAND, align_segments
from l10n.align_score import _overlap
from l10n.document import decode_document
from l10n.formats import format_for
from l10n.formats.markdown.segmenter import extract_segments
from l10n.glossary import GLOSSARY_FILE, Glossary
from synthetic import synth
from test_align import CORPUS_FILES, KEYS, REPO


def _dynamic_before(n, m, step_gain, band):
    """The previous `align._dynamic` (the oracle)."""
    width = band + abs(n - m)
    low = [max(0, i * m // n - width) for i in range(n + 1)]
    high = [min(m, i * m // n + width) for i in range(n + 1)]
    inf = float("-inf")
    gains: dict[tuple[int, int, int, int], float] = {}

    def gain(i: int, j: int, di: int, dj: int) -> float:
        if not (di and dj):
            return 0.0
        key = (i, j, di, dj)
        value = gains.get(key)
        if value is None:
            value = gains[key] = step_gain(i, j, di, dj)
        return value

    def inside(i: int, j: int) -> bool:
        return 0 <= i <= n and low[i] <= j <= high[i]

    ahead = [[inf] * (m + 1) for _ in range(n + 1)]
    back: dict[tuple[int, int], tuple[int, int]] = {}
    ahead[0][0] = 0.0
    for i in range(n + 1):
        row = ahead[i]
        for j in range(low[i], high[i] + 1):
            best, came = row[j], None
            for di, dj in _MOVES:
                pi, pj = i - di, j - dj
                if pi < 0 or pj < 0 or not inside(pi, pj) or ahead[pi][pj] == inf:
                    continue
                value = ahead[pi][pj] + gain(pi, pj, di, dj)
                if value > best:
                    best, came = value, (pi, pj)
            if came is not None:
                row[j], back[(i, j)] = best, came
    if ahead[n][m] == inf:
        return [((i,), ()) for i in range(n)], [0.0] * n
    behind = [[inf] * (m + 1) for _ in range(n + 1)]
    behind[n][m] = 0.0
    for i in range(n, -1, -1):
        row = behind[i]
        for j in range(high[i], low[i] - 1, -1):
            best = row[j]
            for di, dj in _MOVES:
                ni, nj = i + di, j + dj
                if ni > n or nj > m or not inside(ni, nj) or behind[ni][nj] == inf:
                    continue
                value = gain(i, j, di, dj) + behind[ni][nj]
                if value > best:
                    best = value
            row[j] = best
    steps = []
    at = (n, m)
    while at != (0, 0):
        prev = back[at]
        steps.append((prev, at))
        at = prev
    steps.reverse()
    best = ahead[n][m]
    path, margins = [], []
    for (i, j), (i2, j2) in steps:
        path.append((tuple(range(i, i2)), tuple(range(j, j2))))
        if i2 - i != 1 or j2 - j != 1:
            margins.append(0.0)
            continue
        rival = inf
        for b in range(max(low[i], j - width - 2), min(high[i], j + width + 2) + 1):
            if ahead[i][b] == inf:
                continue
            for di, dj in _MOVES:
                if di == 0 or (dj == 1 and di == 1 and b == j) or not inside(i + di, b + dj):
                    continue
                if behind[i + di][b + dj] != inf:
                    rival = max(rival, ahead[i][b] + gain(i, b, di, dj) + behind[i + di][b + dj])
        if i >= 1:
            for b in range(max(low[i - 1], j - width - 2), min(high[i - 1], j + width + 2) + 1):
                if ahead[i - 1][b] != inf and inside(i + 1, b + 1) and behind[i + 1][b + 1] != inf:
                    rival = max(rival, ahead[i - 1][b] + gain(i - 1, b, 2, 1) + behind[i + 1][b + 1])
        margins.append(best - rival)
    return path, margins


def _marks_before(ours: Counter, theirs: Counter) -> tuple[int, int]:
    """What `compare` counted with Counter arithmetic before `_overlap` (the oracle)."""
    return sum((ours & theirs).values()), sum((ours - theirs).values()) + sum((theirs - ours).values())


# Few distinct values, so that ties (decided by the order of the moves) and equal margins are frequent; some
# with rounding, so that a sum taken in another order shows.
_SCORES = (float("-inf"), -4.0, -1.5, -0.6, 0.0, 0.5, 1.0, 1.0, 2.5, 4.0)


def _random_gains(rng: random.Random):
    """Step scores drawn at random, each the same every time it is asked for."""
    table: dict[tuple[int, int, int, int], float] = {}

    def gain(i: int, j: int, di: int, dj: int) -> float:
        assert di and dj, "a skip is never scored"
        return table.setdefault((i, j, di, dj), rng.choice(_SCORES) + rng.choice((0.0, 0.25, rng.uniform(-1, 1))))
    return gain


@pytest.mark.parametrize("seed", range(40))
def test_the_dynamic_programme_finds_the_same_path_and_margins(seed):
    rng = random.Random(seed)
    for _ in range(25):
        n, m = rng.randint(1, 14), rng.randint(1, 14)
        gain = _random_gains(rng)
        for band in (1, BAND):
            assert align_module._dynamic(n, m, gain, band) == _dynamic_before(n, m, gain, band), (seed, n, m, band)


def test_mark_overlap_counts_as_counter_arithmetic_did():
    rng = random.Random(7)
    items = [("footnote", "1"), ("footnote", "2"), ("url", "https://a.example"), ("code", "`x`"), ("label", "a")]
    for _ in range(3000):
        ours = Counter({item: rng.randint(1, 3) for item in rng.sample(items, rng.randint(0, len(items)))})
        theirs = Counter({item: rng.randint(1, 3) for item in rng.sample(items, rng.randint(0, len(items)))})
        assert _overlap(ours, theirs) == _marks_before(ours, theirs)


def _edited(rng: random.Random, theirs: list) -> list:
    """A translation's segments edited as a careless or inventive translator might: dropped, repeated,
    swapped, merged, moved, cut short, of another kind or under another key, with paragraphs added."""
    out = list(theirs)
    for _ in range(rng.randrange(6)):
        if not out:
            break
        k = rng.randrange(len(out))
        edit, s = rng.choice(("drop", "repeat", "swap", "merge", "kind", "add", "move", "cut", "key")), out[k]
        if edit == "drop":
            del out[k]
        elif edit == "repeat":
            out.insert(k, s)
        elif edit == "swap" and k + 1 < len(out):
            out[k], out[k + 1] = out[k + 1], out[k]
        elif edit == "merge" and k + 1 < len(out):
            out[k:k + 2] = [dataclasses.replace(s, msgid=f"{s.msgid} {out[k + 1].msgid}")]
        elif edit == "kind":
            out[k] = dataclasses.replace(s, kind=rng.choice(("paragraph", "list item", "heading", "table cell")))
        elif edit == "add":
            out.insert(k, dataclasses.replace(s, key="", msgid="Added by the translator: 42 GPUs [^1] in 2024."))
        elif edit == "move":
            out.insert(rng.randrange(len(out)), out.pop(k))
        elif edit == "cut":
            out[k] = dataclasses.replace(s, msgid=s.msgid[:len(s.msgid) // 2])
        elif edit == "key":
            out[k] = dataclasses.replace(s, key=rng.choice(("", "title", "^1", "^2", "tags[0]", "tags[5]")))
    return out


def _decided(segments, theirs, inline, glossary):
    decisions, unplaced = align_segments(segments, theirs, inline, glossary, "en")
    return ([(d.segment.msgid, d.status, d.translation, d.targets, d.doubts) for d in decisions],
            [dataclasses.astuple(u) for u in unplaced])


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_the_corpus_aligns_as_with_the_previous_programme(path: Path, monkeypatch):
    inline = format_for(path).standalone
    glossary = Glossary.load(REPO / GLOSSARY_FILE, REPO, GLOSSARY_FILE)
    segments = extract_segments(decode_document(path.read_bytes(), path.name), KEYS, ())
    english = [dataclasses.replace(s, msgid=synth(s.msgid)) for s in segments]
    rng = random.Random(path.name)
    cases = [english] + [_edited(rng, english) for _ in range(30)]
    now = [_decided(segments, theirs, inline, glossary) for theirs in cases]
    monkeypatch.setattr(align_module, "_dynamic", _dynamic_before)
    before = [_decided(segments, theirs, inline, glossary) for theirs in cases]
    assert now == before
    assert any(status == "fuzzy" for decisions, _ in now for _, status, *_ in decisions)  # doubts were exercised
