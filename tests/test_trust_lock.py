"""Lost updates: a catalog saved by a translator (or another l10n run) while `translate` or `extract` works on
it keeps that save; the run's own work is put into the fresh file, and two runs take turns on one catalog."""

from __future__ import annotations

import fcntl
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from l10n import project as project_module
from l10n.config import config_text
from l10n.writes import file_lock
from mt_servers import ARTICLE_A, MTServer, entries, make_site, run

PARAGRAPH = "xAI与OpenAI竞争。"
HEADING = "融资进展"
BROKEN = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "x"\nmsgstr "unterminated\n'


def translator_saves(path: Path, edit) -> None:
    """What Poedit does: read the catalog, change it, write it back."""
    po = polib.pofile(str(path), wrapwidth=0)
    edit(po)
    po.save()


def once(action):
    """`action` on the first call only (the engine stand-in may be asked more than once)."""
    done = []

    def call(*args, **kwargs):
        if not done:
            done.append(True)
            action(*args, **kwargs)
    return call


def review(po: polib.POFile) -> None:
    """A translator translates one entry and comments on another, both still empty when the run started."""
    po.find(PARAGRAPH).msgstr = "xAI competes with OpenAI (reviewed)."
    po.find(HEADING).tcomment = "ask the editor about this heading"


def test_a_save_during_translate_keeps_the_translators_edit_and_the_machine_translations(project):
    make_site(project)
    with MTServer() as server:
        server.on_request = once(lambda: translator_saves(project.po("a.md"), review))
        job = run(project, "libre", server.url, timeout=10)
    assert not [e for r in job.results for e in r.errors]
    po = entries(project, "a.md")
    paragraph, heading = po[PARAGRAPH], po[HEADING]
    assert paragraph.msgstr == "xAI competes with OpenAI (reviewed)."  # the human's, untouched
    assert "fuzzy" not in paragraph.flags and "machine translation" not in paragraph.tcomment
    assert heading.msgstr and "fuzzy" in heading.flags  # the machine's, with the human's comment kept
    assert heading.tcomment == "ask the editor about this heading\nmachine translation: libre"
    others = [e for m, e in po.items() if m not in (PARAGRAPH, HEADING)]
    assert others and all(e.msgstr and e.tcomment == "machine translation: libre" for e in others)
    assert all(e.msgstr for e in entries(project, "b.md").values())  # b.md (not edited) as before


def test_a_fuzzy_entry_reviewed_during_retranslate_fuzzy_stays_reviewed(project):
    make_site(project)
    run(project, "pseudo")  # every entry a fuzzy machine draft
    (project.root / ".l10n" / "memory.sqlite3").unlink()  # so that the drafts are sent again

    def accept(po: polib.POFile) -> None:
        entry = po.find(PARAGRAPH)
        entry.msgstr, entry.flags = "Accepted by a person.", []

    with MTServer() as server:
        server.on_request = once(lambda: translator_saves(project.po("a.md"), accept))
        run(project, "libre", server.url, timeout=10, retranslate_fuzzy=True)
    po = entries(project, "a.md")
    assert po[PARAGRAPH].msgstr == "Accepted by a person." and "fuzzy" not in po[PARAGRAPH].flags
    redone = [e for m, e in po.items() if m != PARAGRAPH]
    assert redone and all(e.tcomment == "machine translation: libre" for e in redone)


def test_a_draft_the_translator_cleared_during_translate_is_not_written_back(project):
    """The run saved a draft, the translator cleared it, and a later save of the run had to reload the file."""
    from l10n.mt import Settings, create
    from l10n.translate import plan

    make_site(project)
    job = plan(project.config, create(Settings(engine="pseudo")))
    catalog = next(c for c in job.catalogs if c.path == project.po("a.md"))
    catalog.fill(PARAGRAPH, "xAI competes with OpenAI.", "pseudo")
    catalog.save()

    def clear(po: polib.POFile) -> None:
        entry = po.find(PARAGRAPH)
        entry.msgstr, entry.flags = "", []  # not this draft: the translator will write one

    translator_saves(project.po("a.md"), clear)
    catalog.fill(HEADING, "Funding progress", "pseudo")
    catalog.save()  # reloads: the translator saved meanwhile
    po = entries(project, "a.md")
    assert po[PARAGRAPH].msgstr == "" and po[HEADING].msgstr == "Funding progress"


