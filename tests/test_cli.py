"""The command line: a fresh project works end to end; help, JSON and exit codes are as documented."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from l10n.cli import app

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
    line = [l for l in project.cli("status").output.splitlines() if l.startswith("content/zh/posts/a.md")]
    assert line and line[0].split()[1:] == ["en", "0", "0", "2", "0", "0.0%", "current"]
