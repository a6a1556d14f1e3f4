"""`l10n check`: the CI gate for untranslated, stale and broken translations.

    from l10n.checks import CheckOptions, check_project
    report = check_project(load_config(), options=CheckOptions(min_coverage=95))
    for finding in report.findings: ...
    entry_findings(source, translation, "en", glossary, options)   # one pair: [(check, message)]
"""

from .registry import CHECKS, ERROR, WARNING, Check, CheckOptions, Finding, waived
from .run import (
    FileReport,
    Report,
    build_state,
    check_article,
    check_project,
    clear_caches,
    entry_findings,
    orphan_catalogs,
)

__all__ = ["CHECKS", "ERROR", "WARNING", "Check", "CheckOptions", "FileReport", "Finding", "Report", "build_state",
           "check_article", "check_project", "clear_caches", "entry_findings", "orphan_catalogs", "waived"]
