"""`l10n review`: the page model (what each row holds), the HTML's escaping, incremental generation, the CLI."""

from __future__ import annotations

import re
import shutil

import polib
import pytest

from conftest import CORPUS, corpus_files, pseudo
from l10n import project as core
from l10n.checks import ERROR, CheckOptions, check_project
from l10n.config import config_text
from l10n.glossary import GLOSSARY_FILE, Glossary, Term
from l10n.review import article_pages, generate
from l10n.review.html import (
    CSP,
    article_html,
    index_html,
    render_document,
    render_documents,
    render_inline,
    render_plain,
)
from l10n.review.model import (
    BUILT,
    CURRENT,
    EDITED,
    FUZZY,
    MISSING,
    TRANSLATED,
    UNREADABLE,
    UNTRANSLATED,
    Mark,
    char_diff,
)
from l10n.runner import Article
from review_site import EDITED_FROM, EDITED_TO, INJECTED_MSGID, QA_REL, SEED_REL, make_review_site


def pages_of(project, rel: str, **options):
    config = project.config
    source = config.source_root / rel
    article = Article(config, source, config.display(source), source.read_bytes())
    glossary = Glossary.load(config.root / GLOSSARY_FILE, GLOSSARY_FILE)
    return article_pages(article, ("en",), CheckOptions.from_config(config, **options), glossary)


@pytest.fixture
def corpus_site(project):
    for fixture in corpus_files():
        project.add_fixture(fixture)
    core.extract(project.config)
    for fixture in corpus_files():
        project.translate_all(fixture.name, pseudo)
    core.build(project.config)
    return project


@pytest.mark.parametrize("fixture", corpus_files(), ids=lambda p: p.name)
def test_corpus_rows_are_the_catalog_entries_in_document_order(corpus_site, fixture):
    project = corpus_site
    [page] = pages_of(project, fixture.name)
    po = polib.pofile(str(project.po(fixture.name)))
    entries = [e for e in po if not e.obsolete and e.msgid]
    assert [r.msgid for r in page.rows] == [e.msgid for e in entries]
    for row, entry in zip(page.rows, entries):
        assert row.number == entries.index(entry) + 1
        assert row.lines == [int(line) for _, line in entry.occurrences]
        assert row.kind == ", ".join(entry.comment.split("\n"))
        assert row.po_line == entry.linenum
        assert (row.msgstr, row.state, row.previous, row.refused) == (entry.msgstr, TRANSLATED, "", "")
    s = page.summary
    assert (s.translated, s.fuzzy, s.untranslated) == (len(entries), 0, 0)
    assert (s.catalog_state, s.output_state, s.problem) == (CURRENT, BUILT, "")
    assert s.page == f"en/{fixture.stem}.html"
    assert page.source_body and page.target_body is not None
    assert not page.source_body.startswith(("---", "+++", "{")) or fixture.name == "no-front-matter.md"


def test_corpus_findings_are_those_of_check_each_on_its_row(corpus_site):
    project = corpus_site
    report = check_project(project.config)
    for fixture in corpus_files():
        [page] = pages_of(project, fixture.name)
        expected = [f for f in report.findings if f.source == f"content/zh/{fixture.name}"]
        on_rows = [f for r in page.rows for f in r.findings]
        assert sorted(map(repr, on_rows + page.findings)) == sorted(map(repr, expected))
        for row in page.rows:
            assert all(f.msgid == row.msgid for f in row.findings)
        assert page.summary.errors == sum(1 for f in expected if f.severity == ERROR)
        assert page.summary.warnings == len(expected) - page.summary.errors


def test_corpus_kinds_lines_and_footnotes(corpus_site):
    [page] = pages_of(corpus_site, "footnotes.md")
    kinds = {r.kind for r in page.rows}
    assert {"front matter: title", "paragraph", "footnote [^1]", "footnote [^note-2]", "footnote [^6]"} <= kinds
    definition = next(r for r in page.rows if r.kind == "footnote [^1]")
    assert definition.lines == [26]
    html = render_inline(next(r.msgid for r in page.rows if "[^note-2]" in r.msgid))
    assert '<sup class="fnref">[^note-2]</sup>' in html


