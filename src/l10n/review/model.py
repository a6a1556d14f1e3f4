"""The review site's page model: what each index row and each article row holds.

Nothing here writes HTML (see `html`); everything is read through the project's public APIs, so the
review shows exactly what the other commands compute: `checks.check_article` for the findings,
`catalog` for entries and statistics, the article's format's `render` for what `l10n build` writes and refuses,
`glossary.Glossary.matches` for the terms. One `ArticlePage` per article and language; its `summary`
is the index row.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import polib

from ..catalog import stats, translations
from ..checks import ERROR, WARNING, CheckOptions, FileReport, Finding, build_state, check_article
from ..config import Config
from ..confine import read_or_none
from ..errors import L10nError
from ..fingerprint import digest
from ..formats import Format, Rendered
from ..glossary import Glossary, Term, term_pattern
from ..pofile import DIGEST_HEADER, SOURCE_HEADER
from ..runner import Article
from ..segment import title_of
from ..state import output_stamp
from ..translate.catalogs import MT_COMMENT, TM_COMMENT
from ..translate.qa import QA_COMMENT

TRANSLATED, FUZZY, UNTRANSLATED = "translated", "fuzzy", "untranslated"
# catalog states
CURRENT, STALE, MISSING, UNREADABLE, ORPHAN = "current", "stale", "missing", "unreadable", "orphan"
# output states (MISSING too)
BUILT, OUT_OF_DATE, EDITED = "built", "out of date", "edited by hand"
_MACHINE = re.compile(rf"^{re.escape(MT_COMMENT.strip())}\s*(\S+)", re.MULTILINE)  # `machine translation: <engine>`
_QA = re.compile(rf"^{re.escape(QA_COMMENT.strip())}\s*([^:\s]+):\s*(.*)$", re.MULTILINE)  # `l10n-qa: <check>: <msg>`
# translator comments written by `l10n translate`: shown as the row's state, engine and QA note, not again
_SHOWN_AS_STATE = tuple(comment.strip() for comment in (MT_COMMENT, TM_COMMENT, QA_COMMENT))


@dataclass(frozen=True)
class Mark:
    """A highlighted span of a text: a glossary term (`kind` term / missing) with its explanation."""

    start: int
    end: int
    kind: str  # "term" (required translation present), "missing" (absent from the translation), "keep"
    title: str


@dataclass
class Row:
    """One segment (one catalog entry: identical text in one article is translated once)."""

    number: int  # 1-based position in the article
    lines: list[int]  # source Markdown lines (`#:`)
    kind: str  # heading, paragraph, footnote [^7], front matter: title ... (`#.`)
    msgid: str
    msgstr: str = ""
    state: str = UNTRANSLATED
    engine: str = ""  # machine translation engine, from `# machine translation: <engine>`
    comments: list[str] = field(default_factory=list)  # translator comments
    po_line: int | None = None
    previous: str = ""  # previous msgid of a fuzzy entry (`#|`)
    diff: list[tuple[str, str]] = field(default_factory=list)  # ("equal"|"delete"|"insert", text)
    refused: str = ""  # why `l10n build` refuses this translation
    qa: list[tuple[str, str]] = field(default_factory=list)  # (check, message) of `# l10n-qa:` comments
    findings: list[Finding] = field(default_factory=list)
    source_marks: tuple[Mark, ...] = ()
    target_marks: tuple[Mark, ...] = ()

    @property
    def flagged(self) -> bool:
        """A machine draft the MT quality loop flagged (`# l10n-qa:`) that nobody has reviewed yet (still fuzzy).

        Once a translator removes the fuzzy flag, the comment is their call: shown, no longer a problem."""
        return bool(self.qa) and self.state == FUZZY

    @property
    def problem(self) -> bool:
        """Worth stopping at: a finding, a refusal, a flagged machine draft, or no reviewed translation."""
        return bool(self.findings or self.refused) or self.state != TRANSLATED

    @property
    def severity(self) -> str:
        """A flagged draft is an error: the checks found it wrong even after the retry (with fuzzy entries
        not allowed, `l10n check` reports only `fuzzy` for it, so this is where the reason shows)."""
        if self.refused or self.flagged or any(f.severity == ERROR for f in self.findings):
            return ERROR
        return WARNING if self.problem else ""


@dataclass
class Summary:
    """One index row: an article in one language."""

    source: str
    lang: str
    catalog: str
    output: str
    page: str  # the article page, relative to the site root ("" when there is none)
    title: str
    title_translated: bool = False
    translated: int | None = None
    fuzzy: int | None = None
    untranslated: int | None = None
    obsolete: int | None = None
    errors: int = 0
    warnings: int = 0
    flagged: int = 0  # machine drafts flagged by the MT quality loop (`# l10n-qa:`), still fuzzy
    catalog_state: str = CURRENT
    output_state: str = ""
    problem: str = ""  # why the row has no (complete) page: a file that cannot be read

    @property
    def total(self) -> int:
        return (self.translated or 0) + (self.fuzzy or 0) + (self.untranslated or 0)


@dataclass
class ArticlePage:
    summary: Summary
    source_lang: str
    rows: list[Row]
    findings: list[Finding]  # about the whole file (coverage, stale, output...), not one entry
    source_body: str = ""  # the source Markdown without front matter, for the reader view
    target_body: str | None = None  # what `l10n build` writes now, without front matter
    target_note: str = ""  # why there is no target body, or what it is
    # body msgid -> (the text build writes in its place: the translation, or the msgid itself; None when its
    # occurrences differ, how many segments have it); lets the reader view walk the source's blocks for the
    # target (None: parse it)
    target_texts: dict[str, tuple[str | None, int]] | None = None
    errors: list[str] = field(default_factory=list)  # files that could not be read


def page_path(config: Config, source: Path, lang: str) -> str:
    """Where an article's page lives in the site: `en/posts/a.html`."""
    return f"{lang}/{config.relative_stem(source)}.html".replace("\\", "/")


