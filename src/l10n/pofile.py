"""PO files read and written: a strict reader of our own and a direct writer, both agreeing with polib exactly.

polib forgives what would lose or corrupt a translation (a malformed line, a stray CR, an escape gettext reads
otherwise, a duplicate msgid): the reader refuses it at its line. polib's parser changes state a line at a time
and its writer measures every field for wrapping: the usual forms are read an entry at a time and written directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path

import polib

from .confine import read_file
from .errors import L10nError, line_in

SOURCE_HEADER = "X-Source-Path"  # the source a catalog was extracted from, as users see its path
DIGEST_HEADER = "X-Source-Digest"  # the digest of the source a catalog was extracted from (`read_header` looks for it)
WRAP_WIDTH = 0  # no wrapping (like `msgcat --no-wrap`): one line per message, clean diffs


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
    """The catalog in `data`, checked strictly (`_check_syntax`) and parsed as polib parses a file.

    The usual file (the forms l10n and gettext tools write, nothing to refuse) is read an entry at a time
    (`_parse_entries`); any other, a line at a time (`_parse`), which refuses a broken file at its line;
    a file with rarer forms (plurals, obsolete comments...) is checked, then parsed by polib from the same
    text, split at line ends only (polib's own string parser would also split at U+2028).
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise L10nError("PO file is not UTF-8", display, data.count(b"\n", 0, exc.start) + 1) from None
    po = _parse_entries(text)
    if po is None:
        po = _parse(text, display)
    if po is None:
        _check_syntax(text, display)
        try:
            po = polib.pofile(_Lines(text), wrapwidth=WRAP_WIDTH, encoding="utf-8")
        except (OSError, ValueError) as exc:
            message = re.sub(r"\s*\(line \d+\)", "", str(exc))
            raise L10nError(f"cannot read PO file: {message}", display, line_in(exc)) from None
    po.fpath = fpath  # type: ignore[assignment]  # polib leaves it None for a text; types-polib says str
    return po


class _Lines(str):
    """A PO text that polib splits at line ends only (LF, with CRLF's CR stripped as polib strips lines)."""

    def splitlines(self, keepends: bool = False) -> list[str]:
        return self.split("\n")


def _check_syntax(text: str, display: str) -> None:
    """Refuse, with its line, what polib would read wrongly or msgfmt refuses, in one pass over the lines.

    - a malformed line or unterminated string (polib would drop a translation);
    - a CR that is not part of a CRLF line end (polib reads it as a line break, cutting a string);
    - an escape gettext and polib read differently, a control character other than tab and newline
      in a msgstr (it would be written into the built article);
    - a second entry with the same msgctxt and msgid, obsolete or not (msgfmt refuses the file; build
      would use one of them silently).
    """
    first_line: dict[tuple[str | None, str], int] = {}
    keyword, context, msgid, msgid_line = "", None, "", 0
    for number, line in enumerate(text.split("\n"), 1):  # not splitlines(): U+2028 is text here
        line = line[:-1] if line.endswith("\r") else line
        if "\r" in line:
            raise L10nError("PO syntax error: carriage return inside a line (only CRLF and LF line ends "
                            "are allowed)", display, number)
        code = line[2:].lstrip() if line.startswith("#~") else line.strip()
        if not code or code.startswith(("#", "|")):  # comments; `#~|`: previous msgid of an obsolete entry
            continue
        match = _PO_LINE.fullmatch(code)
        if not match or not (match.group(1) or keyword):
            raise L10nError(f"PO syntax error: {line.strip()[:60]!r}", display, number)
        if match.group(1):
            if match.group(1) == "msgctxt" or (match.group(1) == "msgid" and keyword != "msgctxt"):
                context = None  # a new entry starts
            if match.group(1) == "msgid":
                msgid_line = number
            elif match.group(1).startswith("msgstr") and keyword in ("msgid", "msgid_plural"):
                key = (context, msgid)
                if key in first_line:
                    raise L10nError(f"duplicate message definition (first defined on line {first_line[key]})",
                                    display, msgid_line)
                first_line[key] = msgid_line
            keyword = match.group(1)
        try:
            value = _SPECIAL.sub(partial(_unescape, translation=keyword.startswith("msgstr")), match.group(2))
        except ValueError as exc:
            raise L10nError(f"PO syntax error: {exc}", display, number) from None
        if keyword == "msgctxt":
            context = value if match.group(1) else (context or "") + value  # continues a msgctxt line
        elif keyword == "msgid":
            msgid = value if match.group(1) else msgid + value


# polib's parser as a table: (symbol, state) -> next state, for the symbols `_parse` handles. A pair
# missing from it is a syntax error for polib, left to polib to report.
_ALL_STATES = ("st", "he", "gc", "oc", "fl", "ct", "pc", "pm", "pp", "tc", "ms", "mp", "mx", "mi")
_TRANSITIONS = {
    **{("tc", s): "he" for s in ("st", "he")},
    **{("tc", s): "tc" for s in ("gc", "oc", "fl", "tc", "pc", "pm", "pp", "ms", "mp", "mx", "mi")},
    **{(sym, s): sym for sym in ("gc", "oc", "fl", "pc", "pm", "pp") for s in _ALL_STATES},
    **{("ct", s): "ct" for s in ("st", "he", "gc", "oc", "fl", "tc", "pc", "pm", "pp", "ms", "mx")},
    **{("mi", s): "mi" for s in ("st", "he", "gc", "oc", "fl", "ct", "tc", "pc", "pm", "pp", "ms", "mx")},
    **{("ms", s): "ms" for s in ("mi", "mp", "tc")},
}
_CONTINUES = {"ct": "msgctxt", "mi": "msgid", "ms": "msgstr", "pm": "previous_msgid", "pc": "previous_msgctxt",
              "pp": "previous_msgid_plural"}  # the field a `"..."` line continues, by state
_KEYWORD_SYMBOLS = {"msgctxt": "ct", "msgid": "mi", "msgstr": "ms"}
_PREVIOUS_SYMBOLS = {"msgid": "pm", "msgctxt": "pc", "msgid_plural": "pp"}


def _parse(text: str, display: str) -> polib.POFile | None:
    """`_check_syntax` and polib's parse in one pass over the lines: the same refusals, raised at the same
    line, and the same catalog (entries, header, metadata, line numbers) as `polib.pofile` reads.

    Returns None, having refused nothing, for a file with a form it leaves to polib (plural forms, a
    comment or keyword written unusually, a sequence polib refuses): the caller then checks the whole
    file and lets polib parse it. Values are the strings `_check_syntax` unescapes, which are polib's
    for every escape the check lets through.
    """
    po = polib.POFile(wrapwidth=WRAP_WIDTH, encoding="utf-8", check_for_duplicates=False)
    first_line: dict[tuple[str | None, str], int] = {}
    keyword, context, msgid, msgid_line = "", None, "", 0
    entry = polib.POEntry(linenum=0)
    state, last_comment = "st", False  # last_comment: the last non-blank line is a comment for polib
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
            return None  # indented or trailing blanks: polib's tokenising, not ours
        if line[0] == "#":
            obsolete = line.startswith("#~")
            if not obsolete or line.startswith("#~|"):  # a comment for both the check and polib
                tokens = line.split(None, 2)
                head, last_comment = tokens[0], True
                if head == "#~|":
                    continue
                if head in ("#:", "#,", "#.") and len(tokens) == 1:
                    continue
                if head == "#:":
                    symbol = "oc"
                elif head == "#,":
                    symbol = "fl"
                elif head == "#" or head.startswith("##"):
                    symbol = "tc"
                elif head == "#.":
                    symbol = "gc"
                elif head == "#|" and len(tokens) == 3 and tokens[1] in _PREVIOUS_SYMBOLS:
                    symbol = _PREVIOUS_SYMBOLS[tokens[1]]
                else:
                    return None
                following = _TRANSITIONS.get((symbol, state))
                if following is None:
                    return None
                if state in ("ms", "mx"):
                    po.append(entry)
                    entry = polib.POEntry(linenum=number)
                if following == "he":
                    po.header = f"{po.header}\n{line[2:]}" if po.header else line[2:]
                elif symbol == "tc":
                    comment = line.lstrip("#")
                    comment = comment[1:] if comment.startswith(" ") else comment
                    entry.tcomment = f"{entry.tcomment}\n{comment}" if entry.tcomment else comment
                elif symbol == "gc":
                    entry.comment = f"{entry.comment}\n{line[3:]}" if entry.comment else line[3:]
                elif symbol == "oc":
                    entry.occurrences += _occurrences(line[3:])
                elif symbol == "fl":
                    entry.flags += _flags(line[3:])
                else:  # a previous msgid, msgctxt or msgid_plural: read as polib reads it, unchecked
                    value = line[2:].lstrip()[len(tokens[1]):].lstrip()
                    setattr(entry, _CONTINUES[symbol], polib.unescape(value[1:-1]))
                state = following
                continue
            code = line[3:].lstrip()
            if line[2:3] != " " or code.startswith(("#", "|")):
                return None  # `#~msgid`, a comment of an obsolete entry: polib's reading
        else:
            obsolete, code = False, line
        match = po_line(code)
        if not match or not (match.group(1) or keyword):
            raise L10nError(f"PO syntax error: {line.strip()[:60]!r}", display, number)
        name = match.group(1)
        if name:
            if name == "msgctxt" or (name == "msgid" and keyword != "msgctxt"):
                context = None  # a new entry starts
            if name == "msgid":
                msgid_line = number
            elif name.startswith("msgstr") and keyword in ("msgid", "msgid_plural"):
                key = (context, msgid)
                if key in first_line:
                    raise L10nError(f"duplicate message definition (first defined on line {first_line[key]})",
                                    display, msgid_line)
                first_line[key] = msgid_line
            keyword = name
        raw = match.group(2)
        if special.search(raw):
            try:
                value = special_sub(partial(escapes, translation=keyword.startswith("msgstr")), raw)
            except ValueError as exc:
                raise L10nError(f"PO syntax error: {exc}", display, number) from None
        else:
            value = raw
        if keyword == "msgctxt":
            context = value if name else (context or "") + value  # continues a msgctxt line
        elif keyword == "msgid":
            msgid = value if name else msgid + value
        last_comment = False
        if name:
            symbol = _KEYWORD_SYMBOLS.get(name, "")
            following = _TRANSITIONS.get((symbol, state)) if symbol else None
            if following is None:
                return None
            if state in ("ms", "mx") and symbol != "ms":
                po.append(entry)
                entry = polib.POEntry(linenum=number)
            if symbol == "mi":
                entry.obsolete = 1 if obsolete else 0  # type: ignore[assignment]  # polib's own 1/0 (stubs: bool)
            setattr(entry, _CONTINUES[symbol], value)
            state = following
        else:
            field_name = _CONTINUES.get(state)
            if field_name is None:
                return None
            setattr(entry, field_name, getattr(entry, field_name) + value)
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
    rf"(?:(?:#\| msgctxt {_STRING}\n)?(?:#\| msgid {_STRING}\n)?"
    rf"(?:msgctxt {_STRING}\n{_LINES})?msgid {_STRING}\n{_LINES}msgstr {_STRING}\n{_LINES}"
    rf"|((?:#~\| {_TEXT}\n)*)"  # the previous msgid of an obsolete entry: polib skips it
    rf"(?:#~ msgctxt {_STRING}\n{_OBSOLETE_LINES})?#~ msgid {_STRING}\n{_OBSOLETE_LINES}"
    rf"#~ msgstr {_STRING}\n{_OBSOLETE_LINES})\n*")
