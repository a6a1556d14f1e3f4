"""Writing project files safely: never half-written, and a save made meanwhile never undone.

Every write puts a complete temporary file in place by a rename (`_replace`, or a batch's flush), after
`confine.confined` refused a path leading outside the project: a crash or Ctrl-C never leaves a file
half-written, a catalog saved by someone else since it was read is merged again rather than overwritten,
and the files of one run are made durable together (`batch`), with one sync per file system. A run
killed outright (`kill -9`, the OOM killer, a power cut) leaves its temporary files; they carry its
process id, and the next run writing in that folder removes those whose process is gone (`_sweep`).
"""

from __future__ import annotations

import ctypes
import fcntl
import functools
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .confine import confined, display_name, read_or_none, real_folder_of
from .errors import L10nError
from .fingerprint import digest

RECOMPUTE_LIMIT = 20  # a file changing under us this many times in a row is being written in a loop
Content = bytes | Callable[[], Iterable[bytes]]
"""What a write puts in a file: its bytes, or a function giving them a piece at a time (anew at each call),
so that a large file is compared with what is there and written without its whole bytes in memory."""


def atomic_write(path: Path, data: Content, root: Path | None, durable: bool = True) -> bool:
    """Write `data` to `path` through a temporary file and a rename; skip if unchanged.

    `path` must lead inside `root` (None only for a path the user typed on the command line).
    Returns True when the file was (re)written. Skipping identical content keeps mtimes stable,
    so tools watching the tree (Hugo, make) see no change. Whatever is in the way and is not a
    regular file (a FIFO left where an output goes) is replaced, never read.

    `durable=False` renames at once without syncing (outside any batch): for files that can be made
    again, whose caller makes them durable together later (`sync_files`) if at all.
    """
    try:
        if holds(read_or_none(path, root), data):
            return False
    except L10nError:
        confined(path, root)  # outside the project: refused; not a regular file: replaced below
    if not durable:
        _replace(path, data, lambda: True, root, sync=False)
    elif (batch := _current_batch()) is not None:
        batch.defer(path, data, None, None, None, root)
    else:
        _replace(path, data, lambda: True, root)
    return True


def replace_unless_changed(path: Path, seen: bytes | None, data: Content,
                           recompute: Callable[[], tuple[bytes | None, Content]], lock_dir: Path | None,
                           root: Path) -> bool:
    """Replace `path` (whose content was `seen`, None: absent) with `data`, computed from that content.

    If the file changed since it was read, `data` is stale: writing it would silently undo the other
    save (a translator's, or another l10n run's). Then `recompute()` reads the file again and returns
    (what it read, what to write now), and the check is repeated. Under an advisory lock, so two l10n
    processes on one file take turns; editors do not lock, so the last check is made after the
    temporary file is complete, just before the rename. Returns True when the file was (re)written;
    `recompute`'s exceptions (a file now broken) propagate with nothing written. `path` and `lock_dir`
    must lead inside `root` (`lock_dir` None: no lock, see `file_lock`).
    """
    with file_lock(path, lock_dir, root):
        for _ in range(RECOMPUTE_LIMIT):
            current = read_or_none(path, root)
            if current != seen:
                seen, data = recompute()
                continue
            if holds(current, data):
                return False
            if (batch := _current_batch()) is not None:
                batch.defer(path, data, seen, recompute, lock_dir, root)
                return True
            if _replace(path, data, lambda: read_or_none(path, root) == seen, root):  # noqa: B023 (called at once)
                return True
    raise L10nError(f"changed {RECOMPUTE_LIMIT} times while being saved: not saved, run again", path)


