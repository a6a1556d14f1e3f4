"""The repository is a working example: its English edition is complete and rebuilds exactly."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from l10n import project as api
from l10n.config import load_config

REPO = Path(__file__).resolve().parent.parent
SEED_PO = REPO / "locales" / "en" / "posts" / "xai-burn-rate.po"
SEED_OUT = REPO / "content" / "en" / "posts" / "xai-burn-rate.md"
HAN = set(range(0x4E00, 0xA000))


@pytest.fixture
def site(tmp_path):
    """A copy of the repository's example site, so tests never touch the real files."""
    for name in ("l10n.toml", "glossary.yaml"):
        shutil.copy(REPO / name, tmp_path / name)
    shutil.copytree(REPO / "content" / "zh", tmp_path / "content" / "zh")
    shutil.copytree(REPO / "locales", tmp_path / "locales")
    return tmp_path


def test_every_segment_of_the_seed_is_translated_and_reviewed():
    po = polib.pofile(str(SEED_PO))
    active = [e for e in po if not e.obsolete]
    assert len(active) > 30
    assert po.percent_translated() == 100
    assert [e.msgid for e in active if "fuzzy" in e.flags] == []
    assert [e.msgid for e in active if any(ord(ch) in HAN for ch in e.msgstr)] == []


def test_building_the_seed_reproduces_the_committed_english_edition(site):
    config = load_config(site)
    assert all(r.action == "unchanged" for r in api.extract(config)), "locales/ is out of date: run l10n extract"
    results = api.build(config)
    assert [r.errors for r in results] == [[]]
    assert (site / "content/en/posts/xai-burn-rate.md").read_bytes() == SEED_OUT.read_bytes()


def test_the_english_edition_keeps_every_footnote_and_url():
    source = (REPO / "content/zh/posts/xai-burn-rate.md").read_text(encoding="utf-8")
    english = SEED_OUT.read_text(encoding="utf-8")
    for label in range(1, 8):
        assert english.count(f"[^{label}]: ") == source.count(f"[^{label}]: ") == 1
        assert english.count(f"[^{label}]") == source.count(f"[^{label}]")
    for url in ("https://news.qq.com/rain/a/20241215A0355J00", "https://www.yicai.com/news/102016660.html"):
        assert url in english
    assert english.split("\n---\n")[0].count("\n") == source.split("\n---\n")[0].count("\n")
    assert "date: 2025-06-19T11:20:04+08:00" in english and "featured_image: images/default (8).png" in english


@pytest.mark.skipif(shutil.which("msgfmt") is None and not os.environ.get("CI"), reason="needs GNU gettext")
def test_every_catalog_in_the_repository_passes_msgfmt_check():
    for po in sorted(REPO.glob("locales/**/*.po")):
        subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(po)], check=True)
