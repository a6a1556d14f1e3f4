"""One suite, both memories: the SQLite file and the shared PostgreSQL memory behave the same."""

from __future__ import annotations

import calendar
import re
import time

import pytest

from l10n.memory import Unit, migrate, stats
from l10n.memory.sqlite import SqliteMemory as Memory
from l10n.memory.tmx import export_tmx, import_tmx


@pytest.fixture(params=["sqlite", "postgres"])
def fresh(request, tmp_path):
    """A function opening a new, empty memory of the parametrised kind (several per test if need be)."""
    opened = []

    def open_new():
        if request.param == "sqlite":
            memory = Memory(tmp_path / f"m{len(opened)}" / "memory.sqlite3", tmp_path)
        else:
            from l10n.memory.postgres import PgMemory
            url = request.getfixturevalue("pg_server").create_database()
            with PgMemory(url, require_schema=False) as empty:
                assert migrate(empty) == (0, 1)
            memory = PgMemory(url)
        opened.append(memory)
        return memory

    yield open_new
    for memory in opened:
        memory.close()


@pytest.fixture
def memory(fresh):
    return fresh()


def test_lookup_prefers_human_then_the_newest_and_keeps_pairs_apart(memory):
    memory.add(Unit("zh", "en", "芯片", "chip (old MT)", "google", "20240101T000000Z"))
    memory.add(Unit("zh", "en", "芯片", "chip (new MT)", "deepl", "20240301T000000Z"))
    memory.commit()
    assert memory.lookup("zh", "en", "芯片").target == "chip (new MT)"
    memory.add(Unit("zh", "en", "芯片", "Chip", "human", "20230101T000000Z"))
    memory.commit()
    assert memory.lookup("zh", "en", "芯片") == Unit("zh", "en", "芯片", "Chip", "human", "20230101T000000Z")
    assert memory.lookup("zh", "fr", "芯片") is None and memory.lookup("zh", "en", "芯片。") is None
    assert memory.lookup_many([("zh", "en", "芯片"), ("zh", "fr", "芯片")]) == {
        ("zh", "en", "芯片"): memory.lookup("zh", "en", "芯片")}


def test_an_added_unit_is_found_before_commit_by_its_own_memory(memory):
    memory.add(Unit("zh", "en", "未提交", "uncommitted", "deepl", "20240101T000000Z"))
    assert memory.lookup("zh", "en", "未提交").target == "uncommitted"


def test_add_keeps_the_first_date_of_an_unchanged_translation(memory):
    memory.add(Unit("zh", "en", "你好", "Hello", "deepl", "20240101T000000Z"))
    memory.commit()
    memory.add(Unit("zh", "en", "你好", "Hello", "deepl", "20250101T000000Z"))
    memory.commit()
    assert memory.lookup("zh", "en", "你好").created == "20240101T000000Z"
    memory.add(Unit("zh", "en", "你好", "Hi", "deepl", "20250202T000000Z"))
    memory.add(Unit("zh", "en", "你好", "Hi", "deepl", "20260101T000000Z"))  # same batch: still the first date
    memory.commit()
    assert memory.lookup("zh", "en", "你好") == Unit("zh", "en", "你好", "Hi", "deepl", "20250202T000000Z")


def test_best_gives_what_lookup_gives_in_a_stable_order(memory):
    units = [Unit("zh", "en", "乙", "B machine", "deepl", "20240102T000000Z"),
             Unit("zh", "en", "乙", "B human", "human", "20240101T000000Z"),
             Unit("zh", "en", "甲", "A", "deepl", "20240101T000000Z"),
             Unit("zh", "fr", "甲", "A fr", "deepl", "20240101T000000Z"),
             Unit("en", "zh", "Zebra", "斑马", "human", "20240101T000000Z"),
             Unit("zh", "en", "Abc 甲", "Abc A", "deepl", "20240101T000000Z")]
    for unit in units:
        memory.add(unit)
    best = memory.best()  # best() sees what was added without an explicit commit
    assert [(u.source_lang, u.source, u.target_lang, u.target) for u in best] == [
        ("en", "Zebra", "zh", "斑马"), ("zh", "Abc 甲", "en", "Abc A"), ("zh", "乙", "en", "B human"),
        ("zh", "甲", "en", "A"), ("zh", "甲", "fr", "A fr")]  # code point order: 乙 U+4E59 < 甲 U+7532
    assert all(memory.lookup(u.source_lang, u.target_lang, u.source) == u for u in best)


