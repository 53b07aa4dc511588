"""Issue 12, deliverable 5: `[notes] missing = "mark" | "omit"` and `build.py --strict` / `-W`.

The seed chapter calls notes 1 to 9 and gives none of their texts.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import build
from hebrew_text import poppler_text

SEED_NOTES = range(1, 10)


def _source(root: Path, seed: Path, primary: str, missing: str | None) -> Path:
    source = root / f"src-{primary}-{missing}"
    source.mkdir()
    shutil.copy(seed, source / seed.name)
    table = f'[notes]\nmissing = "{missing}"\n' if missing else ""
    (source / "book.toml").write_text(f'title = "T"\ntitle_he = "סֵפֶר"\nauthor = "A"\nprimary = "{primary}"\n'
                                      + table, encoding="utf-8")
    return source


@pytest.mark.parametrize(("primary", "placeholder"), [("en", "The text of note {} is missing."),
                                                      ("he", "נוסח הערה {} חסר.")])
def test_mark_prints_a_placeholder_note_in_the_books_language(tmp_path: Path, seed_chapter: Path,
                                                              primary: str, placeholder: str) -> None:
    source = _source(tmp_path, seed_chapter, primary, None)  # "mark" is the default
    out = tmp_path / "out"
    for command in ("pdf", "epub"):
        result = build(command, "--source", str(source), "--out", str(out))
        assert result.returncode == 0, result.stderr
    text = " ".join(re.sub("[\u200f\u202a-\u202e]", "", poppler_text(out / "book.pdf")).split())
    words = placeholder.split("{}")[0].strip()  # poppler moves a number inside Hebrew: count the words
    assert text.count(words) == len(SEED_NOTES), f"{text.count(words)} placeholders for {len(SEED_NOTES)} notes"
    with zipfile.ZipFile(out / "book.epub") as epub:
        chapter = epub.read("EPUB/text/chapter-45.xhtml").decode()
    for number in SEED_NOTES:
        assert f'href="#chapter-45-note-{number}"' in chapter and placeholder.format(number) in chapter


def test_omit_prints_neither_call_nor_note(tmp_path: Path, seed_chapter: Path) -> None:
    source = _source(tmp_path, seed_chapter, "en", "omit")
    out = tmp_path / "out"
    for command in ("html", "epub"):
        result = build(command, "--source", str(source), "--out", str(out))
        assert result.returncode == 0, result.stderr
    html = (out / "book.html").read_text(encoding="utf-8")
    assert 'class="call"' not in html and "missing-note" not in html and "is missing" not in html
    with zipfile.ZipFile(out / "book.epub") as epub:
        chapter = epub.read("EPUB/text/chapter-45.xhtml").decode()
    assert "noteref" not in chapter and 'class="call"' not in chapter and "footnote" not in chapter


def test_a_bad_missing_setting_names_its_line(tmp_path: Path, seed_chapter: Path) -> None:
    source = _source(tmp_path, seed_chapter, "en", "hide")
    result = build("model", "--source", str(source))
    assert result.returncode == 1
    assert 'book.toml:6: error [config-value] `[notes] missing` must be "mark" or "omit", not "hide"' in result.stderr


@pytest.mark.parametrize("flag", ["--strict", "-W"])
def test_strict_turns_a_warning_into_an_error(tmp_path: Path, seed_chapter: Path, flag: str) -> None:
    source = _source(tmp_path, seed_chapter, "en", None)
    out = tmp_path / "out"
    result = build(flag, "pdf", "--source", str(source), "--out", str(out))
    assert result.returncode == 1
    assert f"{source / seed_chapter.name}:3: error [note-missing] note 1 is called here" in result.stderr
    assert "Traceback" not in result.stderr and "warning [" not in result.stderr
    assert not (out / "book.pdf").exists(), "an unfinished book is not written"
    after = build("pdf", flag, "--source", str(source), "--out", str(out))  # after the command too
    assert after.returncode == 1


def test_without_strict_the_same_book_builds(tmp_path: Path, seed_chapter: Path) -> None:
    source = _source(tmp_path, seed_chapter, "en", None)
    result = build("model", "--source", str(source))
    assert result.returncode == 0
    assert "warning [note-missing] note 1 is called here" in result.stderr
