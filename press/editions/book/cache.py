"""`build.py cache --prune | --clear`, and the prune after every build: the build cache's limit
(press/engine/cache_limit.py) applied to the cache the book's pieces are kept in."""

from __future__ import annotations

from pathlib import Path

from press.engine import cache_limit
from press.engine.buildcache import BuildCache


def command(source: Path, prune: bool, clear: bool) -> str:
    """Prune the cache to the limit of the book in `source`, or clear it; what was done, as a line."""
    root = BuildCache.default().root
    return str(cache_limit.clear(root) if clear else cache_limit.prune(root, cache_limit.limit_for(source)))


def after_build(source: Path) -> str:
    """Prune once the outputs are written (never during a build: its pieces are in use); a line
    saying what was dropped, or "" when nothing was."""
    pruned = cache_limit.prune(BuildCache.default().root, cache_limit.limit_for(source))
    return str(pruned) if pruned.dropped else ""