def article_pages(article: Article, langs: tuple[str, ...], options: CheckOptions,
                  glossary: Glossary) -> list[ArticlePage]:
    """The pages of `article` in `langs`, with the findings of `l10n check` under `options`."""
    catalogs: dict[str, polib.POFile] = {}
    rendered: dict[str, Rendered] = {}
    reports = check_article(article, langs, options, glossary, catalogs, rendered)
    return [_page(article, report, catalogs.get(report.lang), rendered.get(report.lang), options, glossary)
            for report in reports]


def _page(article: Article, report: FileReport, po: polib.POFile | None, rendered: Rendered | None,
          options: CheckOptions, glossary: Glossary) -> ArticlePage:
    """`rendered`: the article as `l10n build` would write it, which `check` made on the way (None when the
    catalog is stale or the source does not read)."""
    config, lang = article.config, report.lang
    summary = Summary(article.display, lang, report.catalog, report.output, page_path(config, article.path, lang),
                      title=Path(article.display).stem)
    page = ArticlePage(summary, config.source_lang, [], [])
    by_msgid: dict[str, list[Finding]] = {}
    for finding in report.findings:
        if finding.msgid:
            by_msgid.setdefault(finding.msgid, []).append(finding)
        else:
            page.findings.append(finding)
        if finding.severity == ERROR:
            summary.errors += 1
        elif finding.severity == WARNING:
            summary.warnings += 1
    po_path = config.catalog_path(article.path, lang)
    if po is not None:
        s = stats(po)
        summary.translated, summary.fuzzy, summary.untranslated, summary.obsolete = (
            s.translated, s.fuzzy, s.untranslated, s.obsolete)
        origin = po.metadata.get(SOURCE_HEADER)
        current = po.metadata.get(DIGEST_HEADER) == article.digest and origin in (None, "", article.display)
        summary.catalog_state = CURRENT if current else STALE
        page.rows = _rows(po, by_msgid, lang, glossary, article.format,
                          _refused(article, po, options.allow_fuzzy, rendered))
        summary.flagged = sum(1 for row in page.rows if row.flagged)
    else:
        summary.catalog_state = MISSING if not po_path.exists() else UNREADABLE
        if summary.catalog_state == UNREADABLE:
            page.errors += [f"{f.file}:{f.line}: {f.message}" if f.line else f"{f.file}: {f.message}"
                            for f in page.findings if f.check == "unreadable"]
    output, summary.output_state = _output(config, article, report, lang, options)
    built = summary.catalog_state == CURRENT and summary.output_state == BUILT
    doc = segments = None
    if not built:  # a built output is what the format's `render` gives: no need to parse and render again
        try:
            doc, segments = article.parsed
        except L10nError as exc:
            page.errors.append(str(exc.located(exc.path or article.display)))
    if po is None and segments is not None:
        page.rows = [Row(i, [s.line], s.comment, s.msgid,
                         source_marks=_marks(s.msgid, "", lang, glossary, article.format)[0])
                     for i, s in enumerate(segments, 1)]
        summary.translated, summary.fuzzy, summary.untranslated = 0, 0, len(page.rows)
    if page.errors:
        summary.problem = page.errors[0]
    heading = _title_row(article, page.rows)
    if heading is not None:
        summary.title, summary.title_translated = (heading.msgstr, True) if heading.msgstr else (heading.msgid, False)
    body_start = article.format.body_start
    source_text = doc.text if doc is not None else _decoded(article.data)
    if source_text is not None:
        page.source_body = source_text[body_start(source_text):]
    command = f"`l10n build{' --fuzzy' if options.allow_fuzzy else ''}`"
    if built and (text := _decoded(output)) is not None:
        page.target_body = text[body_start(text):]
        page.target_note = f"{report.output}, as {command} wrote it"
        page.target_texts = _target_texts(rendered)  # built: the output is what `rendered` writes
    elif po is not None and summary.catalog_state == CURRENT and doc is not None:
        if rendered is None:
            rendered = article.format.render(*article.extraction, translations(po, options.allow_fuzzy),
                                             report.catalog)
        page.target_body = rendered.text[body_start(rendered.text):]
        page.target_texts = _target_texts(rendered)
        page.target_note = (f"as {command} would write it now ({report.output} is {summary.output_state}): "
                            f"{rendered.translated} segment(s) translated, {len(rendered.untranslated)} "
                            f"in the source language, {len(rendered.refused)} refused")
    else:
        page.target_note = {MISSING: "no catalog yet: run `l10n extract`",
                            STALE: "the catalog is older than the source: run `l10n extract`",
                            UNREADABLE: "the catalog cannot be read"}.get(summary.catalog_state, "")
    return page


