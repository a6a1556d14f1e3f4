"""What a Hugo site's configuration says about its languages and content layout, for `l10n init`.

Read: `hugo.{toml,yaml,yml,json}` or else `config.{toml,yaml,yml,json}` at the site root, and the same
names plus `languages.*` (the languages table on its own) in `config/_default/`. Keys are matched
case-insensitively, as Hugo does (`defaultContentLanguage`, `contentDir`); language codes are kept as
the configuration spells them. Other environments (`config/production/`) and themes are not read.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from .confine import read_file
from .errors import L10nError, line_in
from .langs import LANG_CODE, LAYOUTS

EXTENSIONS = ("toml", "yaml", "yml", "json")
HUGO_DEFAULT_LANG = "en"  # what Hugo assumes when `defaultContentLanguage` is not set
HUGO_CONTENT_DIR = "content"


@dataclass(frozen=True)
class Language:
    code: str          # as written in the configuration: `zh`, `zh-cn`, `pt_BR`
    content_dir: str   # relative to the site root, `/`-separated
    weight: int


@dataclass(frozen=True)
class Site:
    files: tuple[str, ...]           # the configuration files read, relative to the site root
    default_lang: str                # `defaultContentLanguage`, or Hugo's default "en"
    languages: tuple[Language, ...]  # enabled languages in Hugo's order (weight, then code)
    has_languages: bool              # whether the site declares a `languages` table at all
    declared: tuple[str, ...] = ()   # every language code of the table, disabled ones too

    def language(self, code: str) -> Language | None:
        return next((lang for lang in self.languages if lang.code.lower() == code.lower()), None)


@dataclass(frozen=True)
class Plan:
    """The `l10n.toml` settings that match the site."""

    source_lang: str
    target_langs: tuple[str, ...]
    layout: str
    content_dir: str


def config_files(root: Path) -> list[Path]:
    """The Hugo configuration files of the site at `root`, in the order they are merged."""
    found = []
    for name in ("hugo", "config"):  # Hugo prefers hugo.* to config.* (since 0.110)
        first = next((root / f"{name}.{ext}" for ext in EXTENSIONS if (root / f"{name}.{ext}").is_file()), None)
        if first:
            found.append(first)
            break
    folder = root / "config" / "_default"
    if folder.is_dir():
        found += [folder / f"{name}.{ext}" for name in ("config", "hugo", "languages") for ext in EXTENSIONS
                  if (folder / f"{name}.{ext}").is_file()]
    return found


def read_site(root: Path) -> Site | None:
    """The languages and content folders the site at `root` declares; None if there is no Hugo config."""
    files = config_files(root)
    if not files:
        return None
    return _site(root, *_merged(root, files), files)


def page_languages(root: Path) -> frozenset[str]:
    """The languages Hugo reads in a file name (`a.ja.md`) of the site at `root`, lowercased, as Hugo compares
    them: every code of its `languages` table, disabled ones too, and the default language; none without a
    Hugo configuration. Only a configuration Hugo could not parse either is refused: the rest of what
    `read_site` demands (content folders l10n's layouts fit) does not matter here."""
    files = config_files(root)
    if not files:
        return frozenset()
    data = _merged(root, files)[0]
    default = str(data.get("defaultcontentlanguage", HUGO_DEFAULT_LANG))
    return frozenset(code.lower() for code in (*_declared(data), default))


def _declared(data: dict[str, Any]) -> tuple[str, ...]:
    """Every language code the settings name: the `languages` table's keys, then `disableLanguages`."""
    table = data.get("languages")
    keys = tuple(str(code) for code in table) if isinstance(table, dict) else ()
    disabled = {str(code) for code in data.get("disablelanguages") or ()}
    return (*keys, *sorted(code for code in disabled if code.lower() not in {key.lower() for key in keys}))


def _merged(root: Path, files: list[Path]) -> tuple[dict[str, Any], dict[str, Path]]:
    """The settings of `files` merged as Hugo merges them, and which file each top-level key came from."""
    merged: dict[str, Any] = {}
    where: dict[str, Path] = {}  # which file a top-level key came from, for messages
    # The config/_default/ files first, the root file last: its settings win.
    for path in sorted(files, key=lambda p: p.parent == root):
        data = _parse(path, root)
        data = _lower_keys({"languages": data} if path.stem == "languages" else data)
        for key, value in data.items():
            if isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key] = {**merged[key], **value}
            else:
                merged[key] = value
            where[key] = path
    return merged, where


