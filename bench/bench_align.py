"""Benchmark `l10n align` against `l10n extract` over N article pairs generated from the seed.

    python bench/bench_align.py            # 2000 pairs
    python bench/bench_align.py -n 500 --keep /tmp/site

Sources are generated as bench_extract does (the seed's paragraphs shuffled, names varied, every text line
marked with its article); each English edition is made the same way from the seed's English edition, so
every pair has a known 1:1 answer and no text recurs across articles. Prints
extract (cold) and align times, their ratio, and how many entries were aligned, fuzzy or left empty.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench_extract import SEED
from l10n import project
from l10n.align import align
from l10n.config import config_text, load_config

SEED_EN = SEED.parents[2] / "en" / "posts" / SEED.name


def cpu_seconds() -> float:
    """User + system seconds of this process and of its finished children (the worker pools)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(label: str, count: int, work) -> tuple[float, float]:
    """Run `work` once: (wall s, CPU s), printed with files/s."""
    start, cpu = time.perf_counter(), cpu_seconds()
    work()
    wall, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    print(f"{label:<16} {wall:7.2f} s {cpu:7.2f} s CPU {count / wall:8.0f} files/s")
    return wall, cpu


def make_pairs(root: Path, count: int):
    """`count` sources as bench_extract.make_site makes them (the seed's paragraphs shuffled, names varied),
    each with its English edition made the same way from the seed's English edition."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "l10n.toml").write_text(config_text("zh", ["en"]), encoding="utf-8")
    for lang, seed in (("zh", SEED), ("en", SEED_EN)):
        head, body = seed.read_text(encoding="utf-8").split("\n---\n", 1)
        blocks = body.split("\n\n")
        rng = random.Random(42)
        for i in range(count):
            shuffled = blocks[:1] + rng.sample(blocks[1:-1], len(blocks) - 2) + blocks[-1:]
            varied = [b.replace("xAI", f"xAI{rng.randrange(100)}v{i}") for b in shuffled]
            text = _marked(head, i) + "\n---\n" + "\n\n".join(_marked(b, i) for b in varied)
            path = root / "content" / lang / f"batch{i // 100:02d}" / f"article-{i:05d}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return load_config(root)


_TEXT_START = re.compile(r"(?:^|(?<=[\s\"'(\[]))(?:[\u4e00-\u9fff]|[A-Za-z]{2,})(?=(\s|$)?)")
_KEY = re.compile(r"(title:|summary:)?(.*)")  # of the front matter keys, only these hold text in both editions
_SKIPPED = re.compile(r"^[A-Za-z_]+:|^\s*-|^\s*$")  # other keys, list items (tags), blank lines


def _marked(block: str, i: int) -> str:
    """`block` with every line that holds text marked with article `i` (a word of letters, the same in both
    languages, so that no text recurs across articles and nothing is judged once for all, as in
    bench_extract), after the line's first Han character or English word, apart from both neighbours."""
    tag = "q" + "".join(chr(ord("a") + int(d)) for d in str(i))
    lines = []
    for line in block.split("\n"):
        key, rest = _KEY.fullmatch(line).groups()  # type: ignore[union-attr]  # matches every line
        if key or not _SKIPPED.match(line):
            line = (key or "") + _TEXT_START.sub(lambda m: f"{m.group(0)} {tag}{'' if m.group(1) is not None else ' '}",
                                                 rest, 1)  # a word of its own: never glued to the next one
        lines.append(line)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--count", type=int, default=2000, help="number of article pairs (default 2000)")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="l10n-bench-align-"))
    try:
        config = make_pairs(root, args.count)
        print(f"{args.count} article pairs from {SEED.name}; Python {sys.version.split()[0]}")
        extract_s = timed("extract (cold)", args.count, lambda: project.extract(config))
        runs: list = []
        align_s = timed("align", args.count, lambda: runs.append(align(config)) or runs[0])
        results = runs[0]
        print(f"align / extract: {align_s[0] / extract_s[0]:.2f}x wall, {align_s[1] / extract_s[1]:.2f}x CPU")
        print(f"entries: {sum(r.aligned for r in results)} aligned, {sum(r.fuzzy for r in results)} fuzzy, "
              f"{sum(len(r.unaligned) for r in results)} unaligned; {sum(len(r.unplaced) for r in results)} "
              f"unplaced blocks; {sum(bool(r.reproduced) for r in results)}/{len(results)} files rebuilt "
              "byte for byte")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
