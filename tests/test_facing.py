"""The facing layout read from its PDF (issue 13): each spread one passage, the Hebrew beside its English,
both pages full, running heads by reading order, folios on both pages.

Positions are PDFium's character origins (baselines, pt from the foot of the page) and the named
destination of each paragraph (its id: `chapter-45-b7-he`), on the seed chapter and the sample, with
either language leading.
"""

from __future__ import annotations

import io
import shutil
from collections import Counter
from contextlib import redirect_stderr
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pikepdf
import pytest
from conftest import PROJECT, build
from sheettools import HEBREW, LATIN, Char, pdf_chars

# The seed chapter calls nine notes whose text the corpus lacks; these tests measure the layout of the
# text itself, and test_missing_note_placeholders_fit_the_seed_in_six_pages that of the placeholders.
BOOK_TOML = ('title = "A Test Book"\ntitle_he = "סֵפֶר נִסָּיוֹן"\nauthor = "Tester"\nprimary = "{primary}"\n'
             '[notes]\nmissing = "omit"\n[print]\nlayout = "facing"\n')
FRONT_PAGES = 4  # title, colophon, contents, the blank before the body
LINE = 10.5 * 1.35  # pt: a line of body text (book.css)
FOOT = 0.7 * 72  # pt: the page area's bottom margin (book.css)
HEAD = 0.75 * 72  # pt: its top margin


@dataclass
class Facing:
    pdf: Path
    source: Path

    @cached_property
    def chars(self) -> dict[int, list[Char]]:
        pages: dict[int, list[Char]] = {}
        for char in pdf_chars(self.pdf):
            pages.setdefault(char.page, []).append(char)
        return pages

    @cached_property
    def geometry(self) -> tuple[int, float, dict[str, tuple[int, float]], list[int]]:
        """Page count, page height, each destination's (page, top), each chapter's opening page."""
        with pikepdf.open(self.pdf) as document:
            index = {page.objgen: number for number, page in enumerate(document.pages)}
            tree = pikepdf.NameTree(document.Root.Names.Dests)
            dests = {name: (index[dest[0].objgen], float(dest[3])) for name, dest in tree.items()}
            with document.open_outline() as outline:
                openings = [index[item.destination[0].objgen] for item in outline.root]
            height = float(document.pages[0].trimbox[3])
            return len(document.pages), height, dests, openings

    @cached_property
    def book(self):
        from press.diagnostics import Reporter
        from press.readers import read_book

        with redirect_stderr(io.StringIO()):
            return read_book(self.source, Reporter())

    def body_lines(self, page: int) -> list[float]:
        """The baselines of the page area's text, top to bottom (running head and folio left out)."""
        height = self.geometry[1]
        ys = sorted({round(c.y, 1) for c in self.chars.get(page, ()) if FOOT - 6 < c.y < height - HEAD}, reverse=True)
        lines: list[float] = []
        for y in ys:
            if not lines or lines[-1] - y > 4:  # a raised note call belongs to its line
                lines.append(y)
        return lines

    def first_baseline(self, name: str) -> tuple[int, float]:
        page, top = self.geometry[2][name]
        below = [c.y for c in self.chars[page] if top - 40 < c.y < top]
        highest = max(below)
        line = Counter(round(y, 1) for y in below if y > highest - 6)
        return page, line.most_common(1)[0][0]

    def chapters(self) -> list[range]:
        """Each chapter's pages, from its opening to its last page."""
        count, _, _, openings = self.geometry
        ends = [*openings[1:], count]
        ranges = []
        for start, end in zip(openings, ends, strict=True):
            while end - 1 > start and not self.chars.get(end - 1):  # the blank page before the next chapter
                end -= 1
            ranges.append(range(start, end))
        return ranges

    def text(self, page: int, low: float, high: float, rtl: bool = False) -> str:
        """The characters between two heights, in reading order."""
        ordered = sorted(self.chars.get(page, ()), key=lambda c: -c.x if rtl else c.x)
        return "".join(c.char for c in ordered if low < c.y < high)


SAMPLE = sorted(p for p in (PROJECT / "source").iterdir() if p.suffix in (".md", ".txt"))


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory, seed_chapter: Path) -> dict[tuple[str, str], Facing]:
    built = {}
    for name, chapters in (("seed", [seed_chapter]), ("sample", SAMPLE)):
        for primary in ("en", "he"):
            source = tmp_path_factory.mktemp(f"facing-{name}-{primary}")
            for chapter in chapters:
                shutil.copy(chapter, source / chapter.name)
            (source / "book.toml").write_text(BOOK_TOML.format(primary=primary), encoding="utf-8")
            out = source / "out"
            result = build("pdf", "--source", str(source), "--out", str(out))
            assert result.returncode == 0, result.stderr
            built[(name, primary)] = Facing(out / "book.pdf", source)
    return built


CASES = [(name, primary) for name in ("seed", "sample") for primary in ("en", "he")]


