"""`l10n translate`, `glossary check`: options, config, stale catalogs, interruptions, concurrency and rate."""

from __future__ import annotations

import json
import shutil
import subprocess
import time

import polib
import pytest

from l10n.pofile import load_catalog
from mt_servers import MTServer, entries, make_site, run


def test_pseudo_translate_then_build_fuzzy_gives_an_english_edition(project):
    make_site(project)
    result = project.cli("translate", "--engine", "pseudo")
    assert result.exit_code == 0, result.output
    assert "written locales/en/a.po" in result.output and "0 failed" in result.output
    assert project.cli("build").exit_code == 0
    assert "马斯克说" in project.out("a.md").read_text()  # drafts are fuzzy: not published by default
    assert project.cli("build", "--fuzzy").exit_code == 0
    english = project.out("a.md").read_text()
    assert "Musk" in english and "](https://x.ai/blog" in english and "马斯克" not in english


def test_dry_run_counts_what_would_be_sent_and_sends_nothing(project):
    make_site(project)
    with MTServer() as server:
        (project.root / "l10n.toml").open("a").write(f'\n[translate]\nengine = "libre"\nurl = "{server.url}"\n')
        result = project.cli("translate", "--dry-run", "--format", "json")
        assert result.exit_code == 0, result.output
        plan = json.loads(result.stdout)
        assert plan["engine"] == "libre" and plan["requests"] == 1 and plan["segments"] == 8
        assert server.seen == [] and entries(project, "a.md")["xAI与OpenAI竞争。"].msgstr == ""
        result = project.cli("translate", "--format", "json")  # engine and url from l10n.toml
        report = json.loads(result.stdout)
        assert report["summary"]["characters"] == plan["characters"] and report["summary"]["requests"] == 1
        assert len(server.seen) == 1


def test_only_empty_entries_unless_retranslate_fuzzy_or_force(project):
    make_site(project)
    po = polib.pofile(str(project.po("b.md")))
    po.find("芯片短缺仍在继续。").msgstr = "Reviewed."
    po.save()
    run(project, "pseudo")
    assert entries(project, "b.md")["芯片短缺仍在继续。"].msgstr == "Reviewed."
    project.add("b.md", (project.root / "content/zh/b.md").read_text().replace("继续", "蔓延"))
    assert project.cli("extract").exit_code == 0
    changed = entries(project, "b.md")["芯片短缺仍在蔓延。"]
    assert "fuzzy" in changed.flags and changed.previous_msgid and changed.msgstr == "Reviewed."
    run(project, "pseudo")
    assert entries(project, "b.md")["芯片短缺仍在蔓延。"].msgstr == "Reviewed."
    run(project, "pseudo", retranslate_fuzzy=True)
    redone = entries(project, "b.md")["芯片短缺仍在蔓延。"]
    assert redone.msgstr != "Reviewed." and redone.previous_msgid is None
    assert redone.tcomment == "machine translation: pseudo" and "fuzzy" in redone.flags
    with MTServer() as server:
        forced = run(project, "libre", server.url, force=True)
    assert forced.summary.characters > 0 and forced.summary.reused == 0
    assert all(e.tcomment == "machine translation: libre" for e in entries(project, "b.md").values())


def test_a_stale_catalog_is_reported_and_left_alone_while_the_others_are_translated(project):
    make_site(project)
    before = project.po("a.md").read_bytes()
    project.add("a.md", "---\ntitle: 新标题\n---\n\n新内容。\n")
    for format in ("text", "json"):  # the dry run fails like the real run when it would skip a file
        dry = project.cli("translate", "--engine", "pseudo", "--dry-run", "--format", format)
        assert dry.exit_code == 1, dry.output
        assert "a.md" in dry.output
    result = project.cli("translate", "--engine", "pseudo")
    assert result.exit_code == 1
    assert "the source changed since locales/en/a.po was extracted" in result.output
    assert project.po("a.md").read_bytes() == before
    assert all(e.msgstr for e in entries(project, "b.md").values())


