"""What every command module shares: the common options, the configuration loader, errors as exit codes,
and the output (result lines and JSON, a progress bar).

Output goes through `out` and `err`: plain lines when they are not a terminal (a pipe, a CI log), rich
text with colour and a progress bar when they are; rich is imported only then, which keeps a command
in a script fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TextIO

import typer

from ..config import Config, Shard, load_config
from ..errors import L10nError

if TYPE_CHECKING:
    from rich.console import Console

    from ..runner import FileResult

BAR_FROM = 20  # a run over fewer units than this (files, characters) shows no progress bar


class Format(str, Enum):
    text = "text"
    json = "json"


# `parser=Path`: Typer's own Path coercion builds a pydantic adapter per value (2,000 paths: 0.17 s against 0.08 s;
# issue #10 wants a command limited to 2,000 paths within 1.5x of the whole site). The same Path objects come out.
PathsArg = typer.Argument(None, help="Limit the work to these source files or folders.", show_default=False,
                          parser=Path)
LangOpt = typer.Option(None, "--lang", "-l", help="Target language(s) to work on (default: all configured).")


def parse_shard(value: str) -> Shard:
    try:
        return Shard.parse(value)
    except L10nError as exc:
        raise typer.BadParameter(exc.message) from None


ShardOpt = typer.Option(None, "--shard", metavar="K/N", parser=parse_shard,
                        help="Only part K of N of the articles (a stable split by path): N jobs with K = 1..N "
                             "cover every article once (CI fleets).")
FormatOpt = typer.Option(Format.text, "--format", help="`json` prints one machine-readable document.")


def command_group(**settings: Any) -> typer.Typer:
    """The commands of one module, formatted like the root's help; `l10n.cli` registers them."""
    return typer.Typer(rich_markup_mode="markdown", add_completion=False, **settings)


class Stream:
    """Standard output or error: plain lines, or rich text when it is a terminal."""

    def __init__(self, name: str):
        self.name = name  # "stdout" or "stderr", looked up at every write (tests swap them)

    @property
    def file(self) -> TextIO:
        return getattr(sys, self.name)

    @property
    def is_terminal(self) -> bool:
        isatty = getattr(self.file, "isatty", None)
        return bool(isatty and isatty())

    def line(self, text: str, style: str | None = None) -> None:
        """`text` as it is (no markup, no wrapping), in `style` ("red", "yellow") on a terminal."""
        if self.is_terminal:
            self.console.print(text, style=style, markup=False, highlight=False, emoji=False, soft_wrap=True)
        else:
            self.file.write(text + "\n")

    def json(self, document: dict[str, Any]) -> None:
        """One JSON document, indented (and highlighted on a terminal)."""
        if self.is_terminal:
            self.console.print_json(data=document, ensure_ascii=False)
        else:
            self.file.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")

    @cached_property
    def console(self) -> Console:
        from rich.console import Console
        return Console(stderr=self.name == "stderr", highlight=False)


out = Stream("stdout")
err = Stream("stderr")


@contextmanager
def exit_on_error() -> Iterator[None]:
    """A setup or usage problem: one line on stderr, exit code 2."""
    try:
        yield
    except L10nError as exc:
        err.line(f"error: {exc}", style="red")
        raise typer.Exit(2) from None


def project_config() -> Config:
    """The project's configuration (from the current folder), or exit 2 saying what is wrong with it."""
    with exit_on_error():
        return load_config()


class Advance(Protocol):
    """A progress bar's feed: units just done (files, characters) of `total`, and items just done (segments)."""

    def __call__(self, done: int, total: int, items_done: int = 0) -> None: ...


@contextmanager
def progress_bar(verb: str, unit: str = "", items: str = "") -> Iterator[Advance | None]:
    """On a terminal, a transient bar on stderr fed by `advance(done, total, items_done=0)`; else None.

    It appears once a total reaches `BAR_FROM` (a run over a few files needs none) and shows units done
    of the total (`unit` after them: "chars"), the `items` done beside (the segments of a run counted in
    characters), and the time left.
    """
    if not err.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
    columns = [TextColumn(verb), BarColumn()]
    if items:
        columns.append(TextColumn(f"{{task.fields[items]}} {items}"))
    columns += [TextColumn(f"{{task.completed:.0f}}/{{task.total:.0f}}{' ' + unit if unit else ''}"),
                TimeRemainingColumn()]
    with Progress(*columns, console=err.console, transient=True) as bar:
        task = None
        done_items = 0

        def advance(done: int, total: int, items_done: int = 0) -> None:
            nonlocal task, done_items
            done_items += items_done
            if total >= BAR_FROM:
                task = bar.add_task(verb, total=total, items=0) if task is None else task
                bar.update(task, advance=done, items=done_items)

        yield advance


def results_json(command: str, results: list[FileResult], **details: Any) -> dict[str, Any]:
    """The JSON document of a command's run: `ok`, the `details` given, then one object per file and language."""
    return {"command": command, "ok": not any(r.errors for r in results), **details,
            "files": [file_json(r) for r in results]}


def file_json(r: FileResult) -> dict[str, Any]:
    s = r.stats
    return {
        "source": r.source, "lang": r.lang, "action": r.action, "target": r.target,
        "stats": None if s is None else {"translated": s.translated, "fuzzy": s.fuzzy,
                                         "untranslated": s.untranslated, "obsolete": s.obsolete,
                                         "coverage": round(s.coverage(), 2)},
        "errors": [{"file": e.path, "line": e.line, "message": e.message} for e in r.errors],
        "warnings": r.warnings,
    }


def report(command: str, results: list[FileResult], format: Format, summary: bool = True) -> None:
    """Print a run's results (errors and warnings on stderr, files written and a count by action on stdout)
    or its JSON document; exit 1 if a file failed."""
    if format is Format.json:
        out.json(results_json(command, results))
    else:
        for r in results:
            for error in r.errors:
                err.line(str(error), style="red")
            for warning in r.warnings:
                err.line(f"{r.source} [{r.lang}]: warning: {warning}", style="yellow")
            if r.action == "written":
                out.line(f"{r.action} {r.target}")
        if summary:
            counts: dict[str, int] = {}
            for r in results:
                counts[r.action] = counts.get(r.action, 0) + 1
            text = ", ".join(f"{n} {action}" for action, n in sorted(counts.items())) or "no articles found"
            out.line(f"{command}: {text}")
    if any(r.errors for r in results):
        raise typer.Exit(1)
