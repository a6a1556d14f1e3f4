"""Carrying out a plan: requests with bounded concurrency, pacing and retries, replies written back as they come.

Every reply is checked (placeholders, markup, echoes) before it may reach a catalog, then judged by
the checks of `l10n check`, and a wrong draft asked again once (`qa`; `TranslateOptions.qa`). Catalogs and
memory are saved as the run goes, so an interruption loses nothing received, and a translator's save
made meanwhile is kept (see `catalogs.Catalog`).

Jobs sharing a memory (sharded CI, a team) never pay twice for a segment: before sending, the job
claims the segments it will send, and only those; the ones another job holds are not sent but
waited for, and filled from the memory when that job commits them (after each batch it receives).
Claims are renewed while the run lasts, released when a segment fails, and lapse if the job dies,
so another job takes them over. `--force` sends everything and claims nothing. A segment whose remembered
draft planning rejected (`Plan.redo`: it fails today's checks) is claimed like an unknown one: that old
draft settles nothing, only one the fleet stored in this run does.

A draft another job flagged since this one started (`Plan.started`, by the memory's clock, to the
second: one flagged in the second the job started is taken for an earlier run's) was paid
for in this run and judged by the same checks: it is not claimed and sent again, but taken when
waited for, judged here with this job's entries' waivers and written `fuzzy` with its `l10n-qa:`
findings (counted as flagged). One flagged in an earlier run is sent again, as planning decides.
"""

from __future__ import annotations

import random
import threading
import time
import unicodedata
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import replace
from typing import TYPE_CHECKING

from ..catalog import stats
from ..errors import L10nError
from ..langs import primary
from ..memory import FLAGGED, HUMAN, PASSED, Key, Unit, job_id
from ..mt import EngineError
from ..pofile import control_character
from ..runner import Action, Article, FileResult
from .catalogs import remember_reviewed
from .placeholders import PlaceholderMismatch, restore
from .qa import Finding

if TYPE_CHECKING:
    from .catalogs import Catalog
    from .planner import Batch, Plan, Segment

SegmentProgress = Callable[[int, int], None]  # (segments finished, characters finished) since the last call
_NO_SPACES = ("zh", "ja", "ko")  # target languages whose sentences join without a space


