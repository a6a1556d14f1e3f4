"""`generate`: a project's review site, written into a folder that opens from disk or any static host.

    out/index.html                 one row per article and language
    out/<lang>/<article>.html      one page per article and language
    out/assets/review.css, .js     the only files the pages load
    out/review-state.json          what each page was generated from (so unchanged ones are skipped)

Articles are reviewed like `l10n check` checks them: file by file, in worker processes for large
sites, a broken file costing only its own row. A page whose inputs (source, catalog, output, build
record, glossary, options, this package's code) are byte for byte those of the last run is neither
recomputed nor rewritten; pages are written atomically and only when their bytes change, and made
durable together by one file system sync before the state file that vouches for them is written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import partial
from importlib import resources
from pathlib import Path

from ..checks import CheckOptions, build_state, clear_caches, orphan_catalogs
from ..config import Config, Shard
from ..confine import read_or_none
from ..errors import L10nError
from ..fingerprint import code_fingerprint, digest
from ..glossary import GLOSSARY_FILE, Glossary
from ..runner import Article, FileProgress, FileResult, each_source
from ..writes import atomic_write, sync_files
from . import model
from .html import article_html, index_html
from .model import MISSING, ORPHAN, UNREADABLE, Summary, page_path

DEFAULT_OUT = Path(".l10n") / "review"
STATE_NAME = "review-state.json"
ASSETS = ("review.css", "review.js")
_STATE_VERSION = 1


@dataclass
class Reviewed:
    """One article in one language after a run: its index row, the key of its inputs, and whether its page
    was (re)written."""

    summary: Summary
    key: str = ""
    written: bool = False


@dataclass
class Site:
    out: Path
    rows: list[Summary]
    written: int = 0  # pages written this run
    unchanged: int = 0  # pages left as they were (inputs unchanged, or same bytes)
    reviewed: list[Reviewed] = field(default_factory=list)  # the articles of this run

    @property
    def index(self) -> Path:
        return self.out / "index.html"

    def page(self, row: Summary) -> Path | None:
        return self.out / row.page if row.page else None


def generate(config: Config, out: Path | None = None, paths: Iterable[Path] = (), langs: Iterable[str] = (),
             options: CheckOptions | None = None, progress: FileProgress | None = None,
             shard: Shard | None = None) -> Site:
    """Write (or bring up to date) the review site of `config`'s project in `out` (default `.l10n/review`);
    with `paths`, `shard` or `langs` short of all the target languages, only their articles' pages in those
    languages (the other rows and pages are kept)."""
    root = None if out is not None else config.root  # a folder named with --out is the user's choice
    out = Path(out) if out is not None else config.root / DEFAULT_OUT
    options = options or CheckOptions.from_config(config)
    clear_caches()
    glossary = Glossary.load(config.root / GLOSSARY_FILE, config.root, GLOSSARY_FILE)
    paths, langs = tuple(paths), tuple(langs) or config.target_langs
    fingerprint = digest(repr(config).encode(), repr(options).encode(), glossary.fingerprint.encode(),
                         code_fingerprint().encode())
    previous = _load_state(out)
    triage = partial(_triage, out=out, previous=previous, fingerprint=fingerprint)
    results = each_source(config, paths, langs, _review_article, progress, triage=triage, shard=shard,
                          options=options, glossary=glossary, out=out, root=root, fingerprint=fingerprint)
    reviewed = [_failed(config, r) if isinstance(r, FileResult) else r for r in results]
    site = Site(out, [], reviewed=reviewed)
    site.written = sum(1 for r in reviewed if r.written)
    site.unchanged = sum(1 for r in reviewed if r.summary.page and not r.written)
    state: dict[str, dict] = {}
    some = bool(paths) or shard is not None or set(langs) != set(config.target_langs)
    if some:  # a partial run keeps the other articles' (and languages') rows
        state.update({k: v for k, v in previous.items() if (config.root / v["summary"]["source"]).exists()})
    for r in reviewed:
        state[_state_key(r.summary)] = {"key": r.key, "summary": asdict(r.summary)}
    rows = [Summary(**v["summary"]) for v in state.values()]
    if not some:
        rows += [_orphan(report) for report in orphan_catalogs(config, langs, options)]
        _remove_stale_pages(out, previous, state)
    rows.sort(key=lambda s: (s.source, s.lang, s.catalog))
    if site.written:  # the pages were written without a sync each: one for all, before the state names them
        sync_files([str(out / r.summary.page) for r in reviewed if r.written])  # one sync per device at most
    site.rows = rows
    for name in ASSETS:
        atomic_write(out / "assets" / name, resources.files(__package__).joinpath("assets", name).read_bytes(), root)
    atomic_write(site.index, index_html(config.project_name, rows, config.target_langs).encode("utf-8"), root)
    atomic_write(out / STATE_NAME, json.dumps({"version": _STATE_VERSION, "pages": state}, ensure_ascii=False,
                                              sort_keys=True, indent=0).encode("utf-8"), root)
    return site


def _review_article(article: Article, langs: tuple[str, ...], *, options: CheckOptions, glossary: Glossary, out: Path,
                    root: Path | None, fingerprint: str) -> list[Reviewed]:
    """Runs in a worker process: check, model, HTML and write the pages of one article."""
    done = []
    for page in model.article_pages(article, langs, options, glossary):
        written = atomic_write(out / page.summary.page, article_html(page).encode("utf-8"), root, durable=False)
        key = _inputs_key(article.config, article.path, article.digest, page.summary.lang, fingerprint)
        done.append(Reviewed(page.summary, key, written))
    return done


def _triage(article: Article, langs: tuple[str, ...], *, out: Path, previous: dict[str, dict],
            fingerprint: str) -> tuple[list[Reviewed], tuple[str, ...]]:
    """Pages whose inputs are exactly those of the last run (and still on disk) need no work at all."""
    settled, todo = [], []
    for lang in langs:
        known = previous.get(f"{article.display}\t{lang}")
        if known and known["key"] and known["key"] == _inputs_key(article.config, article.path, article.digest, lang,
                                                                  fingerprint) \
                and (out / known["summary"]["page"]).is_file():
            settled.append(Reviewed(Summary(**known["summary"]), known["key"], False))
        else:
            todo.append(lang)
    return settled, tuple(todo)


def _inputs_key(config: Config, source: Path, source_digest: str, lang: str, fingerprint: str) -> str:
    """Everything a page is computed from (the build record too: it tells a hand edit from a stale build);
    the source by the digest the run already made of it (`runner.Article.digest`)."""
    output = config.output_path(source, lang)
    record = build_state(config.root).outputs.get(config.display(output))
    return digest(fingerprint.encode(), lang.encode(), source_digest.encode(),
                  _read(config.catalog_path(source, lang), config.root), _read(output, config.root),
                  json.dumps(record).encode())


def _read(path: Path, root: Path) -> bytes:
    try:
        data = read_or_none(path, root)
    except L10nError:
        data = None
    return b"0" if data is None else b"1" + data


def _failed(config: Config, result: FileResult) -> Reviewed:
    """An article that could not even be read (or crashed the reviewer): a row with the error, no page."""
    summary = Summary(result.source, result.lang, result.target, "", "", Path(result.source).stem,
                      catalog_state=UNREADABLE, output_state="", problem="; ".join(map(str, result.errors)),
                      errors=len(result.errors))
    return Reviewed(summary)


def _orphan(report) -> Summary:
    message = "; ".join(f.message for f in report.findings) or "no source article any more"
    return Summary(report.source or report.catalog, report.lang, report.catalog, "", "",
                   Path(report.catalog).stem, catalog_state=ORPHAN, output_state="", problem=message,
                   warnings=len(report.findings))


def _state_key(summary: Summary) -> str:
    return f"{summary.source}\t{summary.lang}"


def _load_state(out: Path) -> dict[str, dict]:
    try:
        data = json.loads((out / STATE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != _STATE_VERSION:
        return {}
    pages = data.get("pages")
    fields = set(Summary.__dataclass_fields__)
    return {k: v for k, v in pages.items() if isinstance(v, dict) and set(v.get("summary", {})) == fields} \
        if isinstance(pages, dict) else {}


def _remove_stale_pages(out: Path, previous: dict[str, dict], state: dict[str, dict]) -> None:
    """Pages of articles that are gone (a full run only), so the site never links to a dead review."""
    keep = {v["summary"]["page"] for v in state.values()}
    for value in previous.values():
        page = value["summary"]["page"]
        if page and page not in keep and not os.path.isabs(page) and ".." not in Path(page).parts:
            try:
                (out / page).unlink()
            except OSError:
                pass


__all__ = ["DEFAULT_OUT", "Reviewed", "Site", "generate", "page_path", "MISSING"]
