"""The build cache kept under a size limit, least recently used entries dropped first.

Every edit adds pieces to the cache (a chapter laid out again, its folios, the front matter),
and nothing in a key ever matches again once its inputs changed; without a limit the folder
only grows. After each build the cache is pruned to its limit: entries are dropped oldest use
first, where a use is a write or a hit (`touch`, called by BuildCache.get, sets the file's
modification time: access times are unreliable, many systems mount with noatime). A piece
and its companion (`KEY.pdf` and `KEY.json`) go together, since one is no use without the
other; a folio entry whose batch was dropped is simply laid out again, so a pruned cache can
only cost time, never change a book.

The limit is, first found: `PRESS_CACHE_LIMIT`, then `[cache] limit` of book.toml, then
DEFAULT_LIMIT. A size is a number of bytes with an optional unit (K, M, G; KB, MB, GB; KiB...
all powers of 1024): "500M", "2GB", "0" (keep nothing after the build).
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT_LIMIT = "2G"
ENVIRONMENT = "PRESS_CACHE_LIMIT"
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:I?B)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}


def parse_size(text: str) -> int | None:
    """Bytes of a size such as "500M" or "2GB", or None when it is not one."""
    found = _SIZE.match(text)
    if found is None:
        return None
    return int(float(found.group(1)) * _UNITS[found.group(2).upper()])


def limit(configured: str = "") -> int:
    """The limit in bytes: PRESS_CACHE_LIMIT, else `configured` (book.toml), else DEFAULT_LIMIT.
    A bad PRESS_CACHE_LIMIT raises ValueError (book.toml's value is checked when it is read)."""
    text = os.environ.get(ENVIRONMENT) or configured or DEFAULT_LIMIT
    size = parse_size(text)
    if size is None:
        raise ValueError(f"{ENVIRONMENT if os.environ.get(ENVIRONMENT) else 'the cache limit'} must be a size "
                         f"such as 500M or 2G, not {text!r}")
    return size


def touch(path: Path) -> Path:
    """Mark an entry as just used (its modification time), so pruning keeps it longest."""
    with contextlib.suppress(OSError):  # a read-only or vanished entry: it only ages
        os.utime(path)
    return path


@dataclass(frozen=True, slots=True)
class Entry:
    key: str
    files: tuple[Path, ...]
    size: int
    used: float  # the latest modification time of its files


def entries(root: Path) -> list[Entry]:
    """The cache's entries (files grouped by key), least recently used first."""
    grouped: dict[str, list[tuple[Path, os.stat_result]]] = {}
    for folder in root.iterdir() if root.is_dir() else ():
        for path in folder.iterdir() if folder.is_dir() else ():
            if path.name.startswith("."):
                continue  # another process's temporary file
            try:
                grouped.setdefault(path.name.split(".", 1)[0], []).append((path, path.stat()))
            except OSError:
                continue
    found = [Entry(key, tuple(p for p, _ in files), sum(s.st_size for _, s in files),
                   max(s.st_mtime for _, s in files)) for key, files in grouped.items()]
    return sorted(found, key=lambda entry: (entry.used, entry.key))


@dataclass(frozen=True, slots=True)
class Pruned:
    kept: int  # entries
    kept_bytes: int
    dropped: int
    dropped_bytes: int

    def __str__(self) -> str:
        return (f"build cache: {self.kept} entries, {_mb(self.kept_bytes)} kept; "
                f"{self.dropped} dropped ({_mb(self.dropped_bytes)})")


def prune(root: Path, limit_bytes: int) -> Pruned:
    """Drop the least recently used entries until the cache holds at most `limit_bytes`."""
    found = entries(root)
    total = sum(entry.size for entry in found)
    dropped = dropped_bytes = 0
    for entry in found:
        if limit_bytes >= 0 and total <= limit_bytes:  # a negative limit drops everything
            break
        for path in entry.files:
            path.unlink(missing_ok=True)
        total -= entry.size
        dropped, dropped_bytes = dropped + 1, dropped_bytes + entry.size
    return Pruned(len(found) - dropped, total, dropped, dropped_bytes)


def clear(root: Path) -> Pruned:
    """Delete every entry, and the cache's subfolders once empty (only what the cache wrote:
    PRESS_BUILD_CACHE may name a folder that holds other files too)."""
    pruned = prune(root, -1)
    for folder in root.iterdir() if root.is_dir() else ():
        if folder.is_dir() and len(folder.name) == 2:
            with contextlib.suppress(OSError):
                folder.rmdir()
    return pruned


def _mb(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def limit_for(source: Path) -> int:
    """The limit for the book in `source` (its book.toml's `[cache] limit`, if it has one)."""
    from press import config
    from press.diagnostics import error

    toml = source / "book.toml"
    configured = config.load(toml).cache.limit if toml.is_file() else ""
    try:
        return limit(configured)
    except ValueError as failure:
        raise error("config-value", str(failure)) from None
