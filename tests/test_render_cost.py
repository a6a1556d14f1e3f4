"""What build pays per article, as properties that can break: block parses, and the pre-screen that spares them."""

from __future__ import annotations

import itertools
from pathlib import Path

import polib
import pytest

from l10n.catalog import translations
from l10n.document import Document
from l10n.formats.markdown import render as render_module
from l10n.formats.markdown import segmenter
from l10n.formats.markdown.render import _MAY_RESTRUCTURE, render
from l10n.formats.markdown.segmenter import block_structure, extract_text

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "content/zh/posts/xai-burn-rate.md"
SEED_PO = REPO / "locales/en/posts/xai-burn-rate.po"

# Where a segment can stand, each with its first segment's text replaced by `{}`.
CONTEXTS = ["{}\n\n后文。\n", "前文。\n\n{}\n", "- {}\n- 其他\n", "1. {}\n2. 其他\n", "> {}\n> 续行\n",
            "## {}\n\n后文。\n", "{}\n===\n\n后文。\n", "前文\n\n* {}\n\n  续段\n", "[^1]: {}\n\n后文[^1]。\n",
            "{} | 乙\n--- | ---\n丙 | 丁\n", "| 甲 | 乙 |\n|---|---|\n| {} | 丁 |\n", "- [ ] {}\n", "> - {}\n>\n> 后文\n",
            "{}\n: 定义\n", "术语\n: {}\n", "术语\n\n: {}\n", "前文。\n\n\n{}\n", "- 前文\n\n  {}\n"]
STARTS = ["", "*", "**", "***", "* ", "-", "--", "---", "- ", "+", "+ ", "_", "__", "___", "_ _ _", "=", "==", "= ",
          "1", "1.", "1. ", "1)", "12.5", "2025.", "2025. ", "1234567890. ", "#", "# ", "####### ", ">", "`", "``",
          "```", "~", "~~", "~~~", "$", "$$", "<", "<div>", "<!--", "[", "[x]", "[x]:", "[^1]:", "[x] :", "!", ":",
          "{", "{{< x >}}", " ", "\t", "\u3000", "|", ": ", ":\t", "~ ", "[ ] ", "[ ]", "[X]", "[\t]"]
ENDS = ["", "A", "A b", " ", "**", "*", "-", "x]: /u", "`", "$$", ":"]


def _structure_changes(context: str, translation: str) -> bool:
    doc = Document("x.md", context.format("中文段落"))
    found = extract_text(doc, (), ())
    first = found.segments[0]
    text = doc.text[:first.start] + translation + doc.text[first.end:]
    return block_structure(text, found.body.start) != found.body.structure


@pytest.mark.parametrize("context", CONTEXTS)
def test_a_translation_the_prescreen_lets_through_never_changes_the_blocks(context):
    """The pre-screen may suspect too much (a block parse decides), never too little."""
    missed = [start + end for start, end in itertools.product(STARTS, ENDS)
              if start + end and not _MAY_RESTRUCTURE.search(start + end) and _structure_changes(context, start + end)]
    assert missed == []


@pytest.mark.parametrize("translation", ["**Bold:** text", "[a link](https://x.org) text", "`code` text",
                                         "2025 was a year", "$5 billion", "-1 degree", "_emphasis_ here", "1.5 times"])
def test_common_paragraph_openings_are_not_suspects(translation):
    assert not _MAY_RESTRUCTURE.search(translation)


def test_building_the_seed_parses_its_blocks_once(monkeypatch):
    """The source's block structure comes from extraction's parse; the rebuilt article is parsed only when a
    translation may restructure it, and the seed's translations cannot."""
    parses = []
    real = segmenter._parse_blocks
    monkeypatch.setattr(segmenter, "_parse_blocks", lambda *args: parses.append(1) or real(*args))
    doc = Document(str(SEED), SEED.read_text(encoding="utf-8"))
    found = extract_text(doc, ("title", "summary", "tags"), ())
    assert len(parses) == 1
    rendered = render(doc, found.segments, found.body, translations(polib.pofile(str(SEED_PO)), False))
    assert len(rendered.accepted) > 30 and not rendered.refused
    assert len(parses) == 1
    # A suspect translation costs one parse of the rebuilt article (the only suspect: no bisection).
    entries = translations(polib.pofile(str(SEED_PO)), False)
    first = next(s for s in found.segments if s.kind == "paragraph")
    entries[first.msgid] = polib.POEntry(msgid=first.msgid, msgstr="* not a list any more")
    rendered = render_module.render(doc, found.segments, found.body, entries)
    assert [s.msgid for s, _ in rendered.restructuring] == [first.msgid]
    assert len(parses) == 2
