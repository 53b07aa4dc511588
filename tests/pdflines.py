"""The printed lines of a PDF as PDFium reads them: characters grouped by baseline, in visual order."""

from __future__ import annotations

import ctypes
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HYPHEN = "\u2010"  # WeasyPrint's hyphenate-character
COLUMN_GAP = 12.0  # pt: wider than a justified word space, narrower than a layout's column gap (14pt)


@dataclass(frozen=True, slots=True)
class Line:
    page: int  # 0-based
    baseline: float
    text: str  # left to right as printed, combining marks dropped
    left: float
    right: float
    # The font size most of its characters are set in, as PDFium reads it: WeasyPrint's CSS px
    # (4/3 of the size in pt) under the page's 0.75 scale.
    size: float = 0.0

    @property
    def words(self) -> list[str]:
        return self.text.split()


def printed_lines(pdf: Path) -> list[Line]:
    """Every line of every page, top to bottom; characters left to right by their boxes."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(str(pdf))
    lines: list[Line] = []
    try:
        for number in range(len(document)):
            text = document[number].get_textpage()
            rows: dict[int, list[tuple[float, float, str, float]]] = {}
            x, y = ctypes.c_double(), ctypes.c_double()
            for index in range(text.count_chars()):
                char = text.get_text_range(index, 1)
                if char in "\r\n" or unicodedata.category(char) == "Mn":
                    continue
                raw.FPDFText_GetCharOrigin(text.raw, index, ctypes.byref(x), ctypes.byref(y))
                left, _, right, _ = text.get_charbox(index, loose=False)
                size = round(raw.FPDFText_GetFontSize(text.raw, index), 1)
                rows.setdefault(round(y.value), []).append((left, right, char, size))
            for baseline in sorted(rows, reverse=True):
                for chars in _columns(sorted(rows[baseline])):
                    sizes = Counter(s for _, _, c, s in chars if not c.isspace())
                    lines.append(Line(number, baseline, "".join(c for _, _, c, _ in chars).strip(),
                                      chars[0][0], max(r for _, r, _, _ in chars),
                                      sizes.most_common(1)[0][0] if sizes else 0.0))
    finally:
        document.close()
    return lines


def _columns(chars: list[tuple[float, float, str, float]]) -> list[list[tuple[float, float, str, float]]]:
    """A baseline's characters split where a gap wider than COLUMN_GAP separates two columns."""
    parts = [[chars[0]]]
    for char in chars[1:]:
        if char[0] - max(r for _, r, _, _ in parts[-1]) > COLUMN_GAP:
            parts.append([])
        parts[-1].append(char)
    return parts


def is_english(line: Line) -> bool:
    latin = sum(c.isascii() and c.isalpha() for c in line.text)
    hebrew = sum("\u05d0" <= c <= "\u05ea" for c in line.text)
    return latin > hebrew


def hyphenated(lines: list[Line]) -> list[tuple[Line, Line | None]]:
    """English lines that end in a hyphen the layout added, each with the next line of its column."""
    found = []
    for index, line in enumerate(lines):
        if is_english(line) and line.text.endswith(HYPHEN):
            after = next((later for later in lines[index + 1:] if later.page == line.page
                          and abs(later.left - line.left) < 3 and later.baseline < line.baseline), None)
            found.append((line, after))
    return found


@dataclass(frozen=True, slots=True)
class Char:
    char: str
    baseline: float  # pt from the page's foot
    left: float
    size: float  # as Line.size: CSS px under the page's 0.75 scale


def printed_chars(pdf: Path, page: int) -> list[Char]:
    """One page's characters with their baselines and font sizes, combining marks and spaces dropped."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(str(pdf))
    try:
        text = document[page].get_textpage()
        x, y = ctypes.c_double(), ctypes.c_double()
        chars = []
        for index in range(text.count_chars()):
            char = text.get_text_range(index, 1)
            if char.isspace() or unicodedata.category(char) == "Mn":
                continue
            raw.FPDFText_GetCharOrigin(text.raw, index, ctypes.byref(x), ctypes.byref(y))
            chars.append(Char(char, y.value, x.value, round(raw.FPDFText_GetFontSize(text.raw, index), 1)))
        return chars
    finally:
        document.close()
