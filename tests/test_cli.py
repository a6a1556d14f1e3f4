"""The command line: a fresh project works end to end; help, JSON and exit codes are as documented."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from l10n.cli import COMMANDS, app, commands_of

runner = CliRunner()


def test_init_in_an_empty_folder_gives_a_working_project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["init", "--source-lang", "zh", "--target-lang", "en", "--target-lang", "ja"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "l10n.toml").is_file() and (tmp_path / "content/zh").is_dir()
    (tmp_path / "content/zh/hello.md").write_text("---\ntitle: 你好\n---\n世界。\n", encoding="utf-8")
    assert runner.invoke(app, ["extract"]).exit_code == 0
    assert (tmp_path / "locales/en/hello.po").is_file() and (tmp_path / "locales/ja/hello.po").is_file()
    assert runner.invoke(app, ["build"]).exit_code == 0
    assert (tmp_path / "content/en/hello.md").read_text() == (tmp_path / "content/ja/hello.md").read_text()
    status = json.loads(runner.invoke(app, ["status", "--format", "json"]).stdout)
    assert [(f["lang"], f["action"], f["stats"]["untranslated"]) for f in status["files"]] == \
        [("en", "current", 2), ("ja", "current", 2)]
    again = runner.invoke(app, ["init"])
    assert again.exit_code == 2 and "already exists" in again.output


@pytest.mark.parametrize("command", ["init", "extract", "build", "status"])
def test_every_command_has_help_with_examples(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Examples" in result.output and f"l10n {command}" in result.output


def test_every_command_module_is_registered_with_what_it_defines():
    for module in set(COMMANDS.values()):
        assert sorted(commands_of(module)) == sorted(name for name, where in COMMANDS.items() if where == module)


HEAVY = ("l10n.mt", "l10n.checks", "deepl", "openai", "deep_translator", "requests", "rich",
         "pydantic")  # Typer's coercion of a value that needs none is deferred (`l10n.cli.coercion`)
_IMPORTED = """
import json, sys
from l10n.cli import app
try:
    app(sys.argv[1:], prog_name="l10n")
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)))
"""


@pytest.mark.parametrize("args", [["--version"], ["status"]])
def test_version_and_status_load_no_engine_no_checks_and_no_rich_off_a_terminal(args):
    """`l10n --version` and `l10n status` on the example site stay fast: the rest loads only when used."""
    example = Path(__file__).parents[1]
    done = subprocess.run([sys.executable, "-c", _IMPORTED, *args], cwd=example, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(example / "src")}, check=True)
    loaded = json.loads(done.stdout.splitlines()[-1])
    assert "l10n.cli" in loaded and ("l10n.project" in loaded) == (args == ["status"])
    assert [m for m in loaded if any(m == heavy or m.startswith(heavy + ".") for heavy in HEAVY)] == []


def test_no_colour_or_progress_codes_when_not_on_a_terminal(project):
    for i in range(25):
        project.add(f"a{i:02d}.md", "文章。\n")
    result = project.cli("extract")
    assert "\x1b[" not in result.output
    assert result.output.count("written locales/en/") == 25


def test_status_text_lists_each_article_and_language(project):
    project.add("posts/a.md", "第一段。\n\n第二段。\n")
    assert project.cli("status").output.count("missing") == 1
    project.cli("extract")
    line = [out for out in project.cli("status").output.splitlines() if out.startswith("content/zh/posts/a.md")]
    assert line and line[0].split()[1:] == ["en", "0", "0", "2", "0", "0.0%", "current"]


def test_no_target_language_or_one_named_twice_is_a_usage_error(tmp_path, monkeypatch):
    """`target_langs = []` made every command do nothing and `check` pass; a duplicate ran each language twice."""
    from l10n.config import config_from_dict
    from l10n.errors import L10nError
    for targets in ([], ["en", "en"]):
        with pytest.raises(L10nError, match="target_langs"):
            config_from_dict(tmp_path, {"source_lang": "zh", "target_langs": targets})
