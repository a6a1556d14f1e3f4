"""deep-translator's MyMemory, Microsoft and Baidu over real HTTP to a local server speaking each API.

The engines are pointed at the server with `url` (what deep-translator calls its base URL); the
server checks what each request carries (MyMemory's q/langpair, Microsoft's key header and JSON
body, Baidu's appid/salt/sign) and misbehaves on demand. Assertions are on the PO files.
"""

from __future__ import annotations

import hashlib

import polib
import pytest

from l10n.config import config_text
from l10n.errors import L10nError
from mt_servers import MTServer, assert_drafts, entries, make_site, run

MICROSOFT_KEY, BAIDU_APPID, BAIDU_APPKEY = "s3cr3t-azure-key-42", "2015063000000001", "s3cr3t-baidu-appkey-42"
PATHS = {"mymemory": "/get", "microsoft": "/translate", "baidu": "/api/trans/vip/translate"}
ONE = "见[链接](https://a.b/c)和`代码`，马斯克说。\n"
TRANSLATED = "j [ad](https://a.b/c) m `代码`, Musk a ."


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setenv("MICROSOFT_API_KEY", MICROSOFT_KEY)
    monkeypatch.setenv("BAIDU_APPID", BAIDU_APPID)
    monkeypatch.setenv("BAIDU_APPKEY", BAIDU_APPKEY)
    with MTServer(microsoft_key=MICROSOFT_KEY, baidu_appid=BAIDU_APPID, baidu_appkey=BAIDU_APPKEY) as s:
        yield s


def url_for(server: MTServer, engine: str) -> str:
    """The translate URL as the provider spells it, on the local server."""
    return server.url + PATHS[engine] + ("?api-version=3.0" if engine == "microsoft" else "")


def sent(server: MTServer, engine: str) -> list[dict]:
    """The parameters of each translate request: query and form fields, plus Microsoft's JSON texts."""
    out = []
    for seen in server.requests(PATHS[engine]):
        params = {name: values[0] for name, values in seen.query.items()}
        if engine == "microsoft":
            params["texts"] = [item["text"] for item in seen.body]
        out.append(params)
    return out


def one_entry(project) -> None:
    (project.root / "glossary.yaml").write_text("terms:\n  - source: 马斯克\n    target: Musk\n", encoding="utf-8")
    project.add("one.md", ONE)
    assert project.cli("extract").exit_code == 0


@pytest.mark.parametrize("engine", PATHS)
def test_each_engine_fills_empty_entries_as_fuzzy_drafts_with_markup_and_glossary_intact(project, server, engine):
    make_site(project)
    job = run(project, engine, url_for(server, engine))
    assert_drafts(project, engine)
    assert job.summary.failed == 0
    requests = sent(server, engine)
    texts = [r["texts"][0] if engine == "microsoft" else r["q"] for r in requests]
    assert sum("竞争" in t for t in texts) == 1 and all(texts)  # one text per request, shared paragraph once
    if engine == "mymemory":
        assert {r["langpair"] for r in requests} == {"zh-CN|en-GB"}
    elif engine == "microsoft":
        assert {(r["from"], r["to"]) for r in requests} == {("zh-hans", "en")}
        headers = {name.lower(): value for name, value in server.requests("/translate")[0].headers.items()}
        assert headers["ocp-apim-subscription-key"] == MICROSOFT_KEY and "json" in headers["content-type"]
        assert server.requests("/languages")  # the language list came from the local server too
    else:
        assert {(r["from"], r["to"], r["appid"]) for r in requests} == {("zh", "en", BAIDU_APPID)}
        assert all(r["sign"] == hashlib.md5((BAIDU_APPID + r["q"] + r["salt"] + BAIDU_APPKEY).encode()).hexdigest()
                   for r in requests) and len({r["salt"] for r in requests}) > 1
        assert not any(BAIDU_APPKEY in str(r) for r in requests)  # the appkey only signs, it is never sent


SCENARIOS = {  # faults -> (translated?, requests to the translate endpoint)
    ("429",): (True, 2), ("500",): (True, 2), ("slow",): (True, 2), ("malformed",): (True, 2),
    ("drop",): (True, 2), ("echo",): (True, 2),
    ("500",) * 5: (False, 5), ("echo", "echo"): (False, 2),
}
REFUSALS = {"mymemory": "quota", "baidu": "54003"}  # rate limits inside a 200 reply (Microsoft uses 429)


