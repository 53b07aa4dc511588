"""Issue 12, deliverable 1: no hyphen across a page turn (press/engine/hyphen_turn.py and, in facing,
press/editions/book/spread_plan.py).

A page whose last line of text ends in a hyphen ("perform-" / "ance") breaks a line earlier, as far up
as the paragraph's orphans allow; where they allow no cut above a hyphen, the paragraph's piece moves
to the next page whole (unless the page would be left empty). Checked on WeasyPrint's two places that
break a paragraph between pages, on paragraphs measured first (so the test finds its hyphenated lines
whatever the font does), then on the seed chapter's PDFs read with PDFium, where WeasyPrint's own
breaks, or the facing planner's before a piece could move whole, end pages in a hyphen.
"""

from __future__ import annotations

import hashlib
import inspect
import io
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from conftest import build
from pdflines import HYPHEN, Line, is_english, printed_lines

from press.diagnostics import Reporter
from press.editions.book import spread_plan, worker
from press.editions.book.spread_plan import Frag, Measured, Page
from press.engine import hyphen_turn
from press.engine.fonts import FACES, LATIN_FAMILY, ensure_static_fonts
from press.engine.hyphen_turn import ends_in_hyphen, lines_to_keep
from press.readers import read_book

# sha256 of the WeasyPrint functions hyphen_turn corrects, and of the line-by-line layout that calls
# `_break_line` and then resumes after the last of the lines it kept: a change to any of them must be
# read before updating the pin.
PINNED = {
    "_break_line": "2b92255d94ab45f789310b2716ae1bf7d4a178e18636e4fc42cbfa56fbf9fd1a",
    "find_earlier_page_break": "c2bbdcdfdf408cbc3071fe769f11118e4913e887315f231287845b63a6ea72f1",
    "_linebox_layout": "e07bbe000974787ee370be1f419a01a21b327a1a1e3025a65afd47589060883d",
}
BOOK_TOML = 'title = "A Test Book"\ntitle_he = "סֵפֶר נִסָּיוֹן"\nauthor = "Tester"\nprimary = "en"\n'
NOTE_SIZE = 11.6  # PDFium's size (CSS px) above which a line is body text: notes and heads are 8.5pt
LINE = 20  # px: the synthetic paragraphs' line height
# Our own words, long ones often, so that a narrow measure hyphenates many of its lines.
WORDS = ("the considerable understanding of extraordinary circumstances accompanies the "
         "unquestionable responsibilities of every conscientious administrator, notwithstanding "
         "characteristically uncomfortable conversations concerning international obligations, ") * 5


def _digest(function: object) -> str:
    return hashlib.sha256(inspect.getsource(inspect.unwrap(function)).encode()).hexdigest()


def test_weasyprint_breaks_paragraphs_between_pages_as_pinned() -> None:
    from weasyprint.layout import block

    hyphen_turn.install()
    found = {name: _digest(getattr(block, name)) for name in PINNED}
    assert found == PINNED, "WeasyPrint's page breaks inside a paragraph changed: re-check hyphen_turn.py"


