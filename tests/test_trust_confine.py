"""Confinement: only regular files inside the project are read, nothing is written outside it.

Each test builds a hostile or broken project (symlinks out of it, a FIFO, a device, a huge file,
folders configured elsewhere, a file name with a newline) and checks that the run reports it,
still processes the other articles, and neither reads nor writes outside the project.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = "一篇正常的文章。\n"
SECRET = "secret-password-line: hunter2\n"
needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="POSIX only")


@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder next to the project, holding a file that is not the project's to read."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.md").write_text(SECRET, encoding="utf-8")
    return folder


def files_under(folder: Path) -> set[str]:
    return {os.path.relpath(os.path.join(d, n), folder) for d, _, names in os.walk(folder) for n in names}


def set_setting(project, line: str) -> None:
    path = project.root / "l10n.toml"
    path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")


def run_cli(project, *args: str, timeout: float = 20) -> subprocess.CompletedProcess:
    """The CLI in a child process, so that a run that hangs (reading a FIFO) fails the test instead."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}  # the l10n this test imports
    try:
        return subprocess.run([sys.executable, "-c", "from l10n.cli import app; app(prog_name='l10n')", *args],
                              cwd=project.root, env=env,
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"`l10n {' '.join(args)}` hung for {timeout} s")


@needs_symlinks
def test_a_symlink_to_a_file_outside_the_project_is_skipped_with_a_warning(project, outside):
    project.add("good.md", GOOD)
    os.symlink(outside / "secret.md", project.root / "content/zh/leak.md")
    result = project.cli("extract")
    assert result.exit_code == 0
    assert "content/zh/leak.md [en]: warning: a symlink leading outside the project" in result.output
    assert project.po("good.md").exists() and not project.po("leak.md").exists()
    assert project.cli("build").exit_code == 0
    assert project.out("good.md").exists() and not project.out("leak.md").exists()
    assert not any("hunter2" in p.read_text(encoding="utf-8") for p in project.root.rglob("*")
               if p.is_file() and not p.is_symlink())
    report = json.loads(project.cli("extract", "--format", "json").stdout)
    skipped = [f for f in report["files"] if f["source"] == "content/zh/leak.md"]
    assert [(f["action"], f["errors"]) for f in skipped] == [("skipped", [])]
    assert "outside the project" in skipped[0]["warnings"][0]
    check = project.cli("check", "--format", "json")
    assert any(f["check"] == "skipped-source" and f["file"] == "content/zh/leak.md"
               for f in json.loads(check.stdout)["findings"])


@needs_symlinks
def test_external_symlinks_are_read_when_the_project_allows_them(project, outside):
    set_setting(project, "allow_external_symlinks = true")
    os.symlink(outside / "secret.md", project.root / "content/zh/shared.md")
    assert project.cli("extract").exit_code == 0
    assert "hunter2" in project.po("shared.md").read_text(encoding="utf-8")


@needs_symlinks
def test_a_symlink_to_dev_zero_is_skipped_even_when_external_symlinks_are_allowed(project):
    project.add("good.md", GOOD)
    os.symlink("/dev/zero", project.root / "content/zh/zero.md")
    result = run_cli(project, "extract")
    assert result.returncode == 0, result.stderr
    assert "content/zh/zero.md [en]: warning:" in result.stderr and "Traceback" not in result.stderr
    set_setting(project, "allow_external_symlinks = true")
    result = run_cli(project, "extract")
    assert "content/zh/zero.md [en]: warning: a character device, not a regular file" in result.stderr
    assert project.po("good.md").exists() and not project.po("zero.md").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("command", ["extract", "build", "status", "check"])