def _target_texts(rendered: Rendered | None) -> dict[str, tuple[str | None, int]] | None:
    """What build writes for each body segment's msgid in `rendered` (see `ArticlePage.target_texts`)."""
    if rendered is None:
        return None
    texts: dict[str, tuple[str | None, int]] = {}
    for i, segment in enumerate(rendered.segments):
        if segment.kind == "front matter":
            continue
        text: str | None = rendered.accepted.get(i, segment.msgid)
        if segment.msgid in texts:
            known, count = texts[segment.msgid]
            texts[segment.msgid] = (known if known == text else None, count + 1)
        else:
            texts[segment.msgid] = (text, 1)
    return texts


def _title_row(article: Article, rows: list[Row]) -> Row | None:
    """The row of the article's title (None when it has none, or cannot be read)."""
    try:
        msgid = title_of(article.parsed[1])
    except L10nError:
        return None
    return next((r for r in rows if r.msgid == msgid), None) if msgid else None


def _decoded(data: bytes | None) -> str | None:
    if data is None:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text[1:] if text.startswith("\ufeff") else text


def _refused(article: Article, po: polib.POFile, use_fuzzy: bool, rendered: Rendered | None) -> dict[str, str]:
    """Why `l10n build` refuses each translation it would use (by msgid): the format's `refusals` in the article.

    With `rendered` (what `check` built with the same translations), only the translations it left out (rare)
    are judged again, and those it refused for the article's structure keep its reason.
    """
    try:
        doc, parsed = article.extraction
    except L10nError:
        return {}
    entries = translations(po, use_fuzzy)
    segments = parsed.segments
    chosen = {i: entries[s.msgid].msgstr for i, s in enumerate(segments) if s.msgid in entries}
    found: dict[int, str] = {}
    if rendered is not None:
        chosen = {i: text for i, text in chosen.items() if i not in rendered.accepted}
        if not chosen:
            return {}
        index = {id(segment): i for i, segment in enumerate(segments)}
        found = {index[id(segment)]: why for segment, why in rendered.restructuring if id(segment) in index}
        chosen = {i: text for i, text in chosen.items() if i not in found}
    found.update(article.format.refusals(doc, parsed, chosen) if chosen else {})
    return {segments[i].msgid: why for i, why in found.items()}


