"""Engines served by deep-translator (Google web, MyMemory, Microsoft, Baidu) and LibreTranslate.

deep-translator is thin and unmaintained: no timeouts, exceptions that carry API keys in their
messages, `None` for punctuation-only input, refusals taken for translations. Its modules call
`requests.get/post` directly, so each gets a stand-in `requests` that adds our timeout and remembers
the last response (for its status, Retry-After and refusals inside a 200 reply) or network error; its
exceptions become `EngineError`s built from class names and status codes only. With `url` set, every
request goes to that server: the translation to `url` itself, the others deep-translator makes on its
own (Microsoft's language list) to the same path on its host. Its Papago (the Naver Developers API
closed in February 2024) and Yandex (API v1.5, closed) speak protocols that are gone: not offered.
LibreTranslate is spoken directly, because its JSON API takes a whole batch in one request.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from deep_translator import (
    BaiduTranslator,
    GoogleTranslator,
    MicrosoftTranslator,
    MyMemoryTranslator,
    baidu,
    google,
    microsoft,
    mymemory,
)
from deep_translator.constants import MY_MEMORY_LANGUAGES_TO_CODES
from deep_translator.exceptions import InvalidSourceOrTargetLanguage, LanguageNotSupportedException

from ..errors import L10nError
from ..langs import primary
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
        self.local.response = self.local.error = None
        if self.local.host:
            url = urlunsplit(urlsplit(url)._replace(scheme=self.local.host.scheme, netloc=self.local.host.netloc))
        try:
            response = _session().request(method, url, timeout=self.local.timeout, **kwargs)
        except requests.RequestException as exc:  # remembered: Microsoft's module swallows it
            self.local.error = exc
            raise
        self.local.response = response
        return response


_HTTP = _TimedRequests()
for _module in (baidu, google, microsoft, mymemory):
    _module.requests = _HTTP
_LOCAL = threading.local()


def _mymemory_codes() -> dict[str, str]:
    """Ours -> deep-translator's MyMemory codes, which all name a region: en -> en-GB, de -> de-DE, zh_TW -> zh-TW."""
    codes = {code.replace("-", "_"): code for code in MY_MEMORY_LANGUAGES_TO_CODES.values()}
    for code in MY_MEMORY_LANGUAGES_TO_CODES.values():
        language, _, region = code.partition("-")
        if language not in codes or region == language.upper():
            codes[language] = code
    return codes


# Baidu refuses inside a 200 reply, with an `error_code`: those worth retrying, those about the credentials
_BAIDU_RETRY = {"52001", "52002", "54003", "54005"}  # timeout, system error, rate limits
_BAIDU_REFUSED = {"52003", "54001", "54004", "58000", "90107"}  # appid, sign (appkey), balance, IP, not verified

