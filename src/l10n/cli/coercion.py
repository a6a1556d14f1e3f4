"""A parameter's coercion that costs nothing when Typer's own would change nothing.

Typer (from its versions that coerce through pydantic) builds a pydantic `TypeAdapter` for every
parameter of the command run, before coercing its value: importing pydantic and building them was
about half of every command's start-up (0.1 s of 0.2 s CPU), a third of a no-change `extract`. Most
values need no adapter, and are answered here as Typer answers them: an absent value (None), which
Typer's `RuntimeParam.coerce` (inherited, not copied) turns into `()` or None before any adapter is
consulted, and a member of the Enum a parameter is declared with (a default such as `Format.text`),
which Typer's choice coercion returns as it is. Any other value is coerced by Typer's own, built then
and kept for the parameter's next values. `tests/test_cli_coercion.py` compares both on every parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from typer._coercion import RuntimeParam, build_runtime_param


@dataclass(frozen=True)
class DeferredCoercion(RuntimeParam):
    """Typer's coercion of one parameter, built only for a value that needs it."""

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        annotation = self.annotation
        if isinstance(annotation, type) and issubclass(annotation, Enum) and any(value is m for m in annotation):
            return value
        param._runtime_param = typer_own = build_runtime_param(param.type_descriptor)
        return typer_own._coerce_value(value, param=param, ctx=ctx)


def defer_coercion(param: Any) -> None:
    """Give `param` (whose Typer has not built its coercion yet) the deferred one."""
    descriptor = param.type_descriptor
    param._runtime_param = DeferredCoercion(annotation=descriptor.annotation, parameter_info=descriptor.parameter_info)
