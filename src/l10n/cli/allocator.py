"""glibc's allocator told to hand large freed blocks back to the system, for the `l10n` command only.

Why: glibc maps a block of at least its mmap threshold (128 KiB at start) on its own and unmaps it when freed,
but each such block freed raises the threshold to its size (up to 32 MiB): later blocks of that size come from
the heap, and once freed stay in the process's memory. Build reads a large catalog whole in its triage (12 MiB
for a 7.6 MiB article), which raised the threshold past every later buffer: the source's bytes and the
decoder's buffers, though freed, stayed (README, "Performance": build's peak memory for a large article).
A threshold set explicitly is fixed (glibc's dynamic adjustment is then off): every block of 1 MiB or more is
mapped, and unmapped when freed.

Cost: a mapping and an unmapping (system calls and fresh pages' faults) per block of 1 MiB or more, which l10n
makes only for a large file's bytes and texts; a usual build or extract's CPU is unchanged (README,
"Performance"). The command sets it, not the library: a program importing l10n keeps its own allocator's
settings. Worker processes are forked from the command and inherit it.
"""

from __future__ import annotations

import os
import sys

M_MMAP_THRESHOLD = -3  # mallopt's parameter for the threshold (glibc's malloc.h)
MMAP_THRESHOLD = 2**20  # bytes from which a block is mapped on its own


def return_large_blocks() -> bool:
    """Fix glibc's mmap threshold at `MMAP_THRESHOLD`: whether it was set. Elsewhere than Linux with glibc, or
    on any error, nothing is done (the allocator's defaults only cost memory)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        if not (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc"):
            return False  # another C library (musl): its mallopt, if any, knows no such parameter
        import ctypes  # here: `l10n --version` and `--help` never load it; a Python built without it is no error
        return bool(ctypes.CDLL(None).mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))  # 1: set, 0: refused
    except Exception:  # no confstr name, no ctypes, no mallopt symbol...: the defaults are kept
        return False
