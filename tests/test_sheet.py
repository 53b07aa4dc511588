"""The study sheet: passage references, the HTML it renders, and sheet.pdf.

Expected text is taken from the model at run time (the corpus is never
copied into the repository); the PDF is checked by structure: pages,
fonts, text present, and where each language's first word stands.
"""

from __future__ import annotations

import io
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import PROJECT, build
from pdftools import assert_only_book_fonts, fonts, page_count
from sheettools import HEBREW, LATIN, block_numbers, letters, line_texts, page_size, pdf_chars, pdf_text

from press.diagnostics import BuildError, Reporter
from press.editions.sheet.content import quick_spec, sheet_view
from press.editions.sheet.writer import SheetWriter
from press.model import Block, Book, plain_text
from press.passage import Passage, label, parse, resolve
from press.readers import read_book


def quiet_read(source: Path) -> Book:
    return read_book(source, Reporter(io.StringIO()))


@pytest.fixture(scope="module")
def seed_book(seed_source: Path) -> Book:
    return quiet_read(seed_source)


@pytest.fixture(scope="module")
def sample_book() -> Book:
    return quiet_read(PROJECT / "source")


@pytest.fixture(scope="module")
def seed_sheet(tmp_path_factory: pytest.TempPathFactory, seed_source: Path) -> Path:
    out = tmp_path_factory.mktemp("sheet-45-3-8")
    result = build("sheet", "--passage", "45:3-8", "--source", str(seed_source), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out / "sheet.pdf"


@pytest.fixture(scope="module")
def sample_sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sheet-sample")
    result = build("sheet", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out / "sheet.pdf"


def passage_message(book: Book, text: str) -> str:
    with pytest.raises(BuildError) as caught:
        resolve(book, text)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "passage" and diagnostic.severity == "error"
    return diagnostic.message


# --- parsing and resolving -------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("45:3-8", Passage(45, 3, 8)),
    ("45:3–8", Passage(45, 3, 8)),
    (" 45:3 - 8 ", Passage(45, 3, 8)),
    ("45:3", Passage(45, 3, 3)),
    ("45", Passage(45)),
    ("45:40-46:2", Passage(45, 40, 2, end_chapter=46)),
    ("45-46", Passage(45, end_chapter=46)),
])
def test_parse_valid_forms(text: str, expected: Passage) -> None:
    assert parse(text) == (expected,)


@pytest.mark.parametrize(("text", "expected", "printed"), [
    ("45:3-8, 46:1", (Passage(45, 3, 8), Passage(46, 1, 1)), "45:3–8, 46:1"),
    ("45:3, 5-7", (Passage(45, 3, 3), Passage(45, 5, 7)), "45:3, 5–7"),  # a bare number after a comma: a block
    ("45:3; 46", (Passage(45, 3, 3), Passage(46)), "45:3; 46"),  # after a semicolon: a chapter
    ("45, 46", (Passage(45), Passage(46)), "45, 46"),
    ("45:40-46:2,47:1", (Passage(45, 40, 2, 46), Passage(47, 1, 1)), "45:40–46:2, 47:1"),
])
def test_parse_lists_and_print_them_back(text: str, expected: tuple[Passage, ...], printed: str) -> None:
    assert parse(text) == expected
    assert label(expected) == printed
    assert parse(printed) == expected


@pytest.mark.parametrize("text", ["", "abc", "45:", "45:3-", ":3", "45:3-8-9", "45.3", "45:3,", "-1", "45-46:2"])
def test_parse_malformed(text: str) -> None:
    with pytest.raises(BuildError) as caught:
        parse(text)
    assert str(caught.value) == (f'error [passage] malformed passage "{text}": expected CHAPTER, CHAPTER:BLOCK, '
                                 "CHAPTER:FIRST-LAST or CHAPTER:BLOCK-CHAPTER:BLOCK, or a list (e.g. 45:3-8, 46:1)")


def test_parse_chapters_out_of_order() -> None:
    with pytest.raises(BuildError) as caught:
        parse("46:1-45:2", Path("s.toml"), 7)
    assert str(caught.value) == 's.toml:7: error [passage] passage "46:1-45:2": chapter 46 comes after chapter 45'


