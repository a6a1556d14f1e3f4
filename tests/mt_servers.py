"""Local stand-ins for the translation services l10n speaks, on 127.0.0.1, that can be told to misbehave.

One threaded server answers every protocol: LibreTranslate `POST /translate`, OpenAI
`POST /v1/chat/completions`, DeepL `POST /v2/translate` and `/v2/glossaries`, the Google web
page deep-translator scrapes (`GET /m`), and the APIs of deep-translator's MyMemory (`GET /get`),
Microsoft (`POST /translate?api-version=3.0`, `GET /languages`) and Baidu (`POST /api/trans/vip/translate`).
It "translates" by turning each Han character into a Latin letter and full-width punctuation into
ASCII, keeping everything else: drafts that pass `l10n check`.
`faults` is consumed one per request: "429" (with Retry-After), "500", "slow" (answers after
`slow_seconds`), "malformed" (not the JSON/HTML expected), "drop" (loses a placeholder), "echo"
(returns the source), "403"; and the refusals that come inside a 200 reply: "quota" (MyMemory's
daily quota warning, as its translation) and "54003" (Baidu's rate limit). Error replies quote the
credentials the request carried, as careless servers do. With `blunders` (see mt_blunders) it
translates as an engine that makes the usual mistakes of Chinese-English MT. `on_request` runs in the server's thread
before each answer: what a translator does while a run waits on the engine.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from mt_blunders import NOTES_MARK, PUNCTUATION

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
PLACEHOLDER = re.compile(r'<x id="\d+"/>')


def fake_translate(text: str) -> str:
    """Han runs become Latin words, full-width punctuation ASCII; markup, placeholders and the rest stay."""
    return HAN.sub(lambda m: " " + "".join(chr(97 + ord(c) % 26) for c in m.group(0)) + " ",
                   text).translate(PUNCTUATION).strip()


@dataclass
class Seen:
    path: str
    body: object
    headers: dict
    query: dict = field(default_factory=dict)


class MTServer:
    def __init__(self, deepl_key: str = "deepl-test-key", microsoft_key: str = "microsoft-test-key",
                 baidu_appid: str = "baidu-test-appid", baidu_appkey: str = "baidu-test-appkey"):
        self.faults: list[str] = []
        self.blunders = None  # a mt_blunders.Blunders: the mistakes real engines make
        self.retry_after = "2"
        self.slow_seconds = 1.0
        self.latency = 0.0  # added to every request (benchmark)
        self.on_request = None  # called before each answer: what happens while a run waits on the engine
        self.in_flight = self.max_in_flight = 0
        self.deepl_key = deepl_key
        self.microsoft_key = microsoft_key
        self.baidu_appid, self.baidu_appkey = baidu_appid, baidu_appkey
        self.glossaries: dict[str, dict] = {}
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> MTServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def requests(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]

    def next_fault(self) -> str | None:
        with self.lock:
            return self.faults.pop(0) if self.faults else None

    def texts(self, texts: list[str], fault: str | None, glossary: dict | None = None,
              told: bool = False) -> list[str]:
        """`told`: the request carries the findings on a previous draft (OpenAI prompt)."""
        if fault == "echo":
            return list(texts)
        out = []
        for text in texts:
            if self.blunders is not None:
                out.append(self.blunders.translate(text, glossary, told))
                continue
            for source, target in (glossary or {}).items():
                text = text.replace(source, target)
            result = fake_translate(text)
            if fault == "drop":
                result = PLACEHOLDER.sub("", result, count=1)
            out.append(result)
        return out


def _handler(server: MTServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()  # headers and body go out in two writes: without this, Nagle adds 40 ms
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

        def _serve(self, method: str) -> None:
            url = urlparse(self.path)
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = json.loads(raw) if raw and "json" in (self.headers.get("Content-Type") or "") else raw
            if method == "GET":
                body = parse_qs(url.query)
            with server.lock:
                server.seen.append(Seen(url.path, body, dict(self.headers), parse_qs(url.query)))
            with server.lock:
                server.in_flight += 1
                server.max_in_flight = max(server.max_in_flight, server.in_flight)
            try:
                time.sleep(server.latency)
                if server.on_request:
                    server.on_request()
                self._answer(url, method, body)
            finally:
                with server.lock:
                    server.in_flight -= 1

        def _answer(self, url, method: str, body) -> None:
            fault = None if url.path in ("/v2/glossaries", "/languages") else server.next_fault()
            query = parse_qs(url.query)
            try:
                if fault == "slow":
                    time.sleep(server.slow_seconds)
                if fault in ("429", "500", "403"):
                    secret = " ".join([(self.headers.get("Authorization") or "").split(" ")[-1],
                                       *filter(None, [self.headers.get("Ocp-Apim-Subscription-Key")]),
                                       *query.get("appid", []), *query.get("sign", [])])
                    headers = {"Retry-After": server.retry_after} if fault == "429" else {}
                    return self._send(int(fault), json.dumps({"message": f"refused {secret}"}), headers=headers)
                if fault == "malformed":
                    return self._send(200, '{"translatedText": [unterminated', "application/json")
                if url.path == "/translate" and "api-version" in query:
                    return self._microsoft(query, body, fault)
                if url.path == "/languages":
                    return self._microsoft_languages(query)
                if url.path == "/translate":
                    return self._libre(body, fault)
                if url.path == "/get":
                    return self._mymemory(body, fault)
                if url.path == "/api/trans/vip/translate":
                    return self._baidu(query, body, fault)
                if url.path == "/v1/chat/completions":
                    return self._openai(body, fault)
                if url.path == "/v2/translate":
                    return self._deepl(body, fault)
                if url.path == "/v2/glossaries":
                    return self._glossaries(method, body)
                if url.path == "/m":
                    return self._google(body, fault)
                self._send(404, "{}")
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

        def _send(self, status: int, text: str, kind: str = "application/json", headers: dict | None = None) -> None:
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _libre(self, body: dict, fault) -> None:
            q = body["q"]
            result = server.texts(q if isinstance(q, list) else [q], fault)
            self._send(200, json.dumps({"translatedText": result if isinstance(q, list) else result[0]}))

        def _openai(self, body: dict, fault) -> None:
            numbered = json.loads(body["messages"][-1]["content"])
            terms = dict(re.findall(r"^- (.+?) -> (.+?)(?: \(.*\))?$", body["messages"][0]["content"], re.M))
            told = NOTES_MARK in body["messages"][0]["content"]
            answer = dict(zip(numbered, server.texts(list(numbered.values()), fault, terms, told)))  # a model that obeys
            reply = {"id": "x", "object": "chat.completion", "created": 0, "model": body["model"],
                     "choices": [{"index": 0, "finish_reason": "stop",
                                  "message": {"role": "assistant", "content": json.dumps(answer)}}]}
            self._send(200, json.dumps(reply))

        def _deepl_authorized(self) -> bool:
            if self.headers.get("Authorization") != f"DeepL-Auth-Key {server.deepl_key}":
                self._send(403, json.dumps({"message": f"wrong key {self.headers.get('Authorization')}"}))
                return False
            return True

        def _deepl(self, body: dict, fault) -> None:
            if not self._deepl_authorized():
                return
            glossary = server.glossaries.get(body.get("glossary_id"), {}).get("entries")
            result = server.texts(body["text"], fault, glossary)
            self._send(200, json.dumps({"translations": [{"detected_source_language": "ZH", "text": t,
                                                          "billed_characters": len(t)}
                                                         for t in result]}))

        def _glossaries(self, method: str, body) -> None:
            if not self._deepl_authorized():
                return
            if method == "GET":
                return self._send(200, json.dumps({"glossaries": [g["info"] for g in server.glossaries.values()]}))
            gid = f"g{len(server.glossaries) + 1}"
            entries = dict(line.split("\t") for line in body["entries"].splitlines() if line)
            info = {"glossary_id": gid, "name": body["name"], "ready": True, "source_lang": body["source_lang"],
                    "target_lang": body["target_lang"], "creation_time": "2024-01-01T00:00:00.000Z",
                    "entry_count": len(entries)}
            server.glossaries[gid] = {"info": info, "entries": entries}
            self._send(201, json.dumps(info))

        def _google(self, query: dict, fault) -> None:
            text = server.texts([query["q"][0]], fault)[0]
            self._send(200, f'<html><body><div class="result-container">{html.escape(text)}</div></body></html>',
                       "text/html; charset=utf-8")

        def _mymemory(self, query: dict, fault) -> None:
            """MyMemory answers 200 and tells refusals in `responseStatus`, the message as the translation."""
            q, langpair = query.get("q", [""])[0], query.get("langpair", [""])[0]
            status, text = 200, None
            if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)?\|[a-z]{2,3}(-[A-Za-z0-9]+)?", langpair):
                status, text = "403", "INVALID LANGUAGE PAIR SPECIFIED. USING 2 LETTER ISO OR RFC3066 LIKE ZH-CN"
            elif len(q) > 500:
                status, text = "403", "QUERY LENGTH LIMIT EXCEEDED. MAX ALLOWED QUERY : 500 CHARS"
            elif fault == "quota":
                status, text = 429, ("MYMEMORY WARNING: YOU USED ALL AVAILABLE FREE TRANSLATIONS FOR TODAY. "
                                     "NEXT AVAILABLE IN 23 HOURS 59 MINUTES 59 SECONDS")
            text = text or server.texts([q], fault)[0]
            source, _, target = langpair.partition("|")
            match = {"id": "0", "segment": q, "translation": text, "source": source, "target": target,
                     "quality": 74, "reference": None, "usage-count": 0, "subject": "", "created-by": "MT!",
                     "match": 0.85}
            self._send(200, json.dumps({"responseData": {"translatedText": text, "match": 0.85},
                                        "quotaFinished": fault == "quota", "mtLangSupported": None,
                                        "responseDetails": "" if status == 200 else text, "responseStatus": status,
                                        "responderId": None, "exception_code": None,
                                        "matches": [match] if status == 200 else ""}))

        MICROSOFT_LANGUAGES = {"en": "English", "ja": "Japanese", "fr": "French", "zh-Hans": "Chinese Simplified",
                               "zh-Hant": "Chinese Traditional"}

        def _microsoft_error(self, status: int, code: int, message: str) -> None:
            self._send(status, json.dumps({"error": {"code": code, "message": message}}))

        def _microsoft_languages(self, query: dict) -> None:
            if query.get("api-version") != ["3.0"]:
                return self._microsoft_error(400, 400021, "The API version parameter is missing or invalid.")
            languages = {code: {"name": name, "nativeName": name, "dir": "ltr"}
                         for code, name in self.MICROSOFT_LANGUAGES.items()}
            self._send(200, json.dumps({"translation": languages}))

        def _microsoft(self, query: dict, body, fault) -> None:
            """Translator v3: codes are case-insensitive, the key comes in a header, texts as a JSON array."""
            codes = {code.lower() for code in self.MICROSOFT_LANGUAGES}
            if query.get("api-version") != ["3.0"]:
                return self._microsoft_error(400, 400021, "The API version parameter is missing or invalid.")
            if self.headers.get("Ocp-Apim-Subscription-Key") != server.microsoft_key:
                return self._microsoft_error(401, 401000, "The request is not authorized because credentials are "
                                             f"missing or invalid: {self.headers.get('Ocp-Apim-Subscription-Key')}")
            if query.get("from", [""])[0].lower() not in codes:
                return self._microsoft_error(400, 400035, "The source language is not valid.")
            if query.get("to", [""])[0].lower() not in codes:
                return self._microsoft_error(400, 400036, "The target language is not valid.")
            if not (isinstance(body, list) and 0 < len(body) <= 1000
                    and all(isinstance(item, dict) and isinstance(item.get("text"), str) for item in body)):
                return self._microsoft_error(400, 400074, "The body of the request is not valid JSON.")
            result = server.texts([item["text"] for item in body], fault)
            self._send(200, json.dumps([{"translations": [{"text": t, "to": query["to"][0]}]} for t in result]))

        BAIDU_CODES = set("auto zh en yue wyw jp kor fra spa th ara ru pt de it el nl pl bul est dan fin cs rom slo "
                          "swe hu cht vie".split())

        def _baidu(self, query: dict, body, fault) -> None:
            """Baidu's general translation API: parameters in the query or a form body, every refusal in a 200."""
            if isinstance(body, bytes) and body:
                query = {**query, **parse_qs(body.decode())}
            params = {name: query.get(name, [""])[0] for name in ("q", "from", "to", "appid", "salt", "sign")}
            expected = hashlib.md5((server.baidu_appid + params["q"] + params["salt"]
                                    + server.baidu_appkey).encode()).hexdigest()
            error = None
            if not all(params.values()):
                error = ("54000", "PARAM_FROM_TO_OR_Q_EMPTY")
            elif params["appid"] != server.baidu_appid:
                error = ("52003", f"UNAUTHORIZED USER {params['appid']}")
            elif params["sign"] != expected:
                error = ("54001", f"Invalid Sign {params['sign']}")
            elif params["from"] not in self.BAIDU_CODES or params["to"] not in self.BAIDU_CODES - {"auto"}:
                error = ("58001", "INVALID_TO_PARAM")
            elif fault == "54003":
                error = ("54003", "Invalid Access Limit")
            if error:
                return self._send(200, json.dumps({"error_code": error[0], "error_msg": error[1]}))
            lines = params["q"].split("\n")
            result = [{"src": line, "dst": dst} for line, dst in zip(lines, server.texts(lines, fault))]
            self._send(200, json.dumps({"from": params["from"], "to": params["to"], "trans_result": result},
                                       ensure_ascii=False), "application/json; charset=utf-8")

    return Handler


