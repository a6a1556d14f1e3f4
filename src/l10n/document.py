"""A source file as decoded text plus exactly what is needed to write it back byte for byte."""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .errors import L10nError

BOM = "\ufeff"
ENCODED_CHUNK = 1 << 16  # characters joined before they are encoded: few pieces to write, compare and hash
EOL = re.compile(r"\r\n|\r|\n")  # the line endings Markdown knows


@dataclass
class Document:
    """Decoded text (BOM removed, line endings untouched); offsets below index into `text`."""

    path: str  # as shown to users and written in PO references
    text: str
    bom: bool = False
    line_starts: array = field(init=False, repr=False)  # machine integers: a tenth of a list of ints

    def __post_init__(self) -> None:
        self.line_starts = array("q", [0])
        self.line_starts.extend(m.end() for m in EOL.finditer(self.text))

    def line_of(self, offset: int) -> int:
        """1-based line number holding `offset`."""
        return bisect.bisect_right(self.line_starts, offset)

    def line_span(self, index: int) -> tuple[int, int]:
        """(start, end) of 0-based line `index`, without its line ending."""
        start = self.line_starts[index]
        match = EOL.search(self.text, start)
        return start, match.start() if match else len(self.text)

    def newline_at(self, offset: int) -> str:
        """The line ending used by the line holding `offset` (the file's first one if it has none)."""
        match = EOL.search(self.text, offset) or EOL.search(self.text)
        return match.group(0) if match else "\n"

    def encode(self, text: str | None = None) -> bytes:
        """`text` (default: the document's own) as file bytes, with the original BOM."""
        return b"".join(self.encode_pieces((self.text if text is None else text,)))

    def encode_pieces(self, pieces: Iterable[str]) -> Iterator[bytes]:
        """`encode("".join(pieces))` a chunk at a time: the bytes of a large text never are in memory whole.
        (UTF-8 encodes each character on its own, so the pieces' bytes joined are the whole text's.)"""
        chunk, size = [BOM] if self.bom else [], 0
        for piece in pieces:
            chunk.append(piece)
            size += len(piece)
            if size >= ENCODED_CHUNK:
                yield "".join(chunk).encode("utf-8")
                chunk, size = [], 0
        yield "".join(chunk).encode("utf-8")


def decode_document(data: bytes, path: str) -> Document:
    """Decode a Markdown file, refusing what is not UTF-8 text with an error naming file and line."""
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise L10nError("binary file (NUL byte), not a Markdown article", path, line)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise L10nError(f"invalid UTF-8 (byte 0x{data[exc.start]:02x} at column {column}); "
                        "save the file as UTF-8", path, line) from None
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    if not text or text.isspace():  # `not text.strip()` without a copy of a long text
        raise L10nError("empty file: nothing to translate", path, 1)
    return Document(path, text, bom)

