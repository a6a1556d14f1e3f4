"""Benchmark `translate` over N generated articles against a local LibreTranslate stand-in with fixed latency.

    python bench/bench_translate.py                 # 2000 articles, 100 ms per request, 4 in flight
    python bench/bench_translate.py -n 200 --latency 0.05

Reports, for a first run and an unchanged second run: requests, characters sent against the
characters of the distinct untranslated segments (target 1.00, then 0), and wall time of the
sending phase against the ideal latency x requests / concurrency (target within 1.3x).
The stand-in engine is no translator (it leaves numbers and names as its pseudo-translation
makes them), so the quality loop is off by default (`--qa on` shows what it re-sends; see
bench_mt_qa.py for the loop's own figures).
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

from bench_extract import make_site  # noqa: E402
from l10n import project  # noqa: E402
from l10n.memory import MEMORY_FILE  # noqa: E402
from l10n.memory.sqlite import SqliteMemory as Memory  # noqa: E402
from l10n.mt import Settings, create  # noqa: E402
from l10n.translate import TranslateOptions, plan  # noqa: E402
from mt_servers import MTServer  # noqa: E402


def one_run(label: str, config, url: str, concurrency: int, latency: float, qa: str) -> None:
    engine = create(Settings(engine="libre", url=url))
    with Memory(config.root / MEMORY_FILE, config.root) as memory:
        start = time.perf_counter()
        job = plan(config, engine, memory=memory, options=TranslateOptions(concurrency=concurrency, qa=qa))
        planned = time.perf_counter() - start
        start = time.perf_counter()
        job.run()
        sending = time.perf_counter() - start
    s = job.summary
    ratio = s.characters / s.unique_characters if s.unique_characters else 0.0
    ideal = latency * s.requests / concurrency
    print(f"{label}: {s.requests} requests, {s.characters} characters sent / {s.unique_characters} unique "
          f"untranslated = {ratio:.2f}; {s.segments} segments, {s.reused} reused, {s.failed} failed, "
          f"{s.entries} entries filled" + (f"; {s.qa_characters} characters re-sent by the quality loop"
                                           if s.qa_characters else ""))
    print(f"{'':>{len(label)}}  planning {planned:.2f} s; run {sending:.2f} s vs ideal {ideal:.2f} s"
          + (f" = {sending / ideal:.2f}x" if ideal else ""))


def serve(latency: float, ready) -> None:
    with MTServer() as server:
        server.latency = latency
        ready.put(server.url)
        threading.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--count", type=int, default=2000, help="number of articles (default 2000)")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per request (default 0.1)")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--qa", choices=("on", "report", "off"), default="off",
                        help="the MT quality loop (default off)")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="l10n-bench-mt-"))
    try:
        config = make_site(root, args.count)
        project.extract(config)
        ready: multiprocessing.Queue = multiprocessing.Queue()
        server = multiprocessing.Process(target=serve, args=(args.latency, ready), daemon=True)
        server.start()  # a process of its own, as a real server is: it must not share our interpreter lock
        url = ready.get(timeout=30)
        print(f"{args.count} articles, {args.latency * 1000:.0f} ms per request, {args.concurrency} in flight")
        one_run("first run ", config, url, args.concurrency, args.latency, args.qa)
        one_run("second run", config, url, args.concurrency, args.latency, args.qa)
        server.terminate()
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
