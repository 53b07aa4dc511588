"""Safe by construction: no source reaches the output as markup, no file but ours is read."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES, PROJECT, build
from pdftools import all_stream_bytes, page_texts

from press.engine.fetcher import ProjectFetcher
from press.paths import TEMPLATES, font_cache

PASSWD = Path("/etc/passwd")


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("hostile-source")
    shutil.copy(FIXTURES / "hostile" / "01-hostile.md", source)
    out = tmp_path_factory.mktemp("hostile-out")
    result = build("--source", str(source), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "[raw-html]" in result.stderr and "[image]" in result.stderr
    return out


def secrets() -> list[bytes]:
    """Lines of /etc/passwd long enough to be unmistakable."""
    lines = [line for line in PASSWD.read_bytes().splitlines() if len(line) > 12]
    assert lines, "the test needs a non-empty /etc/passwd"
    return lines


@pytest.mark.parametrize("name", ["book.pdf", "sheet.pdf"])
def test_pdfs_hold_nothing_of_the_file(hostile_build: Path, name: str) -> None:
    pdf = hostile_build / name
    content = all_stream_bytes(pdf) + pdf.read_bytes()
    text = "\n".join(page_texts(pdf)).encode()
    for line in secrets():
        assert line not in content and line not in text
    assert b"/EmbeddedFiles" not in pdf.read_bytes(), "no attachment was made"


def test_pdf_prints_the_markup_as_text(hostile_build: Path) -> None:
    text = " ".join(" ".join(page_texts(hostile_build / "book.pdf")).split())
    assert '<img src=“file:///etc/passwd”>' in text  # typographic quotes (issue 12), still as text


def test_epub_holds_nothing_of_the_file(hostile_build: Path) -> None:
    with zipfile.ZipFile(hostile_build / "book.epub") as epub:
        names = epub.namelist()
        content = b"".join(epub.read(name) for name in names)
    assert not any("passwd" in name for name in names)
    for line in secrets():
        assert line not in content


@pytest.fixture
def fetcher() -> ProjectFetcher:
    return ProjectFetcher((TEMPLATES, font_cache()))


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    (TEMPLATES / ".." / ".." / "etc" / "passwd").as_uri(),
    (TEMPLATES.parent / "README.md").as_uri(),
    "http://127.0.0.1/",
    "https://example.com/font.ttf",
    "data:text/plain,hello",
    "file://otherhost/etc/passwd",
])
def test_fetcher_refuses_everything_outside_templates_and_fonts(fetcher: ProjectFetcher, url: str) -> None:
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch(url)


def test_fetcher_serves_a_template(fetcher: ProjectFetcher) -> None:
    response = fetcher.fetch((TEMPLATES / "base" / "base.css").as_uri())
    assert b"font-family" in response.read()


def test_fetcher_refuses_a_link_out_of_templates(tmp_path: Path) -> None:
    link = tmp_path / "templates"
    link.mkdir()
    (link / "sneaky.css").symlink_to(PASSWD)
    with pytest.raises(ValueError, match="refused"):
        ProjectFetcher((link,)).fetch((link / "sneaky.css").as_uri())


def test_the_project_has_no_other_way_in() -> None:
    """Templates never fetch anything remote, and the library never uses WeasyPrint's default fetcher."""
    remote = re.compile(r"""(src|href)\s*=\s*["']?(https?|ftp):|url\(\s*["']?(https?|ftp):""")
    for path in TEMPLATES.rglob("*"):
        if path.is_file():
            assert not remote.search(path.read_text(encoding="utf-8")), path
    for path in (PROJECT / "press").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        if "HTML(" in source or "CSS(" in source:
            assert "url_fetcher=fetcher()" in source, path
