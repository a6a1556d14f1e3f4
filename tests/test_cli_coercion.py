"""The deferred coercion of the command line's parameters (`l10n.cli.coercion`) gives what Typer's own
gives, value for value and error for error, on every parameter of every command."""

from __future__ import annotations

import random
from enum import Enum
from pathlib import Path
from typing import Any

import pytest

from l10n.cli import COMMANDS, app, commands_of

_coercion = pytest.importorskip("typer._coercion")  # a Typer that coerces through pydantic
from l10n.cli.coercion import DeferredCoercion  # noqa: E402  (only with such a Typer)


def _parameters() -> list[tuple[str, Any, Any]]:
    """(name, parameter, context) of every parameter of every command and group, the help options too."""
    import typer

    found: list[tuple[str, Any, Any]] = []

    def walk(name: str, command: Any) -> None:
        ctx = typer.Context(command, info_name=name)
        found.extend((f"{name} {p.name}", p, ctx) for p in command.get_params(ctx))
        for sub_name, sub in getattr(command, "commands", {}).items():
            walk(f"{name} {sub_name}", sub)

    walk("l10n", typer.main.get_command(app))
    for module in sorted(set(COMMANDS.values())):
        for name, command in commands_of(module).items():
            walk(name, command)
    return found


PARAMETERS = _parameters()
_RNG = random.Random(10)
_ATOMS = ["", " ", "0", "1", "-1", "1.5", "true", "False", "no", "text", "json", "JSON", " json", "1/2", "0/2",
          "3/2", "a/b", "en", "zh", "x" * 300, "posts/a.md", "\x00", "é", "--", None, 0, 1, 2.5, True, b"json",
          Path("a.md"), object()]


def _values(param: Any) -> list[Any]:
    annotation = param.type_descriptor.annotation
    members = list(annotation) if isinstance(annotation, type) and issubclass(annotation, Enum) else []
    atoms = _ATOMS + members + [m.value for m in members] + [str(m) for m in members]
    made = [*atoms, [], (), *([a] for a in atoms), *((a, b) for a, b in zip(atoms, reversed(atoms), strict=True))]
    made += [[_RNG.choice(atoms) for _ in range(_RNG.randrange(1, 4))] for _ in range(30)]
    return made


def _outcome(runtime: Any, value: Any, param: Any, ctx: Any) -> tuple[str, Any]:
    try:
        got = runtime.coerce(value, param=param, ctx=ctx)
    except Exception as exc:  # the same error, with the same message
        return "error", (type(exc), str(exc))
    return "value", (type(got), got, [type(item) for item in got] if isinstance(got, (list, tuple)) else None)


@pytest.mark.parametrize(("name", "param", "ctx"), PARAMETERS, ids=[name for name, _, _ in PARAMETERS])
def test_deferred_coercion_gives_what_typer_gives(name, param, ctx):
    descriptor = param.type_descriptor
    typer_own = _coercion.build_runtime_param(descriptor)
    for value in _values(param):
        param._runtime_param = deferred = DeferredCoercion(annotation=descriptor.annotation,
                                                           parameter_info=descriptor.parameter_info)
        assert _outcome(deferred, value, param, ctx) == _outcome(typer_own, value, param, ctx), (name, value)
    param._runtime_param = None


def test_every_parameter_is_compared():
    names = {name for name, _, _ in PARAMETERS}
    assert {"extract format", "extract paths", "build shard", "l10n version", "status lang"} <= names
    assert len(PARAMETERS) > 50


def test_a_typer_whose_private_coercion_moved_keeps_its_own(project):
    """The deferral relies on Typer's private `typer._coercion`: if importing or building it fails (a later
    Typer), every parameter keeps Typer's own coercion and the command works as before."""
    import json
    import subprocess
    import sys

    project.add("a.md", "# 标题\n\n正文。\n")
    script = ("import sys; sys.modules['l10n.cli.coercion'] = None\n"  # `from .coercion import` now fails
              "from l10n.cli import app; app(['status', '--format', 'json', '--lang', 'en'])")
    done = subprocess.run([sys.executable, "-c", script], cwd=project.root, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["files"][0]["lang"] == "en"
