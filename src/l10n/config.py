"""Project settings (`l10n.toml` or `[tool.l10n]` in `pyproject.toml`) and the file layout they imply."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .confine import file_kind, inside, read_file
from .errors import L10nError, line_in
from .formats import is_source
from .langs import LANG_CODE, LAYOUTS

CONFIG_FILE = "l10n.toml"
LOCK_DIR = Path(".l10n") / "locks"  # one lock file per catalog being saved; see writes.file_lock
DEFAULT_FRONT_MATTER_KEYS = (
    "title", "summary", "description", "tags", "categories", "keywords", "main_topics",
)
DEFAULT_SHORTCODE_PARAMS = ("caption", "title", "alt")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MB = 1_000_000


@dataclass(frozen=True)
class Refused:
    """A file (or folder) under the source folder that is not read as a source, and why."""

    path: Path
    display: str  # control characters escaped, so that the message stays on one line
    reason: str
    error: bool  # the user must act (the run fails), rather than a warning
    quiet: bool = False  # plainly not a source (a page in another language): listed by `extract` only


@dataclass(frozen=True)
class Shard:
    """Part K of N of the project's articles (`--shard K/N`): N jobs, each with its own K, cover every
    article exactly once. An article's part is a stable hash of its path in the project, so it does not
    move when others are added, and every machine computes the same split."""

    index: int  # K, from 1
    count: int  # N

    @classmethod
    def parse(cls, text: str) -> Shard:
        k, _, n = text.partition("/")
        try:
            shard = cls(int(k), int(n))
        except ValueError:
            shard = cls(0, 0)
        if not 1 <= shard.index <= shard.count:
            raise L10nError(f"a shard is K/N with 1 <= K <= N (e.g. 3/8), not {text!r}")
        return shard

    def holds(self, display: str) -> bool:
        """Whether the article at `display` (its path in the project, as `Config.display` gives it) is ours."""
        number = int.from_bytes(hashlib.blake2b(display.encode("utf-8"), digest_size=8).digest(), "big")
        return number % self.count == self.index - 1

    @property
    def first(self) -> bool:
        """The part that also reports what belongs to no article (catalogs whose article is gone)."""
        return self.index == 1


@dataclass(frozen=True)
class Config:
    """Where sources, catalogs and outputs live, and what counts as translatable."""

    root: Path
    origin: Path = field(repr=False, compare=False)
    """The file the settings were read from (`l10n.toml` or `pyproject.toml`), which errors about them name."""
    source_lang: str = "zh"
    target_langs: tuple[str, ...] = ("en",)
    content_dir: str = "content"
    locales_dir: str = "locales"
    layout: str = "directory"
    front_matter_keys: tuple[str, ...] = DEFAULT_FRONT_MATTER_KEYS
    shortcode_params: tuple[str, ...] = DEFAULT_SHORTCODE_PARAMS
    project: str = ""
    max_source_mb: float = 50
    allow_external_symlinks: bool = False
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
        return self.scan(limit)[0]

    def scan(self, limit: Iterable[Path] = (), shard: Shard | None = None) -> tuple[list[Path], list[Refused]]:
        """The source articles and the files refused as sources, sorted; `limit` as for `sources`; with
        `shard`, only its part of them."""
        found, refused = self._walk()
        if shard is not None:
            found = [p for p in found if shard.holds(self.display(p))]
            refused = [r for r in refused if shard.holds(self.display(r.path))]
        wanted = {Path(p).resolve() for p in limit}
        if not wanted:
            return found, refused
        root = self.source_root
        for path in wanted:
            if not path.exists():
                raise L10nError("no such file or directory", self.display(path))
            if path.is_file() and not (path.parent.is_relative_to(root.resolve()) and self._is_source(path)):
                raise L10nError(f"not a source article (sources live in {self.display(root)}/)", self.display(path))
        real_root = Path(os.path.realpath(root))

        def chosen(path: Path) -> bool:  # named through a followed folder symlink, or by where it leads
            forms = (Path(os.path.realpath(path)), real_root / path.relative_to(root))
            return any(form in wanted or not wanted.isdisjoint(form.parents) for form in forms)

        return [p for p in found if chosen(p)], [r for r in refused if chosen(r.path)]

    def _walk(self) -> tuple[list[Path], list[Refused]]:
        """One pass over the source folder, following folder symlinks that stay inside the project.

        Only regular files are sources; a symlink leading outside the project is refused unless
        `allow_external_symlinks`, and a name with a control character (a newline...) cannot be
        written in a PO `#:` reference, so it is refused as an error.
        """
        found: list[Path] = []
        refused: list[Refused] = []

        def refuse(path: Path, reason: str, error: bool = False, quiet: bool = False) -> None:
            display = _CONTROL.sub(lambda m: repr(m.group(0))[1:-1], self.display(path))
            refused.append(Refused(path, display, reason, error, quiet))

        def allowed(path: Path) -> bool:
            return self.allow_external_symlinks or inside(path, self.root)

        outside = (f"a symlink leading outside the project (see allow_external_symlinks in "
                   f"{self.display(self.origin)}); skipped")
        root = self.source_root
        folders: list[Path] = [root] if allowed(root) else []  # real folders first, then symlinked ones:
        linked: list[Path] = []  # so a folder reached both ways is walked once, under its own name
        if root.is_dir() and not folders:
            refuse(root, outside)
        seen: set[str] = set()
        while folders or linked:
            folder = folders.pop() if folders else linked.pop(0)
            real = os.path.realpath(folder)
            if real in seen:  # a folder symlink loop, or a second way to the same folder
                continue
            seen.add(real)
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                path = Path(entry.path)
                language = self._page_language(entry.name) if is_source(entry.name) else None
                source = is_source(entry.name) and language is None
                if entry.is_symlink() and not allowed(path):
                    if source or entry.is_dir():
                        refuse(path, outside)
                elif entry.is_dir():
                    (linked if entry.is_symlink() else folders).append(path)
                elif source:
                    try:
                        kind = file_kind(entry.stat().st_mode)
                    except OSError:
                        kind = "a broken symlink"
                    if _CONTROL.search(self.display(path)):
                        refuse(path, "the file name holds a control character (a newline, a tab...), which a "
                                     "PO reference cannot hold; rename the file", error=True)
                    elif kind:
                        refuse(path, f"{kind}, not a regular file; skipped")
                    else:
                        found.append(path)
                elif language is not None and not (self.layout == "filename" and language in self.target_langs):
                    refuse(path, f"a page in language {language}, which Hugo reads in its file name; not a source",
                           quiet=True)  # (a.en.md in the filename layout is build's output: nothing to say)
        return sorted(found), sorted(refused, key=lambda r: r.path)

    def read_source(self, path: Path) -> bytes:
        """A source article's bytes: the one way sources are read, so every rule of `_walk` holds here too."""
        display = self.display(path)
        limit = int(self.max_source_mb * MB)
        data = read_file(path, display, None if self.allow_external_symlinks else self.root, limit + 1)
        if len(data) > limit:
            raise L10nError(f"larger than max_source_mb = {self.max_source_mb:g} (in {self.display(self.origin)}); "
                            "not read", display)
        return data

    def _is_source(self, path: Path) -> bool:
        return self._page_language(path.name) is None

    def _page_language(self, name: str) -> str | None:
        """The language other than the source's that Hugo reads in a file name (`a.ja.md`, in either layout):
        a target's, or one the Hugo site declares; compared ignoring case, as Hugo does. None: a source's name
        (`a.md`, `a.zh.md`, `a.v2.md`: a suffix that is no language of the site is part of the name)."""
        suffix = os.path.splitext(os.path.splitext(name)[0])[1][1:]
        code = suffix.lower()
        if not code or code == self.source_lang.lower():
            return None
        if code in (lang.lower() for lang in self.target_langs) or code in self._site_languages:
            return suffix
        return None

    @cached_property
    def _site_languages(self) -> frozenset[str]:
        """The languages of the Hugo site at `root`, read when first needed: a file name with a suffix."""
        from .hugo import page_languages  # the Hugo reader, and PyYAML, for such a name only

        return page_languages(self.root)

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
    data: dict[str, Any] | None
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
        if not isinstance(lang, str) or not LANG_CODE.match(lang):
            raise L10nError(f"not a language code: {lang!r}", where)
    if values["source_lang"] in targets:
        raise L10nError("the source language cannot also be a target language", where)
    if not targets or len(set(targets)) != len(targets):  # none: every command would do nothing, and pass
        raise L10nError("`target_langs` must name each target language once, and at least one", where)
    values["content_dir"] = take("content_dir", str, "content")
    values["locales_dir"] = take("locales_dir", str, "locales")
    for key in ("content_dir", "locales_dir"):
        if not inside(root / values[key], root):
            raise L10nError(f"`{key}` must be a folder inside the project; {values[key]!r} leads to "
                            f"{os.path.realpath(root / values[key])}", where)
    values["layout"] = take("layout", str, "directory")
    if values["layout"] not in LAYOUTS:
        raise L10nError(f"`layout` must be one of {', '.join(LAYOUTS)}", where)
    values["front_matter_keys"] = tuple(take("front_matter_keys", list, list(DEFAULT_FRONT_MATTER_KEYS)))
    values["shortcode_params"] = tuple(take("shortcode_params", list, list(DEFAULT_SHORTCODE_PARAMS)))
    values["project"] = take("project", str, "")
    limit = values["max_source_mb"] = data.pop("max_source_mb", 50)
    if isinstance(limit, bool) or not isinstance(limit, (int, float)) or limit <= 0:
        raise L10nError(f"`max_source_mb` must be a positive number of megabytes, not {limit!r}", where)
    values["allow_external_symlinks"] = take("allow_external_symlinks", bool, False)
    unknown = [k for k, v in data.items() if not isinstance(v, dict)]
    if unknown:
        raise L10nError(f"unknown setting(s): {', '.join(sorted(unknown))}", where)
    return Config(root=root, origin=where, extra=data, **values)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise L10nError(f"invalid TOML: {exc}", path, line_in(exc)) from None


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