def _rows(po: polib.POFile, by_msgid: dict[str, list[Finding]], lang: str, glossary: Glossary, fmt: Format,
          refused: dict[str, str]) -> list[Row]:
    rows: list[Row] = []
    for entry in po:
        if entry.obsolete or not entry.msgid:
            continue
        fuzzy = "fuzzy" in entry.flags
        state = UNTRANSLATED if not entry.msgstr else FUZZY if fuzzy else TRANSLATED
        comments = [line for line in (entry.tcomment or "").split("\n")
                    if line.strip() and not line.startswith(_SHOWN_AS_STATE)]
        machine = _MACHINE.search(entry.tcomment or "")
        qa = [(m.group(1), m.group(2).strip()) for m in _QA.finditer(entry.tcomment or "")] \
            if QA_COMMENT in (entry.tcomment or "") else []
        previous = entry.previous_msgid or "" if fuzzy else ""
        source_marks, target_marks = _marks(entry.msgid, entry.msgstr, lang, glossary, fmt)
        rows.append(Row(
            number=len(rows) + 1,
            lines=[int(line) for _, line in entry.occurrences if str(line).isdigit()],
            kind=", ".join(line for line in (entry.comment or "").split("\n") if line) or "segment",
            msgid=entry.msgid, msgstr=entry.msgstr, state=state, engine=machine.group(1) if machine else "",
            comments=comments, po_line=entry.linenum, previous=previous,
            diff=char_diff(previous, entry.msgid) if previous else [],
            findings=by_msgid.get(entry.msgid, []),
            refused=refused.get(entry.msgid, ""), qa=qa,
            source_marks=source_marks, target_marks=target_marks,
        ))
    return rows


def _output(config: Config, article: Article, report: FileReport, lang: str,
            options: CheckOptions) -> tuple[bytes | None, str]:
    """The output's bytes and state: built, out of date, edited by hand (not what the last build wrote) or missing.

    Built means what `l10n check` accepts: no `output` finding (or, with that check off, a fresh build record).
    """
    out_path = config.output_path(article.path, lang)
    try:
        data = read_or_none(out_path, config.root)
    except L10nError:  # not a regular file, or leading outside the project: nothing l10n may show
        data = None
    if data is None:
        return None, MISSING
    state = build_state(config.root)
    readable = report.stats is not None and not any(f.check in ("stale-catalog", "unreadable") for f in report.findings)
    if readable and options.enabled("output") and not any(f.check == "output" for f in report.findings):
        return data, BUILT
    if readable and not options.enabled("output") and state.fresh(out_path, report.output, output_stamp(
            config, article.path, article.digest, lang, options.allow_fuzzy, False)):
        return data, BUILT
    recorded = state.outputs.get(report.output)
    if recorded and digest(data) != recorded[1]:
        return data, EDITED
    return data, OUT_OF_DATE


def char_diff(old: str, new: str) -> list[tuple[str, str]]:
    """What changed from `old` to `new`, character by character (Chinese has no word breaks).

    Equal runs of one or two characters between changes are folded into them, so 心脏 → 核心 reads
    as one replaced word rather than 核 added, 心 kept, 脏 removed.
    """
    chunks: list[list[str]] = []  # [old text, new text, "="|"~"]
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        kind = "=" if tag == "equal" else "~"
        if chunks and chunks[-1][2] == kind == "~":
            chunks[-1][0] += old[i1:i2]
            chunks[-1][1] += new[j1:j2]
        else:
            chunks.append([old[i1:i2], new[j1:j2], kind])
    i = 1
    while i < len(chunks) - 1:
        before, equal, after = chunks[i - 1], chunks[i], chunks[i + 1]
        if equal[2] == "=" and len(equal[0]) <= 2 and before[2] == after[2] == "~":
            chunks[i - 1:i + 2] = [[before[0] + equal[0] + after[0], before[1] + equal[1] + after[1], "~"]]
        else:
            i += 1
    ops: list[tuple[str, str]] = []
    for old_text, new_text, kind in chunks:
        if kind == "=":
            ops.append(("equal", new_text))
            continue
        if old_text:
            ops.append(("delete", old_text))
        if new_text:
            ops.append(("insert", new_text))
    return ops


# ---- glossary terms ------------------------------------------------------------------------------

