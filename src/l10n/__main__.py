"""`python -m l10n`: the `l10n` command, for environments where the script is not on PATH."""

from .cli import app

if __name__ == "__main__":  # pragma: no branch
    app(prog_name="l10n")
