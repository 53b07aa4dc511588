"""What every writer shares: the output contract and atomic files."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from press.diagnostics import Reporter
from press.model import Book


class Writer(Protocol):
    """An output of the book. `name` is its command (`build.py pdf`).

    `write` writes into a staging folder (press/engine/staging.py); a writer that must refuse to write
    over something in the real output folder may also have `check_target(out_dir)`, called first.
    """

    name: str
    description: str

    def write(self, book: Book, out_dir: Path, reporter: Reporter) -> list[Path]: ...


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`, renamed onto it only on success.

    Nothing half-written is ever left under the final name.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
