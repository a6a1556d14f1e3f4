"""Bounded cost: a check report linear in the article, fuzzy merging without all-pairs comparisons,
and no worker process outliving the command that started it. Speed itself is measured in bench/."""

from __future__ import annotations

import difflib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import polib
import pytest
from rapidfuzz.distance import Indel

import l10n
from l10n import runner
from l10n.catalog import FUZZY_THRESHOLD

PARAGRAPH = "第{i}段：{topic}公司在本季度公布了新的融资计划，投资者对其数据中心的扩张速度表示关注，分析人士认为竞争仍将加剧。"
TOPICS = "算力 融资 模型 数据 芯片 市场 投资者 营收 估值 竞争".split()


def article(count: int, edit: str = "") -> str:
    """`count` near-duplicate paragraphs (the same template, a numbered topic each), all distinct."""
    return "\n\n".join(PARAGRAPH.format(i=i, topic=TOPICS[i % len(TOPICS)]) + edit for i in range(count)) + "\n"


class CountingMatcher(difflib.SequenceMatcher):
    """difflib's matcher, counting the pairs set up for scoring (the old merge scored all pairs)."""

    made = 0

    def __init__(self, *args, **kwargs):
        type(self).made += 1
        super().__init__(*args, **kwargs)


def edit_every_paragraph(project, count: int) -> list[polib.POEntry]:
    """Extract `count` paragraphs, translate them, add a sentence to each, extract again: the fuzzy entries."""
    source = project.add("long.md", article(count))
    project.cli("extract")
    project.translate_all("long.md", lambda m: "EN " + m)
    source.write_text(article(count, edit="这一消息已得到证实。"), encoding="utf-8")
    assert project.cli("extract").exit_code == 0
    fuzzy = [e for e in polib.pofile(str(project.po("long.md"))) if "fuzzy" in e.flags]
    assert len(fuzzy) == count
    assert all(e.msgid.startswith(e.previous_msgid) and e.msgstr == "EN " + e.previous_msgid for e in fuzzy)
    return fuzzy


def test_fuzzy_merge_does_not_score_all_pairs(project, monkeypatch):
    monkeypatch.setattr(difflib, "SequenceMatcher", CountingMatcher)
    edit_every_paragraph(project, 300)
    assert CountingMatcher.made <= 300 * 10  # all pairs: 300 * 300 = 90,000


def test_fuzzy_merge_scores_a_bounded_number_of_candidates_per_entry(project, monkeypatch):
    from l10n import fuzzy

    scored, score = [], fuzzy.similarity
    monkeypatch.setattr(fuzzy, "similarity", lambda *args: scored.append(args) or score(*args))
    edit_every_paragraph(project, 300)
    assert 300 <= len(scored) <= 300 * (2 * fuzzy.WINDOW + 1 + fuzzy.SHORTLIST)


def _indel(a: str, b: str, cutoff: float = 0.0) -> float:
    return Indel.normalized_similarity(a, b, score_cutoff=cutoff)


def test_fuzzy_merge_keeps_each_paragraph_its_own_translation_and_misses_none(project):
    """Near-duplicate paragraphs edited in different ways: each finds its own old paragraph when that
    reaches the threshold, none that has a candidate above it stays untranslated, none below is matched."""
    count = 120
    source = project.add("long.md", article(count))
    project.cli("extract")
    project.translate_all("long.md", lambda m: "EN " + m)
    old = article(count).strip().split("\n\n")
    new = list(old)
    for i in range(count):
        if i % 4 == 1:
            new[i] = old[i].replace("公司", "集团").replace("表示关注", "十分关注")
        elif i % 4 == 2:
            new[i] = old[i][:12] + "完全重写的段落，与原文几乎无关。"
        elif i % 4 == 3:
            new[i] = old[i].replace("，分析人士认为竞争仍将加剧", "")
    source.write_text("\n\n".join(new) + "\n", encoding="utf-8")
    assert project.cli("extract").exit_code == 0
    merged = {e.msgid: e for e in polib.pofile(str(project.po("long.md"))) if not e.obsolete}
    for i in range(count):
        entry = merged[new[i]]
        if new[i] == old[i]:
            assert entry.msgstr == "EN " + old[i] and "fuzzy" not in entry.flags
        elif _indel(new[i], old[i]) >= FUZZY_THRESHOLD:
            assert "fuzzy" in entry.flags and entry.previous_msgid == old[i], new[i]
        elif max(_indel(new[i], o) for o in old) >= FUZZY_THRESHOLD:
            assert "fuzzy" in entry.flags and _indel(new[i], entry.previous_msgid) >= FUZZY_THRESHOLD
        else:
            assert not entry.msgstr and "fuzzy" not in entry.flags, new[i]


