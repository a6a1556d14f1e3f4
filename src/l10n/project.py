"""The library API behind the CLI: extract, build and status over a project's articles.

Each function works file by file: a bad file yields a `FileResult` carrying its errors and the
others are still processed. Nothing is written unless it is complete (see `fsutil.atomic_write`), and a
catalog is never replaced by one merged from an older read of it (see `fsutil.replace_unless_changed`).
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import Callable, Iterable

import polib

from .catalog import (DIGEST_HEADER, SOURCE_HEADER, Stats, catalog_bytes, load_catalog, read_catalog,
                      read_header, stats, translations, update_catalog)
from .config import Config, Refused, Shard
from .document import Document, decode_document
from .errors import L10nError
from .formats import Format, Inline, Parsed, format_for
from .fsutil import atomic_write, batch, digest, read_file, read_or_none, replace_unless_changed
from .segment import Segment
from .state import STATE_FILE, BuildState, build_stamp, written_by_build

Progress = Callable[[int, int], None]  # (source files just finished, total source files)
PARALLEL_FROM = 48  # below this many files, starting worker processes costs more than it saves
PARENT_POLL_SECONDS = 0.5  # how often a worker checks that the process that started it is alive


@dataclass
class FileResult:
    """What happened to one source article for one target language."""

    source: str
    lang: str
    action: str = ""  # written, unchanged, built, failed, ...
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
    data: bytes

    @cached_property
    def format(self) -> Format:
        return format_for(self.path)

    @cached_property
    def digest(self) -> str:
        return digest(self.data, self.format.fingerprint(self.config).encode())

    @cached_property
    def extraction(self) -> tuple[Document, Parsed]:
        """The decoded document and its format's reading of it, computed once for all languages."""
        doc = decode_document(self.data, self.display)
        return doc, self.format.parse(doc, self.config)

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
            self.extraction
        except L10nError as exc:
            return exc
        return None


def extract(config: Config, paths: Iterable[Path] = (), langs: Iterable[str] = (),
            progress: Progress | None = None) -> list[FileResult]:
    """Update the catalogs of every source (or those under `paths`), skipping unchanged ones."""
    return each_source(config, paths, langs, _extract_one, progress, triage=_extract_unchanged)


def build(config: Config, paths: Iterable[Path] = (), langs: Iterable[str] = (), *, use_fuzzy: bool = False,
          strict: bool = False, overwrite: bool = False, progress: Progress | None = None,
          shard: Shard | None = None) -> list[FileResult]:
    """Write the translated articles from sources and catalogs; unchanged ones are not redone.

    An existing output that build did not write (not in the build state: a hand-made translation)
    is replaced only if the built text equals it, or with `overwrite`; otherwise that file fails.
    """
    state = BuildState(config.root / STATE_FILE, config.root)
    triage = partial(_build_unchanged, state=state, use_fuzzy=use_fuzzy, strict=strict)
    results = each_source(config, paths, langs, _build_one, progress, triage=triage, shard=shard,
                           use_fuzzy=use_fuzzy, strict=strict, overwrite=overwrite)
    for result in results:
        if result.built:
            state.record(result.target, *result.built)
    state.save()
    return results


def status(config: Config, paths: Iterable[Path] = (), langs: Iterable[str] = (),
           progress: Progress | None = None, shard: Shard | None = None) -> list[FileResult]:
    """Translation statistics per article and language, and whether each catalog is current."""
    return each_source(config, paths, langs, _status_one, progress, shard=shard)


