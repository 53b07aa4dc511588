"""`build.py serve` run as a user runs it, for the preview's tests."""

from __future__ import annotations

import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import PROJECT


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def sample_copy(folder: Path) -> Path:
    source = folder / "source"
    shutil.copytree(PROJECT / "source", source)
    return source


def descendants(pid: int) -> set[int]:
    """Every process below `pid`, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rpartition(")")[2].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


@dataclass
class Served:
    process: subprocess.Popen[str]
    url: str
    port: int
    stderr: Path

    def stop(self) -> tuple[int, set[int]]:
        """Ctrl-C; the exit status and the processes below the server that outlived it."""
        below = descendants(self.process.pid)
        self.process.send_signal(signal.SIGINT)
        status = self.process.wait(30)
        deadline = time.monotonic() + 5
        while any(alive(pid) for pid in below) and time.monotonic() < deadline:
            time.sleep(0.1)
        return status, {pid for pid in below if alive(pid)}


def start(source: Path, logs: Path, *extra: str, env: dict[str, str] | None = None) -> Served:
    """`build.py serve` on a free port; returns once it listens (it prints its URL then)."""
    port = free_port()
    stdout, stderr = logs / "serve.out", logs / "serve.err"
    with stdout.open("w") as out, stderr.open("w") as err:
        process = subprocess.Popen([sys.executable, str(PROJECT / "build.py"), "serve", "--source", str(source),
                                    "--port", str(port), *extra], cwd=PROJECT, text=True, stdout=out, stderr=err,
                                   env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        if match := re.search(r" at (http://\S+) ", stdout.read_text()):
            return Served(process, match[1], port, stderr)
        time.sleep(0.05)
    process.kill()
    raise AssertionError(f"build.py serve did not start: {stdout.read_text()} {stderr.read_text()}")
