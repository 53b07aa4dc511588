"""Executors shared by several books: tasks that bring their own preparation.

A `WorkerPool` (press/engine/pool.py) forks workers for one book and
prepares each once, by an initializer. An executor shared by every book of
a library, or one whose workers live on other machines (a Dask cluster,
press/engine/dask_pool.py), has workers that were started for no book:
each task goes with a `Preparation` (the book's start function and its
arguments, the few environment variables that change what is written, and
a fingerprint of the code, templates, fonts and libraries it was keyed
with). A worker runs the start function when a task of another book than
its last one arrives, and refuses to lay out a piece with a fingerprint
not its own: a piece laid out by a different checkout would be cached
under a key that does not describe it.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import Any

from press.diagnostics import error
from press.engine.buildcache import ENVIRONMENT, digest, environment
from press.engine.envvars import variables_set
from press.engine.orphans import die_with_parent

# What a worker must take from the client rather than from its own environment: the date written into
# every PDF and the switches of press/engine/buildcache.py's ENVIRONMENT.
VARIABLES = ("SOURCE_DATE_EPOCH", *ENVIRONMENT)


@dataclass(frozen=True, slots=True)
class Preparation:
    start: Callable[..., None]  # e.g. press/editions/book/worker.py's `start(book)`
    args: tuple[Any, ...]
    variables: tuple[tuple[str, str | None], ...]  # VARIABLES as the client has them
    fingerprint: str  # `fingerprint()` on the client


def preparation(start: Callable[..., None], args: tuple[Any, ...]) -> Preparation:
    variables = tuple((name, os.environ.get(name)) for name in VARIABLES)
    return Preparation(start, args, variables, fingerprint())


def fingerprint() -> str:
    """The code, templates, fonts and library versions pieces are laid out with (buildcache.environment)."""
    return _fingerprint(tuple(os.environ.get(name, "") for name in ENVIRONMENT))


@cache
def _fingerprint(_variables: tuple[str, ...]) -> str:  # the variables: part of the cache key
    from press.engine.fonts import ensure_static_fonts

    return digest(environment("", "", tuple(face.path for face in ensure_static_fonts())))


# One task at a time per process: the start function sets the process's state for one book (a Dask
# worker may run several threads; layout is pure Python under the GIL, so they would gain nothing).
_LOCK = threading.Lock()
_prepared_for = ""  # the key of the book this process was last prepared for


def run_prepared(key: str, prepared: Preparation, fn: Callable[..., Any], *args: Any) -> Any:
    """`fn(*args)` in this worker, prepared for `key`'s book first if the last task was another's."""
    global _prepared_for
    with _LOCK, variables_set(prepared.variables):
        if _prepared_for != key:
            _prepared_for = ""
            if fingerprint() != prepared.fingerprint:
                raise error("executor", f"worker {os.uname().nodename} (pid {os.getpid()}) has other code, "
                            "templates, fonts or library versions than this checkout: it would lay out other "
                            "pages (give every worker the same checkout, .venv and fonts, at the same path)")
            prepared.start(*prepared.args)
            _prepared_for = key
        return fn(*args)


class PreparedExecutor(Executor):
    """Submits each task to `executor` as `run_prepared(key, prepared, fn, *args)`."""

    def __init__(self, executor: Executor, key: str, prepared: Any) -> None:
        self.executor, self.key, self.prepared = executor, key, prepared  # prepared: or a Dask future of one

    def submit(self, fn, /, *args, **kwargs) -> Future:  # type: ignore[override]
        if kwargs:
            raise TypeError("a prepared task takes positional arguments only")
        return self.executor.submit(run_prepared, self.key, self.prepared, fn, *args)


@dataclass(frozen=True, slots=True)
class PreparedPool:
    """What a book's build asks for its tasks (the interface of pool.WorkerPool), on a shared executor."""

    shared: PreparedExecutor
    release: Callable[[], None] = lambda: None

    def executor(self, tasks: int) -> Executor:
        return self.shared

    def close(self) -> None:
        self.release()


class LocalShared:
    """The library's local pool: worker processes shared by every book, each task carrying its book
    (pickled with the task: a few kilobytes for a small book)."""

    def __init__(self, jobs: int | None = None) -> None:
        context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        self._executor = ProcessPoolExecutor(jobs or os.cpu_count() or 1, mp_context=context,
                                             initializer=die_with_parent)
        # Forked now, before any book's build: a worker forked inside one would hold that build's
        # descriptors open past its end (its janitor's pipe, press/engine/litter.py, never closes).
        # With "fork", the first task starts every worker.
        self._executor.submit(int).result()

    def pool(self, start_here: Callable[..., None], start_worker: Callable[..., None],
             args: tuple[Any, ...]) -> PreparedPool:
        prepared = preparation(start_worker, args)
        return PreparedPool(PreparedExecutor(self._executor, uuid.uuid4().hex, prepared))

    def close(self) -> None:
        self._executor.shutdown()
