"""What the last build wrote, so that a build with nothing changed rewrites nothing; and which code made
the catalogs, so that an extract with nothing changed trusts them only when it is the same code.

Kept in `.l10n/build-state.json` (not meant for version control): for each output, a stamp of
everything it was built from (source bytes, catalog bytes, options, and the code: `code_fingerprint`)
and a digest of the bytes written, which also notices an output edited by hand.

The state also tells build's own outputs from hand-made translations, so it must never lag behind the
outputs: each batch of a build first notes what it is about to write in a journal
(`.l10n/build-journal/`, see `journal`), then renames its outputs into place, and the state is saved at
the end of the run. A run killed in between leaves its journal; an output whose bytes are exactly what a
journal says was written is build's (`BuildState`), and the next save takes it into the state.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import fields
from functools import lru_cache
from pathlib import Path

from .config import LOCK_DIR, Config
from .confine import confined, read_file, read_or_none
from .errors import L10nError
from .fingerprint import code_fingerprint, digest
from .writes import atomic_write, process_alive, replace_unless_changed

STATE_FILE = Path(".l10n") / "build-state.json"
JOURNAL_DIR = Path(".l10n") / "build-journal"  # `<pid>_<token>.json`: what a batch of build is about to write
_JOURNAL_NAME = re.compile(r"(\d+)_[0-9a-f]+\.json")
EXTRACTED_BY = Path(".l10n") / "extracted-by"  # the `code_fingerprint` of the last complete extract


def build_stamp(*inputs: bytes) -> str:
    """Fingerprint of what an output is built from, including the code that built it."""
    return digest(code_fingerprint().encode(), *inputs)


def output_stamp(config: Config, source: Path, source_digest: str, lang: str, use_fuzzy: bool,
                 strict: bool, catalog: bytes | None = None) -> str:
    """The stamp of the output of `source` in `lang`: its source (by the digest the run already made of its
    bytes, `runner.Article.digest`) and catalog bytes, the options and settings.

    `catalog` is the catalog's content the output was rendered from (build passes the bytes it used: a
    save made meanwhile must not be stamped on an output built from the older catalog); None: read it now.
    """
    if catalog is None:
        path = config.catalog_path(source, lang)
        try:
            catalog = read_file(path, config.display(path), config.root)
        except L10nError:
            catalog = b""
    return build_stamp(source_digest.encode(), catalog, f"{use_fuzzy}{strict}".encode(), _settings(config))


def _settings(config: Config) -> bytes:
    """The settings an output depends on: every setting but where the project is (`root`, `origin`: a
    checkout moved builds the same) and the other modules' sections (`[translate]`, `[check]`...)."""
    return repr([(f.name, getattr(config, f.name)) for f in fields(config)
                 if f.name not in ("root", "origin", "extra")]).encode()


class BuildState:
    """The recorded outputs, with those that builds killed outright had put in place (their journals)."""

    def __init__(self, path: Path, root: Path):
        self.path, self.root = path, root
        try:
            recorded = _parse(read_or_none(path, root))
        except L10nError:
            recorded = {}
        self.outputs: dict[str, list[str]] = _with_journaled(recorded, _journals(root, False), root)
        self.updates: dict[str, list[str]] = {}  # this run's records, applied again on a newer state
        self.changed = False

    def fresh(self, output: Path, key: str, stamp: str) -> bool:
        """True if `output` was built from exactly `stamp` and is still what was written."""
        recorded = self.outputs.get(key)
        if not recorded or recorded[0] != stamp:
            return False
        try:
            return digest(read_file(output, key, self.root)) == recorded[1]
        except L10nError:
            return False

    def record(self, key: str, stamp: str, written: str) -> None:
        """Remember that `key` was built from `stamp` and that its bytes have digest `written`."""
        self.outputs[key] = self.updates[key] = [stamp, written]
        self.changed = True

    def save(self) -> None:
        """Write the state with this run's records and what the journals of finished builds show in place,
        then remove those journals. A state saved meanwhile (another build, e.g. of another shard) is read
        again and this run's records applied on top of it, so neither run's records are lost.

        Build calls it first at its start too, so that its workers judge outputs by a complete state; a
        journal of this process is then an interrupted build's, as builds of one process do not overlap."""
        confined(self.path, self.root)  # refused under its own name, before its lock's folder is
        journals = _journals(self.root, True)
        if not self.changed and not journals:
            return

        def recompute() -> tuple[bytes | None, bytes]:
            current = read_or_none(self.path, self.root)
            outputs = {**_parse(current), **self.updates}
            self.outputs = _with_journaled(outputs, journals, self.root, skip=self.updates)
            return current, _dump(self.outputs)

        replace_unless_changed(self.path, *recompute(), recompute, self.root / LOCK_DIR, self.root)
        for path in journals:
            try:
                os.unlink(path)
            except FileNotFoundError:  # removed by another build's save, which took it in too
                pass


