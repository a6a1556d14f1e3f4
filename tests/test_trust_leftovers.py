"""A run killed outright (kill -9, the OOM killer) leaves no litter for good: the temporary files it had
written but not yet renamed are removed by the next run writing in that folder, and only those."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from l10n import project as api
from l10n.writes import _swept

ARTICLE = "---\ntitle: 标题{n}\n---\n\n第{n}段。\n"

# A build that stops for good once its batch's temporary files are written, before any rename.
STALLED_BUILD = """
import sys, time
from l10n import project, writes
from l10n.config import load_config

def stall(paths):
    open(sys.argv[1], "w").close()
    time.sleep(120)

writes.sync_files = stall
project.build(load_config("."))
"""


def temporaries(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_the_next_run_removes_what_a_killed_build_left(project, tmp_path):
    for n in range(3):
        project.add(f"a{n}.md", ARTICLE.format(n=n))
    api.extract(project.config)
    for n in range(3):
        project.translate_all(f"a{n}.md")
    ready = tmp_path / "ready"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    build = subprocess.Popen([sys.executable, "-c", STALLED_BUILD, str(ready)], cwd=project.root, env=env)
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert build.poll() is None and time.monotonic() < deadline, "the build did not reach its flush"
            time.sleep(0.05)
    finally:
        build.send_signal(signal.SIGKILL)
        build.wait()
    out = project.out("a0.md").parent
    assert temporaries(out), "the killed build had written a temporary file"
    assert not any(project.out(f"a{n}.md").exists() for n in range(3)), "and renamed none"

    _swept.clear()  # a new run: a new process
    results = api.build(project.config)
    assert [str(r.action) for r in results] == ["written"] * 3
    assert temporaries(out) == []


def test_only_the_temporaries_of_processes_that_are_gone_are_removed(project):
    project.add("a.md", ARTICLE.format(n=1))
    api.extract(project.config)
    folder = project.po("a.md").parent
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    living = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        left = folder / f".a.po.l10n{gone.pid}_abc123xy.tmp"
        busy = folder / f".a.po.l10n{living.pid}_abc123xy.tmp"
        others = [folder / ".a.po.tmp", folder / f".a.po.{gone.pid}_abc123xy.tmp", folder / "notes.l10n1_x.tmp.txt"]
        for path in [left, busy, *others]:
            path.write_text("partial")
        project.add("a.md", ARTICLE.format(n=2))
        _swept.clear()
        assert [str(r.action) for r in api.extract(project.config)] == ["written"]
        assert not left.exists()
        assert busy.exists(), "a running process's file is its own"
        assert all(path.exists() for path in others), "only l10n's own names are touched"
    finally:
        living.kill()
        living.wait()
