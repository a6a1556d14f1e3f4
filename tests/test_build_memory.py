"""What build holds of a large article instead of whole copies (issue #10), proven to give what it gave before.

- The built article is written, compared and hashed a chunk at a time (`project._output_pieces`): the same
  bytes and digest as the whole text encoded, wherever the chunks end, on the corpus with random translations.
- The catalog is read for what build uses (`pofile.reduce_catalog` + `catalog.usable`): the same metadata,
  statistics and translations as the whole catalog, and the same refusals, on odd and random PO files.
- An article lets its bytes go once decoded (`Article.data`): asked again, they are the bytes read.
"""

from __future__ import annotations

import random
import sys
from functools import partial

import polib
import pytest

from conftest import corpus_files, pseudo
from l10n import document, pofile, project, writes
from l10n.catalog import Stats, Translation, usable
from l10n.document import BOM, Document, decode_document
from l10n.errors import L10nError
from l10n.fingerprint import digest
from l10n.formats.markdown import MARKDOWN
from l10n.formats.markdown.render import encode
from l10n.project import _output
from l10n.runner import Article
from test_catalog_io import BAD, CASES, random_po_files
from test_po_gettext import _catalog as gettext_catalog

ODD = ["", "A\nB", "x | y", "ends with \\", "# heading", "- item", "```", "**bold**", "[^1]", "`code`", "a\u2028b",
       "\ufeff", "tab\there", "<b>tag</b>", "{{< x >}}", "trailing  \n", "$$", '"quoted"', "中文。", "é" * 300]


def _rebuilt_as_before(doc: Document, segments, accepted: dict[int, str]) -> bytes:
    """The built article's bytes as build made them before: the whole text joined, then encoded."""
    out, pos = [], 0
    for i in sorted(accepted):
        segment = segments[i]
        out += [doc.text[pos:segment.start], encode(segment, accepted[i], doc.newline_at(segment.start))]
        pos = segment.end
    out.append(doc.text[pos:])
    return ((BOM if doc.bom else "") + "".join(out)).encode("utf-8")


def _random_translations(segments, rng: random.Random) -> dict[str, Translation]:
    chosen = {}
    for number, segment in enumerate(segments):
        if rng.random() < 0.8:
            text = pseudo(segment.msgid) if rng.random() < 0.6 else rng.choice(ODD) + pseudo(segment.msgid)
            chosen[segment.msgid] = Translation(text, number)
    return chosen


@pytest.mark.parametrize("chunk", [1, 7, document.ENCODED_CHUNK])
@pytest.mark.parametrize("fixture", corpus_files(), ids=lambda p: p.name)
def test_a_streamed_output_is_the_whole_output_byte_for_byte(fixture, chunk, monkeypatch):
    monkeypatch.setattr(document, "ENCODED_CHUNK", chunk)
    data = fixture.read_bytes()
    doc = decode_document(data, fixture.name)
    parsed = MARKDOWN.parse(doc, type("Settings", (), {"front_matter_keys": ("title", "summary", "tags"),
                                                        "shortcode_params": ("caption", "title", "alt")})())
    rng = random.Random(fixture.name + str(chunk))
    for _ in range(20):
        entries = _random_translations(parsed.segments, rng)
        chosen = {i: entries[s.msgid].msgstr for i, s in enumerate(parsed.segments) if s.msgid in entries}
        asked = dict(chosen)
        refused = MARKDOWN.refusals(doc, parsed, asked)
        assert asked == chosen  # judged without being changed
        rendered = MARKDOWN.render(doc, parsed, entries, "x.po")
        assert rendered.accepted == {i: text for i, text in chosen.items() if i not in refused}
        before = _rebuilt_as_before(doc, parsed.segments, rendered.accepted)
        assert _output(doc, rendered) == before  # a usual article: its bytes made once
        with monkeypatch.context() as patched:
            patched.setattr(project, "STREAMED_FROM", 0)  # a long article: a chunk at a time
            output = _output(doc, rendered)
        assert callable(output) and b"".join(output()) == before
        assert digest(output) == digest(before)
        assert writes.holds(before, output)
        assert not writes.holds(before + b"x", output) and not writes.holds(before[:-1], output)
        assert not writes.holds(None, output)


