"""Fingerprints of content, to tell whether something changed without keeping it: a source since the
last run, a built file since it was written, a review page's inputs; and a lock file's name. Writing
needs it as much as the modules judging change do, so it stands apart, under both.
"""

from __future__ import annotations

import hashlib


def digest(*parts: bytes) -> str:
    """A short fingerprint of several byte strings (length-prefixed, so parts cannot run together)."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)  # not concatenated to the length: no copy of a large part
    return h.hexdigest()
