"""Bad input: one test per diagnostic, asserting message, location and exit status.

Every failure prints `path:line: error [code] message` on stderr, exits 1,
shows no traceback and leaves nothing in the output folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, build, fails_with

from press.diagnostics import BuildError
from press.readers.common import read_text

BAD = FIXTURES / "bad"


def source_with(tmp_path: Path, *files: Path, toml: str | None = None) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    for file in files:
        shutil.copy(file, source / file.name)
    if toml is not None:
        (source / "book.toml").write_text(toml, encoding="utf-8")
    return source


def test_missing_source_folder(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    fails_with(missing, tmp_path, f"{missing}: error [source] source folder not found")


def test_folder_without_chapters(tmp_path: Path) -> None:
    source = source_with(tmp_path)
    fails_with(source, tmp_path, f"{source}: error [source] no chapters (.md or .txt files) in the source folder")


def test_not_utf8_names_file_and_line(tmp_path: Path) -> None:
    source = source_with(tmp_path, BAD / "not-utf8.txt")
    fails_with(source, tmp_path,
               f"{source / 'not-utf8.txt'}:3: error [encoding] not UTF-8: byte 0xFF cannot be decoded")


def test_unreadable_file_names_the_file(tmp_path: Path) -> None:
    # Root can read any file, so a folder stands in for an unreadable chapter.
    with pytest.raises(BuildError) as failure:
        read_text(tmp_path)
    assert str(failure.value) == f"{tmp_path}: error [unreadable] cannot read: Is a directory"


def test_dangling_link_is_not_a_chapter(tmp_path: Path) -> None:
    source = source_with(tmp_path, FIXTURES / "readers" / "plaintext-glued-notes.txt")
    (source / "plaintext-glued-notes.txt").unlink()
    (source / "plaintext-glued-notes.txt").symlink_to(tmp_path / "missing-target.txt")
    fails_with(source, tmp_path, f"{source}: error [source] no chapters (.md or .txt files) in the source folder")


def test_empty_chapter(tmp_path: Path) -> None:
    source = source_with(tmp_path, BAD / "only-front-matter.md")
    fails_with(source, tmp_path,
               f"{source / 'only-front-matter.md'}:1: error [empty-chapter] chapter has no paragraphs")


def test_unknown_book_toml_key_names_its_line(tmp_path: Path) -> None:
    toml = 'title = "T"\n\n[print]\ntrim = "A5"\ntrimm = "A4"\n'
    source = source_with(tmp_path, FIXTURES / "readers" / "markdown-pairing.md", toml=toml)
    fails_with(source, tmp_path, f"{source / 'book.toml'}:5: error [config-key] unknown key `trimm` in [print]")


def test_unknown_top_level_key(tmp_path: Path) -> None:
    source = source_with(tmp_path, FIXTURES / "readers" / "markdown-pairing.md", toml='titel = "T"\n')
    fails_with(source, tmp_path, f"{source / 'book.toml'}:1: error [config-key] unknown key `titel`")


def test_bad_trim_value(tmp_path: Path) -> None:
    toml = '[print]\ntrim = "huge"\n'
    source = source_with(tmp_path, FIXTURES / "readers" / "markdown-pairing.md", toml=toml)
    fails_with(source, tmp_path, f"{source / 'book.toml'}:2: error [config-value] `[print] trim` must be a named "
               'size (A4, A5, Letter, ...) or "W H" such as "6in 9in", not "huge"')


def test_invalid_toml(tmp_path: Path) -> None:
    source = source_with(tmp_path, FIXTURES / "readers" / "markdown-pairing.md", toml='title = "unclosed\n')
    out = tmp_path / "out"
    result = build("--source", str(source), "--out", str(out))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{source / 'book.toml'}:1: error [toml] not valid TOML")


def test_unknown_front_matter_key(tmp_path: Path) -> None:
    chapter = tmp_path / "01-x.md"
    chapter.write_text("---\ntitel: X\n---\n\nText.\n", encoding="utf-8")
    source = source_with(tmp_path, chapter)
    fails_with(source, tmp_path, f"{source / '01-x.md'}:2: error [front-matter] unknown front-matter line "
               "`titel: X` (keys: title, title_he, number, numbered)")


def test_unknown_paragraph_role(tmp_path: Path) -> None:
    chapter = tmp_path / "01-x.md"
    chapter.write_text("Text.\n{.comentary}\n", encoding="utf-8")
    source = source_with(tmp_path, chapter)
    fails_with(source, tmp_path, f"{source / '01-x.md'}:2: error [role] unknown paragraph role `{{.comentary}}` "
               "(use {.intro}, {.commentary}, {.pair})")


def test_character_the_fonts_cannot_draw(tmp_path: Path) -> None:
    source = source_with(tmp_path, BAD / "missing-glyph.md")
    fails_with(source, tmp_path, f"{source / 'missing-glyph.md'}:3: error [font-coverage] U+0915 DEVANAGARI "
               "LETTER KA cannot be drawn: EB Garamond or Frank Ruhl Libre has no glyph for it", "pdf")


def test_duplicate_chapter_numbers(tmp_path: Path) -> None:
    first, second = tmp_path / "a-1.txt", tmp_path / "b-1.txt"
    for path in (first, second):
        path.write_text("Text.\n", encoding="utf-8")
    source = source_with(tmp_path, first, second)
    fails_with(source, tmp_path, f"{source / 'b-1.txt'}:1: error [chapter-number] chapter number 1 is also "
               "used by a-1.txt")


def test_bad_command_line_exits_2(tmp_path: Path) -> None:
    result = build("bogus")
    assert result.returncode == 2 and "invalid choice" in result.stderr
