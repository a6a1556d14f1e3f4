"""`l10n align`: existing English editions fill the catalogs; nothing of them is lost or overwritten."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from pathlib import Path

import polib
import pytest

from conftest import CORPUS, FIXTURES
from l10n import project as api
from l10n.align import align, align_segments
from l10n.align_score import features
from l10n.config import config_text, load_config
from l10n.document import decode_document
from l10n.formats import format_for
from l10n.formats.markdown.segmenter import extract_segments
from l10n.segment import Segment
from synthetic import KINDS, perturb, synth

REPO = Path(__file__).resolve().parent.parent
SEED_ZH = REPO / "content/zh/posts/xai-burn-rate.md"
SEED_EN = REPO / "content/en/posts/xai-burn-rate.md"
SEED_PO = REPO / "locales/en/posts/xai-burn-rate.po"
KEYS = ("title", "description", "summary", "tags", "categories")  # front matter keys the corpus translates
CORPUS_FILES = (sorted(CORPUS.glob("*.md")) + sorted((FIXTURES / "check/articles").glob("*.md"))
                + sorted((FIXTURES / "align").glob("*.md")) + [SEED_ZH])


def entries(path: Path) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(path)) if not e.obsolete}


def fill(po_path: Path, fn) -> dict[str, str]:
    po = polib.pofile(str(po_path))
    for entry in po:
        entry.msgstr = fn(entry.msgid)
    po.save()
    return {e.msgid: e.msgstr for e in po}


# --- the example article ---------------------------------------------------------------------------

def test_the_seed_catalog_is_rebuilt_from_the_english_edition_alone(project):
    for name in ("l10n.toml", "glossary.yaml"):
        shutil.copy(REPO / name, project.root / name)
    project.add("posts/xai-burn-rate.md", SEED_ZH.read_bytes())
    project.out("posts/xai-burn-rate.md").parent.mkdir(parents=True)
    shutil.copy(SEED_EN, project.out("posts/xai-burn-rate.md"))
    assert project.cli("extract").exit_code == 0
    result = project.cli("align")
    assert result.exit_code == 0, result.output
    assert "40 aligned, 0 fuzzy, 0 unaligned" in result.output
    got, shipped = entries(project.po("posts/xai-burn-rate.md")), entries(SEED_PO)
    assert {m: e.msgstr for m, e in got.items()} == {m: e.msgstr for m, e in shipped.items()}
    assert not [m for m, e in got.items() if "fuzzy" in e.flags]
    assert all(e.tcomment == "aligned from content/en/posts/xai-burn-rate.md" for e in got.values())
    assert project.cli("build").exit_code == 0
    assert project.out("posts/xai-burn-rate.md").read_bytes() == SEED_EN.read_bytes()


def test_building_this_repository_on_a_fresh_clone_passes_the_overwrite_guard(tmp_path):
    for name in ("l10n.toml", "glossary.yaml"):
        shutil.copy(REPO / name, tmp_path / name)
    for folder in ("content", "locales"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    config = load_config(tmp_path)
    assert not (tmp_path / ".l10n").exists()
    results = api.build(config)
    assert [r.errors for r in results] == [[]] and results[0].action == "unchanged"
    assert (tmp_path / "content/en/posts/xai-burn-rate.md").read_bytes() == SEED_EN.read_bytes()


# --- synthetic editions with a known answer ----------------------------------------------------------

@pytest.fixture(scope="module")
def english_editions(tmp_path_factory):
    """Each corpus article with a synthetic English edition built by l10n, and the known answers."""
    root = tmp_path_factory.mktemp("known")
    (root / "l10n.toml").write_text(config_text("zh", ["en"]), encoding="utf-8")
    for path in CORPUS_FILES:
        (root / "content/zh").mkdir(parents=True, exist_ok=True)
        shutil.copy(path, root / "content/zh" / path.name)
    config = load_config(root)
    api.extract(config)
    answers = {}
    for po_path in sorted((root / "locales/en").glob("*.po")):
        answers[po_path.stem] = fill(po_path, synth)
    assert all(not r.errors for r in api.build(config))
    english = {p.stem: (root / "content/en" / p.name).read_bytes() for p in CORPUS_FILES}
    return answers, english


def run_alignment(root: Path, answers, english, kind: str | None):
    """A fresh site whose English editions carry one `kind` of change each; returns the figures."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "l10n.toml").write_text(config_text("zh", ["en"]), encoding="utf-8")
    (root / "content/zh").mkdir(parents=True)
    (root / "content/en").mkdir(parents=True)
    for path in CORPUS_FILES:
        shutil.copy(path, root / "content/zh" / path.name)
    config = load_config(root)
    api.extract(config)
    changes = {}
    for stem, data in english.items():
        text = data.decode("utf-8").lstrip("\ufeff")
        change = None
        if kind and "\r" not in text:
            source_of = {translation: msgid for msgid, translation in answers[stem].items()}
            change = perturb(kind, text, config.front_matter_keys, config.shortcode_params, source_of)
        (root / "content/en" / f"{stem}.md").write_bytes(change.text.encode() if change else data)
        if change:
            changes[stem] = change
    results = {Path(r.source).stem: r for r in align(config)}
    figures = {"unperturbed": 0, "recovered": 0, "wrong": [], "unreported": []}
    for stem, answer in answers.items():
        got = entries(root / "locales/en" / f"{stem}.po")
        change = changes.get(stem)
        touched = change.touched if change else set()
        for msgid, entry in got.items():
            fuzzy = "fuzzy" in entry.flags
            if entry.msgstr and not fuzzy and entry.msgstr != answer[msgid]:
                figures["wrong"].append((stem, msgid, entry.msgstr))
            if msgid not in touched:
                figures["unperturbed"] += 1
                figures["recovered"] += entry.msgstr == answer[msgid] and not fuzzy
        if change:
            result = results[stem]
            reported = any(msgid in touched for _, msgid, _ in result.uncertain) \
                or any(text in touched for _, text in result.unaligned) \
                or (change.added_line is not None and change.added_line in [u.line for u in result.unplaced])
            if not reported:
                figures["unreported"].append((stem, kind))
    return figures, changes


