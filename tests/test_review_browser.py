"""`l10n review` in a real headless Chromium (Debian's `chromium`, driven by Playwright).

Skipped only when no Chromium is installed (CI installs it: see .ci/run). Screenshots are written to
the test's temporary folder, or to `$L10N_REVIEW_SCREENSHOTS` (how docs/review-*.png are made).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import Project, pseudo
from l10n.review import generate
from review_site import EDITED_FROM, EDITED_TO, INJECTION, make_review_site

CHROMIUM = os.environ.get("L10N_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(not CHROMIUM, reason="no Chromium installed (apt-get install chromium)")
WIDTHS = {"desktop": (1400, 900), "phone": (360, 740)}
SCREENSHOTS = Path(os.environ["L10N_REVIEW_SCREENSHOTS"]).resolve() if os.environ.get("L10N_REVIEW_SCREENSHOTS") \
    else None


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    try:
        project = Project(tmp_path_factory.mktemp("review") / "example", monkeypatch)
        make_review_site(project, pseudo)
        yield generate(project.config)
    finally:
        monkeypatch.undo()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright  # the `test` extra installs it

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM)
        yield chromium
        chromium.close()


class Watched:
    """A page whose requests, console messages and script errors are all recorded."""

    def __init__(self, browser, site, width: str = "desktop"):
        w, h = WIDTHS[width]
        self.context = browser.new_context(viewport={"width": w, "height": h})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.console: list[str] = []
        self.root = site.out.resolve().as_uri() + "/"

        def intercept(route):
            self.requests.append(route.request.url)
            if route.request.url.startswith(self.root):
                route.continue_()
            else:
                route.abort()

        self.context.route("**/*", intercept)
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}") if m.type in ("error", "warning")
                     else None)
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))

    def open(self, relative: str):
        self.page.goto(self.root + relative)
        self.page.wait_for_load_state("load")
        return self.page

    def clean(self) -> None:
        """Nothing requested outside the site, nothing on the console."""
        assert [u for u in self.requests if not u.startswith(self.root)] == []
        assert self.console == []

    def close(self):
        self.context.close()


@pytest.fixture
def watched(browser, site):
    opened = []

    def make(width: str = "desktop") -> Watched:
        opened.append(Watched(browser, site, width))
        return opened[-1]

    yield make
    for w in opened:
        w.close()


def test_the_index_lists_every_article_with_its_counts(site, watched):
    w = watched()
    page = w.open("index.html")
    rows = page.locator("#articles tbody tr")
    assert rows.count() == len(site.rows) == 15
    for summary in site.rows:
        row = page.locator(f'#articles tbody tr[data-path="{summary.source}"]')
        assert row.count() == 1
        assert row.locator("td.errors").inner_text() == str(summary.errors)
        assert row.locator("td.warnings").inner_text() == str(summary.warnings)
        assert row.locator("td.cat").inner_text() == summary.catalog_state
        if summary.translated is not None:
            assert f"{summary.translated}/{summary.total}" in row.locator("td.coverage").inner_text()
    totals = page.locator("#totals").inner_text()
    assert f"{sum(r.translated or 0 for r in site.rows)}" in totals
    assert page.locator("#shown").inner_text() == "15 of 15 shown"
    assert sum(r.flagged for r in site.rows) == 1 and "flagged by qa" in totals.lower()
    page.check("#f-errors")  # errors, or machine drafts flagged by the QA loop
    assert page.locator("#articles tbody tr:not([hidden])").count() == sum(1 for r in site.rows
                                                                           if r.errors or r.flagged)
    page.uncheck("#f-errors")
    page.select_option("#f-state", "edited by hand")
    assert page.locator("#articles tbody tr:not([hidden])").count() == 1
    page.select_option("#f-state", "")
    page.click('th[data-sort="errors"] button')
    page.click('th[data-sort="errors"] button')  # descending
    first = page.locator("#articles tbody tr").first.get_attribute("data-errors")
    assert int(first) == max(r.errors for r in site.rows)
    w.clean()


def test_clicking_an_article_opens_its_page(site, watched):
    w = watched()
    page = w.open("index.html")
    page.click("text=Elon Musk Is Betting $1 Billion a Month")
    page.wait_for_load_state("load")
    assert page.url.endswith("/en/posts/xai-burn-rate.html")
    assert page.locator("header.top h1").inner_text().startswith("Elon Musk Is Betting")
    assert page.locator("#segments .seg[id]").count() == 40
    page.click("#to-index")
    page.wait_for_load_state("load")
    assert page.url.endswith("/index.html")
    w.clean()


def test_the_fuzzy_diff_shows_the_changed_characters(watched):
    w = watched()
    page = w.open("en/posts/xai-burn-rate.html")
    row = page.locator(".seg.st-fuzzy")
    assert row.count() == 1
    assert row.locator(".chardiff del").all_inner_texts() == [EDITED_FROM[:2]]
    assert row.locator(".chardiff ins").all_inner_texts() == [EDITED_TO[:2]]
    assert row.locator(".state").first.inner_text() == "fuzzy"
    w.clean()


def test_a_script_in_a_translation_is_text_in_every_view(watched):
    w = watched()
    for relative in ("en/news/night-economy.html", "en/news/hostile.html"):
        page = w.open(relative)
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.locator("#segments script, #reader script, #segments img, #reader img").count() == 0
        assert page.locator('a[href^="javascript"]').count() == 0
        page.keyboard.press("r")  # the rendered reader view
        assert page.locator("#reader").is_visible() and not page.locator("#segments").is_visible()
        assert page.evaluate("typeof window.__pwned") == "undefined"
    page = w.open("en/news/night-economy.html")
    assert INJECTION in page.locator("#segments").inner_text()
    assert page.locator(".seg .tag.refused").count() == 1
    page = w.open("en/news/hostile.html")
    page.keyboard.press("r")
    reader = page.locator("#reader").inner_text()
    assert "<script>window.__pwned = 7</script>" in reader  # the source's HTML block, as text
    assert 'onerror="window.__pwned = 6"' in reader
    w.clean()


def test_j_k_and_n_move_the_focus(site, watched):
    w = watched()
    page = w.open("en/news/chip-export.html")
    focused = lambda: page.evaluate("document.activeElement.id")  # noqa: E731
    page.keyboard.press("j")
    assert focused() == "s1"
    page.keyboard.press("j")
    assert focused() == "s2"
    page.keyboard.press("k")
    assert focused() == "s1"
    page.keyboard.press("n")
    problem = focused()
    assert page.locator(f"#{problem}").get_attribute("data-problem") == "1"
    assert page.locator(f"#{problem} .src").inner_text() == "背景"
    page.keyboard.press("n")
    assert focused() != problem or page.locator(".seg[data-problem='1']").count() == 1
    page = w.open("en/corpus/yaml-basic.html")  # a machine draft flagged by the QA loop is a problem to stop at
    target = page.locator(".seg:has(.tag.qa)").get_attribute("id")
    for _ in range(page.locator(".seg[data-problem='1']").count()):
        page.keyboard.press("n")
        if focused() == target:
            break
    flagged = page.locator(f"#{focused()}")
    assert focused() == target and flagged.locator(".tag.qa").inner_text() == "flagged by QA"
    assert "machine draft flagged by QA: numbers: '140亿'" in flagged.locator(".notes").inner_text()
    assert "sev-error" in flagged.get_attribute("class")
    w.clean()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_screenshots(site, watched, width, tmp_path):
    folder = SCREENSHOTS or tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    w = watched(width)
    page = w.open("index.html")
    page.screenshot(path=str(folder / f"review-index-{width}.png"))
    page = w.open("en/posts/xai-burn-rate.html")
    page.keyboard.press("n")  # the fuzzy entry: its diff, comment and glossary terms
    page.screenshot(path=str(folder / f"review-article-{width}.png"))
    # nothing overflows sideways at this width
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.keyboard.press("r")
    page.screenshot(path=str(folder / f"review-reader-{width}.png"))
    for name in ("index", "article", "reader"):
        assert (folder / f"review-{name}-{width}.png").stat().st_size > 10_000
    w.clean()


def test_print_shows_every_segment(watched):
    w = watched()
    page = w.open("en/news/chip-export.html")
    page.check("#only-problems")
    page.emulate_media(media="print")
    hidden = page.evaluate("[...document.querySelectorAll('.seg[id]')].filter(e => getComputedStyle(e).display"
                           " === 'none').length")
    assert hidden == 0
    assert page.evaluate("getComputedStyle(document.querySelector('.tools')).display") == "none"
    w.clean()
