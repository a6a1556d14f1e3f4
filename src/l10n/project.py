"""The library API behind the CLI: extract, build and status over a project's articles.

Each is a work function per article for `runner.each_source`, which reads every source once and
runs them (in worker processes when there are many): a bad file yields a `FileResult` carrying its
errors and the others are still processed. Nothing is written unless it is complete (see
`writes.atomic_write`), and a catalog is never replaced by one merged from an older read of it (see
`writes.replace_unless_changed`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path

import polib

from .catalog import Stats, Usable, stats, update_catalog, usable
from .config import Config, Shard
from .confine import read_or_none
from .document import Document
from .errors import L10nError
from .fingerprint import digest
from .formats import Rendered
from .pofile import (
    DIGEST_HEADER,
    SOURCE_HEADER,
    catalog_pieces,
    load_catalog,
    read_catalog,
    read_header,
    reduce_catalog,
)
from .runner import Action, Article, FileProgress, FileResult, catalog_file, check_current, check_origin, each_source
from .state import (
    STATE_FILE,
    BuildState,
    extracted_by_this_code,
    journal,
    output_stamp,
    record_extraction,
    written_by_build,
)
from .writes import Content, atomic_write, holds, replace_unless_changed

STREAMED_FROM = 2**20  # characters of an article from which its output is written without being held whole


def extract(config: Config, paths: Iterable[Path] = (), langs: Iterable[str] = (),
            progress: FileProgress | None = None) -> list[FileResult]:
    """Update the catalogs of every source (or those under `paths`), skipping unchanged ones: those whose
    catalog names their digest, when this code made the catalogs (`state.extracted_by_this_code`)."""
    paths, langs = tuple(paths), tuple(langs)
    trusted = extracted_by_this_code(config.root)
    results = each_source(config, paths, langs, _extract_one, progress,
                          triage=_extract_unchanged if trusted else None, list_quiet=True)
    complete = not paths and set(langs or config.target_langs) == set(config.target_langs)
    if not trusted and complete and not any(result.action == Action.FAILED for result in results):
        record_extraction(config.root)
    return results


def build(config: Config, paths: Iterable[Path] = (), langs: Iterable[str] = (), *, use_fuzzy: bool = False,
          strict: bool = False, overwrite: bool = False, progress: FileProgress | None = None,
          shard: Shard | None = None) -> list[FileResult]:
    """Write the translated articles from sources and catalogs; unchanged ones are not redone.

    An existing output that build did not write (not in the build state: a hand-made translation)
    is replaced only if the built text equals it, or with `overwrite`; otherwise that file fails.
    """
    state = BuildState(config.root / STATE_FILE, config.root)
    state.save()  # first, the outputs an interrupted build put in place: its workers judge by the state
    triage = partial(_build_unchanged, state=state, use_fuzzy=use_fuzzy, strict=strict)
    results = each_source(config, paths, langs, _build_one, progress, triage=triage, shard=shard,
                          write_ahead=partial(_journal_built, config.root), use_fuzzy=use_fuzzy, strict=strict,
                          overwrite=overwrite)
    for result in results:
        if result.built:
            state.record(result.target, *result.built)
    state.save()
    return results


def _journal_built(root: Path, results: list[FileResult]) -> None:
    """Before a batch renames its outputs into place, what build will own (see `state.journal`): a build
    killed before its state is saved must not leave outputs the next build takes for hand-made."""
    journal(root, {result.target: list(result.built) for result in results if result.built})


def status(config: Config, paths: Iterable[Path] = (), langs: Iterable[str] = (),
           progress: FileProgress | None = None, shard: Shard | None = None) -> list[FileResult]:
    """Translation statistics per article and language, and whether each catalog is current."""
    return each_source(config, paths, langs, _status_one, progress, shard=shard)


def _extract_unchanged(article: Article, langs: tuple[str, ...]) -> tuple[list[FileResult], tuple[str, ...]]:
    """Catalogs whose header already names this exact source content need no work at all."""
    config = article.config
    settled, todo = [], []
    for lang in langs:
        po_path = config.catalog_path(article.path, lang)
        header = read_header(po_path, config.root)
        if header.get(DIGEST_HEADER) == article.digest and header.get(SOURCE_HEADER) == article.display:
            settled.append(FileResult(article.display, lang, Action.UNCHANGED, config.display(po_path)))
        else:
            todo.append(lang)
    return settled, tuple(todo)


def _extract_one(article: Article, langs: tuple[str, ...]) -> list[FileResult]:
    return [_extract_lang(article, lang) for lang in langs]


def _extract_lang(article: Article, lang: str) -> FileResult:
    """One catalog; a function of its own, as `merge` may run again at the batch's flush (`writes.batch`),
    after the other languages: it must keep this language's path and result."""
    config, digest = article.config, article.digest
    po_path = config.catalog_path(article.path, lang)
    result = FileResult(article.display, lang, target=config.display(po_path))
    po: polib.POFile | None = None

    def merge() -> tuple[bytes | None, Content]:
        """Merge into the catalog's latest content: again if someone saves it before we write."""
        nonlocal po
        previous, seen = read_catalog(po_path, result.target, config.root) if po_path.exists() else (None, None)
        if previous is not None:
            check_origin(previous.metadata, article, result.target)
        po = update_catalog(article.parsed[1], previous, source=article.display, lang=lang, digest=digest,
                            project=config.project_name)
        return seen, partial(catalog_pieces, po)

    try:
        written = replace_unless_changed(po_path, *merge(), merge, config.lock_dir, config.root)
        assert po is not None  # set by merge()
        result.action = Action.WRITTEN if written else Action.UNCHANGED
        result.stats = stats(po)
        result.warnings += article.leftover_warnings
    except L10nError as exc:
        result.action = Action.FAILED
        result.errors.append(exc)
    return result


