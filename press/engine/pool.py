"""An Executor that runs each task at once, in this process.

For the parallel steps' small cases (one task, one core): the callers keep
one code path (submit, then the futures' results) with no worker to start.
"""

from __future__ import annotations

from concurrent.futures import Executor, Future


class InProcess(Executor):
    """Runs each task when it is submitted; its result or exception waits in the future."""

    def submit(self, fn, /, *args, **kwargs) -> Future:  # type: ignore[override]
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as failure:  # handed to the caller through the future
            future.set_exception(failure)
        return future
