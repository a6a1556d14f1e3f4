"""The PO reader against gettext itself: every comment line form, refused exactly when msgfmt refuses it, and
read as gettext reads it (msgcat writes its reading back in the usual forms).

Random catalogs get random comment lines (`#TODO`, `#!fuzzy`, `#|msgid`, `#~ # note`, a `#|` line with a
comment, an unterminated string...) anywhere past the header's comments, inside entries included (polib
drops a comment that follows the header's `#,` line: the header's comments are l10n's own). Deliberate
differences stay out of the generator and are tested on their own in test_catalog_io: escapes gettext and
polib read differently, two strings on one line, two entries for one msgid under different msgctxt.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from l10n.errors import L10nError
from l10n.pofile import catalog_bytes, parse_catalog

# CI installs gettext; elsewhere these tests are skipped when it is missing.
pytestmark = pytest.mark.skipif(shutil.which("msgcat") is None and not os.environ.get("CI"),
                                reason="needs GNU gettext (msgfmt, msgcat)")

HEADER = ['# en translation of a.md', '#', 'msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"',
          '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', '']
MARKS = ["#", "# ", "#\t", "##", "#.", "#. ", "#:", "#: ", "#,", "#, ", "#!", "#~", "#~ ", "#|", "#| ", "#~|",
         "#~| ", "  #", "#~ #", "#| #", "#|#", "#~|#"]
BODIES = ["", "TODO", "note x", " two", "fuzzy", "c-format, fuzzy", "fuzzy no-wrap", "a.md:3", 'msgid "old"',
          'msgctxt "c"', 'msgid_plural "p"', 'msgstr "s"', '"cont"', 'msgid "open', "#x", "中文", '"', "x  "]
FLAGS = {"fuzzy", "c-format", "no-wrap"}


def _catalog(rng: random.Random) -> list[str]:
    lines = list(HEADER)
    for number in range(rng.choice((1, 2, 3))):
        obsolete = rng.random() < 0.3
        prefix = "#~ " if obsolete else ""
        if rng.random() < 0.3:
            lines += ["#, fuzzy", f'{"#~| " if obsolete else "#| "}msgid "was {number}"']
        lines += [f'{prefix}msgid "m{number}"', f'{prefix}msgstr "T{number}"', ""]
    for _ in range(rng.choice((1, 1, 2, 3))):
        lines.insert(rng.randrange(len(HEADER) - 4, len(lines) + 1), rng.choice(MARKS) + rng.choice(BODIES))
    return lines


def _gettext(path: Path) -> polib.POFile | None:
    """gettext's reading of a file (msgcat's writing of it, read back), or None if msgfmt refuses it."""
    if subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True).returncode:
        return None
    written = subprocess.run(["msgcat", "--no-wrap", str(path)], capture_output=True, check=True).stdout
    return parse_catalog(written, "msgcat")


def _reading(po: polib.POFile) -> list[tuple[tuple, set[str]]]:
    """What build, check and extract read of each entry and the header, with their flags apart (occurrences
    aside: extract writes them anew). Lines of comments lose their trailing blanks (polib's tokenising), and
    empty extracted-comment lines go (all of an obsolete entry's: polib's writer, like l10n's, leaves them
    out); of the flags, those gettext knows (it drops the others, l10n keeps them)."""
    def lines(text: str) -> list[str]:
        return [line.rstrip() for line in text.split("\n")] if text else []
    entries = sorted(((e.msgid, e.msgstr, e.obsolete, lines(e.tcomment),
                       [c for c in lines(e.comment) if c and not e.obsolete], e.previous_msgid or "",
                       e.previous_msgctxt or ""), set(e.flags) & FLAGS) for e in po)
    return entries + [(("header", lines(po.header)), set(po.metadata_is_fuzzy or []) & FLAGS)]


def test_comment_lines_are_refused_and_read_as_gettext_does(tmp_path):
    rng = random.Random(8)
    accepted = refused = 0
    for number in range(400):
        text = "\n".join(_catalog(rng)) + "\n"
        path = tmp_path / f"{number}.po"
        path.write_text(text, encoding="utf-8")
        theirs = _gettext(path)
        try:
            ours = parse_catalog(text.encode("utf-8"), "x.po")
        except L10nError as exc:
            assert theirs is None, f"refused what msgfmt accepts ({exc}):\n{text}"
            refused += 1
            continue
        assert theirs is not None, f"accepted what msgfmt refuses:\n{text}"
        accepted += 1
        mine, gettexts = _reading(ours), _reading(theirs)
        assert [fields for fields, _ in mine] == [fields for fields, _ in gettexts], text
        # gettext keeps the flags of an entry's last `#,` line only (`#, fuzzy` then `#, c-format` is not
        # fuzzy to msgfmt); l10n keeps them all: an entry a person marked fuzzy is never used as reviewed
        assert all(flags >= their_flags for (_, flags), (_, their_flags) in zip(mine, gettexts)), text
        again = catalog_bytes(ours)  # written as l10n writes it: msgfmt accepts it, and it reads the same
        assert _reading(parse_catalog(again, "x.po")) == mine
        (tmp_path / "again.po").write_bytes(again)
        assert _gettext(tmp_path / "again.po") is not None, again.decode()
    assert accepted > 80 and refused > 80  # both verdicts are well represented


def test_a_byte_order_mark_is_named():
    with pytest.raises(L10nError, match="byte-order mark"):
        parse_catalog("\ufeff".encode() + b'msgid "a"\nmsgstr "A"\n', "x.po")


@pytest.mark.parametrize("last", ["#:", "#,", "#.", "#~|", "#~"])
def test_an_empty_comment_ending_the_file_keeps_the_last_entry(last):
    """polib drops the last entry when the file ends with such a line; gettext reads it as nothing."""
    po = parse_catalog(f'msgid "a"\nmsgstr "A"\n\nmsgid "b"\nmsgstr "B"\n{last}\n'.encode(), "x.po")
    assert [e.msgid for e in po] == ["a", "b"]
