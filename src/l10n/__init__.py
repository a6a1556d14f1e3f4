"""l10n: translate Markdown articles through gettext PO files and rebuild them losslessly.

Distributed on the package index as `hugo-l10n` (`l10n` there is an unrelated project); the import
package and the command are `l10n`. The version lives here only: setuptools reads it for the wheel.
"""

__version__ = "0.1.0"
DISTRIBUTION = "hugo-l10n"
