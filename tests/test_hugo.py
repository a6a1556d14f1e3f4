"""`l10n init` in a Hugo site writes the l10n.toml its configuration implies, and the built editions
land where Hugo looks for them; an unreadable or unfitting configuration is refused (exit code 2)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from l10n import hugo
from l10n.cli import app
from l10n.config import load_config

SITES = Path(__file__).parent / "fixtures" / "hugo"
runner = CliRunner()


@pytest.fixture
def site(tmp_path, monkeypatch):
    """Copy the named fixture site into a temporary folder and work there."""
    def make(name: str) -> Path:
        root = tmp_path / name
        shutil.copytree(SITES / name, root)
        monkeypatch.chdir(root)
        return root
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return make


def init(*args: str):
    return runner.invoke(app, ["init", *args], catch_exceptions=False)


def settings(root: Path) -> tuple:
    c = load_config(root)
    return c.source_lang, c.target_langs, c.layout, c.content_dir


def translate_round(root: Path, source: str, *outputs: str) -> None:
    """An article at `source` is extracted and built to each of `outputs` (paths Hugo reads)."""
    path = root / source
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\ntitle: 你好\n---\n世界。\n", encoding="utf-8")
    assert runner.invoke(app, ["extract"]).exit_code == 0
    assert runner.invoke(app, ["build"]).exit_code == 0
    for out in outputs:
        assert (root / out).read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), out


def test_toml_root_file_with_content_directories_weights_and_a_disabled_language(site):
    root = site("toml-directory")
    result = init()
    assert result.exit_code == 0, result.output
    # hugo.toml is read, not config.toml beside it; fr is disabled; ja has no weight, so it comes last
    assert result.output.splitlines()[0] == ("Hugo site: hugo.toml, languages zh (default), en, ja; "
                                              "layout directory content/zh -> content/en, content/ja")
    assert settings(root) == ("zh", ("en", "ja"), "directory", "content")
    translate_round(root, "content/zh/posts/a.md", "content/en/posts/a.md", "content/ja/posts/a.md")
    assert not (root / "content/fr").exists()


def test_yaml_root_file_with_translation_by_file_name_and_mixed_case_keys(site):
    root = site("yaml-filename")
    result = init()
    assert result.exit_code == 0, result.output
    assert "languages zh-cn (default), en-us, ja; layout filename" in result.output
    assert settings(root) == ("zh-cn", ("en-us", "ja"), "filename", "content")
    translate_round(root, "content/posts/a.md", "content/posts/a.en-us.md", "content/posts/a.ja.md")


def test_config_default_folder_with_a_languages_file(site):
    root = site("config-dir")
    result = init()
    assert result.exit_code == 0, result.output
    # config/production/ says en is the default: only config/_default/ counts
    assert result.output.startswith("Hugo site: config/_default/hugo.toml, config/_default/languages.toml, "
                                    "languages zh (default), en; layout directory site/content/zh -> site/content/en")
    assert settings(root) == ("zh", ("en",), "directory", "site/content")
    assert (root / "site/content/zh").is_dir()
    translate_round(root, "site/content/zh/a.md", "site/content/en/a.md")


def test_json_root_file_with_a_site_content_dir_shared_by_all_languages(site):
    root = site("json-root")
    assert init().exit_code == 0
    assert settings(root) == ("zh", ("en",), "filename", "articles")
    translate_round(root, "articles/a.zh.md", "articles/a.en.md")


def test_options_choose_among_the_sites_languages(site):
    root = site("toml-directory")
    assert init("-t", "ja").exit_code == 0
    assert settings(root) == ("zh", ("ja",), "directory", "content")
    assert init("--force", "-s", "en").exit_code == 0  # --source-lang wins over defaultContentLanguage
    assert settings(root) == ("en", ("zh", "ja"), "directory", "content")


@pytest.mark.parametrize("args, message", [
    (["-t", "fr"], "'fr' is not an enabled language of the site (zh, en, ja)"),
    (["-s", "ko"], "'ko' is not an enabled language of the site"),
    (["--layout", "filename"], "the site translates by content directory (--layout directory)"),
])
def test_options_that_contradict_the_site_are_refused(site, args, message):
    root = site("toml-directory")
    result = init(*args)
    assert result.exit_code == 2
    assert f"hugo.toml: {message}" in " ".join(result.output.split())
    assert not (root / "l10n.toml").exists()


def test_a_single_language_site_needs_the_target_named(site):
    root = site("legacy-single")
    result = init()
    assert result.exit_code == 2
    assert "config.toml: the site has no language besides 'en'" in " ".join(result.output.split())
    # Hugo assumes en when defaultContentLanguage is unset; the user says what the articles are written in.
    result = init("-s", "zh", "-t", "en")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Hugo site: config.toml, languages none declared (Hugo's default: en); "
                                    "layout filename content/a.md -> content/a.en.md\n"
                                    "Note: declare zh, en under `languages` in config.toml")
    assert settings(root) == ("zh", ("en",), "filename", "content")
    translate_round(root, "content/posts/a.md", "content/posts/a.en.md")


def test_content_directories_not_named_by_language_code_are_refused(site):
    root = site("bad-dirs")
    result = init()
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert "hugo.toml: the site's content directories (zh: content/chinese, en: content/english)" in text
    assert "rename the folders" in text
    assert not (root / "l10n.toml").exists()


@pytest.mark.parametrize("name, where", [("broken-toml", "hugo.toml:5:"), ("broken-yaml", "hugo.yaml:6:")])
def test_an_unreadable_configuration_is_refused_with_file_and_line(site, name, where):
    root = site(name)
    result = init()
    assert result.exit_code == 2
    assert f"error: {where} cannot read the Hugo configuration" in " ".join(result.output.split())
    assert not (root / "l10n.toml").exists()


def test_without_hugo_configuration_init_keeps_its_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = init()
    assert result.exit_code == 0 and "Hugo site" not in result.output
    assert settings(tmp_path) == ("zh", ("en",), "directory", "content")


@pytest.mark.parametrize("text, message", [
    ("[languages]\nzh = 1\n", "languages.zh must be a table"),
    ('defaultContentLanguage = "de"\n[languages.zh]\n[languages.en]\n',
     "the default content language 'de' is not an enabled language"),
    ('[languages.chinese]\n[languages.en]\n', "not 'chinese'"),
    ('contentDir = "../elsewhere"\n', "contentDir '../elsewhere' is outside the site"),
    ('languages = "zh"\n', "`languages` must be a table of languages"),
])
def test_settings_l10n_cannot_use_are_refused_naming_the_file(tmp_path, text, message):
    (tmp_path / "hugo.toml").write_text(text, encoding="utf-8")
    with pytest.raises(hugo.L10nError) as caught:
        hugo.plan(hugo.read_site(tmp_path))
    assert caught.value.path == "hugo.toml" and message in caught.value.message


def test_disable_languages_and_language_keys_keep_their_spelling(tmp_path):
    (tmp_path / "hugo.yaml").write_text(
        "defaultContentLanguage: zh-CN\ndisableLanguages: [ja]\n"
        "languages:\n  zh-CN: {weight: 1}\n  pt_BR: {weight: 2}\n  ja: {weight: 3}\n", encoding="utf-8")
    site = hugo.read_site(tmp_path)
    assert hugo.plan(site) == hugo.Plan("zh-CN", ("pt_BR",), "filename", "content")


# --- Files named for another language of the site are that language's pages, not sources ---


def languages_toml(codes: str, table: str = "") -> str:
    """A hugo.toml with zh as the default language and `codes` in that order, each with `table`'s lines."""
    return 'defaultContentLanguage = "zh"\ndisableLanguages = ["fr"]\n' + "".join(
        f"[languages.{code}]\nweight = {n}\n{table.format(code=code)}" for n, code in enumerate(codes.split(), 1))


