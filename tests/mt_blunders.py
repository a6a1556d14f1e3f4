"""A machine translation stand-in that makes the mistakes real engines make, deterministically.

`Blunders.translate` writes a pseudo-English draft that passes `l10n check`: Han runs become Latin
words, full-width punctuation ASCII, glossary terms given in the prompt their translation, and the
facts English (140亿美元 → "$14 billion", 百分之三十 → "30%", 2023年10月17日 → "October 17, 2023",
第四季度 → "Q4"), by its own small converter, not l10n's. A `share` of the texts, chosen by a hash
of the text, get one mistake instead:

- "scale": the first 万/亿 amount ten times too small (140亿 → "1.4 billion"), and
- "percent": the first percentage dropped, in any text that writes such a number out;
- "han": a Chinese word left in place, "comma": full-width commas kept, and "literal": a glossary term
  transliterated (比亚迪 → "Biyadi"), only in texts of more than one sentence: engines trip over long
  inputs, not over a sentence on its own.

So it answers correctly when told its findings (the OpenAI prompt carries them under
`NOTES_HEADING`), when given a segment split at sentence ends, and when the amount is a placeholder.
`injected` records (text, mistake) for every mistake made. `kinds` limits the mistakes made;
a `stubborn` stand-in makes them whatever it is told and however short the text. `MTServer(blunders=...)` serves it on
every protocol.
"""

from __future__ import annotations

import hashlib
import re
import threading
from decimal import Decimal

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
PUNCTUATION = str.maketrans({"，": ", ", "。": ". ", "：": ": ", "；": "; ", "！": "! ", "？": "? ", "、": ", ", "（": "(",
                             "）": ")", "“": '"', "”": '"', "‘": "'", "’": "'", "《": '"', "》": '"', "【": "[",
                             "】": "]", "　": " ", "％": "%"})
LITERAL = {"比亚迪": "Biyadi", "英伟达": "Yingweida", "特斯拉": "Tesila", "马斯克": "Masike"}
NOTES_MARK = "had these errors"  # in openai_engine.NOTES_HEADING: the request carries the findings
MONTHS = "January February March April May June July August September October November December".split()
DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SCALES = {"万": 10**4, "亿": 10**8, "万亿": 10**12}
CURRENCY = {"美元": "${}", "元": "{} yuan", "人民币": "{} yuan", "欧元": "€{}"}

AMOUNT = re.compile(r"(\d+(?:\.\d+)?)(万亿|亿|万)(美元|人民币|欧元|元)?")
PERCENT = re.compile(r"百分之([一二两三四五六七八九十]+|\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)\s*%")
DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*[日号])?|(\d{1,2})\s*月(?:份|(?:\s*(\d{1,2})\s*[日号]))?"
                  r"|(\d{4})/(\d{1,2})/(\d{1,2})")
QUARTER = re.compile(r"第?([一二三四1-4])季度")
NUMERAL = re.compile(r"(?<![数几上万千一])([零一二两三四五六七八九十百千万亿]*[十百千万亿][零一二两三四五六七八九十百千万亿]*)")
INNER_END = re.compile(r"[。！？](?=\s*[^\s”’」』）)])")
PLACEHOLDER = re.compile(r'<x id="\d+"/>')


def zh_small(text: str) -> int | None:
    """十 → 10, 三十 → 30, 一百零五 → 105, 两万 → 20000, 三亿五千万 → 350000000; None for 万 or 亿 alone."""
    if text.isdigit():
        return int(text)
    if text in ("万", "亿", "千", "百"):
        return None
    total = section = digit = 0
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in "十百千":
            section += (digit or 1) * {"十": 10, "百": 100, "千": 1000}[ch]
            digit = 0
        else:
            size = SCALES[ch]
            if size == 10**8:
                total = (total + section + digit or 1) * size
            else:
                total += (section + digit or 1) * size
            section = digit = 0
    return total + section + digit


def english(value: Decimal) -> str:
    for size, name in ((10**12, "trillion"), (10**9, "billion"), (10**6, "million")):
        if value >= size:
            return f"{(value / size).normalize():f} {name}"
    return f"{int(value):,}" if value == int(value) else f"{value:,}"