_CONTINUED = re.compile(_STRING)


def _parse_entries(text: str) -> polib.POFile | None:
    """`_parse`'s catalog for a usual file, read an entry at a time (one regex match, not a state change
    per line); None for anything else, a file to refuse included: `_parse` then reads it a line at a time.
    """
    if "\r" in text:
        return None  # a CRLF line end (or a CR to refuse): the line parser's
    if not text.endswith("\n"):
        text += "\n"  # the same lines for `_parse`: it ignores the blank one this adds
    head = _HEADER_COMMENTS.match(text)
    assert head is not None  # `*`: it matches the empty string too
    po = polib.POFile(wrapwidth=WRAP_WIDTH, encoding="utf-8", check_for_duplicates=False)
    po.header = _joined(line[2:] for line in head.group().split("\n") if line)
    pos, number, end = head.end(), 1 + head.group().count("\n"), len(text)  # number: the line at `pos`
    seen: set[tuple[str | None, str]] = set()
    entries: list[polib.POEntry] = []
    match_entry, count = _ENTRY.match, text.count
    while pos < end:
        match = match_entry(text, pos)
        if match is None:
            return None
        fields = match.groups()
        obsolete = fields[8] is None  # the first branch's msgid: absent in an obsolete entry
        context, context_more, msgid, msgid_more, msgstr, msgstr_more = fields[13:] if obsolete else fields[6:12]
        try:
            ctxt = None if context is None else _string(context, context_more, False)
            key = (ctxt, _string(msgid, msgid_more, False))
            translation = _string(msgstr, msgstr_more, True)
        except ValueError:
            return None  # an escape or control character to refuse
        if key in seen:
            return None  # a duplicate to refuse
        seen.add(key)
        tcomments, comments, occurrences, flags, previous_context, previous_msgid = fields[:6]
        # polib's line of an entry: its first, past an obsolete entry's `#~|` lines; 0 for the first entry
        skipped = fields[12].count("\n") if obsolete and not any(fields[:4]) else 0
        linenum = number + skipped if entries else 0
        entries.append(_entry(
            msgid=key[1], msgstr=translation, msgctxt=ctxt, obsolete=1 if obsolete else 0, linenum=linenum,
            tcomment=_joined(line[2:] for line in tcomments[:-1].split("\n")) if tcomments else "",
            comment=comments[3:-1].replace("\n#. ", "\n") if comments else "",  # no line of them is empty
            occurrences=_occurrences(occurrences[3:-1].replace("\n#: ", " ")) if occurrences else [],
            flags=_flags(flags[3:-1].replace("\n#, ", ",")) if flags else [],
            previous_msgctxt=None if previous_context is None else polib.unescape(previous_context),
            previous_msgid=None if previous_msgid is None else polib.unescape(previous_msgid)))
        number += count("\n", pos, match.end())
        pos = match.end()
    if not entries:
        return None
    po.extend(entries)
    _take_metadata(po)
    return po


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
    """The flags of a `#,` line, read as polib reads them."""
    return [flag.strip() for flag in text.split(",")]


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

