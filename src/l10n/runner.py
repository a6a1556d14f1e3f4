"""The per-file runner behind every command: each source article read once, its work done for every
language, in worker processes when there are many.

A bad file costs that file only: it yields results carrying its errors and the others are still
processed. The work functions (extract, build, status, check, review) live with their modules and get
an `Article`; this module knows nothing of what they do.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property, partial
from pathlib import Path
from typing import Any, TypeVar

import polib

from .catalog import Stats
from .config import Config, Refused, Shard
from .confine import read_file, resolved_folders
from .document import Document, decode_document
from .errors import L10nError
from .fingerprint import digest
from .formats import Format, Inline, Parsed, format_for
from .pofile import DIGEST_HEADER, SOURCE_HEADER, parse_catalog
from .segment import Segment
from .writes import batch

PARALLEL_FROM = 48  # below this many files, starting worker processes costs more than it saves
HELD_BYTES = 64 * 2**20  # sources' bytes kept from the triage for the workers, in all; beyond, a worker reads again
HELD_LARGEST = 2**20  # a larger source is read again by its worker: kept, its bytes would outlive its decoding
PARENT_POLL_SECONDS = 0.5  # how often a worker checks that the process that started it is alive

FileProgress = Callable[[int, int], None]  # (source files just finished, total source files)
R = TypeVar("R")
Work = Callable[..., list[R]]
"""(article, langs, **options) -> one result per language: a module-level function (workers receive it pickled)."""
Triage = Callable[["Article", tuple[str, ...]], tuple[list[R], tuple[str, ...]]]
"""(article, langs) -> (the results it settled cheaply, the languages still to do)."""
WriteAhead = Callable[[list[R]], None]
"""(a batch's results) -> None, in the worker: a module-level function, or a partial of one."""


class Action(StrEnum):
    """What a command did with one article in one language (the `action` of the JSON output)."""

    PENDING = ""
    WRITTEN = "written"
    UNCHANGED = "unchanged"
    FAILED = "failed"
    SKIPPED = "skipped"
    MISSING = "missing"  # status: no catalog yet
    CURRENT = "current"  # status: the catalog is extracted from this very source
    STALE = "stale"  # status: the source changed since
    NO_TRANSLATION = "no translation"  # align: no existing translation to align with
    BUILT_BY_L10N = "built by l10n"  # align: the existing translation is build's own output


@dataclass
class FileResult:
    """What happened to one source article for one target language."""

    source: str
    lang: str
    action: Action = Action.PENDING
    target: str = ""  # the catalog or output file concerned
    stats: Stats | None = None
    errors: list[L10nError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    built: tuple[str, str] | None = None  # (stamp, digest of the bytes written) of a clean build

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Article:
    """A source file read once and shared by every language's work."""

    config: Config
    path: Path
    display: str
    _data: bytes | None = field(repr=False)  # None once the document is decoded (see `data`)

    @classmethod
    def read(cls, config: Config, source: Path) -> Article:
        """The source article at `source`, read by the project's rules, or an L10nError saying why not."""
        return cls(config, source, config.display(source), config.read_source(source))

    @property
    def data(self) -> bytes:
        """The source's bytes: as read until the document is decoded, then encoded again from it when asked
        (the same bytes: UTF-8 decodes and encodes back exactly), so that a large article is not held twice."""
        return self._data if self._data is not None else self.document.encode()

    @cached_property
    def format(self) -> Format:
        return format_for(self.path)

    @cached_property
    def digest(self) -> str:
        return digest(self.data, self.format.fingerprint(self.config).encode())

    @cached_property
    def document(self) -> Document:
        """The decoded source; its bytes are let go (see `data`)."""
        doc = decode_document(self.data, self.display)
        self._data = None
        return doc

    @cached_property
    def extraction(self) -> tuple[Document, Parsed]:
        """The decoded document and its format's reading of it, computed once for all languages."""
        return self.document, self.format.parse(self.document, self.config)

    @property
    def parsed(self) -> tuple[Document, list[Segment]]:
        doc, found = self.extraction
        return doc, found.segments

    @property
    def inline(self) -> Inline:
        """How the article's fragments read (Markdown: with its link reference definitions)."""
        return self.extraction[1].inline

    @property
    def leftover_warnings(self) -> list[str]:
        """The documented limits this article meets (text kept in the source language), one per line."""
        return [f"line {left.line}: {left.message()}" for left in self.extraction[1].leftovers]

    def source_error(self) -> L10nError | None:
        """Why the source cannot be extracted (front matter, encoding...), if it cannot: the real cause
        behind a missing or stale catalog."""
        try:
            _ = self.extraction  # parsed (and cached) or the reason it cannot be
        except L10nError as exc:
            return exc
        return None


def target_langs(config: Config, langs: Iterable[str]) -> tuple[str, ...]:
    """The languages asked for (default: every target of the project), refusing one that is not a target."""
    chosen = tuple(langs) or config.target_langs
    unknown = [lang for lang in chosen if lang not in config.target_langs]
    if unknown:
        raise L10nError(f"not a target language of this project: {', '.join(unknown)} "
                        f"(targets: {', '.join(config.target_langs)})")
    return chosen


def each_source(config: Config, paths: Iterable[Path], langs: Iterable[str], work: Work[R],
                progress: FileProgress | None = None, triage: Triage[R] | None = None, shard: Shard | None = None,
                write_ahead: WriteAhead[R | FileResult] | None = None, list_quiet: bool = False,
                **options: Any) -> list[R | FileResult]:
    """Run `work(article, langs, **options)` per source (of `shard`'s part, if given), in worker processes
    when there are many.

    `triage` may settle cheap cases in this process first (returning the results it settled and the
    languages still to do), so a no-change run starts no workers. `write_ahead` is given each batch's
    results once its work is done, before the files it wrote are renamed into place. `list_quiet`: the
    results include the files that are plainly not sources (`Refused.quiet`).
    """
    langs = target_langs(config, langs)
    with resolved_folders():
        sources, refused = config.scan(paths, shard)
        results: list[R | FileResult] = list(refused_results(refused, langs, list_quiet))
        jobs: list[_Job[R]] = []
        total, held = len(sources), 0
        for source in sources:
            todo, read = langs, None
            if triage is not None:
                settled, todo, read = _triaged(triage, config, source, langs)
                results += settled
            if todo:
                if read is not None:
                    held += len(read[0])
                    read = read if held <= HELD_BYTES and len(read[0]) <= HELD_LARGEST else None
                jobs.append((config, source, todo, work, options, read))
            elif progress:
                progress(1, total)
    workers = min(os.cpu_count() or 1, 8)
    run_batch = partial(_run_batch, write_ahead=write_ahead)
    if len(jobs) >= PARALLEL_FROM and workers > 1:
        size = max(1, len(jobs) // (workers * 8))
        chunks = [jobs[i:i + size] for i in range(0, len(jobs), size)]
        with ProcessPoolExecutor(workers, initializer=_exit_with_parent) as pool:
            for chunk, found in zip(chunks, pool.map(run_batch, chunks)):
                results += found
                progress and progress(len(chunk), total)
    else:
        for found in map(run_batch, [[job] for job in jobs]):
            results += found
            progress and progress(1, total)
    return results


_Read = tuple[bytes, str]  # a source's bytes and digest, as the triage read them: the worker reads nothing again
_Job = tuple[Config, Path, tuple[str, ...], Work[R], dict[str, Any], _Read | None]
"""What a worker gets: one source's work (with its bytes and digest when the triage read them)."""


def _run_batch(jobs: list[_Job[R]], write_ahead: WriteAhead[R | FileResult] | None) -> list[R | FileResult]:
    """`_run` for each job, the files they write made durable together at the end (`writes.batch`)."""
    results: list[R | FileResult] = []
    with resolved_folders(), batch() as written:
        for job in jobs:
            found = _run(job)
            results += found
        if write_ahead is not None:
            write_ahead(results)  # nothing is renamed yet: that is the batch's flush, on leaving this block
    for path, error in written.errors:  # a file that could not be saved at the flush (or merged again)
        config = jobs[0][0]
        for result in results:
            if isinstance(result, FileResult) and result.target == config.display(path):
                result.action = Action.FAILED
                result.errors.append(error)
                result.built = None  # not written: nothing to record
    return results


def _triaged(triage: Triage[R], config: Config, source: Path,
             langs: tuple[str, ...]) -> tuple[list[R], tuple[str, ...], _Read | None]:
    """(settled results, languages still to do, the source's bytes and digest for the worker).
    A source that cannot be read settles nothing here: its work reports why."""
    try:
        article = Article.read(config, source)
    except L10nError:
        return [], langs, None
    settled, todo = triage(article, langs)
    return settled, todo, (article.data, article.digest) if todo else None


def _exit_with_parent() -> None:
    """Worker initializer: exit as soon as the parent is gone.

    A parent killed outright (SIGKILL, OOM killer) cannot shut its pool down, and a worker waiting
    for its next job would wait forever. Its parent (the main process, or multiprocessing's fork
    server, which exits with it) is watched from a daemon thread: portable, and it also stops a
    worker in the middle of a long job.
    """
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="l10n-exit-with-parent", daemon=True).start()


def refused_results(refused: list[Refused], langs: tuple[str, ...], quiet: bool = False) -> list[FileResult]:
    """A refused source, per language: a warning ("skipped"), or an error that fails the run; with `quiet`,
    the files that are plainly not sources too (`Refused.quiet`)."""
    return [FileResult(r.display, lang, Action.FAILED, errors=[L10nError(r.reason, r.display)]) if r.error
            else FileResult(r.display, lang, Action.SKIPPED, warnings=[r.reason])
            for r in refused if quiet or not r.quiet for lang in langs]


def failed_results(display: str, langs: tuple[str, ...], error: L10nError) -> list[FileResult]:
    """A source none of whose languages could be worked on, for the same reason."""
    return [FileResult(display, lang, Action.FAILED, errors=[error]) for lang in langs]


def _run(job: _Job[R]) -> list[R | FileResult]:
    config, source, langs, work, options, read = job
    if read is not None:  # read and hashed by the triage: the same bytes, not read again
        article = Article(config, source, config.display(source), read[0])
        article.__dict__["digest"] = read[1]  # the cached_property's value
    else:
        try:
            article = Article.read(config, source)
        except L10nError as exc:
            return list(failed_results(config.display(source), langs, exc))
    try:
        return list(work(article, langs, **options))
    except Exception as exc:  # a bug must cost one file, not the run: the others are still processed
        error = L10nError(f"internal error ({type(exc).__name__}: {exc}); please report it with this file",
                          article.display)
        return list(failed_results(article.display, langs, error))


def check_origin(metadata: dict[str, str], article: Article, display: str) -> None:
    """Refuse a catalog (by its `metadata`) extracted from another article that still exists (a copy, not a move)."""
    origin = metadata.get(SOURCE_HEADER)
    if origin and origin != article.display and (article.config.root / origin).exists():
        raise L10nError(f"this catalog belongs to {origin}, not {article.display}; "
                        "move or delete it, then run `l10n extract`", display)


def current_catalog(article: Article, lang: str) -> tuple[polib.POFile, bytes]:
    """The catalog for `lang` and the bytes read, refusing one that is missing, foreign or older than its source."""
    path, display, data = catalog_file(article, lang)
    po = parse_catalog(data, display, str(path))
    check_current(po.metadata, article, display)
    return po, data


def catalog_file(article: Article, lang: str) -> tuple[Path, str, bytes]:
    """(path, display name, bytes) of the catalog for `lang`, refusing a missing one."""
    path = article.config.catalog_path(article.path, lang)
    display = article.config.display(path)
    if not path.exists():
        raise article.source_error() or L10nError("no catalog for this article; run `l10n extract`",
                                                  article.display)
    return path, display, read_file(path, display, article.config.root)


def check_current(metadata: dict[str, str], article: Article, display: str) -> None:
    """Refuse a catalog (by its `metadata`) that is foreign or older than its source."""
    check_origin(metadata, article, display)
    if metadata.get(DIGEST_HEADER) != article.digest:
        raise article.source_error() or L10nError(f"the source changed since {display} was extracted; "
                                                  "run `l10n extract`", article.display)
