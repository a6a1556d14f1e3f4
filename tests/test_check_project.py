"""`check_project` and `l10n check` over whole sites: clean when all is well, precise when it is not."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import polib
import pytest

from l10n import project as core
from l10n.checks import CheckOptions, check_project

CHECK_FIXTURES = Path(__file__).parent / "fixtures" / "check"
SEED = Path(__file__).parent.parent


def translated_site(project) -> dict[str, Path]:
    """The fixture articles, extracted, carefully translated and built: a site that must pass."""
    shutil.copy(CHECK_FIXTURES / "glossary.yaml", project.root / "glossary.yaml")
    sources = sorted((CHECK_FIXTURES / "articles").glob("*.md"))
    for source in sources:
        project.add_fixture(source, f"news/{source.name}")
    core.extract(project.config)
    for source in sources:
        done = json.loads(source.with_suffix(".en.json").read_text(encoding="utf-8"))
        project.translate_all(f"news/{source.name}", done.__getitem__)
    core.build(project.config)
    return {s.stem: project.po(f"news/{s.name}") for s in sources}


def found(project, **options) -> list[tuple[str, str]]:
    report = check_project(project.config, options=CheckOptions.from_config(project.config, **options))
    return [(f.check, f.file) for f in report.findings]


def edit_entry(po_path: Path, contains: str, change) -> None:
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if contains in e.msgid)
    change(entry)
    po.save()


def test_careful_translations_of_the_fixtures_raise_no_finding(project):
    translated_site(project)
    assert found(project) == []
    result = project.cli("check")
    assert result.exit_code == 0 and "0 error(s), 0 warning(s) in 3 file(s)" in result.output


def test_the_seed_english_edition_passes_with_zero_findings(project):
    for part in ("content/zh", "locales/en", "content/en"):
        shutil.copytree(SEED / part, project.root / part, dirs_exist_ok=True)
    shutil.copy(SEED / "glossary.yaml", project.root / "glossary.yaml")
    report = check_project(project.config)
    if any(f.check in ("untranslated", "stale-catalog") for f in report.findings):
        pytest.skip("the seed's English catalog is still being translated")
    assert [str(f) for f in report.findings] == []


def test_completeness_and_freshness(project):
    pos = translated_site(project)
    edit_entry(pos["ev-price-war"], "特斯拉随后跟进", lambda e: setattr(e, "msgstr", ""))
    edit_entry(pos["ev-price-war"], "一位经销商说", lambda e: e.flags.append("fuzzy"))
    (project.root / "content/zh/news/chip-export.md").write_text(
        (CHECK_FIXTURES / "articles/chip-export.md").read_text(encoding="utf-8") + "\n新增的一段。\n", encoding="utf-8")
    (project.root / "content/en/news/night-economy.md").write_text("edited by hand\n", encoding="utf-8")
    project.add("news/new.md", "新文章。\n")
    shutil.copy(pos["night-economy"], project.root / "locales/en/news/deleted.po")
    checks = found(project)
    assert ("untranslated", "locales/en/news/ev-price-war.po") in checks
    assert ("fuzzy", "locales/en/news/ev-price-war.po") in checks
    assert ("coverage", "locales/en/news/ev-price-war.po") in checks
    assert ("stale-catalog", "locales/en/news/chip-export.po") in checks
    assert ("output", "content/en/news/night-economy.md") in checks
    assert ("output", "content/en/news/ev-price-war.md") in checks  # built before the msgstr was cleared
    assert ("missing-catalog", "content/zh/news/new.md") in checks
    assert ("orphan-catalog", "locales/en/news/deleted.po") in checks
    relaxed = found(project, min_coverage=80, allow_fuzzy=True)
    assert ("coverage", "locales/en/news/ev-price-war.po") not in relaxed


def test_output_not_built(project):
    translated_site(project)
    (project.root / "content/en/news/chip-export.md").unlink()
    assert found(project) == [("output", "content/en/news/chip-export.md")]


def test_ignore_comment_waives_a_check_and_survives_re_extraction(project):
    pos = translated_site(project)
    edit_entry(pos["chip-export"], "订单价值约50亿美元", lambda e: setattr(e, "msgstr", e.msgstr.replace(
        "$5 billion", "$4.9 billion")))
    core.build(project.config)
    assert ("numbers", "locales/en/news/chip-export.po") in found(project)
    edit_entry(pos["chip-export"], "订单价值约50亿美元", lambda e: setattr(
        e, "tcomment", "l10n: ignore numbers numbers-extra (figure confirmed with the author)"))
    assert found(project) == []
    source = project.root / "content/zh/news/chip-export.md"
    source.write_text(source.read_text(encoding="utf-8") + "\n记者将继续关注此事。\n", encoding="utf-8")
    core.extract(project.config)
    po = polib.pofile(str(pos["chip-export"]))
    entry = next(e for e in po if "订单价值约50亿美元" in e.msgid)
    assert "l10n: ignore numbers" in entry.tcomment and "fuzzy" not in entry.flags
    edit_entry(pos["chip-export"], "记者将继续关注此事", lambda e: setattr(e, "msgstr", "We will keep following this."))
    core.build(project.config)
    assert found(project) == []


def test_config_switches_turn_checks_off_or_change_severity(project):
    pos = translated_site(project)
    edit_entry(pos["night-economy"], "受访者", lambda e: setattr(e, "msgstr", e.msgstr + "。"))
    core.build(project.config)
    report = check_project(project.config)
    assert [(f.check, f.severity) for f in report.findings] == [("punctuation", "error")] and report.exit_code == 1
    with (project.root / "l10n.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[check]\npunctuation = "warning"\nmin_coverage = 90\n')
    report = check_project(project.config)
    assert [(f.check, f.severity) for f in report.findings] == [("punctuation", "warning")] and report.exit_code == 0
    (project.root / "l10n.toml").write_text((project.root / "l10n.toml").read_text().replace(
        'punctuation = "warning"', "punctuation = false"))
    assert check_project(project.config).findings == []
    (project.root / "l10n.toml").write_text((project.root / "l10n.toml").read_text().replace(
        "punctuation = false", "punctuaton = false"))
    result = project.cli("check")
    assert result.exit_code == 2 and "unknown setting 'punctuaton'" in result.output


def broken_site(project) -> None:
    pos = translated_site(project)
    edit_entry(pos["chip-export"], "订单价值约50亿美元", lambda e: setattr(e, "msgstr", e.msgstr.replace(
        "$5 billion", "$500 million")))
    core.build(project.config)


def test_text_output_names_po_and_source_lines_and_sums_up(project):
    broken_site(project)
    result = project.cli("check")
    assert result.exit_code == 1
    line = next(out for out in result.output.splitlines() if "[numbers]" in out)
    assert line.strip().startswith("locales/en/news/chip-export.po:") and "(source content/zh/news/chip-export.md:" \
        in line and "'50亿' (5,000,000,000) is not in the translation" in line
    row = [out for out in result.output.splitlines() if out.startswith("content/zh/news/chip-export.md ")][-1]
    assert row.split() == ["content/zh/news/chip-export.md", "en", "9", "0", "0", "100.0%", "1", "1"]
    assert result.output.endswith("l10n check: 1 error(s), 1 warning(s) in 3 file(s)\n")


def test_json_output_schema(project):
    broken_site(project)
    data = json.loads(project.cli("check", "--format", "json").stdout)
    assert data["version"] == 1 and data["ok"] is False and data["exit_code"] == 1
    assert data["summary"] == {"files": 3, "errors": 1, "warnings": 1}
    assert set(data["findings"][0]) == {"check", "severity", "message", "file", "line", "source", "source_line",
                                        "lang", "msgid"}
    assert {f["check"] for f in data["findings"]} == {"numbers", "numbers-extra"}
    assert set(data["files"][0]) == {"source", "lang", "catalog", "output", "translated", "fuzzy", "untranslated",
                                     "obsolete", "coverage", "errors", "warnings"}


def test_github_output_and_step_summary(project, monkeypatch, tmp_path):
    broken_site(project)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = project.cli("check")
    assert result.exit_code == 1
    error = next(out for out in result.stdout.splitlines() if out.startswith("::error "))
    assert error.startswith("::error file=locales/en/news/chip-export.po,line=") and \
        "title=l10n check [numbers]::" in error
    assert any(out.startswith("::warning ") for out in result.stdout.splitlines())
    assert "| `content/zh/news/chip-export.md` | en | 100.0% | 1 | 1 |" in summary.read_text(encoding="utf-8")


def test_junit_output_one_case_per_file(project):
    broken_site(project)
    suite = ET.fromstring(project.cli("check", "--format", "junit").stdout.split("\n", 1)[1]).find("testsuite")
    assert suite.get("tests") == "3" and suite.get("failures") == "1"
    failed = [c for c in suite.iter("testcase") if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["content/zh/news/chip-export.md"]


def test_paths_and_languages_limit_the_check_and_bad_input_exits_2(project):
    broken_site(project)
    assert project.cli("check", "content/zh/news/night-economy.md").exit_code == 0
    assert project.cli("check", "--lang", "en", "content/zh/news/chip-export.md").exit_code == 1
    assert project.cli("check", "--lang", "fr").exit_code == 2
    assert project.cli("check", "--min-coverage", "120").exit_code == 2
    (project.root / "locales/en/news/night-economy.po").write_text('msgid "x"\nmsgstr y\n', encoding="utf-8")
    result = project.cli("check", "--format", "json")
    assert result.exit_code == 2 and '"check": "unreadable"' in result.stdout
