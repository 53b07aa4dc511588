"""The book's layout jobs on a Dask distributed cluster (`build.py --executor dask://HOST:PORT`).

Dask's `Client.get_executor()` is a concurrent.futures Executor, the
interface every parallel step already uses; only its workers differ: they
were started for no book, so each task carries its preparation
(press/engine/shared_pool.py). The preparation, the book's model with it,
is scattered to the cluster once per book and moves to a worker with the
first task that needs it there. The workers send back PDF bytes; the
build cache stays with the client (this process).

`distributed` is an optional dependency (requirements-dev.txt): this module
is imported only when a dask:// executor is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from press.diagnostics import error
from press.engine.shared_pool import PreparedExecutor, PreparedPool, preparation

CONNECT_SECONDS = 10  # how long to wait for the scheduler before giving up
REQUIREMENT = "distributed==2026.8.0"  # as pinned in requirements-dev.txt


class DaskShared:
    """A client of the scheduler at `address` (tcp://HOST:PORT), shared by every book of the command."""

    def __init__(self, address: str) -> None:
        try:
            import distributed
        except ImportError:
            raise error("executor", f"dask://{address.removeprefix('tcp://')} needs the optional package "
                        f"`distributed`: .venv/bin/pip install {REQUIREMENT}") from None
        try:
            self.client = distributed.Client(address, timeout=f"{CONNECT_SECONDS}s", set_as_default=False)
        except (OSError, TimeoutError) as failure:
            detail = " ".join(str(failure).split())[:200]
            raise error("executor", f"cannot reach the Dask scheduler at {address}: {detail}") from None
        self._check_workers(address)
        # pure=False: a task is never taken for another with equal arguments by the scheduler's key
        # (the build cache already decides what need not be laid out).
        self._executor = self.client.get_executor(pure=False)

    def _check_workers(self, address: str) -> None:
        """At least one worker; the scheduler and every worker able to import this project."""
        import importlib.util

        try:
            self.client.wait_for_workers(1, timeout=CONNECT_SECONDS)
        except TimeoutError:
            self.client.close()
            raise error("executor", f"no Dask worker joined the scheduler at {address} in {CONNECT_SECONDS} s"
                        ) from None
        # The scheduler unpickles each task (its function names this project's), and the workers run it.
        if self.client.run_on_scheduler(importlib.util.find_spec, "press") is None:
            self.client.close()
            raise error("executor", f"the Dask scheduler at {address} cannot import this project: start it "
                        "with PYTHONPATH set to the checkout (README: A library and Dask)")
        found = self.client.run(importlib.util.find_spec, "press")
        if lacking := sorted(worker for worker, spec in found.items() if spec is None):
            self.client.close()
            raise error("executor", f"Dask worker {lacking[0]} cannot import this project: start it with "
                        "PYTHONPATH set to the checkout (README: A library and Dask)")

    def pool(self, start_here: Callable[..., None], start_worker: Callable[..., None],
             args: tuple[Any, ...]) -> PreparedPool:
        # start_here, not start_worker: a Dask worker's process and its garbage collector are Dask's.
        scattered = self.client.scatter(preparation(start_here, args), hash=False)
        return PreparedPool(PreparedExecutor(self._executor, scattered.key, scattered), scattered.release)

    def close(self) -> None:
        self.client.close()
