"""Issue 17, bounded resources: the documented input limits (README "Limits"), each with its clear
error, and the 10,000-note chapter of the issue's first table, which builds (it once never finished).

How time and memory grow with the input is measured by bench/scale.py, not here.
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
from conftest import build, fails_with

from press.checks import MAX_CHAPTER_CHARACTERS
from press.diagnostics import Reporter
from press.readers import read_book
from press.textfile import MAX_SOURCE_BYTES

BOOK_TOML = 'title = "Limits"\ntitle_he = "גְּבוּלוֹת"\nauthor = "Test"\n'
LINE = "An English paragraph of some length, repeated to make a chapter longer than any book needs.\n\n"


def _source(tmp_path: Path, files: dict[str, str]) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    (source / "book.toml").write_text(BOOK_TOML, encoding="utf-8")
    for name, text in files.items():
        (source / name).write_text(text, encoding="utf-8")
    return source


def test_a_source_file_past_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    source = _source(tmp_path, {})
    with open(source / "01-huge.txt", "wb") as huge:  # sparse: its size is what is judged
        huge.truncate(MAX_SOURCE_BYTES + 1)
    fails_with(source, tmp_path, f"{source / '01-huge.txt'}: error [input-size] the file holds 64.0 MiB; "
               "a source file may hold at most 64 MiB: split it into chapters", "model")


def test_a_book_toml_past_the_limit_is_refused(tmp_path: Path) -> None:
    source = _source(tmp_path, {"01-a.txt": "A paragraph.\n"})
    with open(source / "book.toml", "ab") as toml:
        toml.truncate(MAX_SOURCE_BYTES + 2**20)
    fails_with(source, tmp_path, f"{source / 'book.toml'}: error [input-size] the file holds 65.0 MiB; "
               "a source file may hold at most 64 MiB: split it into chapters", "pdf")


def _long_chapter(tmp_path: Path) -> tuple[Path, int]:
    copies = MAX_CHAPTER_CHARACTERS // (len(LINE) - 2) + 1
    source = _source(tmp_path, {"01-long.txt": LINE * copies})
    return source, copies * (len(LINE) - 2)


def test_a_chapter_past_the_limit_is_refused_before_any_layout(tmp_path: Path) -> None:
    source, size = _long_chapter(tmp_path)
    expected = (f"{source / '01-long.txt'}:1: error [chapter-size] the chapter holds {size:,} characters; a chapter "
                f"is laid out as one piece, of at most {MAX_CHAPTER_CHARACTERS:,} (about 2,000 pages): "
                "split it into chapters")
    for command in ("pdf", "epub", "all"):
        fails_with(source, tmp_path, expected, command)


def test_a_chapter_past_the_print_limit_is_still_read(tmp_path: Path) -> None:
    source, size = _long_chapter(tmp_path)
    book = read_book(source, Reporter(io.StringIO()))
    assert sum(len(p.runs[0].text) for block in book.chapters[0].blocks for p in block.paragraphs) == size


def test_a_chapter_of_ten_thousand_notes_builds_with_every_note(tmp_path: Path) -> None:
    """The issue's row "10,000 footnotes in one chapter: still running after 600 s (killed)". Twenty
    calls to a paragraph keep the pages few (about 400), so the test costs about a minute; bench/scale.py
    builds the longer 10,000-note chapter of one call per pair."""
    calls, per_paragraph = 10_000, 20
    body = ["An introduction to a chapter of ten thousand notes."]
    for first in range(1, calls + 1, per_paragraph):
        body += [" ".join(f"word.{n}" for n in range(first, first + per_paragraph)), "שִׁיר לַמַּעֲלוֹת"]
    texts = [f"{n}. Note {n}." for n in range(1, calls + 1)]
    source = _source(tmp_path, {"chapter-1.txt": "\n\n".join([*body, "Notes", *texts]) + "\n"})
    out = tmp_path / "out"
    result = build("pdf", "--source", str(source), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    with pikepdf.open(out / "book.pdf") as pdf:
        pages = len(pdf.pages)
    document = pdfium.PdfDocument(str(out / "book.pdf"))
    text = "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    document.close()
    missing = [n for n in range(1, calls + 1) if f"Note {n}." not in text]
    assert not missing, f"{len(missing)} note texts missing, e.g. {missing[:5]}"
    assert 100 < pages < 1_000
