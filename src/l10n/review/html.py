"""The review pages as HTML: every text from articles and catalogs escaped, Markdown rendered safely.

Text is escaped with `html.escape` at the one place it is inserted (`esc`). Markdown (a segment's
inline text, a whole article for the reader view) is rendered by markdown-it-py with raw HTML off,
so `<script>` in a translation is shown as text; links are kept only for http(s), mailto and
relative URLs (markdown-it already refuses `javascript:`), and images become a labelled placeholder,
so a page never loads anything from anywhere. Glossary terms and footnote references are marked with
private-use sentinel characters before rendering and replaced by fixed markup after it.

Pages refer to `assets/review.css` and `assets/review.js` (copied next to them) and carry a strict
Content-Security-Policy: nothing but those two files may load, nothing may connect anywhere.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import quote

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from .. import __version__
from ..formats import NO_ARTICLE
from .model import FUZZY, TRANSLATED, UNTRANSLATED, ArticlePage, Mark, Row, Summary

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "base-uri 'none'; form-action 'none'")
# Sentinels placed in a text before it is rendered, found in the HTML after: Unicode non-characters, which no
# character reference decodes to (markdown-it turns `&#xFDD0;` into U+FFFD), so a text cannot forge one; the
# text's own non-characters become U+FFFD first (same length: the marks' offsets still hold).
_OPEN, _CLOSE, _FOOTNOTE, _END = "\ufdd0", "\ufdd1", "\ufdd2", "\ufdd3"  # open mark i: _OPEN i _END
_SENTINEL = re.compile(f"{_OPEN}(\\d+){_END}|{_CLOSE}|{_FOOTNOTE}(\\d+){_END}")
_NONCHARACTERS = re.compile("[\ufdd0-\ufdef]")


def _defused(text: str) -> str:
    """`text` without characters that could be read as sentinels (each becomes U+FFFD: offsets are kept)."""
    return _NONCHARACTERS.sub("\ufffd", text)
_TAG = re.compile(r"<[^>]*>")
# Characters that start an inline rule of `markdown()` (or that its normalization rewrites): text without any
# is one text token, which renders as itself with `>` and `"` escaped (`&` and `<` are in the set).
_ACTIVE = re.compile(r"[\n\r\0\\`*_~\[\]!<&]")
_SAFE_URL = re.compile(r"^(?:https?:|mailto:|#|/|\./|\.\./|[^:/?#]*(?:[/?#]|$))", re.IGNORECASE)


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _safe_link(url: str) -> bool:
    """http(s), mailto and relative URLs only (no javascript:, data:, file: ...)."""
    return bool(_SAFE_URL.match(url.strip()))


def _link_open(self, tokens, idx, options, env):
    token = tokens[idx]
    href = token.attrGet("href") or ""
    token.attrSet("title", f"{href} — {token.attrGet('title')}" if token.attrGet("title") else href)
    token.attrSet("rel", "noopener noreferrer nofollow")
    return self.renderToken(tokens, idx, options, env)


def _image(self, tokens, idx, options, env):
    """A placeholder, never an <img>: pages load nothing (and a Hugo path would not resolve here anyway)."""
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    src = token.attrGet("src") or ""
    return f'<span class="img" title="{esc(src)}">[image: {esc(alt) or esc(src)}]</span>'


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False, "breaks": False})
    md.enable(["table", "strikethrough"]).use(footnote_plugin)
    md.validateLink = _safe_link  # type: ignore[method-assign]  # markdown-it-py's documented way to customise it
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("image", _image)
    md.core.ruler.at("inline", _inline_or_known)
    return md


def _inline_or_known(state: StateCore) -> None:
    """markdown-it's core `inline` rule, except that an inline run whose HTML is already known (a segment
    the page's rows rendered: `env["known"]`, text -> HTML) is not parsed again.

    Only runs that read the same in and out of the article qualify: no footnote reference (numbered
    per document) and, when the article defines link references, no bracket."""
    known: dict[str, str] = state.env.get("known") or {}
    references = bool(state.env.get("references"))
    for token in state.tokens:
        if token.type != "inline":
            continue
        html = known.get(token.content) if known else None
        if html is not None and "[^" not in token.content and not (references and "]" in token.content):
            raw = Token("html_inline", "", 0)
            raw.content = html
            token.children = [raw]
            continue
        if token.children is None:
            token.children = []
        state.md.inline.parse(token.content, state.md, state.env, token.children)


def render_document(text: str, doc_id: str, known: dict[str, str] | None = None) -> str:
    """A whole article body as HTML (footnotes as a list at the end); `doc_id` keeps footnote ids apart.

    `known`: inline runs already rendered (the rows' segments, `render_plain`), used as they are."""
    return markdown().render(_defused(text), {"docId": doc_id, "known": known or {}})


@lru_cache(maxsize=1)
def _core_stages() -> tuple[tuple, tuple]:
    """markdown-it's core rules: up to the block parse, and after it (inline runs, footnote list, text joins)."""
    rules = [rule for rule in markdown().core.ruler.__rules__ if rule.enabled]
    cut = next(i for i, rule in enumerate(rules) if rule.name == "block") + 1
    return tuple(rule.fn for rule in rules[:cut]), tuple(rule.fn for rule in rules[cut:])


def _finish(tokens: list[Token], text: str, env: dict) -> str:
    """Block tokens of `text` -> HTML: the core rules after the block parse, then the renderer."""
    md = markdown()
    state = StateCore(text, md, env)
    state.tokens = tokens
    for rule in _core_stages()[1]:
        rule(state)
    return md.renderer.render(state.tokens, md.options, env)


def render_documents(source: str, source_id: str, target: str | None, target_id: str,
                     known: dict[str, str] | None = None,
                     target_texts: dict[str, tuple[str | None, int]] | None = None) -> tuple[str, str | None]:
    """`render_document` of an article body and of its translated edition, with one block parse when it can.

    `target_texts` (body msgid -> what build writes in its place) says how the edition was made from the
    source: build writes a translation only where it keeps the article's Markdown blocks, so the edition's
    blocks are the source's, each inline run that is a segment's text replaced by the text written for it.
    The edition is then rendered by walking the source's block tokens with those runs, not parsed again.
    A run that holds a changed segment without being one (a heading with an `{#anchor}`, a task box, an
    image's alt text) is not worked out: the edition is parsed as a whole, as it is without `target_texts`."""
    known = known or {}
    source = _defused(source)
    env: dict = {"docId": source_id, "known": known}
    md = markdown()
    state = StateCore(source, md, env)
    for rule in _core_stages()[0]:
        rule(state)
    blocks = state.tokens
    tokens = _edition(blocks, target_texts) if target is not None and target_texts is not None else None
    target_env: dict = {"docId": target_id, "known": known}
    if tokens is not None:
        if "references" in env:
            target_env["references"] = env["references"]
        if "footnotes" in env:  # the block parse only names the definitions (-1: not referenced yet)
            target_env["footnotes"] = {"refs": dict(env["footnotes"].get("refs", {})), "list": {}}
    source_html = _finish(list(blocks), source, env)
    if target is None:
        return source_html, None
    if tokens is None:
        return source_html, render_document(target, target_id, known)
    return source_html, _finish(tokens, target, target_env)


def _edition(blocks: list[Token], texts: dict[str, tuple[str | None, int]]) -> list[Token] | None:
    """The translated edition's block tokens from the source's (see `render_documents`), or None.

    Sound by counting: every segment whose text changes must be found as a whole inline run, as many
    times as there are such segments; an inline run that is no changed segment's text is the same in both."""
    changed = {msgid: count for msgid, (text, count) in texts.items() if text != msgid}
    tokens = []
    for token in blocks:
        if token.type == "inline" and token.content in changed:
            text = texts[token.content][0]
            if text is None:
                return None
            changed[token.content] -= 1
            tokens.append(Token(token.type, token.tag, token.nesting, map=token.map, level=token.level,
                                content=_defused(text), block=token.block))
        elif token.type == "inline":
            tokens.append(Token(token.type, token.tag, token.nesting, map=token.map, level=token.level,
                                content=token.content, block=token.block))
        else:
            tokens.append(token)
    return tokens if not any(changed.values()) else None


def render_inline(text: str, marks: tuple[Mark, ...] = ()) -> str:
    """One segment's inline Markdown as HTML, with glossary `marks` and footnote references highlighted."""
    return _render_inline(text, marks)[0]


def render_plain(text: str, marks: tuple[Mark, ...] = ()) -> str:
    """`render_inline` without the glossary marks, from the same parse (for the reader view)."""
    return _render_inline(text, marks)[1]


def render_text(text: str) -> str:
    """`markdown().renderInline(text)`, without the parse when `text` holds no markup at all."""
    if _ACTIVE.search(text):
        return markdown().renderInline(text)
    return text.replace(">", "&gt;").replace('"', "&quot;")


@lru_cache(maxsize=50_000)
def _render_inline(text: str, marks: tuple[Mark, ...] = ()) -> tuple[str, str]:
    """(with marks, without): one parse. The marks' sentinels are ordinary characters to the parser, so
    dropping them from the result gives what the text renders to without them."""
    text = _defused(text)
    inserts: list[tuple[int, int, str]] = []  # (position, order, sentinel); closes sort before opens
    for i, mark in enumerate(marks):
        inserts.append((mark.start, 1, f"{_OPEN}{i}{_END}"))
        inserts.append((mark.end, 0, _CLOSE))
    labels: list[str] = []
    if "[^" in text:
        for piece in NO_ARTICLE.pieces(text):
            if piece.kind == "footnote":
                inserts.append((piece.start, 2, f"{_FOOTNOTE}{len(labels)}{_END}"))
                inserts.append((piece.end, -1, ""))  # the reference itself is dropped (see below)
                labels.append(text[piece.start + 2:piece.end - 1])
    if inserts:
        out, pos = [], 0
        for at, order, sentinel in sorted(inserts):
            if order == -1:
                pos = at  # drop the `[^label]` text: its sentinel stands for it
                continue
            out.append(text[pos:at])
            out.append(sentinel)
            pos = at
        out.append(text[pos:])
        text = "".join(out)
    rendered = render_text(text)
    if not inserts:
        return rendered, rendered
    rendered = _TAG.sub(lambda m: _SENTINEL.sub("", m.group(0)), rendered)  # none inside attributes

    def replace(match: re.Match) -> str:
        mark, footnote = match.group(1), match.group(2)
        if mark is not None:
            found = marks[int(mark)]
            return f'<mark class="{found.kind}" title="{esc(found.title)}">'
        if footnote is not None:
            return f'<sup class="fnref">[^{esc(labels[int(footnote)])}]</sup>'
        return "</mark>"

    plain = _SENTINEL.sub(lambda m: replace(m) if m.group(2) is not None else "", rendered) if marks else None
    marked = _SENTINEL.sub(replace, rendered)
    return marked, plain if plain is not None else marked


# ---- page frame ------------------------------------------------------------------------------------

def _frame(title: str, root: str, body: str, body_class: str, lang: str = "en") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>{esc(title)}</title>\n'
        f'<link rel="stylesheet" href="{root}assets/review.css">\n'
        f'<script src="{root}assets/review.js" defer></script>\n'
        f'</head>\n<body class="{body_class}">\n{body}\n'
        f'<footer>Generated by l10n {esc(__version__)} (<code>l10n review</code>). '
        'Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous segment, <kbd>n</kbd>/<kbd>p</kbd> next/previous problem, '
        '<kbd>r</kbd> reader view.</footer>\n</body>\n</html>\n'
    )


