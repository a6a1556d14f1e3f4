"""The project glossary (`glossary.yaml`): required translations, do-not-translate terms, forbidden ones.

Schema (documented in the README):

    terms:
      - source: 马斯克            # the term as written in the source language (required)
        target: Musk              # required translation; a mapping {en: ..., ja: ...} for several languages
        also: [Elon Musk]         # other accepted translations (optional)
        forbidden: [Ma Sike]      # translations that must not be used (optional)
        note: full name on first mention   # shown to translators and given to LLM engines (optional)
      - source: xAI
        translate: false          # do-not-translate: must appear unchanged in the translation
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

from .confine import read_file
from .errors import L10nError

GLOSSARY_FILE = "glossary.yaml"
_TERM_KEYS = {"source", "target", "also", "forbidden", "note", "translate"}


@dataclass(frozen=True)
class Term:
    source: str
    targets: dict[str, str] = field(default_factory=dict)  # lang -> required translation
    also: dict[str, tuple[str, ...]] = field(default_factory=dict)
    forbidden: dict[str, tuple[str, ...]] = field(default_factory=dict)
    note: str = ""
    translate: bool = True
    line: int = 0  # where the term is defined in glossary.yaml

    def target(self, lang: str) -> str | None:
        """The required translation into `lang` (the source itself for do-not-translate terms)."""
        return self.source if not self.translate else self.targets.get(lang, self.targets.get("*"))

    def accepted(self, lang: str) -> tuple[str, ...]:
        main = self.target(lang)
        return ((main,) if main else ()) + self.also.get(lang, self.also.get("*", ()))

    def forbidden_in(self, lang: str) -> tuple[str, ...]:
        return self.forbidden.get(lang, self.forbidden.get("*", ()))


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...] = ()
    path: str = GLOSSARY_FILE

    @classmethod
    def load(cls, path: Path, project_root: Path, display: str | None = None) -> Glossary:
        """Read `path` (a regular file in `project_root`); a missing file is an empty glossary, a
        malformed one an error with its line."""
        display = display or str(path)
        if not path.exists():
            return cls((), display)
        try:
            text = read_file(path, display, project_root).decode("utf-8")
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise L10nError(f"invalid YAML: {getattr(exc, 'problem', exc)}", display,
                            mark.line + 1 if mark else None) from None
        except UnicodeDecodeError:
            raise L10nError("not UTF-8", display) from None
        if root is None:
            return cls((), display)
        data = yaml.safe_load(text)
        if not isinstance(data, dict) or not isinstance(data.get("terms", []), list):
            raise L10nError("expected a mapping with a `terms:` list", display, 1)
        nodes = dict((k.value, v) for k, v in root.value).get("terms")
        lines = [item.start_mark.line + 1 for item in nodes.value] if nodes is not None else []
        return cls(tuple(_term(item, display, line) for item, line in zip(data.get("terms") or [], lines)), display)

    @cached_property
    def fingerprint(self) -> str:
        """Identifies the glossary's content, for caches of results that depend on it."""
        return repr(self.terms)

    @cached_property
    def _longest_first(self) -> tuple[tuple[Term, re.Pattern[str]], ...]:
        """The terms, longest first, each with its compiled `term_pattern` (texts are many, terms few)."""
        return tuple((t, re.compile(term_pattern(t.source))) for t in sorted(self.terms, key=lambda t: -len(t.source)))

    def matches(self, text: str) -> list[tuple[int, int, Term]]:
        """Non-overlapping occurrences of terms in `text`, longest term first (Chinese has no word breaks)."""
        taken: list[tuple[int, int, Term]] = []
        for term, pattern in self._longest_first:
            if term.source not in text:  # cheap test first: most terms are absent from most texts
                continue
            for match in pattern.finditer(text):
                s, e = match.span()
                for a, b, _ in taken:
                    if e > a and s < b:  # overlaps a longer term's occurrence
                        break
                else:
                    taken.append((s, e, term))
        return sorted(taken, key=lambda m: m[0])

    def problems(self, langs: tuple[str, ...] = ()) -> list[L10nError]:
        """Duplicates, empty targets and contradictions, for `l10n glossary check`."""
        found = []
        seen: dict[str, Term] = {}
        for term in self.terms:
            where = (self.path, term.line)
            if term.source in seen:
                found.append(L10nError(f"duplicate term {term.source!r} (first defined on line "
                                       f"{seen[term.source].line})", *where))
            seen.setdefault(term.source, term)
            for lang in langs or tuple(term.targets) or ("*",):
                target = term.target(lang)
                if term.translate and not (target or "").strip():
                    found.append(L10nError(f"term {term.source!r} has no translation for {lang!r}", *where))
                if target and target in term.forbidden_in(lang):
                    found.append(L10nError(f"term {term.source!r}: {target!r} is both required and forbidden",
                                           *where))
        return found


@lru_cache(maxsize=4096)
def term_pattern(term: str) -> str:
    """Match ASCII terms on word boundaries (`AI` not inside `xAI`); CJK terms anywhere."""
    escaped = re.escape(term)
    if term[:1].isascii() and term[:1].isalnum():
        escaped = r"(?<![A-Za-z0-9])" + escaped
    if term[-1:].isascii() and term[-1:].isalnum():
        escaped += r"(?![A-Za-z0-9])"
    return escaped


def _term(item: object, path: str, line: int) -> Term:
    if not isinstance(item, dict) or not isinstance(item.get("source"), str) or not item["source"].strip():
        raise L10nError("each term needs a non-empty `source`", path, line)
    unknown = set(item) - _TERM_KEYS
    if unknown:
        raise L10nError(f"unknown key(s) in term: {', '.join(sorted(unknown))}", path, line)
    return Term(
        source=item["source"],
        targets=_per_lang(item.get("target"), path, line, single=True),
        also=_per_lang(item.get("also"), path, line),
        forbidden=_per_lang(item.get("forbidden"), path, line),
        note=str(item.get("note") or ""),
        translate=bool(item.get("translate", True)),
        line=line,
    )


def _per_lang(value: object, path: str, line: int, single: bool = False) -> dict:
    """`x`, `[x, y]` or `{en: x}` / `{en: [x, y]}` as a mapping lang -> value ('*' = any language)."""
    if value is None:
        return {}
    mapping = value if isinstance(value, dict) else {"*": value}
    result: dict[str, Any] = {}
    for lang, item in mapping.items():
        if single:
            if not isinstance(item, str):
                raise L10nError("`target` must be a string or a mapping of language to string", path, line)
            result[str(lang)] = item
        else:
            items = [item] if isinstance(item, str) else item
            if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
                raise L10nError("expected a string or a list of strings", path, line)
            result[str(lang)] = tuple(items)
    return result