@pytest.fixture(scope="module")
def runs(english_editions, tmp_path_factory):
    """The alignment figures for unchanged editions and for each kind of change (computed once)."""
    answers, english = english_editions
    root = tmp_path_factory.mktemp("runs")
    return {kind: run_alignment(root / (kind or "unchanged"), answers, english, kind) for kind in (None, *KINDS)}


def test_unchanged_english_editions_are_recovered_entirely(runs):
    figures, _ = runs[None]
    assert figures["wrong"] == []
    assert figures["recovered"] == figures["unperturbed"] > 250


@pytest.mark.parametrize("kind", KINDS)
def test_translators_changes_are_reported_and_never_adopted_wrongly(runs, kind):
    figures, changes = runs[kind]
    assert len(changes) >= 1, f"no article offers a place for {kind}"
    assert figures["wrong"] == []  # no entry written non-fuzzy with a wrong translation
    assert figures["unreported"] == []  # every change shows in the report
    assert figures["recovered"] >= 0.98 * figures["unperturbed"]


def test_over_all_changes_99_percent_of_unchanged_entries_are_recovered(runs):
    recovered = sum(runs[kind][0]["recovered"] for kind in KINDS)
    total = sum(runs[kind][0]["unperturbed"] for kind in KINDS)
    assert recovered / total >= 0.99, (recovered, total)


# --- neighbouring blocks given in the other order --------------------------------------------------------

def _segments(data: bytes, name: str = "a.md") -> list[Segment]:
    return extract_segments(decode_document(data, name), KEYS, ())


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_no_swap_of_two_neighbouring_blocks_is_adopted_wrongly(path):
    """Every pair of neighbouring blocks of the synthetic English edition swapped in turn: each entry is
    right, fuzzy or empty, unless nothing the alignment reads tells the two sources apart (the same features:
    two table cells of one length), where the file's order is all there is."""
    inline = format_for(path).standalone
    segments = _segments(path.read_bytes(), path.name)
    english = [dataclasses.replace(s, msgid=synth(s.msgid)) for s in segments]
    body = [k for k, s in enumerate(segments) if not s.key]
    wrong = []
    for a, b in zip(body, body[1:]):
        swapped = list(english)
        swapped[a], swapped[b] = english[b], english[a]
        decisions, _ = align_segments(segments, swapped, inline)
        alike = features(segments[a], True, inline) == features(segments[b], True, inline)
        wrong += [(a, d.segment.msgid, d.translation) for d in decisions
                  if d.status == "aligned" and d.translation != synth(d.segment.msgid) and not alike]
    assert wrong == []


