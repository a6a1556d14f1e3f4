"""What l10n may read, and where a path may lead: only regular files, only inside the project.

Every file l10n reads goes through `read_file` (the translation memory's SQLite file, and every write,
through `confined`), so the rules hold everywhere: a FIFO, device or socket is never opened for reading
(it could hang or never end), a read is bounded when asked, and a path leading (through a symlink, or
`..`) outside the project is refused.
"""

from __future__ import annotations

import errno
import functools
import os
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import L10nError

_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory"))


def inside(path: Path | str, root: Path | str) -> bool:
    """True if `path`, with the symlinks of every part resolved, lies in `root` (resolved too)."""
    return _confine(path, root)[0]


def _confine(path: Path | str, root: Path | str) -> tuple[bool, os.stat_result | None, str]:
    """(`inside(path, root)`, the `lstat` of `path` when it is no symlink and was read on the way, else None,
    the real path checked)."""
    root = os.fspath(root)
    real_root = _real_root(root) if os.path.isabs(root) else os.path.realpath(root)  # relative: to the cwd of now
    real, info = _realpath(os.fspath(path))
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep), info, real


@functools.lru_cache(maxsize=64)
def _real_root(root: str) -> str:
    """The project root resolved, once per process: the root is the user's choice, not what is confined
    (every path checked against it is resolved each time)."""
    return os.path.realpath(root)


_folders = threading.local()


@contextmanager
def resolved_folders() -> Iterator[None]:
    """Within this block (one run over the articles, in this thread), each folder's real path is resolved
    once and kept: the confinement of a file then costs one `lstat` (its own name), not one per part of
    its path. A folder replaced by a symlink during the run is not seen; the file itself still is."""
    outer = getattr(_folders, "cache", None)
    _folders.cache = {} if outer is None else outer
    try:
        yield
    finally:
        _folders.cache = outer


def real_folder_of(folder: str) -> str:
    """`os.path.realpath(folder)`, from the `resolved_folders` cache when one is active."""
    cache: dict[str, str] | None = getattr(_folders, "cache", None)
    if cache is None:
        return os.path.realpath(folder)
    real = cache.get(folder)
    if real is None:
        real = cache[folder] = os.path.realpath(folder)
    return real


def _realpath(path: str) -> tuple[str, os.stat_result | None]:
    """`os.path.realpath(path)`, its folder taken from the `resolved_folders` cache when one is active,
    and the `lstat` of `path` when it was read and `path` is no symlink."""
    folder, name = os.path.split(path)
    if getattr(_folders, "cache", None) is None or not os.path.isabs(path) or name in ("", ".", ".."):
        return os.path.realpath(path), None
    real_folder = real_folder_of(folder)
    try:
        info = os.lstat(path)
    except OSError:
        return os.path.join(real_folder, name), None  # as realpath: a missing last part is kept as it is
    if stat.S_ISLNK(info.st_mode):
        return os.path.realpath(path), None
    return os.path.join(real_folder, name), info


def confined(path: Path, root: Path | None, display: str | None = None) -> Path:
    """`path` itself, after refusing one that leads outside `root` (None: a path the user typed)."""
    _confined(path, root, display)
    return path


def _confined(path: Path, root: Path | None, display: str | None) -> tuple[os.stat_result | None, str | None]:
    """`confined`, returning the `lstat` of `path` if it was read on the way (see `_realpath`) and the real
    path found inside `root` (None: `root` is None, nothing was checked)."""
    if root is None:
        return None, None
    ok, info, real = _confine(path, root)
    if not ok:
        raise L10nError(f"refused: this path leads outside the project (to {os.path.realpath(path)})",
                        display or display_name(path, root))
    return info, real


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is (`a FIFO`...), or "" for a regular file."""
    return next((name for test, name in _KINDS if test(mode)), "" if stat.S_ISREG(mode) else "not a regular file")


def read_file(path: Path, display: str, root: Path | None, at_most: int | None = None) -> bytes:
    """The bytes of a regular file (at most `at_most` of them), inside `root` unless `root` is None.

    FIFOs, devices and sockets are refused before they are opened, and checked again on the open
    file. Errors name the file, never quote what it holds (it may not be ours to show).
    """
    info, real = _confined(path, root, display)  # the lstat of a file that is no symlink: no second stat
    # What is opened is the real path found inside `root`, its last part never followed: a file replaced
    # by a symlink after the check (to lead outside) is refused, not read.
    where, nofollow = (path, 0) if real is None else (real, getattr(os, "O_NOFOLLOW", 0))
    try:
        kind = file_kind((info or os.stat(where)).st_mode)
        if not kind:
            try:
                fd = os.open(where, os.O_RDONLY | nofollow | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
            except OSError as exc:
                if nofollow and exc.errno == errno.ELOOP:
                    raise L10nError("refused: replaced by a symlink while being read", display) from None
                raise
            with os.fdopen(fd, "rb") as handle:
                opened = os.fstat(fd)
                kind = file_kind(opened.st_mode)
                if not kind:
                    if at_most is None:
                        return handle.read()
                    # read(at_most) would first allocate all of `at_most`: read what the file holds (and one
                    # byte more, to see a file grown meanwhile), then the rest up to the bound if it grew.
                    data = handle.read(min(at_most, opened.st_size + 1))
                    return data + handle.read(at_most - len(data)) if opened.st_size < len(data) < at_most else data
    except OSError as exc:
        raise L10nError(f"cannot read: {exc.strerror}", display) from None
    raise L10nError(f"not read: {kind}, not a regular file", display)


def read_or_none(path: Path, root: Path | None) -> bytes | None:
    """`read_file(path)`, or None when there is no such file (a broken symlink is an error)."""
    if not os.path.lexists(path):
        return None
    return read_file(path, display_name(path, root), root)


def display_name(path: Path, root: Path | None) -> str:
    """How a message names `path`: relative to the project (`root`), or as the user typed it (None)."""
    return os.path.relpath(path, root) if root is not None else os.fspath(path)