# name -> (class, characters per request, {constructor argument: environment variable}, language codes)
_SERVICES: dict[str, tuple[type, int, dict[str, str], dict[str, str]]] = {
    "google": (GoogleTranslator, 1500, {}, {"zh": "zh-CN", "zh_TW": "zh-TW"}),  # a GET: the URL must stay short
    "mymemory": (MyMemoryTranslator, 480, {}, _mymemory_codes()),
    "microsoft": (MicrosoftTranslator, 10_000, {"api_key": "MICROSOFT_API_KEY"},  # lower case: deep-translator's
                  {"zh": "zh-hans", "zh_CN": "zh-hans", "zh_TW": "zh-hant", "zh_HK": "zh-hant"}),
    "baidu": (BaiduTranslator, 2000, {"appid": "BAIDU_APPID", "appkey": "BAIDU_APPKEY"},
              {"zh_TW": "cht", "zh_HK": "cht", "ja": "jp", "ko": "kor", "fr": "fra", "es": "spa", "ar": "ara",
               "bg": "bul", "da": "dan", "et": "est", "fi": "fin", "sl": "slo", "sv": "swe", "vi": "vie"}),
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


def _refusal(name: str, response: requests.Response | None) -> EngineError | None:
    """A refusal inside a 200 reply, for the services that answer so. Only codes are kept: the bodies may
    quote the request."""
    check = _REFUSALS.get(name)
    if check is None or response is None:
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    return check(body) if isinstance(body, dict) else None


def _mymemory_refusal(body: dict) -> EngineError | None:
    """MyMemory's `responseStatus`: 403 for a bad language pair or a text too long, 429 when the daily
    quota is used up, whose warning comes as the "translation"."""
    status = str(body.get("responseStatus", 200))
    if status == "200":
        return None
    status = status if status.isdigit() else "?"
    return EngineError(f"mymemory: refused (status {status})", retryable=status == "429" or status[0] == "5")


def _baidu_refusal(body: dict) -> EngineError | None:
    """Baidu's `error_code`."""
    code = str(body.get("error_code", ""))
    if code in _BAIDU_REFUSED:
        return EngineError(f"baidu: the server refused the credentials (error {code})", fatal=True)
    return EngineError(f"baidu: error {code}", retryable=code in _BAIDU_RETRY) if code else None


_REFUSALS = {"mymemory": _mymemory_refusal, "baidu": _baidu_refusal}


class DeepTranslatorEngine:
    """One deep-translator service; one text per request, which is all its protocols allow."""

    max_batch = 1
    supports_glossary = False

    def __init__(self, settings: Settings):
        self.name = settings.engine
        self.settings = settings
        self.cls, self.max_chars, key_envs, self.codes = _SERVICES[settings.engine]
        one = settings if len(key_envs) == 1 else replace(settings, key_env="")  # key_env names a single key
        self.credentials = {arg: one.key(env) for arg, env in key_envs.items()}
        self.host = urlsplit(settings.url) if settings.url else None
        self.local = threading.local()

    def translate_batch(self, texts: list[str], source: str, target: str, context: Context) -> list[str]:
        return [self._one(text, source, target) for text in texts]

    def _one(self, text: str, source: str, target: str) -> str:
        _HTTP.local.timeout, _HTTP.local.host = self.settings.timeout, self.host
        _HTTP.local.response = _HTTP.local.error = None
        try:
            result = self._translator(source, target).translate(text)
        except EngineError:
            raise
        except Exception as exc:  # deep-translator raises plain Exception too; its messages may hold keys
            raise self._failure(exc) from None
        refusal = _refusal(self.name, _HTTP.local.response)
        if refusal is not None:
            raise refusal
        if result is None and not any(ch.isalnum() for ch in text):
            return text  # Google answers None for punctuation-only input
        if not isinstance(result, str):
            raise EngineError(f"{self.name}: no translation in the reply", retryable=True)
        return result

    def _failure(self, exc: Exception) -> EngineError:
        """What went wrong, from the last request rather than the exception deep-translator made of it."""
        error, response = _HTTP.local.error, _HTTP.local.response
        if error is not None:
            return _network_failure(self.name, error, self.settings.timeout)
        if response is not None and response.status_code >= 400:
            return http_failure(self.name, response.status_code, response.headers.get("Retry-After"))
        refusal = _refusal(self.name, response)
        if refusal is not None:
            return refusal
        if isinstance(exc, ValueError):  # json's and requests' JSONDecodeError
            return EngineError(f"{self.name}: malformed reply", retryable=True)
        return EngineError(f"{self.name}: {type(exc).__name__}", retryable=True)

    def _translator(self, source: str, target: str):
        """A translator per thread and language pair: they keep request state between calls."""
        cache = self.local.__dict__.setdefault("translators", {})
        if (source, target) not in cache:
            try:
                translator = self.cls(source=self.codes.get(source, source), target=self.codes.get(target, target),
                                      **self.credentials)
            except (LanguageNotSupportedException, InvalidSourceOrTargetLanguage) as exc:
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
        payload = {"q": texts, "source": primary(source), "target": primary(target), "format": "text"}
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