def test_a_paragraph_longer_than_an_index_entry_is_stored_and_found(memory):
    long = "很长的段落，" * 2000  # 36 KB of UTF-8: more than a btree entry can hold
    memory.add(Unit("zh", "en", long, "A long paragraph.", "deepl", "20240101T000000Z"))
    memory.commit()
    assert memory.lookup("zh", "en", long).target == "A long paragraph."
    assert memory.lookup("zh", "en", long[:-1]) is None


def test_tmx_round_trip_keeps_every_best_unit(fresh, tmp_path):
    first = fresh()
    for unit in (Unit("zh", "en", "芯片短缺。", "The chip shortage.", "human", "20240101T000000Z"),
                 Unit("zh", "en", "芯片短缺。", "Chip shortage (MT).", "deepl", "20240301T000000Z"),
                 Unit("zh", "en", "<b>加粗</b> & 符号", "<b>Bold</b> & signs", "deepl", "20240201T000000Z"),
                 Unit("zh", "fr", "芯片", "puce", "google", "20240101T000000Z")):
        first.add(unit)
    first.commit()
    assert export_tmx(first, tmp_path / "out.tmx", "zh") == 3
    second = fresh()
    assert import_tmx(second, tmp_path / "out.tmx", "zh", ("en", "fr")) == 3
    assert second.best() == first.best()


def test_claims_are_exclusive_renewed_released_and_taken_over_when_expired(memory):
    keys = {("zh", "en", "一"), ("zh", "en", "二"), ("zh", "fr", "一")}
    assert memory.claim(keys, "job-a", ttl=60) == keys
    assert memory.claim(keys, "job-b", ttl=60) == set()
    assert memory.claim(keys, "job-a", ttl=60) == keys  # renewed
    memory.release({("zh", "en", "一")}, "job-b")  # not b's to release
    assert memory.claim(keys, "job-b", ttl=60) == set()
    memory.release({("zh", "en", "一")}, "job-a")
    assert memory.claim(keys, "job-b", ttl=60) == {("zh", "en", "一")}
    memory.add(Unit("zh", "en", "一", "one", "deepl", "20240101T000000Z"))
    memory.commit()
    assert memory.claim({("zh", "en", "一")}, "job-c", ttl=60) == set()  # known: nobody sends it again
    assert memory.wait({("zh", "en", "一")}, timeout=5) == {("zh", "en", "一"): memory.lookup("zh", "en", "一")}
    assert memory.claim({("zh", "fr", "一")}, "job-c", ttl=0.2) == set()
    memory.release(keys, "job-a")
    assert memory.claim({("zh", "fr", "一")}, "job-c", ttl=0.2) == {("zh", "fr", "一")}
    time.sleep(0.3)
    assert memory.claim({("zh", "fr", "一")}, "job-d", ttl=60) == {("zh", "fr", "一")}  # c's claim lapsed


def test_stats_count_units_per_pair_and_origin(memory):
    for unit in (Unit("zh", "en", "一二", "one two", "deepl", "20240101T000000Z"),
                 Unit("zh", "en", "三", "three", "deepl", "20240301T000000Z"),
                 Unit("zh", "en", "三", "Three", "human", "20240201T000000Z"),
                 Unit("zh", "fr", "三", "trois", "deepl", "20240101T000000Z")):
        memory.add(unit)
    result = stats(memory)
    assert [(r.source_lang, r.target_lang, r.origin, r.units, r.characters, r.last_use) for r in result.rows] == [
        ("zh", "en", "deepl", 2, 3, "20240301T000000Z"), ("zh", "en", "human", 1, 1, "20240201T000000Z"),
        ("zh", "fr", "deepl", 1, 1, "20240101T000000Z")]
    assert result.size > 0 and result.where
    assert migrate(memory) == migrate(memory)  # idempotent