def _bar(translated: int | None, fuzzy: int | None, untranslated: int | None) -> str:
    """A coverage bar as inline SVG (no style attribute: the CSP forbids inline styles)."""
    total = (translated or 0) + (fuzzy or 0) + (untranslated or 0)
    if translated is None or not total:
        return '<span class="bar none">—</span>'
    parts, x = [], 0.0
    for cls, n in (("t", translated), ("f", fuzzy or 0), ("u", untranslated or 0)):
        if n:
            width = 100.0 * n / total
            parts.append(f'<rect class="{cls}" x="{x:.2f}" y="0" width="{width:.2f}" height="1"/>')
            x += width
    label = f"{translated} translated, {fuzzy} fuzzy, {untranslated} untranslated of {total}"
    return (f'<svg class="bar" viewBox="0 0 100 1" preserveAspectRatio="none" role="img" '
            f'aria-label="{esc(label)}"><title>{esc(label)}</title>{"".join(parts)}</svg>')


def _url(path: str) -> str:
    return quote(path, safe="/")


# ---- index ---------------------------------------------------------------------------------------

def index_html(project: str, rows: list[Summary], langs: tuple[str, ...]) -> str:
    translated = sum(r.translated or 0 for r in rows)
    fuzzy = sum(r.fuzzy or 0 for r in rows)
    untranslated = sum(r.untranslated or 0 for r in rows)
    errors, warnings = sum(r.errors for r in rows), sum(r.warnings for r in rows)
    flagged = sum(r.flagged for r in rows)
    broken = sum(1 for r in rows if r.problem)
    articles = len({r.source for r in rows})
    total = translated + fuzzy + untranslated
    coverage = f"{100.0 * translated / total:.1f}%" if total else "—"
    states = sorted({r.catalog_state for r in rows} | {r.output_state for r in rows if r.output_state})
    body = [
        f'<header class="top"><h1>Review: {esc(project)}</h1>',
        '<dl class="totals" id="totals">',
        f'<div><dt>articles</dt><dd>{articles}</dd></div>',
        f'<div><dt>languages</dt><dd>{esc(", ".join(langs))}</dd></div>',
        f'<div><dt>translated</dt><dd>{translated} <small>of {total} ({coverage})</small></dd></div>',
        f'<div><dt>fuzzy</dt><dd>{fuzzy}</dd></div>',
        f'<div><dt>untranslated</dt><dd>{untranslated}</dd></div>',
        f'<div class="{"err" if errors else ""}"><dt>errors</dt><dd>{errors}</dd></div>',
        f'<div class="{"warn" if warnings else ""}"><dt>warnings</dt><dd>{warnings}</dd></div>',
        (f'<div class="err"><dt>flagged by QA</dt><dd>{flagged}</dd></div>' if flagged else ''),
        (f'<div class="err"><dt>unreadable</dt><dd>{broken}</dd></div>' if broken else ''),
        '</dl>',
        _bar(translated, fuzzy, untranslated),
        '<form class="filters" id="filters" role="search">',
        '<label>Language <select id="f-lang"><option value="">all</option>'
        + "".join(f'<option>{esc(lang)}</option>' for lang in langs) + '</select></label>',
        '<label>State <select id="f-state"><option value="">all</option>'
        + "".join(f'<option>{esc(s)}</option>' for s in states) + '</select></label>',
        '<label><input type="checkbox" id="f-errors"> has errors or QA flags</label>',
        '<label><input type="checkbox" id="f-todo"> not complete</label>',
        '<label class="grow">Find <input type="search" id="f-text" placeholder="title or path"></label>',
        '<output id="shown"></output>',
        '</form></header>',
        '<main><table id="articles" class="index">',
        '<thead><tr>'
        + "".join(f'<th scope="col" data-sort="{key}" data-type="{kind}" aria-sort="none">'
                  f'<button type="button">{label}</button></th>'
                  for key, kind, label in (("title", "text", "Article"), ("lang", "text", "Lang"),
                                           ("coverage", "num", "Coverage"), ("errors", "num", "Errors"),
                                           ("warnings", "num", "Warnings"), ("catalog", "text", "Catalog"),
                                           ("output", "text", "Output")))
        + '</tr></thead>',
        '<tbody>',
    ]
    for r in rows:
        total = r.total
        cover = 100.0 * (r.translated or 0) / total if total else (100.0 if r.translated is not None else -1)
        link = (f'<a href="{esc(_url(r.page))}">{esc(r.title)}</a>' if r.page else esc(r.title))
        title_note = "" if r.title_translated else ' <span class="tag">source title</span>'
        problem = f'<div class="row-problem">{esc(r.problem)}</div>' if r.problem else ""
        if r.flagged:
            problem += (f'<div class="row-problem qa">{r.flagged} machine draft{"s" if r.flagged > 1 else ""} '
                        'flagged by QA</div>')
        numbers = (f'<span class="num">{r.translated}/{total}</span> '
                   f'<span class="sub">{r.fuzzy} fuzzy · {r.untranslated} untranslated</span>'
                   if r.translated is not None else "")
        body.append(
            f'<tr data-lang="{esc(r.lang)}" data-title="{esc(r.title)}" data-path="{esc(r.source)}" '
            f'data-coverage="{cover:.3f}" data-errors="{r.errors}" data-warnings="{r.warnings}" '
            f'data-flagged="{r.flagged}" '
            f'data-catalog="{esc(r.catalog_state)}" data-output="{esc(r.output_state)}" '
            f'data-complete="{1 if total and r.translated == total and not r.errors and not r.flagged else 0}">'
            f'<td class="title">{link}{title_note}<div class="path">{esc(r.source)}</div>{problem}</td>'
            f'<td class="lang">{esc(r.lang)}</td>'
            f'<td class="coverage">{_bar(r.translated, r.fuzzy, r.untranslated)}{numbers}</td>'
            f'<td class="errors{" err" if r.errors else ""}">{r.errors}</td>'
            f'<td class="warnings{" warn" if r.warnings else ""}">{r.warnings}</td>'
            f'<td class="cat"><span class="state s-{_slug(r.catalog_state)}">{esc(r.catalog_state)}</span></td>'
            f'<td class="out"><span class="state s-{_slug(r.output_state)}">{esc(r.output_state or "—")}</span></td>'
            '</tr>'
        )
    body.append('</tbody></table>')
    if not rows:
        body.append('<p class="empty">No articles found.</p>')
    body.append('</main>')
    return _frame(f"Review: {project}", "", "\n".join(body), "index")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "none"


