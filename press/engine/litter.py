"""No litter: the temporary files of a killed build are removed.

Every output is written to a temporary file beside it and renamed into
place (press/writers/base.py's `atomic_path`: `.book.pdf.k3j4h5g6.tmp`);
every cache entry likewise (press/engine/buildcache.py: `.KEY.pdf.PID.tmp`).
Everything else a build and its workers write for a moment (the layout
workers' pieces, the booklet's book, the fonts WeasyPrint copies for each
layout process) goes to one scratch folder of the system's temporary
folder, named by the build's process id (`press-build-PID-XXXXXXXX`,
`build_scratch`), removed when the build ends. A build killed while it
writes leaves such files. Two things remove them:

- the janitor: a process each build forks when it starts writing (in a
  session of its own, so a closed terminal does not end it; forked, not
  started afresh: it costs a millisecond, not a Python start-up), that
  waits on a pipe from the build. If the build ends without saying so (killed), the janitor removes
  the build's temporary files from the output folder and the cache, then
  exits. It holds the output folder's lock (press/engine/lock.py) until then, so
  the next build never meets them.
- the sweep: should the janitor have been killed too (a whole process
  group killed, the machine stopped), the next build into the folder
  removes the files of these patterns that are older than it, and says so
  in one line. In the cache and the temporary folder, shared by builds
  into other folders, it leaves the files of a build still running (by
  the process id in the name).

Only these patterns are touched; nothing else in any of the folders.
Where there is no fork (Windows) there is no janitor: the sweep remains.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from press.engine.envvars import variables_set

# atomic_path's temporary file: "." + the output's name + "." + mkstemp's 8 characters + ".tmp".
OUTPUT_TEMPORARY = re.compile(r"\..+\.(pdf|epub|html)\.[a-z0-9_]{8}\.tmp")
# BuildCache.put's temporary file: "." + key + suffix + "." + the writing process's id + ".tmp".
CACHE_TEMPORARY = re.compile(r"\.[0-9a-f]{64}\.(pdf|json)\.(?P<pid>\d+)\.tmp")
# build_scratch's folder: "press-build-" + the build's process id + "-" + mkdtemp's 8 characters.
SCRATCH = re.compile(r"press-build-(?P<pid>\d+)-[a-z0-9_]{8}")
# The all-or-nothing staging folder of a command (press/engine/staging.py): ".press-staging-" + mkdtemp's characters.
STAGING = re.compile(r"\.press-staging-[a-z0-9_]{8}")
DONE = b"done"


def output_temporaries(folder: Path) -> list[Path]:
    """The output temporaries in the output folder and its subfolders (sheets/)."""
    folders = [folder, *(entry for entry in _entries(folder) if entry.is_dir() and not entry.name.startswith("."))]
    files = [entry for f in folders for entry in _entries(f)
             if OUTPUT_TEMPORARY.fullmatch(entry.name) and entry.is_file()]
    return files + [entry for entry in _entries(folder) if STAGING.fullmatch(entry.name) and entry.is_dir()]


def cache_temporaries(cache: Path) -> list[tuple[Path, int]]:
    """Each cache temporary and the process id that writes it."""
    found = []
    for folder in _entries(cache):
        for entry in _entries(folder) if folder.is_dir() else ():
            if (match := CACHE_TEMPORARY.fullmatch(entry.name)) is not None:
                found.append((entry, int(match["pid"])))
    return found


@contextlib.contextmanager
def build_scratch() -> Iterator[Path]:
    """A scratch folder for every temporary file of the build: Python's `tempfile` module makes them
    there, in this process and in the worker processes forked from it, and so do the programs they run
    ($TMPDIR), until the build ends.

    Inside another (`build.py library`: one around all its books), the outer one serves: what a
    process keeps past one book (WeasyPrint's font configuration writes its fonts to a temporary
    folder once, and the sheets' stylesheets keep it) must outlive that book's build."""
    if _SYSTEM_TEMP:
        yield Path(tempfile.gettempdir())
        return
    _SYSTEM_TEMP.append(Path(tempfile.gettempdir()))
    folder = Path(tempfile.mkdtemp(prefix=f"press-build-{os.getpid()}-"))
    previous, tempfile.tempdir = tempfile.tempdir, str(folder)
    # And for the programs the build runs: importing WeasyPrint runs gcc (ctypes' find_library, for each
    # library name it tries), which leaves its files in $TMPDIR when the build is killed.
    try:
        with variables_set((("TMPDIR", str(folder)),)):
            yield folder
    finally:
        tempfile.tempdir = previous
        _SYSTEM_TEMP.clear()
        shutil.rmtree(folder, ignore_errors=True)


_SYSTEM_TEMP: list[Path] = []  # the system's temporary folder, while a build's scratch stands in for it


def system_temp() -> Path:
    """Where the builds' scratch folders are: the system's temporary folder, even inside one of them."""
    return _SYSTEM_TEMP[0] if _SYSTEM_TEMP else Path(tempfile.gettempdir())


def scratch_folders(folder: Path) -> list[tuple[Path, int]]:
    """Each build's scratch folder in the system's temporary folder, and the build's process id."""
    return [(entry, int(match["pid"])) for entry in _entries(folder)
            if (match := SCRATCH.fullmatch(entry.name)) is not None and entry.is_dir()]


def sweep(output: Path, cache: Path) -> list[Path]:
    """Remove the temporaries of earlier builds that were killed; the caller holds the output's lock."""
    started = time.time()
    stale = [path for path in output_temporaries(output) if _older(path, started)]
    others = [*cache_temporaries(cache), *scratch_folders(system_temp())]
    ours = Path(tempfile.gettempdir()) if _SYSTEM_TEMP else None  # a library's scratch, older than this book
    stale += [path for path, pid in others if _older(path, started) and not _running(pid) and path != ours]
    return [path for path in stale if _remove(path)]


def summary(removed: list[Path]) -> str:
    shown = ", ".join(str(path) for path in removed[:3]) + (", …" if len(removed) > 3 else "")
    files = "file" if len(removed) == 1 else "files"
    return f"removed {len(removed)} temporary {files} left by an earlier build that was killed: {shown}"


class Janitor:
    """The process that cleans up after this build if it is killed (see the module's notes)."""

    def __init__(self, output: Path, cache: Path, lock: int | None) -> None:
        self.pid, self.pipe = 0, -1
        if not hasattr(os, "fork"):
            return
        scratch, build = system_temp(), os.getpid()
        read, self.pipe = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the janitor: only the pipe's read end and the lock are kept open
            try:
                os.setsid()
                _keep_only(read, lock)
                _watch(read, output, cache, scratch, build)
            finally:
                os._exit(0)
        os.close(read)

    def dismiss(self) -> None:
        """The build ended by itself (it removed its own temporaries): the janitor leaves."""
        if self.pid:
            with contextlib.suppress(OSError):  # the janitor was killed: nothing to tell
                os.write(self.pipe, DONE)
            os.close(self.pipe)
            os.waitpid(self.pid, 0)


def _keep_only(*kept: int | None) -> None:
    """Close every descriptor but `kept` (the standard ones go to /dev/null): a harness reading the
    build's output sees its end when the build ends, not the janitor's."""
    null = os.open(os.devnull, os.O_RDWR)
    for standard in (0, 1, 2):
        os.dup2(null, standard)
    low = 3
    for fd in sorted(fd for fd in kept if fd is not None and fd >= 3):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 65536)


def _watch(pipe: int, output: Path, cache: Path, scratch: Path, build: int) -> None:
    """The janitor's work: wait for the build to end; if it was killed, remove its temporaries."""
    received = b""
    while chunk := os.read(pipe, 64):
        received += chunk
    if received == DONE:
        return
    for path in output_temporaries(output):  # the build held the output's lock: every one is its own
        _remove(path)
    for path, pid in [*cache_temporaries(cache), *scratch_folders(scratch)]:
        if pid == build:
            _remove(path)


def _entries(folder: Path) -> list[Path]:
    try:
        return [Path(entry.path) for entry in os.scandir(folder)]
    except OSError:
        return []


def _older(path: Path, started: float) -> bool:
    try:
        return path.stat().st_mtime < started
    except OSError:
        return False


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return False  # an earlier process of the same id: this one has written nothing yet
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove(path: Path) -> bool:
    try:
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
    except OSError:
        return False
    return True
