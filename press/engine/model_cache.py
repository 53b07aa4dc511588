"""Chapters as read before, from the build cache: `build.py` reads only the files that changed.

Reading the benchmark book's 200 chapters (front matter, paragraphs, notes,
bidi isolation) took about 0.4 s of CPU in every build, a quarter of an
EPUB rebuilt after a one-chapter edit. A chapter's model is a function of
its file's bytes, its path, its position in the book and the readers' code,
so it is kept under a key of all four (and of the press code and library
versions every key holds) with the warnings its reading gave, which are
said again when it is found. Errors are never kept: a file that fails is
read (and fails) again. The readers are used unchanged, through their
registry, for the length of one reading (as press/preview/reading.py does
in memory).

The model is kept as a pickle; loading one can only make the classes of the
model and of the few builtins it is made of (`_Loader`), so a cache entry
cannot run code.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from press.diagnostics import Reporter
from press.engine.buildcache import BuildCache, digest, environment
from press.textfile import MAX_SOURCE_BYTES

SUFFIX = ".model"
Reader = Callable[[Path, int, Reporter], Any]
# What a kept chapter is made of: the model's classes, paths, and builtin containers.
ALLOWED = {("pathlib", "PosixPath"), ("pathlib", "WindowsPath"), ("pathlib", "PurePosixPath"),
           ("pathlib", "PureWindowsPath"), ("builtins", "frozenset"), ("builtins", "set"), ("builtins", "tuple"),
           ("builtins", "list"), ("builtins", "dict")}


@contextmanager
def installed(readers: MutableMapping[str, Reader]) -> Iterator[None]:
    """`readers` (the registry press.readers.READERS) reading through the build cache until the end."""
    original = dict(readers)
    cache, shared = BuildCache.default(), environment("", "", ())
    readers.update({suffix: _keeping(read, cache, shared) for suffix, read in original.items()})
    try:
        yield
    finally:
        readers.update(original)


def _keeping(read: Reader, cache: BuildCache, shared: str) -> Reader:
    def kept_read(path: Path, position: int, reporter: Reporter) -> Any:
        try:  # a file too large is refused before it is read (README "Limits"), by the reader's own error
            source = path.read_bytes() if path.stat().st_size <= MAX_SOURCE_BYTES else None
        except OSError:
            source = None
        if source is None:
            return read(path, position, reporter)  # it says what is wrong with the file
        key = digest(shared, "chapter-model", read.__module__, str(path), str(position), source)
        found = _load(cache.get(key, SUFFIX))
        if found is None:
            heard = Reporter(io.StringIO())  # errors pass through and nothing is kept
            chapter = read(path, position, heard)
            warnings = tuple((w.code, w.message, w.path, w.line, w.pointer) for w in heard.warnings)
            found = (chapter, warnings)
            cache.put(key, pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL), SUFFIX)
        chapter, warnings = found
        for code, message, where, line, pointer in warnings:
            reporter.warn(code, message, where, line, pointer)
        return chapter
    return kept_read


def _load(data: bytes | None) -> tuple[Any, tuple[tuple[Any, ...], ...]] | None:
    if data is None:
        return None
    try:
        found = _Loader(io.BytesIO(data)).load()
    except (pickle.UnpicklingError, AttributeError, ImportError, EOFError, TypeError, ValueError):
        return None  # written by other code, or not a model: read again
    return found if isinstance(found, tuple) and len(found) == 2 else None


class _Loader(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in ALLOWED:
            return super().find_class(module, name)
        found = super().find_class(module, name) if module == "press.model" else None
        if isinstance(found, type):  # a class of the model, not a function or a module it imports
            return found
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a chapter's model")
