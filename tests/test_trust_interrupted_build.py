"""A build killed outright (kill -9, the OOM killer) at any point leaves its outputs recognisable as its own:
the next build after a translator's save rebuilds them instead of refusing them as hand-made, and still
never replaces a translation saved by hand."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import polib
import pytest

from l10n import project as api
from l10n import runner
from l10n.fingerprint import digest
from l10n.state import JOURNAL_DIR, STATE_FILE, BuildState

ARTICLES = ("a0.md", "a1.md", "a2.md")
HAND_MADE = "A translation saved by hand.\n"

# A build that stops for good at a chosen point: the test kills it there with SIGKILL.
STOPPED_BUILD = """
import os, sys, time
from l10n import project, state, writes
from l10n.config import load_config

ready, point = sys.argv[1], sys.argv[2]

def stop(*args, **kwargs):
    open(ready, "w").close()
    time.sleep(120)

if point == "flush":  # a batch's temporary files written, nothing renamed
    writes.sync_files = stop
elif point.startswith("rename:"):  # after the Nth output renamed into place
    replace, left = os.replace, [int(point[7:])]
    def counted(src, dst):
        replace(src, dst)
        if os.sep + "content" + os.sep + "en" + os.sep in str(dst):
            left[0] -= 1
            if left[0] == 0:
                stop()
    writes.os.replace = counted
elif point == "save":  # every output renamed, the state not yet saved
    state.BuildState.record = stop
project.build(load_config("."))
"""


def translate(project, rel: str, text: str) -> None:
    po = polib.pofile(str(project.po(rel)))
    for entry in po:
        entry.msgstr = text
    po.save()


def killed_build(project, tmp_path, point: str) -> None:
    ready = tmp_path / f"ready-{point.replace(':', '-')}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    build = subprocess.Popen([sys.executable, "-c", STOPPED_BUILD, str(ready), point], cwd=project.root, env=env)
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert build.poll() is None and time.monotonic() < deadline, f"the build did not reach {point}"
            time.sleep(0.05)
    finally:
        build.send_signal(signal.SIGKILL)
        build.wait()


@pytest.mark.parametrize("point", ["flush", "rename:1", "rename:2", "save"])
def test_a_build_killed_anywhere_keeps_its_outputs_and_never_takes_a_hand_made_one(project, tmp_path, point):
    for n, rel in enumerate(ARTICLES):
        project.add(rel, f"第{n}段。\n")
    project.add("h.md", "手工。\n")
    api.extract(project.config)
    for rel in (*ARTICLES, "h.md"):
        translate(project, rel, "First draft.")
    project.out("h.md").parent.mkdir(parents=True)
    project.out("h.md").write_text(HAND_MADE, encoding="utf-8")  # made by hand before any build

    killed_build(project, tmp_path, point)
    renamed = [rel for rel in ARTICLES if project.out(rel).exists()]
    assert len(renamed) == {"flush": 0, "rename:1": 1, "rename:2": 2, "save": 3}[point]
    assert not (project.root / STATE_FILE).exists(), "killed before its state was saved"
    late = next((rel for rel in ARTICLES if rel not in renamed), None)
    if late is not None:  # a translation saved by hand where the killed build had not yet renamed its output
        project.out(late).write_text(HAND_MADE, encoding="utf-8")

    for rel in (*ARTICLES, "h.md"):
        translate(project, rel, "Reviewed.")  # the translator goes on
    results = {r.source: r for r in api.build(project.config)}
    for rel in renamed:
        assert results[f"content/zh/{rel}"].ok, results[f"content/zh/{rel}"].errors
        assert project.out(rel).read_text(encoding="utf-8") == "Reviewed.\n"
    for rel in [late, "h.md"] if late else ["h.md"]:
        assert "not written by l10n build" in str(results[f"content/zh/{rel}"].errors[0])
        assert project.out(rel).read_text(encoding="utf-8") == HAND_MADE
    assert not (project.root / JOURNAL_DIR).exists() or not os.listdir(project.root / JOURNAL_DIR)


def test_a_journal_claims_an_output_only_while_it_holds_the_journaled_bytes(project):
    """The write-ahead record proves ownership by content: an output replaced since (by hand, or never
    renamed) stays hand-made. A journal of a build still running is left to it (its own save records it)."""
    project.add("a.md", "甲。\n")
    project.add("b.md", "乙。\n")
    api.extract(project.config)
    out_a, out_b = project.out("a.md"), project.out("b.md")
    out_a.parent.mkdir(parents=True)
    out_a.write_text("built\n", encoding="utf-8")
    out_b.write_text("hand-made\n", encoding="utf-8")
    records = {"content/en/a.md": ["s", digest(b"built\n")], "content/en/b.md": ["s", digest(b"built\n")]}
    living = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        folder = project.root / JOURNAL_DIR
        folder.mkdir(parents=True)
        (folder / f"{living.pid}_00.json").write_text(json.dumps(records), encoding="utf-8")
        state = BuildState(project.root / STATE_FILE, project.root)
        assert state.outputs == {}
        state.save()
        assert (folder / f"{living.pid}_00.json").exists(), "a running build's journal is its own"
    finally:
        living.kill()
        living.wait()
    state = BuildState(project.root / STATE_FILE, project.root)
    assert state.outputs == {"content/en/a.md": records["content/en/a.md"]}
    results = api.build(project.config)  # the process is gone: its journal is taken in, then removed
    assert os.listdir(folder) == []
    assert [str(r.action) for r in results] == ["written", "failed"]
    assert out_a.read_text(encoding="utf-8") == "甲。\n"
    assert out_b.read_text(encoding="utf-8") == "hand-made\n"


def test_a_parallel_build_records_everything_and_leaves_no_journal(project, monkeypatch):
    monkeypatch.setattr(runner, "PARALLEL_FROM", 1)  # worker processes, each batch with its own journal
    for n in range(4):
        project.add(f"a{n}.md", f"第{n}段。\n")
    api.extract(project.config)
    results = api.build(project.config)
    assert [str(r.action) for r in results] == ["written"] * 4
    assert set(json.loads((project.root / STATE_FILE).read_text())) == {f"content/en/a{n}.md" for n in range(4)}
    assert os.listdir(project.root / JOURNAL_DIR) == []
