"""l10n: translate Markdown articles through gettext PO files and rebuild them losslessly."""

__version__ = "0.1.0"