def _site(root: Path, data: dict[str, Any], where: dict[str, Path], files: list[Path]) -> Site:
    def shown(key: str) -> str:
        return _display(root, where.get(key, files[0]))

    default = data.get("defaultcontentlanguage", HUGO_DEFAULT_LANG)
    if not isinstance(default, str) or not LANG_CODE.match(default):
        raise L10nError(f"defaultContentLanguage must be a language code, not {default!r}",
                        shown("defaultcontentlanguage"))
    site_dir = _folder(data.get("contentdir", HUGO_CONTENT_DIR), "contentDir", shown("contentdir"))
    table = data.get("languages")
    if table is None:
        return Site(tuple(_display(root, f) for f in files), default,
                    (Language(default, site_dir, 0),), has_languages=False)
    if not isinstance(table, dict) or not table:
        raise L10nError("`languages` must be a table of languages", shown("languages"))
    disabled = {str(code).lower() for code in data.get("disablelanguages") or ()}
    languages = []
    for code, settings in table.items():
        settings = settings if settings is not None else {}
        if not isinstance(settings, dict):
            raise L10nError(f"languages.{code} must be a table", shown("languages"))
        if settings.get("disabled") is True or code.lower() in disabled:
            continue
        if not LANG_CODE.match(code):
            raise L10nError(f"languages.{code}: l10n needs a language code such as zh, en or zh-cn "
                            f"as the key, not {code!r}", shown("languages"))
        weight = settings.get("weight", 0)
        weight = weight if isinstance(weight, int) and not isinstance(weight, bool) else 0
        folder = _folder(settings.get("contentdir", site_dir), f"languages.{code}.contentDir", shown("languages"))
        languages.append(Language(code, folder, weight))
    # Hugo's order: by weight, languages without a weight (0) last, then by code.
    languages.sort(key=lambda lang: (lang.weight == 0, lang.weight, lang.code))
    site = Site(tuple(_display(root, f) for f in files), default, tuple(languages), has_languages=True,
                declared=_declared(data))
    if site.language(default) is None:
        raise L10nError(f"the default content language {default!r} is not an enabled language of the site",
                        shown("defaultcontentlanguage" if "defaultcontentlanguage" in data else "languages"))
    return site


def plan(site: Site, source_lang: str | None = None, target_langs: Iterable[str] = (),
         layout: str | None = None) -> Plan:
    """The l10n settings for `site`; explicit choices win but must fit the site (else L10nError)."""
    where = site.files[0]
    source = site.language(source_lang or site.default_lang)
    if source is None:
        if site.has_languages:
            raise L10nError(f"{source_lang!r} is not an enabled language of the site "
                            f"({_codes(site.languages)}); add it to `languages` first", where)
        assert source_lang is not None  # the default language is always found
        source = Language(source_lang, site.languages[0].content_dir, 0)  # a single-language site
    targets: list[Language] = []
    for code in target_langs:
        target = site.language(code)
        if target is None:
            if site.has_languages:
                raise L10nError(f"{code!r} is not an enabled language of the site ({_codes(site.languages)}); "
                                "add it to `languages` first, or Hugo will not publish it", where)
            target = Language(code, source.content_dir, 0)
        targets.append(target)
    if not targets:
        targets = [lang for lang in site.languages if lang.code.lower() != source.code.lower()]
    if not targets:
        raise L10nError(f"the site has no language besides {source.code!r}: add the languages to translate "
                        "into to `languages` (Hugo publishes only those), or pass --target-lang "
                        "(and --source-lang if the articles are not in that language)", where)
    if any(t.code.lower() == source.code.lower() for t in targets):
        raise L10nError("the source language cannot also be a target language", where)

    folders = {lang.content_dir for lang in (source, *targets)}
    if len(folders) == 1:
        found, content_dir = "filename", folders.pop()
    else:
        found, content_dir = "directory", _directory_parent(source, targets, where)
    if not site.has_languages and layout:  # a single-language site has no layout of its own yet
        found = layout
    if layout and layout != found:
        raise L10nError(f"the site translates by {'file name' if found == 'filename' else 'content directory'} "
                        f"(--layout {found}); --layout {layout} would not match it", where)
    if found not in LAYOUTS:
        raise L10nError(f"`layout` must be one of {', '.join(LAYOUTS)}", where)
    return Plan(source.code, tuple(t.code for t in targets), found, content_dir)


