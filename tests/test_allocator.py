"""The `l10n` command fixes glibc's mmap threshold (`cli.allocator`): in a command's process a large block is
mapped on its own, and unmapped when freed, even after a larger one was freed (which raises glibc's dynamic
threshold past it); elsewhere than Linux with glibc, or on any error, nothing is done."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from l10n.cli import allocator


def _glibc() -> bool:
    try:
        return sys.platform.startswith("linux") and (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc")
    except (ValueError, OSError):
        return False


# Run in a process of its own, then (at its exit) counts the blocks glibc maps on its own (mallinfo's hblks)
# for a 2 MiB block asked for right after an 8 MiB one was freed: 1 with the threshold fixed at 1 MiB, 0 under
# glibc's defaults (the freed 8 MiB block raised the threshold to 8 MiB: the 2 MiB come from the heap).
_PROBE = """
import atexit, ctypes, json, sys

libc = ctypes.CDLL(None)
info = getattr(libc, "mallinfo2", None)
field = ctypes.c_size_t if info is not None else ctypes.c_int
info = info or libc.mallinfo

class MallInfo(ctypes.Structure):
    _fields_ = [(name, field) for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
                                            "uordblks", "fordblks", "keepcost")]

info.restype = MallInfo

def probe():
    freed = bytearray(8 << 20)
    del freed
    before = info().hblks
    block = bytearray(2 << 20)
    sys.stderr.write("\\nMAPPED " + json.dumps(info().hblks - before) + "\\n")

atexit.register(probe)
from l10n.cli import app
if sys.argv[1:]:
    app(sys.argv[1:], prog_name="l10n")
"""


def _mapped(root: Path, *args: str) -> int:
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], cwd=root, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(Path(allocator.__file__).parents[2])})
    return json.loads(done.stderr.rsplit("MAPPED ", 1)[1])


@pytest.mark.skipif(not _glibc(), reason="glibc's allocator only")
def test_a_command_hands_large_freed_blocks_back_to_the_system(project):
    project.add("a.md", "一段话。\n")
    assert _mapped(project.root) == 0  # l10n imported, no command run: glibc's dynamic threshold
    assert _mapped(project.root, "status") == 1
    assert _mapped(project.root, "extract") == 1


class _Libc:
    """A C library whose `mallopt` records its calls and answers `answer`."""

    def __init__(self, answer: int = 1) -> None:
        self.calls: list[tuple[int, int]] = []
        self.answer = answer

    def mallopt(self, param: int, value: int) -> int:
        self.calls.append((param, value))
        return self.answer


@pytest.fixture
def libc(monkeypatch):
    import ctypes
    fake = _Libc()
    monkeypatch.setattr(ctypes, "CDLL", lambda name: fake)
    monkeypatch.setattr(allocator.os, "confstr", lambda name: "glibc 2.36")
    monkeypatch.setattr(allocator.sys, "platform", "linux")
    return fake


def test_on_glibc_the_threshold_is_fixed_at_one_mebibyte(libc):
    assert allocator.return_large_blocks()
    assert libc.calls == [(-3, 2**20)]  # M_MMAP_THRESHOLD in glibc's malloc.h


def _no_confstr(name: str) -> str:
    raise ValueError("unrecognized configuration name")


def _crash(*args: object) -> object:
    raise OSError("no C library here")


@pytest.mark.parametrize("where", ["darwin", "win32", "musl", "no confstr", "no libc", "refused"])
def test_elsewhere_or_on_any_error_nothing_is_done(libc, monkeypatch, where):
    import ctypes
    if where in ("darwin", "win32"):
        monkeypatch.setattr(allocator.sys, "platform", where)
    elif where == "musl":
        monkeypatch.setattr(allocator.os, "confstr", lambda name: None)
    elif where == "no confstr":
        monkeypatch.setattr(allocator.os, "confstr", _no_confstr)
    elif where == "no libc":
        monkeypatch.setattr(ctypes, "CDLL", _crash)
    else:
        libc.answer = 0  # mallopt refused the value
    assert allocator.return_large_blocks() is False
    assert libc.calls == ([(-3, 2**20)] if where == "refused" else [])
