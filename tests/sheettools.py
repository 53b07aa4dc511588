"""Reading a study sheet's PDF by position: characters, lines, block numbers.

pypdfium2 gives each character's origin (its baseline), so tests can say
where things stand on the page without comparing bytes or pictures.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from pathlib import Path

LATIN = re.compile(r"[A-Za-z]")
HEBREW = re.compile(r"[\u05D0-\u05EA]")


@dataclass(frozen=True)
class Char:
    char: str
    page: int
    x: float
    y: float  # the baseline, PDF units from the bottom


def pdf_chars(pdf: Path) -> list[Char]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    found: list[Char] = []
    x, y = ctypes.c_double(), ctypes.c_double()
    for number, page in enumerate(pdfium.PdfDocument(pdf)):
        text = page.get_textpage()
        for index in range(text.count_chars()):
            char = chr(raw.FPDFText_GetUnicode(text.raw, index))
            if char.isspace() or not char.isprintable():
                continue
            raw.FPDFText_GetCharOrigin(text.raw, index, ctypes.byref(x), ctypes.byref(y))
            found.append(Char(char, number, x.value, y.value))
    return found


def pdf_text(pdf: Path) -> str:
    import pypdfium2 as pdfium

    return "\n".join(page.get_textpage().get_text_range() for page in pdfium.PdfDocument(pdf))


def page_size(pdf: Path) -> tuple[float, float]:
    import pypdfium2 as pdfium

    return pdfium.PdfDocument(pdf)[0].get_size()


def letters(text: str) -> str:
    """Latin letters only: line breaks, hyphenation and spacing vanish."""
    return "".join(LATIN.findall(text)).lower()


def lines(chars: list[Char]) -> list[list[Char]]:
    """Characters sharing a page and a baseline (within 0.5pt), left to right."""
    groups: dict[tuple[int, float], list[Char]] = {}
    for char in chars:
        key = next((k for k in groups if k[0] == char.page and abs(k[1] - char.y) < 0.5), (char.page, char.y))
        groups.setdefault(key, []).append(char)
    return [sorted(group, key=lambda c: c.x) for group in groups.values()]


def block_numbers(chars: list[Char], page: int | None = None) -> dict[int, tuple[int, float]]:
    """Block number -> (page, baseline): digits that open a line, set apart from what follows."""
    found: dict[int, tuple[int, float]] = {}
    for line in lines(chars):
        if page is not None and line[0].page != page:
            continue
        digits = 0
        while digits < len(line) and line[digits].char.isdigit():
            digits += 1
        apart = digits == len(line) or line[digits].x - line[digits - 1].x > 8
        if digits and apart and line[0].x < 80:
            found.setdefault(int("".join(c.char for c in line[:digits])), (line[0].page, line[0].y))
    return found


def body_lines_on_last_page(pdf: Path, foot: float = 60.0) -> int:
    """Lines of text on the last page above its running foot (page x of y)."""
    chars = pdf_chars(pdf)
    last = max(c.page for c in chars)
    return len([line for line in lines(chars) if line[0].page == last and line[0].y > foot])


def line_texts(pdf: Path) -> list[str]:
    """Each printed line's characters left to right, without spaces (Hebrew reads reversed)."""
    return ["".join(c.char for c in line) for line in lines(pdf_chars(pdf))]