def test_paths_limit_the_files(project):
    make_site(project)
    assert project.cli("translate", "--engine", "pseudo", "content/zh/b.md").exit_code == 0
    assert all(e.msgstr for e in entries(project, "b.md").values())
    assert not any(e.msgstr for e in entries(project, "a.md").values())


def test_an_interrupted_run_keeps_every_translation_received_in_valid_catalogs(project):
    make_site(project)
    with MTServer() as server:
        server.latency = 0.05
        received = []

        def interrupt(segments, chars):
            received.append(segments)
            if len(received) == 3:
                raise KeyboardInterrupt

        from l10n.memory import MEMORY_FILE
        from l10n.memory.sqlite import SqliteMemory as Memory
        from l10n.mt import Settings, create
        from l10n.translate import TranslateOptions, plan
        config = project.config
        engine = create(Settings(engine="google", url=server.url + "/m"))
        with Memory(config.root / MEMORY_FILE, config.root) as memory:
            job = plan(config, engine, memory=memory, options=TranslateOptions(concurrency=1))
            with pytest.raises(KeyboardInterrupt):
                job.run(interrupt)
    done = [e for rel in ("a.md", "b.md") for e in entries(project, rel).values() if e.msgstr]
    assert len(done) >= 3 and all("fuzzy" in e.flags for e in done)
    for rel in ("a.md", "b.md"):
        load_catalog(project.po(rel), rel, project.root)  # strict parse
        if shutil.which("msgfmt"):
            subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(project.po(rel))], check=True)
    with Memory(project.root / MEMORY_FILE, project.root) as memory:
        assert memory.lookup("zh", "en", done[0].msgid) is not None


def test_requests_in_flight_are_bounded_and_rate_limited(project):
    for i in range(12):
        project.add(f"p{i}.md", f"第{'一二三四五六七八九十壹贰'[i]}段。\n")
    assert project.cli("extract").exit_code == 0
    with MTServer() as server:
        server.latency = 0.1
        start = time.perf_counter()
        run(project, "google", server.url + "/m", concurrency=3)
        elapsed = time.perf_counter() - start
        assert server.max_in_flight == 3 and len(server.seen) == 12
        assert 0.39 < elapsed < 1.0  # 12 requests x 0.1 s / 3
        for po in (project.root / "locales").rglob("*.po"):
            po.unlink()
        assert project.cli("extract").exit_code == 0
        start = time.perf_counter()
        run(project, "google", server.url + "/m", force=True, concurrency=12, rate=40)
        assert time.perf_counter() - start > 11 / 40


def test_glossary_check_reports_duplicates_and_contradictions(project):
    (project.root / "glossary.yaml").write_text(
        "terms:\n  - source: 马斯克\n    target: Musk\n  - source: 马斯克\n    target: Musk\n"
        "  - source: 算力\n    target: compute\n    forbidden: [compute]\n  - source: 芯片\n", encoding="utf-8")
    result = project.cli("glossary", "check")
    assert result.exit_code == 1
    assert "glossary.yaml:4: duplicate term '马斯克'" in result.output
    assert "'compute' is both required and forbidden" in result.output
    assert "term '芯片' has no translation for 'en'" in result.output
    (project.root / "glossary.yaml").write_text("terms:\n  - source: xAI\n    translate: false\n", encoding="utf-8")
    result = project.cli("glossary", "check")
    assert result.exit_code == 0 and "1 term(s), 0 problem(s)" in result.output


def test_bad_engine_settings_are_usage_errors(project):
    make_site(project)
    assert "unknown engine 'nope'" in project.cli("translate", "--engine", "nope").output
    result = project.cli("translate", "--engine", "libre")
    assert result.exit_code == 2 and "needs the server's address" in result.output
    result = project.cli("translate", "--engine", "deepl", "--key-env", "MY_DEEPL")
    assert result.exit_code == 2 and "MY_DEEPL" in result.output


def test_translate_without_an_engine_is_a_usage_error(project):
    project.add("a.md", "正文。\n")
    project.cli("extract")
    result = project.cli("translate")
    assert result.exit_code == 2 and "choose an engine" in result.output
    assert polib.pofile(str(project.po("a.md"))).find("正文。").msgstr == ""
