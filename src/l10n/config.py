"""Project settings (`l10n.toml` or `[tool.l10n]` in `pyproject.toml`) and the file layout they imply."""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable

from .errors import L10nError

CONFIG_FILE = "l10n.toml"
LOCK_DIR = Path(".l10n") / "locks"  # one lock file per catalog being saved; see fsutil.file_lock
DEFAULT_FRONT_MATTER_KEYS = (
    "title", "summary", "description", "tags", "categories", "keywords", "main_topics",
)
DEFAULT_SHORTCODE_PARAMS = ("caption", "title", "alt")
MARKDOWN_SUFFIXES = (".md", ".markdown")
LAYOUTS = ("directory", "filename")
_LANG = re.compile(r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class Config:
    """Where sources, catalogs and outputs live, and what counts as translatable."""

    root: Path
    source_lang: str = "zh"
    target_langs: tuple[str, ...] = ("en",)
    content_dir: str = "content"
    locales_dir: str = "locales"
    layout: str = "directory"
    front_matter_keys: tuple[str, ...] = DEFAULT_FRONT_MATTER_KEYS
    shortcode_params: tuple[str, ...] = DEFAULT_SHORTCODE_PARAMS
    project: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    """Sections other modules own (e.g. `[translate]`, `[check]`), passed through untouched."""

    @property
    def project_name(self) -> str:
        return self.project or self.root.resolve().name

    @property
    def lock_dir(self) -> Path:
        return self.root / LOCK_DIR

    @cached_property
    def source_root(self) -> Path:
        base = self.root / self.content_dir
        return base / self.source_lang if self.layout == "directory" else base

    def sources(self, limit: Iterable[Path] = ()) -> list[Path]:
        """Every source article, sorted; with `limit`, only those at or under those paths."""
        root = self.source_root
        found = sorted(
            Path(folder, name)
            for folder, _, names in os.walk(root) for name in names
            if name.endswith(MARKDOWN_SUFFIXES) and self._is_source(Path(name))
        )
        limit = [Path(p).resolve() for p in limit]
        if not limit:
            return found
        for wanted in limit:
            if not wanted.exists():
                raise L10nError("no such file or directory", self.display(wanted))
            if wanted.is_file() and not (wanted.parent.is_relative_to(root.resolve()) and self._is_source(wanted)):
                raise L10nError(f"not a source article (sources live in {self.display(root)}/)",
                                self.display(wanted))
        return [p for p in found if any(p.resolve() == w or p.resolve().is_relative_to(w) for w in limit)]

    def _is_source(self, path: Path) -> bool:
        if self.layout == "directory":
            return True
        stem_lang = Path(path.stem).suffix.lstrip(".")
        return stem_lang in ("", self.source_lang) or stem_lang not in self.target_langs

    def relative_stem(self, source: Path) -> str:
        """`posts/a` for `content/zh/posts/a.md` (directory) or `content/posts/a.zh.md` (filename)."""
        text, prefix = os.fspath(source), os.fspath(self.source_root) + os.sep
        rel = text[len(prefix):] if text.startswith(prefix) else os.path.relpath(text, self.source_root)
        stem = os.path.splitext(rel)[0]
        if self.layout == "filename" and stem.endswith("." + self.source_lang):
            stem = stem[: -len(self.source_lang) - 1]
        return stem

    def catalog_path(self, source: Path, lang: str) -> Path:
        return Path(os.path.join(self.root, self.locales_dir, lang, self.relative_stem(source) + ".po"))

    def output_path(self, source: Path, lang: str) -> Path:
        stem, suffix = self.relative_stem(source), os.path.splitext(source)[1]
        if self.layout == "directory":
            return Path(os.path.join(self.root, self.content_dir, lang, stem + suffix))
        return Path(os.path.join(self.source_root, f"{stem}.{lang}{suffix}"))

    def display(self, path: Path) -> str:
        """A path as users see it in messages and PO references: relative to the project, with `/`."""
        text, prefix = os.fspath(path), os.fspath(self.root) + os.sep
        if not text.startswith(prefix):  # a path typed by the user, or outside the project
            text = os.path.relpath(os.path.abspath(text), os.path.abspath(self.root))
            if text.startswith(".."):
                text = os.fspath(path)
        else:
            text = text[len(prefix):]
        return text.replace(os.sep, "/")

    def section(self, name: str) -> dict[str, Any]:
        value = self.extra.get(name, {})
        return value if isinstance(value, dict) else {}


def load_config(root: Path | None = None) -> Config:
    """Read `l10n.toml`, or `[tool.l10n]` from `pyproject.toml`, in `root` (default: cwd)."""
    root = Path(root or Path.cwd()).absolute()
    path = root / CONFIG_FILE
    if path.is_file():
        data = _read_toml(path)
    else:
        pyproject = root / "pyproject.toml"
        data = _read_toml(pyproject).get("tool", {}).get("l10n") if pyproject.is_file() else None
        if data is None:
            raise L10nError(f"no {CONFIG_FILE} (or [tool.l10n] in pyproject.toml) here; "
                            "run `l10n init` first", root)
        path = pyproject
    return config_from_dict(root, data, path)


def config_from_dict(root: Path, data: dict[str, Any], origin: Path | None = None) -> Config:
    """Validate a settings table; unknown sub-tables are kept for the modules that own them."""
    where = origin or root / CONFIG_FILE
    data = dict(data)
    values: dict[str, Any] = {}

    def take(key: str, kind: type, default: Any) -> Any:
        value = data.pop(key, default)
        if not isinstance(value, kind):
            raise L10nError(f"`{key}` must be a {kind.__name__}, not {type(value).__name__}", where)
        return value

    values["source_lang"] = take("source_lang", str, "zh")
    targets = take("target_langs", list, ["en"])
    if "target_lang" in data:
        targets = [take("target_lang", str, "en")]
    values["target_langs"] = tuple(targets)
    for lang in (values["source_lang"], *targets):
        if not isinstance(lang, str) or not _LANG.match(lang):
            raise L10nError(f"not a language code: {lang!r}", where)
    if values["source_lang"] in targets:
        raise L10nError("the source language cannot also be a target language", where)
    values["content_dir"] = take("content_dir", str, "content")
    values["locales_dir"] = take("locales_dir", str, "locales")
    values["layout"] = take("layout", str, "directory")
    if values["layout"] not in LAYOUTS:
        raise L10nError(f"`layout` must be one of {', '.join(LAYOUTS)}", where)
    values["front_matter_keys"] = tuple(take("front_matter_keys", list, list(DEFAULT_FRONT_MATTER_KEYS)))
    values["shortcode_params"] = tuple(take("shortcode_params", list, list(DEFAULT_SHORTCODE_PARAMS)))
    values["project"] = take("project", str, "")
    unknown = [k for k, v in data.items() if not isinstance(v, dict)]
    if unknown:
        raise L10nError(f"unknown setting(s): {', '.join(sorted(unknown))}", where)
    return Config(root=root, extra=data, **values)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise L10nError(f"invalid TOML: {exc}", path, int(line.group(1)) if line else None) from None


def config_text(source_lang: str, target_langs: Iterable[str], layout: str = "directory",
                project: str = "", content_dir: str = "content") -> str:
    """The commented `l10n.toml` that `l10n init` writes."""
    targets = ", ".join(f'"{t}"' for t in target_langs)
    keys = ", ".join(f'"{k}"' for k in DEFAULT_FRONT_MATTER_KEYS)
    params = ", ".join(f'"{k}"' for k in DEFAULT_SHORTCODE_PARAMS)
    return f'''# l10n project settings. Paths are relative to this file.
project = {json.dumps(project, ensure_ascii=False)}   # Project-Id-Version in the PO headers
source_lang = "{source_lang}"
target_langs = [{targets}]

# "directory": content/{source_lang}/a.md -> content/<lang>/a.md (Hugo content directories)
# "filename":  content/a.md -> content/a.<lang>.md (Hugo translation by file name)
layout = "{layout}"
content_dir = {json.dumps(content_dir, ensure_ascii=False)}
locales_dir = "locales"   # catalogs: locales/<lang>/<article path>.po

# Front matter keys whose values are translated (each list item is its own segment).
front_matter_keys = [{keys}]
# Shortcode parameters offered for translation, e.g. {{{{< figure caption="..." >}}}}.
shortcode_params = [{params}]
'''
