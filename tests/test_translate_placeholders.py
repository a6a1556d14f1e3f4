"""Placeholders: what must survive an engine is hidden, comes back intact, and a mangled reply is refused."""

from __future__ import annotations

import pytest

from l10n.formats.markdown.markup import broken_markup
from l10n.mt.pseudo import pseudo_translate
from l10n.translate.placeholders import PlaceholderMismatch, protect, restore
from l10n.translate.planner import split

RICH = ('马斯克说**很重要**，见[链接文字](https://x.ai/a_b "标题")和![图](img/a.png)[^7]，运行`rm -rf /`，'
        '{{< figure src="a.png" caption="图" >}}<br/>换行\\*号 <https://x.ai> {#anchor}')


def test_every_protected_piece_is_hidden_from_the_engine():
    protected = protect(RICH)
    for piece in ("**", "https://x.ai/a_b", "img/a.png", "[^7]", "`rm -rf /`", "{{<", "<br/>", "\\*", "{#anchor}",
                  "<https://x.ai>"):
        assert piece not in protected.text, piece
    assert "链接文字" in protected.text and "图" in protected.text  # link text and alt text are translated


def test_an_engine_that_keeps_the_placeholders_gives_back_intact_markup():
    protected = protect(RICH)
    translation = restore(pseudo_translate(protected.text), protected)
    assert broken_markup(RICH, translation) == []
    assert "](https://x.ai/a_b \"标题\")" in translation and "{{< figure" in translation


def test_restore_tolerates_spacing_case_and_html_escaping():
    protected = protect("这是**重点**和[链接](https://a.b)")
    reply = 'This is < X ID = "1" / > key &lt;x id=&quot;2&quot;/&gt; and <x id="3"/> link <x id="4"/>'
    assert restore(reply, protected) == "This is **key** and [link](https://a.b)"


@pytest.mark.parametrize("reply, why", [
    ('This is <x id="1"/> key and <x id="3"/> link <x id="4"/>', "lost"),
    ('<x id="1"/><x id="1"/>key<x id="2"/><x id="3"/>link<x id="4"/>', "repeated"),
    ('<x id="1"/>key<x id="2"/><x id="4"/>link<x id="3"/>', "before"),
])
def test_a_reply_that_lost_repeated_or_reordered_a_placeholder_is_refused(reply, why):
    with pytest.raises(PlaceholderMismatch, match=why):
        restore(reply, protect("这是**重点**和[链接](https://a.b)"))


def test_glossary_terms_are_hidden_and_come_back_as_their_translation():
    text = "马斯克说埃隆·马斯克很忙"
    protected = protect(text, [(0, 3, "Musk"), (4, 10, "Elon Musk")])
    assert "马斯克" not in protected.text
    assert restore(protected.text, protected) == "Musk说Elon Musk很忙"


def test_overlapping_terms_get_one_placeholder_the_longest_or_else_the_first_listed():
    # a re-ask hides the first request's terms, the amounts and the glossary matches: they may overlap
    same = protect("xAI的马斯克说。", [(0, 3, "xAI"), (0, 3, "xAI"), (4, 7, "Musk")])
    assert len(same.slots) == 2
    assert restore(same.text, same) == "xAI的Musk说。"
    nested = protect("筹集了140亿美元。", [(7, 9, "US dollars"), (3, 9, "$14 billion")])
    assert [slot.value for slot in nested.slots] == ["$14 billion"]
    assert restore(nested.text, nested) == "筹集了$14 billion。"
    tie = protect("马斯克说", [(0, 3, "Musk"), (1, 4, "Elon")])
    assert [slot.value for slot in tie.slots] == ["Musk"]


def test_a_segment_of_markup_and_terms_only_needs_no_engine():
    assert not protect("`code` [^1]").sendable
    assert not protect("马斯克", [(0, 3, "Musk")]).sendable
    assert protect("马斯克说", [(0, 3, "Musk")]).sendable


def test_long_text_is_cut_after_sentence_ends_and_never_inside_a_placeholder():
    text = "第一句话很长。" * 3 + "“引号里的句子！”" + "后面" + '<x id="1"/>' * 5
    pieces = split(text, 16)
    assert "".join(pieces) == text
    assert all(len(p) <= 16 for p in pieces[:-3])
    assert pieces[0].endswith("。") and any(p.endswith("！”") for p in pieces)
    assert all(p.count("<") == p.count("/>") for p in pieces)
    assert split("短句。", 100) == ["短句。"]
