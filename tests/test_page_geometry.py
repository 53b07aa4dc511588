"""Issue 12, deliverable 3: page geometry, read from the PDF with PDFium (character boxes and the footnote
area's path), on the seed chapter in the stacked, columns, hebrew and english layouts with either
language leading (facing has its own planner: tests/test_facing.py).

The text block, the footnotes, the running heads and the folios align to the @page box (book.css's
margins); on every page that does not end the chapter, the white between the last line and the foot
of the text block (the top of the footnote area, its margin above the rule included) is at most two
lines of body text, and the two pages of a spread end within one line of each other, without a
pair's two paragraphs parting (at least two lines of the first stand above the second on its page)
and without a columns row beginning in one column only (press/engine/page_fill.py).
"""

from __future__ import annotations

import ctypes
import hashlib
import inspect
import shutil
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pikepdf
import pytest
from conftest import build

LAYOUTS = ("stacked", "columns", "hebrew", "english")
PRIMARIES = ("en", "he")
BOOK_TOML = ('title = "A Test Book"\ntitle_he = "סֵפֶר נִסָּיוֹן"\nauthor = "Tester"\nprimary = "{primary}"\n'
             '[print]\nlayout = "{layout}"\n')
HEAD = 0.75 * 72  # pt: the page area's top margin (book.css); the running head stands in it
FOOT = 0.7 * 72  # pt: its bottom margin, where the folios stand
# book.css: (left, right) margins of a left-hand and of a right-hand page.
MARGINS = {"left": (0.55 * 72, 0.75 * 72), "right": (0.75 * 72, 0.55 * 72)}
LINE = 10.5 * 1.35  # pt: a line of body text (book.css)
FOOTNOTE_MARGIN = 10.5  # pt: the footnote area's margin above its rule (book.css @footnote)
EDGE = 1.5  # pt: a glyph's ink and its advance differ at a line's edge; the old body margin was 6 pt
# PDFium's font sizes are WeasyPrint's CSS px: the introduction and commentary (9.5pt) are indented, the
# translation and the Hebrew (10.5pt and larger) are set to the full measure.
FULL_MEASURE = 10.5 * 4 / 3 - 0.5


@dataclass(frozen=True, slots=True)
class Line:
    baseline: float  # pt from the foot of the page
    bottom: float  # the lowest loose character box (the font's descent)
    left: float
    right: float
    text: str
    size: float  # the font size most of its characters are set in, in CSS px as PDFium reads it


@dataclass(frozen=True)
class Page:
    lines: tuple[Line, ...]
    paths: tuple[tuple[float, float, float, float], ...]  # (left, bottom, right, top)
    width: float
    height: float

    @cached_property
    def rule(self) -> float | None:
        """The top of the footnote area (its rule), or None when the page has no notes."""
        areas = [top for left, bottom, right, top in self.paths
                 if abs(bottom - FOOT) < 0.5 and right - left > self.width / 2]
        return max(areas) if areas else None

    @property
    def foot(self) -> float:
        """The foot of the text block: the top of the footnote area's margin, or the page area's bottom."""
        return FOOT if self.rule is None else self.rule + FOOTNOTE_MARGIN

    @property
    def body(self) -> list[Line]:
        top = self.height - HEAD
        return [line for line in self.lines if (self.rule or FOOT - 3) < line.baseline < top]

    @property
    def notes(self) -> list[Line]:
        return [line for line in self.lines if self.rule is not None and FOOT - 3 < line.baseline < self.rule]

    @property
    def folio(self) -> Line | None:
        return next((line for line in self.lines if line.baseline < FOOT - 6), None)

    @property
    def head(self) -> Line | None:
        return next((line for line in self.lines if line.baseline > self.height - HEAD), None)

    @property
    def text_bottom(self) -> float:
        """The bottom of the page area's last line, body or note."""
        return min(line.bottom for line in self.lines if FOOT - 3 < line.baseline < self.height - HEAD)


def read_pages(pdf: Path) -> list[Page]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(str(pdf))
    pages = []
    try:
        for number in range(len(document)):
            page = document[number]
            text = page.get_textpage()
            rows: dict[int, list[tuple[float, float, float, str, float]]] = {}
            x, y = ctypes.c_double(), ctypes.c_double()
            for index in range(text.count_chars()):
                char = text.get_text_range(index, 1)
                if char.isspace() or unicodedata.category(char) == "Mn":
                    continue
                raw.FPDFText_GetCharOrigin(text.raw, index, ctypes.byref(x), ctypes.byref(y))
                left, _, right, _ = text.get_charbox(index, loose=False)
                bottom = text.get_charbox(index, loose=True)[1]
                size = round(raw.FPDFText_GetFontSize(text.raw, index), 1)
                rows.setdefault(round(y.value), []).append((left, right, bottom, char, size))
            lines = tuple(Line(baseline, min(c[2] for c in chars), min(c[0] for c in chars),
                               max(c[1] for c in chars), "".join(c[3] for c in sorted(chars)),
                               Counter(c[4] for c in chars).most_common(1)[0][0])
                          for baseline, chars in sorted(rows.items(), reverse=True))
            paths = tuple(tuple(o.get_bounds()) for o in page.get_objects(max_depth=5)
                          if o.type == raw.FPDF_PAGEOBJ_PATH)
            pages.append(Page(lines, paths, *page.get_size()))
    finally:
        document.close()
    return pages