def test_parse_reversed_range() -> None:
    with pytest.raises(BuildError) as caught:
        parse("45:8-3", Path("book.toml"), 4)
    assert str(caught.value) == ('book.toml:4: error [passage] passage "45:8-3": '
                                 "the first block (8) comes after the last (3)")


def test_resolve_chooses_the_blocks(seed_book: Book) -> None:
    (selection,) = resolve(seed_book, "45:3-8")
    assert selection.chapter.number == 45 and not selection.whole
    assert [b.number for b in selection.blocks] == [3, 4, 5, 6, 7, 8]
    (single,) = resolve(seed_book, "45:4")
    assert [b.number for b in single.blocks] == [4]
    (whole,) = resolve(seed_book, "45")
    assert whole.whole and whole.blocks == seed_book.chapters[0].blocks


def test_resolve_across_chapters(sample_book: Book) -> None:
    first, second = sample_book.chapters
    last = len(first.blocks)
    text = f"{first.number}:{last - 1}-{second.number}:2"
    selections = resolve(sample_book, text)
    assert [(s.chapter.number, [b.number for b in s.blocks]) for s in selections] == [
        (first.number, [last - 1, last]), (second.number, [1, 2])]
    assert passage_message(sample_book, f"{first.number}:{last - 1}-{second.number}:99") == (
        f'passage "{text[:-1]}99": chapter {second.number} has {len(second.blocks)} blocks, so there is no block 99')


def test_resolve_missing_chapter_lists_the_chapters(sample_book: Book) -> None:
    numbers = ", ".join(str(c.number) for c in sample_book.chapters)
    assert passage_message(sample_book, "99:1-2") == f'passage "99:1-2": there is no chapter 99 (chapters: {numbers})'


def test_resolve_blocks_out_of_range_says_how_many(seed_book: Book) -> None:
    count = len(seed_book.chapters[0].blocks)
    past = count + 1
    expected = f'passage "45:3-{past}": chapter 45 has {count} blocks, so there is no block {past}'
    assert passage_message(seed_book, f"45:3-{past}") == expected
    zero = f'passage "45:0": chapter 45 has {count} blocks, so there is no block 0'
    assert passage_message(seed_book, "45:0") == zero


def test_selection_notes_are_the_called_notes_with_text(sample_book: Book, seed_book: Book) -> None:
    chapter = sample_book.chapters[0]
    (selection,) = resolve(sample_book, f"{chapter.number}:1-6")
    assert [n.id for n in selection.notes] == ["1"]
    (untexted,) = resolve(seed_book, "45")  # the seed chapter's notes have no text
    assert untexted.notes == ()


def test_default_passage_takes_what_a_short_chapter_has(seed_book: Book) -> None:
    chapter = seed_book.chapters[0]
    short = replace(seed_book, chapters=(replace(chapter, blocks=chapter.blocks[:4]),))
    (item,) = SheetWriter().quick(short).items
    assert label(item.passages) == "45:1–4"
    (six,) = SheetWriter().quick(seed_book).items
    assert label(six.passages) == "45:1–6"


# --- the HTML ---------------------------------------------------------------

def sheet_tree(book: Book, passage: str):
    from lxml import html

    from press.engine.render import render

    return html.fromstring(render("sheet", "sheet.html", sheet=sheet_view(book, quick_spec(book, passage)), css=""))


def test_every_block_carries_lang_and_dir(seed_book: Book) -> None:
    tree = sheet_tree(seed_book, "45")
    blocks = tree.xpath("//td | //p | //h1 | //h2")
    assert blocks
    for element in blocks:
        assert element.get("dir") == {"en": "ltr", "he": "rtl"}[element.get("lang")], element.text_content()[:40]


def test_a_pair_is_one_row_english_first(seed_book: Book) -> None:
    tree = sheet_tree(seed_book, "45:3-8")
    assert tree.xpath("//table[@class='blocks']/@dir") == ["ltr"]
    assert tree.xpath("//table[@class='blocks']/colgroup/col/@class") == ["number", "en", "he"]
    for block in resolve(seed_book, "45:3-8")[0].blocks:
        row = tree.xpath(f"//tr[@data-block='{block.number}']")[0]
        cells = [(td.get("class"), td.get("lang")) for td in row.xpath("td")]
        if block.kind == "pair":
            assert cells == [("number", "en"), ("translation", "en"), ("original", "he")]
        else:
            assert cells == [("number", "en"), ("span", block.paragraphs[0].lang)]
            assert row.xpath("td[@class='span']/@colspan") == ["2"]


