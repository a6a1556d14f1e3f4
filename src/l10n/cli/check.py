"""`l10n check`: a thin command over `l10n.checks.check_project`.

Exit codes: 0 clean (warnings allowed), 1 findings at error level, 2 usage error or unreadable input.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path

import typer

from ..checks import CheckOptions, check_project
from ..checks.report import FORMATS, write_step_summary
from ..config import Shard
from .common import LangOpt, PathsArg, ShardOpt, command_group, exit_on_error, progress_bar, project_config

group = command_group()


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    junit = "junit"


@group.command(epilog="Examples:  \n`l10n check`  \n`l10n check --lang en content/zh/posts/a.md`  \n"
                      "`l10n check --format github` (in GitHub Actions, the default)  \n"
                      "`l10n check --min-coverage 95 --allow-fuzzy --format junit > l10n.xml`")
def check(paths: list[Path] | None = PathsArg, lang: list[str] | None = LangOpt,
          shard: Shard | None = ShardOpt,
          format: CheckFormat | None = typer.Option(
              None, "--format", help="text, json, github (workflow annotations) or junit; default: github "
                                     "when $GITHUB_ACTIONS is set, text otherwise."),
          min_coverage: float | None = typer.Option(
              None, "--min-coverage", min=0, max=100, help="Percent of entries that must be translated "
                                                           "(default 100, or `[check] min_coverage`)."),
          allow_fuzzy: bool | None = typer.Option(
              None, "--allow-fuzzy/--no-allow-fuzzy", help="Count fuzzy entries as translated (they stay "
                                                           "warnings) and check them like the others.")) -> None:
    """Fail when a translation is missing, stale or broken: the CI gate.

    Finds untranslated and fuzzy entries, low coverage, missing or stale catalogs, outputs not rebuilt,
    and per entry: footnotes, URLs, code, HTML and shortcodes that differ, broken Markdown, Chinese or
    full-width punctuation left over, numbers and dates that do not match, glossary violations and
    unsafe HTML. Waive a check for one entry with a translator comment `# l10n: ignore numbers`.
    Exit codes: 0 clean, 1 errors found, 2 usage error or unreadable input.
    """
    config = project_config()
    chosen = format or (CheckFormat.github if os.environ.get("GITHUB_ACTIONS") == "true" else CheckFormat.text)
    with exit_on_error():
        options = CheckOptions.from_config(config, min_coverage=min_coverage, allow_fuzzy=allow_fuzzy)
        with progress_bar("Checking") as tick:
            report = check_project(config, paths or (), lang or (), options, tick, shard)
    sys.stdout.write(FORMATS[chosen.value](report))
    if chosen is CheckFormat.github:
        write_step_summary(report)
    raise typer.Exit(report.exit_code)
