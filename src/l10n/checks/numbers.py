"""The quantities a sentence states, read from Chinese or English into values that can be compared.

10亿美元 and "$1 billion" are the same value, 140亿 and "1.4 billion" are not. `english_amounts` goes the
other way for the few forms whose English is beyond doubt (140亿美元 → "$14 billion", 百分之三十 → "30%"),
so that machine translation can hide them from an engine and write them in itself. A reading holds
`firm` values, which a translation must carry (digits, or Chinese numerals with a unit such as 十亿),
and `loose` ones, which only explain a translation's value and never demand one: 三张 ("three aces"),
三成, 数十万, English written-out numbers, the year of a date. Comparing sets of such values, not
strings, is what keeps a careful translation free of false alarms.

A sign is part of a value (-3.2%, −12%, 负12% are not 3.2% or 12%; a dash after a number, 2019-2021, is a
range). A number glued to Latin letters is read with them (7nm is 7 as 7 nm is, 3.5GHz is 3.5), and a
Latin name holding digits (H100, RTX4090) is a value of its own, the same in both languages (`read_names`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

Value = tuple  # ("n" | "%" | "date" | "quarter" | "ordinal" | "decade" | "name", number, (y, m, d) or name)

_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 10**4, "亿": 10**8}
_ZH_NUMERAL = "零〇一二两三四五六七八九十百千万亿"
_ZH_IDIOMS = {"万一", "千万", "万万", "亿万", "千千万万", "一一", "万千"}  # "in case", "must", "myriad"...
_CONNECTOR = re.compile(r"\s*(?:至|到|~|～|-|–|—|to|and|or)\s*(?:US\$|\$|€|£|¥)?\s*$", re.IGNORECASE)


@dataclass
class Reading:
    """Values found in a text, each with the words it was read from (for messages)."""

    firm: dict[Value, str] = field(default_factory=dict)
    loose: dict[Value, str] = field(default_factory=dict)
    _last: tuple[int, Value, str] | None = None  # a bare number that a following unit may extend

    def add(self, value: Value, text: str, firm: bool = True) -> None:
        (self.firm if firm else self.loose).setdefault(value, text)

    def add_date(self, y: int | None, m: int, d: int | None, text: str, firm: bool = True) -> None:
        """A date, plus its parts as loose values: June 19, 2025 also says June 19, June 2025, June, 2025."""
        if not 1 <= m <= 12 or (d is not None and not 1 <= d <= 31):
            return
        self.add(("date", (y, m, d)), text, firm)
        for part in {(None, m, d), (y, m, None), (None, m, None)} - {(y, m, d)}:
            self.add(("date", part), text, False)
        if y is not None:
            self.add(("n", Decimal(y)), text, False)

    def add_number(self, number: Decimal, unit: Decimal, text: str, span: tuple[int, int], source: str,
                   kind: str = "n") -> None:
        """A number; in `50-100 million` or `5000至1亿` the first one borrows the second's unit."""
        if self._last and unit != 1 and _CONNECTOR.match(source[self._last[0]:span[0]]):
            bare, bare_text = self._last[1], self._last[2]
            if self.firm.get(bare) == bare_text and bare[1] < number:  # "2024 to $80 billion" is no range
                del self.firm[bare]
                self.add(bare, bare_text, False)
                self.add((bare[0], bare[1] * unit), bare_text)
        self.add((kind, number * unit), text)
        self._last = (span[1], (kind, number), text) if unit == 1 else None

    @property
    def values(self) -> set[Value]:
        return set(self.firm) | set(self.loose)

    def __or__(self, other: Reading) -> Reading:
        """The values of both readings (each with the words of `self` where both have it)."""
        if not other.firm and not other.loose:
            return self
        both = Reading(dict(self.firm), dict(self.loose))
        for value, text in other.firm.items():
            both.add(value, text)
        for value, text in other.loose.items():
            both.add(value, text, firm=False)
        return both


def zh_integer(text: str) -> int | None:
    """一百四十 → 140, 十亿 → 10**9, 三亿五千万 → 350000000, 二〇二五 → 2025; None if not a numeral."""
    if not text or any(ch not in _ZH_NUMERAL for ch in text):
        return None
    if all(ch in _ZH_DIGITS for ch in text):
        return int("".join(str(_ZH_DIGITS[ch]) for ch in text))
    result = section = digit = 0
    for ch in text:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        elif ch in _ZH_UNITS:
            section += (digit or 1) * _ZH_UNITS[ch]
            digit = 0
        elif ch == "万":
            section = ((section + digit) or 1) * _ZH_BIG[ch]
            digit = 0
        else:
            result = ((result + section + digit) or 1) * _ZH_BIG[ch]
            section = digit = 0
    return result + section + digit


