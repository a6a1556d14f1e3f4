"""The compact line tables of a long article answer as the plain Python ones they replace.

`Document.line_starts` is an array of machine integers, not a list of ints, and the segmenter marks the
lines of code, HTML and leaf blocks in a byte per line (`LineSet`), not in sets of ints: a long article's
tables weigh a tenth and a fiftieth as much. Proven against the list and the set, on the fixture corpus
and on random texts mixing every line ending, and random marks and lookups (below the first line, past
the last).
"""

from __future__ import annotations

import bisect
import random
from pathlib import Path

from l10n.document import EOL, Document
from l10n.formats.markdown.segmenter import LineSet

REPO = Path(__file__).resolve().parents[1]
CORPUS = sorted((REPO / "tests/fixtures/corpus").glob("*.md"))


def random_texts(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    pieces = ["", "甲", "ab", " ", "\n", "\r\n", "\r", "\n\n", "\r\r\n", "\u2028", "\x85"]
    return [
        "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))) for _ in range(count)
    ]


def test_line_numbers_and_spans_are_those_of_a_list_of_line_starts() -> None:
    texts = [p.read_text(encoding="utf-8") for p in CORPUS] + random_texts(400)
    for text in texts:
        doc = Document("t.md", text)
        starts = [0] + [m.end() for m in EOL.finditer(text)]
        assert list(doc.line_starts) == starts
        for offset in range(len(text) + 2):
            assert doc.line_of(offset) == bisect.bisect_right(starts, offset)
        for index, start in enumerate(starts):
            match = EOL.search(text, start)
            assert doc.line_span(index) == (start, match.start() if match else len(text))


def test_a_line_set_holds_what_a_set_of_ints_holds() -> None:
    rng = random.Random(11)
    for _ in range(300):
        lines, marked = LineSet(), set()
        for _ in range(rng.randint(0, 8)):
            start = rng.randint(0, 60)
            marks = range(start, start + rng.randint(0, 20))
            lines.update(marks)
            marked.update(marks)
        for line in range(-3, 90):
            assert (line in lines) == (line in marked), line
        again = LineSet()
        for line in sorted(marked, reverse=True):  # sized at once by the last line, then filled
            again.update(range(line, line + 1))
        assert again == lines and (lines == LineSet()) == (not marked)