def test_a_paragraph_edited_and_moved_far_keeps_its_translation(project):
    rng = random.Random(7)
    pool = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质信"
    paragraphs = ["".join(rng.choice(pool) for _ in range(40)) + "。" for _ in range(40)]
    source = project.add("a.md", "\n\n".join(paragraphs) + "\n")
    project.cli("extract")
    project.translate_all("a.md", lambda m: "EN " + m)
    edited = [p[:10] + "新" + p[11:30] + "改" + p[31:] for p in paragraphs]  # every paragraph: all unmatched
    source.write_text("\n\n".join(edited[1:] + edited[:1]) + "\n", encoding="utf-8")  # the first moved last
    project.cli("extract")
    po = polib.pofile(str(project.po("a.md")))
    for before, after in zip(paragraphs, edited):
        entry = po.find(after)
        assert "fuzzy" in entry.flags and entry.previous_msgid == before and entry.msgstr == "EN " + before


def test_one_short_msgid_still_finds_its_longer_self(project):
    source = project.add("a.md", "# 序\n\n正文。\n")
    project.cli("extract")
    project.translate_all("a.md", lambda m: "EN " + m)
    source.write_text("# 序言\n\n正文。\n", encoding="utf-8")
    project.cli("extract")
    entry = polib.pofile(str(project.po("a.md"))).find("序言")
    assert "fuzzy" in entry.flags and entry.previous_msgid == "序" and entry.msgstr == "EN 序"


def test_check_report_holds_one_finding_per_check_and_entry(project):
    """Every finding carries its entry's msgid: one per problem would make the report grow as
    problems x msgid length, quadratic for a long paragraph citing many figures."""
    count = 200
    cited = "，".join(f"第{i}项增长{i}%[^{i}]" for i in range(1, count + 1))
    notes = "\n\n".join(f"[^{i}]: 出处{i}。" for i in range(1, count + 1))
    project.add("notes.md", f"据统计，{cited}。\n\n{notes}\n")
    project.cli("extract")
    paragraph = next(e.msgid for e in polib.pofile(str(project.po("notes.md"))) if e.msgid.startswith("据统计"))
    project.translate_all("notes.md", lambda m: "Growth" + "".join(f"[^{i}]" for i in range(1, count + 1))
                          if m == paragraph else f"Source {m[2:-1]}.")
    project.cli("build")
    result = project.cli("check", "--format", "json")
    report = json.loads(result.output)
    about_paragraph = [f for f in report["findings"] if f["msgid"] == paragraph]
    assert [f["check"] for f in about_paragraph] == ["numbers"]
    message = about_paragraph[0]["message"]
    assert all(f"'第{i}'" in message and f"'{i}%'" in message for i in (1, count // 2, count))
    assert result.output.count(paragraph) == 1


def _descendants(pid: int) -> set[int]:
    """Live processes under `pid` (Linux /proc; zombies, which hold no resources, do not count)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process tree from /proc")
@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one CPU: extract starts no workers")
def test_workers_exit_when_the_main_process_is_killed(project):
    for i in range(3 * runner.PARALLEL_FROM):
        project.add(f"batch/a{i:03d}.md", article(60))
    env = dict(os.environ, PYTHONPATH=str(Path(l10n.__file__).parents[1]))
    main = subprocess.Popen([sys.executable, "-c", "from l10n.cli import app; app()", "extract"], cwd=project.root,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 30
        while not workers and main.poll() is None and time.monotonic() < deadline:
            workers = _descendants(main.pid)
            time.sleep(0.01)
        assert workers, "extract finished or hung before starting its worker processes"
        main.send_signal(signal.SIGKILL)
        assert main.wait() == -signal.SIGKILL  # killed in the middle of its run, not finished
        deadline = time.monotonic() + 10  # a liveness bound, not a timing measurement
        while (left := {pid for pid in workers if _alive(pid)}) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not left, f"worker processes {sorted(left)} outlived the killed main process"
    finally:
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("command", ["extract", "build"])
def test_each_source_is_read_and_hashed_once(project, monkeypatch, command):
    """The triage reads and hashes a source to decide whether it changed; the worker then works on those
    bytes and that digest, never reading or hashing the source again."""
    from l10n import fingerprint
    from l10n import project as api
    from l10n.config import Config

    for i in range(3):
        project.add(f"a{i}.md", f"---\ntitle: 标题{i}\n---\n\n第{i}段文字。\n")
    if command == "build":
        assert project.cli("extract").exit_code == 0
        for i in range(3):
            project.translate_all(f"a{i}.md")
    reads: list[str] = []
    real_read = Config.read_source
    monkeypatch.setattr(Config, "read_source", lambda self, path: reads.append(path.name) or real_read(self, path))
    hashed: list[int] = []
    real_digest = fingerprint.digest
    monkeypatch.setattr(runner, "digest", lambda *parts: hashed.append(len(parts)) or real_digest(*parts))
    results = getattr(api, command)(project.config)
    assert [r.action for r in results] == [runner.Action.WRITTEN] * 3
    assert sorted(reads) == ["a0.md", "a1.md", "a2.md"]  # once each: by the triage, not again by the work
    assert len(hashed) == 3  # the article's digest, once each