def scenarios() -> list:
    params = []
    for engine in PATHS:
        cases = dict(SCENARIOS)
        if engine in REFUSALS:
            cases.update({(REFUSALS[engine],): (True, 2), (REFUSALS[engine],) * 5: (False, 5)})
        params += [pytest.param(engine, faults, outcome, id=f"{engine}-{'-'.join(faults)}")
                   for faults, outcome in cases.items()]
    return params


@pytest.mark.parametrize(("engine", "faults", "outcome"), scenarios())
def test_a_misbehaving_server_is_retried_and_never_leaves_a_broken_translation(project, server, engine, faults,
                                                                                outcome):
    one_entry(project)
    server.faults, server.slow_seconds = list(faults), 0.6
    waits: list[float] = []
    job = run(project, engine, url_for(server, engine), waits, timeout=0.3)
    translated, requests = outcome
    entry = entries(project, "one.md")[ONE.strip()]
    assert len(server.requests(PATHS[engine])) == requests
    if translated:
        assert entry.msgstr == TRANSLATED and "fuzzy" in entry.flags
        assert job.summary.failed == 0
    else:  # MyMemory's quota warning, say, never becomes the translation
        assert entry.msgstr == "" and "fuzzy" not in entry.flags
        assert job.summary.failed == 1
        errors = [str(e) for r in job.results for e in r.errors]
        assert len(errors) == 1 and errors[0].startswith("content/zh/one.md:1: not translated (en)")
        assert engine in errors[0] or faults == ("echo", "echo")
    if faults == ("429",):
        assert waits and waits[0] >= 2.0  # Retry-After was honoured


@pytest.mark.parametrize("engine", ["microsoft", "baidu"])
def test_keys_never_appear_in_errors_output_or_files(project, server, engine, capsys, caplog):
    secrets = [MICROSOFT_KEY] if engine == "microsoft" else [BAIDU_APPID, BAIDU_APPKEY]
    one_entry(project)
    server.faults = ["500"] * 5  # each error reply quotes the key header, or Baidu's appid and sign
    job = run(project, engine, url_for(server, engine), retries=4)
    messages = [str(e) for r in job.results for e in r.errors]
    assert messages and all(engine in m for m in messages)
    assert not any(secret in m for m in messages for secret in secrets)
    if engine == "microsoft":
        server.microsoft_key = "another"  # now the server refuses the key, quoting it
    else:
        server.baidu_appid = "another"  # 52003, the appid quoted
    with pytest.raises(L10nError) as refused:
        run(project, engine, url_for(server, engine), force=True)
    assert "refused the credentials" in str(refused.value)
    result = project.cli("translate", "--engine", engine, "--url", url_for(server, engine), "--force")
    assert result.exit_code != 0 and "refused the credentials" in result.output
    shown = str(refused.value) + result.output + capsys.readouterr().out + caplog.text
    assert not any(secret in shown for secret in secrets)
    for path in project.root.rglob("*"):
        if path.is_file():
            assert not any(secret.encode() in path.read_bytes() for secret in secrets), path


def test_a_wrong_baidu_appkey_ends_the_run_instead_of_being_retried(project, server):
    server.baidu_appkey = "not-the-one-we-sign-with"  # 54001: the signature does not match
    one_entry(project)
    with pytest.raises(L10nError, match="refused the credentials"):
        run(project, "baidu", url_for(server, "baidu"))
    assert len(server.requests(PATHS["baidu"])) == 1


@pytest.mark.parametrize(("engine", "codes"), [("mymemory", "zh-CN|ja-JP"), ("microsoft", ("zh-hans", "ja")),
                                              ("baidu", ("zh", "jp"))], ids=PATHS)
def test_our_language_codes_become_each_service_s(project, server, engine, codes):
    (project.root / "l10n.toml").write_text(config_text("zh", ["ja"]), encoding="utf-8")
    one_entry(project)
    job = run(project, engine, url_for(server, engine))
    (entry,) = polib.pofile(str(project.po("one.md", "ja")))
    assert job.summary.failed == 0 and entry.msgstr == TRANSLATED
    (request,) = sent(server, engine)
    assert (request["langpair"] if engine == "mymemory" else (request["from"], request["to"])) == codes


def test_a_language_the_service_lacks_ends_the_run(project, server):
    (project.root / "l10n.toml").write_text(config_text("zh", ["ka"]), encoding="utf-8")  # no Georgian at Baidu
    one_entry(project)
    with pytest.raises(L10nError, match="baidu: cannot translate zh -> ka"):
        run(project, "baidu", url_for(server, "baidu"))
    assert server.seen == []
