"""Machine drafts held to the checks of `l10n check`: judged, asked again once with what was wrong, flagged.

The engine is tests/mt_blunders.py behind the local stand-in server: it puts the usual mistakes of
Chinese-English MT into the texts it is told to, and answers correctly when told its findings
(OpenAI protocol), or given the segment split at sentence ends with its amounts protected.
"""

from __future__ import annotations

import json
import sqlite3

import polib
import pytest

from l10n.memory import FLAGGED, MEMORY_FILE, PASSED, Unit
from l10n.memory.sqlite import SqliteMemory as Memory
from l10n.translate.placeholders import protect, restore
from mt_blunders import Blunders
from mt_servers import MTServer, entries, run

GLOSSARY = "terms:\n  - source: 比亚迪\n    target: BYD\n    forbidden: [Biyadi]\n"
AMOUNT = "比亚迪去年的收入达到140亿美元，同比增长百分之三十。"  # one sentence: its amounts can be protected
TWO = "比亚迪发布了新车。新车的续航里程很长，价格也很低。"  # two sentences, no figure


def site(project, *paragraphs: str):
    (project.root / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    project.add("a.md", "---\ntitle: 新闻\n---\n\n" + "\n\n".join(paragraphs) + "\n")
    assert project.cli("extract").exit_code == 0
    return project


def qa_lines(entry: polib.POEntry) -> list[str]:
    return [line for line in entry.tcomment.splitlines() if line.startswith("l10n-qa: ")]


def openai_url(server: MTServer) -> str:
    return server.url + "/v1"


def test_an_openai_draft_with_a_wrong_scale_is_asked_again_with_its_findings_and_repaired(project):
    site(project, AMOUNT)
    with MTServer() as server:
        server.blunders = Blunders(1.0, kinds=("scale",))
        job = run(project, "openai", openai_url(server))
        first, second = server.requests("/v1/chat/completions")[-2:]
    assert [kind for text, kind in server.blunders.injected if "140" in text] == ["scale"]
    prompt = second.body["messages"][0]["content"]
    assert "had these errors" not in first.body["messages"][0]["content"]
    assert "numbers: '140亿' (14,000,000,000) is not in the translation" in prompt
    assert "the source's 140亿美元 is $14 billion in English" in prompt
    assert AMOUNT in json.loads(first.body["messages"][1]["content"]).values()
    assert list(json.loads(second.body["messages"][1]["content"]).values()) == [AMOUNT]  # the same text again
    entry = entries(project, "a.md")[AMOUNT]
    assert "$14 billion" in entry.msgstr and "1.4 billion" not in entry.msgstr
    assert "fuzzy" in entry.flags and entry.tcomment == "machine translation: openai" and qa_lines(entry) == []
    s = job.summary
    assert (s.repaired, s.flagged, s.clean) == (1, 0, 1)  # the title was clean at once
    assert s.qa_characters == len(AMOUNT) == s.qa_wrong_characters and s.qa_note_characters > 0
    with Memory(project.root / MEMORY_FILE, project.root) as memory:
        assert memory.lookup("zh", "en", AMOUNT).qa == PASSED


def test_a_long_segment_re_asked_with_notes_is_sent_within_the_engine_limits_with_the_notes_each_time(
        project, monkeypatch):
    from l10n.mt.openai_engine import OpenAIEngine
    monkeypatch.setattr(OpenAIEngine, "max_chars", 30)  # AMOUNT + TWO: three chunks, two requests at most
    site(project, AMOUNT + TWO)
    with MTServer() as server:
        server.blunders = Blunders(1.0, kinds=("scale",))
        dry = json.loads(project.cli("translate", "--engine", "openai", "--url", openai_url(server), "--model", "m",
                                     "--dry-run", "--format", "json").stdout)
        job = run(project, "openai", openai_url(server))
        asked = [json.loads(r.body["messages"][1]["content"]) for r in server.requests("/v1/chat/completions")]
        prompts = [r.body["messages"][0]["content"] for r in server.requests("/v1/chat/completions")]
    assert all(sum(map(len, texts.values())) <= 30 for texts in asked), asked
    again = [n for n, prompt in enumerate(prompts) if "had these errors" in prompt]
    assert len(again) == dry["qa_worst_case"]["requests"] - 1 > 1  # the title's re-ask is one request
    first = sorted(text for n, texts in enumerate(asked) if n not in again for text in texts.values() if text != "新闻")
    assert sorted(text for n in again for text in asked[n].values()) == first  # the same chunks, in any order
    assert sum(map(len, first)) == len(AMOUNT + TWO)
    assert all("the source's 140亿美元 is $14 billion in English" in prompts[n] for n in again)
    entry = entries(project, "a.md")[AMOUNT + TWO]
    assert "$14 billion" in entry.msgstr and qa_lines(entry) == []
    s = job.summary
    assert s.repaired == 1 and s.qa_note_characters % len(again) == 0 and s.qa_note_characters > 0


def test_a_plain_engine_gets_the_segment_split_with_its_amounts_written_in_by_the_tool(project):
    text = "比亚迪去年的收入达到140亿美元。新车的续航里程很长，价格也很低。"
    site(project, text)
    with MTServer() as server:
        server.blunders = Blunders(1.0, kinds=("scale",))
        job = run(project, "libre", server.url)
        sent = [body.body["q"] for body in server.requests("/translate")]
    assert '<x id="1"/>去年的收入达到140亿美元。新车的续航里程很长，价格也很低。' in sent[0]
    assert sent[-1] == ["比亚迪去年的收入达到<x id=\"2\"/>。".replace("比亚迪", '<x id="1"/>'), "新车的续航里程很长，价格也很低。"]
    entry = entries(project, "a.md")[text]
    assert entry.msgstr.startswith("BYD") and "$14 billion." in entry.msgstr and qa_lines(entry) == []
    assert job.summary.repaired == 1 and job.summary.qa_characters == sum(map(len, sent[-1]))


def test_the_same_request_is_not_sent_twice_and_a_draft_still_wrong_is_flagged_with_each_finding(project):
    one = "新车的续航里程很长，价格也很低"  # one sentence, no figure: re-asking a plain engine changes nothing
    site(project, one, AMOUNT)
    project.translate_all("a.md", lambda msgid: "")
    po = polib.pofile(str(project.po("a.md")))
    po.find(one).tcomment = "house style: short sentences"
    po.save()
    with MTServer() as server:
        server.blunders = Blunders(1.0, kinds=("comma",), stubborn=True)
        job = run(project, "libre", server.url)
        assert [t for r in server.requests("/translate") for t in r.body["q"]].count(one) == 1
    entry = entries(project, "a.md")[one]
    assert "，" in entry.msgstr and "fuzzy" in entry.flags
    assert entry.tcomment.splitlines() == ["house style: short sentences", "machine translation: libre",
                                           "l10n-qa: punctuation: full-width punctuation in the translation: '，'"]
    assert job.summary.flagged == 2 and job.summary.repaired == 0
    with Memory(project.root / MEMORY_FILE, project.root) as memory:
        assert memory.lookup("zh", "en", one) is None  # a flagged draft is never reused
        assert memory.db.execute("SELECT qa FROM units WHERE source = ?", (one,)).fetchone() == (FLAGGED,)
    with MTServer() as server:  # a later run gets a clean draft: the stale flags go, the translator's comment stays
        server.blunders = Blunders(0.0)
        again = run(project, "libre", server.url, retranslate_fuzzy=True)
        assert any(one in r.body["q"] for r in server.requests("/translate"))
    entry = entries(project, "a.md")[one]
    assert entry.tcomment.splitlines() == ["house style: short sentences", "machine translation: libre"]
    assert "，" not in entry.msgstr and again.summary.flagged == 0


def test_flagged_drafts_pass_check_only_as_fuzzy_and_clean_ones_once_accepted(project):
    site(project, AMOUNT, TWO)
    with MTServer() as server:
        server.blunders = Blunders(1.0, kinds=("scale", "literal"), stubborn=True)
        run(project, "openai", openai_url(server))
    po = polib.pofile(str(project.po("a.md")))
    for entry in po:
        if not qa_lines(entry):
            entry.flags.remove("fuzzy")  # the editor accepts the clean drafts
    po.save()
    assert project.cli("build", "--fuzzy").exit_code == 0
    result = project.cli("check", "--allow-fuzzy", "--format", "json")
    findings = [f for f in json.loads(result.stdout)["findings"] if f["severity"] == "error"]
    flagged = {e.msgid: qa_lines(e) for e in po if qa_lines(e)}
    assert set(flagged) == {AMOUNT, TWO} and {f["msgid"] for f in findings} == set(flagged)
    for finding in findings:
        assert f"l10n-qa: {finding['check']}: {finding['message']}" in flagged[finding["msgid"]]


@pytest.mark.parametrize("mode, requests, flagged", [("off", 1, 0), ("report", 1, 1), ("on", 2, 0)])
def test_qa_off_report_and_on(project, mode, requests, flagged):
    site(project, AMOUNT)
    with MTServer() as server:
        server.blunders = Blunders(1.0, kinds=("percent",))
        result = project.cli("translate", "--engine", "openai", "--url", openai_url(server), "--model", "m",
                             "--qa", mode, "--format", "json")
        assert len(server.requests("/v1/chat/completions")) == requests
    summary = json.loads(result.stdout)["summary"]
    assert summary["flagged"] == flagged and summary["repaired"] == (mode == "on")
    entry = entries(project, "a.md")[AMOUNT]
    assert ("30%" in entry.msgstr) == (mode == "on") and bool(qa_lines(entry)) == (mode == "report")
    with Memory(project.root / MEMORY_FILE, project.root) as memory:
        assert memory.db.execute("SELECT qa FROM units WHERE source = ?", (AMOUNT,)).fetchone() == \
            ({"off": "", "report": FLAGGED, "on": PASSED}[mode],)


def test_a_waived_check_is_not_held_against_a_draft(project):
    site(project, AMOUNT)
    po = polib.pofile(str(project.po("a.md")))
    po.find(AMOUNT).tcomment = "l10n: ignore numbers (the source is wrong)"
    po.save()
    with MTServer() as server:
        server.blunders = Blunders(1.0, kinds=("scale",))
        job = run(project, "libre", server.url)
    assert job.summary.repaired == job.summary.flagged == 0 and len(server.blunders.injected) == 1


def test_the_summary_line_and_the_dry_run_show_the_cost_of_the_loop(project):
    site(project, AMOUNT, TWO)
    with MTServer() as server:
        dry = project.cli("translate", "--engine", "libre", "--url", server.url, "--dry-run")
        assert "at worst 70 more characters in 3 request(s)" in dry.stdout, dry.stdout  # TWO: 2 sentences
        dry_json = json.loads(project.cli("translate", "--engine", "libre", "--url", server.url, "--dry-run",
                                          "--format", "json").stdout)
        assert dry_json["qa_worst_case"] == {"characters": 70, "requests": 3}
        server.blunders = Blunders(1.0, kinds=("scale", "han"))
        result = project.cli("translate", "--engine", "libre", "--url", server.url)
    assert "checks: 1 clean, 2 repaired, 0 flagged (# l10n-qa)" in result.stdout, result.stdout
    assert project.cli("translate", "--engine", "libre", "--url", "http://x", "--qa", "maybe").exit_code == 2


def test_a_remembered_machine_draft_that_fails_the_checks_is_sent_again(project):
    site(project, AMOUNT)
    with Memory(project.root / MEMORY_FILE, project.root) as memory:
        memory.add(Unit("zh", "en", AMOUNT, "BYD's revenue reached $1.4 billion, up 30%.", "google", "20240101T000000Z"))
    with MTServer() as server:
        server.blunders = Blunders(0.0)
        job = run(project, "libre", server.url)
        assert any("140亿美元" in text for r in server.requests("/translate") for text in r.body["q"])
    assert job.summary.reused == 0 and "$14 billion" in entries(project, "a.md")[AMOUNT].msgstr


def test_a_memory_file_without_the_qa_column_is_migrated(tmp_path):
    path = tmp_path / "memory.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE units (source_lang TEXT NOT NULL, target_lang TEXT NOT NULL, source TEXT NOT NULL, "
               "target TEXT NOT NULL, origin TEXT NOT NULL, created TEXT NOT NULL, "
               "PRIMARY KEY (source_lang, target_lang, source, origin)) WITHOUT ROWID")
    db.execute("INSERT INTO units VALUES ('zh', 'en', '你好', 'Hello', 'google', '20240101T000000Z')")
    db.commit()
    db.close()
    with Memory(path, tmp_path) as memory:
        assert memory.lookup("zh", "en", "你好") == Unit("zh", "en", "你好", "Hello", "google", "20240101T000000Z", "")
        memory.add(Unit("zh", "en", "你好", "Hello", "google", "20250101T000000Z", FLAGGED))
        assert memory.lookup("zh", "en", "你好") is None and memory.best() == []
        memory.add(Unit("zh", "en", "你好", "Hello", "human", "20250101T000000Z"))
        assert memory.lookup("zh", "en", "你好").origin == "human"
    with Memory(path, tmp_path) as memory:  # opened again: nothing to migrate
        assert len(memory.best()) == 1


def test_adjacent_glossary_terms_are_written_as_separate_words():
    protected = protect("英伟达H20芯片", [(0, 3, "Nvidia"), (3, 6, "H20")])
    assert protected.text == '<x id="1"/><x id="2"/>芯片'
    assert restore('<x id="1"/><x id="2"/>chip', protected) == "Nvidia H20 chip"
    assert restore('the <x id="1"/> <x id="2"/>.', protected) == "the Nvidia H20."
    assert restore('<x id="1"/><x id="2"/>', protect("英伟达H20", [(0, 3, "英伟达"), (3, 6, "H20")])) == "英伟达H20"