class Sender:
    """One run of a plan; `claimed` and `waiting` are the segments this job sends and those another job does."""

    def __init__(self, plan: Plan):
        self.plan, self.options, self.memory, self.engine = plan, plan.options, plan.memory, plan.engine
        self.summary = plan.summary
        self.lock = threading.Lock()
        self.job = job_id()
        self.claimed: dict[Key, Segment] = {}  # claimed by this job, not finished yet
        self.waiting: dict[Key, Segment] = {}  # claimed by another job: filled from the memory when it has them
        clock = time.monotonic()
        self._next_save = clock + self.options.save_every
        self._next_renewal = clock + self.options.claim_ttl / 3
        self._next_look = clock

    def run(self, progress: SegmentProgress | None = None) -> list[FileResult]:
        plan = self.plan
        try:
            if self.memory:
                remember_reviewed(self.memory, plan.config.source_lang,
                                  ((lang, msgid, text) for (lang, msgid), text in plan.human.items()))
            for segment, translation, origin in plan.reused:
                self._fill(segment, translation, origin)
            self._send(progress or (lambda segments, chars: None))
        finally:
            self._save(force=True)
            if self.memory and self.claimed:  # interrupted: others may take these at once
                self.memory.release(self.claimed, self.job)
        for catalog in plan.catalogs:
            catalog.result.stats = stats(catalog.po)
            catalog.result.action = catalog.result.action or Action.UNCHANGED
        return plan.results

    def _send(self, progress: SegmentProgress) -> None:
        pacer = _Pacer(self.options.rate)
        with ThreadPoolExecutor(self.options.concurrency, thread_name_prefix="l10n-mt") as pool:
            pending: dict[Future, Batch] = {pool.submit(self._call, batch, pacer): batch
                                            for batch in self._claim()}
            try:
                while pending or self.waiting:
                    if pending:
                        timeout = self.options.poll if self.waiting else self.options.save_every
                        done, _ = wait(pending, timeout=timeout, return_when=FIRST_COMPLETED)
                        for future in done:
                            batch = pending.pop(future)
                            for retry in self._receive(batch, future, progress):
                                pending[pool.submit(self._call, retry, pacer)] = retry
                        if done and self.memory:
                            self.memory.commit()  # what jobs waiting for these segments wait on
                    for batch in self._look_at_waiting(progress, blocking=not pending):
                        pending[pool.submit(self._call, batch, pacer)] = batch
                    self._renew()
                    self._save()
            finally:
                for future in pending:
                    future.cancel()

    # -- claims ---------------------------------------------------------------------------------

    def _claim(self) -> list[Batch]:
        """The requests of the segments this job may send: all of the plan's, or those it could claim."""
        plan = self.plan
        if not self.memory or self.options.force or not plan.to_send:
            return plan.batches
        keys = {plan.key(segment): segment for segment in plan.to_send}
        ours = self.memory.claim(keys, self.job, self.options.claim_ttl, since=plan.started, redo=plan.redo)
        self.claimed = {key: segment for key, segment in keys.items() if key in ours}
        self.waiting = {key: segment for key, segment in keys.items() if key not in ours}
        if not self.waiting:
            return plan.batches
        return plan.pack([(s, i) for s in self.claimed.values() for i in range(len(s.chunks))])

    def _look_at_waiting(self, progress: SegmentProgress, blocking: bool) -> list[Batch]:
        """Fill the waited-for segments the memory now has (a draft the fleet flagged in this run too, judged
        here: written with its findings); claim (and return the requests of) those that nobody holds any
        more: their job failed on them, or died."""
        clock = time.monotonic()
        if self.memory is None or not self.waiting or (not blocking and clock < self._next_look):
            return []
        self._next_look = clock + self.options.poll
        since = self.plan.started
        redo = self.plan.redo
        found = self.memory.wait(list(self.waiting), self.options.poll if blocking else 0, since=since, redo=redo)
        mine: list[Segment] = []
        for key, unit in found.items():
            segment = self.waiting.pop(key)
            findings = () if unit.origin == HUMAN else self.plan.findings(segment, unit.target)
            if findings and unit.qa != FLAGGED:
                mine.append(segment)  # passed elsewhere, fails here (another entry's waivers): redone, unclaimed,
                continue  # as planning would
            segment.done = True
            self.summary.waited += 1
            self.summary.flagged += bool(findings)
            self._fill(segment, unit.target, unit.origin, findings)
            progress(1, len(segment.planned.text))
        if self.waiting:
            ours = self.memory.claim(self.waiting, self.job, self.options.claim_ttl, since=since, redo=redo)
            for key in ours:
                self.claimed[key] = self.waiting.pop(key)
                mine.append(self.claimed[key])
        return self.plan.pack([(s, i) for s in mine for i in range(len(s.chunks))]) if mine else []

    def _renew(self) -> None:
        """Keep this job's claims alive while it works on them (a dead job's lapse after `claim_ttl`)."""
        clock = time.monotonic()
        if self.memory is not None and self.claimed and clock >= self._next_renewal:
            self._next_renewal = clock + self.options.claim_ttl / 3
            ours = self.memory.claim(self.claimed, self.job, self.options.claim_ttl, since=self.plan.started,
                                     redo=self.plan.redo)
            for key in [key for key in self.claimed if key not in ours]:  # lapsed and taken, or in the memory
                self.waiting[key] = self.claimed.pop(key)  # now: waited for, its replies in flight ignored

    def _lost(self, segment: Segment) -> bool:
        """Whether another job took over this segment's claim: its replies must not be written."""
        return bool(self.waiting) and self.plan.key(segment) in self.waiting

    def _settle_claim(self, segment: Segment, failed: bool) -> None:
        key = self.plan.key(segment)
        if self.claimed.pop(key, None) is not None and failed and self.memory is not None:
            self.memory.release({key}, self.job)

    # -- requests -------------------------------------------------------------------------------

    def _call(self, batch: Batch, pacer: _Pacer) -> list[str]:
        """One request with retries: exponential backoff with jitter, at least what Retry-After asks."""
        texts, options = batch.texts, self.options
        for attempt in range(options.retries + 1):
            pacer.wait()
            with self.lock:
                self.summary.requests += 1
                self.summary.characters += sum(map(len, texts))
                self.summary.retries += attempt > 0
            try:
                replies = self.engine.translate_batch(texts, self.plan.config.source_lang, batch.lang, batch.context)
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

    def _receive(self, batch: Batch, future: Future, progress: SegmentProgress) -> list[Batch]:
        """Take a finished request's replies; returns the requests to send again (bad replies, once)."""
        try:
            replies = future.result()
        except EngineError as exc:
            if exc.fatal:
                raise L10nError(str(exc)) from None
            for segment in dict.fromkeys(segment for segment, _ in batch.pieces
                                         if not segment.done and not self._lost(segment)):
                if segment.first:  # the re-asked draft never came: the first one stands, flagged
                    self._accept(segment, *segment.first)
                else:
                    self._fail(segment, str(exc))
                progress(1, len(segment.planned.text))
            return []
        retry: list[Batch] = []
        for (segment, index), reply in zip(batch.pieces, replies):
            segment.replies[index] = reply
            if segment.done or self._lost(segment) or len(segment.replies) < len(segment.chunks):
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
                retry += [self.plan.batch([(segment, i)]) for i in range(len(segment.chunks))]
                continue
            else:
                self._fail(segment, problem)
            progress(1, len(segment.planned.text))
        return retry

    # -- judging drafts (see qa) ------------------------------------------------------------------

    def _review(self, segment: Segment, translation: str) -> list[Batch]:
        """Judge a usable draft: accept it (flagged if wrong), or return the requests that ask again."""
        findings = self.plan.findings(segment, translation)
        if segment.first is None:
            if findings:
                self.summary.qa_wrong_characters += len(segment.planned.text)
                again = self._ask_again(segment, findings) if self.plan.reviewer.retries else []
                if again:
                    segment.first = (translation, findings)
                    return again
            self.summary.clean += not findings
        elif len(findings) > len(segment.first[1]):  # the second draft is worse: keep the first
            translation, findings = segment.first
        self.summary.repaired += bool(segment.first) and not findings
        self._accept(segment, translation, findings)
        return []

    def _ask_again(self, segment: Segment, findings: tuple[Finding, ...]) -> list[Batch]:
        """The requests re-asking a wrong draft, or none if they would be the first ones again."""
        retry = self.plan.reviewer.retry(segment.msgid, segment.lang, segment.planned, segment.hidden, findings,
                                         segment.inline)
        if retry.notes:
            chunks = segment.chunks
        else:  # sentence by sentence
            chunks = self.plan.by_sentence(retry.protected.text)
            if chunks == segment.chunks:
                return []  # the same request again: the same answer
        segment.protected, segment.chunks, segment.replies = retry.protected, chunks, {}
        pieces = [(segment, i) for i in range(len(chunks))]
        batches = self.plan.pack(pieces)  # within the engine's limits; the notes go with each request
        with self.lock:
            self.summary.qa_characters += sum(map(len, chunks))
            self.summary.qa_note_characters += sum(map(len, retry.notes)) * len(batches)
        return [replace(b, context=replace(b.context, notes=retry.notes)) for b in batches]

    def _accept(self, segment: Segment, translation: str, findings: tuple[Finding, ...]) -> None:
        """Write a usable draft (remembering whether it passed) into every catalog holding it."""
        qa = "" if not self.plan.reviewer.active else FLAGGED if findings else PASSED
        self.summary.flagged += bool(findings)
        if self.memory:
            self.memory.add(Unit(self.plan.config.source_lang, segment.lang, segment.msgid, translation,
                                 self.engine.name, self.memory.clock(), qa))
            self._settle_claim(segment, failed=False)
        self._fill(segment, translation, self.engine.name, findings)
        self.summary.segments += 1
        segment.done = True

    def _check(self, segment: Segment) -> tuple[str | None, str]:
        """(why the reply cannot be used or None, the restored translation)."""
        replies = [segment.replies[i].strip() for i in range(len(segment.chunks))]
        if replies == [chunk.strip() for chunk in segment.chunks] and any(map(_is_wide_letter, segment.msgid)):
            return "the engine sent the source text back", ""
        joiner = "" if primary(segment.lang) in _NO_SPACES else " "
        try:
            translation = restore(joiner.join(replies), segment.planned)
        except PlaceholderMismatch as exc:
            return f"the engine garbled the markup ({exc})", ""
        if problem := control_character(translation):  # the catalog could not be read back
            return problem, ""
        translation = translation.strip()
        problem = self._refusal(segment, translation)
        return problem, "" if problem else translation

    @staticmethod
    def _refusal(segment: Segment, translation: str) -> str | None:
        """Why build would refuse `translation` in any article holding the segment (the same judgement)."""
        for article in {id(catalog.article): catalog.article for catalog in segment.places}.values():
            if why := _refused_in(article, segment.msgid, translation):
                return why
        return None

    # -- writing back ---------------------------------------------------------------------------

    def _fill(self, segment: Segment, translation: str, origin: str, findings: tuple[Finding, ...] = ()) -> None:
        """Write `translation` into every catalog holding `segment`."""
        for catalog in segment.places:
            self.summary.entries += catalog.fill(segment.msgid, translation, origin, findings)
            self._settled(catalog)

    def _fail(self, segment: Segment, reason: str) -> None:
        segment.done = True
        self.summary.failed += 1
        if self.memory:
            self._settle_claim(segment, failed=True)
        for catalog in segment.places:
            catalog.fail(segment.msgid, f"not translated ({segment.lang}): {reason}")
            self._settled(catalog)

    def _settled(self, catalog: Catalog) -> None:
        catalog.pending -= 1
        if not catalog.pending:
            catalog.save()

    def _save(self, force: bool = False) -> None:
        """Save the unfinished catalogs changed so far, taking at most a tenth of the run's time for it."""
        start = time.monotonic()
        if not force and start < self._next_save:
            return
        for catalog in self.plan.catalogs:
            catalog.save()
        if self.memory:
            self.memory.commit()
        self._next_save = time.monotonic() + max(self.options.save_every, 9 * (time.monotonic() - start))


def _refused_in(article: Article, msgid: str, translation: str) -> str | None:
    """Why build would refuse `translation` for every segment of `msgid` in `article`: alone if it can be
    judged alone, else in the rebuilt article."""
    fmt = article.format
    if not fmt.needs_article(msgid, translation):
        return fmt.standalone.refusal(msgid, translation)
    doc, parsed = article.extraction
    refused = fmt.refusals(doc, parsed, {i: translation for i, s in enumerate(parsed.segments) if s.msgid == msgid})
    return next(iter(refused.values()), None)


def _is_wide_letter(ch: str) -> bool:
    """A letter of a script written in full-width characters (Han, kana, hangul): a reply holding the
    source's is an echo."""
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