def each_source(config: Config, paths: Iterable[Path], langs: Iterable[str], work, progress: Progress | None,
                 triage=None, shard: Shard | None = None, **options) -> list[FileResult]:
    """Run `work` per source (of `shard`'s part, if given), in worker processes when there are many.

    `triage(config, source, langs)` may settle cheap cases in this process first (returning the
    results it settled and the languages still to do), so a no-change run starts no workers.
    """
    langs = tuple(langs) or config.target_langs
    unknown = [lang for lang in langs if lang not in config.target_langs]
    if unknown:
        raise L10nError(f"not a target language of this project: {', '.join(unknown)} "
                        f"(targets: {', '.join(config.target_langs)})")
    sources, refused = config.scan(paths, shard)
    results = refused_results(refused, langs)
    jobs = []
    total = len(sources)
    for source in sources:
        todo = langs
        if triage is not None:
            settled, todo = triage(config, source, langs)
            results += settled
        if todo:
            jobs.append((config, source, todo, work, options))
        elif progress:
            progress(1, total)
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) >= PARALLEL_FROM and workers > 1:
        size = max(1, len(jobs) // (workers * 8))
        chunks = [jobs[i:i + size] for i in range(0, len(jobs), size)]
        with ProcessPoolExecutor(workers, initializer=_exit_with_parent) as pool:
            for chunk, found in zip(chunks, pool.map(_run_batch, chunks)):
                results += found
                progress and progress(len(chunk), total)
    else:
        for job in jobs:
            results += _run_batch([job])
            progress and progress(1, total)
    return results


def _run_batch(jobs: list) -> list[FileResult]:
    """`_run` for each job, the files they write made durable together at the end (`fsutil.batch`)."""
    results: list[FileResult] = []
    with batch() as written:
        for job in jobs:
            results += _run(job)
    for path, error in written.errors:  # a catalog saved by someone else meanwhile that could not be merged
        config = jobs[0][0]
        for result in results:
            if result.target == config.display(path):
                result.action = "failed"
                result.errors.append(error)
    return results


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


def refused_results(refused: list[Refused], langs: tuple[str, ...]) -> list[FileResult]:
    """A refused source, per language: a warning ("skipped"), or an error that fails the run."""
    return [FileResult(r.display, lang, "failed", errors=[L10nError(r.reason, r.display)]) if r.error
            else FileResult(r.display, lang, "skipped", warnings=[r.reason]) for r in refused for lang in langs]


def _run(job) -> list[FileResult]:
    config, source, langs, work, options = job
    display = config.display(source)
    try:
        article = Article(config, source, display, config.read_source(source))
    except L10nError as exc:
        return [FileResult(display, lang, "failed", errors=[exc]) for lang in langs]
    try:
        return work(article, langs, **options)
    except Exception as exc:  # a bug must cost one file, not the run: the others are still processed
        error = L10nError(f"internal error ({type(exc).__name__}: {exc}); please report it with this file",
                          display)
        return [FileResult(display, lang, "failed", errors=[error]) for lang in langs]


def _extract_unchanged(config: Config, source: Path, langs: tuple[str, ...]):
    """Catalogs whose header already names this exact source content need no work at all."""
    try:
        article = Article(config, source, config.display(source), config.read_source(source))
    except L10nError:
        return [], langs
    settled, todo = [], []
    for lang in langs:
        po_path = config.catalog_path(source, lang)
        header = read_header(po_path, config.root)
        if header.get(DIGEST_HEADER) == article.digest and header.get(SOURCE_HEADER) == article.display:
            settled.append(FileResult(article.display, lang, "unchanged", config.display(po_path)))
        else:
            todo.append(lang)
    return settled, tuple(todo)


def _extract_one(article: Article, langs: tuple[str, ...]) -> list[FileResult]:
    config, digest = article.config, article.digest
    results = []
    for lang in langs:
        po_path = config.catalog_path(article.path, lang)
        result = FileResult(article.display, lang, target=config.display(po_path))
        results.append(result)
        po = None

        def merge() -> tuple[bytes | None, bytes]:
            """Merge into the catalog's latest content: again if someone saves it before we write."""
            nonlocal po
            previous, seen = read_catalog(po_path, result.target, config.root) if po_path.exists() else (None, None)
            if previous is not None:
                _check_origin(previous, article, result.target)
            po = update_catalog(article.parsed[1], previous, source=article.display, lang=lang, digest=digest,
                                project=config.project_name)
            return seen, catalog_bytes(po)

        try:
            written = replace_unless_changed(po_path, *merge(), merge, config.lock_dir, config.root)
            result.action = "written" if written else "unchanged"
            result.stats = stats(po)
            result.warnings += article.leftover_warnings
        except L10nError as exc:
            result.action = "failed"
            result.errors.append(exc)
    return results


def _check_origin(po, article: Article, display: str) -> None:
    """Refuse a catalog extracted from another article that still exists (a copy, not a move)."""
    origin = po.metadata.get(SOURCE_HEADER)
    if origin and origin != article.display and (article.config.root / origin).exists():
        raise L10nError(f"this catalog belongs to {origin}, not {article.display}; "
                        "move or delete it, then run `l10n extract`", display)


def current_catalog(article: Article, lang: str) -> tuple[polib.POFile, bytes]:
    """The catalog for `lang` and the bytes read, refusing one that is missing, foreign or older than its source."""
    po_path = article.config.catalog_path(article.path, lang)
    display = article.config.display(po_path)
    if not po_path.exists():
        raise article.source_error() or L10nError("no catalog for this article; run `l10n extract`",
                                                  article.display)
    po, data = read_catalog(po_path, display, article.config.root)
    _check_origin(po, article, display)
    if po.metadata.get(DIGEST_HEADER) != article.digest:
        raise article.source_error() or L10nError(f"the source changed since {display} was extracted; "
                                                  "run `l10n extract`", article.display)
    return po, data


def translate_article(article: Article, lang: str, use_fuzzy: bool = False):
    """(catalog, document, rendered translation) of `article` in `lang`, without writing anything."""
    po = current_catalog(article, lang)[0]
    doc, parsed = article.extraction
    po_display = article.config.display(article.config.catalog_path(article.path, lang))
    return po, doc, article.format.render(doc, parsed, translations(po, use_fuzzy), po_display)


def output_stamp(config: Config, source: Path, source_bytes: bytes, lang: str, use_fuzzy: bool,
                 strict: bool) -> str:
    path = config.catalog_path(source, lang)
    try:
        catalog = read_file(path, config.display(path), config.root)
    except L10nError:
        catalog = b""
    return build_stamp(source_bytes, catalog, f"{use_fuzzy}{strict}".encode(), repr(config).encode())


def _build_unchanged(config: Config, source: Path, langs: tuple[str, ...], *, state: BuildState,
                     use_fuzzy: bool, strict: bool):
    """Outputs built from these very bytes and untouched since need no work."""
    try:
        data = config.read_source(source)
    except L10nError:
        return [], langs
    settled, todo = [], []
    for lang in langs:
        output = config.output_path(source, lang)
        target = config.display(output)
        if state.fresh(output, target, output_stamp(config, source, data, lang, use_fuzzy, strict)):
            settled.append(FileResult(config.display(source), lang, "unchanged", target))
        else:
            todo.append(lang)
    return settled, tuple(todo)


def _build_one(article: Article, langs: tuple[str, ...], *, use_fuzzy: bool, strict: bool,
               overwrite: bool = False) -> list[FileResult]:
    config = article.config
    results = []
    for lang in langs:
        out_path = config.output_path(article.path, lang)
        result = FileResult(article.display, lang, target=config.display(out_path))
        results.append(result)
        try:
            po, doc, rendered = translate_article(article, lang, use_fuzzy)
            result.stats = stats(po)
            result.warnings += article.leftover_warnings
            result.errors += rendered.refused
            if rendered.untranslated:
                message = (f"{len(rendered.untranslated)} segment(s) not translated"
                           f"{'' if use_fuzzy else ' or fuzzy'}; the source text is used "
                           f"(first: line {rendered.untranslated[0].line})")
                if strict:
                    raise L10nError(message.split(";")[0] + " (--strict)", article.display,
                                    rendered.untranslated[0].line)
                result.warnings.append(message)
            if strict and rendered.refused:
                result.action = "failed"
                continue
            data = doc.encode(rendered.text)
            if not overwrite and _hand_made(config, out_path, result.target, data):
                raise L10nError("exists and was not written by l10n build; run `l10n align` to adopt it, "
                                "or build with --overwrite", result.target)
            result.action = "written" if atomic_write(out_path, data, config.root) else "unchanged"
            # Recorded even with refused segments (empty stamp: never fresh), so build owns the file.
            stamp = "" if result.errors else output_stamp(config, article.path, article.data, lang, use_fuzzy,
                                                          strict)
            result.built = (stamp, digest(data))
        except L10nError as exc:
            result.action = "failed"
            result.errors.append(exc)
    return results


def _hand_made(config: Config, out_path: Path, key: str, data: bytes) -> bool:
    """An existing output, other than `data`, that build did not write: someone's own translation."""
    try:
        existing = read_or_none(out_path, config.root)
    except L10nError:
        return False  # not a regular file (replaced), or outside the project (atomic_write refuses it)
    return existing not in (None, data) and not written_by_build(config.root, key)


def _status_one(article: Article, langs: tuple[str, ...]) -> list[FileResult]:
    config = article.config
    results = []
    for lang in langs:
        po_path = config.catalog_path(article.path, lang)
        result = FileResult(article.display, lang, target=config.display(po_path))
        results.append(result)
        try:
            if not po_path.exists():
                result.action = "missing"
            else:
                po = load_catalog(po_path, result.target, config.root)
                result.stats = stats(po)
                result.action = "current" if po.metadata.get(DIGEST_HEADER) == article.digest else "stale"
            if result.action != "current" and (error := article.source_error()):
                raise error
        except L10nError as exc:
            result.action = "failed"
            result.errors.append(exc)
    return results