def test_a_digest_of_pieces_is_the_digest_of_their_bytes():
    rng = random.Random(10)
    for _ in range(500):
        parts = [bytes(rng.choice(b"ab\n") for _ in range(rng.randint(0, 9))) for _ in range(rng.randint(1, 3))]
        pieces = [[part[a:b] for a, b in zip([0, *cuts], [*cuts, len(part)])]
                  for part in parts for cuts in [sorted(rng.sample(range(len(part) + 1), min(len(part) + 1, rng.randint(0, 3))))]]
        streamed = [partial(iter, split) if rng.random() < 0.5 else part for split, part in zip(pieces, parts)]
        assert digest(*streamed) == digest(*parts)


def _stats_as_before(po: polib.POFile) -> Stats:
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


def _read_as_before(data: bytes, use_fuzzy: bool):
    """(metadata, statistics, msgid -> (msgstr, line)) as build took them from the whole catalog, or its refusal."""
    try:
        po = pofile.parse_catalog(data, "x.po")
    except L10nError as exc:
        return ("refused", str(exc), exc.line)
    usable_entries = {e.msgid: (e.msgstr, e.linenum) for e in po
                      if not e.obsolete and e.msgstr and (use_fuzzy or "fuzzy" not in e.flags)}
    return po.metadata, _stats_as_before(po), usable_entries


def _read_now(data: bytes, use_fuzzy: bool):
    try:
        found = pofile.reduce_catalog(data, "x.po", partial(usable, use_fuzzy=use_fuzzy))
    except L10nError as exc:
        return ("refused", str(exc), exc.line)
    assert all(msgid is sys.intern(msgid) for msgid in found.translations)  # shared with the segments'
    return found.metadata, found.stats, {msgid: tuple(t) for msgid, t in found.translations.items()}


@pytest.mark.parametrize("use_fuzzy", [False, True])
def test_build_reads_from_a_catalog_what_the_whole_catalog_gives(use_fuzzy):
    rng = random.Random(31)  # and comment lines of every form gettext reads or refuses, anywhere
    texts = [*CASES.values(), *BAD.values(), *random_po_files(30, 1500),
             *("\n".join(gettext_catalog(rng)) + "\n" for _ in range(500))]
    texts += [CASES["plain"] + 'msgctxt "c"\nmsgid ""\nmsgstr "second header"\n',  # other candidates for the header
              CASES["plain"] + 'msgctxt ""\nmsgid ""\nmsgstr "Language: fr\\n"\n',  # polib takes this one
              CASES["plain"] + '#~ msgid ""\n#~ msgstr "obsolete"\n',
              'msgid "a"\nmsgstr "A"\n\n' + CASES["plain"][CASES["plain"].index("msgid"):]]
    for text in texts:
        data = text.encode("utf-8")
        assert _read_now(data, use_fuzzy) == _read_as_before(data, use_fuzzy), text
    for data in (b'msgid "a"\nmsgstr "\xff"\n', b"\xef\xbb\xbf" + CASES["plain"].encode()):
        assert _read_now(data, use_fuzzy) == _read_as_before(data, use_fuzzy)


def test_l10n_catalogs_are_read_an_entry_at_a_time(monkeypatch):
    """The streamed reading is the common one: a catalog l10n wrote is never parsed whole for build."""
    monkeypatch.setattr(pofile, "_parse_text", None)
    for name in ("seed", "plain", "u2028", "multiline", "escapes", "fuzzy-previous", "previous-context", "obsolete",
                 "context", "fuzzy-header", "raw-tab"):
        assert pofile.reduce_catalog(CASES[name].encode(), "x.po", usable).stats.total > 0


@pytest.mark.parametrize("fixture", corpus_files(), ids=lambda p: p.name)
def test_an_article_lets_its_bytes_go_once_decoded_and_gives_them_back(project, fixture):
    data = fixture.read_bytes()
    article = Article(project.config, project.root / "content" / "zh" / fixture.name, fixture.name, data)
    digest_before = article.digest
    assert article.data is data
    _ = article.extraction
    assert article._data is None
    assert article.data == data and article.digest == digest_before
