"""A check report as text (people), JSON (tools), GitHub workflow commands (annotations) or JUnit XML.

The JSON schema (version 1) is documented in the README and kept stable: fields may be added,
never renamed or removed.
"""

from __future__ import annotations

import json
import os
from xml.etree import ElementTree as ET

from .registry import ERROR, WARNING, Finding
from .run import FileReport, Report

SCHEMA_VERSION = 1


def as_text(report: Report) -> str:
    """Findings grouped by file (`path:line: severity [check] message`), then a coverage table."""
    lines = []
    for file in report.files:
        if not file.findings:
            continue
        lines.append(f"{file.source or file.catalog} [{file.lang}]")
        lines += [f"  {_line(f)}" for f in file.findings]
    rows: list[tuple[str, ...]] = [("article", "lang", "translated", "fuzzy", "untranslated", "coverage", "errors",
                                    "warnings")]
    for file in report.files:
        s, coverage = file.stats, file.coverage(report.options.allow_fuzzy)
        numbers = (s.translated, s.fuzzy, s.untranslated, f"{coverage:.1f}%") if s else ("-",) * 4
        rows.append((file.source or file.catalog, file.lang, *map(str, numbers), *map(str, _counts(file))))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    if lines:
        lines.append("")
    lines += ["  ".join(cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
              .rstrip() for row in rows]
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def as_json(report: Report) -> str:
    """One finding and one file per line: json's indenting encoder is pure Python, its compact one C,
    and findings are most of a report."""
    document = {
        "version": SCHEMA_VERSION,
        "ok": report.exit_code == 0,
        "exit_code": report.exit_code,
        "summary": {"files": len(report.files), "errors": report.count(ERROR), "warnings": report.count(WARNING)},
        "findings": [f.as_json() for f in report.findings],
        "files": [_file_json(file, report) for file in report.files],
    }
    fields = []
    for key, value in document.items():
        if isinstance(value, list) and value:
            items = ",\n".join(f"    {_compact(item)}" for item in value)
            fields.append(f'  "{key}": [\n{items}\n  ]')
        else:
            fields.append(f'  "{key}": {_compact(value)}')
    return "{\n" + ",\n".join(fields) + "\n}\n"


def _compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def as_github(report: Report) -> str:
    """Workflow commands: each finding becomes an annotation on the file and line to fix."""
    lines = []
    for f in report.findings:
        props = ",".join(f"{k}={_escape(str(v), True)}" for k, v in
                         (("file", f.file), ("line", f.line), ("title", f"l10n check [{f.check}]")) if v)
        lines.append(f"::{f.severity} {props}::{_escape(_with_source(f), False)}")
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def github_step_summary(report: Report) -> str:
    """A Markdown table for `$GITHUB_STEP_SUMMARY`: coverage and findings per file."""
    lines = ["### l10n check", "", _summary(report), "",
             "| article | lang | coverage | errors | warnings |", "| --- | --- | ---: | ---: | ---: |"]
    for file in report.files:
        coverage = file.coverage(report.options.allow_fuzzy)
        errors, warnings = _counts(file)
        cell = f"{coverage:.1f}%" if coverage is not None else "-"
        lines.append(f"| `{file.source or file.catalog}` | {file.lang} | {cell} | {errors} | {warnings} |")
    return "\n".join(lines) + "\n"


def write_step_summary(report: Report) -> None:
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(github_step_summary(report))


def as_junit(report: Report) -> str:
    """One test case per article and language, failing with its error-level findings."""
    suite = ET.Element("testsuite", name="l10n check", tests=str(len(report.files)),
                       failures=str(sum(1 for f in report.files if _counts(f)[0])), errors="0")
    for file in report.files:
        case = ET.SubElement(suite, "testcase", classname=f"l10n.{file.lang}", name=file.source or file.catalog)
        errors = [f for f in file.findings if f.severity == ERROR]
        if errors:
            failure = ET.SubElement(case, "failure", message=f"{len(errors)} error(s)", type="l10n-check")
            failure.text = "\n".join(_line(f) for f in errors)
        warnings = [f for f in file.findings if f.severity == WARNING]
        if warnings:
            ET.SubElement(case, "system-out").text = "\n".join(_line(f) for f in warnings)
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


FORMATS = {"text": as_text, "json": as_json, "github": as_github, "junit": as_junit}


def _file_json(file: FileReport, report: Report) -> dict:
    s, (errors, warnings) = file.stats, _counts(file)
    coverage = file.coverage(report.options.allow_fuzzy)
    return {"source": file.source, "lang": file.lang, "catalog": file.catalog, "output": file.output,
            "translated": s and s.translated, "fuzzy": s and s.fuzzy, "untranslated": s and s.untranslated,
            "obsolete": s and s.obsolete, "coverage": None if coverage is None else round(coverage, 2),
            "errors": errors, "warnings": warnings}


def _counts(file: FileReport) -> tuple[int, int]:
    return (sum(1 for f in file.findings if f.severity == ERROR),
            sum(1 for f in file.findings if f.severity == WARNING))


def _summary(report: Report) -> str:
    return (f"l10n check: {report.count(ERROR)} error(s), {report.count(WARNING)} warning(s) "
            f"in {len(report.files)} file(s)")


def _line(f: Finding) -> str:
    where = f"{f.file}:{f.line}" if f.line else f.file
    return f"{where}: {f.severity} [{f.check}] {_with_source(f)}"


def _with_source(f: Finding) -> str:
    return f.message + (f" (source {f.source}:{f.source_line})" if f.source_line else "")


def _escape(text: str, property_value: bool) -> str:
    """GitHub workflow command escaping (properties also escape `:` and `,`)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text