def latin(text: str) -> str:
    """Han runs become Latin words (the stand-in's "translation")."""
    return HAN.sub(lambda m: " " + "".join(chr(97 + ord(c) % 26) for c in m.group(0)) + " ", text)


class Blunders:
    def __init__(self, share: float, literal: dict[str, str] | None = None, kinds: tuple[str, ...] = (),
                 stubborn: bool = False):
        self.share, self.kinds, self.stubborn = share, kinds, stubborn
        self.literal = LITERAL if literal is None else literal
        self.injected: list[tuple[str, str]] = []
        self.lock = threading.Lock()

    def mistake(self, text: str, terms: dict[str, str], told: bool) -> str | None:
        """The mistake this text gets, if any."""
        digest = int(hashlib.sha256(text.encode()).hexdigest(), 16)
        if told and not self.stubborn or digest % 1000 >= self.share * 1000:
            return None
        kinds = []
        if AMOUNT.search(text):
            kinds.append("scale")
        if PERCENT.search(text):
            kinds.append("percent")
        if INNER_END.search(text) or self.stubborn:
            kinds += ["han", "comma"] if "，" in text else ["han"]
            kinds += ["literal"] if any(t in self.literal for t in terms if t in text) else []
        kinds = [kind for kind in kinds if kind in self.kinds] if self.kinds else kinds
        return kinds[digest // 1000 % len(kinds)] if kinds else None

    def translate(self, text: str, terms: dict[str, str] | None = None, told: bool = False) -> str:
        terms = terms or {}
        kind = self.mistake(text, terms, told)
        if kind:
            with self.lock:
                self.injected.append((text, kind))
        for source, target in sorted(terms.items(), key=lambda t: -len(t[0])):
            if kind == "literal" and source in self.literal and source in text:
                target, kind = self.literal[source], "done"
            text = text.replace(source, f" {target} ")
        text = self._facts(text, kind)
        keep = next((m.start() for m in HAN.finditer(text) if len(m.group(0)) >= 2), None) if kind == "han" else None
        if keep is None:
            text = latin(text)
        else:  # a Chinese word left as it is
            text = latin(text[:keep]) + " " + text[keep:keep + 2] + " " + latin(text[keep + 2:])
        if kind == "comma":
            text = text.replace("，", "\1")
        text = text.translate(PUNCTUATION).replace("\1", "，")
        return re.sub(r"[ \t]{2,}", " ", text).strip()

    def _facts(self, text: str, kind: str | None) -> str:
        first = [True]

        def amount(m: re.Match) -> str:
            value = Decimal(m.group(1)) * SCALES[m.group(2)]
            if kind == "scale" and first[0]:
                value, first[0] = value / 10, False
            return " " + CURRENCY.get(m.group(3) or "", "{}").format(english(value)) + " "

        def percent(m: re.Match) -> str:
            if kind == "percent" and first[0]:
                first[0] = False
                return " "
            number = m.group(1) or m.group(2)
            return f" {zh_small(number) if not number.replace('.', '').isdigit() else number}% "

        def date(m: re.Match) -> str:
            if m.group(6):
                return f" {MONTHS[int(m.group(7)) - 1]} {int(m.group(8))}, {m.group(6)} "
            if m.group(4):
                return f" {MONTHS[int(m.group(4)) - 1]}" + (f" {int(m.group(5))} " if m.group(5) else " ")
            year, month, day = m.group(1), MONTHS[int(m.group(2)) - 1], m.group(3)
            return f" {month} {int(day)}, {year} " if day else f" {month} {year} "

        text = AMOUNT.sub(amount, text)
        text = PERCENT.sub(percent, text)
        text = DATE.sub(date, text)
        text = QUARTER.sub(lambda m: f" Q{zh_small(m.group(1)) if not m.group(1).isdigit() else m.group(1)} ", text)
        text = NUMERAL.sub(lambda m: f" {english(Decimal(n))} " if (n := zh_small(m.group(1))) else m.group(0), text)
        return re.sub(r"(\d{4})\s*年", r" \1 ", text)
