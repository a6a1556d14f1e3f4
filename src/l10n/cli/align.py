"""`l10n align`: a thin command over `l10n.align.align` that prints its report.

Exit codes: 0 success, 1 some file failed (the others were still aligned), 2 usage or setup error.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import typer

from ..align import AlignResult
from ..align import align as align_project
from ..runner import FileResult
from .common import (
    Format,
    FormatOpt,
    LangOpt,
    PathsArg,
    command_group,
    err,
    exit_on_error,
    out,
    progress_bar,
    project_config,
)

group = command_group()

_EXCERPT = 70


@group.command(epilog="Examples:  \n`l10n extract && l10n align`  \n"
                      "`l10n align content/zh/posts/a.md --from old-site/en/a.md`  \n"
                      "`l10n align --force --format json`")
def align(paths: list[Path] | None = PathsArg, lang: list[str] | None = LangOpt,
          source_of: Path | None = typer.Option(None, "--from", help="The existing translation of the one "
                                                   "source given (default: the file `l10n build` writes)."),
          force: bool = typer.Option(False, "--force", help="Redo the entries an earlier `l10n align` wrote "
                                                            "(other translations are never touched)."),
          format: Format = FormatOpt) -> None:
    """Fill the catalogs from English editions that already exist (adopt a site's hand translations).

    Each existing translation is segmented like the source and aligned with it: front matter by key,
    footnotes by label, the rest in order (paragraphs split or merged, added or dropped in translation
    are handled). Confident matches are written as translations (`# aligned from <file>`), weak or
    many-to-one matches as fuzzy; existing msgstrs are never overwritten. Everything of the existing
    file that found no place is listed with its line. Run `l10n extract` first. Nothing is sent anywhere.
    """
    config = project_config()
    with exit_on_error(), progress_bar("Aligning") as tick:
        results = [_aligned(r) for r in align_project(config, paths or (), lang or (), force=force,
                                                      counterpart=source_of, progress=tick)]
    if format is Format.json:
        out.json(report_json(results))
    else:
        _print_text(results)
    if any(r.errors for r in results):
        raise typer.Exit(1)


def _aligned(result: AlignResult | FileResult) -> AlignResult:
    """A source refused or unreadable before alignment is a plain FileResult: one with nothing aligned."""
    if isinstance(result, AlignResult):
        return result
    return AlignResult(**{f.name: getattr(result, f.name) for f in fields(FileResult)})


def report_json(results: list[AlignResult]) -> dict:
    done = [r for r in results if r.action in ("written", "unchanged")]
    return {
        "command": "align",
        "ok": not any(r.errors for r in results),
        "summary": {
            "files": len(done), "aligned": sum(r.aligned for r in done), "fuzzy": sum(r.fuzzy for r in done),
            "kept": sum(r.kept for r in done), "unaligned": sum(len(r.unaligned) for r in done),
            "unplaced": sum(len(r.unplaced) for r in done), "reproduced": sum(bool(r.reproduced) for r in done),
            "failed": sum(1 for r in results if r.errors),
            "skipped": sum(1 for r in results if not r.errors and r not in done),
        },
        "files": [{
            "source": r.source, "lang": r.lang, "translation": r.counterpart, "catalog": r.target,
            "action": r.action, "aligned": r.aligned, "fuzzy": r.fuzzy, "kept": r.kept,
            "unaligned": [{"line": line, "text": text} for line, text in r.unaligned],
            "uncertain": [{"line": line, "text": text, "why": why} for line, text, why in r.uncertain],
            "unplaced": [{"line": u.line, "kind": u.kind, "text": u.text, "reason": u.reason} for u in r.unplaced],
            "reproduced": r.reproduced,
            "errors": [{"file": e.path, "line": e.line, "message": e.message} for e in r.errors],
        } for r in results],
    }


def _print_text(results: list[AlignResult]) -> None:
    for r in results:
        for error in r.errors:
            err.line(str(error))
        if r.action not in ("written", "unchanged"):
            continue
        same = "yes" if r.reproduced else "no"
        out.line(f"{r.source} [{r.lang}] <- {r.counterpart}: {r.aligned} aligned, {r.fuzzy} fuzzy, "
                 f"{len(r.unaligned)} unaligned, {r.kept} kept; {len(r.unplaced)} unplaced; "
                 f"build gives it back byte for byte: {same}")
        for line, text, why in r.uncertain:
            out.line(f"  {r.source}:{line}: fuzzy ({why}): {_excerpt(text)}")
        for line, text in r.unaligned:
            out.line(f"  {r.source}:{line}: no counterpart: {_excerpt(text)}")
        for u in r.unplaced:
            out.line(f"  {r.counterpart}:{u.line}: not placed ({u.reason}): {_excerpt(u.text)}")
    counts: dict[str, int] = {}
    for r in results:
        counts[r.action] = counts.get(r.action, 0) + 1
    done = [r for r in results if r.action in ("written", "unchanged")]
    summary = ", ".join(f"{n} {action}" for action, n in sorted(counts.items())) or "no articles found"
    out.line(f"align: {summary}; entries: {sum(r.aligned for r in done)} aligned, "
             f"{sum(r.fuzzy for r in done)} fuzzy, {sum(len(r.unaligned) for r in done)} unaligned, "
             f"{sum(r.kept for r in done)} kept; {sum(len(r.unplaced) for r in done)} unplaced blocks")


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _EXCERPT else text[:_EXCERPT - 1] + "…"
