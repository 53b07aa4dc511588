"""Shared fixtures: the project's paths, the shared corpus, built books."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS = PROJECT.parent / "shared" / "corpus"
SEED_CHAPTER = CORPUS / "lessons-in-tanya" / "chapter-45.txt"


def build(*args: str, cwd: Path = PROJECT) -> subprocess.CompletedProcess[str]:
    """Run `python build.py ARGS` as a user would; never raises."""
    return subprocess.run([sys.executable, str(PROJECT / "build.py"), *args],
                          cwd=cwd, capture_output=True, text=True, check=False)


def fails_with(source: Path, tmp_path: Path, expected: str, *command: str) -> None:
    """`build.py COMMAND --source SOURCE` stops with exit 1, `expected` as its last line, no traceback, and
    nothing in the output folder."""
    out = tmp_path / "out"
    result = build(*command, "--source", str(source), "--out", str(out))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == expected
    assert not out.exists() or not any(out.iterdir()), "nothing may be left in the output folder"


@pytest.fixture(scope="session")
def seed_chapter() -> Path:
    if not SEED_CHAPTER.is_file():
        pytest.skip(f"skipped: the shared corpus is absent ({SEED_CHAPTER} not found)")
    return SEED_CHAPTER


@pytest.fixture(scope="session")
def seed_source(tmp_path_factory: pytest.TempPathFactory, seed_chapter: Path) -> Path:
    """A source folder holding only a copy of the seed chapter (read at test time, never committed)."""
    folder = tmp_path_factory.mktemp("seed-source")
    shutil.copy(seed_chapter, folder / seed_chapter.name)
    return folder


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample book in source/, built once into a temporary output folder."""
    out = tmp_path_factory.mktemp("sample-output")
    result = build("--source", str(PROJECT / "source"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory, seed_source: Path) -> Path:
    """The seed chapter built once into a temporary output folder."""
    out = tmp_path_factory.mktemp("seed-output")
    result = build("--source", str(seed_source), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


LAYOUT_BOOK_TOML = ('title = "A Test Book"\ntitle_he = "סֵפֶר נִסָּיוֹן"\nauthor = "Tester"\nprimary = "{primary}"\n'
                    '[print]\nlayout = "{layout}"\n')
SAMPLE_CHAPTERS = sorted(p for p in (PROJECT / "source").iterdir() if p.suffix in (".md", ".txt"))


class LayoutBooks(dict):
    """book.pdf of the sample, the seed chapter or a fixture folder's chapters in a print layout, led by
    a language: `books[(name, layout, primary)]`, each built the first time any test module asks for it
    (test_print and test_furniture read the same 20 books). The seed's skip where the corpus is absent."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root

    def __missing__(self, key: tuple[str, str, str]) -> Path:
        name, layout, primary = key
        if name == "seed" and not SEED_CHAPTER.is_file():
            pytest.skip(f"skipped: the shared corpus is absent ({SEED_CHAPTER} not found)")
        chapters = {"sample": SAMPLE_CHAPTERS, "seed": [SEED_CHAPTER]}.get(name) or sorted((FIXTURES / name).iterdir())
        source = self.root / f"{name}-{layout}-{primary}"
        source.mkdir(parents=True)
        for chapter in chapters:
            shutil.copy(chapter, source / chapter.name)
        (source / "book.toml").write_text(LAYOUT_BOOK_TOML.format(primary=primary, layout=layout), encoding="utf-8")
        result = build("pdf", "--source", str(source), "--out", str(source / "out"))
        assert result.returncode == 0, result.stderr
        self[key] = source / "out" / "book.pdf"
        return self[key]


@pytest.fixture(scope="session")
def layout_books(tmp_path_factory: pytest.TempPathFactory) -> LayoutBooks:
    return LayoutBooks(tmp_path_factory.mktemp("layout-books"))
