"""What a translation run sends: the plan that `--dry-run` shows and the sender carries out.

`Plan.make` reads the current catalogs, reuses what the translation memory already holds (human
first, in one `lookup_many`), keeps each distinct segment once however many articles hold it, hides
markup and glossary terms behind placeholders and packs the rest into requests that fit the engine.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import polib

from ..checks import CheckOptions, waived
from ..config import Config, Shard
from ..errors import L10nError
from ..formats import Inline
from ..glossary import Glossary
from ..memory import HUMAN, Key, TranslationMemory
from ..mt import Context, Engine, GlossaryHint, Settings
from ..runner import Action, Article, FileResult, current_catalog, failed_results, refused_results
from .catalogs import Catalog, reviewed
from .placeholders import Protected, protect, restore
from .qa import MODES, Finding, Reviewer

_SENTENCE = re.compile(r"(?<=[。！？!?])[”’」』）)\"']*")  # a sentence ends after these (and closing quotes)
_PLACEHOLDER_TEXT = re.compile(r'<x id="\d+"/>')
DEFAULT_CLAIM_TTL = 120.0


@dataclass
class TranslateOptions:
    retranslate_fuzzy: bool = False  # also entries marked fuzzy
    force: bool = False  # every entry, and no reuse from the memory
    retries: int = 4  # after the first attempt, on 429, 5xx, timeouts and garbled replies
    backoff: float = 1.0  # seconds before the first retry, doubled each time, with jitter
    max_backoff: float = 60.0
    save_every: float = 5.0  # seconds between saves of the catalogs changed so far
    concurrency: int = 4  # requests in flight
    rate: float = 0.0  # requests started per second; 0 = no limit
    qa: str = "on"  # judge every draft by the checks and re-ask a wrong one once; "report": judge only; "off"
    claim_ttl: float = DEFAULT_CLAIM_TTL  # seconds a claim on a segment lasts unless renewed (a dead job's lapse)
    poll: float = 1.0  # seconds between looks at the segments other jobs are translating
    sleep: Callable[[float], None] = time.sleep

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> TranslateOptions:
        """The run's options from `[translate]` (concurrency, rate, qa, claim_ttl) with `overrides`
        (None: not given)."""
        given = {k: v for k, v in overrides.items() if v is not None}
        options = cls(concurrency=settings.concurrency, rate=settings.rate,
                      qa=given.pop("qa", None) or settings.options.get("qa", "on"),
                      claim_ttl=settings.options.get("claim_ttl", DEFAULT_CLAIM_TTL), **given)
        if options.qa not in MODES:
            raise L10nError(f"--qa must be one of {', '.join(MODES)}, not {options.qa!r}")
        if isinstance(options.claim_ttl, bool) or not isinstance(options.claim_ttl, (int, float)) \
                or options.claim_ttl <= 0:
            raise L10nError("[translate] `claim_ttl` must be a number of seconds > 0", settings.origin)
        return options


@dataclass
class Summary:
    """What a run sent and what came of it, for the end-of-run report and the benchmark."""

    engine: str
    requests: int = 0  # including retries
    characters: int = 0  # sent, including retries
    segments: int = 0  # distinct segments the engine translated
    unique_characters: int = 0  # characters of the distinct segments that needed the engine
    reused: int = 0  # distinct segments taken from the memory (or a human translation elsewhere)
    failed: int = 0  # distinct segments left untranslated
    entries: int = 0  # PO entries filled
    retries: int = 0
    clean: int = 0  # distinct drafts that passed the checks at once
    repaired: int = 0  # ... that failed them, and passed once asked again
    flagged: int = 0  # ... still failing: written with `l10n-qa:` comments
    qa_characters: int = 0  # characters of the texts re-sent because a draft failed the checks (in `characters`)
    qa_note_characters: int = 0  # characters of the findings sent with them to engines that read notes
    qa_wrong_characters: int = 0  # characters (as first sent) of the drafts that failed the checks at first
    waited: int = 0  # distinct segments another job was translating, taken from the memory when it had them
    # (a draft another job flagged during this run included: judged here and counted in `flagged` too)


@dataclass(eq=False)
class Segment:
    """One distinct msgid in one language, and every entry it fills."""

    lang: str
    msgid: str
    places: list[Catalog]  # the catalogs holding it
    protected: Protected | None = None
    chunks: list[str] = field(default_factory=list)  # the protected text, split to fit a request
    replies: dict[int, str] = field(default_factory=dict)
    attempts: int = 0
    done: bool = False
    hidden: list[tuple[int, int, str]] = field(default_factory=list)  # the glossary terms hidden when sending
    first: tuple[str, tuple[Finding, ...]] | None = None  # a draft that failed the checks, while re-asked

    @property
    def planned(self) -> Protected:
        """`protected`, which the plan sets on every segment it sends."""
        assert self.protected is not None, self.msgid
        return self.protected

    @property
    def inline(self) -> Inline:
        """How the (first) article holding the segment reads it (Markdown: which brackets are links)."""
        article = self.places[0].article
        return article.inline if article.format.needs_article(self.msgid) else article.format.standalone


@dataclass(eq=False)
class Batch:
    lang: str
    pieces: list[tuple[Segment, int]]  # (segment, chunk number)
    context: Context

    @property
    def texts(self) -> list[str]:
        return [segment.chunks[i] for segment, i in self.pieces]


class Plan:
    """A planned run: `summary` already says what will be sent (that is all `--dry-run` shows)."""

    def __init__(self, config: Config, engine: Engine, memory: TranslationMemory | None, glossary: Glossary,
                 options: TranslateOptions):
        self.config, self.engine, self.memory, self.glossary, self.options = config, engine, memory, glossary, options
        self.summary = Summary(engine.name)
        self.results: list[FileResult] = []
        self.catalogs: list[Catalog] = []
        self.to_send: list[Segment] = []
        self.batches: list[Batch] = []
        self.human: dict[tuple[str, str], str] = {}  # (lang, msgid) -> reviewed translation in these catalogs
        self.reused: list[tuple[Segment, str, str]] = []  # (segment, translation, origin) needing no request
        self.redo: set[Key] = set()  # remembered units rejected (they fail today's checks): sent again, claimed
        # The job's start by the memory's clock: drafts flagged since are the fleet's, this run's (see sender)
        self.started = memory.clock() if memory else ""
        self.reviewer = Reviewer(options.qa, CheckOptions.from_config(config), glossary,
                                 notes=getattr(engine, "supports_notes", False),
                                 engine_glossary=engine.supports_glossary)

    @classmethod
    def make(cls, config: Config, engine: Engine, paths: Iterable[Path], langs: tuple[str, ...], *,
             memory: TranslationMemory | None, glossary: Glossary, options: TranslateOptions,
             shard: Shard | None = None) -> Self:
        plan = cls(config, engine, memory, glossary, options)
        plan._plan(paths, langs, shard)
        return plan

    @property
    def planned_characters(self) -> int:
        return sum(len(text) for batch in self.batches for text in batch.texts)

    def key(self, segment: Segment) -> Key:
        return self.config.source_lang, segment.lang, segment.msgid

    # -- what to send ---------------------------------------------------------------------------

    def _plan(self, paths: Iterable[Path], langs: tuple[str, ...], shard: Shard | None) -> None:
        self._open(paths, langs, shard)
        wanted: dict[tuple[str, str], Segment] = {}
        for catalog in self.catalogs:
            for entry in catalog.entries.values():
                if self._wanted(entry):
                    key = (catalog.lang, entry.msgid)
                    wanted.setdefault(key, Segment(catalog.lang, entry.msgid, [])).places.append(catalog)
                    catalog.want(entry)
        remembered = self._remembered(wanted.values())
        for segment in wanted.values():
            found = remembered.get((segment.lang, segment.msgid))
            if found and self.reusable(segment, *found):
                self.reused.append((segment, *found))
                self.summary.reused += 1
                continue
            if found:  # a machine draft that fails today's checks: the memory's unit does not settle the key
                self.redo.add(self.key(segment))
            segment.hidden = self._terms(segment)
            segment.protected = protected = protect(segment.msgid, segment.hidden, segment.inline)
            if protected.sendable:
                self.to_send.append(segment)
            else:  # only markup and glossary terms: no engine needed
                self.reused.append((segment, restore(protected.text, protected), self.engine.name))
        for segment in self.to_send:
            segment.chunks = split(segment.planned.text, self.engine.max_chars)
            self.summary.unique_characters += len(segment.planned.text)
        self.batches = self.pack([(s, i) for s in self.to_send for i in range(len(s.chunks))])

    def _open(self, paths: Iterable[Path], langs: tuple[str, ...], shard: Shard | None) -> None:
        """Load the current catalogs (a stale one is reported and skipped) and note their reviewed entries."""
        sources, refused = self.config.scan(paths, shard)
        self.results += refused_results(refused, langs)
        for source in sources:
            try:
                article = Article.read(self.config, source)
            except L10nError as exc:
                self.results += failed_results(self.config.display(source), langs, exc)
                continue
            for lang in langs:
                result = FileResult(article.display, lang,
                                    target=self.config.display(self.config.catalog_path(source, lang)))
                self.results.append(result)
                try:
                    po, seen = current_catalog(article, lang)
                except L10nError as exc:
                    result.action = Action.SKIPPED
                    result.errors.append(exc)
                    continue
                self.catalogs.append(Catalog(article, lang, po, seen, result))
                self.human.update(((lang, entry.msgid), entry.msgstr) for entry in reviewed(po))

    def _wanted(self, entry: polib.POEntry) -> bool:
        return self.options.force or not entry.msgstr or (self.options.retranslate_fuzzy and "fuzzy" in entry.flags)

    def _remembered(self, segments: Iterable[Segment]) -> dict[tuple[str, str], tuple[str, str]]:
        """(lang, msgid) -> (translation, origin): a reviewed entry of this run, else the memory's best exact match."""
        if self.options.force:
            return {}
        found = {(s.lang, s.msgid): (self.human[(s.lang, s.msgid)], HUMAN) for s in segments
                 if (s.lang, s.msgid) in self.human}
        if self.memory:
            units = self.memory.lookup_many(self.key(s) for s in segments if (s.lang, s.msgid) not in found)
            found.update(((unit.target_lang, unit.source), (unit.target, unit.origin)) for unit in units.values())
        return found

    def reusable(self, segment: Segment, translation: str, origin: str) -> bool:
        """A remembered translation is used as it is, unless it is a machine draft the checks now fail."""
        return origin == HUMAN or not self.findings(segment, translation)

    def _terms(self, segment: Segment) -> list[tuple[int, int, str]]:
        """Glossary terms to hide: do-not-translate ones always, the others for engines without a glossary."""
        return [(start, end, target) for start, end, term in self.glossary.matches(segment.msgid)
                if (target := term.target(segment.lang)) and (not term.translate or not self.engine.supports_glossary)]

    def findings(self, segment: Segment, translation: str) -> tuple[Finding, ...]:
        """The error-level findings of `l10n check` for this draft, with the article's references and the
        entries' waivers (see `qa`)."""
        if not self.reviewer.active:
            return ()
        entries = [e for e in (c.entries.get(segment.msgid) for c in segment.places) if e is not None]
        ignored = frozenset.intersection(*(waived(e.tcomment) for e in entries)) if entries else frozenset()
        return self.reviewer.judge(segment.msgid, translation, segment.lang, segment.inline, ignored)

    # -- requests -------------------------------------------------------------------------------

    def pack(self, pieces: list[tuple[Segment, int]]) -> list[Batch]:
        """Requests of at most `max_batch` texts and `max_chars` characters, in document order."""
        batches: list[Batch] = []
        start = 0
        for end in self._cuts([len(segment.chunks[i]) for segment, i in pieces],
                              [segment.lang for segment, _ in pieces]):
            batches.append(self.batch(pieces[start:end]))
            start = end
        return batches

    def _cuts(self, lengths: list[int], langs: list[str]) -> list[int]:
        """Where `pack` ends its requests, for texts of these lengths and languages."""
        cuts: list[int] = []
        count = size = 0
        for n, (length, lang) in enumerate(zip(lengths, langs)):
            if count and (count >= self.engine.max_batch or size + length > self.engine.max_chars
                          or lang != langs[n - 1]):
                cuts.append(n)
                count = size = 0
            count += 1
            size += length
        return cuts + [len(lengths)] if lengths else []

    def batch(self, pieces: list[tuple[Segment, int]]) -> Batch:
        """One request, with the context an engine may use: the articles' titles and the glossary terms."""
        lang = pieces[0][0].lang
        titles = dict.fromkeys(catalog.title for segment, _ in pieces for catalog in segment.places[:1])
        terms: dict[str, GlossaryHint] = {}
        if self.engine.supports_glossary:
            for segment, _ in pieces:
                for _, _, term in self.glossary.matches(segment.msgid):
                    if term.translate and (target := term.target(lang)):
                        terms[term.source] = GlossaryHint(term.source, target, term.note)
        return Batch(lang, pieces, Context(tuple(t for t in titles if t)[:3], tuple(terms.values()),
                                           self._glossary_hints(lang)))

    def _glossary_hints(self, lang: str) -> tuple[GlossaryHint, ...]:
        if not self.engine.supports_glossary:
            return ()
        return tuple(GlossaryHint(t.source, target, t.note) for t in self.glossary.terms
                     if t.translate and (target := t.target(lang)))

    def by_sentence(self, text: str) -> list[str]:
        """`text` cut at every sentence end (and where a sentence exceeds the engine's limit)."""
        return [piece for sentence in _sentences(text) for piece in split(sentence, self.engine.max_chars)]

    def qa_worst_case(self) -> tuple[int, int]:
        """(characters, requests) that asking every planned segment again would add, at most."""
        if not self.reviewer.retries:
            return 0, 0
        requests = 0
        for s in self.to_send:  # as `Sender._ask_again` packs them: the same chunks, or sentence by sentence
            chunks = s.chunks if self.reviewer.notes else self.by_sentence(s.planned.text)
            requests += len(self._cuts(list(map(len, chunks)), [s.lang] * len(chunks)))
        return sum(len(s.planned.text) for s in self.to_send), requests


def split(text: str, limit: int) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut after sentence ends (。！？ and closing quotes)."""
    if len(text) <= limit:
        return [text]
    pieces, current = [], ""
    for sentence in _sentences(text):
        while len(sentence) > limit:  # one sentence too long: cut it, never inside a placeholder
            cut = limit
            for match in _PLACEHOLDER_TEXT.finditer(sentence, 0, limit + 20):
                if match.start() < cut < match.end():
                    cut = match.start()
            if current:
                pieces.append(current)
                current = ""
            pieces.append(sentence[:cut])
            sentence = sentence[cut:]
        if current and len(current) + len(sentence) > limit:
            pieces.append(current)
            current = ""
        current += sentence
    if current:
        pieces.append(current)
    return pieces


def _sentences(text: str) -> list[str]:
    ends = [m.end() for m in _SENTENCE.finditer(text)]
    bounds = [0] + [e for e in ends if 0 < e < len(text)] + [len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]
