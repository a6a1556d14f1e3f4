"""The shared memory on PostgreSQL: sharded jobs never pay twice, dead jobs' claims lapse, failures are clear."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import socket
import threading
import time

import pytest

from l10n.config import config_from_dict
from l10n.errors import L10nError
from l10n.memory import ENV_URL, Unit, memory_url, migrate, open_memory
from l10n.memory.sqlite import SqliteMemory as Memory
from pg_server import CountingEngine, run_shard, sent, translation

SPAWN = multiprocessing.get_context("spawn")
SOURCE = "芯片短缺仍在继续，各国都在建厂。"


def needs_driver() -> None:
    """psycopg, without a server: skipped where it is not installed, except under L10N_REQUIRE_POSTGRES=1."""
    if os.environ.get("L10N_REQUIRE_POSTGRES") != "1":
        pytest.importorskip("psycopg")


def segments(count: int) -> list[tuple[str, str, str]]:
    return [("zh", "en", f"第{i}段：" + SOURCE * (1 + i % 5)) for i in range(count)]


@pytest.fixture
def pg_memory_url(pg_url):
    """A fresh database with the current schema."""
    from l10n.memory.postgres import PgMemory
    with PgMemory(pg_url, require_schema=False) as memory:
        migrate(memory)
    return pg_url


def _shard(url, keys, job, ledger, latency, out) -> None:
    from l10n.memory.postgres import PgMemory
    with PgMemory(url) as memory:
        done = run_shard(memory, keys, job, CountingEngine(ledger, latency), ttl=30, wait=2)
    out.write_text(json.dumps([[*key, target] for key, target in done.items()]), encoding="utf-8")


def _claim_and_hang(url, keys, ready) -> None:
    from l10n.memory.postgres import PgMemory
    memory = PgMemory(url)
    if memory.claim(keys, "doomed", ttl=1.0) == set(keys):
        ready.set()
    time.sleep(600)


def _join_all(processes, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    for process in processes:
        process.join(max(0.1, deadline - time.monotonic()))
    hung = [p for p in processes if p.is_alive()]
    for process in hung:
        process.kill()
        process.join()
    assert not hung, f"{len(hung)} job(s) still running after {timeout} s: a deadlock"


def test_eight_sharded_jobs_send_each_segment_once(pg_memory_url, tmp_path):
    keys = segments(80)
    ledger = tmp_path / "sent.txt"
    shards = [[keys[(10 * i + 7 * j) % len(keys)] for j in range(40)] for i in range(8)]  # each key in 4 shards
    processes = [SPAWN.Process(target=_shard, args=(pg_memory_url, shard, f"job-{i}", ledger, 0.02,
                                                    tmp_path / f"out{i}.json"))
                 for i, shard in enumerate(shards)]
    for process in processes:
        process.start()
    _join_all(processes, timeout=120)
    assert [p.exitcode for p in processes] == [0] * 8
    for i, shard in enumerate(shards):
        done = {tuple(row[:3]): row[3] for row in json.loads((tmp_path / f"out{i}.json").read_text("utf-8"))}
        assert done == {key: translation(key[2]) for key in shard}
    asked = sent(ledger)
    distinct = {key[2] for shard in shards for key in shard}
    assert set(asked) == distinct
    assert sum(map(len, asked)) / sum(map(len, distinct)) <= 1.02
    from l10n.memory.postgres import PgMemory
    with PgMemory(pg_memory_url) as memory:
        assert memory.db.execute("SELECT count(*) FROM l10n_claims").fetchone()[0] == 0  # all settled
        assert len(memory.best()) == len(distinct)


def test_the_claims_of_a_killed_job_lapse_and_are_taken_over(pg_memory_url, tmp_path):
    from l10n.memory.postgres import PgMemory
    keys = segments(6)
    ready = SPAWN.Event()
    doomed = SPAWN.Process(target=_claim_and_hang, args=(pg_memory_url, keys[:4], ready))
    doomed.start()
    try:
        assert ready.wait(60), "the job to kill never claimed its segments"
        with PgMemory(pg_memory_url) as memory:
            assert memory.claim(keys, "probe", ttl=60) == set(keys[4:])  # the live claims hold
            memory.release(keys, "probe")
            os.kill(doomed.pid, signal.SIGKILL)
            doomed.join(30)
            ledger = tmp_path / "sent.txt"
            done = run_shard(memory, keys, "rescuer", CountingEngine(ledger, 0.0), ttl=30, timeout=30)
    finally:
        doomed.kill()
    assert done == {key: translation(key[2]) for key in keys}
    assert sorted(sent(ledger)) == sorted(key[2] for key in keys)


def test_a_waiter_gets_the_unit_the_claimant_stores(pg_memory_url):
    from l10n.memory.postgres import PgMemory
    key = ("zh", "en", SOURCE)
    with PgMemory(pg_memory_url) as claimant, PgMemory(pg_memory_url) as waiter:
        assert claimant.claim([key], "claimant", ttl=60) == {key}
        assert waiter.claim([key], "waiter", ttl=60) == set()
        found = {}
        thread = threading.Thread(target=lambda: found.update(waiter.wait([key], timeout=60)))
        thread.start()
        claimant.add(Unit(*key, "The shortage goes on.", "deepl", "20240101T000000Z"))
        claimant.commit()
        thread.join(60)
    assert not thread.is_alive() and found[key].target == "The shortage goes on."


def test_an_unreachable_database_is_a_clear_error_after_bounded_retries_without_the_password(caplog):
    needs_driver()
    from l10n.memory.postgres import PgMemory
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    slept: list[float] = []
    with pytest.raises(L10nError) as caught:
        PgMemory(f"postgresql://l10n:s3cret-pw@127.0.0.1:{port}/memdb", attempts=3, backoff=0.01, sleep=slept.append)
    message = str(caught.value)
    assert f"127.0.0.1:{port}/memdb" in message and "3 attempt" in message and "refused" in message
    assert slept == [0.01, 0.02]
    assert "s3cret" not in message + caplog.text and len(caplog.records) == 2


def test_a_database_without_the_schema_is_refused_until_migrated(pg_url):
    from l10n.memory.postgres import MIGRATIONS, PgMemory
    with pytest.raises(L10nError, match="run `l10n memory init`"):
        PgMemory(pg_url)
    with PgMemory(pg_url, require_schema=False) as memory:
        assert migrate(memory) == (0, len(MIGRATIONS))
        assert migrate(memory) == (len(MIGRATIONS), len(MIGRATIONS))
        memory.db.execute("INSERT INTO l10n_schema (version) VALUES (%s)", (len(MIGRATIONS) + 1,))
    with pytest.raises(L10nError, match="newer than this l10n knows"):
        PgMemory(pg_url)


def test_open_memory_is_sqlite_by_default_and_postgres_for_a_url(tmp_path, monkeypatch, pg_memory_url):
    from l10n.memory.postgres import PgMemory
    monkeypatch.delenv(ENV_URL, raising=False)
    with open_memory(config_from_dict(tmp_path, {})) as memory:
        assert isinstance(memory, Memory) and (tmp_path / ".l10n" / "memory.sqlite3").exists()
    with open_memory(config_from_dict(tmp_path, {"memory": {"url": pg_memory_url}})) as memory:
        assert isinstance(memory, PgMemory)
    monkeypatch.setenv(ENV_URL, pg_memory_url)  # the environment wins over the file
    with open_memory(config_from_dict(tmp_path, {"memory": {"url": "postgresql://l10n@elsewhere/x"}})) as memory:
        assert isinstance(memory, PgMemory)


@pytest.mark.parametrize("section, problem", [
    ({"url": "postgresql://l10n:hunter22@db/l10n"}, "must not hold a password"),
    ({"url": "mysql://db/l10n"}, "must start with postgresql://"),
    ({"url": "postgresql://db/l10n", "pool": 3}, "unknown setting"),
])
def test_memory_settings_that_are_refused(tmp_path, monkeypatch, section, problem):
    needs_driver()
    monkeypatch.delenv(ENV_URL, raising=False)
    with pytest.raises(L10nError, match=problem) as caught:
        memory_url(config_from_dict(tmp_path, {"memory": section}))
    assert "hunter22" not in str(caught.value)
