"""Benchmark what build (and check) spend besides parsing Markdown: reading the catalogs, and proving that
the translated front matter reads back (`frontmatter.unreadable`), over N translated articles.

    python bench/bench_reading.py            # 2000 articles, best of 3
    python bench/bench_reading.py -n 500

The site is `bench_extract`'s (the seed varied per article, every entry translated). Both parts run in
this process, on data prepared beforehand (articles read and parsed, catalogs' bytes read once), so each
figure is that part's own CPU time: a whole build's CPU varies more between runs than these parts weigh.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from bench_extract import make_site, translate_all
from l10n import project
from l10n.catalog import translations
from l10n.formats.markdown.frontmatter import FORMATS, Replacement, quote, unreadable
from l10n.pofile import parse_catalog, read_catalog
from l10n.runner import Article


def best_cpu(runs: int, work) -> float:
    """The least CPU seconds of `runs` calls of `work()`."""
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--count", type=int, default=2000, help="number of articles (default 2000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each part, the best is shown (default 3)")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="l10n-bench-reading-"))
    try:
        measure(root, args.count, args.runs)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def measure(root: Path, n: int, runs: int) -> None:
    """Print the CPU of each part over a site of `n` articles made in `root`."""
    config = make_site(root, n)
    project.extract(config)
    sources = config.sources()
    catalogs = [config.catalog_path(source, "en") for source in sources]
    translate_all(catalogs)
    read = [read_catalog(path, str(path), root)[1] for path in catalogs]
    calls = []
    for source, data in zip(sources, read):
        doc, parsed = Article.read(config, source).extraction
        done = translations(parse_catalog(data, "x.po"))
        calls.append((doc.text, [Replacement(s.start, s.end, s.syntax, done[s.msgid].msgstr)
                                 for s in parsed.segments if s.syntax.startswith(FORMATS) and s.msgid in done]))
    values = sum(len(replacements) for _, replacements in calls)
    entries = sum(len(parse_catalog(data, "x.po")) for data in read)

    # Each catalog is dropped once read, as build drops it: 2,000 kept alive would make the garbage
    # collector's passes, not the reading, grow with N.
    def read_catalogs() -> None:
        for path in catalogs:
            read_catalog(path, str(path), root)

    def parse_catalogs() -> None:
        for data in read:
            parse_catalog(data, "x.po")

    def check_front_matter() -> None:
        quote.cache_clear()  # as in a fresh process
        for text, replacements in calls:
            unreadable(text, replacements)

    print(f"{n} articles: {entries} catalog entries, {values} front matter values; best of {runs}, CPU")
    for label, work in (
        ("read every catalog (read_catalog)", read_catalogs),
        ("  of which parsing (parse_catalog)", parse_catalogs),
        ("front matter read back (unreadable)", check_front_matter),
    ):
        cpu = best_cpu(runs, work)
        print(f"{label:<38} {cpu:6.3f} s CPU {cpu / n * 1e6:8.0f} µs/article")


if __name__ == "__main__":
    main()