@pytest.mark.parametrize(("name", "primary"), CASES)
def test_each_hebrew_stands_at_the_height_of_its_english_on_the_facing_page(books, name: str, primary: str) -> None:
    book = books[(name, primary)]
    dests = book.geometry[2]
    pairs = [key.removesuffix("-he") for key in dests if key.endswith("-he") and key[:-3] + "-en" in dests]
    assert len(pairs) >= 10
    aligned = 0
    for pair in pairs:
        en_page, en_y = book.first_baseline(pair + "-en")
        he_page, he_y = book.first_baseline(pair + "-he")
        verso, recto = sorted((en_page, he_page))
        assert recto == verso + 1 and verso % 2 == 1, f"{pair}: pages {en_page}, {he_page} are not one spread"
        # Hebrew on the right-hand page: the recto when bound on the left, the verso when bound on the right.
        assert he_page == (recto if primary == "en" else verso)
        if abs(en_y - he_y) <= 2:
            aligned += 1
            continue
        assert he_y < en_y, f"{pair}: the Hebrew's first baseline ({he_y}) stands above its English's ({en_y})"
        above = [y for y in book.body_lines(he_page) if y > he_y + 1]
        assert above and min(above) - he_y <= 13.5 * 1.45 + 8, (
            f"{pair}: the Hebrew is neither level with its English nor directly below the Hebrew before it")
    assert aligned >= len(pairs) * 0.7, f"only {aligned} of {len(pairs)} pairs level"


@pytest.mark.parametrize(("name", "primary"), CASES)
def test_both_pages_of_a_spread_end_level_and_full(books, name: str, primary: str) -> None:
    assert level_and_full_spreads(books[(name, primary)]) or name == "sample"


def level_and_full_spreads(book: Facing) -> int:
    """Checks every spread but a chapter's last: its pages end within a line of each other, neither with
    more than two lines of white at its foot. Returns how many it checked."""
    checked = 0
    for pages in book.chapters():
        spreads = [(p, p + 1) for p in pages if p % 2 == 1 and p + 1 in pages]
        for verso, recto in spreads[:-1]:  # not the chapter's last spread
            ends = [book.body_lines(page)[-1] for page in (verso, recto)]
            assert abs(ends[0] - ends[1]) <= LINE + 0.5, f"pages {verso}, {recto} end at {ends}"
            for page, end in zip((verso, recto), ends, strict=True):
                assert end - FOOT <= 2 * LINE + 5, f"page {page}: {end - FOOT:.1f} pt of white at its foot"
            checked += 1
    return checked


@pytest.mark.parametrize(("name", "primary"), CASES)
def test_no_blank_or_short_page_inside_a_chapter(books, name: str, primary: str) -> None:
    book = books[(name, primary)]
    for pages in book.chapters():
        for page in pages[:-1]:
            assert len(book.body_lines(page)) >= 4, f"page {page} holds {len(book.body_lines(page))} lines"
        assert book.body_lines(pages[-1]), f"the chapter's last page {pages[-1]} is blank"


@pytest.mark.parametrize("primary", ["en", "he"])
def test_the_seed_chapter_takes_at_most_six_pages(books, primary: str) -> None:
    (pages,) = books[("seed", primary)].chapters()
    assert len(pages) <= 6


@pytest.mark.parametrize(("name", "primary"), CASES)
def test_running_heads_by_reading_order_in_the_language_of_their_page(books, name: str, primary: str) -> None:
    """The verso (the first page of a spread in reading order, for both bindings) carries the book's
    title, the recto the chapter's; the English page's head is English, the Hebrew page's Hebrew."""
    book = books[(name, primary)]
    model = book.book
    height = book.geometry[1]
    verso_lang, recto_lang = ("en", "he") if primary == "en" else ("he", "en")
    for chapter, pages in zip(model.chapters, book.chapters(), strict=True):
        for page in pages[1:]:
            lang = verso_lang if page % 2 == 1 else recto_lang
            expected = model.title_in(lang) if page % 2 == 1 else chapter.title_in(lang)
            shown = book.text(page, height - HEAD, height, rtl=lang == "he")
            pattern = HEBREW if lang == "he" else LATIN
            assert "".join(pattern.findall(shown)) == "".join(pattern.findall(expected)), (
                f"page {page}: head {shown!r}, expected {expected!r}")
            assert not (LATIN if lang == "he" else HEBREW).findall(shown)
        assert not book.text(pages[0], height - HEAD, height).strip(), "no head on a chapter's opening page"


@pytest.mark.parametrize(("name", "primary"), CASES)
def test_folios_on_both_pages_continuous(books, name: str, primary: str) -> None:
    book = books[(name, primary)]
    for pages in book.chapters():
        for page in pages:
            assert book.text(page, 0, FOOT - 8) == str(page - FRONT_PAGES + 1), f"page {page}"


