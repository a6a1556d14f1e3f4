"""`l10n check`: the CI gate for untranslated, stale and broken translations.

    from l10n.checks import Options, check_project
    report = check_project(load_config(), options=Options(min_coverage=95))
    for finding in report.findings: ...
    entry_findings(source, translation, "en", glossary, options)   # one pair: [(check, message)]
"""

from .registry import CHECKS, ERROR, WARNING, Check, Finding, Options, waived
from .run import FileReport, Report, check_article, check_project, clear_caches, entry_findings, orphan_catalogs

__all__ = ["CHECKS", "ERROR", "WARNING", "Check", "FileReport", "Finding", "Options", "Report", "check_article",
           "check_project", "clear_caches", "entry_findings", "orphan_catalogs", "waived"]
