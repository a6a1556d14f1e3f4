"""A project for the review tests: the seed, the check fixtures and the corpus, with every state a reviewer meets.

- `posts/xai-burn-rate.md`: the seed with its English catalog; one source sentence edited after
  translation, so its entry is fuzzy with the previous msgid (`#|`): 心脏地带 became 核心地带.
- `news/*.md`: the check fixtures, translated carefully; in `night-economy.md` one translation carries a
  `<script>`, an `onerror=` and a `javascript:` link (refused by build, reported by check); in
  `chip-export.md` one entry is left untranslated and the built output is then edited by hand.
- `corpus/*.md`: the fixture corpus, pseudo-translated.
- `news/hostile.md`: the source itself holds `<script>`, `onerror=` and a `javascript:` link, and its
  pseudo-translation keeps them (so build accepts it): the rendered reader view must show them as text.
- `corpus/yaml-basic.md`: its first paragraph is a machine draft the MT quality loop flagged (fuzzy, with
  `# machine translation:` and `# l10n-qa: numbers: ...` comments).
- `news/fresh.md`: no catalog yet. `news/broken.md`: its catalog has a PO syntax error.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib

from l10n import project as core

TESTS = Path(__file__).parent
SEED = TESTS.parent
CHECK_FIXTURES = TESTS / "fixtures" / "check"
CORPUS = TESTS / "fixtures" / "corpus"
SEED_REL = "posts/xai-burn-rate.md"
EDITED_FROM, EDITED_TO = "心脏地带", "核心地带"
INJECTION = ('<script>window.__pwned = 1</script> Night <img src=x onerror="window.__pwned = 2"> '
             '[click](javascript:window.__pwned=3) economy')
HOSTILE = ("---\ntitle: 不可信的内容\n---\n\n"
           "这段原文带有<script>window.__pwned = 4</script>脚本和[链接](javascript:window.__pwned=5)，"
           "还有<img src=x onerror=\"window.__pwned = 6\">图片。\n\n"
           "<script>window.__pwned = 7</script>\n")
INJECTED_MSGID = "在一条以小吃闻名的老街上"  # the night-economy paragraph whose translation is replaced
QA_REL = "corpus/yaml-basic.md"
QA_COMMENT = "l10n-qa: numbers: '140亿' (14,000,000,000) is not in the translation"


def make_review_site(project, pseudo) -> dict[str, Path]:
    root = project.root
    for part in ("content/zh", "locales/en", "content/en"):
        shutil.copytree(SEED / part, root / part, dirs_exist_ok=True)
    shutil.copy(SEED / "glossary.yaml", root / "glossary.yaml")
    articles = sorted((CHECK_FIXTURES / "articles").glob("*.md"))
    for source in articles:
        project.add_fixture(source, f"news/{source.name}")
    for source in sorted(CORPUS.glob("*.md")):
        project.add_fixture(source, f"corpus/{source.name}")
    seed = project.root / "content" / "zh" / SEED_REL
    seed.write_text(seed.read_text(encoding="utf-8").replace(EDITED_FROM, EDITED_TO, 1), encoding="utf-8")
    project.add("news/hostile.md", HOSTILE)
    project.add("news/broken.md", "---\ntitle: 坏掉的目录\n---\n\n这一段的目录文件坏了。\n")
    core.extract(project.config)
    for source in articles:
        done = json.loads(source.with_suffix(".en.json").read_text(encoding="utf-8"))
        project.translate_all(f"news/{source.name}", done.__getitem__)
    for source in sorted(CORPUS.glob("*.md")):
        project.translate_all(f"corpus/{source.name}", pseudo)
    project.translate_all("news/hostile.md", pseudo)
    night = polib.pofile(str(project.po("news/night-economy.md")))
    entry = next(e for e in night if e.msgid.startswith(INJECTED_MSGID))
    entry.msgstr = INJECTION
    night.save()
    chip = polib.pofile(str(project.po("news/chip-export.md")))
    untranslated = next(e for e in chip if e.msgid == "背景")
    untranslated.msgstr = ""
    chip.save()
    drafts = polib.pofile(str(project.po(QA_REL)))
    draft = next(e for e in drafts if e.comment == "paragraph")
    draft.flags.append("fuzzy")
    draft.tcomment = f"machine translation: libre\n{QA_COMMENT}"
    drafts.save()
    core.build(project.config)
    edited = project.out("news/chip-export.md")
    edited.write_text(edited.read_text(encoding="utf-8") + "\nAn editor's note added by hand.\n", encoding="utf-8")
    shutil.copy(TESTS / "fixtures" / "bad" / "syntax-error.po", project.po("news/broken.md"))
    project.add("news/fresh.md", "---\ntitle: 新文章\n---\n\n还没有提取的新文章。\n")
    return {"seed": seed, "night": project.root / "content/zh/news/night-economy.md",
            "chip": project.root / "content/zh/news/chip-export.md"}