@pytest.fixture
def unwrapped(monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint's own functions, as on main, for the duration of a test."""
    from weasyprint.layout import block

    hyphen_turn.install()
    monkeypatch.setattr(block, "_break_line", inspect.unwrap(block._break_line))
    monkeypatch.setattr(block, "find_earlier_page_break", inspect.unwrap(block.find_earlier_page_break))


# What a line ends in ------------------------------------------------------------

class TextBox:  # named as WeasyPrint's: ends_in_hyphen reads the type's name
    def __init__(self, text: str) -> None:
        self.text, self.style, self.children = text, {"hyphenate_character": HYPHEN}, []


class LineBox:
    def __init__(self, *texts: str) -> None:
        self.children = [TextBox(text) for text in texts]


@pytest.mark.parametrize(("texts", "expected"), [
    (("and the perform\u2010",), True),  # the layout's hyphen
    (("a well-",), True),  # a source's compound broken after its hyphen
    (("a hyphen\u2010", " "), True),  # spaces after it do not count
    (("love of G-d, and",), False),
    (("the years 1990-",), False),  # after a digit: a range, not a word
    (("so it is \u2014",), False),  # a dash is no hyphen
    (("",), False),
])
def test_what_ends_in_a_hyphen(texts: tuple[str, ...], expected: bool) -> None:
    assert ends_in_hyphen(LineBox(*texts)) is expected


@pytest.mark.parametrize(("ends", "orphans", "kept"), [
    ("..-", 2, 2),  # one line earlier
    ("...--", 2, 3),  # and the next line earlier
    ("...", 2, 3),
    (".-", 2, None),  # orphans forbid a line earlier: the piece moves whole
    ("-.--", 2, 2),
    ("----", 2, None),  # no line without a hyphen
    ("-", 2, None),  # fewer lines than orphans (an empty page's): the caller keeps them
])
def test_lines_to_keep(ends: str, orphans: int, kept: int | None) -> None:
    lines = [LineBox("word-" if end == "-" else "word") for end in ends]
    assert lines_to_keep(lines, orphans) == kept


# WeasyPrint's two page breaks, on paragraphs measured first ------------------------

def _html(body: str, height: float) -> str:
    ensure_static_fonts()
    face = next(face for face in FACES if face.family == LATIN_FAMILY and face.weight == 400)
    return (f'<html lang="en"><style>@font-face {{ font-family: "{LATIN_FAMILY}"; src: url({face.path.as_uri()}) }}'
            f"@page {{ size: 150px {height}px; margin: 0 }} body {{ margin: 0 }}"
            f'p {{ font: 15px/{LINE}px "{LATIN_FAMILY}"; text-align: justify; hyphens: auto;'
            " orphans: 2; widows: 2; margin: 0 }"
            ".pair > :first-child { break-after: avoid }</style><body>" + body)


def _pages(body: str, height: float) -> list[list[Any]]:
    """The line boxes of each page, `body` laid out on pages `height` px tall."""
    from weasyprint import HTML
    from weasyprint.formatting_structure.boxes import LineBox as WeasyLine

    def lines(box: Any) -> list[Any]:
        if isinstance(box, WeasyLine):
            return [box]
        return [line for child in getattr(box, "children", []) for line in lines(child)]

    return [lines(page._page_box) for page in HTML(string=_html(body, height)).render().pages]


def _text(line: Any) -> str:
    if type(line).__name__ == "TextBox":
        return line.text
    return "".join(_text(child) for child in getattr(line, "children", []))


def _hyphen_page(flags: list[bool], widows: int) -> tuple[int, int] | None:
    """(lines a page would end after, lines it should keep), for the deepest hyphenated line with a line
    above it that is not, preferring two hyphens running (a break two lines earlier)."""
    found = [(k, lines_to_keep_flags(flags[:k])) for k in range(3, len(flags) - widows + 1) if flags[k - 1]]
    found = [(k, keep) for k, keep in found if keep < k]
    return max(found, key=lambda item: (item[0] - item[1], item[0]), default=None)


def lines_to_keep_flags(flags: list[bool]) -> int:
    return next((keep for keep in range(len(flags), 1, -1) if not flags[keep - 1]), len(flags))


def test_a_full_page_breaks_above_a_hyphenated_line(unwrapped: None, monkeypatch: pytest.MonkeyPatch) -> None:
    body = f"<p>{WORDS}</p>"
    tall = _pages(body, 5000)[0]
    flags = [ends_in_hyphen(line) for line in tall[:-1]] + [False]
    assert sum(flags) >= 5, "the measure is meant to hyphenate often"
    case = _hyphen_page(flags, widows=2)
    assert case is not None
    lines, keep = case
    height = tall[lines - 1].position_y + tall[lines - 1].height - tall[0].position_y + 0.5
    before = _pages(body, height)
    assert len(before[0]) == lines and ends_in_hyphen(before[0][-1]), "main: the page ends in a hyphen"
    monkeypatch.undo()
    hyphen_turn.install()
    after = _pages(body, height)
    assert len(after[0]) == keep and not ends_in_hyphen(after[0][-1])
    assert [_text(line) for page in after for line in page] == [_text(line) for line in tall]


def test_a_pair_kept_together_breaks_its_first_paragraph_above_a_hyphen(unwrapped: None,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The pair's second paragraph cannot start the page's last line (orphans: 2), so the page breaks
    inside the first, keeping all but its widows (find_earlier_page_break): a line higher still where
    that line ends in a hyphen. Its widows are chosen, from its measured lines, so that it does."""
    second = "<p>one two three four five six seven eight nine ten eleven twelve thirteen fourteen</p>"
    tall = _pages(f"<p>{WORDS}</p>", 5000)[0]
    flags = [ends_in_hyphen(line) for line in tall[:-1]] + [False]
    widows = next(w for w in range(2, len(flags) - 3) if flags[len(flags) - w - 1]
                  and lines_to_keep_flags(flags[:len(flags) - w]) < len(flags) - w)
    lines = len(flags) - widows
    body = f'<div class="pair"><p style="widows: {widows}">{WORDS}</p>{second}</div>'
    height = tall[-1].position_y + tall[-1].height - tall[0].position_y + LINE + 0.5  # and one line more
    before = _pages(body, height)
    assert len(before[0]) == lines and ends_in_hyphen(before[0][-1]), "main: the page ends in a hyphen"
    monkeypatch.undo()
    hyphen_turn.install()
    after = _pages(body, height)
    assert len(after[0]) == lines_to_keep_flags(flags[:lines]) and not ends_in_hyphen(after[0][-1])
    texts = [_text(line) for page in after for line in page]
    assert texts[:len(tall)] == [_text(line) for line in tall]


def _orphans_on_a_hyphen(flags: list[bool]) -> int:
    """A count of lines, from the third, that ends in a hyphen: a paragraph with that many orphans has
    no cut above it."""
    return next(k for k in range(3, len(flags) - 2) if flags[k - 1])


LEAD = "<p>one two three</p>"  # a line above the paragraph: its page is not left empty


def _moved_whole(body: str, height: float, orphans: int, monkeypatch: pytest.MonkeyPatch) -> list[list[Any]]:
    """`body`'s pages after the rule, having checked that WeasyPrint's own first page holds its lead
    line and `orphans` lines of the paragraph, the last ending in a hyphen, and that the rule leaves
    only the lead line there."""
    before = _pages(body, height)
    assert len(before[0]) == 1 + orphans and ends_in_hyphen(before[0][-1]), "main: the page ends in a hyphen"
    monkeypatch.undo()
    hyphen_turn.install()
    after = _pages(body, height)
    assert [_text(line) for line in after[0]] == [_text(line) for line in before[0][:1]]
    return after


def test_a_paragraph_whose_orphans_end_in_a_hyphen_moves_whole(unwrapped: None,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The page holds a line and then `orphans` lines of the paragraph, the last ending in a hyphen:
    no cut orphans allow avoids it, so the paragraph starts the next page (_break_line aborts it, as
    WeasyPrint does where its orphans do not fit)."""
    tall = _pages(f"<p>{WORDS}</p>", 5000)[0]
    orphans = _orphans_on_a_hyphen([ends_in_hyphen(line) for line in tall])
    body = f'{LEAD}<p style="orphans: {orphans}">{WORDS}</p>'
    height = LINE * (1 + orphans) + 0.5
    after = _moved_whole(body, height, orphans, monkeypatch)
    assert [_text(line) for page in after[1:] for line in page] == [_text(line) for line in tall]


def test_a_pair_whose_first_paragraph_has_no_cut_moves_whole(unwrapped: None,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """As the pair above, but the first paragraph's orphans are its lines but its widows, the last
    ending in a hyphen: find_earlier_page_break finds no cut in it, and the page breaks before the pair."""
    second = "<p>one two three four five six seven eight nine ten eleven twelve thirteen fourteen</p>"
    tall = _pages(f"<p>{WORDS}</p>", 5000)[0]
    orphans = _orphans_on_a_hyphen([ends_in_hyphen(line) for line in tall])
    widows = len(tall) - orphans
    style = f"orphans: {orphans}; widows: {widows}"
    body = f'{LEAD}<div class="pair"><p style="{style}">{WORDS}</p>{second}</div>'
    height = LINE * (1 + len(tall) + 1) + 0.5  # the lead, the paragraph, and one line of the second
    after = _moved_whole(body, height, orphans, monkeypatch)
    assert [_text(line) for line in after[1]][:len(tall)] == [_text(line) for line in tall]


def test_a_source_hyphen_at_a_line_end_is_a_hyphen_too() -> None:
    """A compound broken after its own hyphen ends its line with the source's "-" (no hyphen added)."""
    compounds = "a well-known and self-evident long-standing so-called hard-won age-old truth " * 6
    lines = _pages(f"<p>{compounds}</p>", 5000)[0][:-1]
    ends = {_text(line).rstrip()[-1]: ends_in_hyphen(line) for line in lines}
    assert ends.get("-") is True
    assert not any(hyphen for end, hyphen in ends.items() if end.isalpha())


# Facing's planner --------------------------------------------------------------

def _measured(hyphens: str) -> Measured:
    """A paragraph of 20 px lines; '-' marks a line that begins inside a hyphenated word."""
    return Measured(0, "en", tuple(spread_plan.Line(LINE * i, LINE * (i + 1), LINE * i + 15, i * 10, mark == "-")
                                   for i, mark in enumerate(hyphens)), 0.0)


@pytest.mark.parametrize(("hyphens", "movable", "end"), [
    ("......", True, 4),  # as many lines as fit
    ("....-.", True, 3),  # a line earlier
    ("...--.", True, 2),  # and one more
    ("..---.", True, None),  # orphans allow none earlier: the piece waits for the next page
    ("..---.", False, 4),  # unless the page would be left empty: the hyphen stays
])
def test_facing_breaks_a_paragraph_above_a_hyphen(hyphens: str, movable: bool, end: int | None) -> None:
    frag = Frag.whole(_measured(hyphens))
    page = Page(LINE * 4 + 1, 0.0)
    assert spread_plan._lines_that_fit(frag, 0.0, page.height, page, movable=movable) == end


# The seed chapter in print ------------------------------------------------------

def page_end_hyphens(lines: list[Line]) -> list[Line]:
    """English body lines ending in the layout's hyphen with no body text below them on their page, in
    their column (a justified line's wide spaces split it into pieces: the row's pieces count as one)."""
    found = []
    for line in lines:
        if not (is_english(line) and line.size > NOTE_SIZE and line.text.endswith(HYPHEN)):
            continue
        left = min(o.left for o in lines if o.page == line.page and o.baseline == line.baseline and is_english(o))
        if not any(o.page == line.page and o.baseline < line.baseline and o.size > NOTE_SIZE
                   and any(c.isalpha() for c in o.text) and o.left < line.right and left < o.right for o in lines):
            found.append(line)
    return found


def _body_words(lines: list[Line]) -> list[str]:
    """The body text's words in reading order, a hyphenated word joined again."""
    text = "".join(line.text + "\n" for line in lines if line.size > NOTE_SIZE)
    return text.replace(HYPHEN + "\n", "").split()


# Each of these ends a page in a hyphen before the break moved (1, 1 and 2 pages); the two Hebrew-led
# facing books, where the planner could only cut a commentary paragraph above a hyphen (its second
# and third lines both begin inside a word), until the paragraph moved whole to the next page.
BOOKS = {
    "english": '[print]\nlayout = "english"\n',
    "stacked-narrow": '[print]\nlayout = "stacked"\ntrim = "A6"\n',
    "facing": '[print]\nlayout = "facing"\ntrim = "4.25in 7in"\n',
    "facing-he-6x9": 'primary = "he"\n[print]\nlayout = "facing"\ntrim = "6in 9in"\n',
    "facing-he-A5": 'primary = "he"\n[print]\nlayout = "facing"\ntrim = "A5"\n',
}


def _source(root: Path, seed: Path, name: str) -> Path:
    source = root / name
    source.mkdir()
    shutil.copy(seed, source / seed.name)
    toml = BOOK_TOML.replace('primary = "en"\n', "") if BOOKS[name].startswith("primary") else BOOK_TOML
    (source / "book.toml").write_text(toml + BOOKS[name], encoding="utf-8")
    return source


@pytest.mark.parametrize("name", sorted(BOOKS))
def test_no_page_of_the_book_or_booklet_ends_in_a_hyphen(seed_chapter: Path, tmp_path: Path, name: str) -> None:
    source = _source(tmp_path, seed_chapter, name)
    for command, pdf in (("pdf", "book.pdf"), ("booklet", "booklet.pdf")):
        result = build(command, "--source", str(source), "--out", str(tmp_path / "out"))
        assert result.returncode == 0, result.stderr
        ends = page_end_hyphens(printed_lines(tmp_path / "out" / pdf))
        assert ends == [], f"{pdf}: pages ending in a hyphen: {[(line.page + 1, line.text) for line in ends]}"


def _chapter(source: Path, pdf: Path) -> list[Any]:
    """The seed chapter's pages laid out here (so that a test can choose WeasyPrint's functions), and
    their PDF written to `pdf`."""
    worker.start(read_book(source, Reporter(io.StringIO())))
    try:
        parts = worker._parts(folios=False)
        pages = list(parts.chapter_pages(parts.book.chapters[0], 1))
        pdf.write_bytes(worker._write(pages, parts.blank_document))
        return pages
    finally:
        worker.start(None)  # type: ignore[arg-type]


def _fragments(pages: list[Any]) -> list[tuple[Any, int, int, bool]]:
    """(paragraph element, page, lines, whether its last line ends in a hyphen) of each piece of a
    paragraph that a page's text holds (not its running heads, in margin boxes)."""
    from weasyprint.formatting_structure.boxes import LineBox as WeasyLine

    found = []

    def walk(box: Any, page: int) -> None:
        children = getattr(box, "children", None) or []
        lines = [child for child in children if isinstance(child, WeasyLine)]
        if lines:
            found.append((box.element, page, len(lines), ends_in_hyphen(lines[-1])))
        for child in children:
            if not isinstance(child, WeasyLine) and type(child).__name__ != "MarginBox":
                walk(child, page)

    for number, page in enumerate(pages):
        walk(page._page_box, number)
    return found


@pytest.mark.parametrize("name", ["english", "stacked-narrow"])
def test_the_break_moves_a_line_and_loses_nothing(seed_chapter: Path, tmp_path: Path, name: str,
                                                  unwrapped: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Against WeasyPrint's own breaks (main): the pages that ended in a hyphen end a line higher, the
    text reads the same in the same order, its notes are all there, and every paragraph broken between
    pages keeps two lines on each side."""
    source = _source(tmp_path, seed_chapter, name)
    texts = {}
    for state in ("main", "after"):
        if state == "after":
            monkeypatch.undo()
            hyphen_turn.install()
        pages = _chapter(source, tmp_path / f"{state}.pdf")
        lines = printed_lines(tmp_path / f"{state}.pdf")
        texts[state] = (len(page_end_hyphens(lines)), _body_words(lines),
                        Counter(line.text for line in lines if line.size <= NOTE_SIZE))
        fragments = _fragments(pages)
    assert texts["main"][0] >= 1 and texts["after"][0] == 0
    assert texts["after"][1] == texts["main"][1], "the text changed"
    assert texts["after"][2] == texts["main"][2], "the notes changed"
    pieces: dict[Any, list[tuple[int, int, bool]]] = {}
    for element, page, count, hyphen in fragments:
        pieces.setdefault(element, []).append((page, count, hyphen))
    broken = [parts for parts in pieces.values() if len({page for page, _, _ in parts}) > 1]
    assert broken, "some paragraph breaks between pages"
    for parts in broken:
        assert parts[0][1] >= 2 and parts[-1][1] >= 2, "orphans or widows under two lines"
        assert not any(hyphen for _, _, hyphen in parts[:-1]), "a piece ends in a hyphen at a page's foot"
