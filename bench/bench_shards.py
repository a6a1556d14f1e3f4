"""Benchmark sharded `l10n translate` jobs: N processes, `--shard K/N` each, against one local engine stand-in.

    python bench/bench_shards.py                       # 4 shards x 500 articles, 100 ms per request
    python bench/bench_shards.py --shards 8 --articles 100 --latency 0.05

Runs the jobs twice on fresh copies of one generated site: sharing a PostgreSQL memory (a throwaway
local server: claims, so a segment several shards hold is sent once), then sharing the project's
SQLite file on one machine (no claims across processes: shared segments are sent by every shard
holding them). Reports wall time, characters sent against the distinct untranslated characters
(`--dry-run` over the whole site; target 1.00), and the memory's look-ups per second afterwards
(`lookup_many` of every segment). Needs PostgreSQL's server binaries and psycopg.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
sys.path[:0] = [str(HERE), str(SRC), str(HERE.parent / "tests")]

import polib  # noqa: E402

from bench_extract import make_site  # noqa: E402
from bench_translate import serve  # noqa: E402
from l10n import project  # noqa: E402
from l10n.config import load_config  # noqa: E402
from l10n.memory import migrate, open_memory  # noqa: E402
from l10n.memory.postgres import PgMemory  # noqa: E402
from pg_server import PostgresServer, find_bindir  # noqa: E402


def cli(root: Path, env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "l10n", *args], cwd=root, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)


def sharded(label: str, root: Path, env: dict, url: str, shards: int) -> None:
    distinct = json.loads(cli(root, env, "translate", "--engine", "libre", "--url", url, "--dry-run",
                              "--format", "json").communicate()[0])["characters"]
    start = time.perf_counter()
    jobs = [cli(root, env, "translate", "--engine", "libre", "--url", url, "--qa", "off", "--shard",
                f"{k}/{shards}", "--format", "json") for k in range(1, shards + 1)]
    summaries = [json.loads(job.communicate()[0])["summary"] for job in jobs]
    wall = time.perf_counter() - start
    sent = sum(s["characters"] for s in summaries)
    print(f"  {label:<10} wall {wall:6.1f} s; {sent} characters sent / {distinct} distinct = {sent / distinct:.3f}; "
          f"{sum(s['requests'] for s in summaries)} requests, {sum(s['waited'] for s in summaries)} segments "
          f"taken from other shards; {lookups(root, env):,.0f} look-ups/s")


def lookups(root: Path, env: dict) -> float:
    """`lookup_many` of every segment of the site, in 500s, against the memory the jobs used."""
    os.environ["L10N_MEMORY_URL"] = env["L10N_MEMORY_URL"]
    config = load_config(root)
    keys = [(config.source_lang, "en", entry.msgid) for source in config.sources()
            for entry in polib.pofile(str(config.catalog_path(source, "en"))) if entry.msgid]
    with open_memory(config) as memory:
        start = time.perf_counter()
        for i in range(0, len(keys), 500):
            memory.lookup_many(keys[i:i + 500])
        return len(keys) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--articles", type=int, default=500, help="per shard (default 500)")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per request (default 0.1)")
    args = parser.parse_args()
    bindir = find_bindir()
    if bindir is None:
        sys.exit("needs PostgreSQL's server binaries: apt-get install postgresql")
    ready: multiprocessing.Queue = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(args.latency, ready), daemon=True)
    server.start()
    url = ready.get(timeout=30)
    tmp = Path(tempfile.mkdtemp(prefix="l10n-bench-shards-"))
    try:
        site = tmp / "site"
        project.extract(make_site(site, args.shards * args.articles))
        print(f"{args.shards} shards x {args.articles} articles, engine {args.latency * 1000:.0f} ms per request:")
        with PostgresServer(bindir) as pg:
            env = {**os.environ, "PYTHONPATH": str(SRC), "L10N_MEMORY_URL": pg.create_database()}
            with PgMemory(env["L10N_MEMORY_URL"], require_schema=False) as memory:
                migrate(memory)
            shutil.copytree(site, tmp / "pg")
            sharded("postgresql", tmp / "pg", env, url, args.shards)
        env = {**os.environ, "PYTHONPATH": str(SRC), "L10N_MEMORY_URL": ""}
        shutil.copytree(site, tmp / "sqlite")
        sharded("sqlite", tmp / "sqlite", env, url, args.shards)
    finally:
        server.terminate()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