def describe(site: Site, plan: Plan) -> str:
    """One line saying what was found, e.g. `Hugo site: hugo.toml, languages zh (default), en; ...`."""
    codes = ", ".join(lang.code + (" (default)" if lang.code.lower() == site.default_lang.lower() else "")
                      for lang in site.languages)
    if not site.has_languages:
        codes = f"none declared (Hugo's default: {site.default_lang})"
    if plan.layout == "directory":
        where = " -> ".join([f"{plan.content_dir}/{plan.source_lang}",
                             ", ".join(f"{plan.content_dir}/{t}" for t in plan.target_langs)])
    else:
        where = f"{plan.content_dir}/a.md -> " + ", ".join(f"{plan.content_dir}/a.{t}.md" for t in plan.target_langs)
    text = f"Hugo site: {', '.join(site.files)}, languages {codes}; layout {plan.layout} {where}"
    chosen = {code.lower() for code in (plan.source_lang, *plan.target_langs)}
    others = [code for code in site.declared if code.lower() not in chosen]
    if others:
        folder = plan.content_dir if plan.layout == "filename" else f"{plan.content_dir}/{plan.source_lang}"
        text += (f"\nNot sources: files named for the site's other languages ({', '.join(others)}), e.g. "
                 f"{folder}/a.{others[0]}.md, which Hugo reads as a page in that language.")
    missing = [code for code in (plan.source_lang, *plan.target_langs) if site.language(code) is None
               or not site.has_languages]
    if missing:
        text += (f"\nNote: declare {', '.join(missing)} under `languages` in {site.files[0]}: "
                 "Hugo publishes only the languages it knows.")
    return text


def _directory_parent(source: Language, targets: list[Language], where: str) -> str:
    """The common parent of `content/zh`, `content/en`...: l10n's directory layout names them by language."""
    langs = (source, *targets)
    shared = [lang.code for lang in langs if [o.content_dir for o in langs].count(lang.content_dir) > 1]
    parents = {str(PurePosixPath(lang.content_dir).parent) for lang in langs}
    wrong = [lang for lang in langs if PurePosixPath(lang.content_dir).name != lang.code]
    if shared or len(parents) != 1 or wrong:
        listing = ", ".join(f"{lang.code}: {lang.content_dir}" for lang in langs)
        raise L10nError(f"the site's content directories ({listing}) do not fit l10n's directory layout, "
                        "which needs one folder per language, named by its code, side by side "
                        "(content/zh, content/en): rename the folders (and contentDir) to match", where)
    parent = parents.pop()
    return "." if parent in ("", ".") else parent


def _folder(value: Any, key: str, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise L10nError(f"{key} must be a folder name, not {value!r}", where)
    text = value.strip().replace("\\", "/")
    if text.startswith("/") or re.match(r"^[A-Za-z]:", text) or ".." in PurePosixPath(text).parts:
        raise L10nError(f"{key} {value!r} is outside the site; l10n needs a folder inside it", where)
    return str(PurePosixPath(*[part for part in PurePosixPath(text).parts if part != "."]))


def _codes(languages: Iterable[Language]) -> str:
    return ", ".join(lang.code for lang in languages)


def _lower_keys(data: Any) -> Any:
    """Hugo's keys are case-insensitive; language codes under `languages` keep their spelling."""
    if not isinstance(data, dict):
        return data
    out: dict[str, Any] = {}
    for key, value in data.items():
        key = str(key)
        if key.lower() == "languages" and isinstance(value, dict):
            out["languages"] = {str(code): _lower_keys(v) for code, v in value.items()}
        else:
            out[key.lower()] = _lower_keys(value) if isinstance(value, dict) else value
    return out


def _parse(path: Path, root: Path) -> dict[str, Any]:
    shown = _display(root, path)
    try:
        text = read_file(path, shown, root).decode("utf-8-sig")  # a regular file inside the site only
    except UnicodeDecodeError:
        raise L10nError("cannot read the Hugo configuration: not UTF-8 text", shown) from None
    line = None
    try:
        if path.suffix == ".toml":
            data = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text) if text.strip() else {}
        else:
            data = yaml.safe_load(text) if text.strip() else {}
    except tomllib.TOMLDecodeError as exc:
        line, reason = line_in(exc), str(exc)
    except json.JSONDecodeError as exc:
        line, reason = exc.lineno, exc.msg
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = " ".join(str(getattr(exc, "problem", None) or exc).split())
    else:
        if data is None:
            return {}
        if not isinstance(data, dict):
            raise L10nError("cannot read the Hugo configuration: it is not a table of settings", shown)
        return data
    raise L10nError(f"cannot read the Hugo configuration: {reason}", shown, line)


def _display(root: Path, path: Path) -> str:
    return os.path.relpath(path, root).replace(os.sep, "/")
