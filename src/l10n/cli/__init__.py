"""The `l10n` command: thin layers over the library that print results and set exit codes.

Exit codes: 0 success, 1 some file failed (the others were still processed), 2 usage or setup error.

Each module of this package defines the commands of one job on its own `command_group()`;
`COMMANDS` below registers them all. A module is imported only when one of its commands runs (or
for `--help`), so `l10n status` never loads the machine translation engines or the checks.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping
from typing import Any

import typer
from typer.core import TyperGroup

from .. import DISTRIBUTION, __version__
from .allocator import return_large_blocks

COMMANDS = {  # every command, in the order --help lists them, and the module of this package defining it
    "init": "core", "extract": "core", "build": "core", "status": "core",
    "translate": "translate", "check": "check", "review": "review", "align": "align",
    "glossary": "glossary", "memory": "memory",
}


Command = Any  # a click command; recent Typer versions carry their own click, older ones use the package
Context = Any  # likewise click's Context, which the methods below override take (typer.Context is one)


def commands_of(module: str) -> dict[str, Command]:
    """The click commands that the module `l10n.cli.<module>` defines, by name."""
    made = typer.main.get_command(importlib.import_module(f"{__name__}.{module}").group)
    return dict(made.commands) if isinstance(made, TyperGroup) else {str(made.name): made}


class _Commands(MutableMapping[str, Command]):
    """The root's commands: each module imported the first time one of its commands is looked up."""

    def __init__(self) -> None:
        self.loaded: dict[str, Command] = {}

    def __getitem__(self, name: str) -> Command:
        if name not in self.loaded:
            self.loaded.update(commands_of(COMMANDS[name]))  # KeyError: no such command
        return self.loaded[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self.loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS)


class _Root(TyperGroup):
    """The root command, with the commands of `COMMANDS` loaded on demand.

    Typer 0.26 and later print the value type after every option in rich help, flags included
    (`--fuzzy <bool>`, `--help <bool>`), as if they took a value: every flag of a command gets an
    empty metavar before it is used, so flags read as flags. And every parameter's coercion is deferred
    (see `coercion`): most commands then never import pydantic.
    """

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        self.commands = _Commands()

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        _prepare(self, ctx)
        return super().parse_args(ctx, args)

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        command = self.commands.get(cmd_name)
        if command is not None:
            for each in _tree(command):
                _prepare(each, ctx)
        return command


def _tree(command: Command) -> Iterator[Command]:
    yield command
    for sub in getattr(command, "commands", {}).values():
        yield from _tree(sub)


def _prepare(command: Command, ctx: typer.Context) -> None:
    """Every parameter of `command` (with the help option, made on demand) before it is used: a flag
    reads as a flag, and its coercion is deferred (`coercion`; a Typer with no `_runtime_param`
    coerces through click's types: nothing to defer)."""
    for param in command.get_params(ctx):
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
        if getattr(param, "_runtime_param", False) is None:
            try:  # Typer's private coercion module: if a later Typer moves or reshapes it, Typer's own is kept
                from .coercion import defer_coercion
                defer_coercion(param)
            except (ImportError, AttributeError, TypeError):
                param._runtime_param = None


app = typer.Typer(
    cls=_Root,
    help="Translate Markdown articles through gettext PO files, losslessly.\n\n"
         "Typical run: l10n init, l10n extract, edit or machine-translate locales/, l10n build.",
    no_args_is_help=True, rich_markup_mode="markdown",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"{DISTRIBUTION} {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                      help="Print the version and exit.")) -> None:
    """Translate Markdown articles through gettext PO files, losslessly."""
    return_large_blocks()  # before any command's work: see `allocator`
