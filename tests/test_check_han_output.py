"""check's han-output without a parse: what `Format.leftover_free` claims, a parse of the rebuilt article confirms.

A built article whose source holds no Han outside its segments, rebuilt with translations that stay in their
segments' place, needs no parse to know it keeps no Chinese outside them. The claim is tried against the
parse itself on every fixture article and on sources built around each construct that puts text outside a
segment (heading anchors, images, task boxes, tables, shortcodes, code, HTML, link definitions), with
translations that keep the source's markup and inject syntax of every kind.
"""

from __future__ import annotations

import random
from types import SimpleNamespace

import polib
import pytest

from conftest import CORPUS, HAN
from l10n import project as core
from l10n.checks import check_project
from l10n.config import DEFAULT_FRONT_MATTER_KEYS, DEFAULT_SHORTCODE_PARAMS
from l10n.document import decode_document
from l10n.formats.markdown import MARKDOWN, MarkdownFormat
from test_check_project import CHECK_FIXTURES, SEED, translated_site

SETTINGS = SimpleNamespace(front_matter_keys=DEFAULT_FRONT_MATTER_KEYS, shortcode_params=DEFAULT_SHORTCODE_PARAMS)
CONSTRUCTS = [
    "---\ntitle: 标题\ntags:\n  - 标签\n---\n# 标题 {#中文锚}\n\n## 二级标题 ##\n\n正文。\n",
    "![图一](a.png) ![图二](b.png \"图的标题\")\n\n![图](c.png)\n\n文字 ![图](d.png) 文字\n",
    "- [ ] 任务一\n- [x] 任务二\n  续行\n\n* 项目\n\n  第二段\n",
    "| 列一 | 列二 |\n| --- | --- |\n| 甲 | 乙 \\| 丙 |\n| 丁 | [链接](https://例子.com) |\n",
    "| 列 | `代码` |\n| --- | --- |\n| 甲 | 乙 |\n",
    "{{< figure src=\"a.png\" caption=\"图注\" alt=\"替代\" >}}\n\n段落{{< ref \"中文.md\" >}}。\n\n"
    "{{% note title=\"提示\" %}}\n内文\n{{% /note %}}\n",
    "```\n# 代码里的中文\n```\n\n段落。\n\n    缩进代码\n\n$$\n数学\n$$\n",
    "<div>\n<p>HTML 里的中文</p>\n</div>\n\n段落<span>内联</span>。<!-- 注释 -->\n",
    "[参考]: https://example.com/说明\n\n见[说明][参考]。[参考]\n",
    "> 引用第一行\n> 第二行\n>\n> > 嵌套\n\n1. 列表\n   续行\n2) 第二\n",
    "段落[^1]，又一处[^注]。\n\n[^1]: 脚注内容。\n[^注]: 第二个脚注\n    续行。\n",
    "段落[^1]，又一处[^n]。\n\n[^1]: 脚注内容。\n[^n]: 第二个脚注\n    续行。\n",
    "<div>{{< figure caption=\"图注\" >}}</div>\n\n# 标题\n{{< figure caption=\"图\" title=\"题\" >}}\n",
    "段落一\n<div class=\"x\">\n</div>\n\n段落二 <span>行内</span>\n<!-- c -->\n\n<details>\n<summary>S</summary>\n\n"
    "折叠里的段落\n\n</details>\n",
    "Setext 标题\n===\n\n正文  \n硬换行\\\n再一行\n\n---\n\n<https://例子.com/路径> 与 https://example.com/中文 。\n",
]
PIECES = ("the", " data ", "2025", "中文", "数据", "图", "**", "*", "_", "`x`", "`中文`", "[link](https://e.com/中文)",
          "[^1]", "[^注]", "![alt](a.png)", "![中文](b.png \"标题\")", "{#anchor}", "{#中文}", "{{< figure caption=\"中文\" >}}",
          ">}}", "{{<", "<span>", "</span>", "<!-- 中文 -->", "|", "\\", "\n", "\t", "#", "# ", "> ", "- ", "1. ", "[x] ",
          "---", "$$", "```", "  ", "\"", "'", "(", ")", "[", "]", "!", "<https://例子.com>", "https://example.com/中文",
          "[中文]", "[参考]: https://x", "&amp;", "\u2028", "===", "\r", " {#x}", "{{", "}}", "{{%", "%}}", "<!--", "-->",
          "<div>", "</div>", "<p>", "{#", "}", "<", ">")


def _sources() -> list[tuple[str, str]]:
    files = [*sorted(CORPUS.glob("*.md")), *sorted((CHECK_FIXTURES / "articles").glob("*.md")),
             SEED / "content" / "zh" / "posts" / "xai-burn-rate.md"]
    return [(f.name, f.read_text(encoding="utf-8")) for f in files] + \
           [(f"construct{i}", text) for i, text in enumerate(CONSTRUCTS)]


def _translation(rng: random.Random, msgid: str) -> str:
    """Like a translation (the source's markup kept, its Han replaced by English, Chinese or syntax), or noise."""
    roll = rng.random()
    if roll < 0.1:
        return "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 6)))
    if roll < 0.15:
        return msgid
    def replace(run: str) -> str:
        return rng.choice(("text", "text", "text", "中文", run, rng.choice(PIECES),
                           rng.choice(PIECES) + run + rng.choice(PIECES)))

    return HAN.sub(lambda m: replace(m.group(0)), msgid)


