"""Shared helpers: a throw-away project on disk, the CLI runner, and a pseudo-translation."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
from pathlib import Path

import polib
import pytest
from typer.testing import CliRunner

from l10n.cli import app
from l10n.config import config_text, load_config
from pg_server import PostgresServer, find_bindir

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = FIXTURES / "corpus"
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def pseudo(text: str) -> str:
    """`text` with every Han character replaced by a Latin letter: markup and everything else stays."""
    return HAN.sub(lambda m: "xyzw"[ord(m.group(0)) % 4], text)


class Project:
    """A project folder with l10n.toml, sources under content/zh/ and a CLI bound to it."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        (root / "l10n.toml").write_text(config_text("zh", ["en"]), encoding="utf-8")
        (root / "content" / "zh").mkdir(parents=True, exist_ok=True)
        monkeypatch.chdir(root)
        self.runner = CliRunner()

    @property
    def config(self):
        return load_config(self.root)

    def add(self, rel: str, data: bytes | str) -> Path:
        path = self.root / "content" / "zh" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    def add_fixture(self, fixture: Path, rel: str | None = None) -> Path:
        return self.add(rel or fixture.name, fixture.read_bytes())

    def po(self, rel: str, lang: str = "en") -> Path:
        return self.root / "locales" / lang / Path(rel).with_suffix(".po")

    def out(self, rel: str, lang: str = "en") -> Path:
        return self.root / "content" / lang / rel

    def cli(self, *args: str):
        return self.runner.invoke(app, list(args), catch_exceptions=False)

    def translate_all(self, rel: str, fn=pseudo, lang: str = "en") -> polib.POFile:
        """Fill every msgstr of `rel`'s catalog with fn(msgid) and save it."""
        po = polib.pofile(str(self.po(rel, lang)))
        for entry in po:
            if not entry.obsolete:
                entry.msgstr = fn(entry.msgid)
        po.save()
        return po


@pytest.fixture
def project(tmp_path, monkeypatch) -> Project:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return Project(tmp_path / "site", monkeypatch)


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.md"))


def copy_tree(src: Path, dst: Path) -> None:
    shutil.copytree(src, dst, dirs_exist_ok=True)


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL server for the session; skipped where it is not installed, except under
    L10N_REQUIRE_POSTGRES=1 (CI), where a missing server is a failure."""
    bindir = find_bindir()
    missing = [what for what, absent in (("the PostgreSQL server (apt-get install postgresql)", bindir is None),
                                         ("psycopg (pip install -e '.[postgres]')",
                                          importlib.util.find_spec("psycopg") is None)) if absent]
    if missing:
        message = "needs " + " and ".join(missing)
        if os.environ.get("L10N_REQUIRE_POSTGRES") == "1":
            pytest.fail(message + " (L10N_REQUIRE_POSTGRES=1)")
        pytest.skip(message)
    with PostgresServer(bindir) as server:
        yield server


@pytest.fixture
def pg_url(pg_server) -> str:
    """The URL of a fresh, empty database on the session's server."""
    return pg_server.create_database()
