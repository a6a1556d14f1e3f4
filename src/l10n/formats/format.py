"""What the core asks of an input format, and the data a format hands back.

A format (see `formats/markdown/`) turns a decoded source `Document` into segments and writes
translations back into it; everything it knows about its syntax stays behind these two protocols.
`Format` reads and writes whole articles; `Inline` reads one fragment (a msgid or a translation) as
it would stand in an article, with what that article defines (Markdown: its link references).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

from ..document import Document
from ..errors import L10nError
from ..segment import Segment

if TYPE_CHECKING:
    from ..catalog import Translation

Settings = Any  # the project's `config.Config`: each format reads its own settings from it


@dataclass(frozen=True)
class Piece:
    """A located piece of markup in a fragment: an atom kept verbatim, or a bracket/marker around text that is
    translated. Machine translation hides each behind a placeholder (`placeholders.protect`)."""

    kind: str  # the format's name for it (Markdown: code, html, link, emphasis...; "footnote": `[^label]`)
    start: int
    end: int
    role: str = "atom"  # atom, open or close
    pair: int = -1  # for a close: the index of its open among the pieces
    value: str | None = None  # what to write back when not the source text: `[label]` becomes `[text][label]`


@dataclass(frozen=True)
class Leftover:
    """Source-language text of the body that no segment offers for translation."""

    line: int  # 1-based
    text: str
    limit: str = ""  # the documented limit it falls under ("HTML block"...); empty: text the parser missed

    def message(self) -> str:
        if self.limit:
            return f"{self.limit} not offered for translation: {self.text!r} stays as it is"
        return (f"text not offered for translation: {self.text!r} is in no segment (Markdown the parser does not "
                "read as text, e.g. a table cell beyond the header's columns); fix the Markdown or report a bug")


class Inline(Protocol):
    """How one article's format reads a fragment of it: what the markup checks, build and MT agree on."""

    def pieces(self, text: str) -> tuple[Piece, ...]:
        """The markup of `text` that must survive machine translation verbatim, in order."""

    def problems(self, source: str, translation: str) -> list[tuple[str, str]]:
        """(kind, why) for each way `translation` does not carry the markup of `source` (the markup checks)."""

    def refusal(self, source: str, translation: str) -> str | None:
        """Why `translation` may not be written in place of `source` on its own merits, or None."""

    def prose(self, text: str) -> str:
        """`text` with its markup blanked out: what a reader reads (the language and number checks, align)."""

    def carried(self, text: str) -> Counter:
        """The markup a translation carries over unchanged, as one multiset of (kind, item) (align compares it)."""


@dataclass(frozen=True)
class Parsed:
    """An article as its format read it."""

    segments: list[Segment]  # in document order
    leftovers: list[Leftover]  # in document order: text kept in the source language, for a documented reason
    inline: Inline  # how this article's fragments are read
    context: object = None  # what the format needs again to write this article back (only it looks inside)


@dataclass
class Rendered:
    """An article rebuilt with the translations that may be written; what was left out, and why."""

    segments: list[Segment]
    write: Callable[[dict[int, str]], Iterator[str]] = field(repr=False)  # the format's write-back of chosen
    # translations, a piece at a time
    accepted: dict[int, str] = field(default_factory=dict)  # segment index -> translation written
    untranslated: list[Segment] = field(default_factory=list)
    refused: list[L10nError] = field(default_factory=list)
    restructuring: list[tuple[Segment, str]] = field(default_factory=list)  # refused for the document structure

    @property
    def translated(self) -> int:
        return len(self.accepted)

    def pieces(self) -> Iterator[str]:
        """The rebuilt document a piece at a time, made anew at each call: build writes, compares and hashes
        a large article without holding it whole."""
        return self.write(self.accepted)

    @cached_property
    def text(self) -> str:
        """The rebuilt document, made when first asked (`check` needs it only for an output not built here)."""
        return "".join(self.pieces())


class Format(Protocol):
    """An input format: the members extract, build, check, translate and review use, and nothing else."""

    name: str
    suffixes: tuple[str, ...]  # the file names it reads (`.md`): see `formats.format_for`
    standalone: Inline  # how a fragment is read outside any article

    def fingerprint(self, settings: Settings) -> str:
        """What besides the source decides its segments (version, settings): in every catalog's source digest."""

    def parse(self, doc: Document, settings: Settings, verify: bool = True) -> Parsed:
        """The segments of `doc`; with `verify`, an `L10nError` if text would be lost, else that text among the
        leftovers (a translated edition: align, check's han-output)."""

    def render(self, doc: Document, parsed: Parsed, entries: dict[str, Translation], catalog: str = "") -> Rendered:
        """`doc` rebuilt with the translations of `entries` (by msgid); unsafe ones refused, naming `catalog`."""

    def refusals(self, doc: Document, parsed: Parsed, translations: dict[int, str]) -> dict[int, str]:
        """Why each refused translation (segment index -> text) may not be written; the others may, together."""

    def leftover_free(self, doc: Document, parsed: Parsed, rendered: Rendered) -> bool:
        """Whether the article `rendered` writes provably holds no leftover (see `parse`), known without
        parsing it (check's han-output); False: not known."""

    def needs_article(self, source: str, translation: str = "") -> bool:
        """Whether reading `source` (and judging `translation`) needs the article's own `Parsed.inline`."""

    def body_start(self, text: str) -> int:
        """Where the text a reader reads starts, after any metadata (the review's reader view)."""

    def markup_spans(self, text: str) -> list[tuple[int, int]]:
        """The spans of `text` that are markup, not words (the review highlights no term inside them)."""