def test_review_site_rows_hold_every_state(project):
    make_review_site(project, pseudo)
    [seed] = pages_of(project, SEED_REL)
    fuzzy = [r for r in seed.rows if r.state == FUZZY]
    assert len(fuzzy) == 1
    row = fuzzy[0]
    assert EDITED_TO in row.msgid and EDITED_FROM in row.previous and row.msgstr
    assert ("delete", EDITED_FROM[:2]) in row.diff and ("insert", EDITED_TO[:2]) in row.diff
    assert "".join(t for op, t in row.diff if op != "delete") == row.msgid
    assert "".join(t for op, t in row.diff if op != "insert") == row.previous
    assert [f.check for f in row.findings] == ["fuzzy"]
    assert any("Departure from the source" in c for c in row.comments)
    musk = next(r for r in seed.rows if r.msgid == "马斯克")
    assert [(m.start, m.end, m.kind) for m in musk.source_marks] == [(0, 3, "term")]
    assert "Musk" in musk.source_marks[0].title
    assert [musk.msgstr[m.start:m.end] for m in musk.target_marks] == ["Elon Musk"]
    assert seed.summary.title_translated and seed.summary.title.startswith("Elon Musk Is Betting")

    [night] = pages_of(project, "news/night-economy.md")
    injected = next(r for r in night.rows if r.msgid.startswith(INJECTED_MSGID))
    assert "HTML tag not in the source" in injected.refused and "javascript:" in injected.refused
    assert {"unsafe-html", "markup"} <= {f.check for f in injected.findings}
    assert injected.severity == ERROR and injected.problem

    [chip] = pages_of(project, "news/chip-export.md")
    background = next(r for r in chip.rows if r.msgid == "背景")
    assert background.state == UNTRANSLATED and [f.check for f in background.findings] == ["untranslated"]
    assert chip.summary.output_state == EDITED
    assert "coverage" in {f.check for f in chip.findings} and "output" in {f.check for f in chip.findings}

    [fresh] = pages_of(project, "news/fresh.md")
    assert fresh.summary.catalog_state == MISSING and fresh.summary.output_state == MISSING
    assert [(r.kind, r.state) for r in fresh.rows] == [("front matter: title", UNTRANSLATED),
                                                        ("paragraph", UNTRANSLATED)]
    assert "run `l10n extract`" in fresh.target_note

    [broken] = pages_of(project, "news/broken.md")
    assert broken.summary.catalog_state == UNREADABLE
    assert broken.summary.problem.startswith("locales/en/news/broken.po:7: PO syntax error")
    assert len(broken.rows) == 2  # the source's segments are still shown


def test_a_machine_draft_flagged_by_qa_is_an_error_row_and_counted(project):
    make_review_site(project, pseudo)
    [page] = pages_of(project, QA_REL)
    [row] = [r for r in page.rows if r.qa]
    assert row.state == FUZZY and row.engine == "libre" and row.flagged
    assert row.qa == [("numbers", "'140亿' (14,000,000,000) is not in the translation")]
    assert row.problem and row.severity == ERROR
    assert row.comments == []  # the QA note and the engine are shown once, not again as translator comments
    assert page.summary.flagged == 1
    html = article_html(page)
    assert "flagged by QA" in html
    assert "machine draft flagged by QA: numbers: &#x27;140亿&#x27; (14,000,000,000) is not in the translation" in html
    index = index_html("p", [page.summary], ("en",))
    assert 'data-flagged="1"' in index and 'data-complete="0"' in index and "1 machine draft flagged by QA" in index

    po = polib.pofile(str(project.po(QA_REL)))  # a translator reviewed it: the note stays, no longer a problem
    entry = next(e for e in po if e.msgid == row.msgid)
    entry.flags.remove("fuzzy")
    po.save()
    [page] = pages_of(project, QA_REL)
    [row] = [r for r in page.rows if r.qa]
    assert row.state == TRANSLATED and not row.flagged and page.summary.flagged == 0
    assert "since reviewed" in article_html(page)


