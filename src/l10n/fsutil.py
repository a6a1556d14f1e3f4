"""Reading and writing project files safely: only regular files inside the project, never half-written.

Every file l10n reads or writes goes through `read_file` and `_replace` (the translation memory's
SQLite file through `confined`), so the rules hold everywhere: a FIFO, device or socket is never opened
for reading (it could hang or never end), a read is bounded when asked, a path leading (through a
symlink, or `..`) outside the project is refused, a crash or Ctrl-C never leaves a file half-written,
and a save made meanwhile is never undone.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from .errors import L10nError

RECOMPUTE_LIMIT = 20  # a file changing under us this many times in a row is being written in a loop
_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a directory"))


def inside(path: Path | str, root: Path | str) -> bool:
    """True if `path`, with the symlinks of every part resolved, lies in `root` (resolved too)."""
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))


def confined(path: Path, root: Path | None, display: str | None = None) -> Path:
    """`path` itself, after refusing one that leads outside `root` (None: a path the user typed)."""
    if root is not None and not inside(path, root):
        raise L10nError(f"refused: this path leads outside the project (to {os.path.realpath(path)})",
                        display or _display(path, root))
    return path


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is (`a FIFO`...), or "" for a regular file."""
    return next((name for test, name in _KINDS if test(mode)), "" if stat.S_ISREG(mode) else "not a regular file")


def read_file(path: Path, display: str, root: Path | None, at_most: int | None = None) -> bytes:
    """The bytes of a regular file (at most `at_most` of them), inside `root` unless `root` is None.

    FIFOs, devices and sockets are refused before they are opened, and checked again on the open
    file. Errors name the file, never quote what it holds (it may not be ours to show).
    """
    confined(path, root, display)
    try:
        kind = file_kind(os.stat(path).st_mode)
        if not kind:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
            with os.fdopen(fd, "rb") as handle:
                kind = file_kind(os.fstat(fd).st_mode)
                if not kind:
                    return handle.read() if at_most is None else handle.read(at_most)
    except OSError as exc:
        raise L10nError(f"cannot read: {exc.strerror}", display) from None
    raise L10nError(f"not read: {kind}, not a regular file", display)


def atomic_write(path: Path, data: bytes, root: Path | None) -> bool:
    """Write `data` to `path` through a temporary file and a rename; skip if unchanged.

    `path` must lead inside `root` (None only for a path the user typed on the command line).
    Returns True when the file was (re)written. Skipping identical content keeps mtimes stable,
    so tools watching the tree (Hugo, make) see no change. Whatever is in the way and is not a
    regular file (a FIFO left where an output goes) is replaced, never read.
    """
    try:
        if read_or_none(path, root) == data:
            return False
    except L10nError:
        confined(path, root)  # outside the project: refused; not a regular file: replaced below
    _replace(path, data, lambda: True, root)
    return True


def replace_unless_changed(path: Path, seen: bytes | None, data: bytes,
                           recompute: Callable[[], tuple[bytes | None, bytes]], lock_dir: Path, root: Path) -> bool:
    """Replace `path` (whose content was `seen`, None: absent) with `data`, computed from that content.

    If the file changed since it was read, `data` is stale: writing it would silently undo the other
    save (a translator's, or another l10n run's). Then `recompute()` reads the file again and returns
    (what it read, what to write now), and the check is repeated. Under an advisory lock, so two l10n
    processes on one file take turns; editors do not lock, so the last check is made after the
    temporary file is complete, just before the rename. Returns True when the file was (re)written;
    `recompute`'s exceptions (a file now broken) propagate with nothing written. `path` and `lock_dir`
    must lead inside `root`.
    """
    with file_lock(path, lock_dir, root):
        for _ in range(RECOMPUTE_LIMIT):
            current = read_or_none(path, root)
            if current != seen:
                seen, data = recompute()
                continue
            if current == data:
                return False
            if _replace(path, data, lambda: read_or_none(path, root) == seen, root):
                return True
    raise L10nError(f"changed {RECOMPUTE_LIMIT} times while being saved: not saved, run again", path)


@contextmanager
def file_lock(path: Path, lock_dir: Path, root: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock for `path`, waiting for another process (or thread) that holds it.

    The lock is on a file of its own in `lock_dir`, not on `path`: `path` is replaced by a rename, and a
    lock on the old inode would not exclude whoever opens the new one. The kernel drops the lock when
    its holder dies, so a crashed run never blocks the next one. Lock files are kept: removing one is
    racy, and they are empty.
    """
    confined(lock_dir, root)
    lock_dir.mkdir(parents=True, exist_ok=True)
    name = digest(os.fsencode(os.path.abspath(path)))  # one flat folder, whatever the path
    fd = os.open(confined(lock_dir / f"{name}.lock", root), os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def read_or_none(path: Path, root: Path | None) -> bytes | None:
    """`read_file(path)`, or None when there is no such file (a broken symlink is an error)."""
    if not os.path.lexists(path):
        return None
    return read_file(path, _display(path, root), root)


def _replace(path: Path, data: bytes, still_wanted: Callable[[], bool], root: Path | None) -> bool:
    """Write `data` to a temporary file beside `path`, then rename it over `path` if `still_wanted()`.

    Every write goes through here: `path` must lead inside `root`, checked before any folder is made.
    """
    confined(path, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        if not still_wanted():
            os.unlink(tmp)
            return False
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return True


def _display(path: Path, root: Path | None) -> str:
    return os.path.relpath(path, root) if root is not None else os.fspath(path)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def digest(*parts: bytes) -> str:
    """A short fingerprint of several byte strings (length-prefixed, so parts cannot run together)."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(len(part).to_bytes(8, "little") + part)
    return h.hexdigest()
