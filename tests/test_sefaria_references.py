"""Real references: a Sefaria text keeps its verse numbers, prints them, and is cited by name.

`Ruth 1:16-17`, `Ruth 1:16-2:3` and `רות א:טז-יז` name verses of the book
called Ruth (רות); a passage naming another book, or a verse the book does
not have, is an error. Own chapters keep their block numbers and print none.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from conftest import PROJECT, build

from press.diagnostics import BuildError, Reporter
from press.hebrew import hebrew_numeral
from press.passage import Passage, label, parse, resolve
from press.readers import read_book


def _version(lang: str, verses: list[list[str]]) -> dict:
    return {"language": lang, "title": "Ruth", "heTitle": "רות", "versionTitle": f"{lang} test",
            "versionSource": "https://example.org", "license": "CC0", "text": verses}


@pytest.fixture()
def small_ruth(tmp_path: Path) -> Path:
    """Two chapters of three verses, in words of our own (not the corpus)."""
    source = tmp_path / "src"
    source.mkdir()
    english = [[f"Verse {c}.{v}." for v in range(1, 4)] for c in (1, 2)]
    hebrew = [[f"פסוק {hebrew_numeral(c)} {hebrew_numeral(v)}׃" for v in range(1, 4)] for c in (1, 2)]
    for lang, verses in (("en", english), ("he", hebrew)):
        (source / f"{lang}.json").write_text(json.dumps(_version(lang, verses), ensure_ascii=False), encoding="utf-8")
    return source


@pytest.mark.parametrize(("text", "expected", "printed"), [
    ("Ruth 1:16-17", (Passage(1, 16, 17, book="Ruth"),), "Ruth 1:16–17"),
    ("Ruth 1:16-2:3", (Passage(1, 16, 3, 2, book="Ruth"),), "Ruth 1:16–2:3"),
    ("רות א:טז-יז", (Passage(1, 16, 17, book="רות", hebrew=True),), "רות א:טז–יז"),
    ("Song of Songs 2:1, 3", (Passage(2, 1, 1, book="Song of Songs"), Passage(2, 3, 3, book="Song of Songs")),
     "Song of Songs 2:1, 3"),
    ("45:3-8", (Passage(45, 3, 8),), "45:3–8"),
])
def test_references_by_name_in_english_or_hebrew(text: str, expected: tuple[Passage, ...], printed: str) -> None:
    assert parse(text) == expected
    assert label(parse(text)) == printed


def test_a_reference_resolves_to_the_verses_of_that_number(small_ruth: Path) -> None:
    book = read_book(small_ruth, Reporter(io.StringIO()))
    [selection] = resolve(book, "רות ב:ב-ג")
    assert (selection.chapter.number, [b.number for b in selection.blocks]) == (2, [2, 3])
    assert [s.chapter.number for s in resolve(book, "Ruth 1:3-2:1")] == [1, 2]


@pytest.mark.parametrize(("text", "message"), [
    ("Exodus 1:2", 'passage "Exodus 1:2": this book is "Ruth" or "רות", not "Exodus"'),
    ("Ruth 1:9", 'passage "Ruth 1:9": chapter 1 has 3 blocks, so there is no block 9'),
    ("Ruth 5:1", 'passage "Ruth 5:1": there is no chapter 5 (chapters: 1, 2)'),
])
def test_a_reference_to_what_is_not_there_is_an_error(small_ruth: Path, text: str, message: str) -> None:
    book = read_book(small_ruth, Reporter(io.StringIO()))
    with pytest.raises(BuildError) as raised:
        resolve(book, text)
    assert str(raised.value) == f"error [passage] {message}"


def test_the_command_line_refuses_another_books_passage(small_ruth: Path, tmp_path: Path) -> None:
    result = build("sheet", "--passage", "Exodus 1:2", "--source", str(small_ruth), "--out", str(tmp_path / "o"))
    assert result.returncode == 1 and "not \"Exodus\"" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "o" / "sheet.pdf").exists()


def test_verse_numbers_are_printed_arabic_in_english_hebrew_in_hebrew(small_ruth: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    for command in ("html", "epub"):
        result = build(command, "--source", str(small_ruth), "--out", str(out))
        assert result.returncode == 0, result.stderr
    html = (out / "book.html").read_text(encoding="utf-8")
    assert '<span class="verse-number">3</span> Verse 2.3.' in html
    # A Hebrew paragraph's last two words are joined by a no-break space (issue 12: no one-word last line).
    assert '<span class="verse-number">ג</span> פסוק ב\u00a0ג׃' in html
    with zipfile.ZipFile(out / "book.epub") as epub:
        chapter = next(epub.read(n).decode() for n in epub.namelist() if n.endswith("chapter-2.xhtml"))
    assert '<span class="verse-number">ב</span>' in chapter


def test_own_chapters_print_no_verse_numbers(tmp_path: Path) -> None:
    result = build("html", "--source", str(PROJECT / "source"), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "verse-number" not in (tmp_path / "book.html").read_text(encoding="utf-8")


def test_a_sheet_cites_a_named_reference_once(small_ruth: Path, tmp_path: Path) -> None:
    """`Ruth 1:2-3` already names its book: the sheet's heading is "Ruth 1:2–3", not the book's title
    put before it again ("Ruth Ruth 1:2–3")."""
    from sheettools import line_texts

    (small_ruth / "book.toml").write_text('title = "Ruth"\ntitle_he = "רות"\n', encoding="utf-8")
    out = tmp_path / "out"
    result = build("sheet", "--passage", "Ruth 1:2-3", "--source", str(small_ruth), "--out", str(out))
    assert result.returncode == 0, result.stderr
    heads = [line for line in line_texts(out / "sheet.pdf") if "1:2–3" in line]  # lines without spaces
    assert heads and all("RuthRuth" not in line for line in heads), heads
    assert any(line.startswith("Ruth1:2–3") for line in heads), heads
