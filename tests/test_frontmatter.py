"""Translated front matter values are written back in place, escaped for their syntax."""

from __future__ import annotations

import json
import re
import tomllib

import pytest
import yaml

from l10n.document import decode_document
from l10n.errors import L10nError
from l10n.formats.markdown.frontmatter import quote
from l10n.formats.markdown.render import encode
from l10n.formats.markdown.segmenter import extract_segments

TRICKY = [
    "Plain words",
    "Colon: and #hash",
    "It's \"quoted\"",
    "- starts like a list",
    "[looks, like] {flow}",
    "yes",
    "123",
    " leading space",
    "back\\slash and tab\t",
    "multi\nline",
    "",
]

SOURCES = {
    "yaml": "---\ntitle: 标题\nsummary: '单引号'\ndescription: \"双引号\"\ntags: [标签一, 标签二]\n"
            "categories:\n  - 分类\nkeywords: >-\n  折叠\n  文本\nslug: keep-me # comment\n---\n正文\n",
    "toml": "+++\ntitle = \"标题\"\nsummary = '单引号'\ntags = [\"标签一\", '标签二',\n  \"标签三\", # c\n]\n"
            "description = '''\n多行'''\nslug = \"keep-me\" # comment\n[params]\ntitle = \"嵌套\"\n+++\n正文\n",
    "json": "{\n  \"title\": \"标题\",\n  \"tags\": [\"标签一\", \"标签二\"],\n  \"slug\": \"keep-me\",\n"
            "  \"weight\": 3\n}\n正文\n",
}
KEYS = ("title", "summary", "description", "tags", "categories", "keywords")


def load(kind: str, text: str) -> dict:
    if kind == "yaml":
        return yaml.safe_load(text.split("---\n")[1])
    if kind == "toml":
        return tomllib.loads(text.split("+++\n")[1])
    return json.loads(text[: text.index("\n}\n") + 3])


def translate(text: str, value_for) -> str:
    doc = decode_document(text.encode(), "a.md")
    out, pos = [], 0
    for segment in extract_segments(doc, KEYS, ()):
        if segment.comment.startswith("front matter"):
            out += [text[pos:segment.start], encode(segment, value_for(segment.msgid), "\n")]
            pos = segment.end
    return "".join(out) + text[pos:]


@pytest.mark.parametrize("kind", SOURCES)
@pytest.mark.parametrize("value", TRICKY)
def test_translated_values_read_back_exactly_and_other_keys_untouched(kind, value):
    source = SOURCES[kind]
    before = load(kind, source)
    after = load(kind, translate(source, lambda msgid: value + msgid))
    for key, old in before.items():
        if key not in KEYS:
            assert after[key] == old, key
        elif isinstance(old, list):
            assert after[key] == [value + item for item in old]
        else:
            assert after[key] == value + old.strip()


def test_untranslated_parts_keep_comments_quotes_and_order():
    source = SOURCES["yaml"]
    result = translate(source, lambda msgid: "Title")
    assert result.splitlines()[0] == "---"
    assert "slug: keep-me # comment\n" in result
    assert "summary: 'Title'\n" in result  # single-quoted stays single-quoted
    assert "description: \"Title\"\n" in result
    assert "tags: [Title, Title]\n" in result


@pytest.mark.parametrize("text, line, words", [
    ("---\ntitle: 标题\n", 1, "never closed"),
    ("---\ntitle: [未闭合\n---\n正文\n", 3, "invalid YAML"),
    ("+++\ntitle = \"未结束\n+++\n正文\n", 2, "invalid TOML"),
    ("{\n  \"title\": \"标题\",\n}\n正文\n", 3, "invalid JSON"),
])
def test_malformed_front_matter_names_the_line(text, line, words):
    doc = decode_document(text.encode(), "posts/a.md")
    with pytest.raises(L10nError) as caught:
        extract_segments(doc, KEYS, ())
    assert caught.value.path == "posts/a.md"
    assert caught.value.line == line
    assert words in caught.value.message


def test_plain_yaml_fast_rules_never_disagree_with_the_pure_loader():
    """`quote` asks the pure-Python loader only when cheap rules cannot tell; what they call plain must
    read back as itself with that loader (libyaml accepts a tab the pure loader refuses), what they call
    never plain must not."""
    import random

    from l10n.formats.markdown.frontmatter import _NEVER_PLAIN, _surely_plain

    alphabet = list("aAtTfFnNyYoO0123456789.+-_:#,[]{}&*!|>'\"%@`?~=< \t\u00a0\u3000\ufeff\u0085\u2028") + ["马", "斯",
                                                                                                          "。", "：", "é"]
    rng = random.Random(10)
    values = ["Musk bets a billion", "true", "No", "null", "~", "2025-06-19", "1e3", ".inf", "0x1F", "<<", "=",
              "1_000", "12:30", "a\tb", "-a", "a-", "a :b", "a# b", "v1.2", "+1", "0o17", "xAI 的模型"]
    values += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6))) for _ in range(4000)]
    values += ["a: b", "a:", "a #b", "#a", "- a", "? a", ": a", "[a]", "{a}", "&a b", "*a", "!a b", "|", ">a",
               "'a", '"a"', "%a", "@a", "`a", ",a", "a, b", "a?b"]
    for value in values:
        if value != value.strip() or "\n" in value:
            continue
        for template, flow in (("k: {}", False), ("k: [{}]", True)):
            expected = {"k": [value]} if flow else {"k": value}
            try:
                pure = yaml.load(template.format(value), Loader=yaml.SafeLoader) == expected
            except yaml.YAMLError:
                pure = False
            if _surely_plain(value, flow):
                assert pure, value
            if _NEVER_PLAIN.search(value):
                assert not pure, value


