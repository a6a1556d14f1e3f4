"""Gettext catalogs: segments into PO entries, merged with the previous catalog as `msgmerge --previous` does.

polib is the object model; this module decides what goes in it: the header (including the digest
of the source it was extracted from), references, extracted comments, and how a translator's
earlier work is carried over (kept, fuzzy with `#|` previous msgid, or `#~` obsolete).
"""

from __future__ import annotations

import difflib
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import polib

from . import __version__
from .errors import L10nError
from .segments import Segment

SOURCE_HEADER = "X-Source-Path"
DIGEST_HEADER = "X-Source-Digest"
FUZZY_THRESHOLD = 0.6  # the similarity msgmerge uses for fuzzy matches
WRAP_WIDTH = 0  # no wrapping (like `msgcat --no-wrap`): one line per message, clean diffs
PLURAL_FORMS = {
    "en": "nplurals=2; plural=(n != 1);", "de": "nplurals=2; plural=(n != 1);",
    "es": "nplurals=2; plural=(n != 1);", "it": "nplurals=2; plural=(n != 1);",
    "nl": "nplurals=2; plural=(n != 1);", "pt": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);", "pt_BR": "nplurals=2; plural=(n > 1);",
    "ja": "nplurals=1; plural=0;", "ko": "nplurals=1; plural=0;", "zh": "nplurals=1; plural=0;",
    "vi": "nplurals=1; plural=0;", "th": "nplurals=1; plural=0;", "id": "nplurals=1; plural=0;",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
          "(n%100<10 || n%100>=20) ? 1 : 2);",
    "uk": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
          "(n%100<10 || n%100>=20) ? 1 : 2);",
    "pl": "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
          "n%100>=11 ? 4 : 5);",
}


@dataclass(frozen=True)
class Stats:
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    obsolete: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def coverage(self) -> float:
        """Percentage of entries translated and reviewed (fuzzy ones do not count)."""
        return 100.0 * self.translated / self.total if self.total else 100.0


def read_header(path: Path) -> dict[str, str]:
    """The header fields of a PO file, read without parsing its entries (cheap, for skipping work)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(2048)
            if DIGEST_HEADER.encode() not in head:
                head += handle.read()
    except FileNotFoundError:
        return {}
    match = re.search(rb'^msgstr ""\r?\n((?:".*"\r?\n?)+)', head, re.MULTILINE)
    if not match:
        return {}
    value = b"".join(re.findall(rb'^"(.*)"', match.group(1), re.MULTILINE)).decode("utf-8", "replace")
    value = value.replace('\\"', '"').replace("\\n", "\n")
    return dict(line.split(": ", 1) for line in value.split("\n") if ": " in line)


_PO_LINE = re.compile(r'(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+)?"(?:[^"\\]|\\.)*"[ \t]*')


def load_catalog(path: Path, display: str) -> polib.POFile:
    """Parse a PO file strictly: polib forgives unterminated strings, which would lose a translation."""
    return read_catalog(path, display)[0]


def read_catalog(path: Path, display: str) -> tuple[polib.POFile, bytes]:
    """The parsed catalog and the bytes it was read from, to tell later whether someone saved it since.

    The bytes are read before polib reads the file: a save in between can only make the bytes look
    older than the catalog, which makes a writer recompute (safe), never overwrite the save.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise L10nError(f"cannot read PO file: {exc.strerror}", display) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise L10nError("PO file is not UTF-8", display, data.count(b"\n", 0, exc.start) + 1) from None
    for number, line in enumerate(re.split(r"\r?\n", text), 1):  # not splitlines(): U+2028 is text here
        code = line[2:].lstrip() if line.startswith("#~") else line.strip()
        code = "" if code.startswith("|") else code  # `#~|`: previous msgid of an obsolete entry
        if code and not code.startswith("#") and not _PO_LINE.fullmatch(code):
            raise L10nError(f"PO syntax error: {line.strip()[:60]!r}", display, number)
    try:
        # From the path, not the text: polib splits a text with str.splitlines(), which breaks at U+2028.
        return polib.pofile(str(path), wrapwidth=WRAP_WIDTH, encoding="utf-8"), data
    except (OSError, ValueError) as exc:
        line = re.search(r"\(line (\d+)\)", str(exc))
        message = re.sub(r"\s*\(line \d+\)", "", str(exc))
        raise L10nError(f"cannot read PO file: {message}", display, int(line.group(1)) if line else None) from None