def _parse(data: bytes | None) -> dict[str, list[str]]:
    try:
        outputs = json.loads(data) if data is not None else {}
    except ValueError:
        return {}
    return outputs if isinstance(outputs, dict) else {}


def _dump(outputs: dict[str, list[str]]) -> bytes:
    return json.dumps(outputs, indent=0, sort_keys=True).encode()


def journal(root: Path, records: dict[str, list[str]]) -> None:
    """Note what a batch of build is about to rename into place (`{output: [stamp, digest]}`), before it does.

    Renamed at once, without a sync of its own: the batch's flush syncs the file system (the project's)
    before its first rename. Removed by the `BuildState.save` that records it.
    """
    if records:
        name = f"{os.getpid()}_{secrets.token_hex(8)}.json"
        atomic_write(root / JOURNAL_DIR / name, _dump(records), root, durable=False)


def _journals(root: Path, this_process: bool) -> list[Path]:
    """The journals of builds that have finished (their process is gone; with `this_process`, its own too)."""
    folder = root / JOURNAL_DIR
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    found = []
    for name in names:
        match = _JOURNAL_NAME.fullmatch(name)
        if match is None:
            continue
        pid = int(match.group(1))
        if not process_alive(pid) or (this_process and pid == os.getpid()):
            found.append(folder / name)
    return found


def _with_journaled(outputs: dict[str, list[str]], journals: list[Path], root: Path,
                    skip: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """`outputs` plus the journals' records of outputs that hold exactly the bytes journaled (a record
    whose rename never happened, or whose file was replaced since, proves nothing and is left out);
    `skip`: outputs recorded by this run, which know better."""
    for path in journals:
        try:
            records = _parse(read_or_none(path, root))
        except L10nError:
            continue
        for key, record in records.items():
            if not _is_record(record) or outputs.get(key) == record or (skip and key in skip):
                continue
            try:
                written = read_or_none(root / key, root)
            except L10nError:
                continue
            if written is not None and digest(written) == record[1]:
                outputs[key] = record
    return outputs


def _is_record(record: object) -> bool:
    return isinstance(record, list) and len(record) == 2 and all(isinstance(part, str) for part in record)


def written_by_build(root: Path, key: str) -> bool:
    """Whether the build state of the project at `root` records output `key`."""
    return built_digest(root, key) is not None


def built_digest(root: Path, key: str) -> str | None:
    """The digest of what the last build wrote to `key`, if any (the state is read once per version)."""
    path = root / STATE_FILE
    try:
        info = os.stat(path)
    except OSError:
        return None
    recorded = _recorded(str(root), info.st_mtime_ns, info.st_size).get(key)
    return recorded[1] if recorded else None


@lru_cache(maxsize=4)
def _recorded(root: str, mtime: int, size: int) -> dict[str, list[str]]:
    return BuildState(Path(root) / STATE_FILE, Path(root)).outputs


def extracted_by_this_code(root: Path) -> bool:
    """Whether the catalogs of the project at `root` were all last extracted by the code running now.

    A catalog's header names the digest of its source (and of the segmenter's settings), which lets an
    unchanged source skip its parse; but the same source read by another version of l10n, markdown-it-py
    or PyYAML may give other segments. Until a complete extract has run with this code, none is skipped
    (one that changes nothing rewrites nothing)."""
    try:
        return read_or_none(root / EXTRACTED_BY, root) == code_fingerprint().encode()
    except L10nError:
        return False


def record_extraction(root: Path) -> None:
    """Every catalog is now what this code extracts (a complete extract ran with it, without failure)."""
    atomic_write(root / EXTRACTED_BY, code_fingerprint().encode(), root)
