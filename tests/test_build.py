"""Build: translations go in place, everything else is copied byte for byte."""

from __future__ import annotations

import polib
import pytest

from l10n import writes

ARTICLE = """---
title: 标题
draft: false
---
> 引用的第一行
> 引用的第二行

正文[^1]见[链接](https://example.com/x)和`代码`。

[^1]: 脚注。
"""


def set_translations(po_path, mapping, fuzzy=()):
    po = polib.pofile(str(po_path))
    for entry in po:
        if entry.msgid in mapping:
            entry.msgstr = mapping[entry.msgid]
            if entry.msgid in fuzzy:
                entry.flags.append("fuzzy")
    po.save()


@pytest.mark.parametrize("raw", [
    b"\xef\xbb\xbf---\r\ntitle: \xe6\xa0\x87\xe9\xa2\x98\r\n---\r\n\xe6\xad\xa3\xe6\x96\x87  \r\n\r\n\t- \xe9\xa1\xb9",
    b"# \xe6\xa0\x87\xe9\xa2\x98\n\n\xe6\xad\xa3\xe6\x96\x87\t \n\n\n\n```\n\tcode\n```",
    b"\xe5\x8f\xaa\xe6\x9c\x89\xe4\xb8\x80\xe8\xa1\x8c\r",
])
def test_no_translations_gives_back_the_source_byte_for_byte(project, raw):
    project.add("a.md", raw)
    assert project.cli("extract").exit_code == 0
    assert project.cli("build").exit_code == 0
    assert project.out("a.md").read_bytes() == raw


def test_translations_replace_segments_in_place_with_container_syntax_kept(project):
    project.add("a.md", ARTICLE.replace("\n", "\r\n"))
    project.cli("extract")
    set_translations(project.po("a.md"), {
        "标题": "Title: with colon",
        "引用的第一行引用的第二行": "Quoted first line  \nand a hard break",
        "正文[^1]见[链接](https://example.com/x)和`代码`。": "Text[^1], see [link](https://example.com/x) and `代码`.",
        "脚注。": "Footnote.",
    })
    assert project.cli("build").exit_code == 0
    assert project.out("a.md").read_bytes().decode() == (
        '---\r\ntitle: "Title: with colon"\r\ndraft: false\r\n---\r\n'
        "> Quoted first line  \r\n> and a hard break\r\n\r\n"
        "Text[^1], see [link](https://example.com/x) and `代码`.\r\n\r\n[^1]: Footnote.\r\n"
    )


def test_fuzzy_is_used_only_when_asked_and_strict_refuses_gaps(project):
    project.add("a.md", ARTICLE)
    project.cli("extract")
    set_translations(project.po("a.md"), {"标题": "Title", "脚注。": "Footnote."}, fuzzy=("脚注。",))
    result = project.cli("build")
    assert result.exit_code == 0
    assert "not translated or fuzzy" in result.output
    built = project.out("a.md").read_text()
    assert "title: Title" in built and "[^1]: 脚注。" in built
    assert project.cli("build", "--fuzzy").exit_code == 0
    assert "[^1]: Footnote." in project.out("a.md").read_text()

    project.out("a.md").unlink()
    strict = project.cli("build", "--strict")
    assert strict.exit_code == 1
    assert "content/zh/a.md:5:" in strict.output and "--strict" in strict.output
    assert not project.out("a.md").exists()


def test_a_translation_that_would_break_the_document_is_refused_alone(project):
    project.add("a.md", ARTICLE)
    project.cli("extract")
    set_translations(project.po("a.md"), {
        "标题": "Title",
        "正文[^1]见[链接](https://example.com/x)和`代码`。": "Text, see [link](https://evil.example/x) and `code.",
        "脚注。": "# Footnote.",
    })
    result = project.cli("build")
    assert result.exit_code == 1
    assert "content/zh/a.md:8: translation refused (locales/en/a.po:" in result.output
    assert "footnote reference lost: [^1]" in result.output
    assert "link URL lost: https://example.com/x" in result.output
    assert "unbalanced code span" in result.output
    assert "content/zh/a.md:10: translation refused" in result.output and "'#'" in result.output
    built = project.out("a.md").read_text()
    assert "title: Title" in built  # the rest of the file still builds
    assert "正文[^1]见[链接](https://example.com/x)和`代码`。" in built


