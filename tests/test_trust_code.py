"""A result made by other code is not trusted as current: "nothing changed" covers the code too.

A catalog's header and build's state name the digest of what they were made from. Before, that was the
inputs and l10n's version number only: after an upgrade of markdown-it-py (or of l10n in an editable
install, whose version does not move), extract and build skipped every article as unchanged and kept
what the older code had made. Now the code's own fingerprint is part of what they compare."""

from __future__ import annotations

import sys

import pytest

from l10n import fingerprint
from l10n import project as api
from l10n import state as state_module
from l10n.fingerprint import code_digest, digest
from l10n.runner import Action
from l10n.state import EXTRACTED_BY, STATE_FILE

ARTICLE = "---\ntitle: 标题\n---\n\n第一段。\n\n第二段。\n"


def actions(results) -> list[str]:
    return [str(result.action) for result in results]


@pytest.fixture
def code(monkeypatch):
    """Pretend the code running is `code.version` (as if l10n or its parser were upgraded in between)."""
    class Code:
        version = "old"

    monkeypatch.setattr(state_module, "code_fingerprint", lambda: Code.version)
    return Code


def test_the_code_digest_follows_every_file_of_a_package_but_not_its_bytecode(tmp_path, monkeypatch):
    package = tmp_path / "somepkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("X = 1\n")
    (package / "sub" / "rules.py").write_text("Y = 2\n")
    (package / "data.css").write_text("a {}\n")
    monkeypatch.syspath_prepend(str(tmp_path))

    def fresh() -> str:
        code_digest.cache_clear()
        return code_digest(("somepkg",))

    first = fresh()
    assert fresh() == first
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "x.cpython.pyc").write_bytes(b"\0\1")
    assert fresh() == first, "bytecode is not code"
    for path, text in ((package / "sub" / "rules.py", "Y = 3\n"), (package / "data.css", "a { b: c }\n")):
        before = fresh()
        path.write_text(text)
        assert fresh() != before, path
    before = fresh()
    (package / "sub" / "rules.py").rename(package / "sub" / "other.py")
    assert fresh() != before, "a file's name is part of the code"
    code_digest.cache_clear()
    assert code_digest(("no_such_package_here",)) != code_digest(())
    sys.modules.pop("somepkg", None)


def test_the_code_fingerprint_covers_l10n_and_its_parsers():
    assert set(fingerprint.CODE_PACKAGES) >= {"l10n", "markdown_it", "mdit_py_plugins", "yaml", "polib"}
    assert fingerprint.code_fingerprint() == code_digest(fingerprint.CODE_PACKAGES)


def test_extract_with_other_code_reads_every_source_again(project, code):
    project.add("a.md", ARTICLE)
    project.add("b.md", ARTICLE.replace("第二段", "另一段"))
    assert actions(api.extract(project.config)) == ["written", "written"]
    assert (project.root / EXTRACTED_BY).read_text() == "old"
    # A catalog as an older segmenter made it: one entry short, its header naming this very source.
    po_path = project.po("a.md")
    made_by_old_code = po_path.read_text(encoding="utf-8").replace('msgid "第二段。"\nmsgstr ""\n', "")
    assert made_by_old_code != po_path.read_text(encoding="utf-8")
    po_path.write_text(made_by_old_code, encoding="utf-8")

    assert actions(api.extract(project.config)) == ["unchanged", "unchanged"]  # the same code: trusted
    assert po_path.read_text(encoding="utf-8") == made_by_old_code

    code.version = "new"
    assert actions(api.extract(project.config)) == ["written", "unchanged"]
    assert 'msgid "第二段。"' in po_path.read_text(encoding="utf-8")
    assert (project.root / EXTRACTED_BY).read_text() == "new"


def test_only_a_complete_extract_without_failure_vouches_for_the_catalogs(project, code):
    a = project.add("a.md", ARTICLE)
    b = project.add("b.md", ARTICLE.replace("第二段", "另一段"))
    api.extract(project.config)
    code.version = "new"
    api.extract(project.config, [a])  # part of the project: b's catalog is still the old code's
    assert (project.root / EXTRACTED_BY).read_text() == "old"
    b.write_bytes(b"---\ntitle: [unclosed\n---\n\xe6\x96\x87\n")
    results = api.extract(project.config)
    assert Action.FAILED in [result.action for result in results]
    assert (project.root / EXTRACTED_BY).read_text() == "old"
    b.write_text(ARTICLE, encoding="utf-8")
    api.extract(project.config)
    assert (project.root / EXTRACTED_BY).read_text() == "new"


def test_extracting_an_unchanged_source_again_rewrites_nothing(project, monkeypatch):
    """A complete extract with new code reads every source; one whose entries come out the same keeps its
    catalog byte for byte, POT-Creation-Date included (it was stamped with the time of every run)."""
    project.add("a.md", ARTICLE)
    api.extract(project.config)
    po_path = project.po("a.md")
    before = po_path.read_bytes()
    (project.root / EXTRACTED_BY).unlink()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # a later run
    assert actions(api.extract(project.config)) == ["unchanged"]
    assert po_path.read_bytes() == before
    project.add("a.md", ARTICLE + "\n第三段。\n")
    assert actions(api.extract(project.config)) == ["written"]
    assert b"POT-Creation-Date: 2027-01-15" in po_path.read_bytes()  # the template changed: a new date


def test_build_with_other_code_rebuilds_what_the_older_code_built(project, code):
    project.add("a.md", ARTICLE)
    api.extract(project.config)
    project.translate_all("a.md")
    assert actions(api.build(project.config)) == ["written"]
    output = project.out("a.md")
    right = output.read_bytes()
    # What an older build got wrong, recorded as its own output (as that build would have recorded it).
    wrong = right + b"\nwhat an older build got wrong\n"
    output.write_bytes(wrong)
    state_path = project.root / STATE_FILE
    state_path.write_text(state_path.read_text().replace(digest(right), digest(wrong)))

    assert actions(api.build(project.config)) == ["unchanged"]  # the same code: trusted
    assert output.read_bytes() == wrong
    code.version = "new"
    assert actions(api.build(project.config)) == ["written"]
    assert output.read_bytes() == right


def test_the_code_fingerprint_is_computed_once_per_process():
    """Later calls are the cache's: reading the packages' files (~8 ms) once is what a no-change run affords."""
    fingerprint.code_fingerprint()
    hits = code_digest.cache_info().hits
    fingerprint.code_fingerprint()
    assert code_digest.cache_info().hits == hits + 1
