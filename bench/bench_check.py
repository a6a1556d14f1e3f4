"""Benchmark `check` over N translated articles generated from the seed, against `extract` on the same site,
and `review` (the review site: cold, then with nothing changed) against `check`.

    python bench/bench_check.py            # 2000 articles
    python bench/bench_check.py -n 500

The seed's English catalog is copied into every article's catalog (translations carry over by msgid,
as `l10n extract` would merge them), the site is built (every translated segment judged by build's
refusal: inline markup and block structure), then checked: files/s for each phase.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import polib

from bench_extract import SEED, make_site
from l10n import project
from l10n.checks import check_project
from l10n.review import generate

SEED_PO = SEED.parents[3] / "locales" / "en" / "posts" / "xai-burn-rate.po"


def translate(config) -> None:
    """Fill every catalog from the seed's translations (msgids the generator varied stay untranslated)."""
    done = {e.msgid: e.msgstr for e in polib.pofile(str(SEED_PO)) if e.msgstr}
    for source in config.sources():
        path = config.catalog_path(source, "en")
        po = polib.pofile(str(path), wrapwidth=0)
        for entry in po:
            entry.msgstr = done.get(entry.msgid, entry.msgstr)
        po.save()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--count", type=int, default=2000, help="number of articles (default 2000)")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="l10n-bench-check-"))
    try:
        config = make_site(root, args.count)
        shutil.copy(SEED.parents[3] / "glossary.yaml", root / "glossary.yaml")
        print(f"{args.count} articles; Python {sys.version.split()[0]}")
        start = time.perf_counter()
        project.extract(config)
        extract_seconds = time.perf_counter() - start
        translate(config)
        start = time.perf_counter()
        project.build(config)
        build_seconds = time.perf_counter() - start
        start = time.perf_counter()
        report = check_project(config)
        check_seconds = time.perf_counter() - start
        start = time.perf_counter()
        site = generate(config)
        review_seconds = time.perf_counter() - start
        start = time.perf_counter()
        again = generate(config)
        review_again = time.perf_counter() - start
        for label, seconds in (("extract (cold)", extract_seconds), ("build (translated)", build_seconds),
                               ("check", check_seconds),
                               ("review (cold)", review_seconds), ("review (unchanged)", review_again)):
            ratio = f"  {seconds / check_seconds:5.2f}x check" if label.startswith("review") else ""
            print(f"{label:<20} {seconds:7.2f} s  {args.count / seconds:9.0f} files/s{ratio}")
        size = sum(p.stat().st_size for p in site.out.rglob("*.html")) / 2**20
        print(f"review: {site.written} pages written ({size:.0f} MiB), then {again.written} rewritten")
        print(f"check found {report.count('error')} error(s), {report.count('warning')} warning(s) "
              f"({len(report.findings) / args.count:.1f} per article: the generator's varied, untranslated "
              "paragraphs)")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
