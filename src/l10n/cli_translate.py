"""`l10n translate`, `l10n glossary check`, `l10n memory init|stats|import|export`: thin layers over l10n.translate,
l10n.glossary and l10n.memory, registered on the main `l10n` app."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List, Optional

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from . import mt
from .cli import Format, FormatOpt, LangOpt, PathsArg, ShardOpt, _as_json, _config, _errors_exit, _report, app, err, out
from .errors import L10nError
from .glossary import GLOSSARY_FILE, Glossary
from .memory import memory_url, migrate, open_memory, stats
from .memory.tmx import export_tmx, import_tmx
from .translate import Job, Options, Summary, learn, run as translate_run

glossary_app = typer.Typer(help="Check the project glossary (glossary.yaml).", no_args_is_help=True,
                           epilog="Example:  \n`l10n glossary check`", rich_markup_mode="markdown")
memory_app = typer.Typer(help="The translation memory: set it up, see what it holds, move it to and from CAT tools "
                              "as TMX 1.4.", no_args_is_help=True,
                         epilog="Examples:  \n`l10n memory init`  \n`l10n memory stats`  \n"
                                "`l10n memory export memory.tmx`  \n`l10n memory import omegat.tmx`",
                         rich_markup_mode="markdown")
app.add_typer(glossary_app, name="glossary")
app.add_typer(memory_app, name="memory")


@app.command(epilog="Examples:  \n`l10n translate --engine google`  \n`l10n translate --engine deepl` "
                    "(key in DEEPL_AUTH_KEY)  \n`l10n translate --engine libre --url http://localhost:5000/`  \n"
                    "`l10n translate --engine openai --url http://localhost:11434/v1 --model qwen2.5`  \n"
                    "`l10n translate --engine pseudo`  \n`l10n translate --dry-run`")
def translate(
    paths: Optional[List[Path]] = PathsArg, lang: Optional[List[str]] = LangOpt, shard: Optional[str] = ShardOpt,
    engine: Optional[str] = typer.Option(None, "--engine", "-e", help=f"One of: {', '.join(mt.ENGINES)} "
                                                                      "(default: [translate] engine)."),
    url: Optional[str] = typer.Option(None, help="The engine's server (LibreTranslate, OpenAI-compatible, DeepL)."),
    model: Optional[str] = typer.Option(None, help="The model, for OpenAI-compatible servers."),
    key_env: Optional[str] = typer.Option(None, help="Environment variable holding the API key."),
    concurrency: Optional[int] = typer.Option(None, help="Requests in flight (default 4)."),
    rate: Optional[float] = typer.Option(None, help="Requests per second at most (default: no limit)."),
    timeout: Optional[float] = typer.Option(None, help="Seconds to wait for one reply (default 30)."),
    retranslate_fuzzy: bool = typer.Option(False, "--retranslate-fuzzy", help="Also entries marked fuzzy."),
    force: bool = typer.Option(False, "--force", help="Every entry, reviewed ones too, ignoring the memory."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be sent; send nothing."),
    qa: Optional[str] = typer.Option(None, "--qa", help="on: judge every draft by the checks of `l10n check` and "
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
    config = _config()
    with _errors_exit():
        if engine is None and "engine" not in config.section("translate") and not dry_run:
            raise L10nError("choose an engine: --engine NAME, or `engine = \"...\"` under [translate] in "
                            f"l10n.toml (one of: {', '.join(mt.ENGINES)})")
        settings = mt.Settings.from_config(config.section("translate"), engine=engine, url=url, model=model,
                                           key_env=key_env, concurrency=concurrency, rate=rate, timeout=timeout,
                                           dry_run=dry_run)
        options = Options.from_settings(settings, retranslate_fuzzy=retranslate_fuzzy, force=force, qa=qa)
        try:
            job = translate_run(config, settings, paths or (), lang or (), options=options, shard=shard, progress=_bar)
        except KeyboardInterrupt:
            err.print("interrupted: every translation received so far is saved", markup=False)
            raise typer.Exit(130) from None
    if dry_run:
        _print_plan(job, format)
        return
    results = job.results
    if format is Format.json:
        out.print_json(json.dumps({"command": "translate", "ok": not any(r.errors for r in results),
                                   "summary": vars(job.summary), "files": [_as_json(r) for r in results]},
                                  ensure_ascii=False))
        if any(r.errors for r in results):
            raise typer.Exit(1)
        return
    try:
        _report("translate", results, format)
    finally:
        out.print(summary_line(job.summary), markup=False, soft_wrap=True)


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
        out.print_json(json.dumps({"command": "translate", "dry_run": True, **figures}, ensure_ascii=False))
        return
    for r in job.results:
        for error in r.errors:
            err.print(str(error), markup=False, soft_wrap=True)
    out.print(f"dry run, {figures['engine']}: would send {segments} segment(s), {figures['characters']} characters "
              f"in {figures['requests']} request(s); {figures['reused']} reused from memory"
              + (f"; at worst {qa_characters} more characters in {qa_requests} request(s) if every draft failed "
                 "the checks and were asked again" if qa_characters else ""), markup=False, soft_wrap=True)


@contextmanager
def _bar(job: Job) -> Iterator:
    """Segments, characters and time left, on a terminal; nothing otherwise."""
    total = job.planned_characters
    if not err.is_terminal or not total:
        yield None
        return
    columns = (TextColumn("Translating"), BarColumn(), TextColumn("{task.fields[segments]} segments"),
               TextColumn("{task.completed:.0f}/{task.total:.0f} chars"), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("translate", total=total, segments=0)
        done = [0]

        def tick(segments: int, chars: int) -> None:
            done[0] += segments
            bar.update(task, advance=chars, segments=done[0])

        yield tick


@glossary_app.command("check", epilog="Examples:  \n`l10n glossary check`")
def glossary_check() -> None:
    """Validate glossary.yaml: duplicates, empty targets, terms both required and forbidden."""
    config = _config()
    with _errors_exit():
        glossary = Glossary.load(config.root / GLOSSARY_FILE, config.root, GLOSSARY_FILE)
    problems = glossary.problems(config.target_langs)
    for problem in problems:
        err.print(str(problem), markup=False, soft_wrap=True)
    out.print(f"{GLOSSARY_FILE}: {len(glossary.terms)} term(s), {len(problems)} problem(s)", markup=False)
    if problems:
        raise typer.Exit(1)


@memory_app.command("import", epilog="Examples:  \n`l10n memory import omegat-project.tmx`")
def memory_import(file: Path = typer.Argument(..., help="A TMX file (from OmegaT, Trados, Weblate...).")) -> None:
    """Add a TMX file's units for this project's languages to the translation memory."""
    config = _config()
    with _errors_exit(), open_memory(config) as memory:
        count = import_tmx(memory, file, config.source_lang, config.target_langs, config.display(file))
    out.print(f"imported {count} translation unit(s) into {memory.where}", markup=False)


@memory_app.command("export", epilog="Examples:  \n`l10n memory export memory.tmx`")
def memory_export(file: Path = typer.Argument(..., help="The TMX 1.4 file to write.")) -> None:
    """Write the translation memory, with every reviewed PO translation, as TMX 1.4."""
    config = _config()
    with _errors_exit(), open_memory(config) as memory:
        learn(config, memory)
        count = export_tmx(memory, file, config.source_lang)
    out.print(f"exported {count} translation unit(s) to {config.display(file)}", markup=False)


@memory_app.command("init", epilog="Examples:  \n`L10N_MEMORY_URL=postgresql://l10n@db/l10n l10n memory init`")
def memory_init() -> None:
    """Create or upgrade the shared memory's tables ([memory] url or L10N_MEMORY_URL); safe to run from every job."""
    config = _config()
    with _errors_exit(), open_memory(config, require_schema=False) as memory:
        before, after = migrate(memory)
    if before == after:
        out.print(f"{memory.where}: schema version {after}, nothing to do"
                  + (" (the SQLite memory sets itself up)" if not memory_url(config) else ""), markup=False)
    else:
        out.print(f"{memory.where}: schema upgraded from version {before} to {after}", markup=False)


@memory_app.command("stats", epilog="Examples:  \n`l10n memory stats`  \n`l10n memory stats --format json`")
def memory_stats(format: Format = FormatOpt) -> None:
    """Segments per language pair and origin (human or engine), characters, last use, and size on disk."""
    config = _config()
    with _errors_exit(), open_memory(config) as memory:
        found = stats(memory)
    if format is Format.json:
        out.print_json(json.dumps({"command": "memory stats", "where": found.where, "size": found.size,
                                   "pairs": [vars(row) for row in found.rows]}, ensure_ascii=False))
        return
    out.print(f"{found.where}: {sum(r.units for r in found.rows)} segment(s), {found.size} bytes", markup=False)
    for r in found.rows:
        out.print(f"{r.source_lang} -> {r.target_lang}  {r.origin:<12} {r.units:>8} segment(s) {r.characters:>10} "
                  f"characters  last {r.last_use}", markup=False, soft_wrap=True)
