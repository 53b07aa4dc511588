"""The parallel pool: worker processes for independent tasks, and a stand-in that runs them here.

Every parallel step keeps one code path (submit, then the futures'
results), whatever the number of workers:

- `InProcess` runs each task at once, in this process: the small cases
  (one task, one core), with no worker to start.
- `WorkerPool` is the print build's pool: forked workers, each prepared
  once by an initializer (stylesheets and fonts loaded on first use), no
  more of them than there are tasks, grown when a later step has more.
- `background_pool` is for a few short, independent steps (the EPUB's
  font subsets and cover), forked while the caller goes on working.
- `book_pool` is what a book's build asks for: a `WorkerPool` of its own,
  or, inside `sharing(executor)`, its share of an executor every book of
  the command uses (`build.py library`, `--executor dask://`:
  press/engine/shared_pool.py, press/engine/dask_pool.py).
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from typing import Any, Protocol

from press.engine.orphans import die_with_parent


def collector_paused(task: Callable[..., Any]) -> Callable[..., Any]:
    """`task` run with the cyclic collector off, what it left collected once, when the next task starts.

    What a layout task makes lives until it ends (the document, its boxes and computed styles), and
    most of what it drops is cyclic (a box and its style refer to each other): collections while it
    runs walk the growing heap again and again and find little to free. One pass afterwards frees it
    all: a segment of 285 pages of notes took 19.7 s of CPU under the raised thresholds this replaced
    (50,000, 20, 100) and 18.9 s so (the pass 0.9 s of it), and the 10,000-note chapter's largest
    process went from 722 to 415 MB. A worker's collector stays off between tasks (start_process), so
    that pass waits for the worker's next task instead of delaying the result on its way back (the
    last segment is waited for); in a process whose collector was on (the preview's, a Dask
    worker's, this one running a single task), it is put back on and the pass is made as the task ends.
    """
    @functools.wraps(task)
    def paused(*args: Any, **kwargs: Any) -> Any:
        gc.collect(0)  # what the worker's task before left: nothing was collected since it began
        enabled = gc.isenabled()
        gc.disable()
        try:
            return task(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()
                gc.collect(0)

    return paused


class InProcess(Executor):
    """Runs each task when it is submitted; its result or exception waits in the future."""

    def submit(self, fn, /, *args, **kwargs) -> Future:  # type: ignore[override]
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as failure:  # handed to the caller through the future
            future.set_exception(failure)
        return future


class WorkerPool:
    """Up to `jobs` worker processes, started by `start_worker(*args)`; for a single task, this
    process, prepared by `start_here(*args)` (its tasks pause the collector themselves: collector_paused)."""

    def __init__(self, jobs: int, start_here: Callable[..., None], start_worker: Callable[..., None],
                 args: tuple[Any, ...]) -> None:
        self.jobs, self.start_here, self.start_worker, self.args = jobs, start_here, start_worker, args
        self._executor: Executor | None = None
        self._size = 0

    def executor(self, tasks: int) -> Executor:
        """Workers for `tasks` tasks: no more than there are tasks; in this process for one."""
        wanted = max(1, min(self.jobs, tasks))
        if self._executor is None or self._size < wanted:
            self.close()
            if wanted == 1:
                self.start_here(*self.args)
                self._executor = InProcess()
            else:
                context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
                self._executor = ProcessPoolExecutor(wanted, mp_context=context, initializer=self.start_worker,
                                                     initargs=self.args)
            self._size = wanted
        return self._executor

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown()
            self._executor = None


class Pool(Protocol):
    def executor(self, tasks: int) -> Executor: ...
    def close(self) -> None: ...


class Shared(Protocol):
    """An executor shared by every book of a command: a book's pool is its share of it."""

    def pool(self, start_here: Callable[..., None], start_worker: Callable[..., None],
             args: tuple[Any, ...]) -> Pool: ...
    def close(self) -> None: ...


_SHARING: list[Shared] = []


@contextmanager
def sharing(shared: Shared | None) -> Iterator[None]:
    """Every book built inside gets its pool from `shared` (None: each its own WorkerPool); closed after."""
    if shared is None:
        yield
        return
    _SHARING.append(shared)
    try:
        yield
    finally:
        _SHARING.remove(shared)
        shared.close()


def book_pool(jobs: int, start_here: Callable[..., None], start_worker: Callable[..., None],
              args: tuple[Any, ...]) -> Pool:
    """A book's pool: its share of the executor in force, else worker processes of its own."""
    if _SHARING:
        return _SHARING[-1].pool(start_here, start_worker, args)
    return WorkerPool(jobs, start_here, start_worker, args)


def completed(futures: Iterable[Future]) -> Iterator[Future]:
    """The futures as they finish."""
    return as_completed(futures)


@contextmanager
def background_pool(tasks: int) -> Iterator[Executor]:
    """Worker processes for a few slow, independent steps (the EPUB's font subsets, its cover)."""
    jobs = min(tasks, os.cpu_count() or 1)
    if jobs < 2 or os.name != "posix":
        yield InProcess()
        return
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                             initializer=die_with_parent) as pool:  # no worker outlives a killed build
        yield pool
