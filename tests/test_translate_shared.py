"""`l10n translate` on a shared memory: the same on SQLite and PostgreSQL; sharded jobs never pay twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from l10n.config import Shard
from l10n.errors import L10nError
from mt_blunders import NOTES_MARK, Blunders
from mt_servers import MTServer, entries, make_site

SRC = str(Path(__file__).parents[1] / "src")
SHARED = ["芯片短缺仍在继续，各国都在建厂。", "工程师们说这种情况还会持续一年。", "市场对此反应平淡。",
          "分析人士认为价格将会上涨。", "新的工厂要到明年才能投产。", "政府宣布了新的补贴计划。"]


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request, monkeypatch):
    """The memory `translate` uses: the project's SQLite file, or a fresh PostgreSQL database (L10N_MEMORY_URL)."""
    monkeypatch.delenv("L10N_MEMORY_URL", raising=False)
    if request.param == "postgres":
        url = request.getfixturevalue("pg_url")
        monkeypatch.setenv("L10N_MEMORY_URL", url)
    return request.param


def sent_texts(server: MTServer) -> list[str]:
    return [text for seen in server.requests("/translate") for text in seen.body["q"]]


def test_translate_is_the_same_on_both_memories(project, backend):
    make_site(project)
    assert project.cli("memory", "init").exit_code == 0
    with MTServer() as server:
        first = project.cli("translate", "--engine", "libre", "--url", server.url, "--format", "json")
        assert first.exit_code == 0, first.output
        sent = sent_texts(server)
        assert sent and len(sent) == len(set(sent))  # the shared paragraph once
        filled = {rel: {m: e.msgstr for m, e in entries(project, rel).items()} for rel in ("a.md", "b.md")}
        assert all(all(msgstrs.values()) for msgstrs in filled.values())
        for rel in ("a.md", "b.md"):  # the catalogs start again from scratch: the memory has everything
            project.po(rel).unlink()
        assert project.cli("extract").exit_code == 0
        second = project.cli("translate", "--engine", "libre", "--url", server.url, "--format", "json")
        assert second.exit_code == 0 and sent_texts(server) == sent  # nothing sent again
    summary = json.loads(second.output)["summary"]
    assert summary["characters"] == 0 and summary["reused"] == len(sent)
    assert {rel: {m: e.msgstr for m, e in entries(project, rel).items()} for rel in ("a.md", "b.md")} == filled
    stats = json.loads(project.cli("memory", "stats", "--format", "json").output)
    assert [(p["origin"], p["units"]) for p in stats["pairs"]] == [("libre", len(sent))]


def test_memory_init_says_the_sqlite_memory_needs_none(project, monkeypatch):
    monkeypatch.delenv("L10N_MEMORY_URL", raising=False)
    result = project.cli("memory", "init")
    assert result.exit_code == 0 and "nothing to do" in result.output and "SQLite" in result.output


def test_an_unreachable_memory_stops_translate_before_anything_is_sent(project, monkeypatch, tmp_path):
    pytest.importorskip("psycopg")
    make_site(project)
    monkeypatch.setenv("L10N_MEMORY_URL", f"postgresql://l10n@/memdb?host={tmp_path / 'no-server-here'}")
    with MTServer() as server:
        result = project.cli("translate", "--engine", "libre", "--url", server.url)
        assert result.exit_code == 2 and "cannot connect to the translation memory" in result.output
        assert server.seen == []
    assert not any(e.msgstr for e in entries(project, "a.md").values())


# -- shards ---------------------------------------------------------------------------------------

def test_shards_cover_every_article_exactly_once(project):
    for i in range(60):
        project.add(f"{'sub/' if i % 3 else ''}a{i}.md", f"第{i}篇。\n")
    config = project.config
    everything = config.sources()
    for count in (1, 2, 3, 8):
        parts = [config.scan((), Shard(k, count))[0] for k in range(1, count + 1)]
        assert sorted(p for part in parts for p in part) == sorted(everything)  # each in one part, none lost
        assert all(parts) or count > len(everything)
    assert Shard.parse("3/8") == Shard(3, 8)
    for bad in ("0/3", "4/3", "3", "a/b", "1/0"):
        with pytest.raises(L10nError):
            Shard.parse(bad)


def test_shard_option_on_the_commands(project):
    for i in range(12):
        project.add(f"a{i}.md", f"第{i}篇。\n")
    assert project.cli("extract").exit_code == 0
    seen = []
    for k in (1, 2, 3):
        result = project.cli("status", "--shard", f"{k}/3", "--format", "json")
        assert result.exit_code == 0
        seen += [f["source"] for f in json.loads(result.output)["files"]]
        for command in (("build",), ("check", "--format", "text"), ("review",), ("translate", "--dry-run")):
            assert project.cli(*command, "--shard", f"{k}/3").exit_code in (0, 1)
    assert sorted(seen) == sorted(f"content/zh/a{i}.md" for i in range(12))
    assert project.cli("status", "--shard", "4/3").exit_code == 2


# -- sharded jobs on one shared memory --------------------------------------------------------------