def update_catalog(segments: list[Segment], previous: polib.POFile | None, *, source: str, lang: str,
                   digest: str, project: str) -> polib.POFile:
    """A catalog for `segments`, keeping every translation `previous` holds."""
    po = polib.POFile(wrapwidth=WRAP_WIDTH, check_for_duplicates=False)
    po.header = f"{lang} translation of {source}\nGenerated by l10n; edit the msgstr lines only."
    old = previous.metadata if previous is not None else {}
    now = _timestamp()
    po.metadata = {
        "Project-Id-Version": old.get("Project-Id-Version", project),
        "POT-Creation-Date": now,
        "PO-Revision-Date": old.get("PO-Revision-Date", now),
        "Last-Translator": old.get("Last-Translator", ""),
        "Language-Team": old.get("Language-Team", ""),
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": old.get("Plural-Forms") or _plural_forms(lang),
        "X-Generator": f"l10n {__version__}",
        SOURCE_HEADER: source,
        DIGEST_HEADER: digest,
    }
    for entry in _entries(segments, source):
        po.append(entry)
    if previous is not None:
        _merge(po, previous)
    return po


def catalog_bytes(po: polib.POFile) -> bytes:
    return (str(po).rstrip("\n") + "\n").encode("utf-8")


def stats(po: polib.POFile) -> Stats:
    translated = fuzzy = untranslated = obsolete = 0
    for entry in po:
        if entry.obsolete:
            obsolete += 1
        elif "fuzzy" in entry.flags and entry.msgstr:
            fuzzy += 1
        elif entry.msgstr:
            translated += 1
        else:
            untranslated += 1
    return Stats(translated, fuzzy, untranslated, obsolete)


def translations(po: polib.POFile, use_fuzzy: bool = False) -> dict[str, polib.POEntry]:
    """msgid -> entry for the entries build may use."""
    return {
        e.msgid: e for e in po
        if not e.obsolete and e.msgstr and (use_fuzzy or "fuzzy" not in e.flags)
    }


def _entries(segments: list[Segment], source: str) -> list[polib.POEntry]:
    """One entry per distinct msgid, in order of first appearance, listing every occurrence."""
    entries: dict[str, polib.POEntry] = {}
    for segment in segments:
        entry = entries.get(segment.msgid)
        if entry is None:
            entry = entries[segment.msgid] = polib.POEntry(msgid=segment.msgid, msgstr="", occurrences=[])
            entry.comment = segment.comment
        elif segment.comment not in entry.comment.split("\n"):
            entry.comment += "\n" + segment.comment
        entry.occurrences.append((source, str(segment.line)))
    return list(entries.values())


def _merge(po: polib.POFile, previous: polib.POFile) -> None:
    """Carry translations over: exact matches kept, near matches fuzzy, the rest obsolete."""
    old = [e for e in previous if e.msgid and (e.msgstr or e.tcomment)]
    by_key = {(e.msgctxt, e.msgid): e for e in old if not e.obsolete}
    by_key.update({k: e for e in old if e.obsolete and (k := (e.msgctxt, e.msgid)) not in by_key})
    used: set[int] = set()
    unmatched = []
    for entry in po:
        match = by_key.get((entry.msgctxt, entry.msgid))
        if match is None:
            unmatched.append(entry)
            continue
        used.add(id(match))
        entry.msgstr, entry.tcomment = match.msgstr, match.tcomment
        entry.flags = [f for f in match.flags if f != "fuzzy"] + (["fuzzy"] if "fuzzy" in match.flags else [])
        if "fuzzy" in match.flags:
            entry.previous_msgid = match.previous_msgid
    candidates = [e for e in old if id(e) not in used]  # translated, or carrying a translator comment
    for entry in unmatched:
        match = _closest(entry.msgid, candidates)
        if match is not None:
            used.add(id(match))
            entry.msgstr, entry.tcomment = match.msgstr, match.tcomment
            entry.flags = [f for f in match.flags if f != "fuzzy"] + (["fuzzy"] if match.msgstr else [])
            if match.msgstr:
                entry.previous_msgid = match.previous_msgid if "fuzzy" in match.flags and match.previous_msgid \
                    else match.msgid
    for entry in old:
        if id(entry) not in used:
            po.append(polib.POEntry(msgid=entry.msgid, msgstr=entry.msgstr, msgctxt=entry.msgctxt,
                                    tcomment=entry.tcomment, flags=list(entry.flags), obsolete=True))


def _closest(msgid: str, candidates: list[polib.POEntry]) -> polib.POEntry | None:
    best, best_ratio = None, FUZZY_THRESHOLD
    for candidate in candidates:
        matcher = difflib.SequenceMatcher(None, msgid, candidate.msgid, autojunk=False)
        if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio >= best_ratio:
            best, best_ratio = candidate, ratio
    return best


def _plural_forms(lang: str) -> str:
    """gettext's Plural-Forms for `lang` (`pt-BR`, `pt_BR` and `zh-Hant` alike), English's if unknown."""
    code = lang.replace("-", "_")
    return PLURAL_FORMS.get(code) or PLURAL_FORMS.get(code.split("_")[0], PLURAL_FORMS["en"])


def _timestamp() -> str:
    """Now, or SOURCE_DATE_EPOCH for reproducible output, in gettext's header format."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = time.gmtime(int(epoch)) if epoch and epoch.isdigit() else time.gmtime()
    return time.strftime("%Y-%m-%d %H:%M+0000", when)