@dataclass
class Book:
    name: str
    pdf: Path
    rows: bool  # its pairs are rows, their paragraphs side by side (columns)

    @cached_property
    def pages(self) -> list[Page]:
        return read_pages(self.pdf)

    @cached_property
    def dests(self) -> dict[str, tuple[int, float]]:
        """Each named destination's (page, top)."""
        with pikepdf.open(self.pdf) as document:
            index = {page.objgen: number for number, page in enumerate(document.pages)}
            tree = pikepdf.NameTree(document.Root.Names.Dests)
            return {name: (index[dest[0].objgen], float(dest[3])) for name, dest in tree.items()}

    @cached_property
    def chapter(self) -> range:
        """The chapter's pages: from its opening (the outline) to its last page with text."""
        with pikepdf.open(self.pdf) as document:
            index = {page.objgen: number for number, page in enumerate(document.pages)}
            with document.open_outline() as outline:
                (opening,) = [index[item.destination[0].objgen] for item in outline.root]
        last = max(number for number, page in enumerate(self.pages) if page.body)
        return range(opening, last + 1)

    def side(self, number: int) -> str:
        folio = self.pages[number].folio
        assert folio is not None, f"{self.name} page {number}: no folio"
        return "left" if folio.right < self.pages[number].width / 2 else "right"


def _build(folder: Path, chapters: list[Path] | dict[str, str], layout: str, primary: str) -> Book:
    folder.mkdir(parents=True)
    if isinstance(chapters, dict):
        for name, text in chapters.items():
            (folder / name).write_text(text, encoding="utf-8")
    else:
        for chapter in chapters:
            shutil.copy(chapter, folder / chapter.name)
    (folder / "book.toml").write_text(BOOK_TOML.format(primary=primary, layout=layout), encoding="utf-8")
    result = build("pdf", "--source", str(folder), "--out", str(folder / "out"))
    assert result.returncode == 0, result.stderr
    return Book(f"{layout}/{primary}", folder / "out" / "book.pdf", layout == "columns")


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory, seed_chapter: Path) -> list[Book]:
    root = tmp_path_factory.mktemp("geometry")
    return [_build(root / f"{layout}-{primary}", [seed_chapter], layout, primary)
            for layout in LAYOUTS for primary in PRIMARIES]


def test_text_footnotes_heads_and_folios_align_to_the_page_area(books: list[Book]) -> None:
    """On left and right pages: the body text's left and right edges are the page area's, the footnotes
    stand in it from one of its edges, the folio's block is flush with its outer edge and the running
    head is centred on it."""
    wrong = []
    for book in books:
        for number in book.chapter:
            where = f"{book.name} page {number}"
            wrong += [f"{where}: {what} {off:+.1f} pt" for what, off in _offsets(book, number).items()
                      if abs(off) > EDGE]
            wrong += [f"{where}: {line.text!r} outside the page area" for line in _outside(book, number)]
    assert not wrong, "; ".join(wrong)


def _offsets(book: Book, number: int) -> dict[str, float]:
    """How far (pt) each edge of a page's text, notes, folio and head stands from the page area's."""
    page, side = book.pages[number], book.side(number)
    left, right = MARGINS[side][0], page.width - MARGINS[side][1]
    found = {}
    full = [line for line in page.body if line.size >= FULL_MEASURE and not _centred(line, left, right)]
    if full:
        found |= {"body left": min(line.left for line in full) - left,
                  "body right": max(line.right for line in full) - right}
    if page.notes:  # set from their start: the left edge in English, the right in Hebrew
        found["notes"] = min(min(n.left for n in page.notes) - left, max(n.right for n in page.notes) - right, key=abs)
    assert page.folio is not None
    found["folio"] = page.folio.left - left if side == "left" else page.folio.right - right
    if page.head:
        found["head centre"] = (page.head.left + page.head.right) / 2 - (left + right) / 2
    return found


def _outside(book: Book, number: int) -> list[Line]:
    page, side = book.pages[number], book.side(number)
    left, right = MARGINS[side][0], page.width - MARGINS[side][1]
    return [line for line in page.body + page.notes if line.left < left - EDGE or line.right > right + EDGE]


def _centred(line: Line, left: float, right: float) -> bool:
    """A line centred short of the measure: the chapter's titles."""
    return abs((line.left + line.right) - (left + right)) < 4 and line.right - line.left < (right - left) * 0.8


