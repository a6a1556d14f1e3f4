"""The inline pieces a translation must carry over unchanged: footnote references, URLs, code...

Build refuses translations that lose or invent them; `check` reports them; machine translation
hides them behind placeholders. One inventory serves all three.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

# A shortcode may span lines but not a blank line (an unclosed `{{<` must not swallow paragraphs).
SHORTCODE = re.compile(r"\{\{<(?:(?!\n[ \t]*\r?\n).)*?>\}\}|\{\{%(?:(?!\n[ \t]*\r?\n).)*?%\}\}", re.DOTALL)
FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
# [text](url "title") and ![alt](url); the URL may be wrapped in <>.
INLINE_LINK = re.compile(r"\]\(\s*(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
BARE_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>()\[\]]+", re.IGNORECASE)
AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^\s<>]+)>", re.IGNORECASE)
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s+[^<>]*?)?/?>|<!--.*?-->", re.DOTALL)
HEADING_ANCHOR = re.compile(r"\{#[^}\s]+[^}]*\}")
KINDS = ("footnote", "url", "code", "html", "shortcode", "anchor")


def inventory(text: str) -> dict[str, Counter]:
    """What in `text` must survive translation verbatim, as a multiset per kind."""
    found = {kind: Counter() for kind in KINDS}
    if not any(mark in text for mark in "[<`{"):  # plain prose: nothing to look for (the common case)
        return found
    without_code = CODE_SPAN.sub(" ", text) if "`" in text else text
    if "[^" in without_code:
        found["footnote"].update(FOOTNOTE_REF.findall(without_code))
    if "](" in without_code:
        found["url"].update(u.strip("<>") for u in INLINE_LINK.findall(without_code))
    if "<" in without_code:
        found["url"].update(AUTOLINK.findall(without_code))
        found["html"].update(HTML_TAG.findall(SHORTCODE.sub(" ", without_code)))
    if "`" in text:
        found["code"].update(m.group(0) for m in CODE_SPAN.finditer(text))
    if "{{" in text:
        found["shortcode"].update(m.group(0) for m in SHORTCODE.finditer(text))
    if "{#" in without_code:
        found["anchor"].update(HEADING_ANCHOR.findall(without_code))
    return found


def broken_markup(source: str, translation: str, kinds: tuple[str, ...] = KINDS) -> list[str]:
    """Why `translation` would break the document `source` belongs to; empty if it is safe."""
    want, got = inventory(source), inventory(translation)
    problems = []
    for kind in kinds:
        lost = want[kind] - got[kind]
        invented = got[kind] - want[kind]
        if lost:
            problems.append(f"{_NAMES[kind]} lost: {_show(lost, kind)}")
        if invented:
            problems.append(f"{_NAMES[kind]} not in the source: {_show(invented, kind)}")
    if "code" in kinds and _unbalanced_backticks(translation) and not _unbalanced_backticks(source):
        problems.append("unbalanced code span (a ` without its closing `)")
    return problems


_BLOCK_START = re.compile(
    r"^(?:#{1,6}(?:[ \t]|$)|>|[-*+][ \t]|\d{1,9}[.)][ \t]|={3,}|-{3,}|(?:\*[ \t]*){3,}$|(?:_[ \t]*){3,}$"
    r"|`{3,}|~{3,}|\|| {4}|\t|\[\^[^\]]+\]:|$)")  # `$`: an empty line ends the paragraph


def block_markup_added(source: str, translation: str) -> str | None:
    """The Markdown block marker a translation line starts with (changing the block) if the source had none."""
    allowed = {m.group(0) for line in source.split("\n") if (m := _BLOCK_START.match(line))}
    for line in translation.split("\n"):
        found = _BLOCK_START.match(line)
        if found and found.group(0) not in allowed:
            return found.group(0).strip() or ("indentation" if found.group(0) else "an empty line")
    return None


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


def _unbalanced_backticks(text: str) -> bool:
    return "`" in CODE_SPAN.sub("", text.replace("\\`", ""))


_NAMES = {"footnote": "footnote reference", "url": "link URL", "code": "code span",
          "html": "HTML tag", "shortcode": "shortcode", "anchor": "heading anchor"}


def _show(counter: Counter, kind: str) -> str:
    items = sorted(counter.elements())
    return ", ".join(f"[^{i}]" if kind == "footnote" else i for i in items)
