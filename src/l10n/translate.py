"""Machine translation of the untranslated PO entries: plan what to send, send it robustly, write as it comes.

`plan` reads the current catalogs, reuses what the translation memory already holds (human first),
sends each distinct segment once however many articles hold it, hides markup and glossary terms
behind placeholders and packs the rest into requests. `Job.run` sends them with bounded concurrency,
a rate limit and retries, checks every reply (placeholders, markup, echoes) before it may reach a
catalog, and saves catalogs and memory as it goes, so an interruption loses nothing received, and a
translator's save made meanwhile is kept (see `_Catalog`). Every usable reply is then judged by the
checks of `l10n check` and a wrong one asked again once (`mt_qa`; `Options.qa`).
Machine output is written `fuzzy` with the translator comment `machine translation: <engine>`, and
a draft still wrong after its retry with one `l10n-qa: <check>: <message>` comment per finding.
"""

from __future__ import annotations

import random
import re
import threading
import time
import unicodedata
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

import polib

from .catalog import catalog_bytes, control_character, load_catalog, read_catalog, stats
from .checks import Options as CheckOptions, waived
from .config import Config
from .errors import L10nError
from .formats import Inline
from .fsutil import replace_unless_changed
from .glossary import Glossary
from .memory import FLAGGED, HUMAN, PASSED, Memory, Unit, now
from .mt import Context, Engine, EngineError, GlossaryHint
from .mt_qa import QA_COMMENT, Finding, Reviewer, qa_comments
from .placeholders import PlaceholderMismatch, Protected, protect, restore
from .project import Article, FileResult, current_catalog, refused_results
from .segment import title_of

MT_COMMENT = "machine translation: "
TM_COMMENT = "translation memory: "
_SENTENCE = re.compile(r"(?<=[。！？!?])[”’」』）)\"']*")  # a sentence ends after these (and closing quotes)
_PLACEHOLDER_TEXT = re.compile(r'<x id="\d+"/>')
_NO_SPACES = ("zh", "ja", "ko")  # target languages whose sentences join without a space

Progress = Callable[[int, int], None]  # (segments finished, characters finished) since the last call


@dataclass
class Options:
    retranslate_fuzzy: bool = False  # also entries marked fuzzy
    force: bool = False  # every entry, and no reuse from the memory
    retries: int = 4  # after the first attempt, on 429, 5xx, timeouts and garbled replies
    backoff: float = 1.0  # seconds before the first retry, doubled each time, with jitter
    max_backoff: float = 60.0
    save_every: float = 5.0  # seconds between saves of the catalogs changed so far
    concurrency: int = 4  # requests in flight
    rate: float = 0.0  # requests started per second; 0 = no limit
    qa: str = "on"  # judge every draft by the checks and re-ask a wrong one once; "report": judge only; "off"
    sleep: Callable[[float], None] = time.sleep


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


@dataclass(eq=False)
class _Catalog:
    """One catalog being filled, and what this run put in it, so that a save made meanwhile survives.

    A translator may save the file (Poedit) while the run waits on the engine. Saving then re-reads it
    and puts this run's translations into the fresh catalog again, only into entries nobody else
    touched: theirs win (see `fsutil.replace_unless_changed`).
    """

    article: Article
    lang: str
    po: polib.POFile
    seen: bytes  # the file's content `po` was read from, or last saved as
    result: FileResult
    before: dict[str, tuple] = field(default_factory=dict)  # msgid -> entry as read, for those this run fills
    filled: dict[str, tuple[str, str, tuple]] = field(default_factory=dict)  # msgid -> (translation, origin,
    # findings) given
    dirty: bool = False
    pending: int = 0  # entries still waiting for a translation: at 0 the catalog is saved at once
    abandoned: bool = False  # the file became unreadable during the run: it is left as the translator saved it

    def __post_init__(self) -> None:
        self.entries = _live_entries(self.po)

    @property
    def path(self) -> Path:
        return self.article.config.catalog_path(self.article.path, self.lang)

    def fill(self, msgid: str, translation: str, origin: str, findings: tuple[Finding, ...] = ()) -> bool:
        """Put a translation into the entry of `msgid`; False if someone else has filled or changed it."""
        self.filled[msgid] = (translation, origin, findings)
        entry = self.entries.get(msgid)
        if entry is None or not self._fillable(entry):
            return False
        _write_translation(entry, translation, origin, findings)
        self.dirty = True
        return True

    def _fillable(self, entry: polib.POEntry) -> bool:
        """Still empty, or exactly as this run read it (a fuzzy or `--force` entry nobody else changed)."""
        return not entry.msgstr or _state(entry) == self.before.get(entry.msgid)

    def save(self) -> None:
        if not self.dirty or self.abandoned:
            return
        self.dirty = False
        config = self.article.config
        try:
            if replace_unless_changed(self.path, self.seen, catalog_bytes(self.po), self._reload, config.lock_dir,
                                      config.root):
                self.result.action = "written"
            self.seen = catalog_bytes(self.po)
        except L10nError as exc:
            self.abandoned = True
            self.result.action = "failed"
            self.result.errors.append(L10nError(f"{exc.message} (changed during this run, left as it is: run "
                                                "`l10n translate` again once it is fixed)", exc.path, exc.line))

    def _reload(self) -> tuple[bytes, bytes]:
        """The catalog as saved by someone else meanwhile, with this run's translations put in again."""
        config = self.article.config
        self.po, self.seen = read_catalog(self.path, config.display(self.path), config.root)
        self.entries = _live_entries(self.po)
        for msgid, (translation, origin, findings) in self.filled.items():
            entry = self.entries.get(msgid)
            if entry is not None and self._fillable(entry):
                _write_translation(entry, translation, origin, findings)
        return self.seen, catalog_bytes(self.po)


