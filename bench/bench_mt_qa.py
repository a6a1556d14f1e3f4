"""Benchmark the check-and-repair loop of `translate` on the fixture corpus, through an engine that blunders.

    python bench/bench_mt_qa.py                    # 30% of the texts get a mistake; openai and libre protocols
    python bench/bench_mt_qa.py --share 0.5

The site: the articles of tests/fixtures/check/ (news with amounts, dates, glossary terms) and of
tests/fixtures/corpus/ (every Markdown construct), with the check fixtures' glossary. The engine:
tests/mt_blunders.py behind the local stand-in server (wrong 万/亿 scale, a dropped percentage, a
term transliterated, a Chinese word left, full-width commas, in a hash-chosen share of the texts).
For each protocol it prints:

1. without the loop (`--qa off`): the share of drafts with an error-level finding of `l10n check`,
   against the share of texts the stand-in put a mistake into;
2. with it (`--qa on`): repaired / wrong at first (target >= 95%), flagged drafts each with an
   `# l10n-qa:` comment per finding, and, after accepting every draft without such a comment (fuzzy
   flag removed), the error-level findings of `l10n check --allow-fuzzy` on clean-looking entries
   (target 0);
3. the characters the loop re-sent against the characters of the drafts that were wrong (target <= 1.2);
   for the openai protocol the characters of the findings sent in its prompt too.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests")]

import polib  # noqa: E402

from l10n import project as core  # noqa: E402
from l10n.checks import ERROR, CheckOptions, check_project  # noqa: E402
from l10n.config import config_text, load_config  # noqa: E402
from l10n.glossary import Glossary  # noqa: E402
from l10n.memory import MEMORY_FILE  # noqa: E402
from l10n.memory.sqlite import SqliteMemory as Memory  # noqa: E402
from l10n.mt import Settings, create  # noqa: E402
from l10n.translate import TranslateOptions, plan  # noqa: E402
from l10n.translate.qa import QA_COMMENT  # noqa: E402
from mt_blunders import Blunders  # noqa: E402
from mt_servers import MTServer  # noqa: E402

FIXTURES = HERE.parent / "tests" / "fixtures"


def make_site(root: Path):
    """The fixture corpus as a project, extracted."""
    (root / "content" / "zh").mkdir(parents=True)
    (root / "l10n.toml").write_text(config_text("zh", ["en"]), encoding="utf-8")
    for source in [*sorted((FIXTURES / "check" / "articles").glob("*.md")),
                   *sorted((FIXTURES / "corpus").glob("*.md"))]:
        shutil.copy(source, root / "content" / "zh" / source.name)
    shutil.copy(FIXTURES / "check" / "glossary.yaml", root / "glossary.yaml")
    config = load_config(root)
    core.extract(config)
    return config


def translate(config, server: MTServer, engine: str, qa: str):
    settings = Settings(engine=engine, url=server.url + ("/v1" if engine == "openai" else ""), model="bench")
    with Memory(config.root / MEMORY_FILE, config.root) as memory:
        glossary = Glossary.load(config.root / "glossary.yaml", config.root)
        job = plan(config, create(settings), memory=memory, glossary=glossary, options=TranslateOptions(qa=qa))
        job.run()
    return job


def entry_errors(config) -> dict[str, set[str]]:
    """msgid -> the error-level entry checks `l10n check --allow-fuzzy` reports for it."""
    report = check_project(config, options=CheckOptions.from_config(config, allow_fuzzy=True))
    found: dict[str, set[str]] = {}
    for finding in report.findings:
        if finding.msgid and finding.severity == ERROR:
            found.setdefault(finding.msgid, set()).add(finding.check)
    return found


def catalogs(config) -> list[polib.POFile]:
    return [polib.pofile(str(path)) for path in sorted((config.root / "locales").rglob("*.po"))]


def flags(entry: polib.POEntry) -> list[str]:
    return [line[len(QA_COMMENT):] for line in entry.tcomment.splitlines() if line.startswith(QA_COMMENT)]


def one_protocol(engine: str, share: float, work: Path) -> dict:
    results = {}
    with MTServer() as server:
        server.blunders = Blunders(share)
        config = make_site(work / f"{engine}-off")
        job = translate(config, server, engine, "off")
        errors = entry_errors(config)
        injected = {text for text, _ in server.blunders.injected}
        results["off"] = (len(errors), job.summary.segments, len(injected), len(server.blunders.injected))

        server.blunders = Blunders(share)
        config = make_site(work / f"{engine}-on")
        job = translate(config, server, engine, "on")
        flagged_without_comment, accepted = 0, 0
        for po in catalogs(config):
            for entry in po:
                if entry.msgstr and not flags(entry):
                    entry.flags = [f for f in entry.flags if f != "fuzzy"]  # the editor accepts the clean ones
                    accepted += 1
            po.save()
        errors = entry_errors(config)
        clean_looking = {msgid for msgid in errors
                         if any(not flags(e) for po in catalogs(config) for e in po if e.msgid == msgid)}
        unnamed = {msgid: checks for msgid, checks in errors.items()
                   if any(checks - {f.split(":")[0] for f in flags(e)} for po in catalogs(config)
                          for e in po if e.msgid == msgid and flags(e))}
        results["on"] = (job.summary, accepted, len(clean_looking), len(unnamed), flagged_without_comment)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--share", type=float, default=0.3, help="share of texts the engine gets wrong (0.3)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="l10n-bench-qa-"))
    try:
        print(f"fixture corpus: {len(list((FIXTURES / 'check' / 'articles').glob('*.md')))} news articles + "
              f"{len(list((FIXTURES / 'corpus').glob('*.md')))} corpus articles; mistakes in {args.share:.0%} "
              "of the texts that can hold one")
        for engine in ("openai", "libre"):
            r = one_protocol(engine, args.share, work)
            wrong, drafts, injected, mistakes = r["off"]
            s, accepted, clean_looking, unnamed, _ = r["on"]
            first = s.repaired + s.flagged
            print(f"\n{engine}:")
            print(f"  without the loop: {wrong}/{drafts} drafts with an error-level finding "
                  f"= {wrong / max(drafts, 1):.1%}; "
                  f"the stand-in put a mistake into {injected} texts ({injected / max(drafts, 1):.1%})")
            print(f"  with the loop: {s.clean} clean, {first} wrong at first: {s.repaired} repaired "
                  f"({s.repaired / max(first, 1):.1%}), {s.flagged} flagged with # l10n-qa; after accepting the "
                  f"{accepted} clean entries: {clean_looking} clean-looking entries with an error-level finding, "
                  f"{unnamed} flagged entries with a finding their comments do not name")
            print(f"  cost: {s.qa_characters} characters re-sent / {s.qa_wrong_characters} characters of the wrong "
                  f"drafts = {s.qa_characters / max(s.qa_wrong_characters, 1):.2f}"
                  + (f"; findings in the prompt: {s.qa_note_characters} characters" if s.qa_note_characters else "")
                  + f"; all characters sent {s.characters}, requests {s.requests}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
