"""Source files stay in the source folder (issue #18): a link leading out is an error, never read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import PROJECT, build
from pdftools import page_texts

SECRET = "root:x:0:0:SECRET-7f3a9c:/root:/bin/bash"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside every source folder, with a line no book holds."""
    path = tmp_path / "elsewhere" / "private.md"
    path.parent.mkdir()
    path.write_text(f"{SECRET}\n\nAnother paragraph of the private file.\n", encoding="utf-8")
    return path


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """The sample book's chapters and book.toml, copied."""
    folder = tmp_path / "source"
    folder.mkdir()
    for name in ("01-psalm-121.md", "02-avot-1.txt", "book.toml"):
        shutil.copy(PROJECT / "source" / name, folder / name)
    return folder


def assert_refused(source: Path, link: Path, out: Path, *args: str) -> None:
    result = build(*args, "--source", str(source), "--out", str(out))
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(f"{link}: error [outside-source] links to a file outside the source folder"), \
        result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists() or not any(out.rglob("*")), "nothing is written"


def test_a_chapter_linked_to_a_file_outside_is_an_error(source: Path, secret: Path, tmp_path: Path) -> None:
    link = source / "03-notes.md"
    link.symlink_to(secret)
    assert_refused(source, link, tmp_path / "out")
    assert SECRET not in build("model", "--source", str(source)).stdout


def test_book_toml_linked_outside_is_an_error(source: Path, tmp_path: Path) -> None:
    outside = tmp_path / "other.toml"
    shutil.move(source / "book.toml", outside)
    (source / "book.toml").symlink_to(outside)
    assert_refused(source, source / "book.toml", tmp_path / "out", "pdf")


def test_a_sheet_file_linked_outside_is_an_error_before_anything_is_written(source: Path, tmp_path: Path) -> None:
    outside = tmp_path / "plan.toml"
    outside.write_text('title = "Plan"\nitems = [{ passage = "1:1-2" }]\n', encoding="utf-8")
    (source / "sheets").mkdir()
    (source / "sheets" / "plan.toml").symlink_to(outside)
    assert_refused(source, source / "sheets" / "plan.toml", tmp_path / "out")  # book.pdf, the first, neither


def test_a_sheets_folder_linked_outside_is_an_error(source: Path, tmp_path: Path) -> None:
    outside = tmp_path / "their-sheets"
    outside.mkdir()
    (outside / "plan.toml").write_text('title = "Plan"\nitems = [{ passage = "1:1-2" }]\n', encoding="utf-8")
    (source / "sheets").symlink_to(outside)
    assert_refused(source, source / "sheets" / "plan.toml", tmp_path / "out", "sheet", "plan")


def test_a_chapter_linked_through_a_folder_outside_is_an_error(source: Path, secret: Path, tmp_path: Path) -> None:
    (source / "texts").symlink_to(secret.parent)
    link = source / "03-notes.md"
    link.symlink_to(Path("texts") / secret.name)  # relative, through the linked folder
    assert_refused(source, link, tmp_path / "out", "pdf")


def test_a_link_inside_the_folder_builds(source: Path, tmp_path: Path) -> None:
    (source / "texts").mkdir()
    shutil.move(source / "02-avot-1.txt", source / "texts" / "avot.txt")
    (source / "02-avot-1.txt").symlink_to(Path("texts") / "avot.txt")
    out = tmp_path / "out"
    result = build("pdf", "--source", str(source), "--out", str(out))
    assert result.returncode == 0, result.stderr
    text = " ".join(" ".join(page_texts(out / "book.pdf")).split())
    assert "Moses received the Torah from Sinai" in text


def test_a_sheet_file_named_on_the_command_line_may_lie_elsewhere(source: Path, tmp_path: Path) -> None:
    """The user's own choice: built, with passages from the book in the source folder."""
    plan = tmp_path / "teacher" / "plan.toml"
    plan.parent.mkdir()
    plan.write_text('title = "My Plan"\nitems = [{ passage = "2:2" }]\n', encoding="utf-8")
    out = tmp_path / "out"
    result = build("sheet", str(plan), "--source", str(source), "--out", str(out))
    assert result.returncode == 0, result.stderr
    text = " ".join(" ".join(page_texts(out / "sheets" / "plan.pdf")).split())
    assert "My Plan" in text and "Moses received the Torah" in text
