"""Front matter (YAML `---`, TOML `+++`, JSON `{}`): where it ends, and where each translatable value sits.

python-frontmatter's handlers name the formats and their delimiters; the values are then located
with exact character offsets (PyYAML node marks, a small TOML string scanner, the stdlib JSON
scanner), so a translated value replaces just those characters and every other byte stays.
"""

from __future__ import annotations

import copy
import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from json.decoder import scanstring  # type: ignore[attr-defined]  # public in json.decoder, not in typeshed
from typing import Any

import frontmatter
import yaml
from frontmatter.default_handlers import BaseHandler, JSONHandler, YAMLHandler

from ...errors import L10nError, line_in

_EOL = r"(?=\r\n|\r|\n|\Z)"


class TOMLHandler(BaseHandler):
    """TOML front matter read with the standard library's tomllib (python-frontmatter's own needs `toml`)."""

    FM_BOUNDARY = re.compile(r"^\+{3,}[ \t]*" + _EOL, re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str, **kwargs: object) -> Any:
        return tomllib.loads(fm)


class HugoJSONHandler(JSONHandler):
    """Hugo's JSON front matter: the file simply starts with a JSON object."""

    FM_BOUNDARY = re.compile(r"^\{\s*[\"}]")  # not `{{< shortcode >}}`


HANDLERS = {"yaml": YAMLHandler(re.compile(r"^-{3,}[ \t]*" + _EOL, re.MULTILINE)), "toml": TOMLHandler(),
            "json": HugoJSONHandler()}
_FORMAT_OF = {type(handler): name for name, handler in HANDLERS.items()}
FORMATS = tuple(HANDLERS)  # the write-back syntax of a front matter value starts with its format's name


@dataclass(frozen=True)
class Field:
    """One translatable value: top-level `key` (and `index` in its list), its literal's span and quoting."""

    key: str
    start: int
    end: int
    value: str
    syntax: str  # how to write a new value: see `quote`
    index: int | None = None


@dataclass(frozen=True)
class FrontMatter:
    format: str
    end: int  # offset just past the closing delimiter's line: where the body starts
    fields: tuple[Field, ...]


def parse_front_matter(text: str, keys: tuple[str, ...]) -> FrontMatter | None:
    """Find the front matter at the start of `text`; raise L10nError (line relative to text) if broken."""
    handler = frontmatter.detect_format(text, HANDLERS.values())
    if handler is None:
        return None
    kind = _FORMAT_OF[type(handler)]
    if kind == "json":
        return _json_front_matter(text, keys)
    inner_start, inner_end, end = _delimited(text, kind, handler)
    try:
        fields = (_yaml_fields if kind == "yaml" else _toml_fields)(text[inner_start:inner_end], keys)
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
        raise _syntax_error(kind, exc, line_offset=1) from None
    shifted = tuple(replace(f, start=f.start + inner_start, end=f.end + inner_start) for f in fields)
    return FrontMatter(kind, end, shifted)


def _delimited(text: str, kind: str, handler: BaseHandler) -> tuple[int, int, int]:
    """(start, end) of what stands between the `---` or `+++` lines, and where the body starts."""
    first_eol = _line_end(text, 0)
    boundary = handler.FM_BOUNDARY
    assert boundary is not None  # every handler of HANDLERS has one
    closing = boundary.search(text, first_eol)
    if closing is None:
        raise L10nError(f"{kind.upper()} front matter opened here is never closed "
                        f"(no closing {handler.END_DELIMITER} line)", line=1)
    return _next_line(text, first_eol), closing.start(), _next_line(text, closing.end())


@lru_cache(maxsize=4096)  # build checks the front matter with these literals, then writes them
def quote(syntax: str, value: str) -> str:
    """`value` written as a literal of the same kind as the original, escaped for its syntax."""
    if syntax == "yaml-plain" and _plain_yaml_ok(value, "k: {}", lambda d: d == {"k": value}):
        return value
    if syntax == "yaml-flow-plain" and _plain_yaml_ok(value, "k: [{}]", lambda d: d == {"k": [value]}):
        return value
    if syntax == "yaml-single" and value.isprintable():
        return "'" + value.replace("'", "''") + "'"
    if syntax == "toml-literal" and "'" not in value and value.isprintable():
        return "'" + value + "'"
    # JSON string syntax is also a valid YAML double-quoted scalar and TOML basic string, once the
    # characters json leaves raw but YAML and TOML refuse (DEL, C1 controls) are escaped too.
    return _RAW_CONTROL.sub(lambda m: f"\\u{ord(m.group(0)):04x}", json.dumps(value, ensure_ascii=False))


