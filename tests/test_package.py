"""The package as users meet it: its name and version, `python -m l10n`, and help that reads right.

The built wheel itself is installed and run by `.ci/run` (a fresh virtual environment, the README's main job)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

import l10n
from l10n.cli import app

REPO = Path(__file__).resolve().parent.parent
SRC = Path(l10n.__file__).resolve().parent.parent
runner = CliRunner()


def test_distribution_name_and_version_are_declared_once():
    meta = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    project = meta["project"]
    assert project["name"] == l10n.DISTRIBUTION == "hugo-l10n"  # `l10n` on the index is another project
    assert project["dynamic"] == ["version"] and "version" not in project
    assert meta["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "l10n.__version__"}
    assert project["scripts"] == {"l10n": "l10n.cli:app"}
    assert project["license"] == "MIT"  # a PEP 639 expression: no deprecation warning from setuptools


def test_changelog_has_an_entry_for_this_version():
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(l10n.__version__)}\]", changelog, re.M)


@pytest.mark.parametrize("where", ["README.md", ".github/workflows/l10n.yml", ".pre-commit-hooks.yaml"])
def test_install_lines_name_the_distribution(where):
    text = (REPO / where).read_text(encoding="utf-8")
    assert not re.search(r"pip install (-U )?l10n\b", text)
    if where != ".pre-commit-hooks.yaml":
        assert re.search(r'pip install "?hugo-l10n', text)


def test_python_dash_m_runs_the_command_and_prints_name_and_version():
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    version = subprocess.run([sys.executable, "-m", "l10n", "--version"], capture_output=True, text=True,
                             env=env, check=True)
    assert version.stdout == f"hugo-l10n {l10n.__version__}\n"
    usage = subprocess.run([sys.executable, "-m", "l10n", "--help"], capture_output=True, text=True, env=env)
    assert usage.returncode == 0 and "Usage: l10n [OPTIONS] COMMAND" in usage.stdout


def _commands(group=None, prefix=()):
    """Every command path of the CLI: (), ("init",), ("memory", "export")..."""
    import typer.main
    group = group or typer.main.get_command(app)
    yield prefix
    for name, command in getattr(group, "commands", {}).items():
        yield from _commands(command, (*prefix, name))


@pytest.mark.parametrize("path", list(_commands()), ids=lambda p: " ".join(p) or "l10n")
def test_flags_read_as_flags_in_help(path):
    result = runner.invoke(app, [*path, "--help"], terminal_width=100)
    assert result.exit_code == 0
    assert "--help" in result.output
    assert "<bool>" not in result.output
    for line in result.output.splitlines():  # a flag's row goes straight from its name to its help
        if "--help" in line:
            assert re.search(r"--help\s+Show this message", line), line


def test_flags_still_refuse_values_and_options_still_show_their_type():
    assert "<text|json>" in runner.invoke(app, ["build", "--help"], terminal_width=100).output
    result = runner.invoke(app, ["build", "--fuzzy=yes"])
    assert result.exit_code == 2 and "does not take a value" in result.output


def test_shell_completion_is_offered():
    assert "--install-completion" in runner.invoke(app, ["--help"], terminal_width=100).output