TRADED_ZH = ("## 影响\n\n英伟达表示，新规可能使其季度收入减少约5%。\n\n"
             "AMD 表示，新规可能使其季度收入减少约5%以上，其中数据中心业务受到的影响最大。\n")
TRADED_EN = ("## Impact\n\nAMD expects a quarterly revenue cut of more than 5%.\n\n"
             "Nvidia said the new rules could cut its quarterly revenue by about 5%, a blow it called manageable "
             "but painful.\n")


def test_a_name_that_changed_places_with_the_neighbour_is_a_doubt():
    """Swapped, and each English paragraph as long as the other's source leads one to expect, so the file's
    order scores better than the crossed pairing: only AMD, in the wrong paragraph, tells."""
    inline = format_for(Path("a.md")).standalone
    decisions, _ = align_segments(_segments(TRADED_ZH.encode()), _segments(TRADED_EN.encode()), inline)
    assert [(d.status, d.doubts) for d in decisions if d.segment.comment == "paragraph"] == [
        ("fuzzy", ["its names fit a neighbouring block better (given in the other order?)"])] * 2


# --- front matter, footnotes, layouts ------------------------------------------------------------------

TOML_ZH = '+++\ntitle = "夜间经济的新变化"\ntags = ["城市", "消费"]\ndate = 2024-05-01\n+++\n\n夜市越来越热闹了。\n'
TOML_EN = ('+++\ntitle = "What Is New in the Night Economy"\ntags = ["cities", "consumption"]\ndate = 2024-05-01\n'
           '+++\n\nNight markets are getting busier.\n')
JSON_ZH = '{\n  "title": "夜间经济的新变化",\n  "weight": 3\n}\n\n夜市越来越热闹了。\n'
JSON_EN = '{\n  "title": "What Is New in the Night Economy",\n  "weight": 3\n}\n\nNight markets are getting busier.\n'


@pytest.mark.parametrize("zh, en", [(TOML_ZH, TOML_EN), (JSON_ZH, JSON_EN)], ids=["toml", "json"])
def test_toml_and_json_front_matter_align_by_key(project, zh, en):
    project.add("a.md", zh)
    project.out("a.md").parent.mkdir(parents=True)
    project.out("a.md").write_text(en, encoding="utf-8")
    project.cli("extract")
    assert project.cli("align").exit_code == 0
    got = entries(project.po("a.md"))
    assert got["夜间经济的新变化"].msgstr == "What Is New in the Night Economy"
    assert got["夜市越来越热闹了。"].msgstr == "Night markets are getting busier."
    if "城市" in got:
        assert (got["城市"].msgstr, got["消费"].msgstr) == ("cities", "consumption")
    assert project.cli("build").exit_code == 0
    assert project.out("a.md").read_text(encoding="utf-8") == en


FOOTNOTES_ZH = """---
title: 脚注的顺序
---

第一句话引用了报告[^a]，第二句话引用了新闻[^b]。

[^a]: 国家统计局，2024年报告。
[^b]: 新华社，2024年5月1日。
"""
FOOTNOTES_EN = """---
title: The Order of Footnotes
---

The first sentence cites a report[^a], the second a news story[^b].

[^b]: Xinhua, May 1, 2024.
[^a]: National Bureau of Statistics, 2024 report.
"""


def test_footnote_definitions_in_another_order_align_by_label(project):
    project.add("a.md", FOOTNOTES_ZH)
    project.out("a.md").parent.mkdir(parents=True)
    project.out("a.md").write_text(FOOTNOTES_EN, encoding="utf-8")
    project.cli("extract")
    result = project.cli("align", "--format", "json")
    assert result.exit_code == 0
    got = entries(project.po("a.md"))
    assert got["国家统计局，2024年报告。"].msgstr == "National Bureau of Statistics, 2024 report."
    assert got["新华社，2024年5月1日。"].msgstr == "Xinhua, May 1, 2024."
    assert not any("fuzzy" in e.flags for e in got.values())
    report = json.loads(result.output)
    file = report["files"][0]
    # Build writes the definitions in the source's order: the file is not given back byte for byte.
    assert file["reproduced"] is False and file["unplaced"]
    assert report["summary"]["aligned"] == 4


