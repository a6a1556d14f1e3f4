"""Whether a translation carries the inline markup of its source: one answer for build, check and MT.

Both sides are read by the inline model (`inline.parse`, markdown-it-py's own parser with the article's
link reference definitions), so a construct counts only when a Markdown reader would see it. Build
refuses what `REFUSED` lists; `check` reports every kind under its own check name. Whether the
translated document keeps its block structure is judged on the whole article (`render.refusals`).
`prose` and `has_words` (is there text to translate?) use patterns: extraction asks them for every
segment, where the parser would double its cost; checks read prose from the model (`Markup.prose`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from .inline import BARE_URL, HEADING_ANCHOR, KEPT, NO_REFERENCES, NOT_ADDED, SHORTCODE, References, parse

# What build refuses (emphasis is only reported by check); a bare URL, `www.` name or e-mail address is a
# link to Hugo (linkify): one the source does not have is a link the source does not have
REFUSED = KEPT + ("unsafe", "backtick", "bare-url")

FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
# [text](url "title") and ![alt](url); the URL may be wrapped in <>.
INLINE_LINK = re.compile(r"\]\(\s*(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)"
                         r"(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^\s<>]+)>", re.IGNORECASE)
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s+[^<>]*?)?/?>|<!--.*?-->", re.DOTALL)


def broken_markup(source: str, translation: str, references: References = NO_REFERENCES) -> list[tuple[str, str]]:
    """(kind, why) for each way `translation` does not carry the inline markup of `source`."""
    want, got = parse(source, references), parse(translation, references)
    if want.inventory == got.inventory:
        return []  # the common case: the same markup
    problems = []
    for kind in KEPT:
        lost, invented = want.count(kind) - got.count(kind), got.count(kind) - want.count(kind)
        if lost:
            problems.append((kind, f"{_NAMES[kind]} lost: {_show(lost, kind)}"))
        if invented:
            problems.append((kind, f"{_NAMES[kind]} not in the source: {_show(invented, kind)}"))
    for kind in NOT_ADDED:
        if added := got.count(kind) - want.count(kind):
            problems.append((kind, _ADDED[kind].format(_show(added, kind))))
    return problems


def refusal(source: str, translation: str, references: References = NO_REFERENCES) -> str | None:
    """Why build must not write `translation` in place of `source` (markup lost, invented or unsafe), or None."""
    return "; ".join(why for kind, why in broken_markup(source, translation, references) if kind in REFUSED) or None


_CARRIED = ("footnote", "url", "label", "code", "math", "html", "shortcode", "delimiter")
_REF_LABEL = re.compile(r"\]\[([^\]\n]*)\]")  # [text][label]: the label must match a definition


def carried(text: str, references: References = NO_REFERENCES) -> Counter:
    """What markup a translation must carry over, as one multiset of (kind, item); the label of every
    `[text][label]` counts, defined in `references` or not."""
    found = parse(text, references).inventory
    if not found and "][" not in text:
        return Counter()  # plain prose (the parser's fast path): nothing to carry
    marks = Counter({(kind, item): n for kind in _CARRIED for item, n in found.get(kind, Counter()).items()})
    if "][" in text:
        marks.update(("label", label.lower()) for label in _REF_LABEL.findall(text))
    return marks


def prose(text: str) -> str:
    """`text` with URLs, code, footnote labels, tags and shortcodes blanked out: what a reader reads."""
    for trigger, pattern in _NOT_PROSE:
        if trigger in text:
            text = pattern.sub(" ", text)
    return text


# What `prose` removes, each with a substring it cannot match without (a cheap test first).
_NOT_PROSE = (("{{", SHORTCODE), ("`", CODE_SPAN), ("](", INLINE_LINK), ("<", AUTOLINK), ("://", BARE_URL),
              ("<", HTML_TAG), ("[^", FOOTNOTE_REF), ("{#", HEADING_ANCHOR))


def has_words(text: str) -> bool:
    """True if `text` holds any letter once URLs, code, footnote labels, tags and shortcodes are gone."""
    return any(unicodedata.category(ch).startswith("L") for ch in prose(text))


# What the review keeps its highlights out of, and the characters one of them needs (a cheap test first).
_MARKUP = (SHORTCODE, CODE_SPAN, INLINE_LINK, AUTOLINK, BARE_URL, HTML_TAG, FOOTNOTE_REF)


def markup_spans(text: str) -> list[tuple[int, int]]:
    """Spans that are not prose (code, URLs, tags, shortcodes): no highlight may start or end inside."""
    return [m.span() for pattern in _MARKUP for m in pattern.finditer(text)] if any(c in text for c in "`]<{:^") \
        else []


_NAMES = {"footnote": "footnote reference", "url": "link URL", "label": "reference link label", "code": "code span",
          "math": "inline formula", "html": "HTML tag", "shortcode": "shortcode",
          "delimiter": "shortcode delimiter", "anchor": "heading attributes ({#id}, {.class})"}
_ADDED = {"unsafe": "unsafe content added by the translation: {}",
          "backtick": "unbalanced code span (a {} without its closing one)",
          "bare-url": "web or e-mail address not in the source (Hugo turns it into a link): {}",
          "emphasis": "unbalanced emphasis: {} opens or closes nothing"}


def _show(counter: Counter, kind: str) -> str:
    items = sorted(counter.elements())
    return ", ".join(f"[^{i}]" if kind == "footnote" else f"[{i}]" if kind == "label" else i for i in items)
