"""`l10n align`: fill the catalogs from English editions that already exist, losing none of them.

The existing translation is segmented with the same segmenter as the source (the msgid of one of
its segments is exactly the msgstr that rebuilds it), then the two sequences are aligned: front
matter values by key (list items by position), footnote definitions by label, everything else by an
order-preserving dynamic programme over 1:1, 1:0, 0:1, 1:2 and 2:1 steps scored by `align_score`.

A confident 1:1 match (no doubt raised, clearly better than its order-preserving rivals, and not
outdone by the crossed pairing with a neighbour: two blocks given in the other order) is written as a
translation with the comment `aligned from <file>`; a weak, moved or many-to-one match is written
`fuzzy`; a source segment without counterpart stays empty. Existing msgstrs are never touched
(`force` redoes the entries an earlier alignment wrote). Everything of the English file that found
no place, and every line `l10n build` would not give back, is reported with its line. Nothing is
sent anywhere.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polib

from .align_score import HAN, Features, compare, features
from .catalog import stats, translations
from .config import Config
from .confine import read_file
from .document import Document, decode_document
from .errors import L10nError
from .fingerprint import digest
from .formats import Inline
from .glossary import GLOSSARY_FILE, Glossary
from .pofile import catalog_bytes, read_catalog
from .runner import Action, Article, FileProgress, FileResult, current_catalog, each_source, target_langs
from .segment import Segment
from .state import built_digest
from .writes import replace_unless_changed

ALIGNED_COMMENT = "aligned from "
MIN_SCORE = 0.5  # a confident pair scores at least this
MARGIN = 1.0  # ... and this much more than the best order-preserving alignment without it
MANY_PENALTY = 0.6  # a 1:2 or 2:1 step must be this much better than 1:1 plus a skip
BAND = 3  # the dynamic programme looks this far off the diagonal (plus the length difference)
_SENTENCE_END = re.compile(r"(?<=[.!?])[”’)\"']*\s+")


@dataclass
class Unplaced:
    """A block of the existing translation that the catalog cannot give back."""

    line: int
    kind: str
    text: str
    reason: str


@dataclass
class Decision:
    """What the alignment says about one source segment."""

    segment: Segment
    status: str  # aligned, fuzzy, unaligned
    translation: str = ""
    targets: list[int] = field(default_factory=list)  # indices of the translation's segments used
    doubts: list[str] = field(default_factory=list)


@dataclass
class AlignResult(FileResult):
    counterpart: str = ""  # the existing translation read
    aligned: int = 0  # entries written as translations
    fuzzy: int = 0  # entries written fuzzy
    kept: int = 0  # entries already translated, left as they were
    unaligned: list[tuple[int, str]] = field(default_factory=list)  # (source line, text) without counterpart
    uncertain: list[tuple[int, str, str]] = field(default_factory=list)  # (source line, text, why) written fuzzy
    unplaced: list[Unplaced] = field(default_factory=list)
    reproduced: bool | None = None  # would `l10n build` give back the existing file byte for byte?


def align(config: Config, paths: Iterable[Path] = (), langs: Iterable[str] = (), *, force: bool = False,
          counterpart: Path | None = None,
          progress: FileProgress | None = None) -> list[AlignResult | FileResult]:
    """Fill the catalogs of every source (or those under `paths`) from its existing translation.

    Without `counterpart`, the translation is the file `l10n build` would write (`content/en/...`, or
    `a.en.md` with the filename layout); sources without one are skipped. With `counterpart`, `paths`
    must name exactly one source and `langs` at most one language.
    """
    glossary = Glossary.load(config.root / GLOSSARY_FILE, config.root, GLOSSARY_FILE)
    langs = target_langs(config, langs)
    if counterpart is not None:
        sources = config.sources(paths) if paths else []
        if len(sources) != 1 or len(langs) != 1:
            raise L10nError("--from needs exactly one source article"
                            + ("" if len(langs) == 1 else " and one --lang"))
        counterpart = Path(counterpart).absolute()
    return each_source(config, paths, langs, _align_article, progress, force=force, glossary=glossary,
                       counterpart=counterpart)


def _align_article(article: Article, langs: tuple[str, ...], *, force: bool, glossary: Glossary,
                   counterpart: Path | None) -> list[AlignResult]:
    config = article.config
    results = []
    for lang in langs:
        path = counterpart or config.output_path(article.path, lang)
        result = AlignResult(article.display, lang, target=config.display(config.catalog_path(article.path, lang)),
                             counterpart=config.display(path))
        results.append(result)
        try:
            if not os.path.lexists(path):
                if counterpart is None:
                    result.action = Action.NO_TRANSLATION
                    continue
                raise L10nError("no such file: nothing to align with", result.counterpart)
            # Inside the project, unless the user named the file (--from: an old site may live anywhere).
            data = read_file(path, result.counterpart, None if counterpart else config.root)
            if counterpart is None and built_digest(config.root, result.counterpart) == digest(data):
                result.action = Action.BUILT_BY_L10N  # our own output: adopting it would adopt fallbacks and drafts
                continue
            _align_one(article, lang, decode_document(data, result.counterpart), result, force, glossary)
        except L10nError as exc:
            result.action = Action.FAILED
            result.errors.append(exc)
    return results


def _align_one(article: Article, lang: str, english: Document, result: AlignResult, force: bool,
               glossary: Glossary) -> None:
    config = article.config
    po, seen = current_catalog(article, lang)
    doc, parsed = article.extraction
    segments, fmt = parsed.segments, article.format
    theirs = fmt.parse(english, config, verify=False).segments  # Han left in a translation is no error here
    decisions, unplaced = align_segments(segments, theirs, fmt.standalone, glossary, lang)
    result.unplaced = unplaced
    comment = ALIGNED_COMMENT + result.counterpart
    fills = _fills(decisions)

    def apply(catalog: polib.POFile) -> tuple[int, int, int]:
        aligned = fuzzy = kept = 0
        for entry in catalog:
            if entry.obsolete or entry.msgid not in fills:
                continue
            if force and _aligned_before(entry):
                _forget(entry)
            if entry.msgstr:
                kept += 1
                continue
            translation, confident = fills[entry.msgid]
            entry.msgstr = translation
            entry.flags = [f for f in entry.flags if f != "fuzzy"] + ([] if confident else ["fuzzy"])
            entry.tcomment = "\n".join(filter(None, [entry.tcomment, comment]))
            aligned, fuzzy = aligned + confident, fuzzy + (not confident)
        return aligned, fuzzy, kept

    counts = apply(po)

    def recompute() -> tuple[bytes, bytes]:
        nonlocal po, counts
        po, fresh = read_catalog(config.catalog_path(article.path, lang), result.target, config.root)
        counts = apply(po)
        return fresh, catalog_bytes(po)

    written = replace_unless_changed(config.catalog_path(article.path, lang), seen, catalog_bytes(po),
                                     recompute, config.lock_dir, config.root)
    result.action = Action.WRITTEN if written else Action.UNCHANGED
    result.aligned, result.fuzzy, result.kept = counts
    result.unaligned = [(d.segment.line, d.segment.msgid) for d in decisions if d.status == "unaligned"]
    result.uncertain = [(d.segment.line, d.segment.msgid, "; ".join(d.doubts)) for d in decisions
                        if d.status == "fuzzy"]
    result.stats = stats(po)
    usable = translations(po, use_fuzzy=True)
    rebuilt = fmt.render(doc, parsed, usable).text  # everything the alignment found, fuzzy included
    result.unplaced += _not_reproduced(english, rebuilt, unplaced)
    reviewed = translations(po)
    if len(reviewed) != len(usable):
        rebuilt = fmt.render(doc, parsed, reviewed).text  # what `l10n build` writes
    result.reproduced = doc.encode(rebuilt) == english.encode()


def _aligned_before(entry: polib.POEntry) -> bool:
    return any(line.startswith(ALIGNED_COMMENT) for line in entry.tcomment.split("\n"))


def _forget(entry: polib.POEntry) -> None:
    entry.msgstr = ""
    entry.flags = [f for f in entry.flags if f != "fuzzy"]
    entry.tcomment = "\n".join(line for line in entry.tcomment.split("\n") if not line.startswith(ALIGNED_COMMENT))


def _fills(decisions: list[Decision]) -> dict[str, tuple[str, bool]]:
    """msgid -> (translation, confident); a msgid aligned twice to different texts is not confident."""
    fills: dict[str, tuple[str, bool]] = {}
    for d in decisions:
        if d.status == "unaligned" or not d.translation:
            continue
        confident = d.status == "aligned"
        if d.segment.msgid in fills:
            first = fills[d.segment.msgid][0]
            if first != d.translation:
                fills[d.segment.msgid] = (first, False)
            continue
        fills[d.segment.msgid] = (d.translation, confident)
    return fills


# --- the alignment proper ------------------------------------------------------------------------

@dataclass
class _Side:
    segments: list[Segment]
    feats: list[Features]
    keys: list[str | None]  # front matter key (`tags[2]`) or footnote label, None for the body


def align_segments(segments: list[Segment], theirs: list[Segment], inline: Inline, glossary: Glossary | None = None,
                   lang: str = "en") -> tuple[list[Decision], list[Unplaced]]:
    """Align the source's segments with the translation's (both read by `inline`); every source segment gets
    a decision."""
    src = _side(segments, True, inline, glossary, lang)
    tgt = _side(theirs, False, inline, glossary, lang)
    decisions: dict[int, Decision] = {}
    used: set[int] = set()

    # Front matter by key, list items by position.
    tgt_keys = {k: j for j, k in enumerate(tgt.keys) if k and not k.startswith("^")}
    src_lists = _list_lengths(k for k in src.keys if k and not k.startswith("^"))
    tgt_lists = _list_lengths(tgt_keys)
    for i, key in enumerate(src.keys):
        if key is None or key.startswith("^"):
            continue
        j = tgt_keys.get(key)
        if j is None:
            continue
        extra = []
        base = key.split("[")[0]
        if "[" in key and src_lists.get(base) != tgt_lists.get(base):
            extra.append(f"`{base}` has {src_lists.get(base)} items in the source, {tgt_lists.get(base)} here")
        decisions[i] = _pair(src, tgt, [i], [j], extra, margin=None)
        used.add(j)

    # Footnote definitions by label, the paragraphs of one definition in order.
    labels = dict.fromkeys(k for k in src.keys if k and k.startswith("^"))
    for label in labels:
        rows = [i for i, k in enumerate(src.keys) if k == label]
        cols = [j for j, k in enumerate(tgt.keys) if k == label]
        decisions.update(_sequence(src, tgt, rows, cols, keyed=True))

    # The body in order.
    rows = [i for i, k in enumerate(src.keys) if k is None]
    cols = [j for j, k in enumerate(tgt.keys) if k is None]
    decisions.update(_sequence(src, tgt, rows, cols, keyed=False))
    used |= {j for d in decisions.values() for j in d.targets}

    # A segment moved in translation (two list items swapped): matched out of order, never confidently.
    free_src = [i for i in rows if i not in decisions or decisions[i].status == "unaligned"]
    free_tgt = [j for j in cols if j not in used]
    for i, j in _best_leftovers(src, tgt, free_src, free_tgt):
        decisions[i] = _pair(src, tgt, [i], [j], ["matched out of order: moved in the translation"], margin=None)
        used.add(j)

    unplaced = []
    for j, segment in enumerate(theirs):
        if j in used:
            continue
        key = tgt.keys[j]
        if key and key.startswith("^"):
            reason = f"footnote [{key}] has no such paragraph in the source"
        elif key:
            reason = f"front matter `{key}` is not in the source" if "[" not in key \
                else f"front matter `{key}`: the source's list is shorter"
        else:
            reason = "no counterpart in the source"
        unplaced.append(Unplaced(segment.line, segment.comment, segment.msgid, reason))
    ordered = [decisions.get(i) or Decision(s, "unaligned") for i, s in enumerate(segments)]
    return ordered, unplaced


def _side(segments: list[Segment], source: bool, inline: Inline, glossary: Glossary | None, lang: str) -> _Side:
    return _Side(segments, [features(s, source, inline, glossary, lang) for s in segments],
                 [s.key or None for s in segments])


def _list_lengths(keys: Iterable[str]) -> dict[str, int]:
    lengths: dict[str, int] = {}
    for key in keys:
        if "[" in key:
            base = key.split("[")[0]
            lengths[base] = lengths.get(base, 0) + 1
    return lengths


def _pair(src: _Side, tgt: _Side, rows: list[int], cols: list[int], doubts: list[str],
          margin: float | None) -> Decision:
    """The decision for source segments `rows` matched with translation segments `cols`."""
    s_feat = _merged(src.feats, rows)
    t_feat = _merged(tgt.feats, cols)
    text = " ".join(tgt.segments[j].msgid for j in cols)
    doubts = list(doubts)
    score = compare(s_feat, t_feat, text, doubts)
    segment = src.segments[rows[0]]
    if len(rows) == 1 and len(cols) == 1:
        if score < MIN_SCORE:
            doubts.append("weak match")
        if margin is not None and margin < MARGIN:
            doubts.append("another alignment would fit almost as well")
        if text == segment.msgid and HAN.search(text):
            return Decision(segment, "unaligned", targets=list(cols),
                            doubts=["the translation still holds the source text"])
    elif len(cols) > 1:
        doubts.append(f"translated as {len(cols)} blocks (lines {', '.join(str(tgt.segments[j].line) for j in cols)})")
    return Decision(segment, "fuzzy" if doubts else "aligned", text, list(cols), doubts)


def _merged(feats: list[Features], index: list[int]) -> Features:
    result = feats[index[0]]
    for i in index[1:]:
        result = result + feats[i]
    return result


def _sequence(src: _Side, tgt: _Side, rows: list[int], cols: list[int], keyed: bool):
    """Order-preserving alignment of src rows with tgt cols: (source index, Decision) pairs."""
    n, m = len(rows), len(cols)
    if not n or not m:
        return [(i, Decision(src.segments[i], "unaligned")) for i in rows]
    gains: dict[tuple[int, int, int, int], float] = {}  # shared by both bands and all passes

    def gain(i: int, j: int, di: int, dj: int) -> float:
        """The score of positions i..i+di-1 of the source taken with j..j+dj-1 of the translation (di, dj >= 1)."""
        key = (i, j, di, dj)
        value = gains.get(key)
        if value is None:
            value = gains[key] = _step_score(src, tgt, rows[i:i + di], cols[j:j + dj])
        return value

    path: list[Step]
    if n == m == 1:  # one block each (a footnote definition): the rival is leaving both apart
        path, margins = [((0,), (0,))], [gain(0, 0, 1, 1)]
    else:  # first the narrowest band; wider only if that leaves a doubt
        path, margins = _dynamic(n, m, gain, 1)
        if any(len(a) != 1 or len(b) != 1 or margin < MARGIN for (a, b), margin in zip(path, margins)):
            path, margins = _dynamic(n, m, gain, BAND)
    found = []
    for (a, b), margin in zip(path, margins):
        if not a:
            continue
        if not b:
            found.append((rows[a[0]], Decision(src.segments[rows[a[0]]], "unaligned")))
            continue
        if len(a) == 2:  # two source segments, one translated block: split it at a sentence end
            parts = _split(tgt.segments[cols[b[0]]].msgid, src.feats[rows[a[0]]].length, src.feats[rows[a[1]]].length)
            for x, part in zip(a, parts):
                d = _pair(src, tgt, [rows[x]], [cols[b[0]]], ["merged with its neighbour in the translation"], None)
                d.translation = part
                d.status = "fuzzy" if part else "unaligned"
                found.append((rows[x], d))
            continue
        sure = len(b) > 1 or (keyed and n == m == 1)  # a footnote label is evidence enough
        doubts = [] if sure else _swap_doubts(src, tgt, rows, cols, a[0], b[0], gain)
        found.append((rows[a[0]], _pair(src, tgt, [rows[a[0]]], [cols[y] for y in b], doubts,
                                        None if sure else margin)))
    return found


def _swap_doubts(src: _Side, tgt: _Side, rows: list[int], cols: list[int], x: int, y: int, gain: Gain) -> list[str]:
    """Why the 1:1 step x <-> y might be a neighbour's translation: two neighbouring blocks given in the other
    order, which no order-preserving rival (the margin of `_dynamic`) can express.

    The crossed pairing with a diagonal neighbour (x <-> y+1 and x+1 <-> y, and the same one step back) must
    not score better, nor may the Latin names alone favour it (`_names_crossed`)."""
    crossed = named = False
    s_here, t_here = src.feats[rows[x]], tgt.feats[cols[y]]
    for d in (-1, 1):
        if not (0 <= x + d < len(rows) and 0 <= y + d < len(cols)):
            continue
        kept = gain(x, y, 1, 1) + gain(x + d, y + d, 1, 1)
        crossed = crossed or gain(x, y + d, 1, 1) + gain(x + d, y, 1, 1) > kept
        named = named or _names_crossed(s_here, t_here, src.feats[rows[x + d]], tgt.feats[cols[y + d]])
    return ["a neighbouring block's translation would fit better (given in the other order?)"] * crossed \
        + ["its names fit a neighbouring block better (given in the other order?)"] * named


def _names_crossed(s_here: Features, t_here: Features, s_next: Features, t_next: Features) -> bool:
    """Whether the source's Latin names are found crosswise more often than in order: the block's names in
    the neighbour's translation and the neighbour's in this one. The scores weigh names against lengths, so a
    translator's terse and verbose paragraphs given in the other order can outweigh a name found in the wrong
    one; names alone should not."""
    kept = len(s_here.latin & t_here.latin) + len(s_next.latin & t_next.latin)
    return len(s_here.latin & t_next.latin) + len(s_next.latin & t_here.latin) > kept


def _step_score(src: _Side, tgt: _Side, rows: list[int], cols: list[int]) -> float:
    """How well source segments `rows` taken together translate as segments `cols`: only blocks of one kind
    merge, and a many-to-one step pays MANY_PENALTY (it must beat one-to-one plus a skip by that much)."""
    if len(rows) > 1 and src.feats[rows[0]].kind != src.feats[rows[1]].kind:
        return float("-inf")
    if len(cols) > 1 and tgt.feats[cols[0]].kind != tgt.feats[cols[1]].kind:
        return float("-inf")
    s_feat = _merged(src.feats, rows)
    text = " ".join(tgt.segments[j].msgid for j in cols) if s_feat.terms else ""
    return compare(s_feat, _merged(tgt.feats, cols), text) - (MANY_PENALTY if len(rows) + len(cols) > 2 else 0.0)


_MOVES = ((1, 1), (1, 0), (0, 1), (2, 1), (1, 2))


Step = tuple[tuple[int, ...], tuple[int, ...]]  # (source positions, translation positions) taken together
Gain = Callable[[int, int, int, int], float]  # (i, j, di, dj) -> score of a step taking di source, dj translation


def _dynamic(n: int, m: int, gain: Gain, band: int) -> tuple[list[Step], list[float]]:
    """The best path of 1:1, 1:0, 0:1, 2:1 and 1:2 steps within a band around the diagonal, and for
    each step how much worse the best path avoiding it is (its margin: how sure the step is).

    Only the band's cells are visited and stored: row i of a table holds columns low[i]..high[i], a cell
    outside is unreachable. A skip scores 0; `gain` scores the other steps (the caller caches it: the
    forward and backward passes and the margins ask the same steps)."""
    width = band + abs(n - m)
    low = [max(0, i * m // n - width) for i in range(n + 1)]
    high = [min(m, i * m // n + width) for i in range(n + 1)]
    inf = float("-inf")

    ahead = [[inf] * (high[i] - low[i] + 1) for i in range(n + 1)]  # best score from the start to a cell
    came = [[-1] * (high[i] - low[i] + 1) for i in range(n + 1)]  # the move (index in _MOVES) into it
    ahead[0][0] = 0.0
    for i in range(n + 1):
        row, first = ahead[i], low[i]
        for j in range(first, high[i] + 1):
            best, move = row[j - first], -1
            for k, (di, dj) in enumerate(_MOVES):
                pi, pj = i - di, j - dj
                if pi < 0 or not low[pi] <= pj <= high[pi]:
                    continue
                before = ahead[pi][pj - low[pi]]
                if before == inf:
                    continue
                value = before + (gain(pi, pj, di, dj) if di and dj else 0.0)
                if value > best:
                    best, move = value, k
            if move >= 0:
                row[j - first], came[i][j - first] = best, move
    best = ahead[n][m - low[n]]
    if best == inf:  # outside the band: cannot happen with width >= |n - m|
        return [((i,), ()) for i in range(n)], [0.0] * n

    behind = [[inf] * (high[i] - low[i] + 1) for i in range(n + 1)]  # best score from a cell to the end
    behind[n][m - low[n]] = 0.0
    for i in range(n, -1, -1):
        row, first = behind[i], low[i]
        for j in range(high[i], first - 1, -1):
            after = row[j - first]
            for di, dj in _MOVES:
                ni, nj = i + di, j + dj
                if ni > n or not low[ni] <= nj <= high[ni]:
                    continue
                rest = behind[ni][nj - low[ni]]
                if rest == inf:
                    continue
                value = (gain(i, j, di, dj) if di and dj else 0.0) + rest
                if value > after:
                    after = value
            row[j - first] = after

    steps = []
    i, j = n, m
    while i or j:
        di, dj = _MOVES[came[i][j - low[i]]]
        steps.append(((i - di, j - dj), (i, j)))
        i, j = i - di, j - dj
    steps.reverse()
    path, margins = [], []
    for (i, j), (i2, j2) in steps:
        path.append((tuple(range(i, i2)), tuple(range(j, j2))))
        if i2 - i != 1 or j2 - j != 1:
            margins.append(0.0)
            continue
        # Every path consumes row i by exactly one step: the best other one is the best path without this pair.
        rival = inf
        for b in range(max(low[i], j - width - 2), min(high[i], j + width + 2) + 1):
            here = ahead[i][b - low[i]]
            if here == inf:
                continue
            for di, dj in _MOVES:
                ni, nb = i + di, b + dj
                if di == 0 or (dj == 1 and di == 1 and b == j) or ni > n or not low[ni] <= nb <= high[ni]:
                    continue
                rest = behind[ni][nb - low[ni]]
                if rest != inf:
                    rival = max(rival, here + (gain(i, b, di, dj) if dj else 0.0) + rest)
        if i >= 1:  # a 2:1 step from the row before also consumes row i
            for b in range(max(low[i - 1], j - width - 2), min(high[i - 1], j + width + 2) + 1):
                here = ahead[i - 1][b - low[i - 1]]
                if here == inf or not low[i + 1] <= b + 1 <= high[i + 1]:
                    continue
                rest = behind[i + 1][b + 1 - low[i + 1]]
                if rest != inf:
                    rival = max(rival, here + gain(i - 1, b, 2, 1) + rest)
        margins.append(best - rival)
    return path, margins


def _split(text: str, first: float, second: float) -> tuple[str, str]:
    """`text` cut at the sentence end nearest the share `first / (first + second)`."""
    cuts = [m.end() for m in _SENTENCE_END.finditer(text) if m.end() < len(text)]
    if not cuts:
        return text, ""
    want = len(text) * first / (first + second or 1.0)
    cut = min(cuts, key=lambda c: abs(c - want))
    return text[:cut].rstrip(), text[cut:].strip()


def _best_leftovers(src: _Side, tgt: _Side, rows: list[int], cols: list[int]) -> list[tuple[int, int]]:
    """Greedy out-of-order pairs among what the ordered alignment left, only clearly good ones."""
    if not rows or not cols or len(rows) * len(cols) > 400:
        return []
    scored = []
    for i in rows:
        for j in cols:
            doubts: list[str] = []
            value = compare(src.feats[i], tgt.feats[j], tgt.segments[j].msgid, doubts)
            if value >= MIN_SCORE + MARGIN and not doubts:
                scored.append((value, i, j))
    pairs, taken_i, taken_j = [], set(), set()
    for _, i, j in sorted(scored, reverse=True):
        if i not in taken_i and j not in taken_j:
            pairs.append((i, j))
            taken_i.add(i)
            taken_j.add(j)
    return pairs


def _not_reproduced(english: Document, rebuilt: str, unplaced: list[Unplaced]) -> list[Unplaced]:
    """Lines of the existing file that a build (fuzzy entries included) writes differently."""
    theirs = english.text.splitlines()
    ours = rebuilt.splitlines()
    known = {u.line for u in unplaced}
    found = []
    matcher = difflib.SequenceMatcher(None, ours, theirs, autojunk=False)
    for tag, _, _, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            lines = [j for j in range(j1, j2) if theirs[j].strip() and j + 1 not in known]
            if lines:
                first, last = lines[0] + 1, lines[-1] + 1
                where = f"lines {first}-{last}" if last > first else f"line {first}"
                found.append(Unplaced(first, "text", theirs[first - 1],
                                      f"{where} differ from what `l10n build` writes (text outside any segment, "
                                      "a value copied from the source, another line wrapping, or a fuzzy match)"))
    return found