def test_a_draft_flagged_after_the_job_started_is_the_fleets_work_and_one_flagged_before_is_not(memory):
    since = "20250101T120000Z"  # the job's start (a `clock()` reading), to the second
    before, same, after, none = (("zh", "en", text) for text in ("前", "同", "后", "无"))
    memory.add(Unit(*before, "qian", "deepl", "20250101T115959Z", "flagged"))  # an earlier run's
    memory.add(Unit(*same, "tong", "deepl", since, "flagged"))  # the start's own second: maybe an earlier run's
    memory.add(Unit(*after, "hou", "deepl", "20250101T120001Z", "flagged"))  # this run's: the fleet's work
    memory.commit()
    keys = {before, same, after, none}
    assert memory.lookup_many(keys) == {}  # a flagged draft is never reused as it is
    assert memory.claim(keys, "job-a", ttl=60) == keys  # without `since`: every flagged draft is sent again
    memory.release(keys, "job-a")
    assert memory.claim(keys, "job-b", ttl=60, since=since) == {before, same, none}
    assert memory.wait(keys - {none}, timeout=5, since=since) == {
        after: Unit(*after, "hou", "deepl", "20250101T120001Z", "flagged")}
    assert memory.wait([after], timeout=0) == {}
    memory.add(Unit(*before, "qian", "deepl", "20250101T120002Z", "flagged"))  # the same draft flagged again in
    memory.commit()  # this run: dated anew (an unchanged machine draft that passed keeps its first date)
    assert memory.wait([before], timeout=5, since=since)[before].created == "20250101T120002Z"
    memory.add(Unit(*after, "After.", "deepl", "20250101T120003Z", "passed"))  # a reusable unit wins
    memory.commit()
    assert memory.wait([after], timeout=5, since=since)[after].qa == "passed"


def test_the_clock_is_the_memorys_time_in_tmx_form(memory):
    first = memory.clock()
    assert re.fullmatch(r"\d{8}T\d{6}Z", first) and first <= memory.clock()
    assert abs(calendar.timegm(time.strptime(first, "%Y%m%dT%H%M%SZ")) - time.time()) < 60  # this test's host


def test_a_rejected_unit_is_claimed_for_redoing_and_settled_only_by_the_fleets_work_of_this_run(memory):
    since = "20250101T120000Z"  # the job's start
    key = ("zh", "en", "旧")
    memory.add(Unit(*key, "old draft", "deepl", "20240101T000000Z", "passed"))  # fails today's checks
    memory.commit()
    assert memory.claim([key], "job-a", ttl=60, since=since) == set()  # as settled: nobody would send it
    assert memory.claim([key], "job-a", ttl=60, since=since, redo=[key]) == {key}  # the planner rejected it
    assert memory.claim([key], "job-a", ttl=60, since=since, redo=[key]) == {key}  # renewed, not given back
    assert memory.claim([key], "job-b", ttl=60, since=since, redo=[key]) == set()  # a's to send
    assert memory.wait([key], timeout=0, since=since, redo=[key]) == {}  # not the old unit: a's new one
    assert memory.wait([key], timeout=5, since=since)[key].target == "old draft"  # (without `redo`, as before)
    memory.add(Unit(*key, "new draft", "deepl", "20250101T120001Z", "flagged"))  # a redid it, still wrong
    memory.commit()
    assert memory.claim([key], "job-b", ttl=60, since=since, redo=[key]) == set()  # paid for in this run
    assert memory.wait([key], timeout=5, since=since, redo=[key]) == {
        key: Unit(*key, "new draft", "deepl", "20250101T120001Z", "flagged")}
    memory.add(Unit(*key, "New.", "google", "20250101T120002Z", "passed"))
    memory.commit()
    assert memory.wait([key], timeout=5, since=since, redo=[key])[key].target == "New."