THREE_LANGUAGES_YAML = """\
defaultContentLanguage: zh
disableLanguages: [fr]
languages:
  zh: {weight: 1}
  en: {weight: 2}
  JA: {weight: 3}
  fr: {weight: 4}
"""
ARTICLE = "---\ntitle: 你好\n---\n世界。\n"


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("config", [("hugo.toml", languages_toml("zh en JA fr")),
                                    ("hugo.yaml", THREE_LANGUAGES_YAML),
                                    ("config/_default/hugo.yaml", THREE_LANGUAGES_YAML)])
def test_a_page_named_for_another_site_language_is_not_a_source(tmp_path, monkeypatch, config):
    """As Hugo reads a file name (checked with Hugo 0.168): a suffix that is a language the site declares,
    enabled or disabled, in any case (`a.ja.md`, `a.fr.md`), makes the page that language's; any other
    suffix (`a.v2.md`, `a.de.md` in a site without de) is part of the name of a page in the default language."""
    root = tmp_path / "site"
    write(root, {config[0]: config[1], "content/posts/a.md": ARTICLE, "content/posts/a.ja.md": "日本語です。\n",
                 "content/posts/b.JA.md": "日本語。\n", "content/posts/c.fr.md": "Français.\n",
                 "content/posts/d.v2.md": ARTICLE, "content/posts/e.de.md": ARTICLE})
    monkeypatch.chdir(root)
    result = init("-t", "en")
    assert result.exit_code == 0, result.output
    assert ("Not sources: files named for the site's other languages (JA, fr), e.g. content/a.JA.md, "
            "which Hugo reads as a page in that language.") in result.output
    assert load_config(root).sources() == [root / "content/posts" / name for name in ("a.md", "d.v2.md", "e.de.md")]

    result = runner.invoke(app, ["extract"])
    assert result.exit_code == 0, result.output
    for name, lang in (("a.ja.md", "ja"), ("b.JA.md", "JA"), ("c.fr.md", "fr")):
        assert (f"content/posts/{name} [en]: warning: a page in language {lang}, which Hugo reads in its file "
                "name; not a source") in result.output
    assert "extract: 3 skipped, 3 written" in result.output
    assert sorted(p.name for p in (root / "locales/en/posts").iterdir()) == ["a.po", "d.v2.po", "e.de.po"]
    result = runner.invoke(app, ["build"])
    assert result.exit_code == 0 and "build: 3 written" in result.output and "a page in" not in result.output
    built = sorted(p.name for p in (root / "content/posts").iterdir() if ".en." in p.name)
    assert built == ["a.en.md", "d.v2.en.md", "e.de.en.md"]
    assert runner.invoke(app, ["extract", "content/posts/a.ja.md"]).exit_code == 2  # not a source article


