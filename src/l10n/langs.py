"""Language codes as projects write them (`zh`, `zh_TW`, `pt-BR`, `zh-Hant`): one reading of them for every module."""

from __future__ import annotations


def normalize(lang: str) -> str:
    """The code as gettext writes it: `pt-BR` and `pt_BR` alike are `pt_BR`."""
    return lang.replace("-", "_")


def primary(lang: str) -> str:
    """The language alone, without region or script, in lower case: `zh` for `zh_TW` and `zh-Hant`."""
    return normalize(lang).split("_")[0].lower()
