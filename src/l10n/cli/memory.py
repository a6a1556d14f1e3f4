"""`l10n memory init|stats|import|export`: the translation memory (`l10n.memory`): set it up, see what it
holds, move it to and from CAT tools as TMX."""

from __future__ import annotations

from pathlib import Path

import typer

from ..memory import memory_url, migrate, open_memory, stats
from ..memory.tmx import export_tmx, import_tmx
from ..translate import learn
from .common import Format, FormatOpt, command_group, exit_on_error, out, project_config

group = command_group()
memory_app = typer.Typer(help="The translation memory: set it up, see what it holds, move it to and from CAT tools "
                              "as TMX 1.4.", no_args_is_help=True,
                         epilog="Examples:  \n`l10n memory init`  \n`l10n memory stats`  \n"
                                "`l10n memory export memory.tmx`  \n`l10n memory import omegat.tmx`",
                         rich_markup_mode="markdown")
group.add_typer(memory_app, name="memory")


@memory_app.command("import", epilog="Examples:  \n`l10n memory import omegat-project.tmx`")
def memory_import(file: Path = typer.Argument(..., help="A TMX file (from OmegaT, Trados, Weblate...).")) -> None:
    """Add a TMX file's units for this project's languages to the translation memory."""
    config = project_config()
    with exit_on_error(), open_memory(config) as memory:
        count = import_tmx(memory, file, config.source_lang, config.target_langs, config.display(file))
    out.line(f"imported {count} translation unit(s) into {memory.where}")


@memory_app.command("export", epilog="Examples:  \n`l10n memory export memory.tmx`")
def memory_export(file: Path = typer.Argument(..., help="The TMX 1.4 file to write.")) -> None:
    """Write the translation memory, with every reviewed PO translation, as TMX 1.4."""
    config = project_config()
    with exit_on_error(), open_memory(config) as memory:
        learn(config, memory)
        count = export_tmx(memory, file, config.source_lang)
    out.line(f"exported {count} translation unit(s) to {config.display(file)}")


@memory_app.command("init", epilog="Examples:  \n`L10N_MEMORY_URL=postgresql://l10n@db/l10n l10n memory init`")
def memory_init() -> None:
    """Create or upgrade the shared memory's tables ([memory] url or L10N_MEMORY_URL); safe to run from every job."""
    config = project_config()
    with exit_on_error(), open_memory(config, require_schema=False) as memory:
        before, after = migrate(memory)
    if before == after:
        out.line(f"{memory.where}: schema version {after}, nothing to do"
                 + (" (the SQLite memory sets itself up)" if not memory_url(config) else ""))
    else:
        out.line(f"{memory.where}: schema upgraded from version {before} to {after}")


@memory_app.command("stats", epilog="Examples:  \n`l10n memory stats`  \n`l10n memory stats --format json`")
def memory_stats(format: Format = FormatOpt) -> None:
    """Segments per language pair and origin (human or engine), characters, last use, and size on disk."""
    config = project_config()
    with exit_on_error(), open_memory(config) as memory:
        found = stats(memory)
    if format is Format.json:
        out.json({"command": "memory stats", "where": found.where, "size": found.size,
                  "pairs": [vars(row) for row in found.rows]})
        return
    out.line(f"{found.where}: {sum(r.units for r in found.rows)} segment(s), {found.size} bytes")
    for r in found.rows:
        out.line(f"{r.source_lang} -> {r.target_lang}  {r.origin:<12} {r.units:>8} segment(s) {r.characters:>10} "
                 f"characters  last {r.last_use}")