_RAW_CONTROL = re.compile("[\x7f-\x9f\u2028\u2029]")


def _plain_yaml_ok(value: str, template: str, same) -> bool:
    """Whether `value` reads back as itself written plain: PyYAML's pure-Python loader decides (libyaml
    accepts tabs it refuses), asked only when the cheap rules of `_surely_plain` cannot tell."""
    if not value or "\n" in value or value != value.strip():
        return False
    if _NEVER_PLAIN.search(value) or _NUMBER_LIKE.fullmatch(value):
        return False
    if _surely_plain(value, flow=template.endswith("]")):
        return True
    try:
        return bool(same(yaml.safe_load(template.format(value))))
    except yaml.YAMLError:
        return False


# A mapping (`a: b`), a comment (` #`), or an indicator no plain scalar may start with: never itself, plain.
_NEVER_PLAIN = re.compile(r": |:$| #|^[,\[\]{}#&*!|>'\"%@`]|^[-?] ")
# What some YAML loader may read as a number or a time, not a string: PyYAML's resolver knows YAML 1.1's
# forms, but Hugo reads front matter with a YAML 1.2 loader (0o17 is 15 there, a string in YAML 1.1) whose
# number syntax follows Go's (0b1, 0x_1F, 1_000). Any word starting like a number (a sign, a digit, or a dot
# and a digit or inf/nan) and made of number characters is written quoted: "0o17", "3D", "12:30".
_NUMBER_LIKE = re.compile(r"[-+]?(?:[0-9]|\.[0-9]|\.(?i:inf|nan))[0-9A-Za-z_.:+-]*")
_PLAIN_BREAKERS = re.compile(r"[:#]|^[-?,\[\]{}&*!|>'\"%@`]")  # may end, comment out or open something else
_FLOW_BREAKERS = re.compile(r"[,?\[\]{}]")  # end an item of a flow sequence
_RESOLVER = yaml.resolver.Resolver()


def _surely_plain(value: str, flow: bool) -> bool:
    """A stripped one-line `value` that any YAML loader reads back as the same string when written plain:
    printable (no tab: the pure loader refuses one), no indicator that could end or change the scalar,
    and resolved as a string (not a number, date, boolean or null), by the loaders' own resolver."""
    return (value.isprintable() and not _PLAIN_BREAKERS.search(value)
            and not (flow and _FLOW_BREAKERS.search(value))
            and _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == _STR_TAG)


# --- reading back ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Replacement:
    """A new value for the field whose literal spans `start:end`, written with `quote(syntax, value)`."""

    start: int
    end: int
    syntax: str
    value: str


# Unicode non-characters (and lone surrogates) are not text: in a title they are an encoding or machine
# translation accident, YAML refuses them raw, and parsers disagree on them escaped.
_NON_CHARACTER = re.compile("[\ud800-\udfff\ufdd0-\ufdef" + "".join(
    chr(plane << 16 | 0xfffe) + chr(plane << 16 | 0xffff) for plane in range(17)) + "]")


