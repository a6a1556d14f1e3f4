"""Local stand-ins for the translation services l10n speaks, on 127.0.0.1, that can be told to misbehave.

One threaded server answers every protocol: LibreTranslate `POST /translate`, OpenAI
`POST /v1/chat/completions`, DeepL `POST /v2/translate` and `/v2/glossaries`, and the Google web
page deep-translator scrapes (`GET /m`). It "translates" by turning each Han character into a Latin
letter and keeping everything else. `faults` is consumed one per request: "429" (with Retry-After),
"500", "slow" (answers after `slow_seconds`), "malformed" (not the JSON/HTML expected), "drop" (loses
a placeholder), "echo" (returns the source), "403".
"""

from __future__ import annotations

import html
import json
import re
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
PLACEHOLDER = re.compile(r'<x id="\d+"/>')


def fake_translate(text: str) -> str:
    """Han runs become Latin words; markup, placeholders and everything else stay."""
    return HAN.sub(lambda m: " " + "".join(chr(97 + ord(c) % 26) for c in m.group(0)) + " ", text).strip()


@dataclass
class Seen:
    path: str
    body: object
    headers: dict


class MTServer:
    def __init__(self, deepl_key: str = "deepl-test-key"):
        self.faults: list[str] = []
        self.retry_after = "2"
        self.slow_seconds = 1.0
        self.latency = 0.0  # added to every request (benchmark)
        self.in_flight = self.max_in_flight = 0
        self.deepl_key = deepl_key
        self.glossaries: dict[str, dict] = {}
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> "MTServer":
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

    def texts(self, texts: list[str], fault: str | None, glossary: dict | None = None) -> list[str]:
        if fault == "echo":
            return list(texts)
        out = []
        for text in texts:
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
                server.seen.append(Seen(url.path, body, dict(self.headers)))
            with server.lock:
                server.in_flight += 1
                server.max_in_flight = max(server.max_in_flight, server.in_flight)
            try:
                time.sleep(server.latency)
                self._answer(url, method, body)
            finally:
                with server.lock:
                    server.in_flight -= 1

        def _answer(self, url, method: str, body) -> None:
            fault = None if url.path == "/v2/glossaries" else server.next_fault()
            try:
                if fault == "slow":
                    time.sleep(server.slow_seconds)
                if fault in ("429", "500", "403"):
                    secret = (self.headers.get("Authorization") or "").split(" ")[-1]
                    headers = {"Retry-After": server.retry_after} if fault == "429" else {}
                    return self._send(int(fault), json.dumps({"message": f"refused {secret}"}), headers=headers)
                if fault == "malformed":
                    return self._send(200, '{"translatedText": [unterminated', "application/json")
                if url.path == "/translate":
                    return self._libre(body, fault)
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
            answer = dict(zip(numbered, server.texts(list(numbered.values()), fault, terms)))  # a model that obeys
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


def entries(project, rel: str) -> dict:
    """msgid -> entry of `rel`'s English catalog, as written on disk."""
    import polib
    return {e.msgid: e for e in polib.pofile(str(project.po(rel))) if not e.obsolete}


def run(project, engine: str = "pseudo", url: str = "", waits: list | None = None, **options):
    """Plan and run a translation through the library API with instant backoff; returns the job."""
    from l10n.glossary import Glossary
    from l10n.memory import MEMORY_FILE, Memory
    from l10n.mt import Settings, create
    from l10n.translate import Options, plan

    settings = Settings(engine=engine, url=url, model="test-model", timeout=options.pop("timeout", 0.5))
    waits = [] if waits is None else waits
    config = project.config
    with Memory(config.root / MEMORY_FILE) as memory:
        job = plan(config, create(settings), memory=memory,
                   glossary=Glossary.load(config.root / "glossary.yaml"),
                   options=Options(backoff=0.001, max_backoff=30, sleep=waits.append, **options))
        job.run()
    return job
