"""One build at a time into an output folder.

Two builds writing the same folder at once would interleave their files
(one build's book.pdf beside the other's book.epub). A build therefore
holds an exclusive lock on the output folder itself (flock on the open
folder: no lock file is left behind) while it writes. A second build into
the same folder says once that it waits, then waits for the first to
finish; it never fails for it, so a script that starts two builds still
gets two complete ones, one after the other. Builds into different folders
run side by side (they share the build cache, whose entries are written
atomically). The lock is released however the holder ends, kill included;
the processes it started keep it until they end too.

Where `fcntl` is missing (Windows) builds are not serialised.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from press.diagnostics import error


@contextlib.contextmanager
def output_lock(folder: Path) -> Iterator[int | None]:
    """Hold the lock on `folder` (made if missing); yields the locked descriptor (None: no locking)."""
    try:
        import fcntl
    except ImportError:
        yield None
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = os.open(folder, os.O_RDONLY)
    except OSError as exc:
        raise error("output", f"cannot write to the output folder: {exc.strerror}", folder) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"{folder}: another build is writing into this folder; waiting for it to finish",
                  file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield handle
    finally:
        os.close(handle)