def test_note_calls_link_to_the_notes_at_the_end(sample_book: Book) -> None:
    tree = sheet_tree(sample_book, f"{sample_book.chapters[0].number}:1-6")
    targets = tree.xpath("//a[@class='call']/@href")
    assert targets
    for target in targets:
        (note,) = tree.xpath(f"//*[@id='{target[1:]}']")
        assert note.get("class") == "note" and note.xpath("ancestor::section[@class='notes']")
    assert len(set(targets)) == len(tree.xpath("//p[@class='note']"))


def test_a_note_without_text_prints_its_number_only(seed_book: Book) -> None:
    tree = sheet_tree(seed_book, "45")
    calls = tree.xpath("//span[@class='call']/text()")
    assert calls == [n.id for n in seed_book.chapters[0].notes]
    assert not tree.xpath("//section[@class='notes']")


# --- the PDF ----------------------------------------------------------------

def distinctive_words(block: Block, count: int = 3) -> list[str]:
    words = sorted(set(re.findall(r"[A-Za-z]{5,}", plain_text(block.en.runs))), key=lambda w: (-len(w), w))
    return words[:count]


def test_seed_sheet_pages_and_english_text(seed_sheet: Path, seed_book: Book) -> None:
    assert 1 <= page_count(seed_sheet) <= 2
    assert page_size(seed_sheet) == (612, 792)  # Letter, the default paper
    text = letters(pdf_text(seed_sheet))
    for block in resolve(seed_book, "45:3-8")[0].blocks:
        for word in distinctive_words(block):
            assert word.lower() in text, f"block {block.number}: {word!r} missing"


def test_seed_sheet_numbers_the_blocks(seed_sheet: Path) -> None:
    assert sorted(block_numbers(pdf_chars(seed_sheet))) == [3, 4, 5, 6, 7, 8]


def test_seed_sheet_heading(seed_sheet: Path, seed_book: Book) -> None:
    text = pdf_text(seed_sheet)
    assert any(line.startswith("45:3–8") for line in line_texts(seed_sheet))  # no book.toml: no title to cite
    assert seed_book.chapters[0].title in text  # the sheet's title: the book's
    assert seed_book.chapters[0].title_he in text  # the chapter's Hebrew title, over the Hebrew column
    assert re.search(r"page 1 of 1\b", text)


def test_pair_columns_start_on_one_line(seed_sheet: Path, seed_book: Book) -> None:
    """English on the left, Hebrew on the right, their first words within 2pt vertically."""
    chars = pdf_chars(seed_sheet)
    numbers = block_numbers(chars)
    pairs = [b for b in resolve(seed_book, "45:3-8")[0].blocks if b.kind == "pair"]
    assert pairs
    for block in pairs:
        page, top = numbers[block.number]
        below = [y for n, (p, y) in numbers.items() if p == page and y < top - 1]
        bottom = max(below, default=0.0)
        row = [c for c in chars if c.page == page and bottom + 1 < c.y < top + 6]
        english = [c for c in row if LATIN.match(c.char)]
        hebrew = [c for c in row if HEBREW.match(c.char)]
        first_en = max(c.y for c in english)
        first_he = max(c.y for c in hebrew)
        assert abs(first_en - first_he) <= 2, f"block {block.number}: {first_en} against {first_he}"
        english_line = sorted((c for c in english if abs(c.y - first_en) < 0.5), key=lambda c: c.x)
        first_word = re.match(r"[A-Za-z]+", plain_text(block.en.runs).lstrip()).group(0)
        assert "".join(c.char for c in english_line).startswith(first_word)
        assert max(c.x for c in english_line) < min(c.x for c in hebrew if abs(c.y - first_he) < 0.5)


def test_only_the_books_fonts_are_embedded(seed_sheet: Path, sample_sheet: Path) -> None:
    for pdf in (seed_sheet, sample_sheet):
        assert_only_book_fonts(pdf)
        names = " ".join(row["name"].replace("-", "") for row in fonts(pdf))
        assert "FrankRuhlLibre" in names and "EBGaramond" in names