def test_the_reader_view_reuses_the_rows_renders_and_reads_the_same(project):
    make_review_site(project, pseudo)
    for rel in (SEED_REL, "corpus/footnotes.md", "corpus/tables-code.md", "news/hostile.md"):
        [page] = pages_of(project, rel)
        known = {r.msgid: render_plain(r.msgid, r.source_marks) for r in page.rows}
        known.update((r.msgstr, render_plain(r.msgstr, r.target_marks)) for r in page.rows if r.msgstr)
        for body, lang in ((page.source_body, "zh"), (page.target_body, "en")):
            assert render_document(body, lang, known) == render_document(body, lang)


def _reader_views_equal_markdown_it(pages) -> int:
    """The reader view (the edition walked on the source's block tokens) is what markdown-it-py renders from
    each whole document; returns how many editions were walked rather than parsed."""
    walked = 0
    for page in pages:
        known = {r.msgid: render_plain(r.msgid, r.source_marks) for r in page.rows}
        known.update((r.msgstr, render_plain(r.msgstr, r.target_marks)) for r in page.rows if r.msgstr)
        lang = page.summary.lang
        source, target = render_documents(page.source_body, "zh", page.target_body, lang, known, page.target_texts)
        assert source == render_document(page.source_body, "zh"), page.summary.source
        if page.target_body is None:
            assert target is None
            continue
        assert target == render_document(page.target_body, lang), page.summary.source
        walked += page.target_texts is not None
    return walked


def test_the_reader_view_of_the_corpus_is_what_markdown_it_renders(corpus_site):
    pages = [page for fixture in corpus_files() for page in pages_of(corpus_site, fixture.name)]
    assert _reader_views_equal_markdown_it(pages) >= len(pages) // 2


def test_the_reader_view_of_the_review_site_is_what_markdown_it_renders(project):
    make_review_site(project, pseudo)
    config = project.config
    pages = [page for source in config.sources() for page in pages_of(project, config.relative_stem(source) + ".md")
             if source.suffix == ".md"]
    assert _reader_views_equal_markdown_it(pages)


def test_text_without_markup_renders_as_markdown_it_renders_it():
    import random

    from l10n.review.html import markdown, render_text
    rng = random.Random(8)
    alphabet = list("ab 中文，。:;-+=#%@{}^$()'\"/>?.,09\t\u00a0\u3000") + list("*_[]!<&`~\\\n\r")
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert render_text(text) == markdown().renderInline(text), repr(text)


def test_a_missing_required_term_is_marked(project):
    make_review_site(project, pseudo)
    po_path = project.po(SEED_REL)
    po = polib.pofile(str(po_path))
    entry = next(e for e in po if e.msgid == "马斯克")
    entry.msgstr = "Ma Sike"
    po.save()
    [seed] = pages_of(project, SEED_REL)
    musk = next(r for r in seed.rows if r.msgid == "马斯克")
    assert [m.kind for m in musk.source_marks] == ["missing"] and musk.target_marks == ()
    assert {"glossary", "terminology"} <= {f.check for f in musk.findings}


def test_char_diff_is_by_character():
    assert char_diff("每月烧钱十亿", "每月花钱十亿美元") == [
        ("equal", "每月"), ("delete", "烧"), ("insert", "花"), ("equal", "钱十亿"), ("insert", "美元")]
    assert char_diff("", "新") == [("insert", "新")]


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))", "[x](data:text/html;base64,PHNjcmlwdD4=)", '<a href="javascript:alert(1)">x</a>',
    "![i](javascript:alert(1))", "[x](vbscript:msgbox(1))", "<svg onload=alert(1)>", "`<script>`",
])
def test_inline_rendering_never_lets_markup_through(text):
    html = render_inline(text, (Mark(0, 1, "term", '"><script>alert(1)</script>'),))
    assert "<script" not in html and "<img" not in html and "<svg" not in html
    assert not re.search(r"<a [^>]*href=\"(?!https?:|mailto:|#|/|\.)", html)
    assert not re.search(r"<[^>]*\son\w+\s*=", html)  # no event attribute inside any tag


