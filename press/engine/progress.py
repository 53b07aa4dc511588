"""Progress of a long build: a bar on a terminal, one line per step otherwise.

tqdm rather than rich: one small pure-Python package with no dependencies
that imports in a few milliseconds, and all we need is a bar with a count
and the time left.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO


class Progress:
    """Steps of one stage (`label`); `total` known in advance."""

    def __init__(self, label: str, total: int, stream: TextIO | None = None) -> None:
        self.label, self.total, self.done = label, total, 0
        self.stream = stream or sys.stderr
        self._bar: Any = None
        if total and self.stream.isatty():
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc=label, unit="chapter", file=self.stream, leave=False,
                             bar_format="{desc}: {n_fmt}/{total_fmt} {bar} {elapsed}<{remaining}")

    def step(self, what: str) -> None:
        self.done += 1
        if self._bar is not None:
            self._bar.update(1)
        else:
            print(f"{self.label} {self.done}/{self.total}: {what}", file=sys.stdout, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def note(message: str) -> None:
    """A line of the build's story (the summary), on standard output."""
    print(message, file=sys.stdout, flush=True)
