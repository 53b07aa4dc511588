"""Slow steps whose bytes are kept in the build cache, by a key of what they depend on.

The EPUB's font subsets and its cover took about 2 s of every EPUB build, though after a
chapter's edit they are almost always what they were. Each is a pure function of its
arguments and of the environment every build-cache key holds (templates, the press code, the
font files, the library versions: buildcache.environment), so it is looked up under a key of
both and made only when missing: in the pool, as before, and kept by the process that made it.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future
from pathlib import Path

from press.engine.buildcache import BuildCache, digest, environment


def job_key(name: str, *parts: str, font_files: tuple[Path, ...] = ()) -> str:
    """The key of job `name` with inputs `parts`: also of the templates, code, fonts and versions."""
    return digest(environment("", "", font_files), name, *parts)


def submit_cached(pool: Executor, key: str, suffix: str, function: Callable[..., bytes], *args: object) -> Future:
    """A future of `function(*args)`: at once from the build cache, else made in `pool` and kept."""
    cache = BuildCache.default()
    found = cache.get(key, suffix)
    if found is None:
        return pool.submit(_make_and_keep, cache, key, suffix, function, *args)
    future: Future = Future()
    future.set_result(found)
    return future


def _make_and_keep(cache: BuildCache, key: str, suffix: str, function: Callable[..., bytes], *args: object) -> bytes:
    data = function(*args)
    cache.put(key, data, suffix)
    return data