def test_a_front_matter_key_the_source_lacks_is_reported_and_guarded(project):
    project.add("a.md", "---\ntitle: 标题\n---\n\n正文。\n")
    english = ("---\ntitle: The Title\ndescription: Written for the English edition only.\n"
               "translator: Jane Doe\n---\n\nThe text.\n")
    project.out("a.md").parent.mkdir(parents=True)
    project.out("a.md").write_text(english, encoding="utf-8")
    project.cli("extract")
    result = project.cli("align", "--format", "json")
    file = json.loads(result.output)["files"][0]
    assert (file["aligned"], file["fuzzy"]) == (2, 0)
    reasons = {u["line"]: u["reason"] for u in file["unplaced"]}
    assert "front matter `description` is not in the source" in reasons[3]
    assert "differ from what `l10n build` writes" in reasons[4]  # translator: copied from the source instead
    assert file["reproduced"] is False
    # Build copies the source's front matter: the extra keys would be lost, so build refuses the file.
    refused = project.cli("build")
    assert refused.exit_code == 1 and "was not written by l10n build" in refused.output
    assert project.out("a.md").read_text(encoding="utf-8") == english
    assert project.cli("build", "--overwrite").exit_code == 0
    assert project.out("a.md").read_text(encoding="utf-8") == "---\ntitle: The Title\n---\n\nThe text.\n"


def test_filename_layout(project):
    (project.root / "l10n.toml").write_text('source_lang = "zh"\ntarget_langs = ["en"]\nlayout = "filename"\n')
    (project.root / "content").mkdir(exist_ok=True)
    (project.root / "content/a.md").write_text("# 标题\n\n正文。\n", encoding="utf-8")
    (project.root / "content/a.en.md").write_text("# Title\n\nThe text.\n", encoding="utf-8")
    project.cli("extract")
    result = project.cli("align")
    assert result.exit_code == 0 and "content/a.en.md" in result.output
    assert {m: e.msgstr for m, e in entries(project.root / "locales/en/a.po").items()} == {
        "标题": "Title", "正文。": "The text."}


def test_missing_or_unreadable_translations(project):
    for name in ("a.md", "b.md", "c.md"):
        project.add(name, "正文。\n")
    project.out("a.md").parent.mkdir(parents=True)
    project.out("a.md").write_text("The text.\n", encoding="utf-8")
    project.out("b.md").write_bytes(b"The \xff text.\n")  # not UTF-8
    project.cli("extract")
    result = project.cli("align")
    assert result.exit_code == 1
    assert "content/en/b.md:1: invalid UTF-8" in result.output
    assert "1 failed" in result.output and "1 no translation" in result.output and "1 written" in result.output
    assert entries(project.po("a.md"))["正文。"].msgstr == "The text."
    explicit = project.cli("align", "content/zh/c.md", "--from", "old/c.md")
    assert explicit.exit_code == 1 and "old/c.md: no such file" in explicit.output


def test_an_explicit_pair_and_existing_translations_are_never_overwritten(project):
    project.add("a.md", "# 标题\n\n第一段。\n\n第二段。\n")
    old = project.root / "old-site/en/a.md"
    old.parent.mkdir(parents=True)
    old.write_text("# Title\n\nThe first paragraph.\n\nThe second paragraph.\n", encoding="utf-8")
    project.cli("extract")
    po = polib.pofile(str(project.po("a.md")))
    po.find("标题").msgstr = "A Translator's Title"
    po.save()
    assert project.cli("align", "content/zh/a.md", "--from", "old-site/en/a.md").exit_code == 0
    got = entries(project.po("a.md"))
    assert got["标题"].msgstr == "A Translator's Title" and not got["标题"].tcomment
    assert got["第一段。"].msgstr == "The first paragraph."
    assert got["第一段。"].tcomment == "aligned from old-site/en/a.md"
    # --force redoes only what align wrote.
    old.write_text("# Title\n\nFirst paragraph, revised.\n\nThe second paragraph.\n", encoding="utf-8")
    assert project.cli("align", "content/zh/a.md", "--from", "old-site/en/a.md", "--force").exit_code == 0
    got = entries(project.po("a.md"))
    assert got["第一段。"].msgstr == "First paragraph, revised."
    assert got["标题"].msgstr == "A Translator's Title"
    usage = project.cli("align", "--from", "old-site/en/a.md")
    assert usage.exit_code == 2 and "exactly one source" in usage.output