def _free(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    s, e = span
    return all(e <= a or s >= b for a, b in taken)


def _describe(term: Term, lang: str) -> str:
    if not term.translate:
        text = f"glossary: {term.source} is not translated"
    else:
        accepted = term.accepted(lang)
        text = f"glossary: {term.source} → {accepted[0]}" if accepted else f"glossary: {term.source}"
        if len(accepted) > 1:
            text += f" (also: {', '.join(accepted[1:])})"
    return text + (f" — {term.note}" if term.note else "")


def _forms(term: Term, lang: str) -> tuple[str, ...]:
    """The spellings of a term's accepted translations (plurals as `l10n check` accepts them)."""
    if not term.translate:
        return (term.source,)
    return tuple(form for ok in term.accepted(lang) for form in (ok, ok + "s", ok + "es"))


# The non-ASCII characters that case-insensitive matching equates with an ASCII one (`ſ` with `s`, the Kelvin
# sign with `k`...; a test checks every code point): in a text without them, a match of an ASCII form is
# a match of its lowercase in the lowercased text.
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")


def _find_forms(text: str, lowered: str | None, term: Term, lang: str) -> list[tuple[int, int]]:
    """Where `term`'s accepted translations are in `text`. `lowered`: `text.lower()`, or None when `text` holds
    a character of `_FOLDS_TO_ASCII`. A form that cannot be there is not searched: most are absent (plurals
    above all), and a substring test costs far less than the search."""
    ignore_case = term.translate
    spans = {m.span() for form in _forms(term, lang)
             if (lowered is None or not form.isascii() or form.lower() in lowered if ignore_case else form in text)
             for m in re.finditer(term_pattern(form), text, re.IGNORECASE if ignore_case else 0)}
    return sorted(spans, key=lambda s: (s[0], -s[1]))


_MEMO: dict[tuple, tuple[tuple[Mark, ...], tuple[Mark, ...]]] = {}
_Matches = list[tuple[int, int, Term]]


def _marks(msgid: str, msgstr: str, lang: str, glossary: Glossary,
           fmt: Format) -> tuple[tuple[Mark, ...], tuple[Mark, ...]]:
    """(source marks, target marks) of an entry, from one search of its source for terms and one of its
    translation for each term found. Terms recur across articles (tags, headings, references): each entry
    is searched once per process."""
    if not glossary.terms:
        return (), ()
    key = (glossary.fingerprint, msgid, msgstr, lang, fmt.name)
    found = _MEMO.get(key)
    if found is None:
        if len(_MEMO) >= 50_000:
            _MEMO.clear()
        matches = glossary.matches(msgid)
        wanted = {id(term): term for _, _, term in matches if term.target(lang)} if msgstr else {}
        lowered = None if not wanted or _FOLDS_TO_ASCII.search(msgstr) else msgstr.lower()
        forms = {term_id: _find_forms(msgstr, lowered, term, lang) for term_id, term in wanted.items()}
        found = _MEMO[key] = (_source_marks(matches, forms, msgid, msgstr, lang, fmt) if matches else (),
                              _target_marks(matches, forms, msgstr, lang, fmt) if forms else ())
    return found


def _source_marks(matches: _Matches, forms: dict[int, list[tuple[int, int]]], msgid: str, msgstr: str, lang: str,
                  fmt: Format) -> tuple[Mark, ...]:
    """`forms`: where each term's accepted translations are in `msgstr` (by the term's id)."""
    marks = []
    taken = fmt.markup_spans(msgid)
    for start, end, term in matches:
        if not _free((start, end), taken):
            continue
        title = _describe(term, lang)
        kind = "keep" if not term.translate else "term"
        if msgstr and term.target(lang) and not forms[id(term)]:
            kind, title = "missing", title + " — missing from the translation"
        marks.append(Mark(start, end, kind, title))
    return tuple(marks)


def _target_marks(matches: _Matches, forms: dict[int, list[tuple[int, int]]], msgstr: str, lang: str,
                  fmt: Format) -> tuple[Mark, ...]:
    taken = fmt.markup_spans(msgstr)
    marks: list[Mark] = []
    for _, _, term in matches:
        if not term.target(lang):
            continue
        for span in forms[id(term)]:
            if _free(span, taken):
                taken.append(span)
                marks.append(Mark(*span, "keep" if not term.translate else "term", _describe(term, lang)))
    return tuple(sorted(marks, key=lambda m: m.start))
