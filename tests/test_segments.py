"""What becomes a segment, with which msgid, comment and line."""

from __future__ import annotations

import pytest

from l10n.config import DEFAULT_FRONT_MATTER_KEYS, DEFAULT_SHORTCODE_PARAMS
from l10n.document import decode_document
from l10n.formats.markdown.segmenter import extract_segments


def segments(source: str):
    doc = decode_document(source.encode("utf-8"), "a.md")
    return extract_segments(doc, DEFAULT_FRONT_MATTER_KEYS, DEFAULT_SHORTCODE_PARAMS)


def table(source: str) -> list[tuple[int, str, str]]:
    return [(s.line, s.comment, s.msgid) for s in segments(source)]


def test_front_matter_only_configured_keys_each_list_item_its_own_segment():
    source = "---\ntitle: 标题\ndate: 2025-06-19\nslug: 不翻译\ntags:\n  - 标签一\n  - 标签二\n---\n正文\n"
    assert table(source) == [
        (2, "front matter: title", "标题"),
        (6, "front matter: tags", "标签一"),
        (7, "front matter: tags", "标签二"),
        (9, "paragraph", "正文"),
    ]


def test_hard_wrapped_paragraph_is_one_segment_joined_by_script():
    source = "第一行\n第二行接着\nEnglish words\n最后一行\n"
    assert table(source) == [(1, "paragraph", "第一行第二行接着 English words 最后一行")]


def test_hard_breaks_survive_in_the_msgid():
    source = "第一行  \n第二行\\\n第三行\n"
    assert [s.msgid for s in segments(source)] == ["第一行  \n第二行\\\n第三行"]


def test_container_syntax_stays_out_of_the_msgid():
    source = (
        "> 引用一\n> 引用二\n\n"
        "1.  第一项\n    续行\n2.  第二项\n\n"
        "- [ ] 任务\n\n"
        "| 表头 | 第二列 |\n|:---|---:|\n| 单元格 | `code` 与 a \\| b |\n\n"
        "[^7]: 脚注定义\n"
    )
    assert table(source) == [
        (1, "blockquote", "引用一引用二"),
        (4, "list item", "第一项续行"),
        (6, "list item", "第二项"),
        (8, "list item", "任务"),
        (10, "table header", "表头"),
        (10, "table header", "第二列"),
        (12, "table cell", "单元格"),
        (12, "table cell", "`code` 与 a \\| b"),
        (14, "footnote [^7]", "脚注定义"),
    ]


def test_syntax_alone_on_its_line_leaves_no_empty_piece():
    """A task box or a `{#id}` anchor that fills its line leaves an empty piece once stripped: the text is
    what follows on the next lines (an empty first piece crashed extraction with an IndexError)."""
    assert table("- [x] \n  任务\n") == [(2, "list item", "任务")]
    assert table("- [ ]\n  任务二\n  续行\n") == [(2, "list item", "任务二续行")]
    assert table("标题一\n{#anchor}\n===\n") == [(1, "heading", "标题一")]


def test_footnote_definitions_mid_document_unreferenced_and_multi_paragraph():
    source = (
        "正文[^a]。\n\n[^a]: 中间的定义\n\n更多正文。\n\n"
        "[^never]: 从未引用\n[^multi]: 第一段\n\n    第二段\n"
    )
    assert table(source) == [
        (1, "paragraph", "正文[^a]。"),
        (3, "footnote [^a]", "中间的定义"),
        (5, "paragraph", "更多正文。"),
        (7, "footnote [^never]", "从未引用"),
        (8, "footnote [^multi]", "第一段"),
        (10, "footnote [^multi]", "第二段"),
    ]


def test_headings_without_markers_closing_hashes_or_anchor():
    source = "# 标题一 #\n\n## 标题二 {#custom-id}\n\n标题三\n===\n"
    assert table(source) == [(1, "heading", "标题一"), (3, "heading", "标题二"), (5, "heading", "标题三")]


def test_inline_markup_stays_in_the_msgid():
    source = "这是**粗体**、[链接](https://example.com/a?b=1)、`代码`和<kbd>Ctrl</kbd>[^1]。\n"
    assert [s.msgid for s in segments(source)] == [source.strip()]


@pytest.mark.parametrize("source", [
    "```python\n# 中文注释\nprint('你好')\n```\n",
    "~~~\n代码\n~~~\n",
    "段落\n\n    缩进代码\n",
    "<div class=\"note\">\n中文\n</div>\n",
    "<!-- 注释 -->\n",
    "<!--more-->\n",
    "$$\n\\text{公式}\n$$\n",
    "{{< youtube abc123 >}}\n",
    "{{% notice info %}}\n",
    "[ref]: https://example.com/ref \"标题\"\n",
    "https://example.com/only-a-url\n",
    "2025\n",
    "[^1]\n",
])
def test_never_extracted(source):
    assert [s.msgid for s in segments(source) if s.msgid != "段落"] == []


def test_shortcode_parameters_offered_when_the_shortcode_stands_alone():
    source = ('{{< figure src="/a.png" caption="图片说明" alt="替代文字" >}}\n\n'
              '{{< figure\n  src="/b.png"\n  title="多行标题"\n>}}\n\n'
              '参见 {{< ref "other.md" >}} 一文\n')
    assert table(source) == [
        (1, "shortcode figure: caption", "图片说明"),
        (1, "shortcode figure: alt", "替代文字"),
        (5, "shortcode figure: title", "多行标题"),
        (8, "paragraph", '参见 {{< ref "other.md" >}} 一文'),
    ]


def test_paired_shortcode_lines_do_not_join_the_paragraph_inside():
    source = "{{% notice info %}}\n通知内容\n{{% /notice %}}\n"
    assert table(source) == [(2, "paragraph", "通知内容")]


def test_image_alone_offers_its_alt_text_and_title_image_in_a_sentence_stays_inline():
    source = '![图片说明](/img/a.png "标题")\n\n文字 ![图](/b.png) 文字\n'
    assert table(source) == [(1, "image alt text", "图片说明"), (1, "image title", "标题"),
                             (3, "paragraph", "文字 ![图](/b.png) 文字")]


def test_crlf_and_bom_do_not_change_segments():
    lf = "---\ntitle: 标题\n---\n段落一\n段落续\n\n- 项\n"
    crlf = ("\ufeff" + lf).replace("\n", "\r\n")
    assert [(s.line, s.msgid) for s in segments(crlf)] == [(s.line, s.msgid) for s in segments(lf)]


def test_toml_and_json_front_matter():
    toml = '+++\ntitle = "标题"\ntags = ["一", \'二\']\nweight = 3\n[params]\ntitle = "嵌套不译"\n+++\n正文\n'
    assert table(toml) == [(2, "front matter: title", "标题"), (3, "front matter: tags", "一"),
                           (3, "front matter: tags", "二"), (8, "paragraph", "正文")]
    json_fm = '{\n  "title": "标题",\n  "tags": ["一"],\n  "weight": 3\n}\n正文\n'
    assert table(json_fm) == [(2, "front matter: title", "标题"), (3, "front matter: tags", "一"),
                              (6, "paragraph", "正文")]
