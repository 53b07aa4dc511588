"""The EPUB's font subsets, cover, chapter files and compressed entries are kept in the build cache
by what they depend on, and the book made from them is the book made without them."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

from conftest import PROJECT, build

from press.editions.epub.zipwriter import Entry, write_zip
from press.engine.buildcache import BuildCache


def _epub(source: Path, out: Path, cache: Path) -> bytes:
    env = {"PRESS_BUILD_CACHE": str(cache), "SOURCE_DATE_EPOCH": "1700000000"}
    saved = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        result = build("epub", "--source", str(source), "--out", str(out))
    finally:
        for name, value in saved.items():
            os.environ.pop(name) if value is None else os.environ.__setitem__(name, value)
    assert result.returncode == 0, result.stderr
    return (out / "book.epub").read_bytes()


def test_subsets_and_cover_come_from_the_cache_and_give_the_same_book(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _epub(PROJECT / "source", tmp_path / "one", cache)
    fonts, covers = sorted(cache.rglob("*.font")), sorted(cache.rglob("*.jpg"))
    assert len(fonts) == 6 and len(covers) == 1  # six faces, one cover
    assert _epub(PROJECT / "source", tmp_path / "two", cache) == first
    assert sorted(cache.rglob("*.font")) == fonts and sorted(cache.rglob("*.jpg")) == covers  # nothing new made
    # What the cache holds is what goes into the book: a cover entry replaced (with its checksum) shows in
    # the next EPUB; one damaged (its checksum wrong) is made again.
    BuildCache(cache).put(covers[0].stem, b"\xff\xd8 not really a cover", ".jpg")
    assert _cover(_epub_file(tmp_path / "three", cache)) == b"\xff\xd8 not really a cover"
    covers[0].write_bytes(b"\xff\xd8 damaged")
    assert _cover(_epub_file(tmp_path / "four", cache)) == _cover(tmp_path / "one" / "book.epub")


def _epub_file(out: Path, cache: Path) -> Path:
    _epub(PROJECT / "source", out, cache)
    return out / "book.epub"


def _cover(epub: Path) -> bytes:
    with zipfile.ZipFile(epub) as package:
        return package.read(next(name for name in package.namelist() if name.endswith("cover.jpg")))


def _copied_sample(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    for path in (PROJECT / "source").iterdir():
        if path.is_file():
            (source / path.name).write_bytes(path.read_bytes())
    return source


def test_a_new_title_makes_a_new_cover_and_keeps_the_subsets(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    source = _copied_sample(tmp_path)
    _epub(source, tmp_path / "one", cache)
    fonts = sorted(cache.rglob("*.font"))
    toml = source / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('title = "', 'title = "New: ', 1), encoding="utf-8")
    _epub(source, tmp_path / "two", cache)
    assert len(list(cache.rglob("*.jpg"))) == 2
    assert sorted(cache.rglob("*.font")) == fonts  # "New:" adds no character the sample lacks


def test_after_a_one_chapter_edit_only_that_chapter_is_made_and_the_book_is_the_cold_one(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    source = _copied_sample(tmp_path)
    _epub(source, tmp_path / "one", cache)
    chapters = set(cache.rglob("*.xhtml"))
    assert len(chapters) == 2  # one file a chapter
    psalm = source / "01-psalm-121.md"
    psalm.write_text(psalm.read_text(encoding="utf-8").replace("shortest promise", "briefest promise", 1),
                     encoding="utf-8")
    edited = _epub(source, tmp_path / "two", cache)
    assert len(set(cache.rglob("*.xhtml")) - chapters) == 1  # the other chapter came from the cache
    assert b"briefest promise" in _member(edited, "EPUB/text/chapter-1.xhtml")
    assert edited == _epub(source, tmp_path / "cold", tmp_path / "empty")  # byte for byte a cold build's


def test_a_damaged_chapter_file_is_made_again(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _epub(PROJECT / "source", tmp_path / "one", cache)
    for entry in (*cache.rglob("*.xhtml"), *cache.rglob("*.deflate")):
        entry.write_bytes(entry.read_bytes()[:-40] + bytes(40))  # the checksum no longer matches
    assert _epub(PROJECT / "source", tmp_path / "two", cache) == first


def test_a_cached_entry_is_what_goes_into_the_book(tmp_path: Path) -> None:
    """What the cache holds of a chapter is what the EPUB carries: the key, not a second look at the
    source, decides (so the key must hold everything the file depends on)."""
    cache = tmp_path / "cache"
    _epub(PROJECT / "source", tmp_path / "one", cache)
    for entry in cache.rglob("*.xhtml"):
        BuildCache(cache).put(entry.stem, b"<p>from the cache</p>", ".xhtml")
    again = _epub(PROJECT / "source", tmp_path / "two", cache)
    assert _member(again, "EPUB/text/chapter-1.xhtml") == b"<p>from the cache</p>"


def _member(epub: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(epub)) as package:
        return package.read(name)


def test_the_zip_is_the_one_zipfile_writes(tmp_path: Path, monkeypatch) -> None:
    """zipwriter.py writes compressed bytes from the cache; the zip is byte for byte zipfile's."""
    monkeypatch.setenv("PRESS_BUILD_CACHE", str(tmp_path / "cache"))
    entries = [Entry("mimetype", b"application/epub+zip", compressed=False),
               Entry("EPUB/text/a.xhtml", "<p>שָׁלוֹם, hello</p>".encode() * 500), Entry("EPUB/empty.css", b""),
               Entry("EPUB/fonts/אבג.ttf", bytes(range(256)) * 40)]
    stamp, permissions = (2023, 11, 14, 22, 13, 20), 0o100644 << 16
    ours = tmp_path / "ours.zip"
    for _ in range(2):  # compressed, then from the cache
        write_zip(ours, entries, stamp, permissions)
        theirs = io.BytesIO()
        with zipfile.ZipFile(theirs, "w") as package:
            for entry in entries:
                info = zipfile.ZipInfo(entry.name, stamp)
                info.compress_type = zipfile.ZIP_DEFLATED if entry.compressed else zipfile.ZIP_STORED
                info.create_system, info.external_attr = 3, permissions
                package.writestr(info, entry.data, compresslevel=9)
        assert ours.read_bytes() == theirs.getvalue()
    assert len(list((tmp_path / "cache").rglob("*.deflate"))) == 3
