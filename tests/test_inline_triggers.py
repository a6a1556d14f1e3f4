"""The inline model tries a rule only at the characters it can start at (and its text rule stops only
there): anywhere else the rule itself must answer False, or the parse would change."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

from l10n.formats.markdown.inline import _TRIGGERS


def test_each_recorded_rule_fails_wherever_its_trigger_characters_are_not():
    md = (MarkdownIt("commonmark").enable(["table", "strikethrough"])
          .use(footnote_plugin, inline=False, always_match_refs=True).use(dollarmath_plugin))
    rules = {rule.name: rule.fn for rule in md.inline.ruler.__rules__}
    sources = ["a*b*", " [x](y)", "x`c`", "1<b>", "é&amp;", "\n", "\\*", "~~s~~", "_e_", "![i](j)", "[^1]", "$5"]
    for name, triggers in _TRIGGERS.items():
        for text in sources:
            for char in {*text, "\ue000", " ", "\n"} - set(triggers):
                for silent in (False, True):
                    src = char + text
                    state = StateInline(src, md, {}, [])
                    assert rules[name](state, silent) is False, (name, src)
