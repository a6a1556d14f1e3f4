"""The review site's pages, written without a sync each, are all made durable before the state names them."""

from __future__ import annotations

from conftest import pseudo
from l10n.review import generate


def test_every_written_page_is_synced(project, monkeypatch):
    """`sync_files` is given every page written: off Linux (no `syncfs`) it `fsync`s each file it is given."""
    import l10n.review.site as site_module
    for name in ("a.md", "b.md", "c.md"):
        project.add(name, "一段。\n")
    project.cli("extract")
    for name in ("a.md", "b.md", "c.md"):
        project.translate_all(name, pseudo)
    synced: list[str] = []
    monkeypatch.setattr(site_module, "sync_files", lambda paths: synced.extend(paths))
    site = generate(project.config)
    pages = sorted(str(site.out / r.page) for r in site.rows if r.page)
    assert len(pages) == 3 and sorted(synced) == pages
