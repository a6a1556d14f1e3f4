"""The translation memory: every translated segment, with its origin and time, so nothing is paid for twice.

Origin is `human` (a reviewed PO entry, or a TMX import) or the name of the engine that produced it;
exact matches are reused, human ones before machine ones, the newest first. A machine unit records
whether its draft passed the checks of `l10n check` (`qa`: "passed", "flagged", or "" when not
checked); a flagged one is never reused as it is (`lookup`), except within the run that produced it:
a job notes its start by the memory's `clock()`, and to its `claim` and `wait` (`since=`) a flagged
draft dated after that second was translated by the fleet in this run, already paid for and judged
by the same checks, so it is taken (and judged again with the job's own waivers), not sent again.
Dates have second resolution: a draft flagged in the very second the job started may be an earlier
run's, so it is sent again (the safe side of "a flagged draft is not reused as is").

Two backends offer the same `TranslationMemory` protocol, chosen by `open_memory(config)`:

    [memory]
    url = "postgresql://l10n@db.internal/l10n"   # in l10n.toml; or L10N_MEMORY_URL, which wins

No URL: the SQLite file `.l10n/memory.sqlite3` (`sqlite`), nothing to install or run. A postgresql://
URL: the shared memory of `postgres` (pip install 'hugo-l10n[postgres]') for a team or a CI fleet;
the password comes from PGPASSWORD or ~/.pgpass, never from l10n.toml, which is committed.
TMX import and export (`tmx`) work on either.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..config import Config
from ..errors import L10nError

MEMORY_FILE = Path(".l10n") / "memory.sqlite3"
HUMAN = "human"
PASSED, FLAGGED = "passed", "flagged"  # Unit.qa of a machine draft that passed or failed the checks
ENV_URL = "L10N_MEMORY_URL"
SCHEMES = ("postgresql://", "postgres://")


@dataclass(frozen=True)
class Unit:
    source_lang: str
    target_lang: str
    source: str
    target: str
    origin: str  # "human" or an engine name
    created: str  # UTC, TMX form: 20240131T120000Z
    qa: str = ""  # machine drafts: PASSED or FLAGGED by the checks, "" if not checked


Key = tuple[str, str, str]  # (source_lang, target_lang, source): what a claim and `lookup_many` are about


@dataclass(frozen=True)
class PairStats:
    source_lang: str
    target_lang: str
    origin: str  # "human" or an engine
    units: int
    characters: int  # of the sources
    last_use: str  # the newest unit's date (TMX form): when the memory last learnt something here


@dataclass(frozen=True)
class Stats:
    rows: list[PairStats]
    size: int  # bytes on disk
    where: str  # as `TranslationMemory.where`


class TranslationMemory(Protocol):
    """What translate, TMX and `learn` use. `add` buffers until `commit` (or the end of a `with` block).

    The claims keep jobs sharing a memory from sending the same segment: a job sends only the keys
    `claim` gave it, renews them while it works, `release`s those it failed on, and `wait`s for the
    keys others hold. A claim lapses `ttl` seconds after its last renewal, so a dead job's keys are
    taken over. With `since` (the job's start, a `clock()` reading), `claim` and `wait` count a flagged
    draft created after that second as translated by the fleet: not to be claimed, and given by `wait`.
    `redo` names the keys whose remembered unit the job rejected (it fails today's checks) and will send
    again: for them only a unit created after `since` (the fleet's work in this run) counts, so the
    job claims them like unknown keys, and `wait`s for the job holding them rather than take the old unit.
    """

    where: str  # the file (relative to the project), or the database URL without its password

    def __enter__(self) -> TranslationMemory: ...

    def __exit__(self, *exc: object) -> None: ...

    def lookup(self, source_lang: str, target_lang: str, source: str) -> Unit | None:
        """The best exact match: a human translation over a machine one, then the newest; never a flagged draft."""

    def lookup_many(self, keys: Iterable[Key]) -> dict[Key, Unit]:
        """`lookup` of each key; the keys without a match are left out."""

    def add(self, unit: Unit) -> None:
        """Record `unit` (at the next `commit`); an unchanged translation keeps its first date, unless `unit` is
        flagged: a flagged draft is dated when it was last produced (what `since` compares)."""

    def best(self) -> list[Unit]:
        """The unit `lookup` would give for each source and language pair, in a stable order."""

    def commit(self) -> None:
        """Store what was added (and end its claims), visible to other jobs from now on."""

    def close(self) -> None: ...

    def clock(self) -> str:
        """The memory's time now, in TMX form (as `Unit.created`): PostgreSQL's server clock, so that jobs on
        machines whose clocks differ agree on it; the local clock for SQLite."""

    def claim(self, keys: Iterable[Key], job: str, ttl: float, *, since: str = "",
              redo: Collection[Key] = ()) -> set[Key]:
        """The keys now `job`'s to send for `ttl` seconds: unknown to the memory (nor flagged after `since`;
        for a key in `redo`, without a unit created after `since`), not claimed by a live other job."""

    def release(self, keys: Iterable[Key], job: str) -> None:
        """Give up `job`'s claims on `keys` (the engine failed): another job may claim them."""

    def wait(self, keys: Iterable[Key], timeout: float, *, since: str = "",
             redo: Collection[Key] = ()) -> dict[Key, Unit]:
        """The units of `keys`, once each has one or is no longer claimed by a live job, or at `timeout`; a key
        without a reusable unit gets its newest flagged draft created after `since` (if given), if any; a key
        in `redo` only a unit created after `since`."""

    def migrate(self) -> tuple[int, int]:
        """Create or upgrade the schema; (version before, version after)."""

    def stats(self) -> Stats:
        """Units per language pair and origin, size and where the memory is."""


def memory_url(config: Config) -> str:
    """The configured PostgreSQL URL ("" for the SQLite default): $L10N_MEMORY_URL, else `[memory] url`."""
    section = dict(config.section("memory"))
    where = config.origin
    url = section.pop("url", "")
    if section:
        raise L10nError(f"unknown setting(s) in [memory]: {', '.join(sorted(section))}", where)
    if not isinstance(url, str):
        raise L10nError("[memory] `url` must be a string", where)
    from_env = os.environ.get(ENV_URL, "").strip()
    if (from_env or url) and not (from_env or url).startswith(SCHEMES):
        raise L10nError(f"the translation memory URL must start with postgresql:// (or be empty for "
                        f"{MEMORY_FILE.as_posix()})", ENV_URL if from_env else where)
    if not from_env and url:
        from .postgres import parse_url
        if parse_url(url)[1]:
            raise L10nError(f"[memory] `url` must not hold a password ({config.display(where)} is shared): "
                            "set PGPASSWORD or use ~/.pgpass", where)
    return from_env or url.strip()


def open_memory(config: Config, *, require_schema: bool = True) -> TranslationMemory:
    """The project's memory: SQLite by default, PostgreSQL for a postgresql:// URL (see `memory_url`).

    An unreachable database is an L10nError after a few retries, so nothing is sent without its memory.
    `require_schema=False` opens a database not initialised yet, for `migrate`.
    """
    url = memory_url(config)
    if not url:
        from .sqlite import SqliteMemory
        return SqliteMemory(config.root / MEMORY_FILE, config.root)
    from .postgres import PgMemory
    return PgMemory(url, require_schema=require_schema)


def migrate(memory: TranslationMemory) -> tuple[int, int]:
    """`l10n memory init`: create or upgrade the schema; returns (version before, version after)."""
    return memory.migrate()


def stats(memory: TranslationMemory) -> Stats:
    """`l10n memory stats`: units per language pair and origin, size and last use."""
    return memory.stats()


def now() -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())


def job_id() -> str:
    """A name for this run's claims, unique across machines: host, process, random."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
