"""A throwaway PostgreSQL server for the tests and the benchmark, and the claim protocol as a shard runs it.

`PostgresServer` makes a cluster with `initdb` in a temporary folder and starts it with `pg_ctl`,
listening only on a unix socket there (no TCP port, no clash with a system cluster). As root (CI),
the server runs as an unprivileged user (`nobody`, or $L10N_PG_USER): initdb refuses root.
The binaries are found in $L10N_PG_BINDIR, /usr/lib/postgresql/<newest>/bin (Debian), or on PATH.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from l10n.memory import Key, Unit, now

SUPERUSER = "l10n"


def find_bindir() -> Path | None:
    """Where initdb, pg_ctl and postgres live, or None if PostgreSQL's server is not installed."""
    candidates = [Path(os.environ["L10N_PG_BINDIR"])] if os.environ.get("L10N_PG_BINDIR") else []
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                      key=lambda p: [int(x) for x in p.parent.name.split(".") if x.isdigit()], reverse=True)
    candidates += versions
    if shutil.which("initdb"):
        candidates.append(Path(shutil.which("initdb")).parent)
    return next((d for d in candidates if all((d / tool).is_file() for tool in ("initdb", "pg_ctl", "postgres"))),
                None)


class PostgresServer:
    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="l10n-pg-"))
        self.data, self.log = self.dir / "data", self.dir / "server.log"
        self.user = os.environ.get("L10N_PG_USER", "nobody") if os.geteuid() == 0 else None
        self.count = 0

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, cwd=self.dir)
        if result.returncode:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}{log}")

    def start(self) -> PostgresServer:
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        self.dir.chmod(0o755)
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--locale=C",
                  "--no-sync")
        options = (f"-k {self.dir} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c max_connections=200")
        self._run("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data), "-l", str(self.log), "-o", options)
        return self

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "stop", "-w", "-m", "immediate", "-D", str(self.data))
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@/{dbname}?host={self.dir}"

    def create_database(self) -> str:
        """A fresh, empty database; returns its URL."""
        import psycopg
        self.count += 1
        name = f"t{os.getpid()}_{self.count}"
        with psycopg.connect(self.url(), autocommit=True) as db:
            db.execute(f"CREATE DATABASE {name} TEMPLATE template0")
        return self.url(name)

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


Engine = Callable[[list[str]], list[str]]


def run_shard(memory, keys: list[Key], job: str, engine: Engine, *, ttl: float = 60.0, batch: int = 1,
              origin: str = "stand-in", wait: float = 5.0, timeout: float = 120.0) -> dict[Key, str]:
    """What a shard of a sharded run does: reuse what the memory holds, send only what it could claim (stored
    and committed batch by batch), wait for the segments other jobs are sending, take over lapsed claims.
    TimeoutError after `timeout` seconds: a protocol that never settles fails the test instead of hanging it."""
    deadline = time.monotonic() + timeout
    done = {key: unit.target for key, unit in memory.lookup_many(keys).items()}
    pending = [key for key in dict.fromkeys(keys) if key not in done]
    while pending:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(pending)} segment(s) neither claimed nor stored by another job")
        ours = sorted(memory.claim(pending, job, ttl))
        for start in range(0, len(ours), batch):
            chunk = ours[start:start + batch]
            for key, target in zip(chunk, engine([key[2] for key in chunk])):
                memory.add(Unit(*key, target, origin, now()))
                done[key] = target
            memory.commit()
        rest = [key for key in pending if key not in done]
        if rest:
            done.update((key, unit.target) for key, unit in memory.wait(rest, wait).items())
        pending = [key for key in rest if key not in done]
    return done


class CountingEngine:
    """A slow local engine: sleeps `latency` per request, translates deterministically, and appends every text
    it was asked for to `ledger` (one line each, O_APPEND: safe across processes)."""

    def __init__(self, ledger: Path, latency: float):
        self.ledger, self.latency = ledger, latency

    def __call__(self, texts: list[str]) -> list[str]:
        time.sleep(self.latency)
        with open(self.ledger, "a", encoding="utf-8") as out:
            out.write("".join(text + "\n" for text in texts))
        return [translation(text) for text in texts]


def translation(text: str) -> str:
    return f"EN<{text}>"


def sent(ledger: Path) -> list[str]:
    return ledger.read_text(encoding="utf-8").splitlines() if ledger.exists() else []
