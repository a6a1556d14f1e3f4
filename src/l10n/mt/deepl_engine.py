"""DeepL through the official `deepl` package (deep-translator's DeepL request form is no longer accepted).

Placeholders travel as XML with `tag_handling="xml"`; the project glossary becomes a DeepL glossary,
created once per content and language pair and found again by its name on later runs. The package's
own retries are switched off: `l10n.translate` retries, with the same policy for every engine.
"""

from __future__ import annotations

import hashlib
import html
import re
import threading

import deepl

from ..langs import primary
from . import Context, EngineError, Settings

_PLACEHOLDER = re.compile(r'&lt;x id="(\d+)"/&gt;')
_TARGETS = {"en": "EN-US", "pt": "PT-BR", "zh": "ZH-HANS", "zh_TW": "ZH-HANT"}


class DeepLEngine:
    name = "deepl"
    max_batch = 50
    max_chars = 30_000
    supports_glossary = True

    def __init__(self, settings: Settings):
        deepl.http_client.max_network_retries = 0
        deepl.http_client.min_connection_timeout = settings.timeout
        self.translator = deepl.Translator(settings.key("DEEPL_AUTH_KEY"), server_url=settings.url or None)
        self.glossaries: dict[str, deepl.GlossaryInfo] = {}
        self.lock = threading.Lock()

    def translate_batch(self, texts: list[str], source: str, target: str, context: Context) -> list[str]:
        try:
            glossary = self._glossary(source, target, context) if context.glossary else None
            results = self.translator.translate_text(
                [_PLACEHOLDER.sub(r'<x id="\1"/>', html.escape(t, quote=False)) for t in texts],
                source_lang=primary(source).upper(), target_lang=_TARGETS.get(target, target.upper()),
                tag_handling="xml", ignore_tags=["x"], glossary=glossary)
        except deepl.DeepLException as exc:
            raise _failure(exc) from None
        if not isinstance(results, list):  # one TextResult for one text given alone; a list is given here
            results = [results]
        if len(results) != len(texts):
            raise EngineError("deepl: the reply does not hold one translation per text", retryable=True)
        return [html.unescape(r.text) for r in results]

    def _glossary(self, source: str, target: str, context: Context) -> deepl.GlossaryInfo:
        """The DeepL glossary for these terms: reused if one of the same name exists, else created."""
        entries = {hint.source: hint.target for hint in context.glossary}
        digest = hashlib.sha1(repr(sorted(entries.items())).encode()).hexdigest()[:12]
        name = f"l10n {source}-{target} {digest}"
        with self.lock:
            if name not in self.glossaries:
                found = [g for g in self.translator.list_glossaries() if g.name == name and g.ready]
                self.glossaries[name] = found[0] if found else self.translator.create_glossary(
                    name, primary(source).upper(), primary(target).upper(), entries)
            return self.glossaries[name]


def _failure(exc: deepl.DeepLException) -> EngineError:
    """An `EngineError` from the exception's type and status alone: DeepL's messages may echo the request."""
    status = exc.http_status_code
    if isinstance(exc, (deepl.AuthorizationException, deepl.QuotaExceededException)):
        what = "the server refused the credentials" if status == 403 else "the quota is used up"
        return EngineError(f"deepl: {what} (HTTP {status})", fatal=True)
    if isinstance(exc, deepl.ConnectionException):
        return EngineError("deepl: no reply (timeout or connection failure)", retryable=exc.should_retry)
    retryable = isinstance(exc, deepl.TooManyRequestsException) or (status or 0) >= 500 or status is None
    return EngineError(f"deepl: {type(exc).__name__}" + (f" (HTTP {status})" if status else ""), retryable=retryable)