def test_inline_rendering_keeps_markdown_and_links_show_their_url():
    html = render_inline("**粗体** [链接](https://example.com/a?b=1&c=2 \"标题\") `code` ![图](pic.png) 注[^7]")
    assert "<strong>粗体</strong>" in html and "<code>code</code>" in html
    assert 'href="https://example.com/a?b=1&amp;c=2"' in html and 'title="https://example.com/a?b=1&amp;c=2 — 标题"' in html
    assert '<span class="img" title="pic.png">[image: 图]</span>' in html
    assert '<sup class="fnref">[^7]</sup>' in html


def test_marks_never_land_inside_attributes():
    text = "见[马斯克](https://x.ai/马斯克)"
    html = render_inline(text, (Mark(2, 5, "term", "glossary"),))
    assert '<a href="https://x.ai/%E9%A9%AC%E6%96%AF%E5%85%8B"' in html
    assert '><mark class="term" title="glossary">马斯克</mark></a>' in html


def test_generation_is_incremental_and_atomic(project):
    make_review_site(project, pseudo)
    site = generate(project.config)
    assert site.written == len([r for r in site.rows if r.page]) and site.unchanged == 0
    pages = {r.page: (site.out / r.page).stat().st_mtime_ns for r in site.rows if r.page}
    index = site.index.stat().st_mtime_ns
    again = generate(project.config)
    assert (again.written, again.unchanged) == (0, len(pages))
    assert {p: (site.out / p).stat().st_mtime_ns for p in pages} == pages and site.index.stat().st_mtime_ns == index
    assert [r.__dict__ for r in again.rows] == [r.__dict__ for r in site.rows]
    po = polib.pofile(str(project.po("news/ev-price-war.md")))
    next(e for e in po if e.msgstr).msgstr += " (edited)"
    po.save()
    third = generate(project.config)
    assert third.written == 1 and third.unchanged == len(pages) - 1
    assert [p for p in pages if (site.out / p).stat().st_mtime_ns != pages[p]] == ["en/news/ev-price-war.html"]
    assert not list(site.out.rglob("*.tmp"))


def test_broken_inputs_get_a_row_and_the_rest_is_generated(project):
    make_review_site(project, pseudo)
    for name in ("binary.md", "invalid-utf8.md", "malformed-yaml.md", "empty.md"):
        shutil.copy(CORPUS.parent / "bad" / name, project.root / "content" / "zh" / "news" / name)
    site = generate(project.config)
    rows = {r.source.rsplit("/", 1)[1]: r for r in site.rows}
    assert "binary file" in rows["binary.md"].problem and "invalid UTF-8" in rows["invalid-utf8.md"].problem
    assert rows["malformed-yaml.md"].problem and rows["empty.md"].problem
    assert all((site.out / r.page).is_file() for r in site.rows if r.page)
    assert len([r for r in site.rows if not r.problem]) == 14  # all but broken.md and the four bad ones


def test_a_partial_run_keeps_the_other_rows_and_a_full_run_drops_deleted_articles(project):
    make_review_site(project, pseudo)
    full = generate(project.config)
    one = generate(project.config, paths=[project.root / "content/zh/news/ev-price-war.md"])
    assert len(one.reviewed) == 1 and [r.source for r in one.rows] == [r.source for r in full.rows]
    (project.root / "content/zh/news/ev-price-war.md").unlink()
    after = generate(project.config)
    assert "content/zh/news/ev-price-war.md" not in {r.source for r in after.rows if r.catalog_state != "orphan"}
    assert not (after.out / "en/news/ev-price-war.html").exists()
    orphan = next(r for r in after.rows if r.catalog_state == "orphan")
    assert orphan.catalog == "locales/en/news/ev-price-war.po" and orphan.page == ""


def test_every_page_is_self_contained(project):
    make_review_site(project, pseudo)
    site = generate(project.config)
    for path in [site.index, *(site.out / r.page for r in site.rows if r.page)]:
        text = path.read_text(encoding="utf-8")
        assert f'content="{CSP}"' in text
        assert re.findall(r"<script\b[^>]*>", text) == [f'<script src="{"../" * (path.relative_to(site.out).as_posix().count("/"))}assets/review.js" defer>']
        assert not re.search(r"<(?:img|iframe|object|embed|link(?! rel=\"stylesheet\" href=\"(?:\.\./)*assets/review\.css\"))\b", text)
        assert not re.search(r"\b(?:src|href)=\"(?:https?:)?//", text.split("<main", 1)[0])
        assert not re.search(r"<[^>]*\son\w+\s*=", text)
    assert {p.name for p in (site.out / "assets").iterdir()} == {"review.css", "review.js"}


