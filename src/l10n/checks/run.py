"""`check_project`: every article and language judged for completeness, freshness and quality.

Works file by file like extract and build (same worker processes for large sites); reads and writes
nothing but what it compares, so it is safe to run in CI on every pull request.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import polib

from ..catalog import Stats, stats, translations
from ..config import Config, Shard
from ..confine import read_file
from ..document import decode_document
from ..errors import L10nError
from ..formats import NO_ARTICLE, Inline, Rendered
from ..glossary import GLOSSARY_FILE, Glossary
from ..langs import primary
from ..pofile import DIGEST_HEADER, SOURCE_HEADER, load_catalog, read_header
from ..runner import Article, FileProgress, FileResult, each_source
from ..state import STATE_FILE, BuildState, output_stamp
from .entry import ENTRY_CHECKS, HAN, Pair
from .registry import ERROR, CheckOptions, Finding, waived


@dataclass
class FileReport:
    """The findings and statistics of one article in one language (or of an orphan catalog)."""

    source: str
    lang: str
    catalog: str
    output: str = ""
    stats: Stats | None = None
    findings: list[Finding] = field(default_factory=list)

    def coverage(self, allow_fuzzy: bool) -> float | None:
        return None if self.stats is None else self.stats.coverage(count_fuzzy=allow_fuzzy)


@dataclass
class Report:
    files: list[FileReport]
    options: CheckOptions

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.files for f in r.findings]

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def exit_code(self) -> int:
        """0 clean (warnings allowed), 1 findings at error level, 2 an input that cannot be read."""
        if any(f.check == "unreadable" for f in self.findings):
            return 2
        return 1 if self.count(ERROR) else 0


def check_project(config: Config, paths: Iterable[Path] = (), langs: Iterable[str] = (),
                  options: CheckOptions | None = None, progress: FileProgress | None = None,
                  shard: Shard | None = None) -> Report:
    """Check every source (or those under `paths`, or `shard`'s part) in every target language (or `langs`).
    Catalogs whose article is gone are reported by a run over the whole project, or by the first shard."""
    options = options or CheckOptions.from_config(config)
    clear_caches()
    glossary = Glossary.load(config.root / GLOSSARY_FILE, config.root, GLOSSARY_FILE)
    paths, langs = tuple(paths), tuple(langs) or config.target_langs
    results = each_source(config, paths, langs, _check_article, progress, shard=shard, options=options,
                          glossary=glossary)
    files = [_not_read(r, options) if isinstance(r, FileResult) else r for r in results]
    if not paths and (shard is None or shard.first):
        files += _orphans(config, langs, options)
    return Report(files, options)


def check_article(article: Article, langs: Iterable[str], options: CheckOptions, glossary: Glossary,
                  catalogs: dict[str, polib.POFile] | None = None,
                  rendered: dict[str, Rendered] | None = None) -> list[FileReport]:
    """What `check_project` reports for one article, per language (for tools built on the checks, such as
    `l10n review`); `catalogs`, if given, receives each catalog parsed on the way, by language, and
    `rendered` the article as `l10n build` would write it (when the catalog is current and the source reads)."""
    return _check_article(article, tuple(langs), options=options, glossary=glossary, catalogs=catalogs,
                          rendered=rendered)


def orphan_catalogs(config: Config, langs: Iterable[str], options: CheckOptions) -> list[FileReport]:
    """The reports of catalogs whose source article no longer exists (what a full `check_project` adds)."""
    return _orphans(config, tuple(langs) or config.target_langs, options)


def clear_caches() -> None:
    """Forget what was read from disk: a build may have run since the last check in this process."""
    build_state.cache_clear()


def _check_article(article: Article, langs: tuple[str, ...], *, options: CheckOptions,
                   glossary: Glossary, catalogs: dict[str, polib.POFile] | None = None,
                   rendered: dict[str, Rendered] | None = None) -> list[FileReport]:
    config = article.config
    reports = []
    for lang in langs:
        po_path, out_path = config.catalog_path(article.path, lang), config.output_path(article.path, lang)
        report = FileReport(article.display, lang, config.display(po_path), config.display(out_path))
        reports.append(report)
        find = _Finder(report, options)
        if not po_path.exists():
            if broken := article.source_error():  # the reason extract wrote no catalog
                find("unreadable", broken.message, broken.path or article.display, broken.line)
            else:
                find("missing-catalog", "no catalog for this article; run `l10n extract`", article.display)
            continue
        try:
            po = load_catalog(po_path, report.catalog, config.root)
        except L10nError as exc:
            find("unreadable", exc.message, exc.path or report.catalog, exc.line)
            continue
        if catalogs is not None:
            catalogs[lang] = po
        report.stats = counts = stats(po)
        origin = po.metadata.get(SOURCE_HEADER)
        stale = po.metadata.get(DIGEST_HEADER) != article.digest
        if origin and origin != article.display:
            find("stale-catalog", f"this catalog was extracted from {origin}, not {article.display}", report.catalog)
        elif stale and (broken := article.source_error()):
            find("unreadable", broken.message, broken.path or article.display, broken.line)
        elif stale:
            find("stale-catalog", f"{article.display} changed after this catalog was extracted; run `l10n extract`",
                 report.catalog)
        coverage = counts.coverage(count_fuzzy=options.allow_fuzzy)
        if coverage < options.min_coverage:
            find("coverage", f"{coverage:.1f}% translated, below the required {options.min_coverage:g}%",
                 report.catalog)
        broken = article.source_error()
        if broken and not stale:
            find("unreadable", broken.message, broken.path or article.display, broken.line)
        inline = article.format.standalone if broken else article.inline
        built = None if stale or broken else article.format.render(
            *article.extraction, translations(po, options.allow_fuzzy), report.catalog)
        if built is not None and rendered is not None:
            rendered[lang] = built
        restructuring = {segment.msgid: why for segment, why in built.restructuring} if built else {}
        for entry in po:
            _check_entry(entry, lang, glossary, find, inline, restructuring.get(entry.msgid))
        current = bool(built and options.enabled("output") and _check_output(article, lang, out_path, built, find))
        if options.enabled("han-output") and primary(config.source_lang) == "zh":
            _check_han_left(article, out_path, find, built if current else None)
    return reports


def _check_entry(entry: polib.POEntry, lang: str, glossary: Glossary, find, inline: Inline,
                 restructures: str | None) -> None:
    """The findings of one entry; `restructures` says how its translation changes the article's blocks."""
    if entry.obsolete or not entry.msgid:
        return
    line, source_line = entry.linenum, _source_line(entry)
    ignored = waived(entry.tcomment)

    def entry_finding(check: str, message: str) -> None:
        if check not in ignored:
            find(check, message, find.report.catalog, line, source_line, entry.msgid)

    if not entry.msgstr:
        entry_finding("untranslated", "not translated")
        return
    if "fuzzy" in entry.flags:
        entry_finding("fuzzy", "marked fuzzy: review the translation, then remove the flag")
        if not find.options.allow_fuzzy:
            return
    if restructures:
        entry_finding("block", restructures)
    for name, message in entry_findings(entry.msgid, entry.msgstr, lang, glossary, find.options, inline):
        entry_finding(name, message)


_MEMO: dict[tuple, list[tuple[str, str]]] = {}


def entry_findings(source: str, translation: str, lang: str, glossary: Glossary, options: CheckOptions,
                   inline: Inline = NO_ARTICLE) -> list[tuple[str, str]]:
    """(check, message) of the per-entry checks switched on in `options` for one (source, translation) pair,
    at most one per check: what `l10n check` reports for a catalog entry, and what `l10n translate` judges
    each machine draft by. The severity of each is `options.severities[check]`. `inline`: how the article's
    format reads fragments (Markdown: which brackets are links). Memoised, as tags, headings and references
    recur across articles.

    A check's several problems share one message: each finding carries the entry's msgid, so a
    finding per problem would make the report grow as problems x msgid length (quadratic for one
    long paragraph citing thousands of figures or footnotes).
    """
    enabled = tuple(name for name in ENTRY_CHECKS if options.enabled(name))
    key = (glossary.fingerprint, source, translation, lang, inline, enabled)
    found = _MEMO.get(key)
    if found is None:
        pair = Pair(source, translation, lang, glossary, inline)
        found = [(name, "; ".join(messages)) for name in enabled if (messages := list(ENTRY_CHECKS[name](pair)))]
        if len(_MEMO) >= 50_000:
            _MEMO.clear()
        _MEMO[key] = found
    return found


class _Finder:
    """Adds findings to a report at the configured severity, dropping switched-off checks."""

    def __init__(self, report: FileReport, options: CheckOptions):
        self.report, self.options = report, options

    def __call__(self, check: str, message: str, file: str, line: int | None = None,
                 source_line: int | None = None, msgid: str | None = None) -> None:
        severity = self.options.severities[check]
        if severity is not None:
            self.report.findings.append(Finding(check, severity, message, self.report.source, self.report.lang, file,
                                                line, source_line, msgid))


def _check_output(article: Article, lang: str, out_path: Path, rendered: Rendered, find: _Finder) -> bool:
    """Is the built output what `l10n build` would write now (`rendered`)? The build state answers cheaply.
    False: a finding says why not."""
    display, use_fuzzy = find.report.output, find.options.allow_fuzzy
    stamp = output_stamp(article.config, article.path, article.digest, lang, use_fuzzy, False)
    if build_state(article.config.root).fresh(out_path, display, stamp):
        return True
    expected = article.parsed[0].encode(rendered.text)
    if not out_path.exists():
        find("output", "not built yet; run `l10n build`", display)
        return False
    try:
        actual = read_file(out_path, display, article.config.root)
    except L10nError as exc:
        find("unreadable", exc.message, display)
        return False
    if actual != expected:
        old, new = actual.splitlines(), expected.splitlines()
        line = next((i for i, (a, b) in enumerate(zip(old, new), 1) if a != b), min(len(old), len(new)) + 1)
        find("output", "differs from what `l10n build` would write now (edited by hand, or not rebuilt); "
                       "run `l10n build`, and make lasting edits in the catalog", display, line)
        return False
    return True


def _check_han_left(article: Article, out_path: Path, find: _Finder, current: Rendered | None) -> None:
    """Chinese the built article keeps outside its segments (which `untranslated` and `han` judge):
    the same scan that verifies extraction, run on the output. `current`: what the output is known to be
    (the article as build would write it now), whose format may know without a parse that it keeps none."""
    if current is not None and article.format.leftover_free(*article.extraction, current):
        return
    display = find.report.output
    try:
        data = read_file(out_path, display, article.config.root)
    except L10nError:
        return  # missing or unreadable: the `output` check reports it
    if not HAN.search(data.decode("utf-8", "replace")):
        return  # the common case for a translated article: no parse needed
    try:
        leftovers = article.format.parse(decode_document(data, display), article.config, verify=False).leftovers
    except L10nError as exc:
        find("han-output", f"cannot be scanned for Chinese: {exc.message}", display, exc.line)
        return
    for left in leftovers:
        find("han-output", left.message(), display, left.line)


@lru_cache(maxsize=1)
def build_state(root: Path) -> BuildState:
    """What the last build wrote, read once per process (worker processes included) until `clear_caches`."""
    return BuildState(root / STATE_FILE, root)


def _source_line(entry: polib.POEntry) -> int | None:
    for _, line in entry.occurrences:
        if str(line).isdigit():
            return int(line)
    return None


def _not_read(result: FileResult, options: CheckOptions) -> FileReport:
    """A source that could not be read (a failed FileResult), or was skipped (`Config.scan`'s warnings)."""
    report = FileReport(result.source, result.lang, result.target)
    find = _Finder(report, options)
    for error in result.errors:
        find("unreadable", error.message, error.path or result.source, error.line)
    for warning in result.warnings:
        find("skipped-source", warning, result.source)
    return report


def _orphans(config: Config, langs: tuple[str, ...], options: CheckOptions) -> list[FileReport]:
    """Catalogs under `locales/<lang>/` that no source article produces any more."""
    expected = {os.path.normpath(config.catalog_path(s, lang)) for s in config.sources() for lang in langs}
    reports = []
    for lang in langs:
        for folder, _, names in os.walk(config.root / config.locales_dir / lang):
            for name in sorted(names):
                path = os.path.join(folder, name)
                if name.endswith(".po") and os.path.normpath(path) not in expected:
                    display = config.display(Path(path))
                    origin = read_header(Path(path), config.root).get(SOURCE_HEADER, "")
                    report = FileReport(origin, lang, display)
                    _Finder(report, options)("orphan-catalog", f"no source article {origin or 'for it'} any more; "
                                             "delete this catalog or restore the article", display)
                    reports.append(report)
    return reports

