"""Benchmark the commands a user runs, over N articles generated from the seed, each through the CLI.

    python bench/bench_extract.py                     # 2000 articles, best of 2
    python bench/bench_extract.py -n 500 --runs 3 --keep /tmp/site
    python bench/bench_extract.py --compare-mdpo      # also mdpo's md2po and po2md on the same files

Every phase is a whole `python -m l10n ...` process (start-up included, worker processes on all cores):
wall seconds, CPU seconds (user + system, its workers included), files/s and the peak memory of its
largest process. Phases: extract cold, extract with nothing changed, build of fully translated catalogs
(every entry translated: the seed's translations, carried over by msgid), build with nothing changed,
status of the whole site and limited to 200 and to all article paths, and check. Each figure is the best
of `--runs` (the machine may be busy: CPU seconds are the steadier figure). With `--compare-mdpo` (needs
`pip install mdpo`; not a dependency of l10n), mdpo's API extracts and rebuilds the same files in one process.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polib

import l10n
from l10n.config import config_text, load_config

SEED = Path(__file__).resolve().parent.parent / "content" / "zh" / "posts" / "xai-burn-rate.md"
SEED_PO = SEED.parents[3] / "locales" / "en" / "posts" / "xai-burn-rate.po"
WORDS = "算力 融资 模型 数据 芯片 市场 投资者 营收 估值 竞争 战略 监管 用户 平台 能源".split()
CLI = [sys.executable, "-m", "l10n"]
CLI_ENV = dict(os.environ, PYTHONPATH=str(Path(l10n.__file__).parents[1]))  # the l10n imported here


def generate(root: Path, count: int, seed_text: str) -> None:
    """`count` articles: the seed with paragraphs shuffled and words varied, and every line that holds text
    (title and summary included) marked with its article's number, so that no entry recurs across articles
    (as in a real site, where only tags and boilerplate do): nothing is judged once for all articles."""
    head, body = seed_text.split("\n---\n", 1)
    blocks = body.split("\n\n")
    rng = random.Random(42)
    for i in range(count):
        shuffled = blocks[:1] + rng.sample(blocks[1:-1], len(blocks) - 2) + blocks[-1:]
        varied = [b.replace("xAI", f"xAI{rng.choice(WORDS)}{i}", 1) for b in shuffled]
        marked = [_HAN.sub(rf"\g<0>〔{i}〕", line, 1) if not line.startswith(("tags", "main_", "  -")) else line
                  for line in (head + "\n---\n" + "\n\n".join(varied)).split("\n")]
        path = root / "content" / "zh" / f"batch{i // 100:02d}" / f"article-{i:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(marked), encoding="utf-8")


def make_site(root: Path, count: int):
    """A project in `root` with `count` generated articles; returns its config."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "l10n.toml").write_text(config_text("zh", ["en"]), encoding="utf-8")
    generate(root, count, SEED.read_text(encoding="utf-8"))
    return load_config(root)


_VARIED = re.compile(r"xAI(?:" + "|".join(WORDS) + r")\d+")
_MARK = re.compile(r"〔(\d+)〕")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def translate_all(catalogs: list[Path]) -> None:
    """Every entry translated: the seed's translation of the entry (the generator's variation undone, then
    redone in English: its varied name, and its article's number at the end), else the source text itself
    (which build accepts as it is)."""
    done = {e.msgid: e.msgstr for e in polib.pofile(str(SEED_PO)) if e.msgstr}
    for path in catalogs:
        po = polib.pofile(str(path), wrapwidth=0)
        for entry in po:
            if entry.obsolete:
                continue
            seed_msgid = _MARK.sub("", _VARIED.sub("xAI", entry.msgid, 1))
            translation = done.get(seed_msgid)
            if translation is None:
                entry.msgstr = entry.msgid
                continue
            if varied := _VARIED.search(entry.msgid):
                translation = translation.replace("xAI", varied.group(0), 1)
            if mark := _MARK.search(entry.msgid):
                translation += f" ({mark.group(1)})"
            entry.msgstr = translation
        po.save()