# ---- article ------------------------------------------------------------------------------------

_STATE_LABEL = {TRANSLATED: "translated", FUZZY: "fuzzy", UNTRANSLATED: "untranslated"}


def article_html(page: ArticlePage) -> str:
    s = page.summary
    depth = s.page.count("/")
    root = "../" * depth
    body = [
        '<header class="top">',
        f'<nav><a href="{root}index.html" id="to-index">← All articles</a></nav>',
        f'<h1 lang="{esc(s.lang if s.title_translated else page.source_lang)}">{esc(s.title)}</h1>',
        '<dl class="totals">',
        f'<div><dt>source</dt><dd><code>{esc(s.source)}</code></dd></div>',
        f'<div><dt>catalog</dt><dd><code>{esc(s.catalog)}</code> '
        f'<span class="state s-{_slug(s.catalog_state)}">{esc(s.catalog_state)}</span></dd></div>',
        f'<div><dt>output</dt><dd><code>{esc(s.output)}</code> '
        f'<span class="state s-{_slug(s.output_state)}">{esc(s.output_state or "—")}</span></dd></div>',
        f'<div><dt>entries</dt><dd>{_bar(s.translated, s.fuzzy, s.untranslated)} '
        f'{s.translated if s.translated is not None else "—"} translated · {s.fuzzy or 0} fuzzy · '
        f'{s.untranslated or 0} untranslated</dd></div>',
        f'<div class="{"err" if s.errors else ""}"><dt>errors</dt><dd>{s.errors}</dd></div>',
        f'<div class="{"warn" if s.warnings else ""}"><dt>warnings</dt><dd>{s.warnings}</dd></div>',
        (f'<div class="err"><dt>flagged by QA</dt><dd>{s.flagged}</dd></div>' if s.flagged else ''),
        '</dl>',
        '<div class="tools"><button type="button" id="toggle-reader" aria-pressed="false">Reader view</button>'
        '<button type="button" id="next-problem">Next problem <kbd>n</kbd></button>'
        '<label><input type="checkbox" id="only-problems"> problems only</label></div>',
        '</header>',
    ]
    if page.errors or page.findings:
        body.append('<section class="file-findings" aria-label="About the whole file"><ul>')
        body += [f'<li class="finding error"><span class="check">unreadable</span> {esc(e)}</li>'
                 for e in page.errors]
        body += [_finding(f) for f in page.findings if not (page.errors and f.check == "unreadable")]
        body.append('</ul></section>')
    body.append('<main id="segments" class="segments" aria-label="Segments">')
    body.append(f'<div class="seg head" aria-hidden="true"><div class="meta">segment</div>'
                f'<div class="src">{esc(page.source_lang)}</div><div class="tgt">{esc(s.lang)}</div></div>')
    for row in page.rows:
        body.append(_row(row, page, s))
    if not page.rows:
        body.append('<p class="empty">No segments to show.</p>')
    body.append('</main>')
    body.append(_reader(page))
    return _frame(f"{s.title} [{s.lang}] — review", root, "\n".join(body), "article", s.lang)


