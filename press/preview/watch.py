"""Which saved files mean which rebuild, watched with watchfiles (a Rust watcher: inotify here).

A chapter (a file the readers read) or book.toml: the book and every
sheet, since sheets quote the book. A sheet file (sheets/NAME.toml):
that sheet only. Anything else (an editor's swap or backup file, a folder
of notes) is ignored. Changes are yielded 30 ms after the last one of a
burst (an editor's save is a few events), so a rebuild starts at once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from press.preview.builder import SHEETS_FOLDER, Plan
from press.readers import READERS

QUIET_MS = 30  # a burst of events is over after this long without one


def plan_for(paths: Iterable[Path], source: Path) -> Plan | None:
    """The rebuild these changed files ask for, or None."""
    plan: Plan | None = None
    for path in paths:
        step = _plan_for_one(path, source)
        if step is not None:
            plan = step if plan is None else plan.merge(step)
    return plan


def _plan_for_one(path: Path, source: Path) -> Plan | None:
    try:
        relative = path.relative_to(source)
    except ValueError:
        return None
    if path.name.startswith((".", "#")) or path.name.endswith("~"):
        return None  # editors' swap, lock and backup files
    parts = relative.parts
    if len(parts) == 1 and (path.suffix in READERS or path.name == "book.toml"):
        return Plan(book=True, sheets=None, reason=path.name)
    if len(parts) == 2 and parts[0] == SHEETS_FOLDER and path.suffix == ".toml":
        return Plan(sheets=frozenset({path.stem}), reason=f"{SHEETS_FOLDER}/{path.name}")
    return None


def changes(source: Path, stop: threading.Event) -> Iterator[Plan]:
    """The plans of the saves under `source`, until `stop` is set."""
    from watchfiles import watch

    root = source.resolve()
    for batch in watch(root, stop_event=stop, step=QUIET_MS, rust_timeout=500, yield_on_timeout=False,
                       raise_interrupt=False):
        plan = plan_for((Path(path) for _, path in batch), root)
        if plan is not None:
            yield plan
