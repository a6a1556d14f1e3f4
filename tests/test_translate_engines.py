"""Every shipped protocol over real HTTP to a local server, behaving and misbehaving; asserts the PO files."""

from __future__ import annotations

import json

import pytest

from l10n.errors import L10nError
from mt_servers import MTServer, assert_drafts, entries, make_site, run

ENGINES = {"libre": "/translate", "openai": "/v1/chat/completions", "deepl": "/v2/translate", "google": "/m"}
ONE = "见[链接](https://a.b/c)和`代码`，马斯克说。\n"


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv("DEEPL_AUTH_KEY", "deepl-test-key")
    with MTServer() as s:
        yield s


def url_for(server: MTServer, engine: str) -> str:
    return server.url + ("/m" if engine == "google" else "/v1" if engine == "openai" else "/")


@pytest.mark.parametrize("engine", ENGINES)
def test_each_engine_fills_empty_entries_as_fuzzy_drafts_with_markup_and_glossary_intact(project, server, engine):
    make_site(project)
    job = run(project, engine, url_for(server, engine))
    assert_drafts(project, engine)
    assert job.summary.failed == 0 and job.summary.characters == job.summary.unique_characters
    sent = [t for r in server.requests(ENGINES[engine]) for t in _texts(engine, r.body)]
    assert sum("竞争" in t for t in sent) == 1  # the paragraph both articles share went out once


def _texts(engine: str, body) -> list[str]:
    if engine == "openai":
        return list(json.loads(body["messages"][-1]["content"]).values())
    return body["text"] if engine == "deepl" else body["q"]


SCENARIOS = {  # faults -> (translated?, requests to the translate endpoint)
    ("429",): (True, 2), ("500",): (True, 2), ("slow",): (True, 2), ("malformed",): (True, 2),
    ("drop",): (True, 2), ("echo",): (True, 2),
    ("drop", "drop"): (False, 2), ("echo", "echo"): (False, 2), ("500",) * 5: (False, 5),
}


@pytest.mark.parametrize("faults", SCENARIOS, ids="-".join)
@pytest.mark.parametrize("engine", ENGINES)
def test_a_misbehaving_server_is_retried_and_never_leaves_a_broken_translation(project, server, engine, faults):
    (project.root / "glossary.yaml").write_text("terms:\n  - source: 马斯克\n    target: Musk\n", encoding="utf-8")
    project.add("one.md", ONE)
    assert project.cli("extract").exit_code == 0
    server.faults = list(faults)
    server.slow_seconds = 1.6 if engine == "deepl" else 0.6  # deepl waits at least ~1 s whatever it is told
    waits: list[float] = []
    job = run(project, engine, url_for(server, engine), waits, timeout=0.3)
    translated, requests = SCENARIOS[faults]
    entry = entries(project, "one.md")[ONE.strip()]
    assert len(server.requests(ENGINES[engine])) == requests
    if translated:
        assert entry.msgstr == "j [ad](https://a.b/c) m `代码`, Musk a ." and "fuzzy" in entry.flags
        assert job.summary.failed == 0
    else:
        assert entry.msgstr == "" and "fuzzy" not in entry.flags
        assert job.summary.failed == 1
        errors = [str(e) for r in job.results for e in r.errors]
        assert len(errors) == 1 and errors[0].startswith("content/zh/one.md:1: not translated (en)")
    if faults == ("429",) and engine != "deepl":  # deepl's package does not expose Retry-After
        assert waits and waits[0] >= 2.0


def test_a_deepl_key_never_appears_in_errors_or_files(project, monkeypatch):
    secret = "s3cr3t-deepl-key-123"
    monkeypatch.setenv("DEEPL_AUTH_KEY", secret)
    make_site(project)
    with MTServer(deepl_key=secret) as server:
        server.faults = ["500"] * 5
        job = run(project, "deepl", server.url, retries=4)
        messages = [str(e) for r in job.results for e in r.errors]
        assert messages and not any(secret in m for m in messages)
        assert all("deepl" in m for m in messages)
        server.deepl_key = "another"  # now the server refuses the key, quoting it in its reply
        with pytest.raises(L10nError) as refused:
            run(project, "deepl", server.url, force=True)
        assert "refused the credentials" in str(refused.value) and secret not in str(refused.value)
    for path in project.root.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path


def test_deepl_gets_the_glossary_as_a_deepl_glossary_and_placeholders_as_xml(project, server):
    make_site(project)
    run(project, "deepl", server.url)
    (glossary,) = server.glossaries.values()
    assert glossary["entries"] == {"马斯克": "Musk"}  # do-not-translate terms are protected instead
    body = server.requests("/v2/translate")[0].body
    assert body["glossary_id"] == glossary["info"]["glossary_id"] and body["tag_handling"] == "xml"
    assert body["target_lang"] == "EN-US" and any('<x id="1"/>' in t for t in body["text"])
    assert "马斯克" in "".join(body["text"])  # sent as is: DeepL applies the glossary
    run(project, "deepl", server.url, force=True)
    assert len(server.glossaries) == 1  # found again by name, not created twice


def test_an_llm_gets_numbered_segments_the_title_and_the_glossary_terms_that_occur(project, server):
    make_site(project)
    run(project, "openai", server.url + "/v1")
    body = server.requests("/v1/chat/completions")[0].body
    system = body["messages"][0]["content"]
    assert "马斯克的算力豪赌" in system and "马斯克 -> Musk (Elon Musk)" in system
    assert body["temperature"] <= 0.2 and body["model"] == "test-model"
    assert len(server.requests("/v1/chat/completions")) == 1  # all of both articles in one request
