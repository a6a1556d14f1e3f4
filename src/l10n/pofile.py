"""PO files read and written: a strict reader of our own, reading as gettext reads, and a direct writer agreeing
with polib exactly.

polib forgives what would lose or corrupt a translation (a malformed line, a stray CR, an escape gettext reads
otherwise, a duplicate msgid, lines out of gettext's order) and refuses comment lines gettext reads (`#TODO`,
`#,fuzzy`): the reader checks every line as gettext's lexer and grammar read it, refusing what msgfmt refuses at
its line, and hands polib the lines in the forms polib reads alike. polib's parser changes state a line at a
time and its writer measures every field for wrapping: the usual forms are read an entry at a time and written
directly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import NamedTuple, TypeVar

import polib

from .confine import read_file
from .errors import L10nError, line_in

SOURCE_HEADER = "X-Source-Path"  # the source a catalog was extracted from, as users see its path
DIGEST_HEADER = "X-Source-Digest"  # the digest of the source a catalog was extracted from (`read_header` looks for it)
WRAP_WIDTH = 0  # no wrapping (like `msgcat --no-wrap`): one line per message, clean diffs
T = TypeVar("T")


def read_header(path: Path, root: Path) -> dict[str, str]:
    """The header fields of a PO file, read without parsing its entries (cheap, for skipping work).

    A catalog that cannot be read (missing, refused by `read_file`) has no header: the caller then
    does the full work, which reports the problem.
    """
    try:
        head = read_file(path, str(path), root, 2048)
        if DIGEST_HEADER.encode() not in head:
            head = read_file(path, str(path), root)
    except L10nError:
        return {}
    match = re.search(rb'^msgstr ""\r?\n((?:".*"\r?\n?)+)', head, re.MULTILINE)
    if not match:
        return {}
    value = b"".join(re.findall(rb'^"(.*)"', match.group(1), re.MULTILINE)).decode("utf-8", "replace")
    value = value.replace('\\"', '"').replace("\\n", "\n")
    return dict(line.split(": ", 1) for line in value.split("\n") if ": " in line)


# The string is `(?:[^"\\]|\\.)*` unrolled (same strings, 3-4x faster: no alternation per character).
_PO_LINE = re.compile(r'(?:(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)[ \t]+)?"([^"\\]*(?:\\.[^"\\]*)*)"[ \t]*')
# The escapes gettext and polib read alike; any other (\a, octal, hex) would mean one thing in
# Poedit or msgfmt and another in the built article.
_ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v"}
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f]")
_SPECIAL = re.compile(r"\\([0-7]{1,3}|x[0-9A-Fa-f]+|.)|" + _CONTROL.pattern)  # an escape or a raw control


def control_character(translation: str) -> str | None:
    """Why `translation` cannot be a msgstr: build would copy a control character (other than tab and
    newline) into the article as it is."""
    found = _CONTROL.search(translation)
    return f"control character U+{ord(found.group()):04X} in a translation" if found else None


def load_catalog(path: Path, display: str, root: Path) -> polib.POFile:
    """Parse a PO file strictly: polib forgives what would lose or corrupt a translation (see `_check_syntax`)."""
    return read_catalog(path, display, root)[0]


def read_catalog(path: Path, display: str, root: Path) -> tuple[polib.POFile, bytes]:
    """The parsed catalog and the bytes it was read from, to tell later whether someone saved it since.

    The file is read once: the catalog is parsed from the very bytes that were checked (a save made
    meanwhile cannot slip past the check) and that are returned. Only a regular file inside `root` is
    read, so a catalog symlinked to a file elsewhere is refused before a syntax error could quote one
    of its lines.
    """
    data = read_file(path, display, root)
    return parse_catalog(data, display, str(path)), data


def parse_catalog(data: bytes, display: str, fpath: str | None = None) -> polib.POFile:
    """The catalog in `data`, checked strictly (`_check_syntax`) and read as gettext reads it.

    The usual file (the forms l10n and gettext tools write, nothing to refuse) is read an entry at a time
    (`_parse_entries`); any other, a line at a time (`_parse`); a file with rarer forms (plurals, `#TODO`,
    `#~|`...) or one to refuse is checked, then parsed by polib from its lines as gettext reads them
    (`_as_polib_reads`), split at line ends only (polib's own string parser would also split at U+2028).
    """
    po = _parse_text(_decoded(data, display), display)
    po.fpath = fpath  # type: ignore[assignment]  # polib leaves it None for a text; types-polib says str
    return po


def reduce_catalog(data: bytes, display: str, reduce: Callable[[polib.POFile, Iterator[polib.POEntry]], T]) -> T:
    """`reduce(catalog, entries)`: the catalog in `data` as `parse_catalog` reads it, its entries handed over one
    at a time instead of held in `catalog` (which has the header and metadata), so that a large catalog's entries
    never are all in memory (build keeps a few strings of each).

    That is the usual file (see `_parse_entries`) with its header entry first. Any other is parsed whole, or
    refused as `parse_catalog` refuses it, and `reduce` is called again with its entries: a call whose entries
    end in an exception must leave nothing behind.
    """
    text = _decoded(data, display)
    try:
        return reduce(*_headed_entries(text))
    except _Unusual:
        pass
    po = _parse_text(text, display)
    entries = list(po)
    del po[:]
    return reduce(po, iter(entries))


def _decoded(data: bytes, display: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise L10nError("PO file is not UTF-8", display, data.count(b"\n", 0, exc.start) + 1) from None


def _parse_text(text: str, display: str) -> polib.POFile:
    """`parse_catalog` of the decoded text."""
    po = _parse_entries(text)
    if po is None:
        po = _parse(text, display)
    if po is None:
        _check_syntax(text, display)
        try:
            po = polib.pofile(_Lines(_as_polib_reads(text, display)), wrapwidth=WRAP_WIDTH, encoding="utf-8")
        except (OSError, ValueError) as exc:
            message = re.sub(r"\s*\(line \d+\)", "", str(exc))
            raise L10nError(f"cannot read PO file: {message}", display, line_in(exc)) from None
    return po


class _Lines(str):
    """A PO text that polib splits at line ends only (LF, with CRLF's CR stripped as polib strips lines)."""

    def splitlines(self, keepends: bool = False) -> list[str]:
        return self.split("\n")


def _check_syntax(text: str, display: str) -> None:
    """Refuse, with its line, what msgfmt refuses or polib would read wrongly, in one pass over the lines as
    gettext's lexer reads them (`_gettext_lines`), with gettext's grammar of an entry:

    - a malformed line or unterminated string (polib would drop a translation); a byte-order mark;
    - a CR that is not part of a CRLF line end (polib reads it as a line break, cutting a string);
    - an escape gettext and polib read differently, a control character other than tab and newline
      in a msgstr (it would be written into the built article);
    - lines out of gettext's order: a comment inside an entry, a msgid without msgstr, `#|` lines not
      followed by their entry, an entry only partly marked `#~` (msgfmt refuses them; polib reads some);
    - a second entry with the same msgid, obsolete or not, whatever its msgctxt (msgfmt refuses the same
      msgctxt and msgid; build, check and extract key entries by msgid alone, see `catalog.translations`).
    """
    if text.startswith("\ufeff"):
        raise L10nError("PO file starts with a byte-order mark (U+FEFF): save it as UTF-8 without BOM",
                        display, 1)
    first_line: dict[str, tuple[int, str | None]] = {}
    state, obsolete, context, msgid, msgid_line = "", False, None, "", 0
    number = 0
    for number, line in _gettext_lines(text, display):
        if line.comment is not None:
            if state not in _BETWEEN:
                raise L10nError(f"PO syntax error: a comment inside an entry: {line.text[:60]!r}", display, number)
            state = ""  # the entry before it, if any, is over
            continue
        if not line.code:
            continue
        match = _PO_LINE.fullmatch(line.code)
        name = match and match.group(1)
        if not match or (line.previous and name not in _PREVIOUS_SYMBOLS and name):
            raise L10nError(f"PO syntax error: {line.text[:60]!r}", display, number)
        if name:
            following = _GRAMMAR.get((_PLURAL.sub("[]", name), line.previous, state))
            if following is None:
                raise L10nError(f"PO syntax error: {_OUT_OF_ORDER.get(name, name + ' out of place')}: "
                                f"{line.text[:60]!r}", display, number)
            if state in _BETWEEN:
                obsolete, context = line.obsolete, None  # a new entry starts
            if name == "msgid" and not line.previous:
                msgid_line = number
            elif name.startswith("msgstr") and state in ("mi", "mp"):
                if msgid in first_line:
                    first, first_context = first_line[msgid]
                    why = "" if first_context == context else " (their msgctxt differ: l10n keys entries by msgid)"
                    raise L10nError(f"duplicate message definition (first defined on line {first}){why}",
                                    display, msgid_line)
                first_line[msgid] = (msgid_line, context)
            state = following
        elif not state or line.previous != (state in ("pc", "pm", "pp")):
            raise L10nError(f"PO syntax error: a string continuing nothing: {line.text[:60]!r}", display, number)
        if line.obsolete != obsolete:
            raise L10nError(f"PO syntax error: an entry only partly marked obsolete (#~): {line.text[:60]!r}",
                            display, number)
        try:
            value = _SPECIAL.sub(partial(_unescape, translation=state in ("ms", "mx")), match.group(2))
        except ValueError as exc:
            raise L10nError(f"PO syntax error: {exc}", display, number) from None
        if state == "ct":
            context = value if name else (context or "") + value  # continues a msgctxt line
        elif state == "mi":
            msgid = value if name else msgid + value
    if state not in _BETWEEN:
        raise L10nError("PO syntax error: the file ends inside an entry (no msgstr)", display, number)


# gettext's grammar of an entry, a keyword line at a time: (keyword, in a `#|` line, state) -> next state. The
# state "" is between entries, as after a comment; `ms` and `mx` (an entry's last strings) are too.
_BETWEEN = ("", "ms", "mx")
_GRAMMAR = {
    **{("msgctxt", True, s): "pc" for s in _BETWEEN}, **{("msgid", True, s): "pm" for s in (*_BETWEEN, "pc")},
    ("msgid_plural", True, "pm"): "pp",
    **{("msgctxt", False, s): "ct" for s in (*_BETWEEN, "pm", "pp")},
    **{("msgid", False, s): "mi" for s in (*_BETWEEN, "pm", "pp", "ct")},
    ("msgid_plural", False, "mi"): "mp", ("msgstr", False, "mi"): "ms",
    **{("msgstr[]", False, s): "mx" for s in ("mp", "mx")},
}
_PLURAL = re.compile(r"\[\d+\]")
_OUT_OF_ORDER = {"msgid": "a msgid inside an entry (no msgstr before it)", "msgstr": "a msgstr without its msgid",
                 "msgctxt": "a msgctxt inside an entry", "msgid_plural": "a msgid_plural without its msgid"}


class _Line(NamedTuple):
    """A line as gettext's lexer reads it: its `#~` (obsolete) and `#|` (previous) marks, then either a comment
    (the text after its `#`) or code (a keyword and a string, a string, or nothing)."""
    text: str
    obsolete: bool
    previous: bool
    comment: str | None
    code: str


_BLANKS = " \t\f\v"  # gettext's blanks within a line (a CR is a CRLF's, or refused)


def _gettext_lines(text: str, display: str) -> Iterator[tuple[int, _Line]]:
    """The lines of a PO file as gettext's lexer reads them (`#TODO` is a comment, `#|msgid` a previous msgid,
    `#~ # note` a comment); a CR not ending a line is refused.

    A comment on a `#|` line leaves the following lines `#|` ones up to a blank or code line, as gettext's
    lexer does (the comment takes its line end, which is what clears the mark).
    """
    previous = False
    for number, line in enumerate(text.split("\n"), 1):  # not splitlines(): U+2028 is text here
        line = line[:-1] if line.endswith("\r") else line
        if "\r" in line:
            raise L10nError("PO syntax error: carriage return inside a line (only CRLF and LF line ends "
                            "are allowed)", display, number)
        rest, obsolete = line.lstrip(_BLANKS), False
        while rest.startswith("#"):
            if rest[1:2] == "~":
                obsolete, rest = True, rest[2:]
                if rest.startswith("|"):
                    previous, rest = True, rest[1:]
            elif rest[1:2] == "|":
                previous, rest = True, rest[2:]
            else:
                yield number, _Line(line.strip(), obsolete, previous, rest[1:], "")
                break
            rest = rest.lstrip(_BLANKS)
        else:
            yield number, _Line(line.strip(), obsolete, previous, None, rest.rstrip(_BLANKS))
            previous = False


def _as_polib_reads(text: str, display: str) -> str:
    """`text` with each line written in the form polib reads as gettext reads the original (a line for a
    line): `#TODO` as `# TODO`, `#!fuzzy` as `#, fuzzy`, `#|msgid` and `#~| msgid` as `#| msgid`, `#~ # c`
    as `# c`. For a file `_check_syntax` passes."""
    lines = []
    for _, line in _gettext_lines(text, display):
        if line.comment is not None:
            lines.append(_comment_line(line.comment))
        elif not line.code:
            lines.append("")
        else:
            lines.append(("#| " if line.previous else "#~ " if line.obsolete else "") + line.code)
    return "\n".join(lines)


def _comment_line(comment: str) -> str:
    """A comment (the text after its `#`) as gettext reads it, in the form polib reads alike: `.` starts an
    extracted comment, `:` references, `,` or `!` flags (split at commas and blanks); any other is the
    translator's (`#TODO`, `##`), less one leading space. An empty `#.`, `#:` or `#,` is a blank line: polib
    ignores it, but drops the file's last entry when it is the last line."""
    kind, rest = comment[:1], comment[1:]
    if kind == ".":
        rest = rest[1:] if rest.startswith(" ") else rest
        return f"#. {rest}" if rest.strip() else ""
    if kind == ":":
        return f"#: {rest.strip()}" if rest.strip() else ""
    if kind in (",", "!"):
        return f"#, {', '.join(_flags(rest))}" if _flags(rest) else ""
    rest = comment[1:] if kind == " " else comment
    return f"# {rest}" if rest else "#"


# polib's parser as a table, cut down to gettext's grammar (a comment only between entries, `#|` lines only
# right before their entry): (symbol, state) -> next state, for the symbols `_parse` handles. A pair missing
# from it is a sequence `_check_syntax` refuses, or one `_parse` leaves to the check and polib.
_ENTRY_STARTS = ("st", "he", "gc", "oc", "fl", "tc", "ms", "mx")  # the states where an entry may start
_TRANSITIONS = {
    **{("tc", s): "he" for s in ("st", "he")},
    **{("tc", s): "tc" for s in ("gc", "oc", "fl", "tc", "ms", "mx")},
    **{(sym, s): sym for sym in ("gc", "oc", "fl", "pc") for s in _ENTRY_STARTS},
    **{("pm", s): "pm" for s in (*_ENTRY_STARTS, "pc")},
    ("pp", "pm"): "pp",
    **{("ct", s): "ct" for s in (*_ENTRY_STARTS, "pm", "pp")},
    **{("mi", s): "mi" for s in (*_ENTRY_STARTS, "ct", "pm", "pp")},
    ("ms", "mi"): "ms",
}
_CONTINUES = {"ct": "msgctxt", "mi": "msgid", "ms": "msgstr", "pm": "previous_msgid", "pc": "previous_msgctxt",
              "pp": "previous_msgid_plural"}  # the field a `"..."` line continues, by state
_KEYWORD_SYMBOLS = {"msgctxt": "ct", "msgid": "mi", "msgstr": "ms"}
_PREVIOUS_SYMBOLS = {"msgid": "pm", "msgctxt": "pc", "msgid_plural": "pp"}


def _parse(text: str, display: str) -> polib.POFile | None:
    """`_check_syntax` and the fallback's parse (polib's, of the lines as gettext reads them) in one pass over
    the lines: the same catalog (entries, header, metadata, line numbers), and the refusals of a CR, an
    escape or a control character raised as the check raises them.

    Returns None, having refused nothing, for a file with a form it leaves to the check and polib (plural
    forms, a comment or keyword written unusually, a line or sequence to refuse, a duplicate): the caller
    then checks the whole file and lets polib parse it. Values are the strings `_check_syntax` unescapes,
    which are polib's for every escape the check lets through.
    """
    po = polib.POFile(wrapwidth=WRAP_WIDTH, encoding="utf-8", check_for_duplicates=False)
    seen: set[str] = set()
    keyword, msgid = "", ""
    entry = polib.POEntry(linenum=0)
    state, last_comment = "st", False  # last_comment: the last non-blank line is a comment for polib
    entry_obsolete = False  # whether the lines of the entry being read are `#~` ones
    special, special_sub, po_line, escapes = _SPECIAL, _SPECIAL.sub, _PO_LINE.fullmatch, _unescape
    for number, line in enumerate(text.split("\n"), 1):  # not splitlines(): U+2028 is text here
        if line.endswith("\r"):
            line = line[:-1]
        if "\r" in line:
            raise L10nError("PO syntax error: carriage return inside a line (only CRLF and LF line ends "
                            "are allowed)", display, number)
        if not line:
            continue
        if line.strip() != line:
            return None  # indented or trailing blanks: the fallback's
        if line[0] == "#":
            obsolete = line.startswith("#~")
            if not obsolete:  # a comment, or a previous msgid
                tokens = line.split(None, 2)
                head = tokens[0]
                if head in ("#:", "#,", "#.") and len(tokens) == 1:
                    if state not in _ENTRY_STARTS or state in ("ms", "mx"):
                        return None  # inside an entry (refused), or ending one: the fallback's
                    continue  # nothing: a blank line for the fallback (polib would drop a last entry before it)
                last_comment = True
                if head == "#:":
                    symbol = "oc"
                elif head == "#,":
                    symbol = "fl"
                elif head == "#":
                    symbol = "tc"
                elif head == "#.":
                    symbol = "gc"
                elif head == "#|" and line[2:3] == " " and (previous := po_line(line[3:])) \
                        and previous.group(1) in _PREVIOUS_SYMBOLS:
                    symbol = _PREVIOUS_SYMBOLS[previous.group(1)]
                else:
                    return None  # `#TODO`, `##`, `#.x`, `#|msgid`...: the fallback reads them as gettext does
                following = _TRANSITIONS.get((symbol, state))
                if following is None:
                    return None
                if state in ("ms", "mx"):
                    po.append(entry)
                    entry = polib.POEntry(linenum=number)
                if symbol == "tc":
                    comment = line[2:] if line[1:2] == " " else line[1:]
                if following == "he":
                    po.header = f"{po.header}\n{comment}" if po.header else comment
                elif symbol == "tc":
                    entry.tcomment = f"{entry.tcomment}\n{comment}" if entry.tcomment else comment
                elif symbol == "gc":
                    entry.comment = f"{entry.comment}\n{line[3:]}" if entry.comment else line[3:]
                elif symbol == "oc":
                    entry.occurrences += _occurrences(line[3:])
                elif symbol == "fl":
                    entry.flags += _flags(line[3:])
                else:  # a previous msgid, msgctxt or msgid_plural (of a live entry)
                    assert previous is not None  # matched above
                    try:
                        value = special_sub(partial(escapes, translation=False), previous.group(2))
                    except ValueError as exc:
                        raise L10nError(f"PO syntax error: {exc}", display, number) from None
                    setattr(entry, _CONTINUES[symbol], value)
                    entry_obsolete = False
                state = following
                continue
            code = line[3:].lstrip()
            if line[2:3] != " " or code.startswith(("#", "|")):
                return None  # `#~msgid`, `#~|`, a comment of an obsolete entry: the fallback's reading
        else:
            obsolete, code = False, line
        match = po_line(code)
        if not match or not (match.group(1) or keyword):
            return None  # a line to refuse: the check says why
        name = match.group(1)
        raw = match.group(2)
        if special.search(raw):
            try:
                value = special_sub(partial(escapes, translation=(name or keyword).startswith("msgstr")), raw)
            except ValueError as exc:
                raise L10nError(f"PO syntax error: {exc}", display, number) from None
        else:
            value = raw
        last_comment = False
        if name:
            symbol = _KEYWORD_SYMBOLS.get(name, "")
            following = _TRANSITIONS.get((symbol, state)) if symbol else None
            if following is None:
                return None
            if state in _ENTRY_STARTS:
                entry_obsolete = obsolete
            if state in ("ms", "mx"):
                po.append(entry)
                entry = polib.POEntry(linenum=number)
            if symbol == "mi":
                entry.obsolete = 1 if obsolete else 0  # type: ignore[assignment]  # polib's own 1/0 (stubs: bool)
            elif symbol == "ms":
                if msgid in seen:
                    return None  # a duplicate: the check refuses it
                seen.add(msgid)
            setattr(entry, _CONTINUES[symbol], value)
            state, keyword = following, name
        else:
            field_name = _CONTINUES.get(state)
            if field_name is None or state in ("pm", "pc", "pp"):
                return None
            setattr(entry, field_name, getattr(entry, field_name) + value)
        if obsolete != entry_obsolete:
            return None  # an entry only partly `#~`: the check refuses it
        if state == "mi":
            msgid = entry.msgid
    if state in ("ct", "mi", "pc", "pm", "pp"):
        return None  # the file ends inside an entry: the check refuses it
    if not last_comment and state != "st":
        po.append(entry)
    _take_metadata(po)
    return po


def _take_metadata(po: polib.POFile) -> None:
    """Move the header entry (msgid "") into `po.metadata`, as polib does."""
    metadata = po.find("")
    if metadata:
        po.remove(metadata)
        po.metadata_is_fuzzy = metadata.flags  # type: ignore[assignment]  # polib's own reading (stubs: bool)
        header: str | None = None
        for message in metadata.msgstr.splitlines():  # polib's reading, U+2028 and all
            try:
                header, value = message.split(":", 1)
                po.metadata[header] = value.strip()
            except (ValueError, KeyError):
                if header is not None:
                    po.metadata[header] += "\n" + message.strip()


# An entry as `catalog_bytes`, msgmerge and Poedit write it, one match of `_ENTRY`: comments in gettext's
# order, then the keywords, each string on one line or continued on the following lines, then blank lines.
# No line ends with a blank: `_parse` leaves such a line to polib's tokenising.
_QUOTED = r'[^"\\\n]*(?:\\.[^"\\\n]*)*'  # `_PO_LINE`'s string, on one line
_STRING = rf'"({_QUOTED})"'
_LINES = rf'((?:"{_QUOTED}"\n)*)'  # the lines continuing a string
_TEXT = r"[^\n]*(?<!\s)"
_OBSOLETE_LINES = _LINES.replace('(?:"', '(?:#~ "')
_HEADER_COMMENTS = re.compile(rf"(?:(?:#(?: {_TEXT})?)?\n)*")
_ENTRY = re.compile(
    rf"((?:#(?: {_TEXT})?\n)*)((?:#\. {_TEXT}\n)*)((?:#: {_TEXT}\n)*)((?:#, {_TEXT}\n)*)"
    rf"(?:(?:(?:#\| msgctxt {_STRING}\n)?#\| msgid {_STRING}\n)?"
    rf"(?:msgctxt {_STRING}\n{_LINES})?msgid {_STRING}\n{_LINES}msgstr {_STRING}\n{_LINES}"
    rf"|(?:(?:#~\| msgctxt {_STRING}\n)?#~\| msgid {_STRING}\n)?"  # an obsolete entry's previous msgid
    rf"(?:#~ msgctxt {_STRING}\n{_OBSOLETE_LINES})?#~ msgid {_STRING}\n{_OBSOLETE_LINES}"
    rf"#~ msgstr {_STRING}\n{_OBSOLETE_LINES})\n*")
_CONTINUED = re.compile(_STRING)


class _Unusual(Exception):
    """A form the entry reader leaves to the line reader (a file to refuse included)."""


def _parse_entries(text: str) -> polib.POFile | None:
    """`_parse`'s catalog for a usual file, read an entry at a time (one regex match, not a state change
    per line); None for anything else, a file to refuse included: `_parse` then reads it a line at a time.
    """
    try:
        po, entries = _usual_entries(text)
        po.extend(entries)
    except _Unusual:
        return None
    if not po:
        return None
    _take_metadata(po)
    return po


def _usual_entries(text: str) -> tuple[polib.POFile, Iterator[polib.POEntry]]:
    """A usual file's catalog (its header comment, no entry) and its entries, each read as it is asked for;
    `_Unusual`, at once or from the entries, for any other file."""
    if "\r" in text:
        raise _Unusual  # a CRLF line end (or a CR to refuse): the line parser's
    if not text.endswith("\n"):
        text += "\n"  # the same lines for `_parse`: it ignores the blank one this adds
    head = _HEADER_COMMENTS.match(text)
    assert head is not None  # `*`: it matches the empty string too
    po = polib.POFile(wrapwidth=WRAP_WIDTH, encoding="utf-8", check_for_duplicates=False)
    po.header = _joined(line[2:] for line in head.group().split("\n") if line)
    return po, _entries_from(text, head.end(), 1 + head.group().count("\n"))


def _entries_from(text: str, pos: int, number: int) -> Iterator[polib.POEntry]:
    """The entries of `text` from `pos` (line `number`) on, one `_ENTRY` match each; `_Unusual` where none matches."""
    end = len(text)
    seen: set[str] = set()
    first = True
    match_entry, count = _ENTRY.match, text.count
    while pos < end:
        match = match_entry(text, pos)
        if match is None:
            raise _Unusual
        fields = match.groups()
        obsolete = fields[8] is None  # the first branch's msgid: absent in an obsolete entry
        context, context_more, msgid, msgid_more, msgstr, msgstr_more = fields[14:] if obsolete else fields[6:12]
        previous_context, previous_msgid = fields[12:14] if obsolete else fields[4:6]
        try:
            ctxt = None if context is None else _string(context, context_more, False)
            key = _string(msgid, msgid_more, False)
            translation = _string(msgstr, msgstr_more, True)
            if previous_context is not None:
                previous_context = _string(previous_context, None, False)
            if previous_msgid is not None:
                previous_msgid = _string(previous_msgid, None, False)
        except ValueError:
            raise _Unusual from None  # an escape or control character to refuse
        if key in seen:
            raise _Unusual  # a duplicate to refuse (by msgid alone, see `_check_syntax`)
        seen.add(key)
        tcomments, comments, occurrences, flags = fields[:4]
        linenum = 0 if first else number  # polib's line of an entry: its first; 0 for the first entry
        first = False
        number += count("\n", pos, match.end())
        pos = match.end()
        yield _entry(
            msgid=key, msgstr=translation, msgctxt=ctxt, obsolete=1 if obsolete else 0, linenum=linenum,
            tcomment=_joined(line[2:] for line in tcomments[:-1].split("\n")) if tcomments else "",
            comment=comments[3:-1].replace("\n#. ", "\n") if comments else "",  # no line of them is empty
            occurrences=_occurrences(occurrences[3:-1].replace("\n#: ", " ")) if occurrences else [],
            flags=_flags(flags[3:-1].replace("\n#, ", ",")) if flags else [],
            previous_msgctxt=previous_context, previous_msgid=previous_msgid)


def _headed_entries(text: str) -> tuple[polib.POFile, Iterator[polib.POEntry]]:
    """`_usual_entries` of a file whose header entry comes first, that catalog's metadata read from it; `_Unusual`
    for any other file."""
    po, entries = _usual_entries(text)
    header = next(entries, None)
    if header is None or header.msgid or header.obsolete:
        raise _Unusual
    po.append(header)
    _take_metadata(po)
    return po, entries  # no other candidate for the header follows: a second msgid "" is a duplicate


def _string(first: str, more: str | None, translation: bool) -> str:
    """The value of a string (its first line's text and the lines continuing it), unescaped and checked as
    `_parse` does (ValueError: to refuse), without its regex search when nothing is escaped or refused."""
    raw = first + "".join(_CONTINUED.findall(more)) if more else first
    if "\\" in raw or (translation and not raw.isprintable() and _CONTROL.search(raw)):
        return _SPECIAL.sub(partial(_unescape, translation=translation), raw)
    return raw  # what the substitution would return


_BLANK_ENTRY = vars(polib.POEntry())


def _entry(**fields: object) -> polib.POEntry:
    """`polib.POEntry(**fields)` (with `occurrences` and `flags` given) at half the cost: its attributes set
    at once, not one `kwargs.get` each."""
    entry = object.__new__(polib.POEntry)
    entry.__dict__.update(_BLANK_ENTRY, msgstr_plural={}, **fields)
    return entry


def _joined(lines: Iterable[str]) -> str:
    """Comment lines joined as polib adds them to a field: a line added to an empty field replaces it."""
    text = ""
    for line in lines:
        text = f"{text}\n{line}" if text else line
    return text


def _occurrences(text: str) -> list[tuple[str, str]]:
    """The references of a `#:` line, read as polib reads them."""
    found = []
    for occurrence in text.split():
        path, colon, where = occurrence.rpartition(":")
        found.append((path, where) if colon and where.isdigit() else (occurrence, ""))
    return found


def _flags(text: str) -> list[str]:
    """The flags of a `#,` line, split at commas and blanks as gettext splits them (`#, fuzzy c-format` is
    fuzzy: polib would read one flag "fuzzy c-format", and build would use the entry as reviewed)."""
    return _FLAG_SEPARATORS.split(text.strip(" \t,")) if text.strip(" \t,") else []


_FLAG_SEPARATORS = re.compile(r"[\s,]+")


def _unescape(match: re.Match, translation: bool) -> str:
    if match.group(1) is None:
        char = match.group(0)
    elif (char := _ESCAPES.get(match.group(1))) is None:
        raise ValueError(f"unsupported escape sequence '\\{match.group(1)}' (write the character itself)")
    if translation and (problem := control_character(char)):
        raise ValueError(problem)
    return char


def catalog_bytes(po: polib.POFile) -> bytes:
    """The PO file for `po`, byte for byte what `str(po)` gives (`catalog_pieces` joined)."""
    return b"".join(catalog_pieces(po))


def catalog_pieces(po: polib.POFile) -> Iterator[bytes]:
    """`catalog_bytes(po)` a piece (the header comment, then an entry) at a time: written to its file as
    made, the PO file of a large article never is in memory whole. Written directly for unwrapped catalogs
    (polib's writer measures every field for wrapping even when nothing is wrapped)."""
    if po.wrapwidth != 0:
        yield (str(po).rstrip("\n") + "\n").encode("utf-8")
        return
    yield "".join("#\n" if not line else f"#{line}\n" if line[0] in ",:" else f"# {line}\n"
                  for line in po.header.split("\n")).encode("utf-8")
    entries = [po.metadata_as_entry()] + [e for e in po if not e.obsolete] + [e for e in po if e.obsolete]
    last = len(entries) - 1
    for i, entry in enumerate(entries):
        text = _entry_text(entry)
        yield (text.rstrip("\n") + "\n" if i == last else text + "\n").encode("utf-8")


def _entry_text(entry: polib.POEntry) -> str:
    """`entry.__unicode__(0)` (polib's text of an entry, unwrapped), without its measuring."""
    lines = []
    if entry.tcomment:
        lines += [f"# {line}" for line in entry.tcomment.split("\n")]
    if not entry.obsolete:
        if entry.comment:
            lines += [f"#. {line}" for line in entry.comment.split("\n")]
        if entry.occurrences:
            lines.append("#: " + " ".join(f"{path}:{line}" if line else path for path, line in entry.occurrences))
    if entry.flags:
        lines.append("#, " + ", ".join(entry.flags))
    prefix = "#~| " if entry.obsolete else "#| "
    for name, value in (("msgctxt", entry.previous_msgctxt), ("msgid", entry.previous_msgid),
                        ("msgid_plural", entry.previous_msgid_plural)):
        if value is not None:
            _field(lines, prefix, name, value)
    prefix = "#~ " if entry.obsolete else ""
    if entry.msgctxt is not None:
        _field(lines, prefix, "msgctxt", entry.msgctxt)
    _field(lines, prefix, "msgid", entry.msgid)
    if entry.msgid_plural:
        _field(lines, prefix, "msgid_plural", entry.msgid_plural)
    if entry.msgstr_plural:
        for index in sorted(entry.msgstr_plural):
            _field(lines, prefix, f"msgstr[{index}]", entry.msgstr_plural[index])
    else:
        _field(lines, prefix, "msgstr", entry.msgstr)
    lines.append("")
    return "\n".join(lines)


def _field(lines: list[str], prefix: str, name: str, value: str) -> None:
    """polib's `_str_field` unwrapped: one line, or an empty first line and one per line of `value`."""
    parts = value.splitlines(True)  # polib's split, U+2028 and all (the parts are concatenated back on reading)
    if len(parts) <= 1:
        lines.append(f'{prefix}{name} "{_escape(value)}"')
    else:
        lines.append(f'{prefix}{name} ""')
        lines += [f'{prefix}"{_escape(part)}"' for part in parts]


_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\r": "\\r", "\n": "\\n", "\v": "\\v", "\b": "\\b",
                         "\f": "\\f", '"': '\\"'})
_NEEDS_ESCAPE = re.compile(r'[\\\t\r\n\v\b\f"]')


def _escape(text: str) -> str:
    """polib.escape."""
    return text.translate(_ESCAPE) if _NEEDS_ESCAPE.search(text) else text