def _row(row: Row, page: ArticlePage, s: Summary) -> str:
    lines = ", ".join(map(str, row.lines))
    severity = row.severity
    where = f"{s.catalog}:{row.po_line}" if row.po_line else s.catalog
    state = [f'<span class="state s-{row.state}">{_STATE_LABEL.get(row.state, row.state)}</span>']
    if row.engine:
        state.append(f'<span class="tag mt" title="machine translation">MT: {esc(row.engine)}</span>')
    if row.refused:
        state.append('<span class="tag refused">refused by build</span>')
    if row.flagged:
        state.append('<span class="tag qa" title="the MT quality loop found this draft wrong">flagged by QA</span>')
    meta = (f'<a class="num" href="#s{row.number}">#{row.number}</a> '
            f'<span class="line" title="source Markdown line">line {esc(lines)}</span> '
            f'<span class="kind">{esc(row.kind)}</span> {" ".join(state)} '
            f'<span class="po" title="edit here">{esc(where)}</span>')
    target = (render_inline(row.msgstr, row.target_marks) if row.msgstr
              else '<span class="none">(not translated)</span>')
    notes = []
    if row.refused:
        notes.append(f'<li class="finding error"><span class="check">build</span> refused, the source text is '
                     f'used instead: {esc(row.refused)}</li>')
    if row.qa:
        label = "machine draft flagged by QA" if row.flagged else "flagged by QA as a machine draft, since reviewed"
        notes += [f'<li class="finding {"error" if row.flagged else "comment"} qa"><span class="check">qa</span> '
                  f'{label}: {esc(check)}: {esc(message)}</li>' for check, message in row.qa]
    notes += [_finding(f) for f in row.findings]
    missing = [m for m in row.source_marks if m.kind == "missing"]
    notes += [f'<li class="finding warning"><span class="check">glossary</span> {esc(m.title)}</li>'
              for m in missing if not any(f.check == "terminology" for f in row.findings)]
    if row.comments:
        notes.append('<li class="comment"><span class="check">translator</span> '
                     f'{esc(chr(10).join(row.comments))}</li>')
    if row.diff:
        diff = "".join(f"<del>{esc(t)}</del>" if op == "delete" else f"<ins>{esc(t)}</ins>" if op == "insert"
                       else esc(t) for op, t in row.diff)
        notes.append(f'<li class="diff"><span class="check">source changed</span> '
                     f'<span class="chardiff" lang="{esc(page.source_lang)}">{diff}</span></li>')
    classes = " ".join(filter(None, ["seg", f"st-{row.state}", "has-problem" if row.problem else "",
                                     f"sev-{severity}" if severity else ""]))
    return (f'<article class="{classes}" id="s{row.number}" tabindex="-1" data-problem="{1 if row.problem else 0}">'
            f'<div class="meta">{meta}</div>'
            f'<div class="src" lang="{esc(page.source_lang)}">{render_inline(row.msgid, row.source_marks)}</div>'
            f'<div class="tgt" lang="{esc(s.lang)}">{target}</div>'
            + (f'<ul class="notes">{"".join(notes)}</ul>' if notes else "")
            + '</article>')


