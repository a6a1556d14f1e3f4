"""Machine translation of the untranslated PO entries, as a library: `run` (what `l10n translate` does) and `plan`.

    plan     what to send: memory look-ups, placeholders, requests (all `--dry-run` shows)  (planner.py)
    sender   requests, retries, pacing, the checks' second requests, claims, writing back    (sender.py)
    catalogs the catalogs being filled, saved without losing a translator's work          (catalogs.py)
    qa       judging machine drafts by the checks of `l10n check`                          (qa.py)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from .. import mt
from ..config import Config, Shard
from ..glossary import GLOSSARY_FILE, Glossary
from ..memory import TranslationMemory, open_memory
from ..mt import Engine
from ..pofile import load_catalog
from ..runner import FileResult, target_langs
from .catalogs import remember_reviewed, reviewed
from .planner import Plan, Summary, TranslateOptions
from .sender import SegmentProgress, Sender

__all__ = ["Job", "Plan", "Summary", "TranslateOptions", "learn", "plan", "run"]


class Job(Plan):
    """A plan and the means to send it: `run` carries it out (see `sender`)."""

    def run(self, progress: SegmentProgress | None = None) -> list[FileResult]:
        """Send the planned requests; every catalog touched is saved, even on Ctrl-C or a crash."""
        return Sender(self).run(progress)


def run(config: Config, settings: mt.Settings, paths: Iterable[Path] = (), langs: Iterable[str] = (), *,
        options: TranslateOptions | None = None, glossary: Glossary | None = None, shard: Shard | None = None,
        progress: Callable[[Job], AbstractContextManager[SegmentProgress | None]] | None = None) -> Job:
    """Translate the untranslated entries of the project (or of `paths`, in `langs`) with the engine `settings`
    name, through the project's translation memory (of `shard`'s part of the articles, if given); with
    `settings.dry_run`, only plan. Returns the plan,
    whose `results` and `summary` say what came of it. `progress(plan)` may give the callback to tick.

    The memory is opened first: an unreachable shared memory stops the run before anything is sent.
    """
    engine = mt.create(settings)
    glossary = glossary if glossary is not None else Glossary.load(config.root / GLOSSARY_FILE, config.root,
                                                                   GLOSSARY_FILE)
    options = options or TranslateOptions.from_settings(settings)
    with open_memory(config) as memory:
        job = plan(config, engine, paths, langs, memory=memory, glossary=glossary, options=options, shard=shard)
        if not settings.dry_run:
            with progress(job) if progress else nullcontext() as tick:
                job.run(tick)
    return job


def plan(config: Config, engine: Engine, paths: Iterable[Path] = (), langs: Iterable[str] = (), *,
         memory: TranslationMemory | None = None, glossary: Glossary | None = None,
         options: TranslateOptions | None = None, shard: Shard | None = None) -> Job:
    """Everything a run would send, without sending anything: call `.run()` on the result to send it."""
    return Job.make(config, engine, paths, target_langs(config, langs), memory=memory, glossary=glossary or Glossary(),
                     options=options or TranslateOptions(), shard=shard)


def learn(config: Config, memory: TranslationMemory) -> int:
    """Put every reviewed entry of the project's catalogs into the memory as human; returns how many."""
    count = 0
    for source in config.sources():
        for lang in config.target_langs:
            path = config.catalog_path(source, lang)
            if path.exists():
                po = load_catalog(path, config.display(path), config.root)
                count += remember_reviewed(memory, config.source_lang,
                                           ((lang, entry.msgid, entry.msgstr) for entry in reviewed(po)))
    memory.commit()
    return count
