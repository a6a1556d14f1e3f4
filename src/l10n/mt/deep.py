"""Engines served by deep-translator (Google web, MyMemory, Microsoft, Baidu, Papago, Yandex) and LibreTranslate.

deep-translator is thin and unmaintained: no timeouts, exceptions that carry API keys in their
messages, `None` for punctuation-only input. Its modules call `requests.get/post` directly, so each
gets a stand-in `requests` that adds our timeout and remembers the last response (for its status
and Retry-After); its exceptions become `EngineError`s built from class names and status codes only.
LibreTranslate is spoken directly, because its JSON API takes a whole batch in one request.
"""

from __future__ import annotations

import threading
from typing import Any

import requests
from deep_translator import (BaiduTranslator, GoogleTranslator, MicrosoftTranslator, MyMemoryTranslator,
                             PapagoTranslator, YandexTranslator)
from deep_translator import baidu, google, microsoft, mymemory, papago, yandex

from ..errors import L10nError
from . import Context, EngineError, Settings, http_failure


class _TimedRequests:
    """Stands in for the `requests` module inside deep-translator: a timeout on every call."""

    def __init__(self) -> None:
        self.local = threading.local()

    def __getattr__(self, name: str) -> Any:
        return getattr(requests, name)

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self._send("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        return self._send("POST", url, **kwargs)

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        self.local.response = None
        response = _session().request(method, url, timeout=self.local.timeout, **kwargs)
        self.local.response = response
        return response


_HTTP = _TimedRequests()
for _module in (baidu, google, microsoft, mymemory, papago, yandex):
    _module.requests = _HTTP
_LOCAL = threading.local()

# name -> (class, characters per request, {constructor argument: environment variable}, language codes)
_SERVICES: dict[str, tuple[type, int, dict[str, str], dict[str, str]]] = {
    "google": (GoogleTranslator, 1500, {}, {"zh": "zh-CN", "zh_TW": "zh-TW"}),  # a GET: the URL must stay short
    "mymemory": (MyMemoryTranslator, 480, {}, {"zh": "zh-CN", "zh_TW": "zh-TW"}),
    "microsoft": (MicrosoftTranslator, 10_000, {"api_key": "MICROSOFT_API_KEY"}, {"zh": "zh-Hans"}),
    "baidu": (BaiduTranslator, 2000, {"appid": "BAIDU_APPID", "appkey": "BAIDU_APPKEY"}, {}),
    "papago": (PapagoTranslator, 5000, {"client_id": "PAPAGO_CLIENT_ID", "secret_key": "PAPAGO_SECRET_KEY"},
               {"zh": "zh-CN"}),
    "yandex": (YandexTranslator, 10_000, {"api_key": "YANDEX_API_KEY"}, {}),
}


def _session() -> requests.Session:
    """One keep-alive session per worker thread (a Session is not safe to share between threads)."""
    if not hasattr(_LOCAL, "session"):
        _LOCAL.session = requests.Session()
    return _LOCAL.session


def _network_failure(name: str, exc: requests.RequestException, timeout: float) -> EngineError:
    if isinstance(exc, requests.Timeout):
        return EngineError(f"{name}: no reply within {timeout:g} s", retryable=True)
    return EngineError(f"{name}: cannot reach the server ({type(exc).__name__})", retryable=True)


class DeepTranslatorEngine:
    """One deep-translator service; one text per request, which is all its protocols allow."""

    max_batch = 1
    supports_glossary = False

    def __init__(self, settings: Settings):
        self.name = settings.engine
        self.settings = settings
        self.cls, self.max_chars, key_envs, self.codes = _SERVICES[settings.engine]
        self.credentials = {arg: settings.key(env) for arg, env in key_envs.items()}
        self.local = threading.local()

    def translate_batch(self, texts: list[str], source: str, target: str, context: Context) -> list[str]:
        return [self._one(text, source, target) for text in texts]

    def _one(self, text: str, source: str, target: str) -> str:
        _HTTP.local.timeout = self.settings.timeout
        try:
            result = self._translator(source, target).translate(text)
        except requests.RequestException as exc:
            raise _network_failure(self.name, exc, self.settings.timeout) from None
        except Exception as exc:  # deep-translator raises plain Exception too; its messages may hold keys
            response = getattr(_HTTP.local, "response", None)
            if response is not None and response.status_code >= 400:
                raise http_failure(self.name, response.status_code, response.headers.get("Retry-After")) from None
            raise EngineError(f"{self.name}: {type(exc).__name__}", retryable=True) from None
        if result is None and not any(ch.isalnum() for ch in text):
            return text  # Google answers None for punctuation-only input
        if not isinstance(result, str):
            raise EngineError(f"{self.name}: no translation in the reply", retryable=True)
        return result

    def _translator(self, source: str, target: str):
        """A translator per thread and language pair: they keep request state between calls."""
        cache = self.local.__dict__.setdefault("translators", {})
        if (source, target) not in cache:
            try:
                translator = self.cls(source=self.codes.get(source, source), target=self.codes.get(target, target),
                                      **self.credentials)
            except Exception as exc:
                raise EngineError(f"{self.name}: cannot translate {source} -> {target} ({type(exc).__name__})",
                                  fatal=True) from None
            if self.settings.url:
                translator._base_url = self.settings.url
            cache[(source, target)] = translator
        return cache[(source, target)]


class LibreEngine:
    """A LibreTranslate server (usually self-hosted: `--url http://localhost:5000/`); the key is optional."""

    name = "libre"
    max_batch = 50
    max_chars = 5000
    supports_glossary = False

    def __init__(self, settings: Settings):
        if not settings.url:
            raise L10nError("the libre engine needs the server's address: --url or `url` in [translate]")
        self.settings = settings
        self.endpoint = settings.url.rstrip("/") + "/translate"
        self.key = settings.key("LIBRETRANSLATE_API_KEY", required=False)

    def translate_batch(self, texts: list[str], source: str, target: str, context: Context) -> list[str]:
        payload = {"q": texts, "source": source.split("_")[0], "target": target.split("_")[0], "format": "text"}
        if self.key:
            payload["api_key"] = self.key
        try:
            response = _session().post(self.endpoint, json=payload, timeout=self.settings.timeout)
        except requests.RequestException as exc:
            raise _network_failure(self.name, exc, self.settings.timeout) from None
        if response.status_code >= 400:
            raise http_failure(self.name, response.status_code, response.headers.get("Retry-After"))
        try:
            translated = response.json()["translatedText"]
        except (ValueError, KeyError, TypeError):
            raise EngineError("libre: malformed reply", retryable=True) from None
        if not (isinstance(translated, list) and len(translated) == len(texts)
                and all(isinstance(t, str) for t in translated)):
            raise EngineError("libre: the reply does not hold one translation per text", retryable=True)
        return translated
