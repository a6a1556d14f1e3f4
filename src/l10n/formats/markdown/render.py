"""Putting translations back: the source text with each translated segment replaced in place.

`encode` writes a translation in its segment's syntax. What may be written is decided by `refusals`,
the one judgement build, `check` and machine translation share: a translation must carry its segment's
inline markup (`markup.refusal`), and the article rebuilt with it must parse to the same Markdown blocks
as the source outside the segments' own text. The second rule is checked on the whole article at once
(one extra block parse), so it catches every way a translation can change the document's structure (a raw
CR before `#`, a setext underline, a fence, an HTML comment...), not a list of known markers; only when
the structure differs is the culprit searched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from ...document import Document
from ...errors import L10nError
from ...segment import Segment
from ..format import Rendered
from .frontmatter import FORMATS, Replacement, quote, unreadable
from .markup import refusal
from .segmenter import Body, block_structure, han_outside

if TYPE_CHECKING:
    from ...catalog import Translation

# A translation without these cannot change the blocks around it: no line break of any kind, no pipe, and
# nothing that can open a block where the segment starts (it starts where the source text started):
# indentation, a heading, quote, HTML or shortcode opener, a list marker (`*`, `-`, `+` or `1.`, `1)`
# followed by a space or nothing), a line of only `*`, `-`, `_` or `=` (a rule, a setext underline), a
# fence or math block (three backticks or tildes, `$$`), a link reference or footnote definition (`[x]:`),
# a definition (`: `, or `~ ` to markdown-it) or a task list box (`[x]`, see `segmenter.hugo_reading`).
# `**Bold** text`, `[a link](url)`, `` `code` `` or `2025 was...` at the start of a paragraph open
# none, so the common translation needs no block parse of the rebuilt article.
_MAY_RESTRUCTURE = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029|]|^(?:[\s#>:!{<~]|\$\$|[*+\-](?:[ \t]|$)"
                              r"|\d{1,9}[.)](?:[ \t]|$)|([*\-_=])[ \t]*(?:\1[ \t]*)*$|```|\[.*\]:|\[[\sxX]\])")


def refusals(doc: Document, segments: list[Segment], body: Body, translations: dict[int, str]) -> dict[int, str]:
    """Why each refused translation (`segments` index -> text) may not be written; the others may, together."""
    refused, restructuring = _judged(doc, segments, body, dict(translations))
    return refused | restructuring


def _judged(doc: Document, segments: list[Segment], body: Body,
            translations: dict[int, str]) -> tuple[dict[int, str], dict[int, str]]:
    """(what each translation earns itself, what the others together do to the article's blocks). Each refused
    one is taken out of `translations`, which is left holding those that may be written (a large article's
    translations are not copied)."""
    refused = _own_refusals(doc, segments, body, translations)
    for i in refused:
        del translations[i]
    restructuring = _restructuring(doc, segments, body, translations)
    for i in restructuring:
        del translations[i]
    return refused, restructuring


def needs_article(source: str, translation: str) -> bool:
    """Whether judging `translation` needs its article: it may change blocks, or hold reference links."""
    return bool(_MAY_RESTRUCTURE.search(translation)) or "]" in source or "]" in translation


def render(doc: Document, segments: list[Segment], body: Body, entries: dict[str, Translation],
           catalog: str = "") -> Rendered:
    """Rebuild `doc` with the translations in `entries`; unsafe ones are refused, the rest still applies."""
    done = Rendered(segments, partial(_rebuilt_pieces, doc, segments))
    translations = {}
    for i, segment in enumerate(segments):
        if segment.msgid in entries:
            translations[i] = entries[segment.msgid].msgstr
        else:
            done.untranslated.append(segment)
    own, restructuring = _judged(doc, segments, body, translations)
    refused = own | restructuring
    for i in sorted(refused):
        segment, entry = segments[i], entries[segments[i].msgid]
        where = f" ({catalog}:{entry.linenum})" if catalog else ""
        done.refused.append(L10nError(f"translation refused{where}: {refused[i]}", doc.path, segment.line))
    done.restructuring = [(segments[i], why) for i, why in sorted(restructuring.items())]
    done.accepted = translations
    return done


def _own_refusals(doc: Document, segments: list[Segment], body: Body, translations: dict[int, str]) -> dict[int, str]:
    """What each translation earns itself: markup lost, invented or unsafe; a value its syntax cannot hold;
    a front matter value that would not read back."""
    refused = {i: why for i, text in translations.items()
               if (why := refusal(segments[i].msgid, text, body.references) or unencodable(segments[i], text))}
    values = [Replacement(s.start, s.end, s.syntax, text) for i, text in translations.items()
              if i not in refused and (s := segments[i]).syntax.startswith(FORMATS)]
    unwritable = unreadable(doc.text, values) if values else {}
    return refused | {i: unwritable[segments[i].start] for i in translations if segments[i].start in unwritable}


def _rebuild(doc: Document, segments: list[Segment], translations: dict[int, str]) -> str:
    """The document with `translations` in place."""
    return "".join(_rebuilt_pieces(doc, segments, translations))


def _rebuilt_pieces(doc: Document, segments: list[Segment], translations: dict[int, str]) -> Iterator[str]:
    """`_rebuild` a piece at a time (the source up to a segment, then its translation as written), so that
    build can write a large article without ever holding it whole."""
    pos = 0
    for i in sorted(translations):
        segment = segments[i]
        yield doc.text[pos:segment.start]
        yield encode(segment, translations[i], doc.newline_at(segment.start))
        pos = segment.end
    yield doc.text[pos:]


def _restructuring(doc: Document, segments: list[Segment], body: Body,
                   translations: dict[int, str]) -> dict[int, str]:
    """The translations that make the rebuilt body parse to other blocks than the source's, and why.

    Translations that cannot change any block are left out. When all the others together keep the
    structure (the common case: one block parse), that is all; else they are added in document order and
    the shortest prefix that breaks the structure names a culprit (bisection), until none is left. Front
    matter is not rebuilt: it is not Markdown, and its values are quoted for their syntax.
    """
    suspects = sorted(i for i, text in translations.items()
                      if segments[i].start >= body.start and _MAY_RESTRUCTURE.search(text))
    found: dict[int, str] = {}

    def broken(chosen: list[int]) -> str | None:
        text = _rebuild(doc, segments, {i: translations[i] for i in chosen})
        return _difference(body.structure, block_structure(text, body.start))

    why = broken(suspects) if suspects else None
    while why:
        good, bad = 0, len(suspects)  # the first `good` suspects keep the structure, the first `bad` do not
        while bad - good > 1:
            middle = (good + bad) // 2
            if different := broken(suspects[:middle]):
                bad, why = middle, different
            else:
                good = middle
        found[suspects.pop(bad - 1)] = f"changes the Markdown structure of the article: {why}"
        why = broken(suspects) if suspects else None
    return found


_BLOCK_NAMES = {"heading_open": "a heading", "paragraph_open": "a paragraph", "fence": "a fenced code block",
                "code_block": "an indented code block", "html_block": "an HTML block", "hr": "a horizontal rule",
                "bullet_list_open": "a list", "ordered_list_open": "a numbered list", "list_item_open": "a list item",
                "blockquote_open": "a quote", "table_open": "a table", "math_block": "a math block",
                "footnote_reference_open": "a footnote definition", "dl_open": "a definition list",
                "dt_open": "a definition term", "dd_open": "a definition"}


def _difference(source: tuple, result: tuple) -> str | None:
    """None if the block structures are the same; else what the translation turned the first difference into:
    a block first, else a link reference definition (the first item of each, see `block_structure`)."""
    if source == result:
        return None
    (_, source_references), *source_blocks = source
    (_, result_references), *result_blocks = result
    if source_blocks == result_blocks:
        return _reference_difference({label: rest for label, *rest in source_references},
                                     {label: rest for label, *rest in result_references})
    source, result = tuple(source_blocks), tuple(result_blocks)
    index = next((i for i, (a, b) in enumerate(zip(source, result)) if a != b), min(len(source), len(result)))
    if index >= len(result):
        return "blocks of the source disappear"
    token = result[index]
    if token[0] == "inline" and index < len(source) and source[index][0] == "inline":  # see `hugo_reading`
        return (f"Hugo reads {token[3]} in the text" if token[3] else
                f"the text no longer holds {source[index][3]}, as in the source")
    name = _BLOCK_NAMES.get(token[0], token[0].replace("_open", "").replace("_", " "))
    marker = f" ({token[3]!r})" if token[3] else ""
    was = _BLOCK_NAMES.get(source[index][0]) if index < len(source) else None
    return f"{name}{marker} appears" + (f" where the source has {was}" if was and was != name else "")


def _reference_difference(source: dict[str, list[str]], result: dict[str, list[str]]) -> str:
    """What differs between two sets of link reference definitions (label -> [destination, title])."""
    for label, (href, title) in result.items():
        if source.get(label) != [href, title]:
            shown = f"[{label}]: {href}" + (f' "{title}"' if title else "")
            return f"adds or changes a link reference definition ({shown}), which makes [{label}] link there"
    label = next(label for label in source if label not in result)
    return f"removes the link reference definition [{label}]"


def encode(segment: Segment, translation: str, newline: str) -> str:
    """`translation` as it must be written in place of `segment`, escaped for where it stands."""
    if segment.syntax == "block":
        return (newline + segment.prefix).join(translation.split("\n"))
    if segment.syntax.startswith(FORMATS):
        return quote(segment.syntax, translation)
    single = " ".join(part.strip() for part in translation.split("\n"))
    if segment.syntax == "table-cell":  # a pipe would end the cell, a final backslash escape the next pipe:
        # the cell split (markdown-it's, GFM's) reads any backslash right before a pipe as escaping it, even
        # the second of `\\`; a space after it keeps the pipe, and every parser strips a cell's content
        return re.sub(r"(?<!\\)\|", r"\\|", single) + (" " if single.endswith("\\") else "")
    if segment.syntax == "heading" and single.endswith("#"):
        return single[:-1] + "\\#"  # else the #s would read as the heading's closing sequence
    if segment.syntax == "image-alt":  # `![...]`: a bracket would end or nest the alt text
        return _escape(single, "[]")
    if segment.syntax == "image-title":  # `"..."` read as CommonMark: `\\` is a backslash
        return _escape(single, '"')
    if segment.syntax == "quoted":  # a shortcode parameter: Hugo reads any backslash before `"` as escaping it
        return re.sub(r'(?<!\\)"', r'\\"', single)
    return single  # (a `raw` shortcode parameter has no escapes; it holds no backtick, so its translation
    # may not either: the markup refusal counts code spans and lone backticks)


def unencodable(segment: Segment, translation: str) -> str | None:
    """Why `translation` cannot be written in the segment's syntax at all (`encode` escapes all else)."""
    if segment.syntax == "quoted" and translation.rstrip().endswith("\\"):
        return "ends with a backslash, which would escape the closing quote of the shortcode parameter"
    if segment.syntax == "quoted" and "\\" in translation and '"' in translation:
        # its quotes are written escaped, and Hugo drops every backslash of a value holding an escaped quote
        return "holds both a double quote and a backslash, which Hugo cannot read back in a shortcode parameter"
    return None


def _escape(text: str, specials: str) -> str:
    """`text` with each unescaped character of `specials` escaped and a final odd run of backslashes
    made even, so that it can neither end nor escape the construct it is written into."""
    text = re.sub(rf"(\\*)([{re.escape(specials)}])",
                  lambda m: m.group(1) + "\\" * (len(m.group(1)) % 2 == 0) + m.group(2), text)
    return text + "\\" * ((len(text) - len(text.rstrip("\\"))) % 2)


# What a written translation may hold and still be read back, in the rebuilt article, as the whole text of its
# segment (inline HTML, links and anchors stay inside the block's text): no line break or tab (lines stay whole
# and in place), no `|` or `\` (table cells, escapes), no `{{` or `}}` (a shortcode's extent); in an image or a
# shortcode parameter (quoted or raw), none of `{}<>[]()"!` either (the text of a parameter on an HTML line is
# no block's).
_UNSETTLING = r"|\\\t\r\n\v\f\x1c-\x1e\x85\u2028\u2029"
_UNSETTLING_IN = {"": re.compile(f"[{_UNSETTLING}]|{{{{|}}}}")} | dict.fromkeys(
    ("image-alt", "image-title", "quoted", "raw"), re.compile(f"[{_UNSETTLING}{{}}<>\\[\\]()\"!]"))


def leftover_free(doc: Document, segments: list[Segment], translations: dict[int, str]) -> bool:
    """Whether `doc` rebuilt with `translations` provably holds no leftover, so that no parse need look for one:
    the source holds no Han outside its segments, and each translation is read back as its segment's whole text
    (see `_UNSETTLING`), so the rebuilt article's Han is inside its segments too. False: not known."""
    if next(han_outside(doc.text, 0, segments), None) is not None:
        return False
    return not any(_UNSETTLING_IN.get(segments[i].syntax, _UNSETTLING_IN[""]).search(text)
                   for i, text in translations.items())
