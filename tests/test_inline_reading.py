"""The inline model reads a fragment as markdown-it's own rules do, however it calls them.

`inline._parser()` puts the rules behind one that tries only those that can start at the current
character and lets the text rule skip to the next such character; `_reader()` is the same parser with
markdown-it's rules as they come. On the fixture corpus and on generated fragments made of markup
pieces, both give the same tokens, and the model records the same `Markup` as when every rule is
wrapped on its own and tried everywhere (the plain definition of recording).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import polib
import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from l10n.formats.markdown import inline
from l10n.formats.markdown.inline import NO_REFERENCES, References

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"

# Markup pieces, whole and broken, to build fragments from: every rule's trigger, near misses of every
# construct, shortcodes, anchors, bare URLs, unsafe tags and URLs, hard breaks, nesting.
PIECES = ("*", "**", "***", "_", "__", "~", "~~", "~~~", "`", "``", "[", "]", "(", ")", "![", "[^1]", "[^", "]:",
          "<", ">", "<b>", "</b>", "<a href='javascript:x'>", "<img onerror=x>", "&amp;", "&#12;", "&", "\\",
          "\\*", "\n", "  \n", "\\\n", " ", "  ", "字", "文", "a", "b1", "http://x.y/z", "ftp://h", "{#id}",
          "{{< sc >}}", "{{% n %}}", "{{<", ">}}", '"', "'", ":", "-", "!", "$", "$5", "\ue000", "<http://a>",
          "<javascript:alert(1)>", "[x]", "[x][y]", "[x][]", "][", "(u)", '(u "t")', "(<u v>)", "[a](b)",
          "![i](j)", "[![i](j)](k)", "`c`", "**b**", "~~s~~", "。", "，", "\t", "|", "#", "=", "@", "%", "^", "{", "}")


def _references() -> References:
    env: dict = {}
    MarkdownIt("commonmark").parse("[x]: /x\n[y]: /y 't'\n[1]: /one\n[ref]: http://r\n[notes]: /n\n", env)
    return References.from_env(env)


REFERENCES = (NO_REFERENCES, _references())


def corpus() -> list[str]:
    """Fragments of the fixture articles (whole files, paragraphs, lines) and of their translations."""
    texts = []
    for path in [*FIXTURES.glob("corpus/*.md"), *FIXTURES.glob("check/articles/*.md"), *ROOT.glob("content/*/*/*.md")]:
        text = path.read_text(encoding="utf-8-sig")
        texts += [text, *text.split("\n\n"), *text.splitlines()]
    for path in FIXTURES.glob("check/articles/*.en.json"):
        texts += [t for pair in json.loads(path.read_text(encoding="utf-8")).items() for t in pair]
    for path in ROOT.glob("locales/*/*/*.po"):
        texts += [t for entry in polib.pofile(str(path)) for t in (entry.msgid, entry.msgstr)]
    return list(dict.fromkeys(t for t in texts if t))


def generated(count: int, seed: int = 10) -> list[str]:
    rng = random.Random(seed)
    return [rng.choice(("", "文字")) + "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 24)))
            for _ in range(count)]


FRAGMENTS = corpus() + generated(4000)


def test_the_fragments_cover_every_recorded_rule():
    md = inline._reader()
    read = {token.type for text in FRAGMENTS for token in _tokens(md, text, NO_REFERENCES)}
    assert {"link_open", "image", "footnote_ref", "code_inline", "html_inline", "softbreak", "hardbreak",
            "text_special", "em_open", "strong_open", "s_open"} <= read
    assert len(FRAGMENTS) > 4500


def test_the_model_parser_gives_the_tokens_of_markdown_its_own_rules():
    plain, ours = inline._reader(), inline._parser()
    for references in REFERENCES:
        for text in FRAGMENTS:
            assert _tokens(ours, text, references) == _tokens(plain, text, references), text


def test_the_model_records_what_every_rule_wrapped_on_its_own_records(monkeypatch):
    parse = inline._parse.__wrapped__  # not the cache: each side parses for itself
    ours = [parse(text, references) for references in REFERENCES for text in FRAGMENTS]
    plain_parser = _each_rule_recorded()
    monkeypatch.setattr(inline, "_parser", lambda: plain_parser)
    plain = [parse(text, references) for references in REFERENCES for text in FRAGMENTS]
    assert sum(bool(markup.pieces) for markup in ours) > 4000
    for mine, theirs in zip(ours, plain):
        assert (mine.pieces, mine.inventory) == (theirs.pieces, theirs.inventory), mine.text


def test_emphasis_markers_are_judged_by_their_own_delimiters_only():
    """`_flanking` looks at the delimiters from the end, up to the rule's first token: the same answers
    as a look at all the fragment's delimiters for the tokens the rule pushed."""
    md, checked = inline._reader(), []
    for rule in md.inline.ruler.__rules__:
        if rule.name in ("emphasis", "strikethrough"):
            rule.fn = _checking_flanking(rule.fn, checked)
    md.inline.ruler.__compile__()
    for text in FRAGMENTS:
        md.parseInline(text)
    assert len(checked) > 5000 and all(checked)


@pytest.mark.parametrize("seed", range(5))
def test_a_position_is_within_spans_as_any_span_holds_it(seed):
    rng = random.Random(seed)
    for _ in range(300):
        spans = [(start, start + rng.randint(1, 8)) for start in rng.sample(range(60), rng.randint(0, 12))]
        within = inline._within(spans)
        for position in range(-2, 72):
            assert within(position) == any(s <= position < e for s, e in spans), (spans, position)


def _tokens(md: MarkdownIt, text: str, references: References) -> list[Token]:
    return md.inline.parse(text, md, references.env(), [])


def _each_rule_recorded() -> MarkdownIt:
    """markdown-it's rules as they come, each telling the recorder what it read whenever it succeeds."""
    md = inline._reader()
    for rule in md.inline.ruler.__rules__:
        if rule.name != "text":
            rule.fn = _recorded(rule.name, rule.fn)
    md.inline.ruler.__compile__()
    return md


def _recorded(name: str, rule):
    def recorded(state, silent: bool) -> bool:
        recorder = state.env.get("l10n")
        if silent or recorder is None or state.src is not recorder.src:
            return rule(state, silent)
        start, first = state.pos, len(state.tokens) + bool(state.pending)
        if not rule(state, silent):
            return False
        recorder.saw(name, state, start, first)
        return True
    return recorded


def _checking_flanking(rule, checked: list[bool]):
    def checking(state, silent: bool) -> bool:
        first = len(state.tokens) + bool(state.pending)
        read = rule(state, silent)
        if read and not silent:
            everywhere = {d.token: d.open or d.close for d in state.delimiters}
            checked.append(inline._flanking(state, first) == {index: everywhere[index] for index in everywhere
                                                               if index >= first})
        return read
    return checking
