"""Writing files so that a crash or Ctrl-C never leaves one half-written, nor undoes a save made meanwhile."""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from .errors import L10nError

RECOMPUTE_LIMIT = 20  # a file changing under us this many times in a row is being written in a loop


def atomic_write(path: Path, data: bytes) -> bool:
    """Write `data` to `path` through a temporary file and a rename; skip if unchanged.

    Returns True when the file was (re)written. Skipping identical content keeps
    mtimes stable, so tools watching the tree (Hugo, make) see no change.
    """
    if read_or_none(path) == data:
        return False
    _replace(path, data, lambda: True)
    return True


def replace_unless_changed(path: Path, seen: bytes | None, data: bytes,
                           recompute: Callable[[], tuple[bytes | None, bytes]], lock_dir: Path) -> bool:
    """Replace `path` (whose content was `seen`, None: absent) with `data`, computed from that content.

    If the file changed since it was read, `data` is stale: writing it would silently undo the other
    save (a translator's, or another l10n run's). Then `recompute()` reads the file again and returns
    (what it read, what to write now), and the check is repeated. Under an advisory lock, so two l10n
    processes on one file take turns; editors do not lock, so the last check is made after the
    temporary file is complete, just before the rename. Returns True when the file was (re)written;
    `recompute`'s exceptions (a file now broken) propagate with nothing written.
    """
    with file_lock(path, lock_dir):
        for _ in range(RECOMPUTE_LIMIT):
            current = read_or_none(path)
            if current != seen:
                seen, data = recompute()
                continue
            if current == data:
                return False
            if _replace(path, data, lambda: read_or_none(path) == seen):
                return True
    raise L10nError(f"changed {RECOMPUTE_LIMIT} times while being saved: not saved, run again", path)


@contextmanager
def file_lock(path: Path, lock_dir: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock for `path`, waiting for another process (or thread) that holds it.

    The lock is on a file of its own in `lock_dir`, not on `path`: `path` is replaced by a rename, and a
    lock on the old inode would not exclude whoever opens the new one. The kernel drops the lock when
    its holder dies, so a crashed run never blocks the next one. Lock files are kept: removing one is
    racy, and they are empty.
    """
    lock_dir.mkdir(parents=True, exist_ok=True)
    name = digest(os.fsencode(os.path.abspath(path)))  # one flat folder, whatever the path
    fd = os.open(lock_dir / f"{name}.lock", os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _replace(path: Path, data: bytes, still_wanted: Callable[[], bool]) -> bool:
    """Write `data` to a temporary file beside `path`, then rename it over `path` if `still_wanted()`."""
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
