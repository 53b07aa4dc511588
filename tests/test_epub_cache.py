"""The EPUB's font subsets and cover are kept in the build cache by what they depend on."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from conftest import PROJECT, build

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


def test_a_new_title_makes_a_new_cover_and_keeps_the_subsets(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    source = tmp_path / "source"
    source.mkdir()
    for path in (PROJECT / "source").iterdir():
        if path.is_file():
            (source / path.name).write_bytes(path.read_bytes())
    _epub(source, tmp_path / "one", cache)
    fonts = sorted(cache.rglob("*.font"))
    toml = source / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('title = "', 'title = "New: ', 1), encoding="utf-8")
    _epub(source, tmp_path / "two", cache)
    assert len(list(cache.rglob("*.jpg"))) == 2
    assert sorted(cache.rglob("*.font")) == fonts  # "New:" adds no character the sample lacks