def test_a_catalog_broken_during_translate_is_reported_with_its_line_and_left_as_saved(project):
    make_site(project)
    with MTServer() as server:
        server.on_request = once(lambda: project.po("a.md").write_text(BROKEN, encoding="utf-8"))
        result = project.cli("translate", "--engine", "libre", "--url", server.url)
    assert result.exit_code == 1, result.output
    assert "locales/en/a.po:6: PO syntax error" in result.output
    assert project.po("a.md").read_text(encoding="utf-8") == BROKEN
    assert all(e.msgstr for e in entries(project, "b.md").values())  # the other catalog is still written


def test_extract_during_translate_is_not_undone(project):
    """Two l10n runs on one catalog: `extract` finishes while `translate` waits; translate's save keeps it."""
    make_site(project)

    def re_extract() -> None:
        project.add("a.md", ARTICLE_A + "\n新增的一段。\n")
        assert project.cli("extract").exit_code == 0

    with MTServer() as server:
        server.on_request = once(re_extract)
        run(project, "libre", server.url, timeout=10)
    po = entries(project, "a.md")
    assert "新增的一段。" in po and po["新增的一段。"].msgstr == ""  # extract's new entry survives
    assert project.cli("status").exit_code == 0 and "stale" not in project.cli("status").output
    assert all(e.msgstr for m, e in po.items() if m != "新增的一段。")  # translate's work too


@pytest.fixture
def slow_merge(monkeypatch):
    """Make extract's merge call `during(n)` at its n-th call, as a slow merge gives others time to act."""
    def install(during):
        real, calls = project_module.update_catalog, []

        def merge(*args, **kwargs):
            calls.append(1)
            during(len(calls))
            return real(*args, **kwargs)
        monkeypatch.setattr(project_module, "update_catalog", merge)
    return install


def test_a_save_during_extract_keeps_the_translators_edit_and_the_new_source(project, slow_merge):
    project.add("a.md", ARTICLE_A)
    assert project.cli("extract").exit_code == 0
    project.add("a.md", ARTICLE_A.replace(PARAGRAPH, PARAGRAPH + "\n\n第二段落。"))
    slow_merge(lambda n: n == 1 and translator_saves(project.po("a.md"), review))
    result = project.cli("extract")
    assert result.exit_code == 0, result.output
    po = entries(project, "a.md")
    assert po[PARAGRAPH].msgstr == "xAI competes with OpenAI (reviewed)."
    assert po[HEADING].tcomment == "ask the editor about this heading"
    assert "第二段落。" in po  # the run's work: the new source merged in
    assert "stale" not in project.cli("status").output


def test_a_save_before_the_flush_is_merged_into_its_own_language(project, slow_merge):
    """Extract defers its writes to one flush per batch; a catalog saved before the flush is merged again
    then, by its own language's merge (not the last language's of the loop)."""
    (project.root / "l10n.toml").write_text(config_text("zh", ["en", "ja"]), encoding="utf-8")
    project.add("a.md", ARTICLE_A)
    assert project.cli("extract").exit_code == 0
    project.add("a.md", ARTICLE_A.replace(PARAGRAPH, PARAGRAPH + "\n\n第二段落。"))
    slow_merge(lambda n: n == 2 and translator_saves(project.po("a.md"), review))  # en written, ja merging
    result = project.cli("extract")
    assert result.exit_code == 0, result.output
    en = polib.pofile(str(project.po("a.md")))
    assert en.metadata["Language"] == "en" and en.find(PARAGRAPH).msgstr == "xAI competes with OpenAI (reviewed)."
    assert en.find("第二段落。") is not None and en.find(HEADING).tcomment == "ask the editor about this heading"
    ja = polib.pofile(str(project.po("a.md", "ja")))
    assert ja.metadata["Language"] == "ja" and ja.find("第二段落。") is not None and not ja.find(PARAGRAPH).msgstr
    assert "stale" not in project.cli("status").output


