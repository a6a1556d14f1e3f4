"""The catalogs a translation run fills: entries written as replies come, saved without losing anyone's work.

Machine output is written `fuzzy` with the translator comment `machine translation: <engine>`, and
a draft still wrong after its retry with one `l10n-qa: <check>: <message>` comment per finding; a
reviewed translation reused from the memory is not fuzzy and says `translation memory: human`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import polib

from ..errors import L10nError
from ..memory import HUMAN, TranslationMemory, Unit
from ..pofile import catalog_bytes, read_catalog
from ..runner import Action, Article, FileResult
from ..segment import title_of
from ..writes import replace_unless_changed
from .qa import QA_COMMENT, Finding, qa_comments

MT_COMMENT = "machine translation: "
TM_COMMENT = "translation memory: "


@dataclass(eq=False)
class Catalog:
    """One catalog being filled, and what this run put in it, so that a save made meanwhile survives.

    A translator may save the file (Poedit) while the run waits on the engine. Saving then re-reads it
    and puts this run's translations into the fresh catalog again, only into entries nobody else
    touched: theirs win (see `writes.replace_unless_changed`).
    """

    article: Article
    lang: str
    po: polib.POFile
    seen: bytes  # the file's content `po` was read from, or last saved as
    result: FileResult
    before: dict[str, tuple] = field(default_factory=dict)  # msgid -> entry as read, for those this run fills
    filled: dict[str, tuple[str, str, tuple]] = field(default_factory=dict)  # msgid -> (translation, origin,
    # findings) given
    saved: set[str] = field(default_factory=set)  # msgids of `filled` whose draft this run has saved
    dirty: bool = False
    pending: int = 0  # entries still waiting for a translation: at 0 the catalog is saved at once
    abandoned: bool = False  # the file became unreadable during the run: it is left as the translator saved it

    def __post_init__(self) -> None:
        self.entries = _live_entries(self.po)

    @property
    def path(self) -> Path:
        return self.article.config.catalog_path(self.article.path, self.lang)

    def want(self, entry: polib.POEntry) -> None:
        """Note that this run will fill `entry`, as it is now (so that a person's later change wins)."""
        self.before[entry.msgid] = _state(entry)
        self.pending += 1

    def fill(self, msgid: str, translation: str, origin: str, findings: tuple[Finding, ...] = ()) -> bool:
        """Put a translation into the entry of `msgid`; False if someone else has filled or changed it."""
        self.filled[msgid] = (translation, origin, findings)
        entry = self.entries.get(msgid)
        if entry is None or not self._fillable(entry):
            return False
        _write_translation(entry, translation, origin, findings)
        self.dirty = True
        return True

    def _fillable(self, entry: polib.POEntry, saved: bool = False) -> bool:
        """Exactly as this run read it (a fuzzy or `--force` entry nobody else changed), or still empty
        unless this run's draft was `saved` into it: then an empty entry is one a person cleared."""
        return _state(entry) == self.before.get(entry.msgid) or not saved and not entry.msgstr

    def save(self) -> None:
        if not self.dirty or self.abandoned:
            return
        self.dirty = False
        config = self.article.config
        try:
            if replace_unless_changed(self.path, self.seen, catalog_bytes(self.po), self._reload, config.lock_dir,
                                      config.root):
                self.result.action = Action.WRITTEN
            self.seen = catalog_bytes(self.po)
            self.saved.update(self.filled)
        except L10nError as exc:
            self.abandoned = True
            self.result.action = Action.FAILED
            self.result.errors.append(L10nError(f"{exc.message} (changed during this run, left as it is: run "
                                                "`l10n translate` again once it is fixed)", exc.path, exc.line))

    def _reload(self) -> tuple[bytes, bytes]:
        """The catalog as saved by someone else meanwhile, with this run's translations put in again."""
        config = self.article.config
        self.po, self.seen = read_catalog(self.path, config.display(self.path), config.root)
        self.entries = _live_entries(self.po)
        for msgid, (translation, origin, findings) in self.filled.items():
            entry = self.entries.get(msgid)
            if entry is not None and self._fillable(entry, saved=msgid in self.saved):
                _write_translation(entry, translation, origin, findings)
        return self.seen, catalog_bytes(self.po)

    def fail(self, msgid: str, message: str) -> None:
        """Report that the entry of `msgid` stays untranslated, at its line in the article."""
        entry = self.entries.get(msgid)
        line = int(entry.occurrences[0][1]) if entry is not None and entry.occurrences else None
        self.result.errors.append(L10nError(message, self.article.display, line))

    @property
    def title(self) -> str:
        """The article's title, as context for the engine ("" if it has none, or cannot be read)."""
        try:
            return title_of(self.article.parsed[1])
        except L10nError:
            return ""


def reviewed(po: polib.POFile) -> Iterable[polib.POEntry]:
    """Entries a person has translated or approved: not obsolete, not empty, not fuzzy."""
    return (e for e in po if not e.obsolete and e.msgid and e.msgstr and "fuzzy" not in e.flags)


def remember_reviewed(memory: TranslationMemory, source_lang: str, reviewed: Iterable[tuple[str, str, str]]) -> int:
    """Put reviewed translations `(lang, msgid, msgstr)` into the memory as human units, dated by the memory's
    clock (the server's, for a shared memory); returns how many."""
    created, count = memory.clock(), 0
    for lang, msgid, msgstr in reviewed:
        memory.add(Unit(source_lang, lang, msgid, msgstr, HUMAN, created))
        count += 1
    return count


def _write_translation(entry: polib.POEntry, translation: str, origin: str, findings: tuple = ()) -> None:
    """Machine output is fuzzy, marked with its engine (and its findings, if the checks failed it); a reused
    reviewed translation is not fuzzy. Comments of earlier runs go, the translator's stay."""
    machine = origin != HUMAN
    entry.msgstr = translation
    entry.previous_msgid = entry.previous_msgctxt = None
    entry.flags = [f for f in entry.flags if f != "fuzzy"] + (["fuzzy"] if machine else [])
    kept = [line for line in entry.tcomment.split("\n")
            if line and not line.startswith((MT_COMMENT, TM_COMMENT, QA_COMMENT))]
    entry.tcomment = "\n".join(kept + [(MT_COMMENT + origin) if machine else (TM_COMMENT + HUMAN)]
                                + qa_comments(findings))


def _live_entries(po: polib.POFile) -> dict[str, polib.POEntry]:
    return {entry.msgid: entry for entry in po if not entry.obsolete and entry.msgid}


def _state(entry: polib.POEntry) -> tuple:
    """What a person may change in an entry: if any of it differs from what this run read, theirs wins."""
    return entry.msgstr, tuple(entry.flags), entry.tcomment, entry.previous_msgid
