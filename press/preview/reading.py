"""Reading the book again after a save, without parsing the chapters that did not change.

The builder reads the whole book on every rebuild (a save can renumber,
rename or remove chapters, and book.toml changes them all), but a chapter
file whose size and modification time are those of the last reading is
given back as it was read, its warnings said again: reading 200 chapters
costs about 0.7 s, one chapter a few milliseconds. The readers themselves
are used unchanged, through their registry (press/readers/__init__.py
READERS), for the length of one `read_book` call in the builder process.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from press.diagnostics import Diagnostic, Reporter
from press.readers import READERS, read_book

Key = tuple[str, int, int, int, str]


class KeptReads:
    """Chapters as last read, by file, position and (size, modification time)."""

    def __init__(self) -> None:
        self._kept: dict[Key, tuple[Any, tuple[Diagnostic, ...]]] = {}

    def read_book(self, source: Path, reporter: Reporter) -> Any:
        used: dict[Key, tuple[Any, tuple[Diagnostic, ...]]] = {}
        with self._installed(used):
            book = read_book(source, reporter)
        self._kept = used  # what the last reading used: removed files are forgotten
        return book

    @contextmanager
    def _installed(self, used: dict[Key, tuple[Any, tuple[Diagnostic, ...]]]) -> Iterator[None]:
        original = dict(READERS)
        READERS.update({suffix: self._keeping(read, used) for suffix, read in original.items()})
        try:
            yield
        finally:
            READERS.update(original)

    def _keeping(self, read: Callable[..., Any], used: dict[Key, tuple[Any, tuple[Diagnostic, ...]]]
                 ) -> Callable[[Path, int, Reporter], Any]:
        def kept_read(path: Path, position: int, reporter: Reporter) -> Any:
            status = path.stat()
            key = (str(path), position, status.st_mtime_ns, status.st_size, read.__module__)
            if key not in self._kept:
                heard = Reporter(io.StringIO())
                self._kept[key] = (read(path, position, heard), tuple(heard.warnings))  # errors are not kept
            used[key] = self._kept[key]
            chapter, warnings = used[key]
            for warning in warnings:
                reporter.warn(warning.code, warning.message, warning.path, warning.line)
            return chapter
        return kept_read
