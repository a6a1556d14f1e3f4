"""TMX 1.4 import and export: the translation memory to and from OmegaT, Trados and Weblate."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from .. import DISTRIBUTION, __version__
from ..errors import L10nError
from ..langs import primary
from ..writes import atomic_write
from . import HUMAN, TranslationMemory, Unit, now

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ORIGIN_PROP = "x-l10n-origin"


def export_tmx(memory: TranslationMemory, path: Path, source_lang: str) -> int:
    """Write the best unit of each segment from `source_lang` as TMX 1.4; returns how many were written."""
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(root, "header", {"creationtool": DISTRIBUTION, "creationtoolversion": __version__,
                                   "segtype": "paragraph", "o-tmf": "l10n", "adminlang": "en",
                                   "srclang": source_lang, "datatype": "plaintext"})
    body = ET.SubElement(root, "body")
    count = 0
    for unit in memory.best():
        if unit.source_lang != source_lang:
            continue
        tu = ET.SubElement(body, "tu", {"creationdate": unit.created, "creationid": unit.origin})
        ET.SubElement(tu, "prop", type=_ORIGIN_PROP).text = unit.origin
        for lang, text in ((unit.source_lang, unit.source), (unit.target_lang, unit.target)):
            ET.SubElement(ET.SubElement(tu, "tuv", {_XML_LANG: lang}), "seg").text = text
        count += 1
    ET.indent(root)
    data = b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"
    atomic_write(path, data, None)  # where the user asked for it on the command line
    return count


def import_tmx(memory: TranslationMemory, path: Path, source_lang: str, target_langs: tuple[str, ...],
               display: str | None = None) -> int:
    """Add the units of a TMX file for this project's languages; returns how many were added.

    Languages match on their primary subtag (`zh-CN` is `zh`). A unit without an l10n origin
    property counts as human: that is what CAT tools export.
    """
    display = display or str(path)
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise L10nError(f"not a readable TMX file: {exc}", display) from None
    body = root.find("body")
    if root.tag != "tmx" or body is None:
        raise L10nError("not a TMX file (no <tmx><body>)", display)
    wanted = {primary(lang): lang for lang in target_langs}
    count = 0
    for tu in body.iter("tu"):
        segs = {primary(tuv.get(_XML_LANG) or tuv.get("lang") or ""): "".join(seg.itertext())
                for tuv in tu.iter("tuv") if (seg := tuv.find("seg")) is not None}
        source = segs.get(primary(source_lang))
        if not source:
            continue
        prop = tu.find(f"prop[@type='{_ORIGIN_PROP}']")
        origin = prop.text if prop is not None and prop.text else HUMAN
        for lang, target in segs.items():
            if lang in wanted and target:
                memory.add(Unit(source_lang, wanted[lang], source, target, origin, tu.get("creationdate") or now()))
                count += 1
    memory.commit()
    return count
