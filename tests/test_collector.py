"""Layout tasks run with the cyclic collector paused (press/engine/pool.py's collector_paused)."""

from __future__ import annotations

import gc
import weakref

from press.engine.pool import collector_paused


class _Cycle:
    def __init__(self) -> None:
        self.me = self


@collector_paused
def _task() -> tuple[bool, weakref.ref]:
    return gc.isenabled(), weakref.ref(_Cycle())


def test_a_task_runs_with_the_collector_off_and_its_cycles_are_freed_after_it() -> None:
    assert gc.isenabled()
    during, cycle = _task()
    assert not during
    assert gc.isenabled(), "the collector was not put back on"
    assert cycle() is None, "the task's cyclic garbage was not collected as it ended"


def test_in_a_worker_the_next_task_collects_what_the_last_one_left() -> None:
    gc.disable()  # as worker.start_process leaves it
    try:
        _, first = _task()
        assert first() is not None and not gc.isenabled()  # kept until the worker's next task starts
        _, second = _task()
        assert first() is None
        assert second() is not None
    finally:
        gc.enable()
        gc.collect()
