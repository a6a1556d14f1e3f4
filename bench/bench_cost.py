"""Benchmark the costs that must stay linear in the size of one article.

    python bench/bench_cost.py                         # 10,000 footnotes; a 1 MB article
    python bench/bench_cost.py --footnotes 2000 --size 200000

1. `l10n check --format json` on an article citing 10,000 footnotes, each with a figure, in one
   paragraph whose translation dropped the figures: wall time, peak memory (RSS of the process)
   and report size. Target: under 2 s and 200 MB.
2. `l10n extract` of a 1 MB article generated from the seed (every paragraph distinct), cold, then
   again after an edit of every paragraph (every entry becomes fuzzy): both times and their ratio
   (target: within 2x), and how many fuzzy entries kept their own paragraph's translation.
3. The peak memory of `l10n extract` (cold) and `l10n build` (every entry translated) of one article
   of `--big` bytes (8 MB), each in its own process: peak RSS minus that of the same command on a
   one-paragraph article (start-up, imports), as a multiple of the article's size. Target: 6x. Peak RSS
   is each command's own high-water mark (VmHWM, read as it exits), not its `ru_maxrss` (see `CLI`).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polib

import l10n
from bench_extract import SEED, WORDS, make_site
from l10n import project

# The command reports its own peak RSS as it exits: VmHWM, the high-water mark of its own memory. Its
# `ru_maxrss` would start from the RSS this process had when it started it (it counts the memory replaced
# at the exec), and this one holds the big article: the one-paragraph run would seem to take as much.
CLI = [sys.executable, "-c", "import atexit, sys\n"
       "def peak():\n"
       "    with open('/proc/self/status') as status:\n"
       "        sys.stderr.write(next((line for line in status if line.startswith('VmHWM:')), ''))\n"
       "atexit.register(peak)\n"
       "from l10n.cli import app; app()"]
CLI_ENV = dict(os.environ, PYTHONPATH=str(Path(l10n.__file__).parents[1]))  # the l10n imported here


def footnote_article(count: int) -> str:
    """One paragraph citing `count` footnotes, each after a figure, then the `count` definitions."""
    cited = "，".join(f"第{i}项数据增长{i}%[^{i}]" for i in range(1, count + 1))
    notes = "\n\n".join(f"[^{i}]: 第{i}条数据的出处：国家统计局年鉴。" for i in range(1, count + 1))
    return f"---\ntitle: 数据来源\n---\n\n据统计，{cited}。\n\n{notes}\n"


def translate_footnotes(po_path: Path) -> None:
    """Footnotes translated; the long paragraph keeps its references but drops the figures."""
    po = polib.pofile(str(po_path), wrapwidth=0)
    for entry in po:
        if entry.msgid == "数据来源":
            entry.msgstr = "Data sources"
        elif entry.msgid.startswith("据统计"):
            entry.msgstr = "Statistics show growth" + "".join(re.findall(r"\[\^\d+\]", entry.msgid)) + "."
        else:
            number = re.match(r"第(\d+)条", entry.msgid).group(1)
            entry.msgstr = f"Source of data item {number}: National Statistical Yearbook."
    po.save()


def run_cli(root: Path, *args: str) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MiB, bytes printed) of one `l10n` run in its own process."""
    with tempfile.TemporaryFile() as output, tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        child = subprocess.Popen(CLI + list(args), cwd=root, stdout=output, stderr=errors, env=CLI_ENV)
        _, status, usage = os.wait4(child.pid, 0)  # not child.wait(): wait4 also gives its peak memory
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        peak = re.findall(rb"^VmHWM:\s*(\d+) kB", errors.read(), re.MULTILINE)  # none without /proc
        return seconds, int(peak[-1]) / 1024 if peak else usage.ru_maxrss / 1024, output.seek(0, os.SEEK_END)


def big_article(size: int) -> str:
    """The seed's body repeated to `size` bytes, every block marked with its copy number (all distinct)."""
    head, body = SEED.read_text(encoding="utf-8").split("\n---\n", 1)
    blocks = [b for b in body.split("\n\n") if b.strip()]
    parts, total, copy = [], 0, 0
    while total < size:
        copy += 1
        word = WORDS[copy % len(WORDS)]
        for block in blocks:
            first, _, rest = block.partition("\n")
            marked = f"{first}（{word}第{copy}部分）" + (f"\n{rest}" if rest else "")
            parts.append(marked)
            total += len(marked.encode("utf-8")) + 2
    return head + "\n---\n\n" + "\n\n".join(parts) + "\n"


