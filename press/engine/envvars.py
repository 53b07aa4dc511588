"""Environment variables set for the length of a block, then put back as they were.

A build sets `$TMPDIR` for the programs it runs (press/engine/litter.py), and a shared worker takes
the client's few variables that change what is written (press/engine/shared_pool.py).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator


@contextlib.contextmanager
def variables_set(variables: Iterable[tuple[str, str | None]]) -> Iterator[None]:
    """Each `(name, value)` set in `os.environ` (a value of None: unset) inside the block."""
    variables = tuple(variables)
    before = tuple((name, os.environ.get(name)) for name, _ in variables)
    _set(variables)
    try:
        yield
    finally:
        _set(before)


def _set(variables: tuple[tuple[str, str | None], ...]) -> None:
    for name, value in variables:
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