def shared_site(project, articles: int) -> None:
    """Articles sharing most of their paragraphs: what sharded jobs must not pay for twice."""
    for i in range(articles):
        paragraphs = [f"第{i}篇文章的开头。"] + [SHARED[(i + j) % len(SHARED)] for j in range(4)]
        project.add(f"a{i:02d}.md", f"---\ntitle: 文章{i}\n---\n\n" + "\n\n".join(paragraphs) + "\n")
    assert project.cli("extract").exit_code == 0


def start_job(project, server: MTServer, *args: str, engine: str = "libre", qa: str = "off") -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": SRC}
    where = ["--url", server.url] if engine == "libre" else ["--url", server.url + "/v1", "--model", "m"]
    return subprocess.Popen([sys.executable, "-m", "l10n", "translate", "--engine", engine, *where, "--qa", qa,
                             *args], cwd=project.root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish(jobs: list[subprocess.Popen], timeout: float) -> list[str]:
    """Each job's output; a job still running after `timeout` seconds is killed and fails the test (a deadlock)."""
    deadline, outputs = time.monotonic() + timeout, []
    for job in jobs:
        try:
            outputs.append(job.communicate(timeout=max(0.1, deadline - time.monotonic()))[0])
        except subprocess.TimeoutExpired:
            for other in jobs:
                other.kill()
            pytest.fail(f"a translate job still running after {timeout} s: a deadlock")
    assert [job.returncode for job in jobs] == [0] * len(jobs), outputs
    return outputs


def all_started(pg_url: str, jobs: int, timeout: float = 60) -> None:
    """Block until `jobs` translate jobs have noted their start (the memory's clock, their first query after the
    schema check) and the server's clock has moved on to a later second: what a draft flagged from then on is
    dated after, to every job. Only a start line for the test: a draft flagged before a job started is, for that
    job, an earlier run's, sent again; and dates are to the second (see `TranslationMemory`)."""
    import psycopg
    deadline = time.monotonic() + timeout
    with psycopg.connect(pg_url, autocommit=True) as db:
        while time.monotonic() < deadline:
            started = db.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'l10n' "
                                 "AND datname = current_database() AND query != '' AND query NOT LIKE "
                                 "'%l10n_schema%' AND query NOT LIKE '%to_regclass%'").fetchone()[0]
            if started >= jobs:
                break
            time.sleep(0.02)
        second = db.execute("SELECT date_trunc('second', clock_timestamp())").fetchone()[0]
        while db.execute("SELECT date_trunc('second', clock_timestamp())").fetchone()[0] == second:
            time.sleep(0.02)


def test_sharded_jobs_on_a_shared_memory_send_each_segment_once(project, pg_url, monkeypatch):
    """Seven overlapping jobs, the QA loop on, an engine that stays wrong on some texts: each distinct segment
    is sent once as a first request (and once more with its findings if its draft is wrong); the jobs that waited
    for a segment whose draft stayed wrong take that flagged draft, judged by their own checks, and pay nothing."""
    monkeypatch.setenv("L10N_MEMORY_URL", pg_url)
    shared_site(project, 24)
    assert project.cli("memory", "init").exit_code == 0
    with MTServer() as server:
        server.latency = 0.05
        server.blunders = Blunders(0.5, stubborn=True)  # about half the texts get a mistake it never corrects
        gate, lock = threading.Event(), threading.Lock()

        def hold() -> None:  # nothing is translated before every job has started
            with lock:
                if not gate.is_set():
                    all_started(pg_url, 7)
                    gate.set()

        server.on_request = hold
        jobs = [start_job(project, server, "--shard", f"{k}/6", "--concurrency", "2", "--format", "json",
                          engine="openai", qa="on") for k in range(1, 7)]
        jobs.append(start_job(project, server, "--concurrency", "2", "--format", "json", engine="openai",
                              qa="on"))  # and one over everything, overlapping all
        outputs = finish(jobs, timeout=120)
        requests = server.requests("/v1/chat/completions")
        stubborn = {text for text, _ in server.blunders.injected}  # wrong however often it is asked
    first, again = [], []  # texts sent as first requests, and re-asked with the findings on their draft
    for request in requests:
        notes = NOTES_MARK in request.body["messages"][0]["content"]
        (again if notes else first).extend(json.loads(request.body["messages"][1]["content"]).values())
    distinct = set(first)
    assert sum(map(len, first)) / sum(map(len, distinct)) <= 1.02  # the first sends: each distinct segment once
    assert set(SHARED) <= distinct
    assert len(again) == len(set(again)) and set(again) <= distinct  # at most one re-ask per wrong draft
    assert stubborn <= set(again)
    flagged = set(SHARED) & stubborn
    assert flagged, "no shared paragraph got a stubborn mistake: the test would prove nothing"
    qa_flagged = set()
    for i in range(24):
        for msgid, entry in entries(project, f"a{i:02d}.md").items():
            assert entry.msgstr and "fuzzy" in entry.flags
            if "l10n-qa: " in entry.tcomment:
                qa_flagged.add(msgid)
            else:
                assert msgid not in stubborn, msgid  # every job wrote the flagged draft with its findings
    assert stubborn <= qa_flagged <= set(again)
    summaries = [json.loads(output)["summary"] for output in outputs]
    assert sum(s["segments"] for s in summaries) == len(distinct) and sum(s["waited"] for s in summaries)
    # the drafts flagged by one job and taken by those that waited for them count as flagged there too
    assert sum(s["flagged"] for s in summaries) > len(qa_flagged)