def _numeral(text: str) -> int:
    """`zh_integer` of a text the pattern matched as a numeral (never None there)."""
    value = zh_integer(text)
    assert value is not None, text
    return value


def _decimal(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


_ZH = re.compile(
    r"(?P<date>(?P<y>\d{4})\s*(?:年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*[日号])?"
    r"|(?P<sep>[/.-])(?P<m2>\d{1,2})(?P=sep)(?P<d2>\d{1,2})(?!\d)))"
    r"|(?P<md>(?P<md_m>\d{1,2})\s*月(?:\s*(?P<md_d>\d{1,2})\s*[日号])?)"
    r"|(?P<day>\d{1,2})\s*[日号](?!本)"
    r"|(?P<decade>\d{2,4})\s*年代"
    r"|第?(?P<quarter>[一二三四1-4])\s*季度"
    r"|百分之(?P<pct>\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百]+)"
    r"|第(?P<ordinal>\d+|[零〇一二两三四五六七八九十百千]+)"
    r"|(?P<cheng>[1-9一二三四五六七八九两])成(?![为功立本员长果就绩交熟型人不])"
    r"|(?<![A-Za-z0-9.,])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:(?P<glued>[A-Za-z][A-Za-z0-9]*)"
    r"|(?![A-Za-z0-9])\s*(?:多|余)?\s*(?:(?P<unit>[十百千万亿]+)|(?i:[\s-]?(?P<scale>thousand|million|billion|trillion)\b))?"
    r"\s*(?P<num_pct>%|％|个百分点)?)"
    r"|(?P<vague>数|几|上)?(?P<zh>[零〇一二两三四五六七八九十百千万亿]+)(?P<year>年)?"
)


# Where a match of _ZH can start (a superset): a digit, a numeral, 第 (第一), 百 (百分之), 数/几/上 (数十万).
_ZH_START = re.compile(r"[\d零〇一二两三四五六七八九十百千万亿第数几上]")


@lru_cache(maxsize=8192)
def read_chinese(text: str) -> Reading:
    """The quantities a Chinese text states (with digits or numerals, units 万/亿, dates, 百分之)."""
    found = Reading()
    for m, words, read in _matches(_ZH, _ZH_START, text):
        g = m.group
        if g("date"):
            day = g("d") or g("d2")
            found.add_date(int(g("y")), int(g("m") or g("m2")), int(day) if day else None, words)
        elif g("md"):
            found.add_date(None, int(g("md_m")), int(g("md_d")) if g("md_d") else None, words)
        elif g("day"):  # 19日 alone: "the 19th", "on the 19", or left implicit
            found.add(("n", Decimal(g("day"))), words, firm=False)
            found.add(("ordinal", int(g("day"))), words, firm=False)
        elif g("decade"):
            found.add(("decade", int(g("decade")) % 100), words)
        elif g("quarter"):
            found.add(("quarter", zh_integer(g("quarter")) or int(g("quarter"))), words)
        elif g("pct"):
            found.add(("%", _decimal(g("pct")) if g("pct")[0].isdigit() else Decimal(_numeral(g("pct")))), words)
        elif g("ordinal"):
            digits = g("ordinal").isdigit()
            found.add(("ordinal", int(g("ordinal")) if digits else zh_integer(g("ordinal"))), words, firm=digits)
        elif g("cheng"):
            found.add(("%", Decimal(10 * (zh_integer(g("cheng")) or int(g("cheng"))))), words, firm=False)
        elif g("num"):
            scale = g("scale") or g("glued") or ""  # 5million, 5bn: English glued to the digits
            unit = Decimal(_numeral(g("unit")) if g("unit") else _scale(scale, currency=False))
            number, start = _decimal(g("num")), m.start("num")
            named = not (g("num_pct") or g("unit") or scale) and _named(read, start, m.end("num"))
            if start and read[start - 1] in _ZH_SIGNS and _minus(read, start) and not named:
                number, words = -number, read[start - 1:m.end()].strip()
            elif read[max(0, start - 2):start] == "零下":  # 零下5摄氏度: five below zero
                number, words = -number, read[start - 2:m.end()].strip()
            kind = "%" if g("num_pct") else "n"
            found.add_number(number, unit, words, m.span(), read, kind)
            if number < 0:  # "fell 12%" states -12% too; it is no extra value
                found.add((kind, -number * unit), words, firm=False)
        else:
            _zh_numeral(found, g("zh"), bool(g("vague")), bool(g("year")), words)
    return found


def _zh_numeral(found: Reading, run: str, vague: bool, year: bool, words: str) -> None:
    """A run of Chinese numerals: firm when it states a quantity (十亿, 一百四十), loose when idiomatic."""
    if run in _ZH_IDIOMS or run in _ZH_BIG or run in ("百", "千"):
        return
    has_unit = any(ch in _ZH_UNITS or ch in _ZH_BIG for ch in run)
    firm = not vague and (has_unit and len(run) > 1 or year and len(run) >= 3)
    found.add(("n", Decimal(_numeral(run))), words, firm)


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_MONTH = (r"(?P<{0}>January|February|March|April|May|June|July|August|September|October|November|December"
          r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?")
_WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                     "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_WORDS.update({w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)})
_SCALES = {"hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_SHORT_SCALES = {"k": 10**3, "m": 10**6, "mn": 10**6, "b": 10**9, "bn": 10**9, "tn": 10**12}
_ORDINALS = {w: i for i, w in enumerate("first second third fourth fifth sixth seventh eighth ninth tenth".split(), 1)}
_NUMBER_WORD = "|".join(sorted([*_WORDS, *_SCALES], key=len, reverse=True))
# Each case-insensitive branch starts with a look-ahead for its possible first letters: a character-class
# test is cheap, an `(?i:` alternation of words tried at every word boundary is not (1.6x slower; ſ folds to s).
_EN = re.compile(
    r"(?P<mdy>" + _MONTH.format("mdy_m") + r"\s+(?P<mdy_d>\d{1,2})(?:st|nd|rd|th)?(?:,\s*|\s+)(?P<mdy_y>\d{4}))"
    r"|(?P<dmy>(?P<dmy_d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH.format("dmy_m") + r",?\s+(?P<dmy_y>\d{4}))"
    r"|(?P<iso>(?P<iso_y>\d{4})-(?P<iso_m>\d{2})-(?P<iso_d>\d{2}))"
    r"|(?P<my>" + _MONTH.format("my_m") + r",?\s+(?P<my_y>\d{4}))"
    r"|(?P<md>" + _MONTH.format("md_m") + r"(?:\s+(?P<md_d>\d{1,2})(?:st|nd|rd|th)?\b)?)"
    r"|(?=[FfSsſTtQq1-4])(?i:(?P<q_word>first|second|third|fourth)[\s-]quarter|\bQ(?P<q_digit>[1-4])\b|\b(?P<q_digit2>[1-4])Q\b)"
    r"|(?=['’\d])(?:'|’)?\b(?P<decade>\d{2}|\d{4})s\b"
    r"|\b(?P<ord_digit>\d+)(?:st|nd|rd|th)\b"
    r"|(?=[FfSsſTtEeNn])(?i:\b(?P<ord_word>" + "|".join(_ORDINALS) + r")\b)"
    r"|(?=[TtHh])(?i:\b(?P<many>tens|hundreds|thousands)\s+of\s+(?P<many_of>thousands|millions|billions|trillions)\b)"
    r"|(?<![A-Za-z0-9.,])(?P<cur>US\$|HK\$|[$€£¥])?\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:(?i:[\s-]?(?P<scale>thousand|million|billion|trillion)\b|(?P<short>bn|tn|mn|[mkb])\b)?"
    r"(?i:\s?(?P<pct>%|percent\b|per\s+cent\b|percentage\s+points?\b))?(?:x\b)?|(?P<glued>[A-Za-z][A-Za-z0-9]*))"
    r"(?![A-Za-z0-9])"
    r"|(?=[AaBbEeFfHhMmNnOoSsſTtZz])"
    r"(?i:\b(?P<spelled>(?:(?:a|an)\s+(?=hundred|thousand|million|billion|trillion))?(?:" + _NUMBER_WORD +
    r")(?:(?:[\s-]+|\s+and\s+)(?:" + _NUMBER_WORD + r"))*)\b(?P<spelled_pct>\s+percent|\s+per\s+cent)?)"
)




def _en_start() -> re.Pattern:
    """Where a match of _EN can start (a superset of the places), found by a scan the engine runs in C.

    Every hint is one character of a small class, so the engine steps over the letters of ordinary
    words without trying anything there (a class of all letters that can begin a match would stop at
    most of them). A digit, a currency sign or space before a digit, `'` before a digit (`'90s`), US$,
    HK$, a month's first three letters and `first quarter` (also inside a word: `_EN` has no `\\b`
    there) are hints at their place. A non-word character before a number word, ordinal, `Q1` or
    `a hundred` announces the place after it: that hint takes the empty group. A place no character
    announces (where the text or a match ends) is tried by `_matches` without a hint. No character
    is both kinds of hint: the second needs a non-word character followed by a letter, the first is
    a word character, or is followed by a digit or space."""
    rests: dict[str, set[str]] = {}
    for word in (*_ORDINALS, *_WORDS, *_SCALES):
        rests.setdefault(word[0], set()).add(word[1:])
    words = "|".join(f"[{first}{first.upper()}{'ſ' if first == 's' else ''}](?i:"
                     + "|".join(sorted(rest, key=len, reverse=True)) + ")" for first, rest in sorted(rests.items()))
    months = "|".join(f"(?<={capital})(?={'|'.join(ends)})" for capital, ends in
                      (("J", ("an", "un", "ul")), ("F", ("eb",)), ("M", ("ar", "ay")), ("A", ("pr", "ug")),
                       ("S", ("ep",)), ("O", ("ct",)), ("N", ("ov",)), ("D", ("ec",))))
    return re.compile(
        r"[\d\WUHJFMASONDFfSsſTt](?:"
        r"(?<=\W)(?:(?=[\d\s])(?=\s?\d)(?<=[$€£¥'’\s])"
        r"|(?=[abefhmnoqstzABEFHMNOQSTZſ])(?=[Qq][1-4]|[Aa](?i:n?\s+(?:hundred|thousand|million|billion|trillion))|"
        + words + r")())"
        r"|(?<=\d)"
        r"|(?<=[FfSsſTt])(?=(?i:(?:irst|econd|hird|ourth)[\s-]quarter))"
        r"|(?<=U)(?=S\$)|(?<=H)(?=K\$)|" + months + ")")


_EN_START = _en_start()


@lru_cache(maxsize=8192)
def read_english(text: str, falls: bool = False) -> Reading:
    """The quantities an English text states; only those written with digits are firm. A number is negative
    after a minus sign or "minus" ("negative"); with `falls`, one that the words around it state as a fall
    ("fell 12%", "a 12% drop", not "fell to 20°C") also states its negative, loosely. Only a negative source
    value needs that reading, so it is not made for every text."""
    found = Reading()
    worded = falls or "inus" in text or "egative" in text  # the words around a number are read only then
    for m, words, read in _matches(_EN, _EN_START, text):
        g = m.group
        if g("mdy") or g("dmy") or g("my") or g("md"):
            kind = next(k for k in ("mdy", "dmy", "my", "md") if g(k))
            year = g(f"{kind}_y") if kind in ("mdy", "dmy", "my") else None
            day = g(f"{kind}_d") if kind != "my" else None
            found.add_date(int(year) if year else None, _month(g(f"{kind}_m")), int(day) if day else None, words,
                           firm=bool(year or day))
        elif g("iso"):
            found.add_date(int(g("iso_y")), int(g("iso_m")), int(g("iso_d")), words)
        elif g("q_word") or g("q_digit") or g("q_digit2"):
            number = _ORDINALS.get((g("q_word") or "").casefold()) or int(g("q_digit") or g("q_digit2"))
            found.add(("quarter", number), words, firm=False)
        elif g("decade"):
            found.add(("decade", int(g("decade")) % 100), words, firm=False)
        elif g("ord_digit") or g("ord_word"):
            found.add(("ordinal", int(g("ord_digit") or _ORDINALS[g("ord_word").casefold()])), words, firm=False)
        elif g("many"):
            size = {"tens": 10, "hundreds": 100, "thousands": 1000}[g("many").casefold()]
            found.add(("n", Decimal(size * _SCALES[g("many_of").casefold()[:-1]])), words, firm=False)
        elif g("num"):
            scale, cur = g("scale") or g("short"), g("cur")
            unit = Decimal(_scale(scale, currency=bool(cur)) if scale else 1)
            amount, start = _decimal(g("num")), m.start("cur") if cur else m.start("num")
            if start and read[start - 1] in _SIGNS and _minus(read, start):
                amount, words = -amount, read[start - 1:m.end()].strip()
            fall = False
            if worded and amount > 0:
                before = _last_word(read, start)
                if before in _SIGN_WORDS:
                    amount = -amount
                else:
                    fall = falls and (before in _FALL_BEFORE or _fall_after(read, m.end()))
            kind = "%" if g("pct") else "n"
            found.add_number(amount, unit, words, m.span(), read, kind)
            if fall:
                found.add((kind, -amount * unit), words, firm=False)
        elif g("spelled"):
            spelled = _spelled(g("spelled"))
            if spelled is not None:
                found.add(("%" if g("spelled_pct") else "n", Decimal(spelled)), words, firm=False)
    return found


def _scale(word: str, currency: bool) -> int:
    """The factor of a scale word after a number: million, bn; 5m is five metres, $5m five million dollars."""
    word = word.casefold()
    if word in _SCALES:
        return _SCALES[word]
    return _SHORT_SCALES.get(word, 1) if currency or word in ("bn", "tn") else 1


# A dash right after a number and its unit (2019-2021, 5%-10%, 2019年-2021年, 5万美元-10万美元) or inside a
# word (GPT-4, COVID-19) joins two things; elsewhere (为-3%, 降至-20°C, "to -3%") it is a minus sign.
# Characters that say what a value is (为-3%, 增长-5, 亏损-9, 净利润-39): a dash after them is a minus sign
_STATING = "为至到降跌减增涨升达是长损亏率值于约近超逾仅共计合额润利收入出差量价数指比"
_JOINS = re.compile(rf"(?:[A-Za-z0-9_%％)）\]°'’/]|\d\s*(?:(?![{_STATING}])[\u4e00-\u9fff]){{1,3}})\Z")
_SIGNS = "-−－"  # hyphen-minus, minus sign, full-width hyphen-minus
_ZH_SIGNS = _SIGNS + "负"  # 负12%; but 正负3% is ±3%
_SIGN_WORDS = frozenset(("minus", "negative"))
# Words that say an English number is a fall: "fell 12%", "down by about 12%", "a fall of 12%", "a 12% drop".
_FALL_BEFORE = frozenset("fell fall falls falling dropped drop drops declined decline declines decreased decrease "
                         "decreases shrank shrunk slid slipped lost down plunged tumbled sank contracted eased dipped "
                         "retreated shed loss losses deficit outflow".split())
_FALL_AFTER = frozenset("drop decline decrease fall loss lower less down contraction reduction".split())
_BELOW = ("below zero", "below freezing", "below sea level")
_FILLERS = frozenset("by of about around nearly almost roughly some over more less than".split())
_PUNCTUATION = ".,;:!?()[]\"'“”‘’"


# A dash between a Han character and a number with no unit after it names something (歼-20战机, 东风-41, 苏-57),
# unless the character says what the value is (为-3%, 降至-20, 增长-5%: those have units anyway)
_NAMING_DASH = re.compile(r"[\u4e00-\u9fff][-−－]\Z")
_NAMED_NUMBER = re.compile(r"\d{1,3}")  # the number of a Han name: 20 in 歼-20
_UNIT_AFTER = re.compile(r"\s*[%％‰°℃度元米克吨万亿千百倍点个]")


def _named(text: str, start: int, end: int) -> bool:
    """Whether the dash before the number at `start` (ending at `end`) joins a Han name to it: 歼-20, a whole
    number of at most three digits with no unit after it (亏损-9622 and 亏损-6.5 are values)."""
    return (bool(_NAMING_DASH.search(text, max(0, start - 2), start)) and text[start - 2] not in _STATING
            and bool(_NAMED_NUMBER.fullmatch(text, start, end)) and not _UNIT_AFTER.match(text, end))


def _minus(text: str, start: int) -> bool:
    """Whether the sign before the number at `start` (-, −, －, 负) is a minus: not a dash that joins, not 正负."""
    if text[start - 1] == "负" and text[start - 2:start - 1] == "正":
        return False
    return not _JOINS.search(text, max(0, start - 6), start - 1)


def _last_word(text: str, end: int) -> str:
    """The word before `end` that is not a filler (by, about, more than), lower-cased."""
    for word in reversed(text[max(0, end - 40):end].casefold().split()):
        word = word.strip(_PUNCTUATION)
        if word not in _FILLERS:
            return word
    return ""


def _fall_after(text: str, end: int) -> bool:
    """Whether the words after a number say it is a fall: "a 12% drop", "a 12% annual decline", "20 degrees
    below zero", "430 metres below sea level"."""
    after = [word.strip(_PUNCTUATION) for word in text[end:end + 40].casefold().split()[:4]]
    words = " ".join(after)
    return not _FALL_AFTER.isdisjoint(after[:2]) or any(below in words for below in _BELOW)


_SUBSCRIPT_DIGITS = {0x2080 + i: 0x30 + i for i in range(10)}  # a name's subscript digits: CO₂ is CO2
_SUBSCRIPT_DIGIT = re.compile("[\u2080-\u2089]")
# Where the number of a Latin name starts: a digit right after a letter (H100, RTX4090, iPhone15, Qwen2.5), or
# after a letter and a space or hyphen (RTX 4090, GPT-4); a scan for digits, so prose costs next to nothing.
_NAME_NUMBER = re.compile(r"[0-9](?:(?<=[A-Za-z][0-9])|(?<=[A-Za-z][ -][0-9]))")
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_IN_A_WORD = _LETTERS | set("0123456789_.")
_PERIODS = frozenset(("q1", "q2", "q3", "q4", "h1", "h2"))  # quarters and halves, which a translation writes out
_NOTHING = Reading()


def read_names(text: str) -> Reading:
    """The Latin names with digits a text states, in either language. A name is not translated, so a
    translation carries it (H100 → "the Hopper H100", "H100s", "H-100"), and H200 or A100 for it is an
    error. Glued to its letters, a name is firm; after a word with a capital and a space or hyphen
    ("RTX 4090", "GPT-4") it only explains the glued form of the other side. Letters and the number make
    the name (MI300X and MI300A are one); it also states its number, loosely (RTX4090 for "RTX 4090").
    Most texts name nothing: they share one empty reading (a reading is never changed once read)."""
    found = _NOTHING
    if _SUBSCRIPT_DIGIT.search(text):
        text = text.translate(_SUBSCRIPT_DIGITS)  # CO₂ is CO2, PM₂.₅ PM2.5
    for hit in _NAME_NUMBER.finditer(text):
        at = hit.start()
        glued = text[at - 1] in _LETTERS
        start = end = at if glued else at - 1
        while start and text[start - 1] in _LETTERS:
            start -= 1
        if start and text[start - 1] in _IN_A_WORD or not glued and text[start:end].islower():
            continue  # inside a word or a number (2024T09, 0x1F), or a word that names nothing ("about 5")
        number = _NUMBER.match(text, at).group(0)  # type: ignore[union-attr]
        name = f"{text[start:end]}{number}".casefold()
        if name not in _PERIODS:
            found = Reading() if found is _NOTHING else found
            words = text[start:at + len(number)]
            found.add(("name", name), words, firm=glued)
            found.add(("n", Decimal(number)), words, firm=False)
    return found


def _month(name: str) -> int:
    return next(i for i, month in enumerate(_MONTHS, 1) if month.startswith(name[:3].casefold()))


def _spelled(text: str) -> int | None:
    """"one hundred forty" → 140, "a billion" → 10**9, "two" → 2."""
    total = current = 0
    for word in re.split(r"[\s-]+", text.casefold()):
        if word in ("a", "an"):
            current = 1
        elif word in _WORDS:
            current += _WORDS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in _SCALES:
            total += (current or 1) * _SCALES[word]
            current = 0
    return total + current


def _matches(pattern: re.Pattern, start: re.Pattern, text: str):
    """(match, its words, the text it indexes), read with full-width digits and signs as ASCII (１２３％ → 123%).

    The same matches as `pattern.finditer`, found faster: `start` finds the next place a match can begin
    (every place one can, and a few more; see `_en_start` for a hint that announces the place after it),
    and the large pattern is tried there alone. No match is empty, so after one the scan resumes at its
    end, as finditer does; that place, like the text's start, is tried at once, as no hint after it
    need announce it. A text where `start` finds nothing is read at the cost of one scan. (A match at
    `pos` sees the text before it: look-behinds and `\\b` behave.)"""
    if _FULL_WIDTH_SIGN.search(text):
        text = text.translate(_FULL_WIDTH)
    search, match_at = start.search, pattern.match
    at = pos = 0  # `at`: the place tried next; `pos`: where the hints after it are searched from
    while True:
        match = match_at(text, at)
        if match is not None:
            yield match, match.group(0).strip(), text
            at = pos = match.end()
            continue
        hint = search(text, pos)
        if hint is not None and hint.start() == at and not hint.lastindex:
            hint = search(text, at + 1)  # the place just tried, hinted at itself
        if hint is None:
            return
        at = hint.end() if hint.lastindex else hint.start()
        pos = at + 1


_FULL_WIDTH = {0xFF10 + i: 0x30 + i for i in range(10)} | {0xFF0E: ord("."), 0xFF05: ord("%")}
_FULL_WIDTH_SIGN = re.compile("[\uff10-\uff19\uff0e\uff05]")


_CURRENCIES = {"美元": "${}", "美金": "${}", "欧元": "€{}", "英镑": "£{}", "港元": "HK${}", "港币": "HK${}",
               "元": "{} yuan", "人民币": "{} yuan", "元人民币": "{} yuan", "日元": "{} yen"}
_AMOUNT = re.compile(
    r"(?<![\d.,０-９．])(?P<num>\d+(?:\.\d+)?)(?P<unit>万亿|亿|万)"
    r"(?P<cur>元人民币|美元|美金|欧元|英镑|港元|港币|人民币|日元|元)?(?![多余])"
    r"|(?<![\d.,０-９．])(?P<pct>\d+(?:\.\d+)?)\s*(?:%|(?P<points>个百分点))"
    r"|百分之(?P<zh_pct>\d+(?:\.\d+)?|[一二两三四五六七八九十]+)(?![点百千万亿一二两三四五六七八九十])"
)
_RANGE_BEFORE = re.compile(r"\d\s*(?:至|到|~|～|-|–|—)\s*$")  # 50-100亿: the 50 borrows the unit


def english_amounts(text: str) -> list[tuple[int, int, str]]:
    """(start, end, English) for each amount of `text` whose English is unambiguous: a number with 万, 亿
    or 万亿 and an optional currency (140亿美元 → "$14 billion", 1.8万亿元 → "1.8 trillion yuan",
    3万 → "30,000"), a percentage (百分之三十, 13.4% → "30%", "13.4%"; 3个百分点 → "3 percentage points").
    Left out: approximations (50多亿, 3万余) and the second number of a range (50-100亿), whose
    first number would lose its unit. Full-width digits are not rendered (they are rare and kept)."""
    found = []
    for m in _AMOUNT.finditer(text):
        if m.group("unit"):
            if _RANGE_BEFORE.search(text[:m.start()]):
                continue
            value = _decimal(m.group("num")) * _ZH_BIG.get(m.group("unit"), 10**12)
            words = _english_number(value)
            currency = _CURRENCIES.get(m.group("cur") or "", "{}")
            found.append((m.start(), m.end(), currency.format(words)))
        elif m.group("pct"):
            suffix = " percentage points" if m.group("points") else "%"
            found.append((m.start(), m.end(), f"{_plain(_decimal(m.group('pct')))}{suffix}"))
        else:
            number = m.group("zh_pct")
            percent = _decimal(number) if number[0].isdigit() else zh_integer(number)
            if percent is not None:
                found.append((m.start(), m.end(), f"{_plain(Decimal(percent))}%"))
    return found


def _english_number(value: Decimal) -> str:
    """14000000000 → "14 billion", 1800000000000 → "1.8 trillion", 626000 → "626,000"."""
    for scale, name in ((10**12, "trillion"), (10**9, "billion"), (10**6, "million")):
        if value >= scale:
            return f"{_plain(value / scale)} {name}"
    if value == value.to_integral_value():
        return f"{int(value):,}"
    whole, _, fraction = _plain(value).partition(".")
    return f"{int(whole):,}.{fraction}"


def _plain(number: Decimal) -> str:
    """1.80 → "1.8", 14 → "14", never in exponent form."""
    text = f"{number.normalize():f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
