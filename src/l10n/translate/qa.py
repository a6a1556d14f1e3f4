"""Judging and repairing machine drafts: what an engine returns is held to the checks of `l10n check`.

`Reviewer.judge` runs the per-entry checks (`checks.entry_findings`: the same code as `l10n check`,
with the project's `[check]` severities and the entry's `l10n: ignore` waivers) on a restored draft
and keeps its error-level findings. `Reviewer.retry` says how to ask again, once, in a way the
engine can use: an engine that reads notes (OpenAI-compatible) gets the findings with the same
text; any other gets the text again with every amount whose English is beyond doubt (140亿美元 →
"$14 billion", see `numbers.english_amounts`), and for engines with their own glossary the glossary
terms, hidden behind placeholders that the tool writes in itself; the sender also splits it
at sentence ends. A draft still wrong after that is written `fuzzy` with one translator comment
`l10n-qa: <check>: <message>` per finding (`qa_comments`); a clean draft carries none.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..checks import ERROR, CheckOptions, entry_findings
from ..checks.numbers import english_amounts
from ..formats import NO_ARTICLE, Inline
from ..glossary import Glossary
from .placeholders import Protected, protect

QA_COMMENT = "l10n-qa: "
MODES = ("on", "report", "off")  # judge and re-ask once / judge only / neither
_NUMBER_CHECKS = {"numbers", "numbers-extra"}
_TERM_CHECKS = {"glossary", "terminology"}
_MAX_HINTS = 6

Finding = tuple[str, str]  # (check, message), as `entry_findings` gives them


@dataclass(frozen=True)
class Retry:
    """How to ask again: the text to send (protected anew, or as before) and notes for the engine."""

    protected: Protected
    notes: tuple[str, ...] = ()


class Reviewer:
    """Judges drafts for one run: `mode` is one of MODES; `notes` says whether the engine reads them."""

    def __init__(self, mode: str, options: CheckOptions, glossary: Glossary, *, notes: bool,
                 engine_glossary: bool):
        if mode not in MODES:
            raise ValueError(f"qa must be one of {', '.join(MODES)}, not {mode!r}")
        self.mode, self.options, self.glossary = mode, options, glossary
        self.notes, self.engine_glossary = notes, engine_glossary

    @property
    def active(self) -> bool:
        return self.mode != "off"

    @property
    def retries(self) -> bool:
        return self.mode == "on"

    def judge(self, source: str, translation: str, lang: str, inline: Inline = NO_ARTICLE,
              waived: frozenset[str] = frozenset()) -> tuple[Finding, ...]:
        """The error-level findings of `l10n check` for this draft (none when QA is off)."""
        if not self.active:
            return ()
        return tuple((check, message) for check, message in
                     entry_findings(source, translation, lang, self.glossary, self.options, inline)
                     if self.options.severities[check] == ERROR and check not in waived)

    def retry(self, source: str, lang: str, protected: Protected, hidden: list[tuple[int, int, str]],
              findings: tuple[Finding, ...], inline: Inline = NO_ARTICLE) -> Retry:
        """The second request for a draft with `findings`; `hidden` are the (start, end, text) terms that
        the first request already hid. The caller sends `protected` split at sentence ends (engines
        without notes), and gives up if that is exactly the first request again."""
        checks = {check for check, _ in findings}
        amounts = english_amounts(source)
        if self.notes:
            hints = tuple(f"the source's {source[s:e]} is {english} in English" for s, e, english in amounts)
            return Retry(protected, tuple(f"{check}: {message}" for check, message in findings)
                         + (hints[:_MAX_HINTS] if checks & _NUMBER_CHECKS else ()))
        terms = list(hidden) + amounts  # always: a new wording must not bring a new wrong figure
        if self.engine_glossary and checks & _TERM_CHECKS:
            terms += [(s, e, target) for s, e, term in self.glossary.matches(source) if (target := term.target(lang))]
        return Retry(protect(source, terms, inline) if len(terms) > len(hidden) else protected)


def qa_comments(findings: tuple[Finding, ...]) -> list[str]:
    """The translator comment lines that flag a draft: `l10n-qa: numbers: '140亿' (...) is not in ...`."""
    return [f"{QA_COMMENT}{check}: {' '.join(message.split())}" for check, message in findings]
