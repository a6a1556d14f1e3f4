"""Machine translation engines behind one small interface, and the registry that builds them.

An engine only turns a list of texts into a list of translations. Everything else (placeholders,
glossary enforcement, memory, batching, retries, rate limits) lives in `l10n.translate`, so a new
engine is one short module. Engines signal trouble with `EngineError` only, whose message never
holds a key: keys are read from the environment here and passed to the engine, nowhere else.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal, Protocol, overload

from ..errors import L10nError

if TYPE_CHECKING:
    from ..config import Config

DEFAULT_TIMEOUT = 30.0
DEFAULT_CONCURRENCY = 4


class EngineError(Exception):
    """A failed request. `retryable` for 429, 5xx, timeouts and garbled replies; `fatal` stops the run."""

    def __init__(self, message: str, *, retryable: bool = False, retry_after: float | None = None,
                 fatal: bool = False):
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after
        self.fatal = fatal


@dataclass(frozen=True)
class GlossaryHint:
    """A glossary term found in the texts of one request, for engines that take a glossary."""

    source: str
    target: str
    note: str = ""


@dataclass(frozen=True)
class Context:
    """What an engine may use besides the texts: the articles' titles and the glossary terms in them."""

    titles: tuple[str, ...] = ()
    terms: tuple[GlossaryHint, ...] = ()  # the glossary terms found in these texts (for prompts)
    glossary: tuple[GlossaryHint, ...] = ()  # every term of the language pair (for engine-side glossaries)
    notes: tuple[str, ...] = ()  # what was wrong with a previous draft of these texts (engines that take notes)


class Engine(Protocol):
    name: str
    max_batch: int  # texts per request
    max_chars: int  # characters per request (and so per text)
    supports_glossary: bool  # True: terms go in `Context`; False: they are protected by placeholders
    # optional `supports_notes: bool` (default False): True if the engine reads `Context.notes` (an LLM does);
    # a draft that fails the checks is then re-asked with its findings, else split or with facts protected

    def translate_batch(self, texts: list[str], source: str, target: str, context: Context) -> list[str]:
        ...


@dataclass(frozen=True)
class Settings:
    """How to reach an engine: from the `[translate]` table of the settings, overridden by CLI options."""

    engine: str = "pseudo"
    url: str = ""
    model: str = ""
    key_env: str = ""
    timeout: float = DEFAULT_TIMEOUT
    concurrency: int = DEFAULT_CONCURRENCY
    rate: float = 0.0  # requests per second; 0 = unlimited
    options: dict[str, Any] = field(default_factory=dict)  # anything else in the table, engine-specific
    dry_run: bool = False  # nothing will be sent: keys are not needed
    origin: str = "l10n.toml"  # the settings file (`Config.origin`, as shown), which errors about them name

    @classmethod
    def from_config(cls, config: Config, **overrides: Any) -> Settings:
        """The `[translate]` table with CLI values (None = not given) on top, validated."""
        table, where = config.section("translate"), config.display(config.origin)
        known = {name: table[name] for name in ("engine", "url", "model", "key_env", "timeout", "concurrency",
                                               "rate") if name in table}
        extra = {k: v for k, v in table.items() if k not in known}
        settings = replace(cls(options=extra, origin=where), **known,
                           **{k: v for k, v in overrides.items() if v is not None})
        for name, kind in (("engine", str), ("url", str), ("model", str), ("key_env", str),
                           ("timeout", (int, float)), ("concurrency", int), ("rate", (int, float))):
            if not isinstance(getattr(settings, name), kind) or isinstance(getattr(settings, name), bool):
                raise L10nError(f"[translate] `{name}` has the wrong type", where)
        if settings.concurrency < 1 or settings.timeout <= 0 or settings.rate < 0:
            raise L10nError("[translate] needs concurrency >= 1, timeout > 0 and rate >= 0", where)
        return settings

    @overload
    def key(self, default_env: str, required: Literal[True] = True) -> str: ...

    @overload
    def key(self, default_env: str, required: bool) -> str | None: ...

    def key(self, default_env: str, required: bool = True) -> str | None:
        """The API key from the environment variable `key_env` (or the engine's usual one)."""
        if self.dry_run:
            return "dry-run"
        name = self.key_env or default_env
        value = os.environ.get(name, "").strip()
        if not value and required:
            raise L10nError(f"the {self.engine} engine needs an API key in the environment variable {name}")
        return value or None


# engine name -> "module:factory"; modules are imported only when their engine is used
ENGINES = {
    "pseudo": "pseudo:PseudoEngine",
    "google": "deep:DeepTranslatorEngine",
    "mymemory": "deep:DeepTranslatorEngine",
    "microsoft": "deep:DeepTranslatorEngine",
    "baidu": "deep:DeepTranslatorEngine",
    "libre": "deep:LibreEngine",
    "deepl": "deepl_engine:DeepLEngine",
    "openai": "openai_engine:OpenAIEngine",
}


def create(settings: Settings) -> Engine:
    """The engine `settings` name, configured; an unknown name is a usage error."""
    target = ENGINES.get(settings.engine)
    if target is None:
        raise L10nError(f"unknown engine {settings.engine!r} (choose from {', '.join(sorted(ENGINES))})")
    module, factory = target.split(":")
    return getattr(importlib.import_module(f"{__name__}.{module}"), factory)(settings)


def http_failure(engine: str, status: int, retry_after: str | None = None) -> EngineError:
    """The `EngineError` for an HTTP status: 429 and 5xx are worth retrying, 401/403 end the run."""
    if status in (401, 403):
        return EngineError(f"{engine}: the server refused the credentials (HTTP {status})", fatal=True)
    return EngineError(f"{engine}: HTTP {status}", retryable=status == 429 or status >= 500,
                       retry_after=parse_retry_after(retry_after))


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds form; an HTTP date is treated as absent)."""
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None