def run(argv: list[str], cwd: Path, runs: int, setup=None) -> tuple[float, float, float, int]:
    """Best of `runs` whole-process runs: (wall s, CPU s with children, peak MiB of the largest process, exit)."""
    best = None
    for _ in range(runs):
        if setup:
            setup()
        start = time.perf_counter()
        child = subprocess.Popen(argv, cwd=cwd, env=CLI_ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        figures = (wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, child.returncode)
        best = figures if best is None or figures[:2] < best[:2] else best
    return best


def show(label: str, count: int, figures, note: str = "") -> None:
    wall, cpu, peak, code = figures
    failed = f"  (exit {code})" if code not in (0, 1) else ""
    print(f"{label:<34} {wall:7.2f} s {cpu:7.2f} s CPU {count / wall:8.0f} files/s {peak:6.0f} MiB{note}{failed}")


MDPO_EXTRACT = """
import sys
from pathlib import Path
from mdpo.md2po import markdown_to_pofile
root = Path(sys.argv[1])
for md in sorted((root / "content" / "zh").rglob("*.md")):
    po = root / "mdpo" / md.relative_to(root / "content" / "zh").with_suffix(".po")
    po.parent.mkdir(parents=True, exist_ok=True)
    markdown_to_pofile(str(md), po_filepath=str(po), save=True, wrapwidth=0)
"""
MDPO_BUILD = """
import sys
from pathlib import Path
from mdpo.po2md import pofile_to_markdown
root = Path(sys.argv[1])
for md in sorted((root / "content" / "zh").rglob("*.md")):
    rel = md.relative_to(root / "content" / "zh")
    out = root / "mdpo-out" / rel
    out.parent.mkdir(parents=True, exist_ok=True)
    pofile_to_markdown(str(md), [str(root / "mdpo" / rel.with_suffix(".po"))], save=str(out), wrapwidth=0)
"""


def fill_mdpo(root: Path) -> None:
    """mdpo's catalogs fully translated too (each msgstr its msgid: the same length of text to write)."""
    for path in (root / "mdpo").rglob("*.po"):
        po = polib.pofile(str(path), wrapwidth=0)
        for entry in po:
            entry.msgstr = entry.msgid
        po.save()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--count", type=int, default=2000, help="number of articles (default 2000)")
    parser.add_argument("--runs", type=int, default=2, help="runs of each phase, the best is shown (default 2)")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--compare-mdpo", action="store_true",
                        help="also run mdpo's md2po and po2md (pip install mdpo)")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="l10n-bench-"))
    n = args.count
    try:
        config = make_site(root, n)
        sources = config.sources()
        size = sum(p.stat().st_size for p in sources) / 2**20
        print(f"{n} articles, {size:.1f} MiB, seed {SEED.name}; Python {sys.version.split()[0]}, "
              f"{os.cpu_count()} CPUs; best of {args.runs}; peak: largest process")
        print(f"{'phase':<34} {'wall':>9} {'CPU':>11} {'rate':>16} {'peak':>10}")
        locales = root / "locales"

        def clean_catalogs() -> None:
            shutil.rmtree(locales, ignore_errors=True)

        def clean_outputs() -> None:
            shutil.rmtree(root / "content" / "en", ignore_errors=True)
            (root / ".l10n" / "build-state.json").unlink(missing_ok=True)

        figures = {}
        figures["start"] = run(CLI + ["--version"], root, args.runs)
        show("l10n --version (start-up)", 1, figures["start"])
        figures["cold"] = run(CLI + ["extract"], root, args.runs, setup=clean_catalogs)
        show("extract (cold)", n, figures["cold"])
        figures["warm"] = run(CLI + ["extract"], root, args.runs)
        show("extract (nothing changed)", n, figures["warm"],
             f"  {figures['cold'][0] / figures['warm'][0]:.0f}x faster than cold")
        translate_all([config.catalog_path(s, "en") for s in sources])
        figures["build"] = run(CLI + ["build"], root, args.runs, setup=clean_outputs)
        show("build (every entry translated)", n, figures["build"],
             f"  {figures['build'][0] / figures['cold'][0]:.2f}x cold extract")
        figures["rebuild"] = run(CLI + ["build"], root, args.runs)
        show("build (nothing changed)", n, figures["rebuild"],
             f"  {figures['build'][0] / figures['rebuild'][0]:.0f}x faster than build")
        figures["status"] = run(CLI + ["status"], root, args.runs)
        show("status (whole site)", n, figures["status"])
        for limit in (200, n):
            chosen = [os.path.relpath(p, root) for p in sources[:: max(1, n // limit)][:limit]]
            figures[limit] = run(CLI + ["status"] + chosen, root, args.runs)
            show(f"status (limited to {len(chosen)} paths)", len(chosen), figures[limit],
                 f"  {figures[limit][0] / figures['status'][0]:.2f}x whole site")
        figures["check"] = run(CLI + ["check", "--allow-fuzzy"], root, args.runs)
        show("check --allow-fuzzy", n, figures["check"],
             f"  {figures['check'][0] / figures['cold'][0]:.2f}x cold extract")
        if args.compare_mdpo:
            try:
                import mdpo  # noqa: F401
            except ImportError:
                sys.exit("--compare-mdpo needs mdpo: pip install mdpo")
            md2po = run([sys.executable, "-c", MDPO_EXTRACT, str(root)], root, args.runs,
                        setup=lambda: shutil.rmtree(root / "mdpo", ignore_errors=True))
            show("mdpo md2po (one process)", n, md2po,
                 f"  l10n extract is {md2po[0] / figures['cold'][0]:.2f}x as fast")
            fill_mdpo(root)
            po2md = run([sys.executable, "-c", MDPO_BUILD, str(root)], root, args.runs)
            show("mdpo po2md (one process)", n, po2md,
                 f"  l10n build is {po2md[0] / figures['build'][0]:.2f}x as fast")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
