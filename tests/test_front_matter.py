"""The front matter and the chapter openers, read from the PDF (issue 12, deliverable 6): the title
page's order and imprint, the colophon at its page's foot with edition and ISBN, the contents' leaders
and bilingual lines, the opener's display title and small caps; book.toml's `edition` and `isbn`."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest
from conftest import PROJECT, build, fails_with
from pdflines import Line, printed_chars, printed_lines
from pdftools import page_texts

PAGE_HEIGHT = 612.0  # 8.5in: the sample's trim
TOP_MARGIN, BOTTOM_MARGIN = 54.0, 50.4  # book.css's @page margins, 0.75in and 0.7in
TITLE_PAGE, COLOPHON, CONTENTS, OPENER = 0, 1, 2, 4  # 0-based: the blank verso is page 3
KEYS = 'edition = 2\nisbn = "978-3-16-148410-0"\ndate = "2025-03"\n'


def _is_hebrew(char: str) -> bool:
    return "\u05d0" <= char <= "\u05ea"


def _source(tmp_path: Path, primary: str, extra: str = KEYS) -> Path:
    source = tmp_path / f"source-{primary}"
    shutil.copytree(PROJECT / "source", source, ignore=shutil.ignore_patterns("sheets"))
    toml = (source / "book.toml").read_text(encoding="utf-8")
    toml = toml.replace("edition = 1\n", "").replace('primary = "en"\n', f'primary = "{primary}"\n{extra}')
    (source / "book.toml").write_text(toml, encoding="utf-8")
    return source


@pytest.fixture(scope="module", params=["en", "he"])
def book(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """The sample with an edition, an ISBN and a date, in the default layout, led by each language."""
    tmp = tmp_path_factory.mktemp(f"front-{request.param}")
    out = tmp / "out"
    result = build("pdf", "--source", str(_source(tmp, request.param)), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return request.param, out / "book.pdf"


def _page_lines(pdf: Path, page: int) -> list[Line]:
    """A page's lines, a title's no-break space read as the space it stands for."""
    return [replace(line, text=line.text.replace("\u00a0", " ")) for line in printed_lines(pdf)
            if line.page == page and line.text]


def _hebrew_share(line: Line) -> float:
    letters = [c for c in line.text if c.isalpha()]
    return sum(_is_hebrew(c) for c in letters) / max(len(letters), 1)


def test_title_page_leads_with_the_books_language(book: tuple[str, Path]) -> None:
    primary, pdf = book
    lines = _page_lines(pdf, TITLE_PAGE)
    english = next(i for i, line in enumerate(lines) if "Songs of Ascent" in line.text)
    hebrew = next(i for i, line in enumerate(lines) if _hebrew_share(line) > 0.9)
    assert (hebrew < english) == (primary == "he"), [line.text for line in lines]
    other = lines[english if primary == "he" else hebrew]
    assert lines[0].size > other.size, "the leading language's title is the larger"


def test_no_title_line_ends_on_one_word(book: tuple[str, Path]) -> None:
    _, pdf = book
    lines = _page_lines(pdf, TITLE_PAGE)
    titles = [line for line in lines if line.size == lines[0].size or _hebrew_share(line) > 0.9
              or line.text in "Songs of Ascent and Sayings of the Fathers"]
    assert len(titles) >= 2
    assert all(len(line.words) >= 2 for line in titles), [line.text for line in titles]


def test_imprint_at_the_foot_of_the_title_page(book: tuple[str, Path]) -> None:
    _, pdf = book
    lines = _page_lines(pdf, TITLE_PAGE)
    imprint = lines[-1]
    # Letter-spaced small capitals: PDFium reads a space between the letters.
    assert imprint.text.replace(" ", "").casefold() == "bilingualpress", "the publisher is the page's last line"
    assert imprint.baseline < BOTTOM_MARGIN + 14, f"the imprint's baseline stands {imprint.baseline} pt up"
    assert lines[-2].baseline > PAGE_HEIGHT / 2, "the titles and names stand in the upper half, apart from it"


def test_colophon_at_the_foot_of_its_page_with_edition_and_isbn(book: tuple[str, Path]) -> None:
    _, pdf = book
    lines = _page_lines(pdf, COLOPHON)
    texts = [line.text for line in lines]
    assert "Second edition, 2025" in texts and "ISBN 978-3-16-148410-0" in texts, texts
    assert any("CC BY-SA 4.0" in text for text in texts)
    assert lines[-1].baseline < BOTTOM_MARGIN + 14, "the colophon's last line sits on the foot of the page"
    assert lines[0].baseline < PAGE_HEIGHT / 2, "the whole colophon stands in the lower half of its page"


def test_contents_heading_in_both_languages(book: tuple[str, Path]) -> None:
    _, pdf = book
    heading = _page_lines(pdf, CONTENTS)[0]
    assert "Contents" in heading.text and "ןכות" in heading.text, heading.text  # תוכן, read left to right


def test_contents_lines_have_leaders_and_both_titles_on_one_baseline(book: tuple[str, Path]) -> None:
    primary, pdf = book
    chars = printed_chars(pdf, CONTENTS)
    heading = max(c.baseline for c in chars)
    rows: dict[int, list] = {}
    for char in chars:
        if char.baseline < heading - 1:
            rows.setdefault(round(char.baseline), []).append(char)
    entries = [sorted(row, key=lambda c: c.left) for _, row in sorted(rows.items(), reverse=True)]
    assert len(entries) == 2, "one line per chapter of the sample"
    for row, folio in zip(entries, ("1", "3"), strict=True):
        hebrew = [c for c in row if _is_hebrew(c.char)]
        english = [c for c in row if c.char.isascii() and c.char.isalpha()]
        assert len(hebrew) >= 5 and len(english) >= 10
        assert max(c.baseline for c in row) - min(c.baseline for c in row) <= 1, "one baseline"
        assert {c.size for c in hebrew} == {c.size for c in english}, "the Hebrew title in its English's size"
        text = "".join(c.char for c in row)
        assert text.count(".") >= 8, f"a leader of dots: {text}"
        # The folio at the line's end in reading order: the right in an English-led book, the left in a Hebrew-led one.
        assert (text[-1] if primary == "en" else text[0]) == folio, text


def test_chapter_opener_sink_display_hebrew_title_then_english(book: tuple[str, Path]) -> None:
    _, pdf = book
    lines = _page_lines(pdf, OPENER)
    display, english = lines[0], lines[1]
    assert _hebrew_share(display) == 1 and english.text == "Psalm 121: A Song for the Road"
    assert display.size > 1.5 * english.size, "the Hebrew title is display type"
    assert display.baseline < PAGE_HEIGHT - TOP_MARGIN - 72, "a sink of at least an inch above the title"


def _glyph_names(pdf: Path, page: int, family: str) -> list[str]:
    """The glyphs a page shows in the regular face of `family`, named from the font file it was embedded
    from (WeasyPrint's subsets keep the font's glyph ids, not its glyph names)."""
    from fontTools.ttLib import TTFont

    from press.engine.fonts import FACES

    face = next(f for f in FACES if f.family == family and f.weight == 400 and f.style == "normal")
    order = TTFont(face.path).getGlyphOrder()
    names: list[str] = []
    with pikepdf.open(pdf) as document:
        sheet = document.pages[page]
        fonts = {str(key): str(font.BaseFont) for key, font in sheet.Resources.Font.items()}
        current = ""
        for operands, operator in pikepdf.parse_content_stream(sheet):
            if str(operator) == "Tf":
                current = fonts[str(operands[0])]
            elif str(operator) in ("TJ", "Tj") and current.endswith("+" + family.replace(" ", "-")):
                for part in operands[0] if str(operator) == "TJ" else [operands[0]]:
                    if isinstance(part, pikepdf.String):
                        raw = bytes(part)
                        names += [order[int.from_bytes(raw[i:i + 2], "big")] for i in range(0, len(raw), 2)]
    return names


def test_first_words_of_the_chapter_in_small_caps(book: tuple[str, Path]) -> None:
    _, pdf = book
    names = " ".join(_glyph_names(pdf, OPENER, "EB Garamond"))
    assert "P i.sc l.sc g.sc r.sc i.sc m.sc s.sc space s.sc a.sc n.sc g.sc" in names, "EB Garamond's smcp glyphs"
    # The full measure (book.css resets the body margin) takes "the" onto the first line.
    assert "s e c o n d space o f space t h e" in names, "the second line of the introduction in lower case again"
    assert "Pilgrims sang this psalm" in page_texts(pdf)[OPENER], "small caps copy as the letters they are"


@pytest.mark.parametrize(("line", "message"), [
    ('isbn = "978-3-16-148410-1"', '`isbn` must be an ISBN-13 (or ISBN-10) with its check digit, such as '
     '"978-3-16-148410-0", not "978-3-16-148410-1"'),
    ('isbn = "12345"', '`isbn` must be an ISBN-13 (or ISBN-10) with its check digit, such as '
     '"978-3-16-148410-0", not "12345"'),
    ("edition = 0", "`edition` must be a whole number from 1 (the first edition) to 99, not 0"),
    ('edition = "second"', "`edition` must be a whole number"),
])
def test_bad_edition_or_isbn_names_its_line(tmp_path: Path, line: str, message: str) -> None:
    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(PROJECT / "source" / "01-psalm-121.md", source)
    (source / "book.toml").write_text(f'title = "A"\n\n{line}\n', encoding="utf-8")
    code = "config-type" if "second" in line else "config-value"
    fails_with(source, tmp_path, f"{source / 'book.toml'}:3: error [{code}] {message}", "pdf")


def test_isbn_ten_and_hyphenless_forms_are_accepted() -> None:
    from press.config import isbn_ok

    assert isbn_ok("0-306-40615-2") and isbn_ok("9783161484100") and isbn_ok("978 3 16 148410 0")
    assert not isbn_ok("0-306-40615-3") and not isbn_ok("977-3-16-148410-0")


LAYOUTS = ("stacked", "columns", "facing", "hebrew", "english")


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("primary", ["en", "he"])
def test_every_layout_keeps_the_front_matter_and_opener(tmp_path: Path, layout: str, primary: str) -> None:
    """The front matter is the book's, the opener the layout's stylesheet's: in each layout the imprint and
    the colophon keep to their pages' foot, a contents line holds both titles (the Hebrew alone in a
    Hebrew-only book), the opener its sink."""
    source = _source(tmp_path, primary, KEYS + f'\n[print]\nlayout = "{layout}"\n')
    toml = (source / "book.toml").read_text(encoding="utf-8")
    (source / "book.toml").write_text(toml.replace('\n[print]\ntrim = "5.5in 8.5in"\n', "\n"), encoding="utf-8")
    result = build("pdf", "--source", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "out" / "book.pdf"
    lines = printed_lines(pdf)
    for page in (TITLE_PAGE, COLOPHON):
        assert [line for line in lines if line.page == page][-1].baseline < BOTTOM_MARGIN + 14, f"page {page}"
    if layout == "hebrew":  # a Hebrew-only book's contents are in Hebrew only (tests/test_run_on.py)
        contents = " ".join(line.text for line in lines if line.page == CONTENTS)
        assert "אכק" in contents and "Psalm" not in contents, contents
    else:
        entry = next(line for line in lines if line.page == CONTENTS and "Psalm 121" in line.text)
        assert "אכק" in entry.text or any(line.page == CONTENTS and abs(line.baseline - entry.baseline) <= 1
                                          and "אכק" in line.text for line in lines), "the Hebrew title on its line"
    opener = [line for line in lines if line.page == OPENER]
    assert _hebrew_share(opener[0]) == 1 and opener[0].baseline < PAGE_HEIGHT - TOP_MARGIN - 28, layout


@pytest.mark.parametrize("primary", ["en", "he"])
def test_a_book_without_a_hebrew_title_prints_its_english_title_once_as_english(tmp_path: Path,
                                                                                 primary: str) -> None:
    """No English title in an element marked Hebrew: the title page shows it once, and the running
    head that would be Hebrew is marked English."""
    source = _source(tmp_path, primary)
    toml = (source / "book.toml").read_text(encoding="utf-8")
    (source / "book.toml").write_text("\n".join(line for line in toml.splitlines()
                                               if not line.startswith("title_he")) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = build("html", "--source", str(source), "--out", str(out))
    assert result.returncode == 0, result.stderr
    html = (out / "book.html").read_text(encoding="utf-8")
    titles = re.findall(r'<h1 class="book-title[^"]*" lang="(\w+)" dir="(\w+)">([^<]*)</h1>', html)
    assert [(lang, direction) for lang, direction, _ in titles] == [("en", "ltr")], titles
    assert "Songs of Ascent" in titles[0][2]
    heads = re.findall(r'<div class="running-book" lang="(\w+)" dir="(\w+)">([^<]*)</div>', html)
    assert heads and all(lang == "en" and direction == "ltr" for lang, direction, _ in heads), heads
