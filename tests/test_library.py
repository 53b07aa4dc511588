"""`build.py library DIR`: every book folder under DIR into OUT/NAME/; a bad book stops no other."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import PROJECT

BAD_LINE = "books/beta/book.toml:3: error [config-key] unknown key `colour`"


def three_books(folder: Path) -> Path:
    """alpha and gamma: the sample book under other titles; beta: the sample with a misspelt key on line 3
    of its book.toml; and a folder with no book.toml, which is not a book."""
    books = folder / "books"
    for name in ("alpha", "beta", "gamma"):  # each its own title: no book finds the pieces of another cached
        toml = shutil.copytree(PROJECT / "source", books / name) / "book.toml"
        text = toml.read_text(encoding="utf-8")
        toml.write_text(re.sub(r'^title = ".*"$', f'title = "{name.title()}"', text, count=1, flags=re.M),
                        encoding="utf-8")
    (books / "beta" / "book.toml").write_text('title = "Beta"\nauthor = "Tester"\ncolour = "red"\n',
                                              encoding="utf-8")
    (books / "drafts").mkdir()
    return books


def library(*args: str, cwd: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRESS_BUILD_CACHE": str(cache), "SOURCE_DATE_EPOCH": "1700000000"}
    env.pop("PRESS_EXECUTOR", None)
    return subprocess.run([sys.executable, str(PROJECT / "build.py"), "library", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, check=False)


def test_library_builds_the_good_books_and_reports_the_bad(tmp_path: Path) -> None:
    three_books(tmp_path)
    result = library("books", "--out", "out", cwd=tmp_path, cache=tmp_path / "cache")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [BAD_LINE]
    for name in ("alpha", "gamma"):  # every output of a normal build
        assert sorted(p.name for p in (tmp_path / "out" / name).iterdir()) == [
            "book.epub", "book.pdf", "booklet.pdf", "sheet.pdf", "sheets"]
    assert not (tmp_path / "out" / "beta").exists(), "nothing of the bad book"
    assert not (tmp_path / "out" / "drafts").exists()
    lines = [line for line in result.stdout.splitlines() if line.startswith("library")]
    assert lines[0].startswith("library 1/3: alpha: built into out/alpha in ")
    assert lines[1] == "library 2/3: beta: failed"
    assert lines[2].startswith("library 3/3: gamma: built into out/gamma in ")
    assert lines[3].startswith("library: 2 of 3 books built in ") and lines[3].endswith("; failed: beta")
    # The same book as a single build of it, byte for byte (the shared pool changes nothing).
    single = subprocess.run([sys.executable, str(PROJECT / "build.py"), "pdf", "--source", "books/alpha",
                             "--out", "single"], cwd=tmp_path, capture_output=True, text=True, check=False,
                            env={**os.environ, "PRESS_BUILD_CACHE": str(tmp_path / "c2"),
                                 "SOURCE_DATE_EPOCH": "1700000000"})
    assert single.returncode == 0, single.stderr
    assert (tmp_path / "single" / "book.pdf").read_bytes() == (tmp_path / "out" / "alpha" / "book.pdf").read_bytes()


def test_library_of_good_books_exits_0(tmp_path: Path) -> None:
    books = three_books(tmp_path)
    shutil.rmtree(books / "beta")
    result = library(str(books), "--outputs", "pdf", "--out", str(tmp_path / "out"), cwd=tmp_path,
                     cache=tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["alpha", "gamma"]
    assert [p.name for p in (tmp_path / "out" / "alpha").iterdir()] == ["book.pdf"]


def test_a_folder_without_books_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = library("empty", cwd=tmp_path, cache=tmp_path / "cache")
    assert result.returncode == 1
    assert result.stderr.strip() == "empty: error [library] no book folder here (a folder with its own book.toml)"


def test_an_unknown_output_is_an_error(tmp_path: Path) -> None:
    three_books(tmp_path)
    result = library("books", "--outputs", "pdf,poster", cwd=tmp_path, cache=tmp_path / "cache")
    assert result.returncode == 1
    assert "error [library] unknown output 'poster' in --outputs" in result.stderr
    assert not (tmp_path / "output").exists()
