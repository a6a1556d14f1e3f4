"""`l10n review`: a static side-by-side review site of a project's translations.

    from l10n.review import generate
    site = generate(load_config())          # .l10n/review/index.html + one page per article and language
    site.rows                               # the index rows (`model.Summary`)

Modules: `model` (what each index row and segment row holds, from the checks, catalogs, build and
glossary), `html` (the pages, everything escaped, Markdown rendered without raw HTML), `site`
(incremental, parallel generation), `assets/` (the stylesheet and script every page loads).
"""

from .model import ArticlePage, Row, Summary, article_pages, page_path
from .site import DEFAULT_OUT, Site, generate

__all__ = ["DEFAULT_OUT", "ArticlePage", "Row", "Site", "Summary", "article_pages", "generate", "page_path"]
