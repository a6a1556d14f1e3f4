"""Which translation memory a project uses, and what `l10n memory init|stats` do with either kind.

    [memory]
    url = "postgresql://l10n@db.internal/l10n"   # in l10n.toml; or L10N_MEMORY_URL, which wins

No URL: the SQLite file `.l10n/memory.sqlite3`, nothing to install or run. A postgresql:// URL: the
shared memory of `memory_pg` (pip install 'hugo-l10n[postgres]'); the password comes from PGPASSWORD or
~/.pgpass, never from l10n.toml, which is committed. Both memories offer the same methods
(`lookup`, `lookup_many`, `add`, `commit`, `best`, `claim`, `release`, `wait`, `close`).
"""

from __future__ import annotations

import os
import socket
import uuid
from contextlib import nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

from .config import CONFIG_FILE, Config
from .errors import L10nError
from .memory import MEMORY_FILE, Memory

if TYPE_CHECKING:
    from .memory_pg import PgMemory

AnyMemory = Union[Memory, "PgMemory"]
ENV_URL = "L10N_MEMORY_URL"
SCHEMES = ("postgresql://", "postgres://")
SQLITE_SCHEMA_VERSION = 1  # the SQLite file creates its tables on opening


def memory_url(config: Config) -> str:
    """The configured PostgreSQL URL ("" for the SQLite default): $L10N_MEMORY_URL, else `[memory] url`."""
    section = dict(config.section("memory"))
    where = config.root / CONFIG_FILE
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
        from .memory_pg import parse_url
        if parse_url(url)[1]:
            raise L10nError("[memory] `url` must not hold a password (l10n.toml is shared): "
                            "set PGPASSWORD or use ~/.pgpass", where)
    url = from_env or url.strip()
    return url


def open_memory(config: Config, *, require_schema: bool = True) -> AnyMemory:
    """The project's memory: SQLite by default, PostgreSQL for a postgresql:// URL (see `memory_url`).

    An unreachable database is an L10nError after a few retries, so nothing is sent without its memory.
    `require_schema=False` opens a database not initialised yet, for `migrate`.
    """
    url = memory_url(config)
    if not url:
        return Memory(config.root / MEMORY_FILE, config.root)
    from .memory_pg import PgMemory
    return PgMemory(url, require_schema=require_schema)


def migrate(memory: AnyMemory) -> tuple[int, int]:
    """`l10n memory init`: create or upgrade the schema; returns (version before, version after)."""
    if isinstance(memory, Memory):
        return SQLITE_SCHEMA_VERSION, SQLITE_SCHEMA_VERSION
    from .memory_pg import migrate as migrate_pg
    return migrate_pg(memory)


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
    where: str  # the file, or the database URL without its password


def stats(memory: AnyMemory) -> Stats:
    """`l10n memory stats`: units per language pair and origin, size and last use."""
    memory.commit()
    sqlite = isinstance(memory, Memory)
    with nullcontext() if sqlite else memory._errors():
        rows = memory.db.execute("SELECT source_lang, target_lang, origin, count(*), sum(length(source)), max(created) "
                                 f"FROM {'units' if sqlite else 'l10n_units'} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")
        rows = [PairStats(*row) for row in rows.fetchall()]
    if not sqlite:
        return Stats(rows, memory.size(), str(memory.target))
    page_count, page_size = (memory.db.execute(f"PRAGMA {name}").fetchone()[0] for name in ("page_count", "page_size"))
    return Stats(rows, page_count * page_size, memory.db.execute("PRAGMA database_list").fetchone()[2])


def job_id() -> str:
    """A name for this run's claims, unique across machines: host, process, random."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