def test_a_catalog_older_than_its_source_is_an_error_naming_extract(project):
    source = project.add("a.md", ARTICLE)
    project.add("b.md", "第二篇。\n")
    project.cli("extract")
    source.write_text(ARTICLE + "\n新段落。\n", encoding="utf-8")
    result = project.cli("build")
    assert result.exit_code == 1
    assert "content/zh/a.md: the source changed since locales/en/a.po was extracted; run `l10n extract`" \
        in result.output
    assert not project.out("a.md").exists()
    assert project.out("b.md").read_text() == "第二篇。\n"


def test_a_catalog_copied_from_another_article_is_refused(project):
    project.add("a.md", ARTICLE)
    project.add("b.md", "第二篇。\n")
    project.cli("extract")
    project.po("b.md").write_bytes(project.po("a.md").read_bytes())
    result = project.cli("build")
    assert result.exit_code == 1
    assert "locales/en/b.po: this catalog belongs to content/zh/a.md" in result.output


def test_filename_layout_writes_next_to_the_source(tmp_path, monkeypatch):
    from conftest import Project
    project = Project(tmp_path / "hugo", monkeypatch)
    (project.root / "l10n.toml").write_text('source_lang = "zh"\ntarget_langs = ["en", "ja"]\n'
                                            'layout = "filename"\n', encoding="utf-8")
    post = project.root / "content" / "posts" / "a.md"
    post.parent.mkdir(parents=True)
    post.write_text("正文。\n", encoding="utf-8")
    assert project.cli("extract").exit_code == 0
    assert project.cli("build").exit_code == 0
    assert (project.root / "content/posts/a.en.md").read_text() == "正文。\n"
    assert (project.root / "locales/ja/posts/a.po").exists()
    assert project.cli("extract").output.count("unchanged") == 1  # a.en.md / a.ja.md are not sources


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "out.md"
    target.write_bytes(b"old")

    def crash(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(writes.os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        writes.atomic_write(target, b"new content", tmp_path)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]


def test_incremental_build_redoes_only_changed_or_hand_edited_outputs(project):
    project.add("a.md", ARTICLE)
    project.add("b.md", "第二篇。\n")
    project.cli("extract")
    assert "build: 2 written" in project.cli("build").output
    assert "build: 2 unchanged" in project.cli("build").output

    set_translations(project.po("a.md"), {"标题": "Title"})
    project.out("b.md").write_text("edited by hand\n", encoding="utf-8")
    rerun = project.cli("build")
    assert "written content/en/a.md" in rerun.output and "written content/en/b.md" in rerun.output
    assert "title: Title" in project.out("a.md").read_text()
    assert project.out("b.md").read_text() == "第二篇。\n"
    assert "build: 2 unchanged" in project.cli("build").output


def test_an_output_that_cannot_be_written_fails_alone_and_the_state_is_saved(project):
    """An OSError at the batch's flush (a folder where an output goes) costs that output only: the
    other articles are built and recorded, the run ends with that file's error, no temporary file is left."""
    project.add("a.md", "甲。\n")
    project.add("b.md", "乙。\n")
    project.cli("extract")
    project.out("a.md").mkdir(parents=True)
    result = project.cli("build")
    assert result.exit_code != 0
    assert "cannot write" in result.output and "a.md" in result.output
    assert project.out("b.md").read_text(encoding="utf-8") == "乙。\n"
    assert project.out("a.md").is_dir() and list(project.out("a.md").iterdir()) == []
    assert [p.name for p in project.out("b.md").parent.iterdir() if p.name.endswith(".tmp")] == []
    state = (project.root / ".l10n" / "build-state.json").read_text(encoding="utf-8")
    assert "content/en/b.md" in state and "content/en/a.md" not in state


def test_a_catalog_saved_while_building_makes_the_output_stale(project, monkeypatch):
    """The stamp is of the catalog bytes the output was rendered from, not of a second read: a save
    between the render and the stamp must be built by the next run, not taken as already built."""
    import l10n.project
    project.add("a.md", "甲。\n")
    project.cli("extract")
    write = l10n.project.replace_unless_changed  # how build writes an output

    def save_meanwhile(*args, **kwargs):
        monkeypatch.setattr(l10n.project, "replace_unless_changed", write)
        set_translations(project.po("a.md"), {"甲。": "A."})  # a translator saves during the build
        return write(*args, **kwargs)

    monkeypatch.setattr(l10n.project, "replace_unless_changed", save_meanwhile)
    assert project.cli("build").exit_code == 0
    assert project.out("a.md").read_text(encoding="utf-8") == "甲。\n"  # rendered from the older catalog
    assert project.cli("build").exit_code == 0
    assert project.out("a.md").read_text(encoding="utf-8") == "A.\n"


def test_other_sections_and_a_moved_checkout_leave_outputs_fresh(project, tmp_path, monkeypatch):
    """The stamp holds the settings a build depends on, not `[translate]`/`[check]` nor where the project is."""
    import shutil

    import l10n.project
    from l10n.config import load_config
    project.add("a.md", "甲。\n")
    project.cli("extract")
    assert project.cli("build").exit_code == 0
    rendered = []
    render = l10n.project.translate_article
    monkeypatch.setattr(l10n.project, "translate_article", lambda *a, **k: rendered.append(a) or render(*a, **k))
    with (project.root / "l10n.toml").open("a", encoding="utf-8") as toml:
        toml.write('\n[translate]\nengine = "libre"\n\n[check]\npunctuation = false\n')
    l10n.project.build(load_config(project.root))
    moved = tmp_path / "moved"
    shutil.copytree(project.root, moved)
    monkeypatch.chdir(moved)
    l10n.project.build(load_config(moved))
    assert rendered == []
    (moved / "l10n.toml").write_text((moved / "l10n.toml").read_text(encoding="utf-8").replace(
        'shortcode_params = ["caption", "title", "alt"]', 'shortcode_params = ["caption"]'), encoding="utf-8")
    l10n.project.build(load_config(moved))
    assert len(rendered) == 1


def test_two_builds_saving_the_state_keep_each_others_records(project):
    """Two builds on one tree (e.g. `--shard 1/2` and `--shard 2/2`) read the state at their start: the
    second save applies its records on top of the first's instead of writing its own older copy whole."""
    from l10n.state import STATE_FILE, BuildState
    path = project.root / STATE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"content/en/old.md": ["s0", "d0"]}', encoding="utf-8")
    first, second = BuildState(path, project.root), BuildState(path, project.root)
    first.record("content/en/a.md", "s1", "d1")
    second.record("content/en/b.md", "s2", "d2")
    second.record("content/en/old.md", "s3", "d3")
    first.save()
    second.save()
    assert BuildState(path, project.root).outputs == {
        "content/en/a.md": ["s1", "d1"], "content/en/b.md": ["s2", "d2"], "content/en/old.md": ["s3", "d3"]}


def test_a_translation_saved_by_hand_while_build_runs_is_kept(project, monkeypatch):
    """Build judges an output (absent: free to write) and renames it at the end of its batch: a translation
    someone saves there in between is hand-made, so it is kept and that file fails, as it would have before
    the build started (the overwrite guard is checked again just before the rename)."""
    project.add("a.md", "甲。\n")
    project.cli("extract")
    set_translations(project.po("a.md"), {"甲。": "A."})
    out = project.out("a.md")
    flush = writes.Batch.flush

    def saved_first(self):
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("Mine.\n", encoding="utf-8")  # an editor saves while the batch is pending
        flush(self)

    monkeypatch.setattr(writes.Batch, "flush", saved_first)
    result = project.cli("build")
    assert result.exit_code == 1 and "was not written by l10n build" in result.output
    assert out.read_text(encoding="utf-8") == "Mine.\n"
    monkeypatch.setattr(writes.Batch, "flush", flush)
    assert project.cli("build").exit_code == 1  # still someone's own: never taken silently
    assert project.cli("build", "--overwrite").exit_code == 0
    assert out.read_text(encoding="utf-8") == "A.\n"