def test_the_claims_of_a_killed_job_are_taken_over_once_they_lapse(project, pg_url, monkeypatch):
    monkeypatch.setenv("L10N_MEMORY_URL", pg_url)
    shared_site(project, 4)
    with (project.root / "l10n.toml").open("a", encoding="utf-8") as toml:
        toml.write("\n[translate]\nclaim_ttl = 2\n")
    assert project.cli("memory", "init").exit_code == 0
    with MTServer() as server:
        release = threading.Event()
        server.on_request = lambda: release.wait(60)  # the first job's requests hang: it holds its claims
        doomed = start_job(project, server, "--concurrency", "1")
        deadline = time.monotonic() + 60
        while server.in_flight == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.in_flight, "the job to kill never sent anything"
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(30)
        release.set()
        before = len(sent_texts(server))
        finish([start_job(project, server)], timeout=60)
        resent = sent_texts(server)[before:]
    assert all(e.msgstr for i in range(4) for e in entries(project, f"a{i:02d}.md").values())
    assert set(SHARED) <= set(resent)


def test_jobs_redoing_a_remembered_draft_that_fails_todays_checks_send_it_once(project, pg_url, monkeypatch):
    """The memory holds a draft that passed when it was stored but fails the checks now: each job rejects it,
    and one of them claims and sends it again; the other waits for that one instead of sending it unclaimed."""
    from l10n.memory import Unit
    from l10n.memory.postgres import PgMemory
    monkeypatch.setenv("L10N_MEMORY_URL", pg_url)
    amount = "比亚迪去年的收入达到140亿美元，同比增长百分之三十。"
    (project.root / "glossary.yaml").write_text("terms:\n  - source: 比亚迪\n    target: BYD\n", encoding="utf-8")
    project.add("a.md", f"---\ntitle: 新闻\n---\n\n{amount}\n")
    assert project.cli("extract").exit_code == 0
    assert project.cli("memory", "init").exit_code == 0
    with PgMemory(pg_url) as memory:
        memory.add(Unit("zh", "en", amount, "BYD's revenue reached $1.4 billion, up 30%.", "libre",
                        "20240101T000000Z", "passed"))  # judged by older checks
    with MTServer() as server:
        gate, lock = threading.Event(), threading.Lock()

        def hold() -> None:  # nothing is translated before both jobs have planned (and rejected the draft)
            with lock:
                if not gate.is_set():
                    all_started(pg_url, 2)
                    gate.set()

        server.on_request = hold
        finish([start_job(project, server, "--concurrency", "1", qa="on") for _ in range(2)], timeout=60)
        sent = [text for text in sent_texts(server) if "140亿美元" in text]
    assert len(sent) == 1, sent
    assert "$14 billion" in entries(project, "a.md")[amount].msgstr


def test_a_claim_lost_while_its_request_is_in_flight_is_waited_for_and_its_reply_not_written(project):
    """The renewal finds another job holding the segments (this job's claims lapsed): the replies still in
    flight are neither written nor remembered; the other job's translations are taken once it has them."""
    from l10n.memory import MEMORY_FILE, Unit
    from l10n.memory.sqlite import SqliteMemory
    from l10n.mt import Settings, create
    from l10n.translate import TranslateOptions, plan

    project.add("a.md", "---\ntitle: 新闻\n---\n\n" + SHARED[0] + "\n")
    assert project.cli("extract").exit_code == 0
    with MTServer() as server, SqliteMemory(project.root / MEMORY_FILE, project.root) as memory:
        def taken_over() -> None:  # in the server, while the request is in flight
            for key in list(memory.claims):
                memory.claims[key] = ("other-job", time.monotonic() + 60)
            time.sleep(0.5)  # the sending job renews its claims meanwhile

        theirs: dict = {}
        real_wait = memory.wait

        def wait(keys, timeout, **kwargs):  # the other job commits its translations
            for key in keys:
                if key not in theirs:
                    theirs[key] = f"Theirs {len(theirs)}."
                    memory.add(Unit(*key, theirs[key], "deepl", memory.clock()))
            return real_wait(keys, timeout, **kwargs)

        server.on_request = taken_over
        memory.wait = wait  # type: ignore[method-assign]
        job = plan(project.config, create(Settings(engine="libre", url=server.url)), memory=memory,
                   options=TranslateOptions(claim_ttl=0.15, save_every=0.02, poll=0.02, qa="off"))
        job.run()
        assert len(server.requests("/translate")) == 1
        assert {key: memory.lookup(*key).target for key in theirs} == theirs  # not overwritten
    assert sorted(e.msgstr for e in entries(project, "a.md").values()) == sorted(theirs.values())
    assert job.summary.waited == 2 and job.summary.segments == 0
