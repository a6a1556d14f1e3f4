"""`l10n translate`: a thin command over `l10n.translate` (machine translation of the catalogs)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from .. import mt
from ..config import Shard
from ..errors import L10nError
from ..translate import Job, Summary, TranslateOptions
from ..translate import run as translate_run
from .common import (
    Format,
    FormatOpt,
    LangOpt,
    PathsArg,
    ShardOpt,
    command_group,
    err,
    exit_on_error,
    out,
    progress_bar,
    project_config,
    report,
    results_json,
)

group = command_group()


@group.command(epilog="Examples:  \n`l10n translate --engine google`  \n`l10n translate --engine deepl` "
                      "(key in DEEPL_AUTH_KEY)  \n`l10n translate --engine libre --url http://localhost:5000/`  \n"
                      "`l10n translate --engine openai --url http://localhost:11434/v1 --model qwen2.5`  \n"
                      "`l10n translate --engine pseudo`  \n`l10n translate --dry-run`")
def translate(
    paths: list[Path] | None = PathsArg, lang: list[str] | None = LangOpt, shard: Shard | None = ShardOpt,
    engine: str | None = typer.Option(None, "--engine", "-e", help=f"One of: {', '.join(mt.ENGINES)} "
                                                                      "(default: [translate] engine)."),
    url: str | None = typer.Option(None, help="The engine's server (LibreTranslate, OpenAI-compatible, DeepL)."),
    model: str | None = typer.Option(None, help="The model, for OpenAI-compatible servers."),
    key_env: str | None = typer.Option(None, help="Environment variable holding the API key."),
    concurrency: int | None = typer.Option(None, help="Requests in flight (default 4)."),
    rate: float | None = typer.Option(None, help="Requests per second at most (default: no limit)."),
    timeout: float | None = typer.Option(None, help="Seconds to wait for one reply (default 30)."),
    retranslate_fuzzy: bool = typer.Option(False, "--retranslate-fuzzy", help="Also entries marked fuzzy."),
    force: bool = typer.Option(False, "--force", help="Every entry, reviewed ones too, ignoring the memory."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be sent; send nothing."),
    qa: str | None = typer.Option(None, "--qa", help="on: judge every draft by the checks of `l10n check` and "
                                     "ask a wrong one again once (default); report: judge only; off: neither. "
                                     "Drafts still wrong get `# l10n-qa:` comments."),
    format: Format = FormatOpt,
) -> None:
    """Fill untranslated entries by machine translation, marked `fuzzy` with the engine's name.

    Markup, URLs and glossary terms are protected; replies that break them are retried once, then
    left out and reported. Every draft is judged by the checks of `l10n check` (numbers, glossary,
    Chinese left, punctuation...); a wrong one is asked again once, and flagged with `# l10n-qa:`
    comments if still wrong. Segments already in the translation memory are not sent again.
    """
    config = project_config()
    with exit_on_error():
        if engine is None and "engine" not in config.section("translate") and not dry_run:
            raise L10nError("choose an engine: --engine NAME, or `engine = \"...\"` under [translate] in "
                            f"{config.display(config.origin)} (one of: {', '.join(mt.ENGINES)})")
        settings = mt.Settings.from_config(config, engine=engine, url=url, model=model, key_env=key_env,
                                           concurrency=concurrency, rate=rate, timeout=timeout, dry_run=dry_run)
        options = TranslateOptions.from_settings(settings, retranslate_fuzzy=retranslate_fuzzy, force=force, qa=qa)
        try:
            job = translate_run(config, settings, paths or (), lang or (), options=options, shard=shard, progress=_bar)
        except KeyboardInterrupt:
            err.line("interrupted: every translation received so far is saved")
            raise typer.Exit(130) from None
    if dry_run:
        _print_plan(job, format)
        if any(r.errors for r in job.results):  # a file would be skipped: fail like the real run
            raise typer.Exit(1)
        return
    results = job.results
    if format is Format.json:
        out.json(results_json("translate", results, summary=vars(job.summary)))
        if any(r.errors for r in results):
            raise typer.Exit(1)
        return
    try:
        report("translate", results, format)
    finally:
        out.line(summary_line(job.summary))


def summary_line(s: Summary) -> str:
    line = (f"{s.engine}: {s.segments} segment(s) translated, {s.characters} characters sent in {s.requests} "
            f"request(s) ({s.retries} retried), {s.reused} reused from memory, {s.failed} failed, "
            f"{s.entries} entries filled")
    if s.waited:
        line += f", {s.waited} translated meanwhile by other jobs"
    if s.clean or s.repaired or s.flagged:
        line += (f"; checks: {s.clean} clean, {s.repaired} repaired, {s.flagged} flagged (# l10n-qa), "
                 f"{s.qa_characters} characters re-sent")
    return line


def _print_plan(job: Job, format: Format) -> None:
    segments = len(job.to_send)
    qa_characters, qa_requests = job.qa_worst_case()
    figures = {"engine": job.engine.name, "segments": segments, "characters": job.planned_characters,
               "requests": len(job.batches), "reused": job.summary.reused,
               "qa_worst_case": {"characters": qa_characters, "requests": qa_requests},
               "skipped": [r.source for r in job.results if r.errors]}
    if format is Format.json:
        out.json({"command": "translate", "dry_run": True, **figures})
        return
    for r in job.results:
        for error in r.errors:
            err.line(str(error))
    out.line(f"dry run, {figures['engine']}: would send {segments} segment(s), {figures['characters']} characters "
             f"in {figures['requests']} request(s); {figures['reused']} reused from memory"
             + (f"; at worst {qa_characters} more characters in {qa_requests} request(s) if every draft failed "
                "the checks and were asked again" if qa_characters else ""))


@contextmanager
def _bar(job: Job) -> Iterator[Callable[[int, int], None] | None]:
    """Segments, characters and time left, on a terminal; nothing otherwise."""
    total = job.planned_characters
    with progress_bar("Translating", unit="chars", items="segments") as advance:
        yield advance and (lambda segments, chars: advance(chars, total, segments))
