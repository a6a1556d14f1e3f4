"""Corpus test: defects of every kind planted into copies of a carefully translated site.

Each defect goes into its own copy (rebuilt, so only the planted defect differs); `check` must find
every one with the expected check, and must find nothing at all on the clean site.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polib

from l10n import project as core
from l10n.checks import check_project
from l10n.config import load_config
from test_check_project import translated_site

C, E, N = "chip-export", "ev-price-war", "night-economy"

# (expected check, article, text in the msgstr, replacement)
ENTRY_DEFECTS = [
    ("numbers", E, "626,000 new-energy", "62,600 new-energy"),
    ("numbers", E, "13.4%", "14.3%"),
    ("numbers", E, "February 19", "February 9"),
    ("numbers", E, "79,800 yuan", "798,000 yuan"),
    ("numbers", E, "14,000 yuan", "1,400 yuan"),
    ("numbers", E, "100 billion yuan", "10 billion yuan"),
    ("numbers", E, "Retrieved April 2, 2024", "Retrieved April 2, 2023"),
    ("numbers", C, "about $5 billion", "about $500 million"),
    ("numbers", C, "On October 17, 2023, the US Commerce Department issued new rules that",
     "On October 7, 2023, the US Commerce Department issued new rules that"),
    ("numbers", C, "by about 30%", "by about 13%"),
    ("numbers", C, "fourth quarter", "third quarter"),
    ("numbers", N, "1.8 trillion", "1.8 billion"),
    ("numbers", N, "from 80,000 yuan", "from 8,000 yuan"),
    ("numbers", N, "3,000 businesses", "300 businesses"),
    ("numbers", N, "as of June 2024", "as of July 2024"),
    ("numbers-extra", N, "more than twenty Chinese cities", "more than 25 Chinese cities"),
    ("footnotes", E, "earlier.[^1]", "earlier."),
    ("footnotes", N, "night-time economy.[^1]", "night-time economy.[^2]"),
    ("footnotes", N, "by 2025.[^note]", "by 2025.[^note][^note]"),
    ("markup", E, "news.php?id=2024", "news.php"),
    ("markup", C, "`A800`", "A800"),
    ("markup", C, "<abbr title=\"Export Administration Regulations\">EAR</abbr>", "EAR"),
    ("markup", N, "<https://example.com/night-economy/report-2023>", "https://example.com/night-economy/report-2023"),
    ("markup", E, "2024-04-01.html", "2024-04-02.html"),
    ("emphasis", E, "**42%**", "**42%"),
    ("emphasis", E, "*most*", "*most"),
    ("emphasis", N, "**15 cities**", "**15 cities"),
    ("block", N, "The survey covered", "# The survey covered"),
    ("block", C, "Phase two:", "> Phase two:"),
    ("block", E, "BYD said on Monday", "1. BYD said on Monday"),
    ("han", E, "626,000 new-energy vehicles", "626,000 新能源汽车"),
    ("han", N, "barbecue restaurant", "烧烤店"),
    ("han", C, "Background", "背景"),
    ("punctuation", E, "from a year earlier.", "from a year earlier。"),
    ("punctuation", N, "broadly similar:", "broadly similar："),
    ("punctuation", C, "$5 billion, or", "$5 billion，or"),
    ("punctuation", E, "one dealer said.", "one dealer said！"),
    ("glossary", E, "the Model Y", "the Model-Y"),
    ("glossary", C, "Nvidia’s H20 to", "Nvidia’s H-20 to"),
    ("glossary", E, "BYD said on Monday", "Biyadi said on Monday"),
    ("glossary", C, "which Nvidia had designed", "which Yingweida had designed"),
    ("terminology", C, "the US Commerce Department issued new rules further", "the US government issued new rules further"),
    ("terminology", N, "to support the night-time economy", "to support nightlife"),
    ("unsafe-html", C, "Regulations\">EAR", "Regulations\" onclick=\"track()\">EAR"),
    ("unsafe-html", E, "(https://www.cpcaauto.com/news.php?id=2024)", "(javascript:alert(1))"),
    ("unsafe-html", N, "The full report is at", "<script>alert(1)</script>The full report is at"),
    ("untranslated", C, "Background", ""),
]


def _edit_catalog(root: Path, article: str, old: str, new: str, fuzzy: bool = False) -> str:
    path = root / "locales/en/news" / f"{article}.po"
    po = polib.pofile(str(path))
    entry = next(e for e in po if old in e.msgstr and not e.obsolete)
    entry.msgstr = entry.msgstr.replace(old, new)
    if fuzzy:
        entry.flags.append("fuzzy")
    po.save()
    return f"locales/en/news/{article}.po"


def _append_to_source(root: Path) -> str:
    source = root / "content/zh/news/chip-export.md"
    source.write_text(source.read_text(encoding="utf-8") + "\n记者将继续关注此事。\n", encoding="utf-8")
    return "locales/en/news/chip-export.po"


def _remove(root: Path, rel: str) -> str:
    (root / rel).unlink()
    return rel


def _orphan(root: Path) -> str:
    shutil.copy(root / "locales/en/news/chip-export.po", root / "locales/en/news/retired.po")
    return "locales/en/news/retired.po"


def _hand_edit(root: Path) -> str:
    out = root / "content/en/news/night-economy.md"
    out.write_text(out.read_text(encoding="utf-8").replace("barbecue", "BBQ"), encoding="utf-8")
    return "content/en/news/night-economy.md"


FILE_DEFECTS = [
    ("fuzzy", lambda root: _edit_catalog(root, N, "The survey covered", "The survey covered", fuzzy=True)),
    ("stale-catalog", _append_to_source),
    ("missing-catalog", lambda root: _remove(root, "locales/en/news/ev-price-war.po") and
     "content/zh/news/ev-price-war.md"),
    ("orphan-catalog", _orphan),
    ("output", _hand_edit),
    ("output", lambda root: _remove(root, "content/en/news/chip-export.md")),
]


def test_planted_defects_are_all_found_and_the_clean_site_raises_no_alarm(project, tmp_path):
    translated_site(project)
    clean = check_project(project.config)
    assert [str(f) for f in clean.findings] == [], "false alarms on the clean site"
    planted = [(check, lambda root, a=a, o=o, n=n: _edit_catalog(root, a, o, n), True)
               for check, a, o, n in ENTRY_DEFECTS] + [(check, plant, False) for check, plant in FILE_DEFECTS]
    missed = []
    for number, (check, plant, rebuild) in enumerate(planted):
        root = tmp_path / f"defect{number:02d}"
        shutil.copytree(project.root, root)
        where = plant(root)
        config = load_config(root)
        if rebuild:
            core.build(config)
        found = {(f.check, f.file) for f in check_project(config).findings}
        if (check, where) not in found:
            missed.append((number, check, where, sorted(found)))
    print(f"\ncorpus: {len(planted) - len(missed)}/{len(planted)} planted defects found, "
          f"{len(clean.findings)} false alarms on the clean site")
    assert len(planted) >= 50
    assert missed == []
