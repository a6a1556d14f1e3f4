"""One error type for everything a user can get wrong, always pointing at a file and line."""

from __future__ import annotations

import re
from pathlib import PurePath

_LINE = re.compile(r"\bline (\d+)")


class L10nError(Exception):
    """A problem with one input file; the run reports it and goes on with the others."""

    def __init__(self, message: str, path: str | PurePath | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def located(self, path: str | PurePath) -> L10nError:
        """The same error, attributed to `path`."""
        return L10nError(self.message, path, self.line)

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line is not None:
            where += f":{self.line}"
        return f"{where}: {self.message}" if where else self.message


def line_in(exc: Exception) -> int | None:
    """The line number a parser put only into its message ("... (line 7)", "at line 3, column 5"): tomllib,
    polib and a few others give it no other way. The last one, after any file name the message quotes."""
    found = _LINE.findall(str(exc))
    return int(found[-1]) if found else None
