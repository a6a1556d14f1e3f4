"""Input formats behind one seam: the `Format` protocol and the registry that picks one by file suffix.

The core (project, catalog, checks, translate, review) reaches a format only through this package.
To add one, see CONTRIBUTING.md: a package `formats/<name>/` implementing `Format`, listed in `REGISTRY`.
"""

from __future__ import annotations

import os
from pathlib import PurePath

from .format import Format, Inline, Leftover, Parsed, Piece, Rendered
from .markdown import MARKDOWN

REGISTRY: tuple[Format, ...] = (MARKDOWN,)
SUFFIXES = tuple(suffix for fmt in REGISTRY for suffix in fmt.suffixes)  # the names of source files
NO_ARTICLE: Inline = MARKDOWN.standalone  # how a fragment is read outside any article (tools, tests): as Markdown


def is_source(name: str) -> bool:
    """Whether a file of this name is a source article (some format reads it)."""
    return name.endswith(SUFFIXES)


def format_for(path: PurePath | str) -> Format:
    """The format that reads `path`, chosen by its suffix (see `is_source`)."""
    name = os.path.basename(os.fspath(path))  # PurePath(path).name, without building a path object
    found = next((fmt for fmt in REGISTRY if name.endswith(fmt.suffixes)), None)
    if found is None:
        raise ValueError(f"no input format reads {name} (known: {', '.join(SUFFIXES)})")
    return found


__all__ = ["Format", "Inline", "Leftover", "NO_ARTICLE", "Parsed", "Piece", "REGISTRY", "Rendered", "SUFFIXES",
           "format_for", "is_source"]
