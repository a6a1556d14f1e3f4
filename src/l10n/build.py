"""Putting translations back: the source text with each translated segment replaced in place."""

from __future__ import annotations

from dataclasses import dataclass, field

import polib

from .document import Document
from .errors import L10nError
from .frontmatter import FORMATS, Replacement, unreadable
from .markup import block_markup_added, broken_markup
from .segments import Segment, encode, unencodable


@dataclass
class Rendered:
    text: str
    translated: int = 0
    untranslated: list[Segment] = field(default_factory=list)
    refused: list[L10nError] = field(default_factory=list)


def refusal(segment: Segment, translation: str) -> str | None:
    """Why writing `translation` in place of `segment` would break the document, or None."""
    problems = broken_markup(segment.msgid, translation)
    if segment.syntax == "block" and (marker := block_markup_added(segment.msgid, translation)):
        problems.append(f"starts a line with {marker!r}, which changes the Markdown structure")
    return "; ".join(problems) or None


def render(doc: Document, segments: list[Segment], entries: dict[str, polib.POEntry],
           catalog: str = "") -> Rendered:
    """Rebuild `doc` with the translations in `entries`; unsafe ones are refused, the rest still applies."""
    out: list[str] = []
    done = Rendered("")
    pos = 0
    unwritable = _front_matter_refusals(doc, segments, entries)
    for segment in segments:
        entry = entries.get(segment.msgid)
        if entry is None:
            done.untranslated.append(segment)
            continue
        problem = (refusal(segment, entry.msgstr) or unencodable(segment, entry.msgstr)
                   or unwritable.get(segment.start))
        if problem:
            where = f" ({catalog}:{entry.linenum})" if catalog else ""
            done.refused.append(L10nError(f"translation refused{where}: {problem}", doc.path, segment.line))
            continue
        out.append(doc.text[pos:segment.start])
        out.append(encode(segment, entry.msgstr, doc.newline_at(segment.start)))
        pos = segment.end
        done.translated += 1
    out.append(doc.text[pos:])
    done.text = "".join(out)
    return done


def _front_matter_refusals(doc: Document, segments: list[Segment],
                           entries: dict[str, polib.POEntry]) -> dict[int, str]:
    """Why each front matter translation that would not read back from the new front matter is refused."""
    values = [Replacement(s.start, s.end, s.syntax, entry.msgstr) for s in segments
              if s.syntax.startswith(FORMATS) and (entry := entries.get(s.msgid)) is not None
              and not refusal(s, entry.msgstr)]
    return unreadable(doc.text, values) if values else {}