@dataclass(eq=False)
class _Segment:
    """One distinct msgid in one language, and every entry it fills."""

    lang: str
    msgid: str
    places: list[_Catalog]  # the catalogs holding it
    protected: Protected | None = None
    chunks: list[str] = field(default_factory=list)  # the protected text, split to fit a request
    replies: dict[int, str] = field(default_factory=dict)
    attempts: int = 0
    done: bool = False
    hidden: list[tuple[int, int, str]] = field(default_factory=list)  # the glossary terms hidden when sending
    first: tuple[str, tuple[Finding, ...]] | None = None  # a draft that failed the checks, while re-asked


@dataclass(eq=False)
class _Batch:
    lang: str
    pieces: list[tuple[_Segment, int]]  # (segment, chunk number)
    context: Context

    @property
    def texts(self) -> list[str]:
        return [segment.chunks[i] for segment, i in self.pieces]


class Job:
    """A planned run: `summary` already says what will be sent (that is all `--dry-run` shows)."""

    def __init__(self, config: Config, engine: Engine, memory: Memory | None, glossary: Glossary,
                 options: Options):
        self.config, self.engine, self.memory, self.glossary, self.options = config, engine, memory, glossary, options
        self.summary = Summary(engine.name)
        self.results: list[FileResult] = []
        self.catalogs: list[_Catalog] = []
        self.batches: list[_Batch] = []
        self.human: dict[tuple[str, str], str] = {}  # (lang, msgid) -> reviewed translation in these catalogs
        self.reused: list[tuple[_Segment, str, str]] = []  # (segment, translation, origin) needing no request
        self.lock = threading.Lock()
        self.reviewer = Reviewer(options.qa, CheckOptions.from_config(config), glossary,
                                 notes=getattr(engine, "supports_notes", False),
                                 engine_glossary=engine.supports_glossary)
        self._next_save = time.monotonic() + self.options.save_every

    @property
    def planned_characters(self) -> int:
        return sum(len(text) for batch in self.batches for text in batch.texts)

    def run(self, progress: Progress | None = None) -> list[FileResult]:
        """Send the planned requests; every catalog touched is saved, even on Ctrl-C or a crash."""
        try:
            if self.memory:
                for (lang, msgid), text in self.human.items():
                    self.memory.add(Unit(self.config.source_lang, lang, msgid, text, HUMAN, now()))
            for segment, translation, origin in self.reused:
                self._fill(segment, translation, origin)
            self._send(progress or (lambda segments, chars: None))
        finally:
            self._save(force=True)
        for catalog in self.catalogs:
            catalog.result.stats = stats(catalog.po)
            catalog.result.action = catalog.result.action or "unchanged"
        return self.results

    # -- planning -------------------------------------------------------------------------------

    def plan(self, paths: Iterable[Path], langs: tuple[str, ...]) -> None:
        self._open(paths, langs)
        wanted: dict[tuple[str, str], _Segment] = {}
        for catalog in self.catalogs:
            for entry in catalog.entries.values():
                if self._wanted(entry):
                    key = (catalog.lang, entry.msgid)
                    wanted.setdefault(key, _Segment(catalog.lang, entry.msgid, [])).places.append(catalog)
                    catalog.before[entry.msgid] = _state(entry)
                    catalog.pending += 1
        to_send: list[_Segment] = []
        for key, segment in wanted.items():
            found = None if self.options.force else self._remembered(key)
            if found and (found[1] == HUMAN or not self._findings(segment, found[0])):  # a wrong draft is redone
                self.reused.append((segment, *found))
                self.summary.reused += 1
                continue
            segment.hidden = self._terms(segment)
            segment.protected = protect(segment.msgid, segment.hidden, _inline(segment))
            if segment.protected.sendable:
                to_send.append(segment)
            else:  # only markup and glossary terms: no engine needed
                self.reused.append((segment, restore(segment.protected.text, segment.protected), self.engine.name))
        for segment in to_send:
            segment.chunks = split(segment.protected.text, self.engine.max_chars)
            self.summary.unique_characters += len(segment.protected.text)
        self.batches = self._pack([(s, i) for s in to_send for i in range(len(s.chunks))])

    def _open(self, paths: Iterable[Path], langs: tuple[str, ...]) -> None:
        """Load the current catalogs (a stale one is reported and skipped) and note their reviewed entries."""
        sources, refused = self.config.scan(paths)
        self.results += refused_results(refused, langs)
        for source in sources:
            display = self.config.display(source)
            try:
                article = Article(self.config, source, display, self.config.read_source(source))
            except L10nError as exc:
                self.results += [FileResult(display, lang, "failed", errors=[exc]) for lang in langs]
                continue
            for lang in langs:
                result = FileResult(display, lang, target=self.config.display(self.config.catalog_path(source, lang)))
                self.results.append(result)
                try:
                    po, seen = current_catalog(article, lang)
                except L10nError as exc:
                    result.action = "skipped"
                    result.errors.append(exc)
                    continue
                self.catalogs.append(_Catalog(article, lang, po, seen, result))
                self.human.update(((lang, entry.msgid), entry.msgstr) for entry in reviewed(po))

    def _wanted(self, entry: polib.POEntry) -> bool:
        return self.options.force or not entry.msgstr or (self.options.retranslate_fuzzy and "fuzzy" in entry.flags)

    def _remembered(self, key: tuple[str, str]) -> tuple[str, str] | None:
        """(translation, origin) from a reviewed entry of this run, else the memory's best exact match."""
        if key in self.human:
            return self.human[key], HUMAN
        unit = self.memory.lookup(self.config.source_lang, *key) if self.memory else None
        return (unit.target, unit.origin) if unit else None

    def _terms(self, segment: _Segment) -> list[tuple[int, int, str]]:
        """Glossary terms to hide: do-not-translate ones always, the others for engines without a glossary."""
        return [(start, end, term.target(segment.lang)) for start, end, term in self.glossary.matches(segment.msgid)
                if term.target(segment.lang) and (not term.translate or not self.engine.supports_glossary)]

    def _pack(self, pieces: list[tuple[_Segment, int]]) -> list[_Batch]:
        """Requests of at most `max_batch` texts and `max_chars` characters, in document order."""
        batches: list[_Batch] = []
        current: list[tuple[_Segment, int]] = []
        size = 0
        for piece in pieces:
            length = len(piece[0].chunks[piece[1]])
            if current and (len(current) >= self.engine.max_batch or size + length > self.engine.max_chars
                            or piece[0].lang != current[0][0].lang):
                batches.append(self._batch(current))
                current, size = [], 0
            current.append(piece)
            size += length
        if current:
            batches.append(self._batch(current))
        return batches

    def qa_worst_case(self) -> tuple[int, int]:
        """(characters, requests) that asking every planned segment again would add, at most."""
        segments = list({id(s): s for batch in self.batches for s, _ in batch.pieces}.values())
        if not self.reviewer.retries:
            return 0, 0
        if self.reviewer.notes:
            return sum(map(len, (s.protected.text for s in segments))), len(segments)
        pieces = [len(_sentences(s.protected.text)) for s in segments]
        return sum(len(s.protected.text) for s in segments), sum(-(-n // self.engine.max_batch) for n in pieces)

    def _batch(self, pieces: list[tuple[_Segment, int]]) -> _Batch:
        lang = pieces[0][0].lang
        titles = dict.fromkeys(_title(catalog.article) for segment, _ in pieces for catalog in segment.places[:1])
        terms: dict[str, GlossaryHint] = {}
        if self.engine.supports_glossary:
            for segment, _ in pieces:
                for _, _, term in self.glossary.matches(segment.msgid):
                    if term.translate and term.target(lang):
                        terms[term.source] = GlossaryHint(term.source, term.target(lang), term.note)
        return _Batch(lang, pieces, Context(tuple(t for t in titles if t)[:3], tuple(terms.values()),
                                            self._glossary_hints(lang)))

    def _glossary_hints(self, lang: str) -> tuple[GlossaryHint, ...]:
        if not self.engine.supports_glossary:
            return ()
        return tuple(GlossaryHint(t.source, t.target(lang), t.note) for t in self.glossary.terms
                     if t.translate and t.target(lang))

    # -- running --------------------------------------------------------------------------------

    def _send(self, progress: Progress) -> None:
        pacer = _Pacer(self.options.rate)
        with ThreadPoolExecutor(self.options.concurrency, thread_name_prefix="l10n-mt") as pool:
            pending: dict[Future, _Batch] = {pool.submit(self._call, batch, pacer): batch for batch in self.batches}
            try:
                while pending:
                    done, _ = wait(pending, timeout=self.options.save_every, return_when=FIRST_COMPLETED)
                    for future in done:
                        batch = pending.pop(future)
                        for retry in self._receive(batch, future, progress):
                            pending[pool.submit(self._call, retry, pacer)] = retry
                    self._save()
            finally:
                for future in pending:
                    future.cancel()

    def _call(self, batch: _Batch, pacer: "_Pacer") -> list[str]:
        """One request with retries: exponential backoff with jitter, at least what Retry-After asks."""
        texts, options = batch.texts, self.options
        for attempt in range(options.retries + 1):
            pacer.wait()
            with self.lock:
                self.summary.requests += 1
                self.summary.characters += sum(map(len, texts))
                self.summary.retries += attempt > 0
            try:
                replies = self.engine.translate_batch(texts, self.config.source_lang, batch.lang, batch.context)
            except EngineError as exc:
                if not exc.retryable or attempt == options.retries:
                    raise
                delay = min(options.max_backoff, options.backoff * 2 ** attempt) * random.uniform(0.5, 1.0)
                options.sleep(max(delay, min(exc.retry_after or 0.0, options.max_backoff)))
                continue
            except Exception as exc:  # a bug or surprise in an engine library must not end the run
                raise EngineError(f"{self.engine.name}: unexpected {type(exc).__name__}") from None
            if len(replies) != len(texts):
                raise EngineError(f"{self.engine.name}: {len(replies)} translations for {len(texts)} texts")
            return replies
        raise AssertionError("unreachable")

    def _receive(self, batch: _Batch, future: Future, progress: Progress) -> list[_Batch]:
        """Take a finished request's replies; returns the requests to send again (bad replies, once)."""
        try:
            replies = future.result()
        except EngineError as exc:
            if exc.fatal:
                raise L10nError(str(exc)) from None
            for segment in dict.fromkeys(segment for segment, _ in batch.pieces if not segment.done):
                if segment.first:  # the re-asked draft never came: the first one stands, flagged
                    self._accept(segment, *segment.first)
                else:
                    self._fail(segment, str(exc))
                progress(1, len(segment.protected.text))
            return []
        retry: list[_Batch] = []
        for (segment, index), reply in zip(batch.pieces, replies):
            segment.replies[index] = reply
            if segment.done or len(segment.replies) < len(segment.chunks):
                continue
            problem, translation = self._check(segment)
            if problem is None:
                again = self._review(segment, translation)
                if again:
                    retry += again
                    continue
            elif segment.first:  # the re-asked draft is unusable: the first one stands, flagged
                self._accept(segment, *segment.first)
            elif segment.attempts == 0:
                segment.attempts, segment.replies = 1, {}
                retry += [self._batch([(segment, i)]) for i in range(len(segment.chunks))]
                continue
            else:
                self._fail(segment, problem)
            progress(1, len(segment.protected.text))
        return retry

    # -- judging drafts (see mt_qa) ---------------------------------------------------------------

    def _findings(self, segment: _Segment, translation: str) -> tuple[Finding, ...]:
        """The error-level findings of `l10n check` for this draft, with the article's references and the entry's waivers."""
        if not self.reviewer.active:
            return ()
        entries = [e for e in (c.entries.get(segment.msgid) for c in segment.places) if e is not None]
        ignored = frozenset.intersection(*(waived(e.tcomment) for e in entries)) if entries else frozenset()
        return self.reviewer.judge(segment.msgid, translation, segment.lang, _inline(segment), ignored)

    def _review(self, segment: _Segment, translation: str) -> list[_Batch]:
        """Judge a usable draft: accept it (flagged if wrong), or return the requests that ask again."""
        findings = self._findings(segment, translation)
        if segment.first is None:
            if findings:
                self.summary.qa_wrong_characters += len(segment.protected.text)
                again = self._ask_again(segment, findings) if self.reviewer.retries else []
                if again:
                    segment.first = (translation, findings)
                    return again
            self.summary.clean += not findings
        elif len(findings) > len(segment.first[1]):  # the second draft is worse: keep the first
            translation, findings = segment.first
        self.summary.repaired += bool(segment.first) and not findings
        self._accept(segment, translation, findings)
        return []

    def _ask_again(self, segment: _Segment, findings: tuple[Finding, ...]) -> list[_Batch]:
        """The requests re-asking a wrong draft, or none if they would be the first ones again."""
        retry = self.reviewer.retry(segment.msgid, segment.lang, segment.protected, segment.hidden, findings,
                                    _inline(segment))
        if retry.notes:
            chunks = segment.chunks
        else:  # sentence by sentence
            chunks = [piece for sentence in _sentences(retry.protected.text)
                      for piece in split(sentence, self.engine.max_chars)]
            if chunks == segment.chunks:
                return []  # the same request again: the same answer
        segment.protected, segment.chunks, segment.replies = retry.protected, chunks, {}
        pieces = [(segment, i) for i in range(len(chunks))]
        batches = [self._batch(pieces)] if retry.notes else self._pack(pieces)
        with self.lock:
            self.summary.qa_characters += sum(map(len, chunks))
            self.summary.qa_note_characters += sum(map(len, retry.notes)) * len(batches)
        return [replace(b, context=replace(b.context, notes=retry.notes)) for b in batches]

    def _accept(self, segment: _Segment, translation: str, findings: tuple[Finding, ...]) -> None:
        """Write a usable draft (remembering whether it passed) into every catalog holding it."""
        qa = "" if not self.reviewer.active else FLAGGED if findings else PASSED
        self.summary.flagged += bool(findings)
        self.memory and self.memory.add(Unit(self.config.source_lang, segment.lang, segment.msgid, translation,
                                             self.engine.name, now(), qa))
        self._fill(segment, translation, self.engine.name, findings)
        self.summary.segments += 1
        segment.done = True

    def _check(self, segment: _Segment) -> tuple[str | None, str]:
        """(why the reply cannot be used or None, the restored translation)."""
        replies = [segment.replies[i].strip() for i in range(len(segment.chunks))]
        if replies == [chunk.strip() for chunk in segment.chunks] and any(map(_is_wide, segment.msgid)):
            return "the engine sent the source text back", ""
        joiner = "" if segment.lang.split("_")[0] in _NO_SPACES else " "
        try:
            translation = restore(joiner.join(replies), segment.protected)
        except PlaceholderMismatch as exc:
            return f"the engine garbled the markup ({exc})", ""
        if problem := control_character(translation):  # the catalog could not be read back
            return problem, ""
        translation = translation.strip()
        problem = self._refusal(segment, translation)
        return problem, "" if problem else translation

    @staticmethod
    def _refusal(segment: _Segment, translation: str) -> str | None:
        """Why build would refuse `translation` in any article holding the segment (the same judgement)."""
        for article in {id(catalog.article): catalog.article for catalog in segment.places}.values():
            if why := _refused_in(article, segment.msgid, translation):
                return why
        return None

    def _fill(self, segment: _Segment, translation: str, origin: str, findings: tuple[Finding, ...] = ()) -> None:
        """Write `translation` into every catalog holding `segment`."""
        for catalog in segment.places:
            self.summary.entries += catalog.fill(segment.msgid, translation, origin, findings)
            self._settled(catalog)

    def _fail(self, segment: _Segment, reason: str) -> None:
        segment.done = True
        self.summary.failed += 1
        for catalog in segment.places:
            entry = catalog.entries.get(segment.msgid)
            line = int(entry.occurrences[0][1]) if entry is not None and entry.occurrences else None
            catalog.result.errors.append(L10nError(f"not translated ({segment.lang}): {reason}",
                                                   catalog.article.display, line))
            self._settled(catalog)

    def _settled(self, catalog: _Catalog) -> None:
        catalog.pending -= 1
        if not catalog.pending:
            catalog.save()

    def _save(self, force: bool = False) -> None:
        """Save the unfinished catalogs changed so far, taking at most a tenth of the run's time for it."""
        start = time.monotonic()
        if not force and start < self._next_save:
            return
        for catalog in self.catalogs:
            catalog.save()
        if self.memory:
            self.memory.commit()
        self._next_save = time.monotonic() + max(self.options.save_every, 9 * (time.monotonic() - start))


def plan(config: Config, engine: Engine, paths: Iterable[Path] = (), langs: Iterable[str] = (), *,
         memory: Memory | None = None, glossary: Glossary | None = None, options: Options | None = None) -> Job:
    """Everything a run would send, without sending anything: call `.run()` on the result to send it."""
    langs = tuple(langs) or config.target_langs
    unknown = [lang for lang in langs if lang not in config.target_langs]
    if unknown:
        raise L10nError(f"not a target language of this project: {', '.join(unknown)}")
    job = Job(config, engine, memory, glossary or Glossary(), options or Options())
    job.plan(paths, langs)
    return job


def learn(config: Config, memory: Memory) -> int:
    """Put every reviewed entry of the project's catalogs into the memory as human; returns how many."""
    count = 0
    for source in config.sources():
        for lang in config.target_langs:
            path = config.catalog_path(source, lang)
            if path.exists():
                for entry in reviewed(load_catalog(path, config.display(path), config.root)):
                    memory.add(Unit(config.source_lang, lang, entry.msgid, entry.msgstr, HUMAN, now()))
                    count += 1
    memory.commit()
    return count


def _write_translation(entry: polib.POEntry, translation: str, origin: str, findings: tuple = ()) -> None:
    """Machine output is fuzzy, marked with its engine (and its findings, if the checks failed it); a reused
    reviewed translation is not fuzzy. Comments of earlier runs go, the translator's stay."""
    machine = origin != HUMAN
    entry.msgstr = translation
    entry.previous_msgid = entry.previous_msgctxt = None
    entry.flags = [f for f in entry.flags if f != "fuzzy"] + (["fuzzy"] if machine else [])
    kept = [line for line in entry.tcomment.split("\n")
            if line and not line.startswith((MT_COMMENT, TM_COMMENT, QA_COMMENT))]
    entry.tcomment = "\n".join(kept + [(MT_COMMENT + origin) if machine else (TM_COMMENT + HUMAN)]
                                + qa_comments(findings))


def _live_entries(po: polib.POFile) -> dict[str, polib.POEntry]:
    return {entry.msgid: entry for entry in po if not entry.obsolete and entry.msgid}


def _state(entry: polib.POEntry) -> tuple:
    """What a person may change in an entry: if any of it differs from what this run read, theirs wins."""
    return entry.msgstr, tuple(entry.flags), entry.tcomment, entry.previous_msgid


def reviewed(po: polib.POFile) -> Iterable[polib.POEntry]:
    """Entries a person has translated or approved: not obsolete, not empty, not fuzzy."""
    return (e for e in po if not e.obsolete and e.msgid and e.msgstr and "fuzzy" not in e.flags)


def _inline(segment: _Segment) -> Inline:
    """How the (first) article holding the segment reads it (Markdown: which brackets are links)."""
    article = segment.places[0].article
    return article.inline if article.format.needs_article(segment.msgid) else article.format.standalone


def _refused_in(article: Article, msgid: str, translation: str) -> str | None:
    """Why build would refuse `translation` for every segment of `msgid` in `article`: alone if it can be
    judged alone, else in the rebuilt article."""
    fmt = article.format
    if not fmt.needs_article(msgid, translation):
        return fmt.standalone.refusal(msgid, translation)
    doc, parsed = article.extraction
    refused = fmt.refusals(doc, parsed, {i: translation for i, s in enumerate(parsed.segments) if s.msgid == msgid})
    return next(iter(refused.values()), None)


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


def _title(article: Article) -> str:
    """The article's title, as context for the engine ("" if it has none, or cannot be read)."""
    try:
        return title_of(article.parsed[1])
    except L10nError:
        return ""


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F") and ch.isalpha()


class _Pacer:
    """Spaces request starts at least 1/rate seconds apart across all threads (rate 0: no limit)."""

    def __init__(self, rate: float, sleep: Callable[[float], None] = time.sleep):
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.sleep = sleep
        self.lock = threading.Lock()
        self.next = 0.0

    def wait(self) -> None:
        if not self.interval:
            return
        with self.lock:
            now_ = time.monotonic()
            start = max(now_, self.next)
            self.next = start + self.interval
        if start > now_:
            self.sleep(start - now_)