def unreadable(text: str, replacements: list[Replacement]) -> dict[int, str]:
    """Why each of `replacements` (by start) cannot stand in the front matter at the start of `text`.

    The invariant: with the values replaced, the front matter parses back to the original data with
    exactly those fields changed, each holding its new value. It is checked with one parse of the
    new front matter; only when that fails is each value tried alone to find the culprits.
    """
    reasons = {r.start: f"U+{ord(found.group()):04X} is a Unicode non-character: it cannot be written in "
                        f"{r.syntax.split('-')[0].upper()} front matter"
               for r in replacements if (found := _NON_CHARACTER.search(r.value))}
    todo = [r for r in replacements if r.start not in reasons]
    if not todo:
        return reasons
    kind, data, end, paths = _source_reading(text)

    def misread(chosen: list[Replacement]) -> str | None:
        front, pos = [], 0
        for r in chosen:
            front += [text[pos:r.start], quote(r.syntax, r.value)]
            pos = r.end
        new_text = "".join(front) + text[pos:end]
        try:
            new_kind, new_data, new_end = _front_matter_data(new_text)
        except (L10nError, ValueError, yaml.YAMLError):
            new_kind = None
        if new_kind != kind or new_end != len(new_text):
            return f"the {kind.upper()} front matter would no longer parse"
        expected = copy.deepcopy(data)
        for r in chosen:
            *parents, last = paths[r.start]
            parent = expected
            for key in parents:
                parent = parent[key]
            parent[last] = r.value
        return None if _same(new_data, expected) else f"does not read back from the {kind.upper()} front matter"

    while todo and (problem := misread(todo)):
        culprits = {r.start: why for r in todo if (why := misread([r]))} or {r.start: problem for r in todo}
        reasons.update(culprits)
        todo = [r for r in todo if r.start not in reasons]
    return reasons


def _source_reading(text: str) -> tuple[str, Any, int, dict[int, tuple[str] | tuple[str, int]]]:
    """`_front_matter_data(text)` and where in that data each value `parse_front_matter` locates (under any
    string key) sits, by the value's start. YAML is composed once for both: the fields are found in the
    nodes, which are then constructed into the data."""
    handler = frontmatter.detect_format(text, HANDLERS.values())
    if handler is None or _FORMAT_OF[type(handler)] != "yaml":
        kind, data, end = _front_matter_data(text)
        located = parse_front_matter(text, tuple(key for key in data if isinstance(key, str)))
        assert located is not None  # _front_matter_data found it
        return kind, data, end, {f.start: _path(f) for f in located.fields}
    inner_start, inner_end, end = _delimited(text, "yaml", handler)
    inner = text[inner_start:inner_end]
    root = yaml.compose(inner, Loader=_YAML_LOADER)
    pairs = list(root.value) if isinstance(root, yaml.MappingNode) else None  # the construction merges `<<` in
    data = None if root is None else yaml.constructor.SafeConstructor().construct_document(root)
    keys = tuple(key for key in data if isinstance(key, str)) if isinstance(data, dict) else ()
    return "yaml", data, end, {f.start + inner_start: _path(f) for f in _yaml_fields(inner, keys, root, pairs)}


def _path(field: Field) -> tuple[str] | tuple[str, int]:
    return (field.key,) if field.index is None else (field.key, field.index)


def _front_matter_data(text: str) -> tuple[str, Any, int]:
    """(format, data, where the body starts) of the front matter at the start of `text`."""
    handler = frontmatter.detect_format(text, HANDLERS.values())
    if handler is None:
        raise L10nError("no front matter")
    kind = _FORMAT_OF[type(handler)]
    if kind == "json":
        data, end = json.JSONDecoder().raw_decode(text, 0)
        return kind, data, _next_line(text, _line_end(text, end))
    inner_start, inner_end, end = _delimited(text, kind, handler)
    inner = text[inner_start:inner_end]
    return kind, yaml.load(inner, Loader=_YAML_LOADER) if kind == "yaml" else tomllib.loads(inner), end


def _same(a: Any, b: Any) -> bool:
    """Equal data of equal types, a NaN equal to itself (a `.nan` value must not fail every translation)."""
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(_same, a, b))
    return type(a) is type(b) and (a == b or (a != a and b != b))


# --- YAML -------------------------------------------------------------------------------------

_YAML_STYLE = {None: "yaml-plain", "": "yaml-plain", "'": "yaml-single", '"': "yaml-double", "|": "yaml-block",
               ">": "yaml-block"}
_STR_TAG = "tag:yaml.org,2002:str"
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ~10x faster