def test_a_fifo_among_the_sources_is_skipped_and_nothing_hangs(project, command):
    project.add("good.md", GOOD)
    os.mkfifo(project.root / "content/zh/pipe.md")
    if command != "extract":
        run_cli(project, "extract")
    result = run_cli(project, command)
    assert "content/zh/pipe.md" in result.stdout + result.stderr
    assert "a FIFO, not a regular file" in result.stdout + result.stderr
    assert not project.po("pipe.md").exists() and not project.out("pipe.md").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_place_of_a_catalog_or_an_output_does_not_hang(project):
    project.add("good.md", GOOD)
    os.makedirs(project.root / "locales/en")
    os.mkfifo(project.po("good.md"))
    result = run_cli(project, "extract")
    assert result.returncode == 1 and "locales/en/good.po: not read: a FIFO" in result.stderr
    os.unlink(project.po("good.md"))
    assert run_cli(project, "extract").returncode == 0
    os.makedirs(project.root / "content/en")
    os.mkfifo(project.out("good.md"))
    assert run_cli(project, "check").returncode == 2  # the output cannot be read: unreadable
    assert run_cli(project, "build").returncode == 0  # the FIFO is replaced by the built article
    assert project.out("good.md").read_text(encoding="utf-8") == GOOD


def test_a_source_over_the_size_limit_is_refused_the_others_processed(project):
    set_setting(project, "max_source_mb = 0.001")  # 1000 bytes
    project.add("good.md", GOOD)
    project.add("big.md", "长文。" * 200)  # 1800 bytes
    result = project.cli("extract")
    assert result.exit_code == 1
    assert "content/zh/big.md: larger than max_source_mb = 0.001 (in l10n.toml); not read" in result.output
    assert project.po("good.md").exists() and not project.po("big.md").exists()


@pytest.mark.parametrize("value", ["0", "-1", '"big"', "true"])
def test_a_bad_size_limit_is_a_usage_error(project, value):
    set_setting(project, f"max_source_mb = {value}")
    result = project.cli("extract")
    assert result.exit_code == 2 and "`max_source_mb` must be a positive number of megabytes" in result.output


@pytest.mark.parametrize("key", ["content_dir", "locales_dir"])
@pytest.mark.parametrize("value", ["../elsewhere", "/tmp", "content/../.."])
def test_configured_folders_outside_the_project_are_a_usage_error(project, outside, key, value):
    project.add("good.md", GOOD)
    path = project.root / "l10n.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f'{key} = "{key.split("_")[0]}"', f'{key} = "{value}"'), encoding="utf-8")
    before = files_under(project.root.parent)
    for command in ("extract", "build", "status", "check"):
        result = project.cli(command)
        assert result.exit_code == 2, (command, result.output)
        assert "l10n.toml" in result.output and f"`{key}` must be a folder inside the project" in result.output
    assert files_under(project.root.parent) == before


@needs_symlinks
def test_a_configured_folder_symlinked_outside_is_a_usage_error(project, outside):
    os.symlink(outside, project.root / "locales")
    result = project.cli("extract")
    assert result.exit_code == 2 and "`locales_dir` must be a folder inside the project" in result.output


@needs_symlinks
def test_a_symlinked_output_folder_leading_outside_is_not_written_through(project, outside):
    project.add("posts/good.md", GOOD)
    assert project.cli("extract").exit_code == 0
    os.symlink(outside, project.root / "content/en")
    before = files_under(outside)
    result = project.cli("build")
    assert result.exit_code == 1
    assert "content/en/posts/good.md: refused: this path leads outside the project" in result.output
    assert files_under(outside) == before  # not even the posts/ folder was created there


@needs_symlinks
def test_a_symlinked_state_folder_or_memory_leading_outside_is_refused(project, outside):
    project.add("good.md", GOOD)
    project.cli("extract")
    shutil.rmtree(project.root / ".l10n", ignore_errors=True)
    os.symlink(outside, project.root / ".l10n")
    before = files_under(outside)
    result = project.cli("build")
    assert result.exit_code == 2 and ".l10n/build-state.json: refused" in result.output
    project.add("good.md", GOOD + "又一段。\n")
    result = project.cli("extract")  # the catalog's lock file would go in .l10n/locks/
    assert result.exit_code == 1 and "refused: this path leads outside the project" in result.output
    assert project.cli("memory", "export", "memory.tmx").exit_code == 2
    assert files_under(outside) == before