def test_default_passage_is_the_first_six_blocks(sample_sheet: Path, sample_book: Book) -> None:
    first = sample_book.chapters[0]
    expected = [b.number for b in first.blocks[:6]]
    assert sorted(block_numbers(pdf_chars(sample_sheet))) == expected
    text = pdf_text(sample_sheet)
    assert first.title in text
    assert f"{sample_book.title} {first.number}:{expected[0]}–{expected[-1]}" in text  # cited by the book's title


def test_notes_are_printed_at_the_end(sample_sheet: Path, sample_book: Book) -> None:
    (selection,) = resolve(sample_book, f"{sample_book.chapters[0].number}:1-6")
    text = letters(pdf_text(sample_sheet))
    assert selection.notes
    for note in selection.notes:
        assert letters(plain_text(note.runs)) in text


# --- the command line -------------------------------------------------------

def test_missing_chapter_exits_1_without_a_sheet(tmp_path: Path, seed_source: Path) -> None:
    out = tmp_path / "out"
    result = build("sheet", "--passage", "99:1-2", "--source", str(seed_source), "--out", str(out))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        'error [passage] passage "99:1-2": there is no chapter 99 (chapters: 45)')
    assert "Traceback" not in result.stderr
    assert not (out / "sheet.pdf").exists()
    assert not out.exists() or not list(out.iterdir())


def test_blocks_out_of_range_exit_1(tmp_path: Path, seed_source: Path, seed_book: Book) -> None:
    count = len(seed_book.chapters[0].blocks)
    result = build("sheet", "--passage", f"45:{count}-{count + 5}", "--source", str(seed_source),
                   "--out", str(tmp_path))
    assert result.returncode == 1
    assert (f'error [passage] passage "45:{count}-{count + 5}": chapter 45 has {count} blocks, '
            f"so there is no block {count + 5}") in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "sheet.pdf").exists()


def test_passage_from_book_toml(tmp_path: Path, seed_chapter: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(seed_chapter, source / seed_chapter.name)
    toml = source / "book.toml"
    toml.write_text('title = "Tanya"\n\n[sheet]\npaper = "A4"\npassage = "45:9-10"\n', encoding="utf-8")
    result = build("sheet", "--source", str(source), "--out", str(tmp_path / "good"))
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "good" / "sheet.pdf"
    assert sorted(block_numbers(pdf_chars(pdf))) == [9, 10]
    assert page_size(pdf) == pytest.approx((595.3, 841.9), abs=0.5)  # [sheet] paper = "A4"
    toml.write_text('[sheet]\npassage = "45:x"\n', encoding="utf-8")
    result = build("sheet", "--source", str(source), "--out", str(tmp_path / "bad"))
    assert result.returncode == 1
    assert f'{toml}:2: error [passage] malformed passage "45:x"' in result.stderr


def test_the_passage_option_wins_over_book_toml(tmp_path: Path, seed_chapter: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(seed_chapter, source / seed_chapter.name)
    (source / "book.toml").write_text('[sheet]\npassage = "45:99"\n', encoding="utf-8")
    result = build("sheet", "--passage", "45:4", "--source", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert sorted(block_numbers(pdf_chars(tmp_path / "out" / "sheet.pdf"))) == [4]


def test_the_standalone_htmls_font_subsets_come_from_the_build_cache(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Each face is subset (and compressed) once for a set of characters: a rebuild with the same
    characters reads the subsets back, the same bytes; a new character makes them again."""
    from press.editions.sheet import html as sheet_html

    monkeypatch.setenv("PRESS_BUILD_CACHE", str(tmp_path / "cache"))
    made = []
    subset = sheet_html._subset
    monkeypatch.setattr(sheet_html, "_subset", lambda face, chars: made.append(face) or subset(face, chars))
    faces = sheet_html.ensure_static_fonts()
    text = "Who keeps Israel שׁוֹמֵר יִשְׂרָאֵל"
    first = [sheet_html._data_uri(face, text) for face in faces]
    assert len(made) == len(faces) and all(uri.startswith("data:font/woff2;base64,") for uri in first)
    assert [sheet_html._data_uri(face, text) for face in faces] == first
    assert len(made) == len(faces), "the second build subset again"
    assert [sheet_html._data_uri(face, text + "g") for face in faces] != first
    assert len(made) == 2 * len(faces), "a new character must make new subsets"
