"""`build.py import`: a Sefaria text written as Markdown chapters reads back as the same model.

Ruth 1-2 of the shared corpus (copied at test time, never committed), in
both Hebrew versions: the Masorah one carries emphasis (its bold paseq),
thin spaces and qere/ketiv. A fixture of our own adds footnotes.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from conftest import CORPUS, build

from press.diagnostics import Reporter
from press.model import Book, SectionBreak, plain_text, section_breaks
from press.readers import read_book

RUTH = CORPUS / "sefaria" / "ruth"


def _shape(book: Book) -> list:
    """Everything of the model but where it was read from."""
    return [(c.number, c.title, c.title_he, c.numbered,
             [(b.kind, b.number, b.en and b.en.runs, b.he and b.he.runs) for b in c.blocks],
             [(n.id, n.lang, n.runs) for n in c.notes]) for c in book.chapters]


def _round_trip(source: Path, tmp_path: Path) -> tuple[Book, Book]:
    out = tmp_path / "markdown"
    result = build("import", "--source", str(source), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert not list(out.glob("*.json"))
    return (read_book(source, Reporter(io.StringIO())), read_book(out, Reporter(io.StringIO())))


@pytest.mark.parametrize("hebrew", ["he-taamei-hamikra.json", "he-miqra-masorah.json"])
def test_ruth_1_2_round_trips_to_the_same_model(tmp_path: Path, hebrew: str) -> None:
    if not RUTH.is_dir():
        pytest.skip(f"skipped: the shared corpus is absent ({RUTH} not found)")
    source = tmp_path / "src"
    source.mkdir()
    for name in (hebrew, "en-jps-1917.json"):
        shutil.copyfile(RUTH / name, source / name)
    (source / "book.toml").write_text('[sefaria]\nchapters = "1-2"\n', encoding="utf-8")
    original, imported = _round_trip(source, tmp_path)
    assert [len(c.blocks) for c in imported.chapters] == [22, 23]
    assert _shape(imported) == _shape(original)
    assert (imported.title, imported.title_he) == ("Ruth", "רות")


def test_the_masorah_section_mark_round_trips(tmp_path: Path) -> None:
    if not RUTH.is_dir():
        pytest.skip(f"skipped: the shared corpus is absent ({RUTH} not found)")
    source = tmp_path / "src"
    source.mkdir()
    for name in ("he-miqra-masorah.json", "en-jps-1917.json"):
        shutil.copyfile(RUTH / name, source / name)
    (source / "book.toml").write_text('[sefaria]\nchapters = "4"\n', encoding="utf-8")
    original, imported = _round_trip(source, tmp_path)
    assert _shape(imported) == _shape(original)
    verse = imported.chapters[0].blocks[16].he
    assert section_breaks(verse.runs) == [SectionBreak("open")]  # 4:17 ends an open section
    written = next((tmp_path / "markdown").glob("*.md")).read_text(encoding="utf-8")
    assert "אֲבִ֥י דָוִֽד׃ {פ}\n" in written


def _write_tiny(source: Path, verses: dict[str, list[list[str]]]) -> None:
    """A one-chapter Sefaria text "Tiny" in each language of `verses`."""
    for lang, text in verses.items():
        data = {"language": lang, "title": "Tiny", "heTitle": "קטן", "versionTitle": "v", "license": "CC0",
                "versionSource": "", "text": text}
        (source / f"{lang}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_section_marks_and_braces_round_trip(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    verses = {"en": [["One {פ} as text.", "Two."]],
              "he": [['אחת <span class="mam-spi-samekh">{ס}</span> ושתיים&nbsp;<span class="mam-spi-pe">{פ}</span>',
                      "{ס} כתוב."]]}
    _write_tiny(source, verses)
    original, imported = _round_trip(source, tmp_path)
    assert _shape(imported) == _shape(original)
    first, second = imported.chapters[0].blocks
    assert [s.kind for s in section_breaks(first.he.runs)] == ["closed", "open"]
    assert section_breaks(first.en.runs) == section_breaks(second.he.runs) == []  # braces of the text stay text
    assert plain_text(second.he.runs) == "{ס} כתוב."


def test_notes_and_markdown_characters_round_trip(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    verses = {"en": [["A *star* and [brackets] \\ back_slash.", '# Not a heading, {.commentary} <sup class="'
                      'footnote-marker">1</sup><i class="footnote">A note with <b>bold</b>.</i> end.']],
              "he": [["אחת ו*כוכב*.", "<b>שתיים</b> 1. שלוש."]]}
    _write_tiny(source, verses)
    original, imported = _round_trip(source, tmp_path)
    assert _shape(imported) == _shape(original)
    assert imported.chapters[0].notes[0].runs is not None


def test_import_never_overwrites_chapters(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "01-mine.md").write_text("# Mine\n\nText.\n", encoding="utf-8")
    source = tmp_path / "src"
    source.mkdir()
    (source / "en.json").write_text(json.dumps({"language": "en", "title": "T", "text": [["One."]]}),
                                    encoding="utf-8")
    result = build("import", "--source", str(source), "--out", str(out))
    assert result.returncode == 1 and "import into a new folder" in result.stderr
    assert (out / "01-mine.md").read_text(encoding="utf-8") == "# Mine\n\nText.\n"