def test_a_file_build_wrote_is_not_adopted(project):
    project.add("a.md", "正文。\n")
    project.cli("extract")
    assert project.cli("build").exit_code == 0  # writes the Chinese fallback to content/en/a.md
    result = project.cli("align")
    assert "1 built by l10n" in result.output
    assert entries(project.po("a.md"))["正文。"].msgstr == ""


# --- the overwrite guard of build ----------------------------------------------------------------------

def test_build_never_replaces_a_hand_made_translation(project):
    project.add("a.md", "这篇文章是手工翻译的。\n")
    project.add("b.md", "另一篇。\n")
    project.cli("extract")
    hand = project.out("a.md")
    hand.parent.mkdir(parents=True)
    hand.write_text("This article was translated by hand.\n", encoding="utf-8")
    result = project.cli("build")
    assert result.exit_code == 1
    assert "content/en/a.md: exists and was not written by l10n build; run `l10n align`" in result.output
    assert hand.read_text(encoding="utf-8") == "This article was translated by hand.\n"
    assert project.out("b.md").read_text(encoding="utf-8") == "另一篇。\n"  # the others are still built
    # Once adopted, build writes it: the same text, so nothing is lost.
    assert project.cli("align").exit_code == 0
    assert project.cli("build").exit_code == 0
    assert hand.read_text(encoding="utf-8") == "This article was translated by hand.\n"
    # From then on build owns the file (a later hand edit is rebuilt, as before).
    hand.write_text("edited\n", encoding="utf-8")
    assert project.cli("build").exit_code == 0
    assert hand.read_text(encoding="utf-8") == "This article was translated by hand.\n"


def test_build_overwrite_replaces_it(project):
    project.add("a.md", "正文。\n")
    project.cli("extract")
    project.out("a.md").parent.mkdir(parents=True)
    project.out("a.md").write_text("hand made\n", encoding="utf-8")
    assert project.cli("build", "--overwrite").exit_code == 0
    assert project.out("a.md").read_text(encoding="utf-8") == "正文。\n"


def test_a_build_with_refused_segments_still_owns_its_output(project):
    project.add("a.md", "正文[^1]。\n\n[^1]: 脚注。\n")
    project.cli("extract")
    fill(project.po("a.md"), lambda m: "Text without the reference." if m.startswith("正文") else "Note.")
    assert project.cli("build").exit_code == 1  # the first translation is refused
    fill(project.po("a.md"), lambda m: "Text[^1]." if m.startswith("正文") else "Note.")
    assert project.cli("build").exit_code == 0
    assert project.out("a.md").read_text(encoding="utf-8") == "Text[^1].\n\n[^1]: Note.\n"


def test_json_output_lists_a_refused_source_beside_the_aligned_ones(project, tmp_path):
    """A source skipped before alignment (a symlink out of the project) is a plain result: the JSON
    report gives it the empty alignment figures instead of failing on it."""
    project.add("a.md", "正文。\n")
    project.out("a.md").parent.mkdir(parents=True)
    project.out("a.md").write_text("The text.\n", encoding="utf-8")
    (tmp_path / "outside.md").write_text("外面。\n", encoding="utf-8")
    os.symlink(tmp_path / "outside.md", project.root / "content/zh/leak.md")
    project.cli("extract")
    result = project.cli("align", "--format", "json")
    assert result.exit_code == 0, result.output
    files = {f["source"]: f for f in json.loads(result.output)["files"]}
    assert files["content/zh/a.md"]["aligned"] == 1
    assert (files["content/zh/leak.md"]["action"], files["content/zh/leak.md"]["aligned"]) == ("skipped", 0)