def _yaml_fields(inner: str, keys: tuple[str, ...], root: yaml.Node | None = None,
                 pairs: list[tuple[yaml.Node, yaml.Node]] | None = None) -> list[Field]:
    """The values under `keys` in the YAML `inner`: its composition `root` if given, with the `pairs` of keys
    and values it had as composed (before its construction into data merged `<<` keys into it)."""
    if root is None:
        root = yaml.compose(inner, Loader=_YAML_LOADER)
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        raise L10nError("YAML front matter is not a mapping of keys to values", line=2)
    fields = []
    seen: set[int] = set()  # an alias repeats its anchor's node: one span, one segment
    items: list[tuple[int | None, yaml.ScalarNode, str]]
    for key_node, node in root.value if pairs is None else pairs:
        if key_node.value not in keys:
            continue
        if isinstance(node, yaml.ScalarNode):
            items = [(None, node, "yaml-flow-plain" if root.flow_style else "yaml-plain")]
        elif isinstance(node, yaml.SequenceNode):
            plain = "yaml-flow-plain" if node.flow_style or root.flow_style else "yaml-plain"
            items = [(i, item, plain) for i, item in enumerate(node.value) if isinstance(item, yaml.ScalarNode)]
        else:
            continue
        for index, item, plain in items:
            if id(item) not in seen:
                seen.add(id(item))
                fields += _yaml_scalar(inner, key_node.value, index, item, plain)
    return fields


def _yaml_scalar(inner: str, key: str, index: int | None, node: yaml.ScalarNode, plain: str) -> list[Field]:
    if node.tag != _STR_TAG or not str(node.value).strip():
        return []  # numbers, dates, booleans and empty values are not prose
    start, end = node.start_mark.index, node.end_mark.index
    if inner[start:start + 1] in ("&", "!"):
        return []  # an anchor or tag precedes the value: left as written rather than risk breaking it
    syntax = _YAML_STYLE.get(node.style, "yaml-double")
    if syntax == "yaml-plain":
        syntax = plain
    if syntax == "yaml-block":  # the span runs into following newlines: stop at the last character
        end = start + len(inner[start:end].rstrip())
    value = yaml.safe_load(inner[start:end]) if syntax == "yaml-block" else node.value
    return [Field(key, start, end, str(value).strip() if syntax == "yaml-block" else value, syntax, index)]


# --- TOML -------------------------------------------------------------------------------------

_TOML_KEY = re.compile(r"""^[ \t]*("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[A-Za-z0-9_-]+)[ \t]*=[ \t]*""", re.MULTILINE)
_TOML_TABLE = re.compile(r"^[ \t]*\[", re.MULTILINE)
_TOML_MULTILINE = re.compile(r'"""(?:[^\\]|\\.)*?"""(?!")|\'\'\'.*?\'\'\'(?!\')', re.DOTALL)


def _toml_fields(inner: str, keys: tuple[str, ...]) -> list[Field]:
    data = HANDLERS["toml"].load(inner)
    # Keys and table headers are looked for outside multi-line strings, blanked here (same offsets).
    scan = _TOML_MULTILINE.sub(lambda m: re.sub(r"[^\r\n]", "x", m.group(0)), inner)
    table = _TOML_TABLE.search(scan)
    top_end = table.start() if table else len(inner)
    fields = []
    for match in _TOML_KEY.finditer(scan, 0, top_end):
        key = tomllib.loads(f"{match.group(1)} = 0").popitem()[0]
        if key not in keys:
            continue
        found = list(_toml_value(inner, match.end(), key))
        decoded = [f.value for f in found]
        expected = data.get(key)
        if decoded == ([expected] if isinstance(expected, str) else expected):
            fields += [replace(f, value=f.value.strip()) if f.syntax == "toml-multiline"
                       else f for f in found if f.value.strip()]
    return fields


def _toml_value(text: str, pos: int, key: str) -> Iterator[Field]:
    """The string literals of `key = "..."` or `key = ["...", ...]` starting at `pos`."""
    if text.startswith("[", pos):
        pos += 1
        index = 0
        while True:
            pos = _skip_toml_space(text, pos)
            if text.startswith("]", pos):
                return
            end, syntax = _toml_string_end(text, pos)
            if end is None:
                return
            yield Field(key, pos, end, tomllib.loads("v = " + text[pos:end])["v"], syntax, index)
            index += 1
            pos = _skip_toml_space(text, end)
            if text.startswith(",", pos):
                pos += 1
    else:
        end, syntax = _toml_string_end(text, pos)
        if end is not None:
            yield Field(key, pos, end, tomllib.loads("v = " + text[pos:end])["v"], syntax)