def test_cli_review(project):
    make_review_site(project, pseudo)
    result = project.cli("review")
    assert result.exit_code == 1, result.output  # the site is written, but one input could not be read
    assert "page(s) written" in result.output and ".l10n/review/index.html" in result.output
    assert "locales/en/news/broken.po:7: PO syntax error" in result.output  # reported, and shown in the review
    one = project.cli("review", "content/zh/posts/xai-burn-rate.md", "--lang", "en", "--open", "--out", "public/r")
    assert one.exit_code == 0 and "public/r/en/posts/xai-burn-rate.html" in one.output
    assert (project.root / "public/r/index.html").is_file()
    assert project.cli("review", "--lang", "xx").exit_code == 2


def test_a_run_limited_to_one_language_keeps_the_other_languages_pages_and_rows(project):
    """`l10n review --lang en` in a zh -> en, ja project is partial: the ja pages and rows stay."""
    (project.root / "l10n.toml").write_text(config_text("zh", ["en", "ja"]), encoding="utf-8")
    project.add("a.md", "第一段。\n")
    core.extract(project.config)
    full = generate(project.config)
    assert sorted((r.lang, r.page) for r in full.rows) == [("en", "en/a.html"), ("ja", "ja/a.html")]
    assert project.cli("review", "--lang", "en").exit_code == 0
    one = generate(project.config, langs=["en"])
    assert [r.summary.lang for r in one.reviewed] == ["en"]
    assert [(r.lang, r.page) for r in one.rows] == [("en", "en/a.html"), ("ja", "ja/a.html")]
    assert (one.out / "ja/a.html").is_file() and 'ja/a.html' in one.index.read_text(encoding="utf-8")
    again = generate(project.config)  # the state file still vouches for the ja page: nothing to redo
    assert (again.written, again.unchanged) == (0, 2)


def test_a_memory_match_shows_no_translation_memory_comment(project):
    """`translation memory: human` is the entry's state (translated, not a machine draft), not a translator's note."""
    project.add("a.md", "第一段。\n")
    core.extract(project.config)
    po = polib.pofile(str(project.po("a.md")))
    po[0].msgstr, po[0].tcomment = "First.", "checked by Ana\ntranslation memory: human"
    po.save()
    [page] = pages_of(project, "a.md")
    assert [(r.state, r.engine, r.comments) for r in page.rows] == [(TRANSLATED, "", ["checked by Ana"])]


def _random_glossary(rng) -> Glossary:
    """Terms that overlap, nest, share prefixes and have ASCII word boundaries; translations in mixed case."""
    sources = ["马斯克", "埃隆·马斯克", "AI", "xAI", "OpenAI", "AI芯片", "芯片", "a-a", "Grok 3", "克"]
    terms = [Term(source, {"en": rng.choice(["Musk", "AI", "chip", "xAI", "Elon Musk", "a-a", "Kelvin", "ſtar"])},
                  also={"en": tuple(rng.sample(["Musks", "ai", "İstanbul", "Chips", "EMUSK"], rng.randint(0, 2)))},
                  translate=rng.random() < 0.8)
             for source in rng.sample(sources, rng.randint(1, len(sources)))]
    return Glossary(tuple(terms))


def _random_text(rng, pieces: list[str], size: int) -> str:
    return "".join(rng.choice(pieces) for _ in range(rng.randint(0, size)))


_TEXT_PIECES = ["马斯克", "埃隆·马斯克", "AI", "xAI", "OpenAI", "芯片", "a-a-a", "Grok 3", "克", "x", "1", " ",
                "，", "-", "Musk", "musk", "MUSK", "Musks", "chips", "ai", "ſ", "\u212a", "İ", "ı", "Elon Musk",
                "kelvin", "star", "ſtar", "[", "](u)", "`", "**", "xAIs"]


