"""Fingerprints of content, to tell whether something changed without keeping it: a source since the
last run, a built file since it was written, a review page's inputs; and a lock file's name. Writing
needs it as much as the modules judging change do, so it stands apart, under both.

`code_fingerprint` is the other half of every "nothing changed": what made a result is the inputs *and*
the code that read and wrote them, l10n's own and its parsers'.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib.util import find_spec

# The packages whose code decides what l10n writes: itself (assets included), the Markdown parser and its
# plugins, the YAML, front matter and PO libraries. Python's version stands for the standard library's
# (re, tomllib, json).
CODE_PACKAGES = ("l10n", "markdown_it", "mdurl", "mdit_py_plugins", "yaml", "frontmatter", "polib")
_COMPILED = (".so", ".pyd", ".dylib")


def digest(*parts: bytes | Callable[[], Iterable[bytes]]) -> str:
    """A short fingerprint of several byte strings (length-prefixed, so parts cannot run together).

    A part may come a piece at a time (a function giving its pieces anew at each call, as `writes.Content`):
    hashed without being joined, in two passes, one for its length (which comes first), one for its bytes.
    """
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        if isinstance(part, bytes):
            h.update(len(part).to_bytes(8, "little"))
            h.update(part)  # not concatenated to the length: no copy of a large part
        else:
            h.update(sum(map(len, part())).to_bytes(8, "little"))
            for piece in part():
                h.update(piece)
    return h.hexdigest()


def code_fingerprint() -> str:
    """A digest of the code that decides what l10n writes (`CODE_PACKAGES`' files, byte for byte, and
    Python's version). A result recorded with it is trusted only by the same code: an upgrade of l10n or
    of its parser, or an edit of an editable install, redoes the work instead of keeping what older code
    made (about 5 ms, once per process)."""
    return code_digest(CODE_PACKAGES)


@lru_cache(maxsize=4)
def code_digest(packages: tuple[str, ...]) -> str:
    """The digest of the files of the installed `packages` (by import name; one missing counts as such),
    bytecode caches left out (they change without the code). A compiled extension counts by its size: its
    bytes are its build's, and its package's version is in the package's Python files anyway."""
    parts = [sys.version.encode()]
    for name in packages:
        spec = find_spec(name)
        origin = spec.origin if spec is not None else None
        parts.append(f"{name}:{'' if origin else 'missing'}".encode())
        if not origin:
            continue
        top = os.path.dirname(origin)
        files = [origin]
        if os.path.basename(origin) == "__init__.py":  # a package: every file under it
            files = []
            for folder, subfolders, names in os.walk(top):
                subfolders[:] = [sub for sub in subfolders if sub != "__pycache__"]
                files += [os.path.join(folder, file) for file in names]
        for path in sorted(files):
            parts.append(os.path.relpath(path, top).encode())
            if path.endswith(_COMPILED):
                parts.append(str(os.path.getsize(path)).encode())
                continue
            with open(path, "rb") as handle:
                parts.append(handle.read())
    return digest(*parts)
