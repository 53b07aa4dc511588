"""All or nothing: a command's outputs appear together, or not at all.

Writers write into a staging folder inside the output folder (the same
file system, so every move is a rename). Only when every output of the
command has been written and checked are the files moved into place; a
failure anywhere removes the staging folder, and the previous outputs
stay as they were.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from types import TracebackType

from press.diagnostics import error

PREFIX = ".press-staging-"  # press/engine/litter.py STAGING: a killed build's folder is swept


class Staging:
    """`with Staging(out) as folder:` write into `folder`, then `commit(written)`.

    `out` exists: the guard's lock made it (press/engine/guard.py), and removes it again if it made it
    and the build fails.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.folder: Path | None = None

    def __enter__(self) -> Path:
        try:
            self.folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=self.out))
        except OSError as exc:
            raise error("output", f"cannot write to the output folder: {exc.strerror}", self.out) from None
        return self.folder

    def commit(self, written: list[Path]) -> list[Path]:
        """Move every written file (a folder: its files) into the output folder; return their new paths."""
        assert self.folder is not None
        placed: list[Path] = []
        for path in written:
            target = self.out / path.relative_to(self.folder)
            files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
            for file in files:
                destination = self.out / file.relative_to(self.folder)
                destination.parent.mkdir(parents=True, exist_ok=True)
                os.replace(file, destination)
            placed.append(target)
        return placed

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