def translate_article(article: Article, lang: str, use_fuzzy: bool = False,
                      strict: bool = False) -> tuple[Stats, str, Document, Rendered]:
    """(the catalog's statistics, stamp of an output built from it, document, rendered translation) of
    `article` in `lang`, without writing anything. The catalog is read for what build uses of it (`Usable`):
    its entries, which weigh several times a large article, are never all held."""
    found, stamp = _usable_catalog(article, lang, use_fuzzy, strict)
    doc, parsed = article.extraction
    po_display = article.config.display(article.config.catalog_path(article.path, lang))
    return found.stats, stamp, doc, article.format.render(doc, parsed, found.translations, po_display)


def _usable_catalog(article: Article, lang: str, use_fuzzy: bool, strict: bool) -> tuple[Usable, str]:
    """What build uses of the catalog for `lang` (refused as `current_catalog` refuses it), and the stamp of an
    output rendered from it: stamped with the catalog bytes read, not read again (a save made since must make
    the output stale), and as soon as read, so that the bytes are not kept while the article is rendered."""
    _, display, data = catalog_file(article, lang)
    stamp = output_stamp(article.config, article.path, article.digest, lang, use_fuzzy, strict, data)
    found = reduce_catalog(data, display, partial(usable, use_fuzzy=use_fuzzy))
    check_current(found.metadata, article, display)
    return found, stamp


def _build_unchanged(article: Article, langs: tuple[str, ...], *, state: BuildState, use_fuzzy: bool,
                     strict: bool) -> tuple[list[FileResult], tuple[str, ...]]:
    """Outputs built from these very bytes and untouched since need no work."""
    config = article.config
    settled, todo = [], []
    for lang in langs:
        output = config.output_path(article.path, lang)
        target = config.display(output)
        if state.fresh(output, target, output_stamp(config, article.path, article.digest, lang, use_fuzzy, strict)):
            settled.append(FileResult(article.display, lang, Action.UNCHANGED, target))
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
            result.stats, stamp, doc, rendered = translate_article(article, lang, use_fuzzy, strict)
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
                result.action = Action.FAILED
                continue
            output = _output(doc, rendered)
            written = _write_output(config, out_path, result.target, output, overwrite)
            result.action = Action.WRITTEN if written else Action.UNCHANGED
            # Recorded even with refused segments (empty stamp: never fresh), so build owns the file.
            result.built = ("" if result.errors else stamp, digest(output))
        except L10nError as exc:
            result.action = Action.FAILED
            result.errors.append(exc)
    return results


def _output(doc: Document, rendered: Rendered) -> Content:
    """A built article's bytes: whole for a usual article (made once, then written, compared and hashed), a chunk
    at a time for a long one, which then never is in memory whole (each use makes its chunks anew)."""
    if len(doc.text) < STREAMED_FROM:
        return doc.encode(rendered.text)
    return partial(_output_pieces, doc, rendered)


def _output_pieces(doc: Document, rendered: Rendered) -> Iterator[bytes]:
    return doc.encode_pieces(rendered.pieces())


def _write_output(config: Config, out_path: Path, key: str, data: Content, overwrite: bool) -> bool:
    """Write a built article, never over a hand-made translation (an output other than `data` that build
    did not write), unless `overwrite`. Judged on the bytes read, and again just before the rename (which a
    batch defers to its end): a translation saved there meanwhile is kept and this file fails."""
    try:
        seen = read_or_none(out_path, config.root)
    except L10nError:  # not a regular file: replaced, never read; outside the project: refused
        return atomic_write(out_path, data, config.root)

    def judged(current: bytes | None) -> tuple[bytes | None, Content]:
        if (not overwrite and current is not None and not written_by_build(config.root, key)
                and not holds(current, data)):
            raise L10nError("exists and was not written by l10n build; run `l10n align` to adopt it, "
                            "or build with --overwrite", key)
        return current, data

    judged(seen)
    return replace_unless_changed(out_path, seen, data, lambda: judged(read_or_none(out_path, config.root)),
                                  None, config.root)


def _status_one(article: Article, langs: tuple[str, ...]) -> list[FileResult]:
    config = article.config
    results = []
    for lang in langs:
        po_path = config.catalog_path(article.path, lang)
        result = FileResult(article.display, lang, target=config.display(po_path))
        results.append(result)
        try:
            if not po_path.exists():
                result.action = Action.MISSING
            else:
                po = load_catalog(po_path, result.target, config.root)
                result.stats = stats(po)
                result.action = Action.CURRENT if po.metadata.get(DIGEST_HEADER) == article.digest else Action.STALE
            if result.action != Action.CURRENT and (error := article.source_error()):
                raise error
        except L10nError as exc:
            result.action = Action.FAILED
            result.errors.append(exc)
    return results
