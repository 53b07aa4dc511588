"""The build cache kept under its limit (press/engine/cache_limit.py), `build.py cache`, the prune after a build."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import PROJECT, build

from press.engine import cache_limit


def test_sizes_read_as_bytes_in_powers_of_1024() -> None:
    assert cache_limit.parse_size("0") == 0
    assert cache_limit.parse_size("500M") == 500 * 1024**2
    assert cache_limit.parse_size("2GB") == cache_limit.parse_size("2 GiB") == 2 * 1024**3
    assert cache_limit.parse_size("1.5k") == 1536
    assert cache_limit.parse_size("lots") is None and cache_limit.parse_size("-1G") is None


def test_the_environment_wins_over_book_toml_over_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(cache_limit.ENVIRONMENT, raising=False)
    assert cache_limit.limit() == cache_limit.parse_size(cache_limit.DEFAULT_LIMIT)
    assert cache_limit.limit("10M") == 10 * 1024**2
    monkeypatch.setenv(cache_limit.ENVIRONMENT, "3K")
    assert cache_limit.limit("10M") == 3 * 1024
    monkeypatch.setenv(cache_limit.ENVIRONMENT, "big")
    with pytest.raises(ValueError, match="PRESS_CACHE_LIMIT must be a size"):
        cache_limit.limit()


def _entry(root: Path, key: str, sizes: dict[str, int], used: float) -> None:
    for suffix, size in sizes.items():
        path = root / key[:2] / f"{key}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * size)
        os.utime(path, (used, used))


def test_prune_drops_least_recently_used_entries_whole_until_the_limit_holds(tmp_path: Path) -> None:
    _entry(tmp_path, "aa01", {".pdf": 400, ".json": 100}, used=1000)  # the oldest: a piece and its companion
    _entry(tmp_path, "bb02", {".font": 300}, used=3000)
    _entry(tmp_path, "cc03", {".pdf": 200, ".json": 50}, used=2000)
    (tmp_path / "bb" / ".bb09.pdf.123.tmp").write_bytes(b"y" * 999)  # another build's file being written
    pruned = cache_limit.prune(tmp_path, 600)
    assert (pruned.dropped, pruned.dropped_bytes, pruned.kept, pruned.kept_bytes) == (1, 500, 2, 550)
    assert not list((tmp_path / "aa").iterdir())
    assert (tmp_path / "bb" / ".bb09.pdf.123.tmp").exists()
    cache_limit.touch(tmp_path / "bb" / "bb02.font")  # a hit: now the most recent, so cc03 goes next
    assert cache_limit.prune(tmp_path, 300).dropped == 1 and (tmp_path / "bb" / "bb02.font").exists()
    assert not (tmp_path / "cc" / "cc03.pdf").exists() and not (tmp_path / "cc" / "cc03.json").exists()


def _run(*args: str, cache: Path, limit: str | None = None) -> str:
    env = {"PRESS_BUILD_CACHE": str(cache), "SOURCE_DATE_EPOCH": "1700000000"}
    if limit is not None:
        env[cache_limit.ENVIRONMENT] = limit
    saved = {name: os.environ.get(name) for name in (*env, cache_limit.ENVIRONMENT)}
    os.environ.pop(cache_limit.ENVIRONMENT, None)
    os.environ.update(env)
    try:
        result = build(*args)
    finally:
        for name, value in saved.items():
            os.environ.pop(name, None) if value is None else os.environ.__setitem__(name, value)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _size(cache: Path) -> int:
    return sum(path.stat().st_size for path in cache.rglob("*") if path.is_file())


def test_a_pruned_cache_gives_the_same_book_and_the_limit_holds(tmp_path: Path) -> None:
    cache, source = tmp_path / "cache", str(PROJECT / "source")
    _run("pdf", "--source", source, "--out", str(tmp_path / "one"), cache=cache)
    book = (tmp_path / "one" / "book.pdf").read_bytes()
    full = _size(cache)
    limit = full // 2
    said = _run("cache", "--prune", "--source", source, cache=cache, limit=str(limit))
    assert re.search(r"build cache: \d+ entries, .* kept; [1-9]\d* dropped", said), said
    assert 0 < _size(cache) <= limit
    # Built again under the limit: what was dropped is laid out again, the book is the same to the
    # byte, and the cache is pruned back under its limit after the build.
    said = _run("pdf", "--source", source, "--out", str(tmp_path / "two"), cache=cache, limit=str(limit))
    laid = re.search(r"(\d+) laid out; folio and front pieces laid out: (\d+)", said)
    assert laid and int(laid.group(1)) + int(laid.group(2)) > 0, said
    assert (tmp_path / "two" / "book.pdf").read_bytes() == book
    assert _size(cache) <= limit
    said = _run("cache", "--clear", "--source", source, cache=cache)
    assert "0 entries" in said and not list(cache.rglob("*.pdf"))


def test_a_bad_cache_limit_in_book_toml_names_its_line(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    (source / "01.md").write_text("Hello.\n", encoding="utf-8")
    (source / "book.toml").write_text('title = "T"\n[cache]\nlimit = "huge"\n', encoding="utf-8")
    result = build("model", "--source", str(source))
    assert result.returncode == 1
    assert result.stderr.strip() == (f'{source / "book.toml"}:3: error [config-value] `[cache] limit` must be a '
                                     'size such as "500M" or "2G", not "huge"')


def test_cache_wants_one_of_prune_or_clear() -> None:
    result = build("cache")
    assert result.returncode == 2 and "give one of --prune or --clear" in result.stderr
