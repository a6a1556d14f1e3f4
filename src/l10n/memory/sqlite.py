"""The translation memory in one SQLite file of the project (`.l10n/memory.sqlite3`): no server.

One file, one machine: the claims live in this object, so jobs in one process share them; jobs on
several machines need the shared memory (`postgres`).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Collection, Iterable
from pathlib import Path

from ..confine import confined
from ..errors import L10nError
from . import FLAGGED, HUMAN, Key, PairStats, Stats, Unit, now

SCHEMA_VERSION = 1  # the file creates its tables on opening
LOCK_TIMEOUT = 60.0  # seconds to wait for another process (a job of another shard) to finish writing
_SCHEMA = """
CREATE TABLE IF NOT EXISTS units (
    source_lang TEXT NOT NULL, target_lang TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL,
    origin TEXT NOT NULL, created TEXT NOT NULL, qa TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (source_lang, target_lang, source, origin)
) WITHOUT ROWID;
"""


class SqliteMemory:
    """An open memory; `add` batches writes until `commit` (or the end of a `with` block)."""

    def __init__(self, path: Path, root: Path):
        """Open (or create) the memory at `path`, which must lead inside the project `root`."""
        confined(path, root)
        self.where = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        self.claims: dict[Key, tuple[str, float]] = {}  # key -> (job, monotonic expiry), see `claim`
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(path, timeout=LOCK_TIMEOUT)
            self.db.executescript(_SCHEMA)
            if "qa" not in {row[1] for row in self.db.execute("PRAGMA table_info(units)")}:  # a file from 0.x
                self.db.execute("ALTER TABLE units ADD COLUMN qa TEXT NOT NULL DEFAULT ''")
                self.db.commit()
        except sqlite3.DatabaseError as exc:
            raise L10nError(f"cannot open the translation memory: {exc}", path) from None

    def __enter__(self) -> SqliteMemory:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.commit()
        self.db.close()

    def commit(self) -> None:
        self.db.commit()

    # The claim protocol of the shared memory (postgres), mirrored so that callers have one code path.
    # One file, one process: a key is ours unless the memory holds it or another job of ours claimed it.

    def lookup_many(self, keys: Iterable[Key]) -> dict[Key, Unit]:
        """`lookup` of each key; the keys without a match are left out."""
        return {key: unit for key in keys if (unit := self.lookup(*key))}

    def clock(self) -> str:
        """The time now, in TMX form: one machine, its clock."""
        return now()

    def claim(self, keys: Iterable[Key], job: str, ttl: float, *, since: str = "",
              redo: Collection[Key] = ()) -> set[Key]:
        """The keys now ours to send: not in the memory (nor flagged after `since`; those of `redo` without a unit
        created after `since`), not claimed by another job within `ttl` seconds."""
        keys, ours, clock = set(keys), set(), time.monotonic()
        for key in keys - self._settled(keys, since, redo).keys():
            holder = self.claims.get(key)
            if holder is None or holder[0] == job or holder[1] < clock:
                self.claims[key] = (job, clock + ttl)
                ours.add(key)
        return ours

    def release(self, keys: Iterable[Key], job: str) -> None:
        """Give up `job`'s claims on `keys` (e.g. the engine failed): another job may claim them."""
        for key in keys:
            if self.claims.get(key, ("",))[0] == job:
                del self.claims[key]

    def wait(self, keys: Iterable[Key], timeout: float, *, since: str = "",
             redo: Collection[Key] = ()) -> dict[Key, Unit]:
        """The units of `keys` found (flagged drafts created after `since` too, for want of a reusable unit; for
        the keys of `redo` only units created after `since`); nobody else can be sending them here, so this never
        waits."""
        return self._settled(keys, since, redo)

    def _settled(self, keys: Iterable[Key], since: str, redo: Collection[Key] = ()) -> dict[Key, Unit]:
        """`lookup_many`, and for the keys it misses the newest flagged draft created after `since`; a key of
        `redo` (its remembered unit rejected) is settled only by a unit created after `since`."""
        keys = list(dict.fromkeys(keys))
        found = {key: unit for key, unit in self.lookup_many(keys).items() if key not in redo or unit.created > since}
        for key in keys if since else ():
            if key not in found:
                row = self.db.execute("SELECT target, origin, created, qa FROM units WHERE source_lang=? AND "
                                      "target_lang=? AND source=? AND qa = ? AND created > ? "
                                      "ORDER BY created DESC, origin LIMIT 1", (*key, FLAGGED, since)).fetchone()
                if row:
                    found[key] = Unit(*key, *row)
        return found

    def lookup(self, source_lang: str, target_lang: str, source: str) -> Unit | None:
        """The best exact match: a human translation over a machine one, then the newest; never a flagged draft."""
        row = self.db.execute(
            "SELECT target, origin, created, qa FROM units WHERE source_lang=? AND target_lang=? AND source=? "
            "AND qa != ? ORDER BY origin = ? DESC, created DESC LIMIT 1",
            (source_lang, target_lang, source, FLAGGED, HUMAN)).fetchone()
        return Unit(source_lang, target_lang, source, *row) if row else None

    def add(self, unit: Unit) -> None:
        """Record `unit`; an unchanged translation keeps its first date (and takes the new QA status), but a
        flagged draft is dated when it was last produced (see `claim`'s `since`)."""
        self.db.execute("INSERT INTO units (source_lang, target_lang, source, target, origin, created, qa) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET target = excluded.target, "
                        "created = CASE WHEN target = excluded.target AND excluded.qa != ? THEN created "
                        "ELSE excluded.created END, qa = excluded.qa "
                        "WHERE target != excluded.target OR qa != excluded.qa OR excluded.qa = ?",
                        (unit.source_lang, unit.target_lang, unit.source, unit.target, unit.origin, unit.created,
                         unit.qa, FLAGGED, FLAGGED))

    def best(self) -> list[Unit]:
        """The unit `lookup` would give for each source and language pair, in a stable order."""
        best: dict[tuple[str, str, str], Unit] = {}
        for row in self.db.execute("SELECT source_lang, target_lang, source, target, origin, created, qa FROM units "
                                   "WHERE qa != ? ORDER BY source_lang, source, target_lang, origin = ? DESC, "
                                   "created DESC", (FLAGGED, HUMAN)):
            best.setdefault(row[:3], Unit(*row))
        return list(best.values())

    def migrate(self) -> tuple[int, int]:
        """Nothing to do: the file creates (and upgrades) its tables on opening."""
        return SCHEMA_VERSION, SCHEMA_VERSION

    def stats(self) -> Stats:
        self.commit()
        rows = self.db.execute("SELECT source_lang, target_lang, origin, count(*), sum(length(source)), max(created) "
                               "FROM units GROUP BY 1, 2, 3 ORDER BY 1, 2, 3").fetchall()
        page_count, page_size = (self.db.execute(f"PRAGMA {name}").fetchone()[0]
                                 for name in ("page_count", "page_size"))
        return Stats([PairStats(*row) for row in rows], page_count * page_size, self.where)