@needs_symlinks
def test_a_catalog_symlinked_outside_is_refused_without_quoting_it(project, outside):
    project.add("good.md", GOOD)
    project.add("other.md", "另一篇。\n")
    (project.root / "locales/en").mkdir(parents=True)
    os.symlink(outside / "secret.md", project.po("good.md"))
    outputs = [project.cli(command) for command in ("extract", "build", "status", "check")]
    assert [r.exit_code for r in outputs] == [1, 1, 1, 2]
    for result in outputs:
        assert "locales/en/good.po" in result.output and "outside the project" in result.output
        assert "hunter2" not in result.output and "secret-password" not in result.output
    assert (outside / "secret.md").read_text(encoding="utf-8") == SECRET
    assert project.po("other.md").exists() and project.out("other.md").exists()


@needs_symlinks
def test_folder_symlinks_are_followed_inside_the_project_once_and_refused_outside(project, outside):
    project.add("own/a.md", GOOD)
    (project.root / "series").mkdir()
    (project.root / "series/b.md").write_text(GOOD, encoding="utf-8")
    os.symlink("../../series", project.root / "content/zh/series")  # inside the project: followed
    os.symlink(".", project.root / "series/again")  # a loop: walked once
    os.symlink(project.root / "content/zh/own", project.root / "content/zh/alias")  # the same folder again
    os.symlink(outside, project.root / "content/zh/elsewhere")  # outside: refused
    result = project.cli("extract")
    assert result.exit_code == 0
    assert "content/zh/elsewhere [en]: warning: a symlink leading outside the project" in result.output
    assert files_under(project.root / "locales") == {"en/own/a.po", "en/series/b.po"}


@pytest.mark.skipif(sys.platform == "win32", reason="no newlines in Windows file names")
def test_a_file_name_with_a_newline_is_refused_nothing_written_others_processed(project):
    project.add("good.md", GOOD)
    project.add("bad\nname.md", GOOD)
    result = project.cli("extract")
    assert result.exit_code == 1
    assert "content/zh/bad\\nname.md: the file name holds a control character" in result.output
    assert files_under(project.root / "locales") == {"en/good.po"}
    assert project.cli("build").exit_code == 1
    assert files_under(project.root / "content/en") == {"good.md"}
    assert subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(project.po("good.md"))]).returncode == 0


@needs_symlinks
def test_init_does_not_write_through_a_symlinked_config_file(project, outside):
    (project.root / "l10n.toml").unlink()
    os.symlink(outside / "secret.md", project.root / "l10n.toml")
    result = project.cli("init", "--force")
    assert result.exit_code == 2 and "l10n.toml: refused: this path leads outside the project" in result.output
    assert (outside / "secret.md").read_text(encoding="utf-8") == SECRET


@needs_symlinks
@pytest.mark.parametrize("cached", [False, True])
def test_a_file_swapped_for_a_symlink_after_the_check_is_not_read(tmp_path, outside, monkeypatch, cached):
    """The confinement check and the open are two steps: a file replaced by a symlink leading outside
    between them is refused, never read (the open does not follow the checked path's last part)."""
    import contextlib

    from l10n import confine
    from l10n.errors import L10nError
    root = tmp_path / "site"
    root.mkdir()
    path = root / "a.po"
    path.write_text(GOOD, encoding="utf-8")
    check = confine._confine

    def check_then_swap(*args):
        found = check(*args)
        path.unlink()
        path.symlink_to(outside / "secret.md")  # lands between the check and the open
        return found

    monkeypatch.setattr(confine, "_confine", check_then_swap)
    with confine.resolved_folders() if cached else contextlib.nullcontext(), pytest.raises(L10nError, match="refused"):
        confine.read_file(path, "a.po", root)