@contextmanager
def file_lock(path: Path, lock_dir: Path | None, root: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock for `path`, waiting for another process (or thread) that holds it;
    no lock with `lock_dir` None (a file only l10n writes whole, such as a built article: the re-check of
    `replace_unless_changed` guards it, and a lock file each would cost more than the write).

    The lock is on a file of its own in `lock_dir`, not on `path`: `path` is replaced by a rename, and a
    lock on the old inode would not exclude whoever opens the new one. The kernel drops the lock when
    its holder dies, so a crashed run never blocks the next one. Lock files are kept: removing one is
    racy, and they are empty.
    """
    if lock_dir is None:
        yield
        return
    confined(lock_dir, root)
    lock_dir.mkdir(parents=True, exist_ok=True)
    folder, file_name = os.path.split(os.path.abspath(path))
    # One flat folder, whatever the path; named by the real folder, so that every spelling of one file
    # (through a symlinked project folder) takes the same lock.
    name = digest(os.fsencode(os.path.join(real_folder_of(folder), file_name)))
    fd = os.open(confined(lock_dir / f"{name}.lock", root), os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def holds(current: bytes | None, data: Content) -> bool:
    """`current == data`, `data`'s pieces compared in turn (no copy, no join), up to the first that differs."""
    if current is None or isinstance(data, bytes):
        return current == data
    view, start = memoryview(current), 0
    for piece in data():
        end = start + len(piece)
        if view[start:end] != piece:  # also when `current` ends first: the slice is shorter
            return False
        start = end
    return start == len(current)


def _replace(path: Path, data: Content, still_wanted: Callable[[], bool], root: Path | None, sync: bool = True) -> bool:
    """Write `data` to a temporary file beside `path`, then rename it over `path` if `still_wanted()`.

    Every write goes through here: `path` must lead inside `root`, checked before any folder is made.
    """
    tmp = _temporary(path, data, root, sync=sync)
    try:
        if not still_wanted():
            _unlink(tmp)
            return False
        os.replace(tmp, path)
    except BaseException:
        _unlink(tmp)
        raise
    return True


def _temporary(path: Path, data: Content, root: Path | None, sync: bool) -> str:
    """A complete temporary file beside `path` holding `data` (on disk if `sync`), with `path`'s permissions."""
    confined(path, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    _sweep(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.l10n{os.getpid()}_", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.writelines((data,) if isinstance(data, bytes) else data())
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
        try:
            mode = os.stat(path).st_mode & 0o777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        os.chmod(tmp, mode)
    except BaseException:
        _unlink(tmp)
        raise
    return tmp


_LEFT_BEHIND = re.compile(r"\..+\.l10n(\d+)_[a-z0-9_]+\.tmp")  # what `_temporary` names its files
_swept: set[str] = set()  # the folders this process has swept


def _sweep(folder: Path) -> None:
    """Remove the temporary files that runs killed outright left in `folder` (those of a process that no
    longer exists), once per folder and process. A file of a process that still runs is its own: kept."""
    if str(folder) in _swept:
        return
    _swept.add(str(folder))
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        left = _LEFT_BEHIND.fullmatch(name)
        if left is not None and not process_alive(int(left.group(1))):
            _unlink(os.path.join(folder, name))


def process_alive(pid: int) -> bool:
    """Whether process `pid` exists (this one does); another user's process counts as alive."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)  # no signal sent: only whether the process exists
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process (or no such number): not ours to judge
    return True


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


@dataclass
class _Deferred:
    path: Path
    tmp: str
    seen: bytes | None
    recompute: Callable[[], tuple[bytes | None, Content]] | None  # None: `atomic_write` (replace whatever is there)
    lock_dir: Path | None
    root: Path | None


class Batch:
    """Replacements made durable together: one sync of the file system for the lot, not one `fsync` each.

    Within `batch()`, `atomic_write` and `replace_unless_changed` write their temporary file and return
    at once; `flush()` (at the end of the batch) syncs every temporary file to disk with one `syncfs`
    per file system, then renames each over its file, under its lock and after the same re-check as an
    immediate replacement: a file saved by someone else since it was read is merged again (`recompute`)
    and replaced on its own, never overwritten. The guarantee is unchanged: whatever interrupts the run
    (Ctrl-C, a crash, a power cut), each file is either its old content or the complete new one, as a
    rename only ever puts a complete, synced file in place.
    """

    def __init__(self) -> None:
        self.pending: list[_Deferred] = []
        self.errors: list[tuple[Path, L10nError]] = []  # a file that could not be saved at the flush

    def defer(self, path: Path, data: Content, seen: bytes | None, recompute, lock_dir: Path | None,
              root: Path | None) -> None:
        self.pending.append(_Deferred(path, _temporary(path, data, root, sync=False), seen, recompute, lock_dir, root))

    def flush(self) -> None:
        pending, self.pending = self.pending, []
        renamed = 0
        try:
            sync_files([item.tmp for item in pending])
            for item in pending:
                try:
                    self._rename(item)
                except L10nError as exc:
                    self.errors.append((item.path, exc))
                except OSError as exc:  # a folder where the file goes...: this file fails, not the run
                    _unlink(item.tmp)
                    self.errors.append((item.path, L10nError(f"cannot write: {exc.strerror}",
                                                             display_name(item.path, item.root))))
                renamed += 1
        except BaseException:
            for item in pending[renamed:]:
                _unlink(item.tmp)
            raise

    @staticmethod
    def _rename(item: _Deferred) -> None:
        if item.recompute is None:
            os.replace(item.tmp, item.path)
            return
        assert item.root is not None  # as `replace_unless_changed` has it
        with file_lock(item.path, item.lock_dir, item.root):
            if read_or_none(item.path, item.root) == item.seen:
                os.replace(item.tmp, item.path)
                return
        _unlink(item.tmp)  # saved by someone else meanwhile: merge again, on its own
        seen, data = item.recompute()
        replace_unless_changed(item.path, seen, data, item.recompute, item.lock_dir, item.root)


_batches = threading.local()


@contextmanager
def batch() -> Iterator[Batch]:
    """Defer the replacements made in this thread to one durable flush at the end (see `Batch`)."""
    outer = _current_batch()
    current = Batch()
    _batches.current = current
    try:
        yield current
    except BaseException:
        for item in current.pending:  # interrupted: nothing was renamed, no temporary file is left
            _unlink(item.tmp)
        raise
    finally:
        _batches.current = outer
    current.flush()  # outside the batch: a catalog merged again at the flush is replaced on its own


def _current_batch() -> Batch | None:
    return getattr(_batches, "current", None)


def sync_files(paths: list[str]) -> None:
    """Make these files' data durable: one `syncfs` per file system holding them (Linux), else `fsync` each."""
    syncfs = getattr(_libc(), "syncfs", None)
    done: set[int] = set()
    for path in paths:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        try:
            if syncfs is None:
                os.fsync(fd)
                continue
            device = os.fstat(fd).st_dev
            if device not in done:
                if syncfs(fd) != 0:
                    raise OSError(ctypes.get_errno(), "syncfs failed")
                done.add(device)
        finally:
            os.close(fd)


@functools.lru_cache(maxsize=1)
def _libc():
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

