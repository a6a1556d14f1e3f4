"""Benchmark `check` over N translated articles generated from the seed, against `extract` on the same site,
and `review` (the review site: cold, then with nothing changed) against `check`, on two sites:

    python bench/bench_check.py            # 2000 articles per site
    python bench/bench_check.py -n 500

"half translated": the seed's English catalog is copied into every article's catalog (translations carry
over by msgid, as `l10n extract` would merge them; the generator's varied paragraphs stay untranslated, so
`check` has little to judge and the review's own rendering weighs most). "fully translated": every entry
translated (`bench_extract.translate_all`), so `check` judges every entry. Both sites have the seed's
glossary. Each is built (every translated segment judged by build's refusal: inline markup and block
structure), then checked: files/s for each phase.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import polib

from bench_extract import SEED, make_site, translate_all
from l10n import project
from l10n.checks import check_project
from l10n.review import generate

SEED_PO = SEED.parents[3] / "locales" / "en" / "posts" / "xai-burn-rate.po"


def cpu_seconds() -> float:
    """User + system seconds of this process and of its finished children (the worker pools)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(work) -> tuple[float, float, object]:
    """(wall s, CPU s, result) of one call: CPU is the steadier figure on a busy machine."""
    start, cpu = time.perf_counter(), cpu_seconds()
    result = work()
    return time.perf_counter() - start, cpu_seconds() - cpu, result


def translate_half(config) -> None:
    """Fill every catalog from the seed's translations (msgids the generator varied stay untranslated)."""
    done = {e.msgid: e.msgstr for e in polib.pofile(str(SEED_PO)) if e.msgstr}
    for source in config.sources():
        path = config.catalog_path(source, "en")
        po = polib.pofile(str(path), wrapwidth=0)
        for entry in po:
            entry.msgstr = done.get(entry.msgid, entry.msgstr)
        po.save()


def translate_full(config) -> None:
    """Every entry translated."""
    translate_all([config.catalog_path(source, "en") for source in config.sources()])


def bench(label: str, count: int, translate) -> None:
    """Generate `count` articles, translate them with `translate`, then time each phase."""
    root = Path(tempfile.mkdtemp(prefix="l10n-bench-check-"))
    try:
        config = make_site(root, count)
        shutil.copy(SEED.parents[3] / "glossary.yaml", root / "glossary.yaml")
        extract = timed(lambda: project.extract(config))
        translate(config)
        build = timed(lambda: project.build(config))
        check = timed(lambda: check_project(config))
        review = timed(lambda: generate(config))
        again = timed(lambda: generate(config))
        report, site = check[2], review[2]
        print(f"{label}:")
        for phase, (wall, cpu, _) in (("extract (cold)", extract), ("build (translated)", build), ("check", check),
                                      ("review (cold)", review), ("review (unchanged)", again)):
            ratio = (f"  {wall / check[0]:5.2f}x check, {cpu / check[1]:5.2f}x its CPU"
                     if phase.startswith("review") else "")
            print(f"  {phase:<20} {wall:7.2f} s {cpu:7.2f} s CPU {count / wall:9.0f} files/s{ratio}")
        size = sum(p.stat().st_size for p in site.out.rglob("*.html")) / 2**20
        print(f"  review: {site.written} pages written ({size:.0f} MiB), then {again[2].written} rewritten; "
              f"its own work (beyond the check it runs) {(review[1] - check[1]) / check[1]:.2f}x check's CPU")
        print(f"  check found {report.count('error')} error(s), {report.count('warning')} warning(s) "
              f"({len(report.findings) / count:.1f} per article)")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--count", type=int, default=2000, help="number of articles per site (default 2000)")
    args = parser.parse_args()
    print(f"{args.count} articles per site; Python {sys.version.split()[0]}")
    bench("half translated", args.count, translate_half)
    bench("fully translated", args.count, translate_full)


if __name__ == "__main__":
    main()