def _skip_toml_space(text: str, pos: int) -> int:
    while pos < len(text):
        if text[pos] in " \t\r\n":
            pos += 1
        elif text[pos] == "#":
            pos = _line_end(text, pos)
        else:
            break
    return pos


def _toml_string_end(text: str, pos: int) -> tuple[int | None, str]:
    for opener, pattern, syntax in (
        ('"""', r'"""(?:[^\\]|\\.)*?"""(?!")|"""(?:[^\\]|\\.)*?""""{1,2}', "toml-multiline"),
        ("'''", r"'''.*?'''(?!')|'''.*?''''{1,2}", "toml-multiline"),
        ('"', r'"(?:[^"\\\n]|\\.)*"', "toml-basic"),
        ("'", r"'[^'\n]*'", "toml-literal"),
    ):
        if text.startswith(opener, pos):
            match = re.compile(pattern, re.DOTALL).match(text, pos)
            return (match.end(), syntax) if match else (None, syntax)
    return None, ""


# --- JSON -------------------------------------------------------------------------------------

_WS = re.compile(r"[ \t\r\n]*")


def _blanks_end(text: str, pos: int) -> int:
    """Where the JSON whitespace from `pos` on ends."""
    blanks = _WS.match(text, pos)
    assert blanks is not None  # `*`: it matches the empty string too
    return blanks.end()


def _json_front_matter(text: str, keys: tuple[str, ...]) -> FrontMatter:
    decoder = json.JSONDecoder()
    try:
        _, end = decoder.raw_decode(text, 0)
    except json.JSONDecodeError as exc:
        raise L10nError(f"invalid JSON front matter: {exc.msg} (column {exc.colno})", line=exc.lineno) from None
    fields: list[Field] = []
    pos = _blanks_end(text, 1)
    while text[pos] == '"':
        key, pos = scanstring(text, pos + 1)
        pos = _blanks_end(text, _blanks_end(text, pos) + 1)  # past ':'
        value_start = pos
        value, pos = decoder.raw_decode(text, pos)
        if key in keys:
            fields += _json_strings(text, value_start, key, value, decoder)
        pos = _blanks_end(text, pos)
        if text[pos] == ",":
            pos = _blanks_end(text, pos + 1)
        else:
            break
    rest = _line_end(text, end)
    if text[end:rest].strip():
        raise L10nError("unexpected text after the JSON front matter", line=text.count("\n", 0, end) + 1)
    return FrontMatter("json", _next_line(text, rest), tuple(fields))


def _json_strings(text: str, pos: int, key: str, value: Any, decoder: json.JSONDecoder) -> list[Field]:
    if isinstance(value, str):
        _, end = decoder.raw_decode(text, pos)
        return [Field(key, pos, end, value, "json")] if value.strip() else []
    if not isinstance(value, list):
        return []
    fields = []
    pos = _blanks_end(text, pos + 1)
    for index, item in enumerate(value):
        item_start = pos
        _, pos = decoder.raw_decode(text, pos)
        if isinstance(item, str) and item.strip():
            fields.append(Field(key, item_start, pos, item, "json", index))
        pos = _blanks_end(text, pos)
        pos = _blanks_end(text, pos + 1) if text[pos] == "," else pos
    return fields


# --- helpers ----------------------------------------------------------------------------------

def _line_end(text: str, pos: int) -> int:
    """Offset of the end-of-line characters of the line holding `pos` (or of the text's end)."""
    match = re.compile(r"\r\n|\r|\n").search(text, pos)
    return match.start() if match else len(text)


def _next_line(text: str, pos: int) -> int:
    if text.startswith("\r\n", pos):
        return pos + 2
    return pos + 1 if pos < len(text) and text[pos] in "\r\n" else pos


def _syntax_error(kind: str, exc: Exception, line_offset: int) -> L10nError:
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        line = mark.line + 1
        message = f"{getattr(exc, 'problem', None) or exc} (column {mark.column + 1})"
    else:
        line = line_in(exc)
        message = re.sub(r"\s*\(at line \d+, column (\d+)\)", r" (column \1)", str(exc))
    return L10nError(f"invalid {kind.upper()} front matter: {message}",
                     line=None if line is None else line + line_offset)
