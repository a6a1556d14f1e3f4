"""Catalogs written a piece at a time: the same bytes, compared and guarded as whole bytes are (issue #10).

Extract hands `writes` the catalog as `pofile.catalog_pieces` (an entry at a time), so a large article's
PO file never is in memory whole. Proven here: the pieces compare with a file exactly as their joined bytes
do (random splits, prefixes, longer files), the file written is byte for byte `catalog_bytes`, an unchanged
catalog is not rewritten (a save made meanwhile is still merged: see test_catalog_io's batch test).
"""

from __future__ import annotations

import random
from functools import partial

import polib

from l10n import catalog, writes
from l10n.pofile import catalog_bytes, catalog_pieces, load_catalog
from l10n.segment import Segment


def _split(data: bytes, rng: random.Random) -> list[bytes]:
    cuts = sorted(rng.sample(range(len(data) + 1), min(len(data) + 1, rng.randint(0, 6))))
    return [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)])]  # empty pieces included


def test_pieces_hold_a_file_exactly_when_their_bytes_equal_it():
    rng = random.Random(10)
    for _ in range(3000):
        data = bytes(rng.choice(b"ab\n") for _ in range(rng.randint(0, 12)))
        current = rng.choice([None, data, data[:-1], data + b"a", data[1:], b"", bytes(reversed(data)),
                              bytes(rng.choice(b"ab\n") for _ in range(rng.randint(0, 12)))])
        pieces = _split(data, rng)
        assert writes.holds(current, lambda pieces=pieces: iter(pieces)) == (current == data), (current, pieces)
        assert writes.holds(current, data) == (current == data)


def _catalog(count: int) -> polib.POFile:
    segments = [Segment(f"第{i % 7}段。\n“引号”\t", "footnote [^1]" if i % 3 else "paragraph", i + 1, 0, 1, "")
                for i in range(count)]
    return catalog.update_catalog(segments, None, source="a.md", lang="en", digest="d", project="p")


def test_a_catalog_written_in_pieces_is_its_bytes_and_unchanged_is_not_rewritten(tmp_path):
    path, po = tmp_path / "a.po", _catalog(40)
    assert writes.atomic_write(path, partial(catalog_pieces, po), tmp_path)
    assert path.read_bytes() == catalog_bytes(po) == b"".join(catalog_pieces(po))
    assert catalog_bytes(load_catalog(path, "a.po", tmp_path)) == path.read_bytes()
    before = path.stat()
    assert not writes.atomic_write(path, partial(catalog_pieces, po), tmp_path)
    assert not writes.replace_unless_changed(path, path.read_bytes(), partial(catalog_pieces, po),
                                             lambda: (b"", b""), tmp_path / "locks", tmp_path)
    assert path.stat().st_mtime_ns == before.st_mtime_ns and path.stat().st_ino == before.st_ino


def _entries_as_before(segments: list[Segment], source: str) -> list[polib.POEntry]:
    """`catalog._entries` as it was: a dict of comments for every msgid."""
    entries: dict[str, polib.POEntry] = {}
    comments: dict[str, dict[str, None]] = {}
    for segment in segments:
        entry = entries.get(segment.msgid)
        if entry is None:
            entry = entries[segment.msgid] = polib.POEntry(msgid=segment.msgid, msgstr="", occurrences=[])
            comments[segment.msgid] = {}
        comments[segment.msgid][segment.comment] = None
        entry.occurrences.append((source, str(segment.line)))
    for msgid, entry in entries.items():
        entry.comment = "\n".join(comments[msgid])
    return list(entries.values())


def test_entries_keep_comments_as_before_with_a_dict_only_for_recurring_msgids():
    rng = random.Random(7)
    for _ in range(500):
        segments = [Segment(rng.choice(["甲", "乙", "丙", "同上。", ""]), rng.choice(["paragraph", "", "a\nb", "footnote"]),
                            rng.randint(1, 99), 0, 1, "") for _ in range(rng.randint(0, 12))]
        ours, before = catalog._entries(segments, "a.md"), _entries_as_before(segments, "a.md")
        assert [str(e) for e in ours] == [str(e) for e in before]
        assert [(e.msgid, e.comment, e.occurrences) for e in ours] == [(e.msgid, e.comment, e.occurrences)
                                                                       for e in before]