ARTICLE_A = """---
title: 马斯克的算力豪赌
tags:
  - xAI
  - 马斯克
---

马斯克说**算力**是关键，见[官方博客](https://x.ai/blog "博客")[^1]。

使用`grok --fast`命令{{< ref "b.md" >}}。

## 融资进展 {#funding}

xAI与OpenAI竞争。

[^1]: 来源：路透社。
"""

ARTICLE_B = """---
title: 第二篇
---

xAI与OpenAI竞争。

芯片短缺仍在继续。
"""

GLOSSARY = """terms:
  - source: 马斯克
    target: Musk
    note: Elon Musk
  - source: xAI
    translate: false
"""


def make_site(project, glossary: bool = True):
    """Two articles sharing a paragraph, extracted; with the glossary unless told otherwise."""
    project.add("a.md", ARTICLE_A)
    project.add("b.md", ARTICLE_B)
    if glossary:
        (project.root / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    assert project.cli("extract").exit_code == 0
    return project


def assert_drafts(project, engine: str, rel: str = "a.md") -> dict:
    """The catalog of make_site's article after a run: every entry a fuzzy draft with markup and glossary kept."""
    from l10n.formats.markdown.markup import broken_markup
    po = entries(project, rel)
    assert all(e.msgstr for e in po.values())
    for msgid, entry in po.items():
        assert "fuzzy" in entry.flags and entry.tcomment == f"machine translation: {engine}"
        assert broken_markup(msgid, entry.msgstr) == []
    paragraph = next(e.msgstr for m, e in po.items() if m.startswith("马斯克说"))
    assert paragraph.startswith("Musk") and "**" in paragraph and "](https://x.ai/blog" in paragraph
    assert po["xAI"].msgstr == "xAI" and po["马斯克"].msgstr == "Musk"
    return po


def entries(project, rel: str) -> dict:
    """msgid -> entry of `rel`'s English catalog, as written on disk."""
    import polib
    return {e.msgid: e for e in polib.pofile(str(project.po(rel))) if not e.obsolete}


def run(project, engine: str = "pseudo", url: str = "", waits: list | None = None, **options):
    """Plan and run a translation through the library API with instant backoff; returns the job."""
    from l10n.glossary import Glossary
    from l10n.memory import MEMORY_FILE
    from l10n.memory.sqlite import SqliteMemory as Memory
    from l10n.mt import Settings, create
    from l10n.translate import TranslateOptions, plan

    settings = Settings(engine=engine, url=url, model="test-model", timeout=options.pop("timeout", 0.5))
    waits = [] if waits is None else waits
    config = project.config
    with Memory(config.root / MEMORY_FILE, config.root) as memory:
        job = plan(config, create(settings), memory=memory,
                   glossary=Glossary.load(config.root / "glossary.yaml", config.root),
                   options=TranslateOptions(backoff=0.001, max_backoff=30, sleep=waits.append, **options))
        job.run()
    return job