# YAML 1.2's core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution), the one Hugo's loader follows,
# with Go's integer syntax (strconv.ParseInt base 0: 0b, 0o, 0x prefixes, a leading 0, underscores between
# digits) and its float syntax: written independently of l10n's rule, as the oracle of what it must quote.
_YAML_1_2_NOT_STRING = re.compile(
    r"(?:null|Null|NULL|~|true|True|TRUE|false|False|FALSE)"
    r"|[-+]?(?:0[bB]_?[01](?:_?[01])*|0[oO]?_?[0-7](?:_?[0-7])*|0[xX]_?[0-9a-fA-F](?:_?[0-9a-fA-F])*|[0-9](?:_?[0-9])*)"
    r"|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")


def test_a_value_written_plain_is_a_string_to_yaml_1_1_and_to_yaml_1_2():
    """Hugo reads front matter as YAML 1.2 (0o17 is the number 15 there), the read-back proof as YAML 1.1
    (a string): a value is written plain only if both read a string; numbers of every syntax are quoted."""
    import random

    rng = random.Random(12)
    digits = "0123456789abcdefxob_.+-eE"
    values = ["0o17", "0O17", "0b101", "0x_1F", "1_000", "+12", "-0", ".5", "5.", "1e5", "+.inf", ".NaN", "0o8",
              "017", "Null", "TRUE", "~", "12:30", "2025-06-19", "v1.2", "3D", "1st", "No", "off"]
    values += ["".join(rng.choice(digits) for _ in range(rng.randint(1, 6))) for _ in range(5000)]
    for value in values:
        for syntax, template in (("yaml-plain", "k: {}"), ("yaml-flow-plain", "k: [{}]")):
            written = quote(syntax, value)
            if written == value:
                assert not _YAML_1_2_NOT_STRING.fullmatch(value), (syntax, value)
            loaded = yaml.safe_load(template.format(written))
            assert loaded == ({"k": [value]} if syntax.startswith("yaml-flow") else {"k": value}), (syntax, value)


def test_the_source_front_matter_composed_once_reads_as_loaded_then_located():
    """`unreadable` reads the source's YAML front matter once (`_source_reading`: composed, fields found in the
    nodes, then constructed); the data and the path of every value are those of the two readings it replaces
    (`_front_matter_data`, then `parse_front_matter` under every string key), on the fixture corpus and on
    random front matter with anchors, aliases, merge keys, keys of other types, duplicate keys, tags..."""
    import random
    from pathlib import Path

    from l10n.formats.markdown.frontmatter import _front_matter_data, _same, _source_reading, parse_front_matter

    def two_readings(text: str):
        kind, data, end = _front_matter_data(text)
        located = parse_front_matter(text, tuple(key for key in data if isinstance(key, str)))
        return kind, data, end, {f.start: (f.key,) if f.index is None else (f.key, f.index) for f in located.fields}

    anchors = ["title: &t 锚点", "tags: &l [甲, 乙]", "base: &b {title: 合并, x: 1}", "main_topics:\n  - &i 项\n  - *i"]
    lines = ["title: 标题", "summary: *t", "categories: *l", "tags:\n  - 丙\n  - 丁", "<<: *b", "<<: [*b, {tags: [戊]}]",
             "=: 等号", "1: 数字键", "'1': 字符串键", "yes: 布尔键", "null: 空键", "2025-01-01: 日期键",
             "date: 2025-06-19T11:20:04+08:00", "n: .nan", "title: !!str 123", "summary: !custom 值",
             "keywords: >-\n  折叠\n  文本", "description: |\n  字面\n", "title: 重复", "slug: 'keep'",
             "tags: [a, *t, 己]", "keywords: [*i]", "x: {<<: *b}", "empty:", "summary: \"双引号\\t\"", "? [复杂, 键]\n: 值",
             "title: 'it''s'"]
    rng = random.Random(11)
    texts = [p.read_bytes().decode("utf-8", "replace") for p in sorted(Path(__file__).parent.glob("fixtures/**/*.md"))]
    texts += list(SOURCES.values())
    texts += ["---\n" + "\n".join(anchors + rng.sample(lines, rng.randint(1, 8))) + "\n---\n正文\n" for _ in range(400)]
    texts += ["---\n{title: 流, tags: [甲, 乙], <<: {summary: 合}}\n---\n正文\n"]
    compared = 0
    for text in texts:
        try:
            expected = two_readings(text)
        except Exception as exc:  # noqa: BLE001 (the same failure, whatever it is)
            with pytest.raises(type(exc)):
                _source_reading(text)
            continue
        kind, data, end, paths = _source_reading(text)
        assert (kind, end, paths) == (expected[0], expected[2], expected[3]), text
        assert _same(data, expected[1]), text
        compared += 1
    assert compared > 200