def _finding(f) -> str:
    where = f"{f.file}:{f.line}" if f.line else f.file
    return (f'<li class="finding {esc(f.severity)}"><span class="check">{esc(f.check)}</span> {esc(f.message)} '
            f'<span class="po">{esc(where)}</span></li>')


def _reader(page: ArticlePage) -> str:
    s = page.summary
    titles = {r.kind.split(", ")[0]: r for r in page.rows}
    title = titles.get("front matter: title")
    # Each segment's run was rendered for its row: the documents reuse it rather than parse it again.
    known = {r.msgid: render_plain(r.msgid, r.source_marks) for r in page.rows}
    known.update((r.msgstr, render_plain(r.msgstr, r.target_marks)) for r in page.rows if r.msgstr)
    source, rendered = render_documents(page.source_body, page.source_lang, page.target_body, s.lang, known,
                                        page.target_texts)
    if rendered is not None:
        target = rendered
        note = esc(page.target_note)
    else:
        target = ""
        note = esc(page.target_note or "no English edition to show")
    src_title = f'<h1 class="doc-title">{esc(title.msgid)}</h1>' if title else ""
    tgt_title = (f'<h1 class="doc-title">{esc(title.msgstr)}</h1>'
                 if title and title.msgstr and page.target_body is not None else "")
    return (
        '<section id="reader" class="reader" hidden aria-label="Reader view">'
        f'<div class="doc" lang="{esc(page.source_lang)}"><p class="doc-note">{esc(s.source)}</p>'
        f'{src_title}{source}</div>'
        f'<div class="doc" lang="{esc(s.lang)}"><p class="doc-note">{note}</p>{tgt_title}{target}</div>'
        '</section>'
    )

