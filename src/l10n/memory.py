"""The translation memory: every translated segment, with its origin and time, so nothing is paid for twice.

One SQLite file in the project (`.l10n/memory.sqlite3`), no server. Origin is `human` (a reviewed
PO entry, or a TMX import) or the name of the engine that produced it; exact matches are reused,
human ones before machine ones, the newest first. A machine unit records whether its draft passed
the checks of `l10n check` (`qa`: "passed", "flagged", or "" when not checked); a flagged one is
never reused. TMX 1.4 moves the memory to and from OmegaT,
Trados and Weblate.
"""

from __future__ import annotations

import sqlite3
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from . import DISTRIBUTION, __version__
from .errors import L10nError
from .fsutil import atomic_write, confined

MEMORY_FILE = Path(".l10n") / "memory.sqlite3"
HUMAN = "human"
PASSED, FLAGGED = "passed", "flagged"  # Unit.qa of a machine draft that passed or failed the checks
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ORIGIN_PROP = "x-l10n-origin"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS units (
    source_lang TEXT NOT NULL, target_lang TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL,
    origin TEXT NOT NULL, created TEXT NOT NULL, qa TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (source_lang, target_lang, source, origin)
) WITHOUT ROWID;
"""


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


class Memory:
    """An open memory; `add` batches writes until `commit` (or the end of a `with` block)."""

    def __init__(self, path: Path, root: Path):
        """Open (or create) the memory at `path`, which must lead inside the project `root`."""
        confined(path, root)
        self.claims: dict[Key, tuple[str, float]] = {}  # key -> (job, monotonic expiry), see `claim`
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(path)
            self.db.executescript(_SCHEMA)
            if "qa" not in {row[1] for row in self.db.execute("PRAGMA table_info(units)")}:  # a file from 0.x
                self.db.execute("ALTER TABLE units ADD COLUMN qa TEXT NOT NULL DEFAULT ''")
                self.db.commit()
        except sqlite3.DatabaseError as exc:
            raise L10nError(f"cannot open the translation memory: {exc}", path) from None

    def __enter__(self) -> "Memory":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.commit()
        self.db.close()

    def commit(self) -> None:
        self.db.commit()

    # The claim protocol of the shared memory (memory_pg), mirrored so that callers have one code path.
    # One file, one process: a key is ours unless the memory holds it or another job of ours claimed it.

    def lookup_many(self, keys: Iterable[Key]) -> dict[Key, Unit]:
        """`lookup` of each key; the keys without a match are left out."""
        return {key: unit for key in keys if (unit := self.lookup(*key))}

    def claim(self, keys: Iterable[Key], job: str, ttl: float) -> set[Key]:
        """The keys now ours to send: not in the memory, not claimed by another job within `ttl` seconds."""
        keys, ours, clock = set(keys), set(), time.monotonic()
        for key in keys - self.lookup_many(keys).keys():
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

    def wait(self, keys: Iterable[Key], timeout: float) -> dict[Key, Unit]:
        """The units of `keys` found; nobody else can be sending them here, so this never waits."""
        return self.lookup_many(keys)

    def lookup(self, source_lang: str, target_lang: str, source: str) -> Unit | None:
        """The best exact match: a human translation over a machine one, then the newest; never a flagged draft."""
        row = self.db.execute(
            "SELECT target, origin, created, qa FROM units WHERE source_lang=? AND target_lang=? AND source=? "
            "AND qa != ? ORDER BY origin = ? DESC, created DESC LIMIT 1",
            (source_lang, target_lang, source, FLAGGED, HUMAN)).fetchone()
        return Unit(source_lang, target_lang, source, *row) if row else None

    def add(self, unit: Unit) -> None:
        """Record `unit`; an unchanged translation keeps its first date (and takes the new QA status)."""
        self.db.execute("INSERT INTO units (source_lang, target_lang, source, target, origin, created, qa) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET target = excluded.target, "
                        "created = CASE WHEN target = excluded.target THEN created ELSE excluded.created END, "
                        "qa = excluded.qa WHERE target != excluded.target OR qa != excluded.qa",
                        (unit.source_lang, unit.target_lang, unit.source, unit.target, unit.origin, unit.created,
                         unit.qa))

    def best(self) -> list[Unit]:
        """The unit `lookup` would give for each source and language pair, in a stable order."""
        best: dict[tuple[str, str, str], Unit] = {}
        for row in self.db.execute("SELECT source_lang, target_lang, source, target, origin, created, qa FROM units "
                                   "WHERE qa != ? ORDER BY source_lang, source, target_lang, origin = ? DESC, "
                                   "created DESC", (FLAGGED, HUMAN)):
            best.setdefault(row[:3], Unit(*row))
        return list(best.values())


def now() -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())


def export_tmx(memory: Memory, path: Path, source_lang: str) -> int:
    """Write the best unit of each segment from `source_lang` as TMX 1.4; returns how many were written."""
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(root, "header", {"creationtool": DISTRIBUTION, "creationtoolversion": __version__,
                                   "segtype": "paragraph", "o-tmf": "l10n", "adminlang": "en",
                                   "srclang": source_lang, "datatype": "plaintext"})
    body = ET.SubElement(root, "body")
    count = 0
    for unit in memory.best():
        if unit.source_lang != source_lang:
            continue
        tu = ET.SubElement(body, "tu", {"creationdate": unit.created, "creationid": unit.origin})
        ET.SubElement(tu, "prop", type=_ORIGIN_PROP).text = unit.origin
        for lang, text in ((unit.source_lang, unit.source), (unit.target_lang, unit.target)):
            ET.SubElement(ET.SubElement(tu, "tuv", {_XML_LANG: lang}), "seg").text = text
        count += 1
    ET.indent(root)
    data = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"
    atomic_write(path, data, None)  # where the user asked for it on the command line
    return count


def import_tmx(memory: Memory, path: Path, source_lang: str, target_langs: tuple[str, ...],
               display: str | None = None) -> int:
    """Add the units of a TMX file for this project's languages; returns how many were added.

    Languages match on their primary subtag (`zh-CN` is `zh`). A unit without an l10n origin
    property counts as human: that is what CAT tools export.
    """
    display = display or str(path)
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise L10nError(f"not a readable TMX file: {exc}", display) from None
    if root.tag != "tmx" or root.find("body") is None:
        raise L10nError("not a TMX file (no <tmx><body>)", display)
    wanted = {_primary(lang): lang for lang in target_langs}
    count = 0
    for tu in root.find("body").iter("tu"):
        segs = {_primary(tuv.get(_XML_LANG) or tuv.get("lang") or ""): "".join(tuv.find("seg").itertext())
                for tuv in tu.iter("tuv") if tuv.find("seg") is not None}
        source = segs.get(_primary(source_lang))
        if not source:
            continue
        prop = tu.find(f"prop[@type='{_ORIGIN_PROP}']")
        origin = prop.text if prop is not None and prop.text else HUMAN
        for lang, target in segs.items():
            if lang in wanted and target:
                memory.add(Unit(source_lang, wanted[lang], source, target, origin, tu.get("creationdate") or now()))
                count += 1
    memory.commit()
    return count


def _primary(lang: str) -> str:
    return lang.replace("_", "-").split("-")[0].lower()
