"""`l10n review`: a thin command over `l10n.review.generate` (a static side-by-side review site).

Exit codes: 0 the site was written; 1 the site was written, but some source or catalog could not be
read (it has an index row with its error, as the other commands report it); 2 usage error.
"""

from __future__ import annotations

import os
import sys
import webbrowser
from pathlib import Path

import typer

from ..checks import CheckOptions
from ..config import Shard
from ..review import generate
from .common import LangOpt, PathsArg, ShardOpt, command_group, err, exit_on_error, out, progress_bar, project_config

group = command_group()


@group.command(epilog="Examples:  \n`l10n review` (writes .l10n/review/index.html)  \n"
                      "`l10n review content/zh/posts/a.md --lang en --open`  \n"
                      "`l10n review --out public/review` (e.g. uploaded as a CI artifact)")
def review(paths: list[Path] | None = PathsArg, lang: list[str] | None = LangOpt,
           shard: Shard | None = ShardOpt,
           out_dir: Path | None = typer.Option(None, "--out", "-o", help="Folder to write the site into "
                                                                             "(default: .l10n/review)."),
           open_browser: bool = typer.Option(False, "--open", help="Open the page in a browser when there is one."),
           allow_fuzzy: bool | None = typer.Option(
               None, "--allow-fuzzy/--no-allow-fuzzy", help="As for `l10n check`: count fuzzy entries as "
                                                            "translated, check them and show them in the reader view.")
           ) -> None:
    """Write a static review site: Chinese and translation side by side, with every `l10n check` finding.

    One page per article and language (segments in document order with their state, findings, glossary
    terms, what changed in fuzzy entries, and the PO line to edit), and an index with coverage and
    states. The pages load nothing from the network and open from disk; unchanged pages are not rewritten.
    """
    config = project_config()
    with exit_on_error():
        options = CheckOptions.from_config(config, allow_fuzzy=allow_fuzzy)
        with progress_bar("Reviewing") as tick:
            site = generate(config, out_dir, paths or (), lang or (), options, tick, shard)
    broken = [row for row in site.rows if row.problem and row.catalog_state != "orphan"]
    for row in broken:
        err.line(f"{row.source} [{row.lang}]: {row.problem} (shown in the review)", style="yellow")
    target = site.index
    if paths and len(site.reviewed) == 1 and site.reviewed[0].summary.page:
        target = site.page(site.reviewed[0].summary) or target
    out.line(f"review: {site.written} page(s) written, {site.unchanged} unchanged; open {_shown(target)}")
    if open_browser and not (_has_browser() and webbrowser.open(target.resolve().as_uri())):
        err.line(f"no browser to open here; open {target.resolve().as_uri()}")
    if broken:  # like the other commands: the site is complete, but some input could not be read
        raise typer.Exit(1)


def _shown(path: Path) -> str:
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)
    return str(path.resolve()) if relative.startswith("..") else relative


def _has_browser() -> bool:
    """A graphical session (or a platform that always has one): never start a terminal browser in CI."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("BROWSER"))