def test_in_content_directories_too_a_file_named_for_another_language_is_not_a_source(tmp_path, monkeypatch):
    """Hugo reads a language in a file name inside a language's content directory too: content/zh/a.ja.md
    is a Japanese page, content/zh/b.en.md an English one."""
    root = tmp_path / "site"
    write(root, {"hugo.toml": languages_toml("zh en ja", 'contentDir = "content/{code}"\n'),
                 "content/zh/posts/a.md": ARTICLE, "content/zh/posts/a.ja.md": "日本語です。\n",
        "content/zh/posts/b.en.md": "English.\n", "content/zh/posts/c.zh.md": ARTICLE})
    monkeypatch.chdir(root)
    result = init("-t", "en")
    assert result.exit_code == 0 and "e.g. content/zh/a.ja.md" in result.output, result.output
    result = runner.invoke(app, ["extract"])
    assert "content/zh/posts/a.ja.md [en]: warning: a page in language ja" in result.output
    assert "content/zh/posts/b.en.md [en]: warning: a page in language en" in result.output
    assert sorted(p.name for p in (root / "locales/en/posts").iterdir()) == ["a.po", "c.zh.po"]


def test_without_a_hugo_configuration_only_the_targets_are_languages_in_a_file_name(project):
    """Hugo with no languages table knows one language: a.ja.md is a page of it, named a.ja (a source)."""
    (project.root / "l10n.toml").write_text((project.root / "l10n.toml").read_text(encoding="utf-8").replace(
        'layout = "directory"', 'layout = "filename"'), encoding="utf-8")
    write(project.root, {"content/a.md": ARTICLE, "content/a.ja.md": ARTICLE, "content/a.EN.md": "Hand-made.\n"})
    result = project.cli("extract")
    assert "content/a.EN.md [en]: warning: a page in language EN" in result.output
    assert "extract: 1 skipped, 2 written" in result.output
