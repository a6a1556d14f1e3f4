"""A segment: one translatable run of a source article, as every format hands it to the core."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass

TITLE = "title"  # the role of the article's title: context for machine translation, the review's index


@dataclass(frozen=True, slots=True)  # slots: a large article has tens of thousands, all held at once
class Segment:
    """A translatable run of the source: `text[start:end]` is replaced by the translation."""

    msgid: str
    comment: str  # what the segment is, in words for translators (`#.` in the PO file): footnote [^7]...
    line: int  # 1-based source line (`#:` in the PO file)
    start: int
    end: int
    syntax: str  # how a translation is written back: data that only the segment's format interprets
    prefix: str = ""  # written after each line break of a multi-line translation (the format's data too)
    kind: str = ""  # what the segment is, without its details: heading, paragraph, footnote, front matter...
    key: str = ""  # what names it in every edition of the article: a metadata key (`tags[2]`), a footnote (`^7`)
    depth: int = 0  # how deeply quoted it stands (blockquotes)
    role: str = ""  # what the core needs to know besides the text: TITLE, or nothing

    def __post_init__(self) -> None:
        # Interned, as build's catalog keys are (`catalog.translations`): a large article's segments and its
        # catalog, held together while build renders it, share one copy of each text instead of two.
        object.__setattr__(self, "msgid", sys.intern(self.msgid))


def title_of(segments: Iterable[Segment]) -> str:
    """The article's title among its segments, or ""."""
    return next((s.msgid for s in segments if s.role == TITLE), "")
