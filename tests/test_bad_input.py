"""Bad input: one clear error naming file and line, the other files still processed, nothing half-written."""

from __future__ import annotations

import json

import pytest

GOOD = "一篇正常的文章。\n"
BAD = {
    "unclosed.md": ("---\ntitle: 标题\n\n正文没有结束的前言。\n", 1, "never closed"),
    "yaml.md": ("---\ntitle: 标题\ntags: [未闭合\n---\n正文\n", 4, "invalid YAML front matter"),
    "toml.md": ("+++\ntitle = \"未结束\n+++\n正文\n", 2, "invalid TOML front matter"),
    "json.md": ("{\n  \"title\": \"标题\",\n  \"tags\": [\"一\",],\n}\n正文\n", 3, "invalid JSON front matter"),
    "utf8.md": ("第一行\n第二行\n第三".encode() + b"\xff\xfe" + "行\n".encode(), 3, "invalid UTF-8"),
    "binary.md": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 3, "binary file"),
    "empty.md": (b"", 1, "empty file"),
}


@pytest.mark.parametrize("name", BAD)
def test_each_bad_input_is_reported_with_file_and_line_others_still_built(project, name):
    data, line, words = BAD[name]
    project.add("good-a.md", GOOD)
    project.add(name, data)
    project.add("good-z.md", GOOD)
    result = project.cli("extract")
    assert result.exit_code == 1
    errors = [out for out in result.output.splitlines() if out.startswith(f"content/zh/{name}:")]
    assert len(errors) == 1, result.output
    assert errors[0].startswith(f"content/zh/{name}:{line}: ") and words in errors[0]
    assert project.po("good-a.md").exists() and project.po("good-z.md").exists()
    assert not project.po(name).exists()
    assert project.cli("build").exit_code == 1
    assert project.out("good-a.md").read_text() == GOOD and project.out("good-z.md").read_text() == GOOD
    assert not project.out(name).exists()


def test_json_output_lists_errors_with_file_and_line(project):
    project.add("a.md", GOOD)
    project.add("bad.md", BAD["toml.md"][0])
    result = project.cli("extract", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    failed = [f for f in report["files"] if f["errors"]]
    assert failed == [{
        "source": "content/zh/bad.md", "lang": "en", "action": "failed", "target": "locales/en/bad.po",
        "stats": None, "errors": [{"file": "content/zh/bad.md", "line": 2,
                                   "message": failed[0]["errors"][0]["message"]}], "warnings": [],
    }]


def test_usage_errors_exit_2(project, tmp_path, monkeypatch):
    assert project.cli("extract", "--lang", "fr").exit_code == 2
    assert project.cli("extract", "no/such/file.md").exit_code == 2
    monkeypatch.chdir(tmp_path)
    missing = project.cli("extract")
    assert missing.exit_code == 2 and "run `l10n init` first" in missing.output


def test_paths_limit_the_work(project):
    project.add("posts/a.md", GOOD)
    project.add("news/b.md", GOOD)
    assert project.cli("extract", "content/zh/posts").exit_code == 0
    assert project.po("posts/a.md").exists() and not project.po("news/b.md").exists()
    assert project.cli("extract", "content/zh/news/b.md").exit_code == 0
    assert project.po("news/b.md").exists()


FIXTURE_LINES = {
    "unclosed-front-matter.md": 1, "malformed-yaml.md": 2, "malformed-toml.md": 2, "malformed-json.md": 3,
    "invalid-utf8.md": 3, "binary.md": 3, "empty.md": 1,
}


def test_shipped_bad_fixtures_each_get_one_error_on_their_line(project):
    from conftest import FIXTURES
    for name in FIXTURE_LINES:
        project.add_fixture(FIXTURES / "bad" / name)
    project.add("fine.md", GOOD)
    result = project.cli("extract")
    assert result.exit_code == 1
    for name, line in FIXTURE_LINES.items():
        errors = [out for out in result.output.splitlines() if out.startswith(f"content/zh/{name}:")]
        assert len(errors) == 1 and errors[0].startswith(f"content/zh/{name}:{line}: "), (name, errors)
    assert project.po("fine.md").exists()


def test_a_po_syntax_error_polib_would_forgive_is_reported_on_its_line(tmp_path):
    from conftest import FIXTURES
    from l10n.errors import L10nError
    from l10n.pofile import load_catalog
    with pytest.raises(L10nError) as caught:
        load_catalog(FIXTURES / "bad" / "syntax-error.po", "locales/en/x.po", FIXTURES)
    assert (caught.value.path, caught.value.line) == ("locales/en/x.po", 7)


def test_an_unexpected_failure_costs_one_file_not_the_run(project, monkeypatch):
    import l10n.project as api
    real = api.update_catalog

    def explode(segments, previous, **kw):
        if kw["source"].endswith("boom.md"):
            raise RuntimeError("simulated bug")
        return real(segments, previous, **kw)

    monkeypatch.setattr(api, "update_catalog", explode)
    project.add("boom.md", GOOD)
    project.add("fine.md", GOOD)
    result = project.cli("extract")
    assert result.exit_code == 1
    assert "content/zh/boom.md: internal error (RuntimeError: simulated bug)" in result.output
    assert project.po("fine.md").exists() and not project.po("boom.md").exists()


def test_errors_about_settings_name_the_file_they_came_from(project):
    (project.root / "l10n.toml").unlink()
    pyproject = project.root / "pyproject.toml"
    pyproject.write_text('[tool.l10n]\nsource_lang = "zh"\ntarget_langs = ["en"]\nmax_source_mb = 0.001\n\n'
                         '[tool.l10n.check]\npunctuaton = true\n\n[tool.l10n.translate]\nconcurrency = 0\n',
                         encoding="utf-8")
    project.add("big.md", "文" * 1000)
    assert project.config.origin == pyproject
    outputs = [project.cli("extract").output, project.cli("check").output,
               project.cli("translate", "--engine", "pseudo").output]
    assert "content/zh/big.md: larger than max_source_mb = 0.001 (in pyproject.toml); not read" in outputs[0]
    assert f"{pyproject}: [check] unknown setting 'punctuaton'" in outputs[1]
    assert "pyproject.toml: [translate] needs concurrency >= 1" in outputs[2]
    assert not any("l10n.toml" in output for output in outputs)