def test_a_catalog_broken_during_extract_is_reported_with_its_line_and_not_overwritten(project, slow_merge):
    project.add("a.md", ARTICLE_A)
    project.add("b.md", "正文。\n")
    assert project.cli("extract").exit_code == 0
    project.add("a.md", ARTICLE_A + "\n新的。\n")
    project.add("b.md", "正文。\n\n新的。\n")
    slow_merge(lambda n: n == 1 and project.po("a.md").write_text(BROKEN, encoding="utf-8"))
    result = project.cli("extract")
    assert result.exit_code == 1
    assert "locales/en/a.po:6: PO syntax error" in result.output
    assert project.po("a.md").read_text(encoding="utf-8") == BROKEN
    assert "新的。" in entries(project, "b.md")


def test_the_catalog_lock_is_held_while_a_run_recomputes_and_replaces(project, slow_merge):
    """Another l10n process cannot take the catalog's lock while a run re-merges and renames."""
    project.add("a.md", ARTICLE_A)
    assert project.cli("extract").exit_code == 0
    project.add("a.md", ARTICLE_A + "\n新的。\n")
    locks = project.root / ".l10n" / "locks"
    attempts = []

    def during(n: int) -> None:
        if n == 1:
            translator_saves(project.po("a.md"), review)
        else:  # the re-merge onto the translator's save
            attempts.extend(_try_lock(path) for path in locks.iterdir())

    slow_merge(during)
    assert project.cli("extract").exit_code == 0
    assert attempts == [False]  # refused while held
    assert [_try_lock(path) for path in locks.iterdir()] == [True]  # free after the run
    assert entries(project, "a.md")[PARAGRAPH].msgstr == "xAI competes with OpenAI (reviewed)."


BUMP = """
import sys
from pathlib import Path
from l10n.writes import replace_unless_changed

path, locks = Path(sys.argv[1]), Path(sys.argv[2])

def bump():
    seen = path.read_bytes()
    return seen, str(int(seen) + 1).encode()

for _ in range(int(sys.argv[3])):
    replace_unless_changed(path, *bump(), bump, locks, path.parent)
"""


def test_concurrent_writers_of_one_file_lose_no_update(tmp_path):
    """Three processes each add 1 to a counter file 30 times, every write computed from a read: 90."""
    counter = tmp_path / "counter"
    counter.write_bytes(b"0")
    writers = [subprocess.Popen([sys.executable, "-c", BUMP, str(counter), str(tmp_path / "locks"), "30"])
               for _ in range(3)]
    assert [writer.wait() for writer in writers] == [0, 0, 0]
    assert counter.read_bytes() == b"90"


def test_a_lock_is_released_when_its_holder_dies(tmp_path):
    target, locks = tmp_path / "a.po", tmp_path / "locks"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom pathlib import Path\nfrom l10n.writes import file_lock\n"
         "with file_lock(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[1]).parent):\n    print('locked', flush=True)\n"
         "    time.sleep(120)\n", str(target), str(locks)], stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline() == b"locked\n"
        [lock_file] = locks.iterdir()
        assert not _try_lock(lock_file)
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert _try_lock(lock_file)


def _try_lock(path: Path) -> bool:
    with path.open("rb") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


def test_every_spelling_of_a_file_takes_the_same_lock(tmp_path):
    """A library caller reaching the project through a symlinked folder must exclude a CLI run using the
    real path: the lock is named by the file's real folder, not by the spelling (two lock files before)."""
    real, locks = tmp_path / "real", tmp_path / "locks"
    (real / "posts").mkdir(parents=True)
    (tmp_path / "alias").symlink_to(real, target_is_directory=True)
    for spelling in (real / "posts" / "a.po", tmp_path / "alias" / "posts" / "a.po",
                     tmp_path / "alias" / "posts" / ".." / "posts" / "a.po"):
        with file_lock(spelling, locks, tmp_path):
            pass
    with file_lock(real / "posts" / "b.po", locks, tmp_path):
        pass
    assert len(list(locks.iterdir())) == 2  # a.po's, whatever its spelling, and b.po's
