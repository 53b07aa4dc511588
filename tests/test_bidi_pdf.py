"""Bidi that holds, read off the printed page: the order of characters on each line.

tests/fixtures/bidi/01-mixed.md holds one case per paragraph. The book is
built and every line is read back from PDFium's character boxes, sorted by
x: what a reader sees, left to right. Points and spaces are left out (they
do not decide the order), brackets are compared without their side (a
reader's text engine may mirror the character it reports for a mirrored
glyph) and curly quotes as straight ones.
"""

from __future__ import annotations

import shutil
import unicodedata

import pytest
from conftest import FIXTURES, build
from hebrew_text import PrintedChar, printed_chars

# Each case as it must print, left to right.
CASES = {
    "Hebrew word in English, punctuation after it": "Aword,םולש,thenmore.",
    "Hebrew quotation in quotation marks": 'Hesaid"םכילעםולש"toall.',
    "emphasis across a direction change (English)": "Emphasisacrossםכילעםולשandback.",
    "note call after a Hebrew word in English": "Theword1םולשhasanote.",
    "brackets at run boundaries (English)": "Brackets|םולש|and!םכילע!here.",
    "English inside Hebrew": ".ןאכTanyaרפסבבותכ",
    "(Isaiah 41:8) inside Hebrew": ".ןאכ|Isaiah41:8|בותכשומכ",
    "note call after an English word in Hebrew": ".ןאכםילמדועוEnglish2תחאהלמ",
    "a range and a reference inside Hebrew": ".ןאכ|ch.36|םגו3–5קרפהאר",
    "emphasis across a direction change (Hebrew)": ".ןאכדועוEmphasisהכראהשגדה",
    "brackets at run boundaries (Hebrew)": ".הרושבןאכ!Tanya!םירוגסו|English|םירגוס",
}
_SIDELESS = str.maketrans({"(": "|", ")": "|", "[": "!", "]": "!", "“": '"', "”": '"'})


@pytest.fixture(scope="module")
def printed_lines(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    root = tmp_path_factory.mktemp("bidi")
    source = root / "source"
    source.mkdir()
    shutil.copy(FIXTURES / "bidi" / "01-mixed.md", source)
    result = build("pdf", "--source", str(source), "--out", str(root / "out"))
    assert result.returncode == 0, result.stderr
    pdf = root / "out" / "book.pdf"
    import pypdfium2 as pdfium

    return [line for page in range(len(pdfium.PdfDocument(pdf))) for line in _lines(printed_chars(pdf, page))]


def _lines(chars: list[PrintedChar]) -> list[str]:
    """The page's lines, top to bottom, each as its characters left to right."""
    # Format characters print nothing (the text layer's word joiners, press/engine/pdftext/plan.py).
    shown = [c for c in chars if c.right - c.left > 0.01 and not c.char.isspace()
             and unicodedata.category(c.char) not in ("Mn", "Cf")]
    shown.sort(key=lambda c: -c.middle[1])
    lines: list[list[PrintedChar]] = []
    for char in shown:
        if lines and abs(lines[-1][-1].middle[1] - char.middle[1]) < 5:
            lines[-1].append(char)
        else:
            lines.append([char])
    return ["".join(c.char for c in sorted(line, key=lambda c: c.middle[0])).translate(_SIDELESS) for line in lines]


@pytest.mark.parametrize("case", CASES)
def test_the_line_prints_in_reading_order(printed_lines: list[str], case: str) -> None:
    assert CASES[case] in printed_lines, f"{case}: not printed as {CASES[case]!r}"
