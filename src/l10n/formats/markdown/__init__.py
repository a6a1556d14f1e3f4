"""Markdown as Hugo reads it (CommonMark, tables, footnotes, math, shortcodes, YAML/TOML/JSON front matter).

One module per idea: `frontmatter` (the metadata block), `segmenter` (the body's block parse into
segments), `inline` (a fragment's markup, from markdown-it-py's own inline parser), `markup` (does a
translation keep it?), `render` (write-back, and what build refuses). `MARKDOWN` puts them behind
the `Format` protocol; nothing outside this package imports its modules. They (and markdown-it-py, PyYAML)
are imported when first used, so a run that only compares digests (an unchanged `extract` or `build`)
never loads them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from ...document import Document
from ...errors import L10nError
from ..format import Inline, Parsed, Piece, Rendered, Settings

if TYPE_CHECKING:
    from ...catalog import Translation
    from .inline import References
    from .segmenter import Body

SEGMENTER_VERSION = "3"  # bump when the same source would give different segments


@dataclass(frozen=True)
class MarkdownInline:
    """Fragments as they read in an article with these link reference definitions (`[text][label]`;
    None: none)."""

    references: References | None = None

    def pieces(self, text: str) -> tuple[Piece, ...]:
        from .inline import parse
        return parse(text, self._references).pieces

    def problems(self, source: str, translation: str) -> list[tuple[str, str]]:
        from .markup import broken_markup
        return broken_markup(source, translation, self._references)

    def refusal(self, source: str, translation: str) -> str | None:
        from .markup import refusal
        return refusal(source, translation, self._references)

    def prose(self, text: str) -> str:
        from .inline import parse
        return parse(text, self._references).prose()

    def carried(self, text: str) -> Counter:
        from .markup import carried
        return carried(text, self._references)

    @property
    def _references(self) -> Any:
        if self.references is None:
            from .inline import NO_REFERENCES
            return NO_REFERENCES
        return self.references


class MarkdownFormat:
    name = "markdown"
    suffixes: tuple[str, ...] = (".md", ".markdown")
    standalone: Inline = MarkdownInline()

    def fingerprint(self, settings: Settings) -> str:
        return f"{SEGMENTER_VERSION}|{','.join(settings.front_matter_keys)}|{','.join(settings.shortcode_params)}"

    def parse(self, doc: Document, settings: Settings, verify: bool = True) -> Parsed:
        from .segmenter import extract_text
        found = extract_text(doc, settings.front_matter_keys, settings.shortcode_params, verify=verify)
        return Parsed(found.segments, found.leftovers, MarkdownInline(found.body.references), found.body)

    def render(self, doc: Document, parsed: Parsed, entries: dict[str, Translation], catalog: str = "") -> Rendered:
        from . import render as _render
        return _render.render(doc, parsed.segments, _body(parsed), entries, catalog)

    def refusals(self, doc: Document, parsed: Parsed, translations: dict[int, str]) -> dict[int, str]:
        from . import render as _render
        return _render.refusals(doc, parsed.segments, _body(parsed), translations)

    def leftover_free(self, doc: Document, parsed: Parsed, rendered: Rendered) -> bool:
        from . import render as _render
        return _render.leftover_free(doc, parsed.segments, rendered.accepted)

    def needs_article(self, source: str, translation: str = "") -> bool:
        from . import render as _render
        return _render.needs_article(source, translation)

    def body_start(self, text: str) -> int:
        from .frontmatter import parse_front_matter
        try:
            front = parse_front_matter(text, ())
        except L10nError:
            return 0
        return front.end if front else 0

    def markup_spans(self, text: str) -> list[tuple[int, int]]:
        from .markup import markup_spans
        return markup_spans(text)


def _body(parsed: Parsed) -> Body:
    """The block parse `MarkdownFormat.parse` left in `parsed`: what the rebuilt article must keep."""
    return cast("Body", parsed.context)


MARKDOWN = MarkdownFormat()
