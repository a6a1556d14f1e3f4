"""The quality checks of one translated entry against its source text.

Each check is a function of a `Pair` returning messages (empty: fine). Markup comparisons are the
article's format's (`Inline.problems`), the same reading build refuses with, so `check` and `build` can
never disagree on them. Whether a translation changes the article's block structure needs the whole
article: `block` findings come from the format's `render` (see `run.py`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from ..formats import NO_ARTICLE, Inline
from ..glossary import Glossary, Term, term_pattern
from ..langs import primary
from .numbers import Value, read_chinese, read_english, read_names

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
FULL_WIDTH = re.compile("[，。：；！？、（）《》【】「」『』〔〕\u3000\uff01-\uff5e]")
_NO_HAN_LANGS = ("zh", "ja")  # targets written with Han characters and full-width punctuation
_ENGLISH = ("en",)
# the `markup` check's
_MARKUP_KINDS = ("url", "label", "code", "math", "backtick", "html", "shortcode", "delimiter", "anchor")


@dataclass(frozen=True)
class Pair:
    """A source text, its translation and what the checks need to judge it."""

    source: str
    translation: str
    lang: str
    glossary: Glossary
    inline: Inline = NO_ARTICLE  # how the article's format reads its fragments

    @cached_property
    def terms(self) -> list[Term]:
        present = Glossary(tuple(t for t in self.glossary.terms if t.source in self.source))  # cheap filter first
        return [term for _, _, term in present.matches(self.source)]

    @cached_property
    def markup_problems(self) -> list[tuple[str, str]]:
        return self.inline.problems(self.source, self.translation)

    def problems(self, *kinds: str) -> list[str]:
        return [why for kind, why in self.markup_problems if kind in kinds]

    @cached_property
    def source_prose(self) -> str:
        return self._without_fixed_terms(self.inline.prose(self.source))

    @cached_property
    def translation_prose(self) -> str:
        return self._without_fixed_terms(self.inline.prose(self.translation))

    def _without_fixed_terms(self, text: str) -> str:
        """Blank out do-not-translate terms: `Model 3` holds no number, a Chinese brand name no leftover."""
        for term in self.terms:
            if not term.translate:
                text = re.sub(term_pattern(term.source), " ", text)
        return text

    @cached_property
    def numbers(self):
        """The values stated in the source (read as Chinese) and in the translation (read as English), with
        the Latin names holding digits (H100), which a translation carries as written. A negative value the
        translation misses may be written as a fall ("fell 12%" for -12%): only then are falls read."""
        names = read_names(self.translation_prose)
        source = read_chinese(self.source_prose) | read_names(self.source_prose)
        translation = read_english(self.translation_prose) | names
        if any(kind in ("n", "%") and number < 0 and (kind, number) not in translation.values
               for kind, number in source.firm):
            translation = read_english(self.translation_prose, falls=True) | names
        return source, translation

    @property
    def language(self) -> str:
        return primary(self.lang)


def footnotes(pair: Pair) -> list[str]:
    return pair.problems("footnote")


def markup(pair: Pair) -> list[str]:
    return pair.problems(*_MARKUP_KINDS)


def emphasis(pair: Pair) -> list[str]:
    return pair.problems("emphasis")


def bare_url(pair: Pair) -> list[str]:
    return pair.problems("bare-url")


def han(pair: Pair) -> list[str]:
    if pair.language in _NO_HAN_LANGS or not HAN.search(pair.source):
        return []
    if pair.translation.strip() == pair.source.strip():
        return ["the translation is a copy of the Chinese source"]
    left = HAN.findall(pair.translation_prose)
    return [f"Chinese text left in the translation: {', '.join(_quoted(left))}"] if left else []


# Letters of scripts a translation may hold only if its language writes them or its source has them (an engine
# answering in Russian or Japanese, a line left in Korean). Latin is every target's (names, brands); Han is `han`'s.
_SCRIPTS = {"Cyrillic": "\u0400-\u052f", "Greek": "\u0370-\u03ff", "Arabic": "\u0600-\u06ff", "Hebrew": "\u0590-\u05ff",
            "Japanese kana": "\u3040-\u30ff", "Hangul": "\u1100-\u11ff\uac00-\ud7af", "Thai": "\u0e00-\u0e7f",
            "Devanagari": "\u0900-\u097f"}
# Greek letters one or two at a time are symbols (μm, α particles, 6σ, π, Ω), not Greek text
_SCRIPT_OF = {name: re.compile(f"[{letters}]{{3,}}" if name == "Greek" else f"[{letters}]+")
              for name, letters in _SCRIPTS.items()}
_ANY_SCRIPT = re.compile(f"[{''.join(_SCRIPTS.values())}]")  # most translations have none: one search
_WRITES = {"ru": "Cyrillic", "uk": "Cyrillic", "bg": "Cyrillic", "sr": "Cyrillic", "el": "Greek", "ar": "Arabic",
           "fa": "Arabic", "he": "Hebrew", "ja": "Japanese kana", "ko": "Hangul", "th": "Thai", "hi": "Devanagari"}



def script(pair: Pair) -> list[str]:
    if not _ANY_SCRIPT.search(pair.translation_prose):
        return []
    own = _WRITES.get(pair.language)
    problems = []
    for name, letters in _SCRIPT_OF.items():
        if name != own and (found := letters.findall(pair.translation_prose)) and not letters.search(pair.source):
            problems.append(f"{name} text in the translation, which the source does not have: "
                            f"{', '.join(_quoted(found))}")
    return problems


def punctuation(pair: Pair) -> list[str]:
    if pair.language in _NO_HAN_LANGS + ("ko",):
        return []
    left = FULL_WIDTH.findall(pair.translation_prose)
    return [f"full-width punctuation in the translation: {' '.join(_quoted(left))}"] if left else []


def numbers(pair: Pair) -> list[str]:
    """Each value the source states with digits or unit numerals must appear in the translation."""
    return _unmatched(pair, translated=False)


def numbers_extra(pair: Pair) -> list[str]:
    """A value the translation writes with digits that the source does not state in any form."""
    return _unmatched(pair, translated=True)


def glossary(pair: Pair) -> list[str]:
    found = []
    for term in pair.terms:
        if not term.translate:
            if not re.search(term_pattern(term.source), pair.translation):
                found.append(f"do-not-translate term {term.source!r} is missing or altered")
            continue
        for wrong in term.forbidden_in(pair.lang):
            if re.search(term_pattern(wrong), pair.translation, re.IGNORECASE):
                found.append(f"{term.source!r} translated as forbidden {wrong!r} (use {term.target(pair.lang)!r})")
    return found


def terminology(pair: Pair) -> list[str]:
    found = []
    for term in {t.source: t for t in pair.terms if t.translate and t.target(pair.lang)}.values():
        lowered = pair.translation.lower()
        if not any(ok.lower() in lowered and re.search(term_pattern(form), pair.translation, re.IGNORECASE)
                   for ok in term.accepted(pair.lang) for form in (ok, ok + "s", ok + "es")):  # data centers
            found.append(f"{term.source!r} should be translated as {' or '.join(map(repr, term.accepted(pair.lang)))}")
    return found


def unsafe_html(pair: Pair) -> list[str]:
    return pair.problems("unsafe")


ENTRY_CHECKS: dict[str, Callable[[Pair], Iterable[str]]] = {
    "footnotes": footnotes, "markup": markup, "emphasis": emphasis, "bare-url": bare_url, "han": han, "script": script,
    "punctuation": punctuation, "numbers": numbers, "numbers-extra": numbers_extra, "glossary": glossary,
    "terminology": terminology, "unsafe-html": unsafe_html,
}


def _unmatched(pair: Pair, translated: bool) -> list[str]:
    """Firm values of one side that the other side does not state. Read for English targets only."""
    if pair.language not in _ENGLISH:
        return []
    source, translation = pair.numbers
    one, other, where = (translation, source, "source") if translated else (source, translation, "translation")
    return [f"{text!r} ({_show(value)}) is not in the {where}" for value, text in one.firm.items()
            if value not in other.values]


def _quoted(items: list[str]) -> list[str]:
    return [repr(item) for item in dict.fromkeys(items)]


def _show(value: Value) -> str:
    kind, number = value
    if kind == "name":
        return "a name"
    if kind == "date":
        y, m, d = number
        return "-".join(f"{part:02d}" if i else str(part) for i, part in enumerate((y, m, d)) if part is not None) \
            if y else f"month {m}" + (f", day {d}" if d else "")
    if kind == "n":
        return f"{number:,f}".rstrip("0").rstrip(".") if "." in f"{number:f}" else f"{number:,f}"
    return {"%": "{}%", "quarter": "Q{}", "ordinal": "#{}", "decade": "the '{:02d}s"}[kind].format(number)