# Sources with Han outside their segments (a code span alone in a cell, a code block, an HTML block, a Chinese
# anchor, link label or footnote label): the claim is never made for them, and the parse looks.
HAN_OUTSIDE = {"tables-code.md", "construct0", "construct4", "construct6", "construct7", "construct8", "construct10"}


@pytest.mark.parametrize("name, text", _sources(), ids=[name for name, _ in _sources()])
def test_a_rebuilt_article_said_to_hold_no_leftover_holds_none(name, text):
    doc = decode_document(text.encode("utf-8"), name)
    parsed = MARKDOWN.parse(doc, SETTINGS)
    rng = random.Random(name)
    claims = 0
    for _ in range(70):
        entries = {s.msgid: polib.POEntry(msgid=s.msgid, msgstr=_translation(rng, s.msgid))
                   for s in parsed.segments if rng.random() < 0.8}
        rendered = MARKDOWN.render(doc, parsed, entries)
        if MARKDOWN.leftover_free(doc, parsed, rendered):
            claims += any(HAN.search(text) for text in rendered.accepted.values())
            out = decode_document(doc.encode(rendered.text), "out.md")
            assert MARKDOWN.parse(out, SETTINGS, verify=False).leftovers == [], rendered.text
    assert bool(claims) == (name not in HAN_OUTSIDE)  # made, with Chinese written, wherever it can be


# Translations built to break out of their segment, each tried alone in every segment of every construct.
NASTY = ("x >}}中文{{< y", "x\" >}}中文", "中文\n- [x] 中文", "[x] \n中文", "中文\n\n中文", "\n中文", "中文 | 外", "中文\\",
         "{#中文}", "中文 {#x}", "![中文](a.png)", "中文 {{< y", "<div>中文</div>", "<!-- 中文", "中文\t中文", "[中文]: https://x")


@pytest.mark.parametrize("name, text", [s for s in _sources() if s[0].startswith("construct")],
                         ids=[name for name, _ in _sources() if name.startswith("construct")])
def test_a_translation_built_to_leave_its_segment_is_caught_by_the_claim_or_the_parse(name, text):
    doc = decode_document(text.encode("utf-8"), name)
    parsed = MARKDOWN.parse(doc, SETTINGS)
    for segment in parsed.segments:
        for nasty in NASTY:
            entries = {s.msgid: polib.POEntry(msgid=s.msgid, msgstr="text") for s in parsed.segments}
            entries[segment.msgid] = polib.POEntry(msgid=segment.msgid, msgstr=nasty)
            rendered = MARKDOWN.render(doc, parsed, entries)
            if MARKDOWN.leftover_free(doc, parsed, rendered):
                out = decode_document(doc.encode(rendered.text), "out.md")
                assert MARKDOWN.parse(out, SETTINGS, verify=False).leftovers == [], rendered.text


def _half_translated(msgid: str) -> str:
    """Every other Han run left as it is, the rest pseudo-translated: Chinese written into segments."""
    runs = iter(range(10**6))
    return HAN.sub(lambda m: m.group(0) if next(runs) % 2 else "x" * len(m.group(0)), msgid)


def test_check_reports_the_same_as_when_it_parsed_every_built_article(project, monkeypatch):
    """End to end: the findings are those of a check that parses every output (the claim switched off), on
    articles whose outputs keep Chinese in segments, in HTML blocks and link titles, a hand edit, a stale
    output; and the claim spares the parse of the articles it can."""
    translated_site(project)
    for fixture in sorted(CORPUS.glob("*.md")):
        project.add_fixture(fixture, f"corpus/{fixture.name}")
    project.add("html.md", "正文第一段。\n\n<div>\nHTML 块里的中文。\n</div>\n\n[参考]: https://example.com \"链接标题\"\n")
    project.add("code.md", "段落。\n\n```\n# 代码里的中文\n```\n")
    core.extract(project.config)
    for source in sorted((project.root / "content" / "zh").rglob("*.md")):
        rel = source.relative_to(project.root / "content" / "zh").as_posix()
        if not rel.startswith("news/"):
            project.translate_all(rel, _half_translated)
    core.build(project.config)
    edited = project.out("corpus/footnotes.md")
    edited.write_text(edited.read_text(encoding="utf-8") + "\n<p>手工加的中文</p>\n", encoding="utf-8")
    project.translate_all("corpus/yaml-basic.md", lambda msgid: "x")  # its output is now stale

    claims = []

    def counted(self, doc, parsed, rendered):
        claims.append(claimed(self, doc, parsed, rendered))
        return claims[-1]

    claimed = MarkdownFormat.leftover_free
    monkeypatch.setattr(MarkdownFormat, "leftover_free", counted)
    fast = [f.as_json() for f in check_project(project.config).findings]
    monkeypatch.setattr(MarkdownFormat, "leftover_free", lambda self, doc, parsed, rendered: False)
    slow = [f.as_json() for f in check_project(project.config).findings]
    assert fast == slow
    assert {f["file"] for f in slow if f["check"] == "han-output"} == {
        "content/en/html.md", "content/en/corpus/footnotes.md", "content/en/corpus/tables-code.md"}
    assert claims.count(True) >= 5 and False in claims
