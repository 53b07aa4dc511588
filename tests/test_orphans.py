"""No orphans (issue #18): the pool's workers end within seconds of a SIGKILL of the build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import PROJECT
from faulttools import alive, children, small_book, start_build

GRACE_SECONDS = 5.0


def wait_for_deaths(pids: list[int], seconds: float = GRACE_SECONDS) -> list[int]:
    """The processes of `pids` still alive after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(alive(pid) for pid in pids):
        time.sleep(0.05)
    return [pid for pid in pids if alive(pid)]


def test_workers_end_when_the_build_is_killed(tmp_path: Path) -> None:
    source = small_book(tmp_path / "source", chapters=30)
    build = start_build("pdf", "--source", str(source), "--out", str(tmp_path / "out"), cache=tmp_path / "cache")
    assert build.stdout is not None
    for line in build.stdout:
        if line.startswith("laying out chapters 2/30"):  # the pool is at work
            break
    workers = [pid for pid in children(build.pid) if "build.py" in Path(f"/proc/{pid}/cmdline").read_text()]
    assert workers and all(alive(pid) for pid in workers), workers
    build.kill()
    build.wait()
    assert wait_for_deaths(workers) == [], "workers outlived the build"


WATCHED_POOL = """
import multiprocessing, sys, time
from concurrent.futures import ProcessPoolExecutor
from press.engine import orphans
orphans._death_signal = lambda: None  # the portable path alone: the watch of the parent's id
pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork"), initializer=orphans.die_with_parent)
futures = [pool.submit(time.sleep, 600) for _ in range(2)]
time.sleep(0.5)
print(" ".join(str(pid) for pid in pool._processes), flush=True)
time.sleep(600)
"""


def test_without_a_death_signal_the_watch_ends_the_workers() -> None:
    """Where prctl is missing (not Linux), the thread watching the parent's id ends the worker."""
    script = subprocess.Popen([sys.executable, "-c", WATCHED_POOL], cwd=PROJECT, stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(PROJECT)})
    assert script.stdout is not None
    workers = [int(pid) for pid in script.stdout.readline().split()]
    assert len(workers) == 2 and all(alive(pid) for pid in workers)
    os.kill(script.pid, signal.SIGKILL)
    script.wait()
    assert wait_for_deaths(workers) == [], "workers outlived the process that started them"
