"""`l10n glossary check`: validates the project glossary (`l10n.glossary`)."""

from __future__ import annotations

import typer

from ..glossary import GLOSSARY_FILE, Glossary
from .common import command_group, err, exit_on_error, out, project_config

group = command_group()
glossary_app = typer.Typer(help="Check the project glossary (glossary.yaml).", no_args_is_help=True,
                           epilog="Example:  \n`l10n glossary check`", rich_markup_mode="markdown")
group.add_typer(glossary_app, name="glossary")


@glossary_app.command("check", epilog="Examples:  \n`l10n glossary check`")
def glossary_check() -> None:
    """Validate glossary.yaml: duplicates, empty targets, terms both required and forbidden."""
    config = project_config()
    with exit_on_error():
        glossary = Glossary.load(config.root / GLOSSARY_FILE, config.root, GLOSSARY_FILE)
    problems = glossary.problems(config.target_langs)
    for problem in problems:
        err.line(str(problem))
    out.line(f"{GLOSSARY_FILE}: {len(glossary.terms)} term(s), {len(problems)} problem(s)")
    if problems:
        raise typer.Exit(1)