def test_glossary_matches_are_those_of_a_term_by_term_search():
    """`Glossary.matches` (patterns compiled once, an early-exit overlap test) finds what searching each term's
    `term_pattern` longest term first, keeping what overlaps nothing taken, finds."""
    import random

    from l10n.glossary import term_pattern

    def reference(glossary: Glossary, text: str):
        taken = []
        for term in sorted(glossary.terms, key=lambda t: -len(t.source)):
            for match in re.finditer(term_pattern(term.source), text):
                s, e = match.span()
                if all(e <= a or s >= b for a, b, _ in taken):
                    taken.append((s, e, term))
        return sorted(taken, key=lambda m: m[0])

    rng = random.Random(11)
    for _ in range(3000):
        glossary = _random_glossary(rng)
        text = _random_text(rng, _TEXT_PIECES, 12)
        assert glossary.matches(text) == reference(glossary, text), (text, glossary)


def test_only_four_characters_match_ascii_ones_case_insensitively():
    """What lets review test a lowercased translation for a form before searching it (`model._FOLDS_TO_ASCII`):
    besides ASCII, only these code points match an ASCII character under IGNORECASE."""
    import sys

    from l10n.review.model import _FOLDS_TO_ASCII
    ascii_class = re.compile("[\x00-\x7f]", re.IGNORECASE)
    folds = {chr(c) for c in range(0x80, sys.maxunicode + 1) if ascii_class.fullmatch(chr(c))}
    assert folds == {"\u0130", "\u0131", "\u017f", "\u212a"} and all(_FOLDS_TO_ASCII.fullmatch(c) for c in folds)


def test_a_translation_is_searched_for_a_term_as_the_plain_search_finds_it():
    """`_find_forms` skips the search of a form its substring test rules out; it finds what searching every
    form finds, for texts with the characters that fold to ASCII, in any case."""
    import random

    from l10n.glossary import term_pattern
    from l10n.review.model import _FOLDS_TO_ASCII, _find_forms, _forms

    rng = random.Random(12)
    for _ in range(3000):
        [term] = _random_glossary(rng).terms[:1]
        text = _random_text(rng, _TEXT_PIECES, 10)
        flags = re.IGNORECASE if term.translate else 0
        expected = sorted({m.span() for form in _forms(term, "en")
                           for m in re.finditer(term_pattern(form), text, flags)}, key=lambda s: (s[0], -s[1]))
        lowered = None if _FOLDS_TO_ASCII.search(text) else text.lower()
        assert _find_forms(text, lowered, term, "en") == expected, (text, term)



@pytest.mark.parametrize("seed", range(40))
def test_a_text_cannot_forge_the_mark_and_footnote_sentinels(seed):
    """Marks and footnote references are placed as sentinels before rendering and found after. A character
    reference decoding into the sentinels' range (`&#x10FC05;` hit the old private-use sentinels: an
    IndexError or a stray <mark>), or the sentinels typed raw, must render as text, every mark exactly once."""
    import random
    rng = random.Random(seed)
    forged = ["&#x10FC05;", "&#1113093;", "&#x10FFF0;", "&#x10F800;", "&#xFDD0;", "&#xFDD1;", "&#64978;",
              "\ufdd0", "\ufdd1", "\ufdd2", "\ufdd3", "\ufdd00\ufdd3", "\U0010fc00", "[^1]", "术语", "词"]
    text = "".join(rng.choice(forged) + rng.choice([" ", "", "x"]) for _ in range(12))
    terms = [m for m in re.finditer("术语", text)]
    marks = tuple(Mark(m.start(), m.end(), "term", f"tip {i}") for i, m in enumerate(terms))
    marked, plain = render_inline(text, marks), render_plain(text, marks)
    assert marked.count("<mark ") == marked.count("</mark>") == len(marks)
    assert [int(t) for t in re.findall(r'title="tip (\d+)"', marked)] == list(range(len(marks)))
    assert "<mark" not in plain and "</mark>" not in plain
    assert marked.count('class="fnref"') == plain.count('class="fnref"') == text.count("[^1]")
    assert not re.search("[\ufdd0-\ufdef]", marked + plain)  # no sentinel left over, none shown
