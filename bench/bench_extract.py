"""Benchmark extract (cold and unchanged re-run) and build over N articles generated from the seed.

    python bench/bench_extract.py            # 2000 articles
    python bench/bench_extract.py -n 500 --keep /tmp/site

Prints files/s for each phase and peak memory (this process and its worker processes).
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from l10n import project
from l10n.config import config_text, load_config

SEED = Path(__file__).resolve().parent.parent / "content" / "zh" / "posts" / "xai-burn-rate.md"
WORDS = "算力 融资 模型 数据 芯片 市场 投资者 营收 估值 竞争 战略 监管 用户 平台 能源".split()


def generate(root: Path, count: int, seed_text: str) -> None:
    """`count` articles: the seed with paragraphs shuffled and words varied, so segments differ."""
    head, body = seed_text.split("\n---\n", 1)
    blocks = body.split("\n\n")
    rng = random.Random(42)
    for i in range(count):
        shuffled = blocks[:1] + rng.sample(blocks[1:-1], len(blocks) - 2) + blocks[-1:]
        varied = [b.replace("xAI", f"xAI{rng.choice(WORDS)}{i}", 1) for b in shuffled]
        path = root / "content" / "zh" / f"batch{i // 100:02d}" / f"article-{i:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(head + "\n---\n" + "\n\n".join(varied), encoding="utf-8")


def make_site(root: Path, count: int):
    """A project in `root` with `count` generated articles; returns its config."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "l10n.toml").write_text(config_text("zh", ["en"]), encoding="utf-8")
    generate(root, count, SEED.read_text(encoding="utf-8"))
    return load_config(root)


def timed(label: str, count: int, work) -> float:
    start = time.perf_counter()
    results = work()
    seconds = time.perf_counter() - start
    failed = sum(1 for r in results if r.errors)
    print(f"{label:<28} {seconds:7.2f} s  {count / seconds:9.0f} files/s" + (f"  ({failed} failed)" if failed else ""))
    return seconds


def peak_mib() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--count", type=int, default=2000, help="number of articles (default 2000)")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="l10n-bench-"))
    try:
        config = make_site(root, args.count)
        size = sum(p.stat().st_size for p in config.sources()) / 2**20
        print(f"{args.count} articles, {size:.1f} MiB, seed {SEED.name}; Python {sys.version.split()[0]}")
        cold = timed("extract (cold)", args.count, lambda: project.extract(config))
        warm = timed("extract (nothing changed)", args.count, lambda: project.extract(config))
        timed("build", args.count, lambda: project.build(config))
        timed("build (nothing changed)", args.count, lambda: project.build(config))
        own, children = peak_mib()
        print(f"no-change re-run is {cold / warm:.0f}x faster than cold")
        print(f"peak memory: {own:.0f} MiB (main process), {children:.0f} MiB (largest worker)")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
