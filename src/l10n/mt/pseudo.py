"""Offline pseudo-translation: try the whole pipeline, or a site's English layout, without any service.

Each Han character becomes a short Latin syllable (so text grows roughly as an English translation
does) and CJK punctuation its ASCII counterpart; everything else, placeholders included, is kept.
"""

from __future__ import annotations

import re

from . import Context, Settings

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pu", "da", "fe")
_PUNCT = str.maketrans({"，": ", ", "。": ". ", "！": "! ", "？": "? ", "：": ": ", "；": "; ", "、": ", ",
                        "“": '"', "”": '"', "‘": "'", "’": "'", "（": " (", "）": ") ", "《": '"', "》": '"'})


def pseudo_translate(text: str) -> str:
    """Deterministic stand-in for a translation of `text`."""
    def word(match: re.Match) -> str:
        return " " + "".join(_SYLLABLES[ord(ch) % len(_SYLLABLES)] for ch in match.group(0)).capitalize() + " "

    result = _HAN.sub(word, text).translate(_PUNCT)
    return re.sub(r"[ \t]{2,}", " ", re.sub(r" +([,.!?:;)\"'])(?=\s|$)", r"\1", result)).strip(" ")


class PseudoEngine:
    name = "pseudo"
    max_batch = 100
    max_chars = 100_000
    supports_glossary = False

    def __init__(self, settings: Settings):
        self.settings = settings

    def translate_batch(self, texts: list[str], source: str, target: str, context: Context) -> list[str]:
        return [pseudo_translate(text) for text in texts]