def _filled(book: Book, pages: range) -> list[str]:
    """What is wrong with the foot of each page of `pages` but the last, and with each spread of them."""
    wrong = []
    for number in pages[:-1]:
        page = book.pages[number]
        white = min(line.bottom for line in page.body) - page.foot
        if white > 2 * LINE:
            wrong.append(f"{book.name} page {number}: {white / LINE:.2f} lines of white at its foot")
        if number % 2 == 1 and number + 1 in pages[:-1]:  # a spread: its left page is an even folio
            step = abs(page.text_bottom - book.pages[number + 1].text_bottom)
            if step > LINE:
                wrong.append(f"{book.name} pages {number}, {number + 1} end {step / LINE:.2f} lines apart")
    return wrong


def _parted_pairs(book: Book) -> list[str]:
    """Pairs whose second paragraph (in reading order) stands on a page without two lines of its first
    above it, and, in a book of rows, rows whose two paragraphs begin on different pages."""
    wrong = []
    for name in (name for name in book.dests if name.endswith("-en")):
        pair, other = name[:-3], book.dests.get(name[:-3] + "-he")
        if other is None:
            continue
        first, second = sorted((book.dests[name], other), key=lambda dest: (dest[0], -dest[1]))
        if book.rows or first[0] == second[0]:
            if first[0] != second[0]:
                wrong.append(f"{book.name} {pair}: a row begun on pages {first[0]} and {second[0]}")
            continue
        above = [line for line in book.pages[second[0]].body if line.baseline > second[1]]
        if len(above) < 2:
            wrong.append(f"{book.name} {pair}: {len(above)} line(s) of its first paragraph above its second")
    return wrong


def test_pages_that_do_not_end_the_chapter_are_full_and_spreads_level(books: list[Book]) -> None:
    wrong = [problem for book in books
             for problem in _filled(book, book.chapter) + _parted_pairs(book)]
    assert not wrong, "; ".join(wrong)


# Rows of a columns book that are long in both columns (our own words), so that a row, not a page
# taller, meets the foot of a page with both its columns able to break there.
ROWS_EN = ("The student who reads a chapter slowly, phrase by phrase, finds that each phrase of the "
           "original says more than its translation can say in one line, and so the English grows "
           "longer than the Hebrew it follows and fills its column to the foot. ")
ROWS_HE = "וְהָיָה כַּאֲשֶׁר יִלְמַד הָאָדָם פֶּרֶק אֶחָד בְּכָל יוֹם, יָבִין דְּבָרִים רַבִּים וְיִשְׂמַח בְּלִבּוֹ. "


def _rows_chapter() -> str:
    paragraphs = ["An introduction to a chapter of long rows."]
    for n in range(9):
        paragraphs += [ROWS_EN * (1 + n % 3), ROWS_HE * (2 + n % 2)]
    return "\n\n".join(paragraphs) + "\n"


@pytest.mark.parametrize("primary", PRIMARIES)
def test_a_columns_row_breaks_at_the_foot_where_both_columns_have_begun(tmp_path: Path, primary: str) -> None:
    book = _build(tmp_path / "rows", {"chapter-1.txt": _rows_chapter()}, "columns", primary)
    assert len(book.chapter) >= 4
    wrong = _filled(book, book.chapter) + _parted_pairs(book)
    assert not wrong, "; ".join(wrong)
    tops = {}  # each page's highest paragraph start
    for page, top in book.dests.values():
        tops[page] = max(tops.get(page, 0.0), top)
    broken = [number for number in book.chapter[1:] if book.pages[number].body
              and book.pages[number].body[0].baseline > tops.get(number, 0.0)]
    assert broken, "no row continues from one page to the next"


def test_weasyprint_lays_out_pages_and_grids_as_pinned() -> None:
    """press/engine/page_fill.py wraps WeasyPrint's `layout_document` (its pages are final, margin boxes
    made, backgrounds laid out last) and `grid_layout` (a grid that does not fit returns no box, and
    its laid-out items are its children in order): a change to either must be read before the pin is."""
    from weasyprint import document
    from weasyprint.layout import block

    from press.engine import page_fill

    page_fill.install()
    wrapped = (document.layout_document, block.grid_layout)
    assert all(function is not inspect.unwrap(function) for function in wrapped)
    found = {function.__name__: hashlib.sha256(inspect.getsource(function).encode()).hexdigest()
             for function in (*map(inspect.unwrap, wrapped), block.block_level_layout_switch)}
    assert found == PINNED, "WeasyPrint's pagination changed: re-check press/engine/page_fill.py"


# sha256 of the source of each function (WeasyPrint 70.0).
PINNED = {
    "layout_document": "a5cbf437e99caf7293e7ed2289278048bca734f7ead2e947b4e24e4a3a536dbc",
    "grid_layout": "c80044013f555b30a0524bc16336946c2da55c4f39a5a8c4f6933760e34bcfca",
    "block_level_layout_switch": "b963d54014264fcd18a3e12572c6c5a177106be6d1eddf36496ea3c98bc1337a",
}
