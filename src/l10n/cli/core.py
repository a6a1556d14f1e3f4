"""`l10n init`, `extract`, `build`, `status`: thin commands over `l10n.project` (and `l10n.hugo` for init)."""

from __future__ import annotations

from pathlib import Path

import typer

from .. import project
from ..config import CONFIG_FILE, Shard, config_from_dict, config_text
from ..errors import L10nError
from ..langs import LAYOUTS
from ..writes import atomic_write
from .common import (
    Format,
    FormatOpt,
    LangOpt,
    PathsArg,
    ShardOpt,
    command_group,
    exit_on_error,
    out,
    progress_bar,
    project_config,
    report,
)

group = command_group()


@group.command(epilog="Examples:  \n`l10n init` (in a Hugo site: its languages and layout)  \n"
                      "`l10n init --source-lang zh --target-lang en`  \n"
                      "`l10n init -s zh -t en -t ja --layout filename`")
def init(
    source_lang: str | None = typer.Option(
        None, "--source-lang", "-s", show_default=False,
        help="Language the articles are written in (default: the Hugo site's defaultContentLanguage, else zh)."),
    target_lang: list[str] | None = typer.Option(
        None, "--target-lang", "-t", show_default=False,
        help="Language(s) to translate into (default: the Hugo site's other languages, else en)."),
    layout: str | None = typer.Option(None, show_default=False,
                                         help=f"One of: {', '.join(LAYOUTS)} (default: as the Hugo site has it, "
                                              "else directory)."),
    force: bool = typer.Option(False, "--force", help=f"Overwrite an existing {CONFIG_FILE}."),
) -> None:
    """Start a project here: write `l10n.toml` and create the content and locales folders.

    In a Hugo site (`hugo.toml`, `config.toml`, `config/_default/`...) the languages, the default content
    language and the layout (content directories or translation by file name) are read from its configuration.
    """
    from .. import hugo  # PyYAML and the Hugo reader: for init only

    root = Path.cwd()
    with exit_on_error():
        path = root / CONFIG_FILE
        if path.exists() and not force:
            raise L10nError(f"{CONFIG_FILE} already exists (use --force to overwrite)", CONFIG_FILE)
        site = hugo.read_site(root)
        if site is None:
            found = hugo.Plan(source_lang or "zh", tuple(target_lang or ["en"]), layout or "directory", "content")
        else:
            found = hugo.plan(site, source_lang, target_lang or (), layout)
            out.line(hugo.describe(site, found))
        settings = {"source_lang": found.source_lang, "target_langs": list(found.target_langs),
                    "layout": found.layout, "content_dir": found.content_dir}
        config = config_from_dict(root, settings)
        atomic_write(path, config_text(found.source_lang, found.target_langs, found.layout, root.name,
                                       found.content_dir).encode(), root)
        config.source_root.mkdir(parents=True, exist_ok=True)
        (root / config.locales_dir).mkdir(exist_ok=True)
    out.line(f"Wrote {CONFIG_FILE}. Put articles in {config.display(config.source_root)}/, "
             "then run `l10n extract`.")


@group.command(epilog="Examples:  \n`l10n extract`  \n`l10n extract content/zh/posts/a.md --lang en`  \n"
                      "`l10n extract --format json`")
def extract(paths: list[Path] | None = PathsArg, lang: list[str] | None = LangOpt,
            format: Format = FormatOpt) -> None:
    """Write or update `locales/<lang>/<article>.po` from the source articles.

    Existing translations are kept: changed source text leaves its old translation marked fuzzy
    (with the previous msgid), vanished text becomes obsolete (`#~`). Unchanged articles are skipped.
    """
    config = project_config()
    with exit_on_error(), progress_bar("Extracting") as tick:
        results = project.extract(config, paths or (), lang or (), tick)
    report("extract", results, format)


@group.command(epilog="Examples:  \n`l10n build`  \n`l10n build --fuzzy` (publish machine drafts too)  \n"
                      "`l10n build --strict content/zh/posts/a.md`")
def build(paths: list[Path] | None = PathsArg, lang: list[str] | None = LangOpt,
          fuzzy: bool = typer.Option(False, "--fuzzy", help="Also use translations marked fuzzy."),
          strict: bool = typer.Option(False, "--strict", help="Fail (write nothing) for an article with "
                                                              "untranslated text instead of falling back."),
          shard: Shard | None = ShardOpt,
          overwrite: bool = typer.Option(False, "--overwrite", help="Replace existing translations that build "
                                                                    "did not write (see `l10n align`)."),
          format: Format = FormatOpt) -> None:
    """Write the translated articles (e.g. `content/en/...`) from sources and catalogs.

    Everything that is not a translated segment is copied byte for byte. Untranslated segments keep
    the source text (reported). A translation that would break the document is refused. An existing
    file that build did not write is never replaced by different text without `--overwrite`.
    """
    config = project_config()
    with exit_on_error(), progress_bar("Building") as tick:
        results = project.build(config, paths or (), lang or (), use_fuzzy=fuzzy, strict=strict, shard=shard,
                                overwrite=overwrite, progress=tick)
    report("build", results, format)


@group.command(epilog="Examples:  \n`l10n status`  \n`l10n status --lang en --format json`")
def status(paths: list[Path] | None = PathsArg, lang: list[str] | None = LangOpt,
           shard: Shard | None = ShardOpt, format: Format = FormatOpt) -> None:
    """Show per article and language: translated, fuzzy, untranslated, obsolete, coverage."""
    config = project_config()
    with exit_on_error(), progress_bar("Reading") as tick:
        results = project.status(config, paths or (), lang or (), tick, shard)
    if format is Format.json:
        report("status", results, format)
        return
    width = max([len(r.source) for r in results] + [7])
    out.line(f"{'article':<{width}}  lang  translated  fuzzy  untranslated  obsolete  coverage  catalog")
    for r in results:
        s = r.stats
        numbers = (f"{s.translated:>10}  {s.fuzzy:>5}  {s.untranslated:>12}  {s.obsolete:>8}  {s.coverage():>7.1f}%"
                   if s else f"{'-':>10}  {'-':>5}  {'-':>12}  {'-':>8}  {'-':>8}")
        out.line(f"{r.source:<{width}}  {r.lang:<4}  {numbers}  {r.action}")
    report("status", results, format, summary=False)
