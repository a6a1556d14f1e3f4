"""Language codes as projects write them (`zh`, `zh_TW`, `pt-BR`, `zh-Hant`), and the two ways a Hugo site lays
its languages out in files: one reading of them for every module (settings and the Hugo site reader alike)."""

from __future__ import annotations

import re

LANG_CODE = re.compile(r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$")
LAYOUTS = ("directory", "filename")  # `content/<lang>/a.md`, or `content/a.<lang>.md`


def normalize(lang: str) -> str:
    """The code as gettext writes it: `pt-BR` and `pt_BR` alike are `pt_BR`."""
    return lang.replace("-", "_")


def primary(lang: str) -> str:
    """The language alone, without region or script, in lower case: `zh` for `zh_TW` and `zh-Hant`."""
    return normalize(lang).split("_")[0].lower()
