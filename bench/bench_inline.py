"""Benchmark the inline model (`inline.parse`, asked by build's refusal, `check` and MT) in one process.

    python bench/bench_inline.py            # the seed's entries as 500 articles hold them
    python bench/bench_inline.py -n 200 --runs 5

1. Build's judgement of every translated entry of N articles (`markup.refusal(msgid, msgstr)`: both
   sides parsed), each article's entries made distinct as `bench_extract.py` makes them, with the
   parse cache emptied before each run: CPU seconds, and per parsed fragment.
2. One paragraph of about 80-100 KB made of one construct repeated (emphasis, links beside bare URLs,
   shortcodes...): CPU seconds of its parse, which must grow linearly with the paragraph.
Each figure is the best of `--runs`. To compare two versions, run the script with each on PYTHONPATH.
"""

from __future__ import annotations

import argparse
import re
import time

import polib

from bench_extract import SEED_PO
from l10n.formats.markdown import inline
from l10n.formats.markdown.inline import NO_REFERENCES
from l10n.formats.markdown.markup import refusal

_HAN = re.compile(r"[\u4e00-\u9fff]")

LARGE = {"emphasis": "*字 " * 20000, "strong": "**字** " * 10000, "strikethrough": "~~字 " * 20000,
         "links and bare URLs": "[x](u) http://a.b " * 5000, "shortcodes": "{{< x >}} " * 10000,
         "links": "[字](u) " * 15000, "code spans": "`c` " * 20000, "footnote references": "字[^1]" * 20000,
         "line breaks": "字\n" * 50000}


def entries(count: int) -> list[tuple[str, str]]:
    """(msgid, msgstr) of every translated seed entry, as each of `count` articles holds it."""
    seed = [(e.msgid, e.msgstr) for e in polib.pofile(str(SEED_PO)) if e.msgstr]
    return [(_HAN.sub(rf"\g<0>〔{i}〕", msgid, 1), f"{msgstr} ({i})") for i in range(count) for msgid, msgstr in seed]


def best(runs: int, work) -> float:
    """The least CPU seconds of `runs` calls of `work`, each with the parse cache emptied."""
    times = []
    for _ in range(runs):
        inline._parse.cache_clear()
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--count", type=int, default=500, help="number of articles (default 500)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each measure; the best counts (default 5)")
    args = parser.parse_args()
    pairs = entries(args.count)
    parsed = len({text for pair in pairs for text in pair if inline._ANY_MARKUP.search(text)})
    cpu = best(args.runs, lambda: [refusal(msgid, msgstr) for msgid, msgstr in pairs])
    print(f"refusal of {len(pairs)} entries ({parsed} fragments parsed): {cpu:.3f} s CPU, "
          f"{cpu / parsed * 1e6:.1f} us per parsed fragment")
    for name, text in LARGE.items():
        cpu = best(args.runs, lambda text=text: inline.parse(text, NO_REFERENCES))
        print(f"one paragraph of {len(text.encode()) // 1000} KB of {name}: {cpu:.3f} s CPU")


if __name__ == "__main__":
    main()
