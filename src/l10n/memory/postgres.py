"""The shared translation memory on PostgreSQL: one memory for a team or a CI fleet, nothing paid for twice.

Same semantics as the SQLite memory (`sqlite.SqliteMemory`): exact matches, human before machine, the
newest first, an unchanged translation keeps its first date, a flagged machine draft is not
reused as it is. On top of it, the claim protocol that keeps machines from sending the same segment:

    since = memory.clock()                       # the job's start, by the server's clock
    ours = memory.claim(keys, job, ttl, since=since)  # insert-if-absent (or take over an expired claim): ours
    memory.add(unit); memory.commit()            # stores the unit and deletes its claim in one transaction
    memory.release(keys, job)                    # the engine failed: others may claim them
    found = memory.wait(keys, timeout, since=since)  # blocks until each key has a unit or no live claim

A flagged draft created after the second the job started in counts as the fleet's work for `claim` and `wait`: it
was paid for in this run, so nobody claims it again and the waiters get it (see `TranslationMemory`).
`clock()` reads the server's clock once and goes on by the local monotonic clock: the units a job
stores are dated by it too, so that machines whose clocks differ compare dates on one clock.

Claims are rows of `l10n_claims` keyed by language pair and source, holding the job and an expiry
(server clock): a job that died stops renewing, its claims lapse after `ttl` and are taken over.
Keys are hashed (SHA-256 of the source) in the indexes: a paragraph may exceed a btree entry.
`add` buffers until `commit`, which writes in key order, so two jobs never deadlock on each other.

psycopg 3 is imported only here, and this module only for a postgresql:// URL. Messages name the
host, port, database and user, never the password (libpq reads PGPASSWORD or ~/.pgpass itself).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .. import DISTRIBUTION
from ..errors import L10nError
from . import FLAGGED, HUMAN, Key, PairStats, Stats, Unit

try:
    import psycopg
except ImportError:  # pragma: no cover - depends on the installation
    psycopg = None  # type: ignore[assignment]  # the optional driver: `_require_driver` says what to install

log = logging.getLogger("l10n.memory")

CHANNEL = "l10n_memory"  # NOTIFY'd when units are stored or claims released
SCHEMA_VERSION_TABLE = "l10n_schema"
MIGRATIONS: tuple[str, ...] = (
    # 1: units and claims. Text compares byte-wise (COLLATE "C"): the order of `best` is SQLite's.
    """
    CREATE TABLE l10n_units (
        source_lang text COLLATE "C" NOT NULL, target_lang text COLLATE "C" NOT NULL,
        source_hash bytea NOT NULL, source text COLLATE "C" NOT NULL, target text NOT NULL,
        origin text COLLATE "C" NOT NULL, created text COLLATE "C" NOT NULL, qa text NOT NULL DEFAULT '',
        PRIMARY KEY (source_lang, target_lang, source_hash, origin)
    );
    CREATE UNLOGGED TABLE l10n_claims (
        source_lang text NOT NULL, target_lang text NOT NULL, source_hash bytea NOT NULL,
        job text NOT NULL, expires timestamptz NOT NULL,
        PRIMARY KEY (source_lang, target_lang, source_hash)
    );
    """,
)
_COLUMNS = "source_lang, target_lang, source, target, origin, created, qa"
_KEYS = "unnest(%s::text[], %s::text[], %s::bytea[]) AS k(source_lang, target_lang, source_hash)"
_BEST = (f"ORDER BY u.source_lang, u.source, u.target_lang, u.origin = '{HUMAN}' DESC, u.created DESC, "
         "u.origin")


@dataclass(frozen=True)
class Target:
    """Where a memory lives, as messages may show it: no password, ever."""

    host: str
    port: str
    dbname: str
    user: str

    def __str__(self) -> str:
        user = f"{self.user}@" if self.user else ""
        return f"postgresql://{user}{self.host}:{self.port}/{self.dbname}"


def parse_url(url: str) -> tuple[Target, str]:
    """(where the URL points, its password or ""); an unparsable URL is an L10nError that does not quote it."""
    _require_driver()
    try:
        params = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error:
        raise L10nError("not a valid PostgreSQL URL for the translation memory (postgresql://user@host/db)") from None
    target = Target(str(params.get("host") or "localhost"), str(params.get("port") or "5432"),
                    str(params.get("dbname") or params.get("user") or ""), str(params.get("user") or ""))
    return target, str(params.get("password") or "")


class PgMemory:
    """An open shared memory; `add` buffers writes until `commit` (or the end of a `with` block).

    `attempts` connection attempts, `backoff` seconds before the second, doubled each time. With
    `require_schema` (the default) a database without the current schema is refused with a hint
    to run `l10n memory init` (`migrate`); open with False to migrate it.
    """

    def __init__(self, url: str, *, attempts: int = 5, backoff: float = 0.5, connect_timeout: int = 5,
                 require_schema: bool = True, sleep: Callable[[float], None] = time.sleep):
        self.target, self._password = parse_url(url)
        self.where = str(self.target)
        self.pending: list[Unit] = []
        self._pending_keys: set[Key] = set()
        self._listening = False
        self._epoch: tuple[float, float] | None = None  # (server epoch, local monotonic) read at once: `clock`
        self.db = self._connect(url, attempts, backoff, connect_timeout, sleep)
        if require_schema:
            version = self.schema_version()
            if version != len(MIGRATIONS):
                self.db.close()
                raise L10nError(_version_problem(version), str(self.target))

    def _connect(self, url: str, attempts: int, backoff: float, timeout: int, sleep) -> psycopg.Connection:
        reason = ""
        for attempt in range(1, attempts + 1):
            try:
                return psycopg.connect(url, autocommit=True, connect_timeout=timeout,
                                       application_name="l10n")
            except psycopg.Error as exc:
                reason = self._clean(exc)
                if attempt < attempts:
                    delay = backoff * 2 ** (attempt - 1)
                    log.warning("translation memory %s unreachable (attempt %d of %d), retrying in %.1f s: %s",
                                self.target, attempt, attempts, delay, reason)
                    sleep(delay)
        raise L10nError(f"cannot connect to the translation memory after {attempts} attempt(s): {reason}",
                        str(self.target))

    def _clean(self, exc: BaseException) -> str:
        """The driver's message on one line, with the password (should libpq ever quote it) blanked."""
        text = " ".join(str(exc).split()) or type(exc).__name__
        return text.replace(self._password, "***") if self._password else text

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except psycopg.Error as exc:
            raise L10nError(f"translation memory: {self._clean(exc)}", str(self.target)) from None

    def __enter__(self) -> PgMemory:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.db.closed:
            return
        try:
            self.commit()
        finally:
            self.db.close()

    # -- the memory ------------------------------------------------------------------------------

    def lookup(self, source_lang: str, target_lang: str, source: str) -> Unit | None:
        """The best exact match: a human translation over a machine one, then the newest; never a flagged draft."""
        if (source_lang, target_lang, source) in self._pending_keys:
            self.commit()  # what this job added is visible to it, as in SQLite
        with self._errors():
            row = self.db.execute(
                f"SELECT {_COLUMNS} FROM l10n_units u WHERE source_lang = %s AND target_lang = %s "
                f"AND source_hash = %s AND source = %s AND qa != %s {_BEST} LIMIT 1",
                (source_lang, target_lang, _hash(source), source, FLAGGED)).fetchone()
        return _unit(row) if row else None

    def lookup_many(self, keys: Iterable[Key]) -> dict[Key, Unit]:
        """`lookup` of each key in one round trip; the keys without a match are left out."""
        keys = list(dict.fromkeys(keys))
        if self._pending_keys.intersection(keys):
            self.commit()
        if not keys:
            return {}
        with self._errors():
            rows = self.db.execute(
                f"SELECT DISTINCT ON (u.source_lang, u.source, u.target_lang) {_prefixed('u')} "
                f"FROM {_KEYS} JOIN l10n_units u USING (source_lang, target_lang, source_hash) "
                f"WHERE u.qa != %s {_BEST}", (*_key_arrays(keys), FLAGGED)).fetchall()
        wanted = set(keys)  # a hash collision would join another source: compare the text too
        return {unit_key: unit for unit in map(_unit, rows) if (unit_key := _key(unit)) in wanted}

    def add(self, unit: Unit) -> None:
        """Record `unit` at the next `commit`; an unchanged translation keeps its first date."""
        self.pending.append(unit)
        self._pending_keys.add(_key(unit))

    def commit(self) -> None:
        """Store the added units and delete their claims in one transaction, in key order; wake the waiters."""
        if not self.pending:
            return
        units = sorted(self.pending, key=lambda u: (_hash(u.source), u.source_lang, u.target_lang, u.origin))
        with self._errors(), self.db.transaction(), self.db.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO l10n_units (source_lang, target_lang, source_hash, source, target, origin, created, qa) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (source_lang, target_lang, source_hash, origin) "
                "DO UPDATE SET target = excluded.target, qa = excluded.qa, created = CASE WHEN "
                f"l10n_units.target = excluded.target AND excluded.qa != '{FLAGGED}' THEN l10n_units.created "
                "ELSE excluded.created END WHERE l10n_units.target != excluded.target "
                f"OR l10n_units.qa != excluded.qa OR excluded.qa = '{FLAGGED}'",
                [(u.source_lang, u.target_lang, _hash(u.source), u.source, u.target, u.origin, u.created,
                  getattr(u, "qa", "")) for u in units])
            keys = sorted(self._pending_keys, key=lambda k: (_hash(k[2]), k[0], k[1]))
            cursor.execute(f"DELETE FROM l10n_claims c USING {_KEYS} WHERE (c.source_lang, c.target_lang, "
                           "c.source_hash) = (k.source_lang, k.target_lang, k.source_hash)", _key_arrays(keys))
            cursor.execute("SELECT pg_notify(%s, '')", (CHANNEL,))
        self.pending, self._pending_keys = [], set()

    def best(self) -> list[Unit]:
        """The unit `lookup` would give for each source and language pair, in a stable order."""
        self.commit()
        with self._errors():
            rows = self.db.execute(
                f"SELECT DISTINCT ON (u.source_lang, u.source, u.target_lang) {_prefixed('u')} FROM l10n_units u "
                f"WHERE u.qa != %s {_BEST}", (FLAGGED,)).fetchall()
        return [_unit(row) for row in rows]

    # -- claims ----------------------------------------------------------------------------------

    def clock(self) -> str:
        """The server's time now, in TMX form: read once per connection, then advanced by the local monotonic
        clock (no round trip, no skew between machines)."""
        if self._epoch is None:
            with self._errors():
                server = self._value("SELECT extract(epoch FROM clock_timestamp())::float8")
            self._epoch = (server, time.monotonic())
        server, local = self._epoch
        return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(server + time.monotonic() - local))

    def claim(self, keys: Iterable[Key], job: str, ttl: float, *, since: str = "",
              redo: Collection[Key] = ()) -> set[Key]:
        """The keys now ours to send, for `ttl` seconds: those nobody holds a live claim on (ours are renewed,
        expired ones taken over) and the memory does not hold (nor a draft flagged after `since`; for a key of
        `redo`, no unit created after `since`); one transaction, in key order."""
        keys = sorted(set(keys), key=lambda k: (_hash(k[2]), k[0], k[1]))
        if not keys:
            return set()
        by_hash = {(k[0], k[1], _hash(k[2])): k for k in keys}
        with self._errors():
            won = self.db.execute(
                f"INSERT INTO l10n_claims (source_lang, target_lang, source_hash, job, expires) "
                f"SELECT k.source_lang, k.target_lang, k.source_hash, %s, now() + make_interval(secs => %s) "
                f"FROM {_KEYS} ON CONFLICT (source_lang, target_lang, source_hash) DO UPDATE "
                f"SET job = excluded.job, expires = excluded.expires "
                f"WHERE l10n_claims.job = excluded.job OR l10n_claims.expires < now() "
                f"RETURNING source_lang, target_lang, source_hash",
                (job, ttl, *_key_arrays(keys))).fetchall()
        ours = {by_hash[(sl, tl, bytes(h))] for sl, tl, h in won}
        # A claimant may have stored its unit and deleted its claim just before ours was inserted: look again,
        # now that our claim is committed, and give back what turns out to be known.
        known = set(self._settled(ours, since, redo))
        if known:
            self.release(known, job)
        return ours - known

    def release(self, keys: Iterable[Key], job: str) -> None:
        """Give up `job`'s claims on `keys` (e.g. the engine failed): another job may claim them now."""
        keys = sorted(set(keys), key=lambda k: (_hash(k[2]), k[0], k[1]))
        if not keys:
            return
        with self._errors(), self.db.transaction():
            self.db.execute(f"DELETE FROM l10n_claims c USING {_KEYS} WHERE (c.source_lang, c.target_lang, "
                            "c.source_hash) = (k.source_lang, k.target_lang, k.source_hash) AND c.job = %s",
                            (*_key_arrays(keys), job))
            self.db.execute("SELECT pg_notify(%s, '')", (CHANNEL,))

    def wait(self, keys: Iterable[Key], timeout: float, poll: float = 1.0, *, since: str = "",
             redo: Collection[Key] = ()) -> dict[Key, Unit]:
        """The units of `keys`, once each has one or is no longer claimed by a live job (claim those), or at
        `timeout` seconds; a key without a reusable unit gets its newest draft flagged after `since`, if any;
        a key of `redo` only a unit created after `since`.
        Woken by the NOTIFY of a commit or release; looks again every `poll` seconds for claims that expire."""
        keys = list(dict.fromkeys(keys))
        deadline = time.monotonic() + timeout
        if not self._listening:
            with self._errors():
                self.db.execute(f"LISTEN {CHANNEL}")
            self._listening = True
        found: dict[Key, Unit] = {}
        while True:
            found.update(self._settled([k for k in keys if k not in found], since, redo))
            rest = [k for k in keys if k not in found]
            if not rest:
                return found
            if not self._claimed(rest):  # its claimant may have stored it since the look-up: look once more
                found.update(self._settled(rest, since, redo))
                return found
            left = deadline - time.monotonic()
            if left <= 0:
                return found
            with self._errors():
                for _ in self.db.notifies(timeout=min(poll, left), stop_after=1):
                    pass

    def _settled(self, keys: Iterable[Key], since: str, redo: Collection[Key] = ()) -> dict[Key, Unit]:
        """`lookup_many`, and for the keys it misses the newest flagged draft created after `since`; a key of
        `redo` (its remembered unit rejected) is settled only by a unit created after `since`."""
        keys = list(keys)
        found = {key: unit for key, unit in self.lookup_many(keys).items() if key not in redo or unit.created > since}
        rest = [k for k in dict.fromkeys(keys) if k not in found]
        if not since or not rest:
            return found
        with self._errors():
            rows = self.db.execute(
                f"SELECT DISTINCT ON (u.source_lang, u.source, u.target_lang) {_prefixed('u')} "
                f"FROM {_KEYS} JOIN l10n_units u USING (source_lang, target_lang, source_hash) "
                "WHERE u.qa = %s AND u.created > %s ORDER BY u.source_lang, u.source, u.target_lang, "
                "u.created DESC, u.origin", (*_key_arrays(rest), FLAGGED, since)).fetchall()
        wanted = set(rest)
        found.update((unit_key, unit) for unit in map(_unit, rows) if (unit_key := _key(unit)) in wanted)
        return found

    def _claimed(self, keys: list[Key]) -> bool:
        """Whether a live claim holds any of `keys`."""
        with self._errors():
            return self._value(f"SELECT EXISTS (SELECT FROM l10n_claims c JOIN {_KEYS} USING (source_lang, "
                               "target_lang, source_hash) WHERE c.expires > now())", _key_arrays(keys))

    def _value(self, query: str, params: Sequence[Any] = ()) -> Any:
        """The one value of a query that always gives one row (EXISTS, an aggregate)."""
        row = self.db.execute(query, params).fetchone()
        assert row is not None, query
        return row[0]

    # -- administration --------------------------------------------------------------------------

    def schema_version(self) -> int:
        """How many migrations the database has had (0: none, not even the version table)."""
        with self._errors():
            exists = self._value("SELECT to_regclass(%s) IS NOT NULL", (SCHEMA_VERSION_TABLE,))
            if not exists:
                return 0
            return self._value(f"SELECT coalesce(max(version), 0) FROM {SCHEMA_VERSION_TABLE}")

    def migrate(self) -> tuple[int, int]:
        """Bring the schema to the current version (idempotent, safe to run from many machines at once);
        returns (version before, version after)."""
        with self._errors(), self.db.transaction():
            self.db.execute("SELECT pg_advisory_xact_lock(hashtext('l10n memory migrate'))")
            self.db.execute(f"CREATE TABLE IF NOT EXISTS {SCHEMA_VERSION_TABLE} (version integer PRIMARY KEY, "
                            "applied timestamptz NOT NULL DEFAULT now())")
            before = self.schema_version()
            if before > len(MIGRATIONS):
                raise L10nError(_version_problem(before), str(self.target))
            for version in range(before + 1, len(MIGRATIONS) + 1):
                self.db.execute(MIGRATIONS[version - 1])
                self.db.execute(f"INSERT INTO {SCHEMA_VERSION_TABLE} (version) VALUES (%s)", (version,))
        return before, len(MIGRATIONS)

    def stats(self) -> Stats:
        """Units per language pair and origin; size: bytes on disk of the tables and indexes."""
        self.commit()
        with self._errors():
            rows = self.db.execute("SELECT source_lang, target_lang, origin, count(*), sum(length(source)), "
                                   "max(created) FROM l10n_units GROUP BY 1, 2, 3 ORDER BY 1, 2, 3").fetchall()
            size = self._value("SELECT pg_total_relation_size('l10n_units') + pg_total_relation_size('l10n_claims')")
        return Stats([PairStats(*row) for row in rows], size, self.where)


def _version_problem(version: int) -> str:
    if version > len(MIGRATIONS):
        return (f"the translation memory has schema version {version}, newer than this l10n knows "
                f"({len(MIGRATIONS)}): upgrade l10n")
    state = "has no l10n schema" if version == 0 else f"has schema version {version} of {len(MIGRATIONS)}"
    return f"the translation memory {state}: run `l10n memory init`"


def _require_driver() -> None:
    if psycopg is None:
        raise L10nError("a postgresql:// translation memory needs the PostgreSQL driver: "
                        f"pip install '{DISTRIBUTION}[postgres]'")


def _hash(source: str) -> bytes:
    return hashlib.sha256(source.encode("utf-8")).digest()


def _key(unit: Unit) -> Key:
    return unit.source_lang, unit.target_lang, unit.source


def _key_arrays(keys: list[Key]) -> tuple[list[str], list[str], list[bytes]]:
    return [k[0] for k in keys], [k[1] for k in keys], [_hash(k[2]) for k in keys]


def _prefixed(alias: str) -> str:
    return ", ".join(f"{alias}.{column.strip()}" for column in _COLUMNS.split(","))


def _unit(row: tuple) -> Unit:
    return Unit(*row)
