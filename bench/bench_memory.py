"""Benchmark the translation memory backends: SQLite file vs shared PostgreSQL (a throwaway local server).

    python bench/bench_memory.py                      # 20000 units; 4 shards x 500 articles, 100 ms engine
    python bench/bench_memory.py --units 5000 --articles 100 --latency 0.05

Reports lookups per second (one at a time, and `lookup_many` in 500s), stored units per second,
the cost of the claim protocol (claim + release of 500 segments), and a sharded run: shards
(processes) sending the articles' segments through a local engine stand-in with fixed latency,
sharing one PostgreSQL memory (claims) or each with its own SQLite file (no sharing): characters
sent against distinct characters (target 1.00), requests, and wall time against the ideal
(distinct requests x latency / shards).
Needs PostgreSQL's server binaries (apt-get install postgresql) and psycopg.
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "src"), str(HERE.parent / "tests")]

from l10n.memory import Unit, migrate  # noqa: E402
from l10n.memory.postgres import PgMemory  # noqa: E402
from l10n.memory.sqlite import SqliteMemory as Memory  # noqa: E402
from pg_server import CountingEngine, PostgresServer, find_bindir, run_shard, sent  # noqa: E402

PHRASES = ["芯片短缺仍在继续", "各国都在建厂", "人工智能改变了行业", "数据中心的用电量增加", "开源模型越来越强",
           "监管机构发布了新规", "市场对此反应平淡", "分析师认为前景乐观"]


_SERIAL = itertools.count()


def sentence(rng: random.Random) -> str:
    """A new sentence each call (the serial number), of the usual length."""
    return "，".join(rng.sample(PHRASES, 3)) + f"（{next(_SERIAL)}）。"


def articles(count: int, per_article: int, shared: float, seed: int = 1) -> list[list[tuple[str, str, str]]]:
    """Articles of `per_article` segments; a fraction `shared` of them come from a pool common to all."""
    rng = random.Random(seed)
    pool = [sentence(rng) for _ in range(200)]
    return [[("zh", "en", rng.choice(pool) if rng.random() < shared else sentence(rng)) for _ in range(per_article)]
            for _ in range(count)]


def opener(kind: str, where: str):
    return (lambda: Memory(Path(where), Path(where).parent)) if kind == "sqlite" else (lambda: PgMemory(where))


def rate(label: str, count: int, seconds: float) -> None:
    print(f"  {label:<34} {count / seconds:>10,.0f}/s  ({count} in {seconds:.2f} s)")


def micro(kind: str, open_memory, units: int) -> None:
    print(f"{kind}:")
    rng = random.Random(2)
    keys = [("zh", "en", sentence(rng)) for _ in range(units)]
    with open_memory() as memory:
        start = time.perf_counter()
        for i in range(0, units, 100):
            for key in keys[i:i + 100]:
                memory.add(Unit(*key, "translated", "bench", "20240101T000000Z"))
            memory.commit()
        rate("add + commit (batches of 100)", units, time.perf_counter() - start)
        probes = keys[: units // 2] + [("zh", "en", sentence(rng)) for _ in range(units // 2)]  # half misses
        start = time.perf_counter()
        hits = sum(memory.lookup(*key) is not None for key in probes)
        rate("lookup", len(probes), time.perf_counter() - start)
        start = time.perf_counter()
        many = sum(len(memory.lookup_many(probes[i:i + 500])) for i in range(0, len(probes), 500))
        rate("lookup_many (500 per call)", len(probes), time.perf_counter() - start)
        assert hits == many == units // 2
        fresh = [("zh", "en", sentence(rng)) for _ in range(500)]
        start, rounds = time.perf_counter(), 20
        for round_ in range(rounds):
            assert len(memory.claim(fresh, f"job{round_}", ttl=60)) == 500
            memory.release(fresh, f"job{round_}")
        rate("claim + release (500 per call)", 500 * rounds, time.perf_counter() - start)


def shard_main(kind: str, where: str, keys, job: str, ledger: Path, latency: float, batch: int, out) -> None:
    with opener(kind, where)() as memory:
        start = time.perf_counter()
        run_shard(memory, keys, job, CountingEngine(ledger, latency), batch=batch, ttl=300, wait=30, timeout=3600)
        out.put(time.perf_counter() - start)


def sharded(kind: str, where, shards: list, latency: float, batch: int, tmp: Path) -> None:
    ledger = tmp / f"{kind}-sent.txt"
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    processes = [context.Process(target=shard_main, args=(kind, where(i), keys, f"{kind}-{i}", ledger, latency,
                                                          batch, out)) for i, keys in enumerate(shards)]
    start = time.perf_counter()
    for process in processes:
        process.start()
    times = [out.get() for _ in processes]
    for process in processes:
        process.join()
    wall = time.perf_counter() - start
    asked = sent(ledger)
    distinct = {key[2] for keys in shards for key in keys}
    ideal = len(distinct) / batch * latency / len(shards)
    print(f"  {kind}: {sum(map(len, asked)) / sum(map(len, distinct)):.3f} characters sent / distinct "
          f"({len(asked)} segments sent, {len(distinct)} distinct); shards took {min(times):.1f}-{max(times):.1f} s, "
          f"wall {wall:.1f} s (with process start-up) vs ideal {ideal:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=20000)
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--articles", type=int, default=500, help="per shard")
    parser.add_argument("--segments", type=int, default=8, help="per article")
    parser.add_argument("--shared", type=float, default=0.3, help="fraction of segments from a common pool")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per engine request")
    parser.add_argument("--batch", type=int, default=50, help="segments per engine request")
    args = parser.parse_args()
    bindir = find_bindir()
    if bindir is None:
        sys.exit("needs PostgreSQL's server binaries: apt-get install postgresql")
    with PostgresServer(bindir) as server, tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)

        def pg_database() -> str:
            url = server.create_database()
            with PgMemory(url, require_schema=False) as memory:
                migrate(memory)
            return url

        micro("sqlite", opener("sqlite", str(tmp / "micro.sqlite3")), args.units)
        micro("postgresql (unix socket)", opener("postgresql", pg_database()), args.units)
        every = articles(args.shards * args.articles, args.segments, args.shared)
        shards = [[key for article in every[i::args.shards] for key in article] for i in range(args.shards)]
        print(f"sharded run: {args.shards} shards x {args.articles} articles x {args.segments} segments, "
              f"{args.shared:.0%} from a common pool, engine {args.latency * 1000:.0f} ms per request of "
              f"{args.batch}:")
        url = pg_database()
        sharded("postgresql", lambda i: url, shards, args.latency, args.batch, tmp)
        sharded("sqlite", lambda i: str(tmp / f"shard{i}.sqlite3"), shards, args.latency, args.batch, tmp)


if __name__ == "__main__":
    main()
