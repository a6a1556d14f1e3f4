"""The fixture corpus round-trips: identity byte for byte, and pseudo-translation keeps the structure."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tomllib

import pytest
import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

from conftest import corpus_files, pseudo
from l10n.config import DEFAULT_FRONT_MATTER_KEYS
from l10n.formats.markdown.frontmatter import parse_front_matter

FILES = corpus_files()
MD = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(footnote_plugin).use(dollarmath_plugin)
IGNORED = {"text", "softbreak"}  # a translation may join lines and change words, nothing else


def test_the_corpus_is_there():
    assert len(FILES) >= 8, "tests/fixtures/corpus/ is missing articles"


def skeleton(text: str) -> list[tuple]:
    """Every token but text: types, markup, link targets, code, HTML, footnote labels."""
    shape = []
    for token in MD.parse(text):
        for t in [token, *(token.children or [])]:
            if t.type in IGNORED:
                continue
            verbatim = t.content if t.type in ("fence", "code_block", "code_inline", "html_block",
                                               "html_inline", "math_block", "math_inline") else ""
            shape.append((t.type, t.tag, t.markup, t.info, t.attrs.get("href"), t.attrs.get("src"),
                          str(t.meta.get("label", "")) if t.meta else "", verbatim))
    return shape


def metadata(text: str) -> dict:
    front = parse_front_matter(text, ())
    if front is None:
        return {}
    head = text[: front.end]
    if front.format == "json":
        return json.loads(head)
    inner = head.split("\n", 1)[1].rsplit("\n", 2)[0]
    return tomllib.loads(inner) if front.format == "toml" else yaml.safe_load(inner)


def body(text: str) -> str:
    front = parse_front_matter(text.lstrip("\ufeff"), ())
    return text.lstrip("\ufeff")[front.end if front else 0:]


@pytest.mark.parametrize("fixture", FILES, ids=lambda p: p.name)
def test_identity_round_trip_is_byte_exact(project, fixture):
    project.add_fixture(fixture)
    assert project.cli("extract").exit_code == 0
    assert project.cli("build").exit_code == 0
    assert project.out(fixture.name).read_bytes() == fixture.read_bytes()


@pytest.mark.parametrize("fixture", FILES, ids=lambda p: p.name)
def test_pseudo_translation_keeps_structure_labels_urls_code_and_other_front_matter(project, fixture):
    project.add_fixture(fixture)
    project.cli("extract")
    project.translate_all(fixture.name)
    result = project.cli("build")
    assert result.exit_code == 0, result.output
    source = fixture.read_bytes().decode("utf-8")
    built = project.out(fixture.name).read_bytes().decode("utf-8")
    assert built.startswith("\ufeff") == source.startswith("\ufeff")
    assert ("\r\n" in built) == ("\r\n" in source)
    assert skeleton(body(built)) == skeleton(body(source))
    before, after = metadata(source.lstrip("\ufeff")), metadata(built.lstrip("\ufeff"))
    assert after.keys() == before.keys()
    for key, value in before.items():
        if key not in DEFAULT_FRONT_MATTER_KEYS:
            assert after[key] == value, key
        elif isinstance(value, str):
            assert after[key] == pseudo(value.strip()) or after[key] == value
        elif isinstance(value, list):
            assert after[key] == [pseudo(v) if isinstance(v, str) else v for v in value]
    han_left = [line for line in built.splitlines() if any("\u4e00" <= ch <= "\u9fff" for ch in line)]
    source_code = "\n".join(t.content for t in MD.parse(body(source)) if t.type in
                            ("fence", "code_block", "html_block", "math_block"))
    assert all(line.strip() in source_code or line.lstrip("\ufeff") in source_code
               or "{{" in line or "<!--" in line for line in han_left), han_left
    assert project.cli("extract").output.count("unchanged") == 1  # building changed no catalog


@pytest.mark.skipif(shutil.which("msgfmt") is None and not os.environ.get("CI"), reason="needs GNU gettext")
def test_every_corpus_catalog_passes_msgfmt_check(project):
    for fixture in FILES:
        project.add_fixture(fixture)
    project.cli("extract")
    for fixture in FILES:
        project.translate_all(fixture.name)
        subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(project.po(fixture.name))], check=True)
