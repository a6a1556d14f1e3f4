"""Translation memory: nothing is paid for twice, human translations win, TMX 1.4 in and out."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import polib

from l10n.memory import MEMORY_FILE, Unit
from l10n.memory.sqlite import SqliteMemory as Memory
from mt_servers import MTServer, entries, make_site, run

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_a_second_run_and_a_run_after_lost_catalogs_send_nothing(project):
    make_site(project)
    with MTServer() as server:
        first = run(project, "libre", server.url)
        assert first.summary.characters == first.summary.unique_characters > 0
        assert run(project, "libre", server.url).summary.characters == 0
        drafts = entries(project, "a.md")
        for po in (project.root / "locales").rglob("*.po"):
            po.unlink()
        assert project.cli("extract").exit_code == 0
        again = run(project, "libre", server.url)
        assert again.summary.requests == 0 and again.summary.reused == first.summary.segments
        assert len(server.requests("/translate")) == first.summary.requests
    restored = entries(project, "a.md")
    assert {m: e.msgstr for m, e in restored.items()} == {m: e.msgstr for m, e in drafts.items()}
    assert all("fuzzy" in e.flags and e.tcomment == "machine translation: libre" for e in restored.values())


def test_a_reviewed_translation_elsewhere_wins_over_the_engine_and_over_machine_memory(project):
    make_site(project)
    shared = "xAI与OpenAI竞争。"
    with Memory(project.root / MEMORY_FILE, project.root) as memory:
        memory.add(Unit("zh", "en", shared, "machine version", "google", "20240101T000000Z"))
    po = polib.pofile(str(project.po("a.md")))
    po.find(shared).msgstr = "xAI competes with OpenAI."
    po.save()
    with MTServer() as server:
        job = run(project, "libre", server.url)
        sent = [t for r in server.requests("/translate") for t in r.body["q"]]
    assert not any("竞争" in t for t in sent)
    entry = entries(project, "b.md")[shared]
    assert entry.msgstr == "xAI competes with OpenAI." and "fuzzy" not in entry.flags
    assert entry.tcomment == "translation memory: human" and job.summary.reused == 1
    with Memory(project.root / MEMORY_FILE, project.root) as memory:
        assert memory.lookup("zh", "en", shared).origin == "human"


def test_tmx_export_then_import_into_another_project_sends_nothing(project, tmp_path, monkeypatch):
    make_site(project)
    run(project, "pseudo")
    po = polib.pofile(str(project.po("b.md")))
    po.find("芯片短缺仍在继续。").msgstr = "The chip shortage goes on."
    po.find("芯片短缺仍在继续。").flags = []
    po.save()
    result = project.cli("memory", "export", "out.tmx")
    assert result.exit_code == 0, result.output
    root = ET.parse(project.root / "out.tmx").getroot()
    assert root.get("version") == "1.4" and root.find("header").get("srclang") == "zh"
    units = {tu.find("tuv/seg").text: tu for tu in root.iter("tu")}
    human = units["芯片短缺仍在继续。"]
    assert human.find("prop").text == "human" and human.findall("tuv")[1].get(XML_LANG) == "en"
    assert human.findall("tuv/seg")[1].text == "The chip shortage goes on."
    assert units["xAI与OpenAI竞争。"].find("prop").text == "pseudo"

    from conftest import Project
    other = make_site(Project(tmp_path / "other", monkeypatch))
    result = other.cli("memory", "import", str(project.root / "out.tmx"))
    assert result.exit_code == 0 and f"imported {len(units)} translation unit" in result.output
    with MTServer() as server:
        job = run(other, "libre", server.url)
    assert job.summary.characters == 0
    assert entries(other, "b.md")["芯片短缺仍在继续。"].msgstr == "The chip shortage goes on."


def test_tmx_from_a_cat_tool_with_regional_codes_counts_as_human(project):
    make_site(project)
    (project.root / "omegat.tmx").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="zh-CN"/><body>'
        '<tu><tuv xml:lang="zh-CN"><seg>芯片短缺仍在继续。</seg></tuv>'
        '<tuv xml:lang="en-US"><seg>Chips are <bpt i="1">&lt;b&gt;</bpt>still<ept i="1">&lt;/b&gt;</ept> short.</seg>'
        '</tuv><tuv xml:lang="fr"><seg>Pénurie.</seg></tuv></tu></body></tmx>', encoding="utf-8")
    assert project.cli("memory", "import", "omegat.tmx").exit_code == 0
    with Memory(project.root / MEMORY_FILE, project.root) as memory:
        unit = memory.lookup("zh", "en", "芯片短缺仍在继续。")
        assert memory.lookup("zh", "fr", "芯片短缺仍在继续。") is None  # not a project language
    assert unit.origin == "human" and unit.target == "Chips are <b>still</b> short."
    (project.root / "broken.tmx").write_text("<tmx><body>", encoding="utf-8")
    result = project.cli("memory", "import", "broken.tmx")
    assert result.exit_code == 2 and "not a readable TMX file" in result.output


def test_reviewed_entries_become_human_units_dated_by_the_memorys_clock(project, monkeypatch):
    """`memory learn` and a translate run both remember reviewed entries, dated as the (shared) memory dates."""
    from l10n.translate import learn

    make_site(project)
    po = polib.pofile(str(project.po("b.md")))
    po.find("芯片短缺仍在继续。").msgstr = "Reviewed."
    po.save()
    monkeypatch.setattr(Memory, "clock", lambda self: "20000101T000000Z")  # the server's clock, not this machine's
    with Memory(project.root / MEMORY_FILE, project.root) as memory:
        assert learn(project.config, memory) == 1
        unit = memory.lookup("zh", "en", "芯片短缺仍在继续。")
    assert (unit.target, unit.origin, unit.created) == ("Reviewed.", "human", "20000101T000000Z")
    (project.root / MEMORY_FILE).unlink()
    run(project, "pseudo")
    with Memory(project.root / MEMORY_FILE, project.root) as memory:
        unit = memory.lookup("zh", "en", "芯片短缺仍在继续。")
    assert (unit.target, unit.origin, unit.created) == ("Reviewed.", "human", "20000101T000000Z")
