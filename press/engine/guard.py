"""What a command that writes outputs runs inside: the folder's lock, the sweep and the janitor.

See press/engine/lock.py (one build at a time into a folder) and press/engine/litter.py
(no temporary files left by a killed build).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from press.engine.buildcache import BuildCache
from press.engine.litter import Janitor, build_scratch, summary, sweep
from press.engine.lock import output_lock
from press.engine.progress import note


@contextlib.contextmanager
def guarded(output: Path) -> Iterator[None]:
    """Hold `output`'s lock, remove what killed builds left there, and clean up if this one is killed."""
    cache = BuildCache.default().root
    made = not output.exists()
    try:
        with _locked(output, cache):
            yield
    except BaseException:
        if made:  # a failed build leaves no output folder of its own making behind, not even an empty one
            with contextlib.suppress(OSError):
                output.rmdir()
        raise


@contextlib.contextmanager
def _locked(output: Path, cache: Path) -> Iterator[None]:
    with output_lock(output) as lock:
        if removed := sweep(output, cache):
            note(summary(removed))
        janitor = Janitor(output, cache, lock)
        try:
            with build_scratch():
                yield
        finally:
            janitor.dismiss()