def fill(po_path: Path) -> dict[str, str]:
    """A translation for every entry (its own text, marked), returned by msgid."""
    po = polib.pofile(str(po_path), wrapwidth=0)
    for entry in po:
        entry.msgstr = f"EN {entry.msgid}"
    po.save()
    return {e.msgid: e.msgstr for e in po}


def timed_extract(config) -> float:
    start = time.perf_counter()
    results = project.extract(config)
    seconds = time.perf_counter() - start
    if any(r.errors for r in results):
        sys.exit(f"extract failed: {[str(e) for r in results for e in r.errors]}")
    return seconds


def bench_check(root: Path, footnotes: int) -> None:
    config = make_site(root, 0)
    source = config.source_root / "notes.md"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(footnote_article(footnotes), encoding="utf-8")
    project.extract(config)
    translate_footnotes(config.catalog_path(source, "en"))
    project.build(config)
    seconds, peak, size = run_cli(root, "check", "--format", "json")
    print(f"check --format json, {footnotes:,} footnotes ({source.stat().st_size / 1024:.0f} KiB): "
          f"{seconds:.2f} s, peak {peak:.0f} MiB, report {size / 2**20:.1f} MiB")


def bench_reextract(root: Path, size: int) -> None:
    config = make_site(root, 0)
    source = config.source_root / "big.md"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(big_article(size), encoding="utf-8")
    cold = timed_extract(config)
    po_path = config.catalog_path(source, "en")
    before = fill(po_path)
    source.write_text(re.sub(r"第(\d+)部分", r"第\1节", source.read_text(encoding="utf-8")), encoding="utf-8")
    again = timed_extract(config)
    po = polib.pofile(str(po_path), wrapwidth=0)
    live = [e for e in po if not e.obsolete]
    fuzzy = [e for e in live if "fuzzy" in e.flags]
    own = sum(1 for e in fuzzy if before.get(e.previous_msgid) == e.msgstr
              and e.previous_msgid.replace("部分", "节") == e.msgid)
    print(f"extract of a {source.stat().st_size / 2**20:.2f} MiB article ({len(live):,} entries): "
          f"cold {cold:.2f} s, after editing every paragraph {again:.2f} s = {again / cold:.2f}x cold")
    print(f"  {len(fuzzy):,} fuzzy, {own:,} of them with their own paragraph's translation")


def bench_big_memory(root: Path, size: int) -> None:
    peaks = {}
    for name, text in (("tiny", "---\ntitle: 标题\n---\n\n一段话。\n"), ("big", big_article(size))):
        config = make_site(root / name, 0)
        source = config.source_root / "article.md"
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_text(text, encoding="utf-8")
        _, extract_peak, _ = run_cli(config.root, "extract")
        fill(config.catalog_path(source, "en"))
        _, build_peak, _ = run_cli(config.root, "build")
        peaks[name] = (extract_peak, build_peak, source.stat().st_size)
    big = peaks["big"][2] / 2**20
    for i, phase in enumerate(("extract (cold)", "build (every entry translated)")):
        extra = peaks["big"][i] - peaks["tiny"][i]
        print(f"{phase} of a {big:.1f} MiB article: peak {peaks['big'][i]:.0f} MiB, "
              f"{extra:.0f} MiB over a one-paragraph article = {extra / big:.1f}x its size")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--footnotes", type=int, default=10_000, help="footnotes in the check article")
    parser.add_argument("--size", type=int, default=1_000_000, help="bytes of the re-extracted article")
    parser.add_argument("--big", type=int, default=8_000_000, help="bytes of the article whose peak memory is measured")
    parser.add_argument("--only-memory", action="store_true", help="run the peak memory case only")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="l10n-bench-cost-") as folder:
        if not args.only_memory:
            bench_check(Path(folder) / "footnotes", args.footnotes)
            bench_reextract(Path(folder) / "big", args.size)
        bench_big_memory(Path(folder) / "memory", args.big)


if __name__ == "__main__":
    main()
