"""Red-team findings: each test states the behaviour the guarantees promise and fails today (strict xfail).

"A translator's work is never lost, the English edition is never silently wrong." Each case is a minimal
reproduction of a defect found by fuzzing build against Hugo 0.168 (goldmark), by interrupting running
commands, and by PO files as gettext tools accept them. The report with severities and suggested fixes is
kept outside the repository (the lead's notes); the reason of each mark names the mechanism.
When a defect is fixed, its test passes, strict xfail fails, and the mark is removed.
"""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from typer.testing import CliRunner

from l10n import project as l10n_project
from l10n.cli import app
from l10n.state import BuildState


def translate(project, rel: str, mapping: dict[str, str]) -> None:
    po = polib.pofile(str(project.po(rel)))
    for entry in po:
        entry.msgstr = mapping.get(entry.msgid, entry.msgstr)
    po.save()


def edited_by_a_tool(project, old: str, new: str, rel: str = "a.md") -> None:
    """The catalog as a gettext tool or an editor may leave it: `old` (its first occurrence) made `new`."""
    po_path = project.po(rel)
    po_path.write_text(po_path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def built(project, rel: str = "a.md") -> str:
    return project.out(rel).read_text(encoding="utf-8")


# --- The English edition silently wrong: build and check judge with markdown-it, Hugo renders with goldmark ---

@pytest.mark.parametrize("source, translation, written", [
    ("这是一段话。", "Type {{< to open a shortcode.", "{{<"),  # Hugo's lexer fails the whole site
    ("定义列表测试。", "Term\n: a definition list in Hugo", "\n: "),  # goldmark's definition list
    ("当 $a < b$ 时成立。", "It holds when $a > b$.", "$a > b$"),  # a formula changed
])
def test_a_translation_hugo_reads_otherwise_is_refused(project, source, translation, written):
    project.add("a.md", source + "\n")
    project.cli("extract")
    translate(project, "a.md", {source: translation})
    project.cli("build")
    assert written not in built(project)  # refused: the source text stays
    assert project.cli("check").exit_code == 1


def test_a_yaml_value_that_yaml_1_2_reads_as_a_number_is_quoted(project):
    project.add("a.md", "---\ntitle: 标题\n---\n正文。\n")
    project.cli("extract")
    translate(project, "a.md", {"标题": "0o17", "正文。": "Body."})
    project.cli("build")
    assert "title: 0o17\n" not in built(project)


def test_a_raw_string_shortcode_caption_is_offered_or_reported(project):
    project.add("a.md", "段落。\n\n{{< figure src=\"a.png\" caption=`图片说明` >}}\n")
    result = project.cli("extract")
    offered = [entry.msgid for entry in polib.pofile(str(project.po("a.md")))]
    assert "图片说明" in offered or "图片说明" in result.output


# --- A translator's work blocked or demoted ---

def test_an_interrupted_build_does_not_disown_its_outputs(project, monkeypatch):
    project.add("a.md", "第一段。\n\n第二段。\n")
    project.cli("extract")
    translate(project, "a.md", {"第一段。": "First."})

    save = BuildState.save

    def interrupted(self):
        if project.out("a.md").exists():  # (build also saves at its start, taking in earlier interrupted runs)
            raise KeyboardInterrupt  # Ctrl-C (or kill -9) after the outputs were renamed, before the state is saved
        save(self)

    with monkeypatch.context() as patch:
        patch.setattr(BuildState, "save", interrupted)
        with pytest.raises(KeyboardInterrupt):
            l10n_project.build(project.config)
    assert project.out("a.md").exists()
    translate(project, "a.md", {"第二段。": "Second."})  # the translator goes on
    result = project.cli("build")
    assert result.exit_code == 0, result.output
    assert built(project) == "First.\n\nSecond.\n"


def test_a_translator_comment_without_a_space_is_read(project):
    project.add("a.md", "第一段。\n")
    project.cli("extract")
    translate(project, "a.md", {"第一段。": "First."})
    edited_by_a_tool(project, "#. paragraph\n", "#TODO check the term\n#. paragraph\n")
    result = project.cli("build")
    assert result.exit_code == 0, result.output
    assert built(project) == "First.\n"


def test_an_entry_with_a_msgctxt_stays_reviewed_after_a_source_edit(project):
    project.add("a.md", "第一段。\n\n第二段。\n")
    project.cli("extract")
    translate(project, "a.md", {"第一段。": "First.", "第二段。": "Second."})
    edited_by_a_tool(project, 'msgid "第一段。"', 'msgctxt "a"\nmsgid "第一段。"')
    assert project.cli("build").exit_code == 0
    assert built(project).startswith("First.")
    project.add("a.md", "第一段。\n\n第二段改了。\n")
    project.cli("extract")
    project.cli("build")
    assert built(project).startswith("First.")


# --- Path handling: a Hugo language that is not a target ---

HUGO_THREE_LANGUAGES = """\
baseURL = "https://example.org/"
defaultContentLanguage = "zh"
[languages.zh]
weight = 1
[languages.en]
weight = 2
[languages.ja]
weight = 3
"""


def test_a_file_of_another_site_language_is_not_a_source(tmp_path, monkeypatch):
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "hugo.toml").write_text(HUGO_THREE_LANGUAGES, encoding="utf-8")
    (site / "content" / "posts" / "a.md").write_text("中文。\n", encoding="utf-8")
    (site / "content" / "posts" / "a.ja.md").write_text("これは日本語です。\n", encoding="utf-8")
    monkeypatch.chdir(site)
    runner = CliRunner()
    assert runner.invoke(app, ["init", "-t", "en"], catch_exceptions=False).exit_code == 0
    assert runner.invoke(app, ["extract"], catch_exceptions=False).exit_code == 0
    runner.invoke(app, ["build"], catch_exceptions=False)
    assert not Path("locales/en/posts/a.ja.po").exists()
    assert not Path("content/posts/a.ja.en.md").exists()