def test_hebrew_led_book_numbers_its_english_pages_in_arabic_figures(tmp_path: Path, seed_chapter: Path) -> None:
    """`folio = "hebrew"` with `english_folio = "arabic"`: Hebrew numerals on the Hebrew pages and the
    opening, Arabic figures on the English pages, one count for both."""
    from press.hebrew import hebrew_numeral

    source = tmp_path / "src"
    source.mkdir()
    shutil.copy(seed_chapter, source / seed_chapter.name)
    (source / "book.toml").write_text(BOOK_TOML.format(primary="he") + 'folio = "hebrew"\nenglish_folio = "arabic"\n',
                                      encoding="utf-8")
    result = build("pdf", "--source", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    book = Facing(tmp_path / "out" / "book.pdf", source)
    (pages,) = book.chapters()
    for page in pages:
        folio = page - FRONT_PAGES + 1
        english = page != pages[0] and page % 2 == 0  # bound on the right: the rectos are the English pages
        shown = book.text(page, 0, FOOT - 8, rtl=not english)
        assert shown == (str(folio) if english else hebrew_numeral(folio)), f"page {page}: {shown!r}"


def test_english_folio_must_be_a_folio_style(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    for chapter in SAMPLE:
        shutil.copy(chapter, source / chapter.name)
    (source / "book.toml").write_text(BOOK_TOML.format(primary="en") + 'english_folio = "roman"\n', encoding="utf-8")
    result = build("pdf", "--source", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert (f'{source / "book.toml"}:9: error [config-value] `[print] english_folio` must be one of "arabic", '
            '"hebrew", not "roman"') in result.stderr
    assert "Traceback" not in result.stderr


def test_a_pair_taller_than_a_page_breaks_in_both_languages_at_the_same_spread(tmp_path: Path) -> None:
    """A pair longer than a page starts on a spread, both languages break there and continue at the head
    of the next spread; the pair after it is level again."""
    hebrew = "שִׁיר לַמַּעֲלוֹת אֶשָּׂא עֵינַי אֶל־הֶהָרִים מֵאַיִן יָבֹא עֶזְרִי׃ עֶזְרִי מֵעִם ה' עֹשֵׂה שָׁמַיִם וָאָרֶץ׃ "
    english = "The road climbs and the pilgrim keeps walking, counting the hills one by one. "
    source = tmp_path / "src"
    source.mkdir()
    (source / "01-long.md").write_text(
        "---\ntitle: A Long Pair\ntitle_he: זוּג אָרֹךְ\nnumber: 1\n---\n\n"
        "A short introduction to a chapter whose second pair is longer than a page.\n\n"
        "The first pair is short.\n\nשִׁיר לַמַּעֲלוֹת\n\nA line of commentary after the first pair.\n\n"
        f"{english * 60}\n\n{hebrew * 40}\n\nA line of commentary after the long pair.\n\n"
        "The third pair is short.\n\nעֶזְרִי מֵעִם ה'\n", encoding="utf-8")
    (source / "book.toml").write_text(BOOK_TOML.format(primary="en"), encoding="utf-8")
    result = build("pdf", "--source", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    book = Facing(tmp_path / "out" / "book.pdf", source)
    dests = book.geometry[2]
    verso, recto = dests["chapter-1-b4-en"][0], dests["chapter-1-b4-he"][0]
    assert verso % 2 == 1 and recto == verso + 1, "the long pair starts on one spread"
    for page, script in ((verso + 2, LATIN), (recto + 2, HEBREW)):
        top = book.body_lines(page)[0]
        assert script.findall(book.text(page, top - 1, top + 1, rtl=script is HEBREW)), (
            f"page {page}: the pair continues at the head of the next spread")
    for page in book.chapters()[0]:
        assert book.body_lines(page), f"page {page} is blank"
    en_page, en_y = book.first_baseline("chapter-1-b6-en")
    he_page, he_y = book.first_baseline("chapter-1-b6-he")
    assert he_page == en_page + 1 and abs(en_y - he_y) <= 2


@pytest.mark.parametrize("primary", ["en", "he"])
def test_missing_note_placeholders_fit_the_seed_in_six_pages(tmp_path: Path, seed_chapter: Path, primary: str) -> None:
    """With `[notes] missing = "mark"`, the default, the seed's nine placeholder notes are planned for like
    any footnote: its body takes at most 6 pages, none short but the chapter's last, its spreads level."""
    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(seed_chapter, source / seed_chapter.name)
    (source / "book.toml").write_text(BOOK_TOML.format(primary=primary).replace('missing = "omit"', 'missing = "mark"'),
                                      encoding="utf-8")
    result = build("pdf", "--source", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    book = Facing(tmp_path / "out" / "book.pdf", source)
    (pages,) = book.chapters()
    assert len(pages) <= 6, f"{len(pages)} body pages with placeholder notes"
    for page in pages[:-1]:
        assert len(book.body_lines(page)) >= 4, f"page {page} holds {len(book.body_lines(page))} lines"
    assert level_and_full_spreads(book)
