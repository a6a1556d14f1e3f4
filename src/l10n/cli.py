"""The `l10n` command: a thin layer over `l10n.project` that prints results and sets exit codes.

Exit codes: 0 success, 1 some file failed (the others were still processed), 2 usage or setup error.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Iterator, List, Optional

import typer
from typer.core import TyperGroup
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from . import DISTRIBUTION, __version__, hugo, project
from .config import CONFIG_FILE, LAYOUTS, Shard, config_text, config_from_dict, load_config
from .errors import L10nError
from .fsutil import atomic_write
from .project import FileResult

class _Group(TyperGroup):
    """The root command. Typer 0.26 and later print the value type after every option in rich help,
    flags included (`--fuzzy <bool>`, `--help <bool>`), as if they took a value. Before the command
    line is parsed, every flag of the command tree gets an empty metavar, so flags read as flags."""

    def parse_args(self, ctx, args):  # type: ignore[no-untyped-def]
        _plain_flags(self, ctx)
        return super().parse_args(ctx, args)


def _plain_flags(command, ctx) -> None:  # type: ignore[no-untyped-def]
    for param in command.get_params(ctx):  # with the help option, which is made on demand
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    for sub in getattr(command, "commands", {}).values():
        _plain_flags(sub, ctx)


app = typer.Typer(
    cls=_Group,
    help="Translate Markdown articles through gettext PO files, losslessly.\n\n"
         "Typical run: l10n init, l10n extract, edit or machine-translate locales/, l10n build.",
    no_args_is_help=True, rich_markup_mode="markdown",
)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


class Format(str, Enum):
    text = "text"
    json = "json"


PathsArg = typer.Argument(None, help="Limit the work to these source files or folders.", show_default=False)
LangOpt = typer.Option(None, "--lang", "-l", help="Target language(s) to work on (default: all configured).")


def _shard(value: Optional[str]) -> Optional[Shard]:
    try:
        return Shard.parse(value) if value else None
    except L10nError as exc:
        raise typer.BadParameter(exc.message) from None


ShardOpt = typer.Option(None, "--shard", metavar="K/N", callback=_shard,
                        help="Only part K of N of the articles (a stable split by path): N jobs with K = 1..N "
                             "cover every article once (CI fleets).")
FormatOpt = typer.Option(Format.text, "--format", help="`json` prints one machine-readable document.")


def _version(value: bool) -> None:
    if value:
        out.print(f"{DISTRIBUTION} {__version__}", markup=False)
        raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                      help="Print the version and exit.")) -> None:
    """Translate Markdown articles through gettext PO files, losslessly."""


@app.command(epilog="Examples:  \n`l10n init` (in a Hugo site: its languages and layout)  \n"
                    "`l10n init --source-lang zh --target-lang en`  \n"
                    "`l10n init -s zh -t en -t ja --layout filename`")
def init(
    source_lang: Optional[str] = typer.Option(
        None, "--source-lang", "-s", show_default=False,
        help="Language the articles are written in (default: the Hugo site's defaultContentLanguage, else zh)."),
    target_lang: Optional[List[str]] = typer.Option(
        None, "--target-lang", "-t", show_default=False,
        help="Language(s) to translate into (default: the Hugo site's other languages, else en)."),
    layout: Optional[str] = typer.Option(None, show_default=False,
                                         help=f"One of: {', '.join(LAYOUTS)} (default: as the Hugo site has it, "
                                              "else directory)."),
    force: bool = typer.Option(False, "--force", help=f"Overwrite an existing {CONFIG_FILE}."),
) -> None:
    """Start a project here: write `l10n.toml` and create the content and locales folders.

    In a Hugo site (`hugo.toml`, `config.toml`, `config/_default/`...) the languages, the default content
    language and the layout (content directories or translation by file name) are read from its configuration.
    """
    root = Path.cwd()
    with _errors_exit():
        path = root / CONFIG_FILE
        if path.exists() and not force:
            raise L10nError(f"{CONFIG_FILE} already exists (use --force to overwrite)", CONFIG_FILE)
        site = hugo.read_site(root)
        if site is None:
            found = hugo.Plan(source_lang or "zh", tuple(target_lang or ["en"]), layout or "directory", "content")
        else:
            found = hugo.plan(site, source_lang, target_lang or (), layout)
            out.print(hugo.describe(site, found), markup=False, soft_wrap=True)
        settings = {"source_lang": found.source_lang, "target_langs": list(found.target_langs),
                    "layout": found.layout, "content_dir": found.content_dir}
        config = config_from_dict(root, settings)
        atomic_write(path, config_text(found.source_lang, found.target_langs, found.layout, root.name,
                                       found.content_dir).encode(), root)
        config.source_root.mkdir(parents=True, exist_ok=True)
        (root / config.locales_dir).mkdir(exist_ok=True)
    out.print(f"Wrote {CONFIG_FILE}. Put articles in {config.display(config.source_root)}/, "
              "then run `l10n extract`.", markup=False)


@app.command(epilog="Examples:  \n`l10n extract`  \n`l10n extract content/zh/posts/a.md --lang en`  \n"
                    "`l10n extract --format json`")
def extract(paths: Optional[List[Path]] = PathsArg, lang: Optional[List[str]] = LangOpt,
            format: Format = FormatOpt) -> None:
    """Write or update `locales/<lang>/<article>.po` from the source articles.

    Existing translations are kept: changed source text leaves its old translation marked fuzzy
    (with the previous msgid), vanished text becomes obsolete (`#~`). Unchanged articles are skipped.
    """
    config = _config()
    with _errors_exit(), _progress("Extracting") as tick:
        results = project.extract(config, paths or (), lang or (), tick)
    _report("extract", results, format)


@app.command(epilog="Examples:  \n`l10n build`  \n`l10n build --fuzzy` (publish machine drafts too)  \n"
                    "`l10n build --strict content/zh/posts/a.md`")
def build(paths: Optional[List[Path]] = PathsArg, lang: Optional[List[str]] = LangOpt,
          fuzzy: bool = typer.Option(False, "--fuzzy", help="Also use translations marked fuzzy."),
          strict: bool = typer.Option(False, "--strict", help="Fail (write nothing) for an article with "
                                                              "untranslated text instead of falling back."),
          shard: Optional[str] = ShardOpt,
          overwrite: bool = typer.Option(False, "--overwrite", help="Replace existing translations that build "
                                                                    "did not write (see `l10n align`)."),
          format: Format = FormatOpt) -> None:
    """Write the translated articles (e.g. `content/en/...`) from sources and catalogs.

    Everything that is not a translated segment is copied byte for byte. Untranslated segments keep
    the source text (reported). A translation that would break the document is refused. An existing
    file that build did not write is never replaced by different text without `--overwrite`.
    """
    config = _config()
    with _errors_exit(), _progress("Building") as tick:
        results = project.build(config, paths or (), lang or (), use_fuzzy=fuzzy, strict=strict, shard=shard,
                                overwrite=overwrite, progress=tick)
    _report("build", results, format)


@app.command(epilog="Examples:  \n`l10n status`  \n`l10n status --lang en --format json`")
def status(paths: Optional[List[Path]] = PathsArg, lang: Optional[List[str]] = LangOpt,
           shard: Optional[str] = ShardOpt, format: Format = FormatOpt) -> None:
    """Show per article and language: translated, fuzzy, untranslated, obsolete, coverage."""
    config = _config()
    with _errors_exit(), _progress("Reading") as tick:
        results = project.status(config, paths or (), lang or (), tick, shard)
    if format is Format.json:
        _report("status", results, format)
        return
    width = max([len(r.source) for r in results] + [7])
    out.print(f"{'article':<{width}}  lang  translated  fuzzy  untranslated  obsolete  coverage  catalog",
              markup=False, soft_wrap=True)
    for r in results:
        s = r.stats
        numbers = (f"{s.translated:>10}  {s.fuzzy:>5}  {s.untranslated:>12}  {s.obsolete:>8}  {s.coverage:>7.1f}%"
                   if s else f"{'-':>10}  {'-':>5}  {'-':>12}  {'-':>8}  {'-':>8}")
        out.print(f"{r.source:<{width}}  {r.lang:<4}  {numbers}  {r.action}", markup=False, soft_wrap=True)
    _report("status", results, format, summary=False)


def _config():
    with _errors_exit():
        return load_config()


@contextmanager
def _errors_exit() -> Iterator[None]:
    """A setup or usage problem: one line on stderr, exit code 2."""
    try:
        yield
    except L10nError as exc:
        err.print(f"[red]error:[/red] {exc}", markup=True, soft_wrap=True)
        raise typer.Exit(2) from None


@contextmanager
def _progress(verb: str) -> Iterator:
    """A progress bar on a terminal for runs over many files (shown from the first file done); else nothing."""
    if not err.is_terminal:
        yield None
        return
    columns = (TextColumn(f"{verb}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = None

        def tick(done: int, total: int) -> None:
            nonlocal task
            if total >= 20:
                task = bar.add_task(verb, total=total) if task is None else task
                bar.advance(task, done)

        yield tick


def _report(command: str, results: list[FileResult], format: Format, summary: bool = True) -> None:
    failed = [r for r in results if r.errors]
    if format is Format.json:
        out.print_json(json.dumps({
            "command": command,
            "ok": not failed,
            "files": [_as_json(r) for r in results],
        }, ensure_ascii=False))
    else:
        for r in results:
            for error in r.errors:
                err.print(f"{error}", style="red" if err.is_terminal else None, soft_wrap=True,
                          markup=False)
            for warning in r.warnings:
                err.print(f"{r.source} [{r.lang}]: warning: {warning}", style="yellow" if err.is_terminal else None,
                          soft_wrap=True, markup=False)
            if r.action == "written":
                out.print(f"{r.action} {r.target}", markup=False)
        if summary:
            counts: dict[str, int] = {}
            for r in results:
                counts[r.action] = counts.get(r.action, 0) + 1
            text = ", ".join(f"{n} {action}" for action, n in sorted(counts.items())) or "no articles found"
            out.print(f"{command}: {text}", markup=False)
    if failed:
        raise typer.Exit(1)


def _as_json(r: FileResult) -> dict:
    s = r.stats
    return {
        "source": r.source, "lang": r.lang, "action": r.action, "target": r.target,
        "stats": None if s is None else {"translated": s.translated, "fuzzy": s.fuzzy,
                                         "untranslated": s.untranslated, "obsolete": s.obsolete,
                                         "coverage": round(s.coverage, 2)},
        "errors": [{"file": e.path, "line": e.line, "message": e.message} for e in r.errors],
        "warnings": r.warnings,
    }
from . import cli_translate  # noqa: E402,F401  registers translate, glossary, memory
from . import cli_check  # noqa: E402,F401  registers check
from . import cli_review  # noqa: E402,F401  registers review
from . import cli_align  # noqa: E402,F401  registers align
