"""Worker processes end when the build's main process ends, however it ends.

A pool worker blocks reading its task queue, and every worker (forked from
the main process) holds that queue's write end open: when the main process
is killed (SIGKILL, the out-of-memory killer, a closed terminal) nothing
ever tells the workers, and they would stay for ever, holding their memory.

`die_with_parent`, the pools' worker initializer, makes sure they do not:
on Linux the kernel sends the worker SIGKILL the moment its parent dies
(prctl PR_SET_PDEATHSIG); everywhere, a daemon thread watches the parent's
process id and ends the worker when it changes (the orphan is adopted by
another process), within WATCH_SECONDS.

The kernel's signal follows the thread that started the worker, not the
process: the pools are started from the build's main thread, which lives
as long as the build.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
WATCH_SECONDS = 0.5


def die_with_parent() -> None:
    """End this process when the process that started it ends."""
    parent = _parent_pid()
    if sys.platform.startswith("linux"):
        _death_signal()
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="press-parent-watch", daemon=True).start()


def _parent_pid() -> int:
    """The pid of the process that started this one: multiprocessing knows it even if it is already gone."""
    import multiprocessing

    parent = multiprocessing.parent_process()
    return parent.pid if parent is not None and parent.pid is not None else os.getppid()


def _death_signal() -> None:
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: the watch thread alone
        pass


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)
