"""What `l10n check` can report: the checks with their default severity, the findings, the options.

Every check can be switched off or have its severity changed in the `[check]` table of `l10n.toml`
(`numbers = false`, `punctuation = "warning"`), and entry checks can be waived for one entry by a
translator comment, which `l10n extract` keeps: `# l10n: ignore numbers glossary (the source is wrong)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..config import Config
from ..errors import L10nError

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Check:
    name: str
    severity: str
    per_entry: bool
    summary: str


CHECKS = {c.name: c for c in (
    Check("unreadable", ERROR, False, "a source or catalog cannot be read or parsed (exit code 2)"),
    Check("skipped-source", WARNING, False, "a FIFO, device, socket or symlink out of the project among the sources"),
    Check("missing-catalog", ERROR, False, "a source article has no catalog: run `l10n extract`"),
    Check("orphan-catalog", WARNING, False, "a catalog whose source article no longer exists"),
    Check("stale-catalog", ERROR, False, "the source changed after its catalog was extracted"),
    Check("output", ERROR, False, "the built article is missing or not what `l10n build` would write now"),
    Check("coverage", ERROR, False, "fewer entries translated than `min_coverage` percent"),
    Check("untranslated", WARNING, True, "an entry without translation"),
    Check("fuzzy", WARNING, True, "an entry marked fuzzy (needs review); only counted as done with allow_fuzzy"),
    Check("footnotes", ERROR, True, "footnote references differ: the same labels, each as often"),
    Check("markup", ERROR, True, "link URLs and reference labels, code spans, HTML tags, shortcodes or {#id} anchors "
                                 "differ"),
    Check("emphasis", ERROR, True, "unbalanced ** or * markers where the source is balanced"),
    Check("block", ERROR, True, "the article rebuilt with the translation has other Markdown blocks than the source"),
    Check("bare-url", ERROR, True, "a bare URL, www. name or e-mail address (Hugo turns each into a link) "
                                   "that the source does not have"),
    Check("han", ERROR, True, "Chinese characters left in the translation, or the msgid copied as it is"),
    Check("script", ERROR, True, "letters of a script the target language does not write (Cyrillic, kana, Hangul...) "
                                 "that the source does not have: a reply in another language"),
    Check("han-output", WARNING, False, "Chinese left in the built article outside its segments, code, URLs, "
                                        "comments and shortcodes (HTML blocks, link titles): "
                                        "no catalog can translate it"),
    Check("punctuation", ERROR, True, "full-width punctuation (，。：（）《》 ...) left in the translation"),
    Check("numbers", ERROR, True, "a number (with its sign), amount, percentage, date or Latin name with digits "
                                  "(H100) of the source missing in the translation"),
    Check("numbers-extra", WARNING, True, "a number or a Latin name with digits in the translation that the source "
                                          "does not state"),
    Check("glossary", ERROR, True, "a forbidden translation used, or a do-not-translate term altered"),
    Check("terminology", WARNING, True, "a glossary term of the source without its required translation"),
    Check("unsafe-html", ERROR, True, "<script>, <iframe>, <object>, on*= attributes, javascript:/vbscript:/data: "
                                      "URLs or unclosed tags added"),
)}
SETTINGS: dict[str, type | tuple[type, ...]] = {"min_coverage": (int, float), "allow_fuzzy": bool}
_IGNORE = re.compile(r"\bl10n:\s*ignore\b([^\n]*)", re.IGNORECASE)


@dataclass(frozen=True)
class CheckOptions:
    """Thresholds and the severity of each check (None: switched off)."""

    min_coverage: float = 100.0
    allow_fuzzy: bool = False
    severities: dict[str, str | None] = field(default_factory=lambda: {c.name: c.severity for c in CHECKS.values()})

    @classmethod
    def from_config(cls, config: Config, **overrides: Any) -> CheckOptions:
        """The `[check]` table of the settings, then command-line `overrides` (None means not given)."""
        table = dict(config.section("check"))
        where = config.origin
        severities: dict[str, str | None] = {c.name: c.severity for c in CHECKS.values()}
        settings: dict[str, Any] = {}
        for key, value in table.items():
            if key in SETTINGS:
                if not isinstance(value, SETTINGS[key]) or isinstance(value, bool) != (SETTINGS[key] is bool):
                    raise L10nError(f"[check] {key} has the wrong type: {value!r}", where)
                settings[key] = value
            elif key in CHECKS:
                severities[key] = _severity(key, value, where)
            else:
                raise L10nError(f"[check] unknown setting {key!r} (checks: {', '.join(CHECKS)}; "
                                f"settings: {', '.join(SETTINGS)})", where)
        settings.update({k: v for k, v in overrides.items() if v is not None})
        if not 0 <= settings.get("min_coverage", 100) <= 100:
            raise L10nError("min_coverage must be between 0 and 100", where)
        return cls(severities=severities, **settings)

    def enabled(self, check: str) -> bool:
        return self.severities[check] is not None


def _severity(name: str, value: Any, where) -> str | None:
    if value is True:
        return CHECKS[name].severity
    if value is False:
        return None
    if value in (ERROR, WARNING):
        return value
    raise L10nError(f"[check] {name} must be true, false, \"error\" or \"warning\", not {value!r}", where)


def waived(comment: str) -> frozenset[str]:
    """The checks a translator comment waives: `l10n: ignore numbers, glossary (reason)` → numbers, glossary.

    Names are read up to the first word that is not a check, so the reason can follow freely.
    """
    names: set[str] = set()
    for match in _IGNORE.finditer(comment or ""):
        for word in re.split(r"[\s,]+", match.group(1).strip()):
            if word not in CHECKS:
                break
            names.add(word)
    return frozenset(names)


@dataclass(frozen=True)
class Finding:
    """One problem, pointing at the file to fix (catalog, source or built output) and its line."""

    check: str
    severity: str
    message: str
    source: str  # the source article (or the catalog's recorded source, for an orphan catalog)
    lang: str
    file: str
    line: int | None = None
    source_line: int | None = None  # the source Markdown line of a catalog entry (`#:`)
    msgid: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"check": self.check, "severity": self.severity, "message": self.message, "file": self.file,
                "line": self.line, "source": self.source, "source_line": self.source_line, "lang": self.lang,
                "msgid": self.msgid}
