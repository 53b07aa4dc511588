"""A small book of many chapters, builds run as a user runs them, and the processes they start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import PROJECT

HEBREW = "שִׁיר לַמַּעֲלוֹת אֶשָּׂא עֵינַי אֶל־הֶהָרִים מֵאַיִן יָבֹא עֶזְרִי׃"


def small_book(folder: Path, chapters: int = 30) -> Path:
    """`chapters` chapters of one short page each: many pieces for the pool, little layout."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "book.toml").write_text('title = "Many Chapters"\ntitle_he = "פְּרָקִים"\nprimary = "en"\n',
                                      encoding="utf-8")
    for number in range(1, chapters + 1):
        (folder / f"{number:02d}-chapter.md").write_text(
            f"---\ntitle: Chapter {number}\nnumber: {number}\n---\n\n"
            f"An introduction to chapter {number}.[^1]\n\nI lift my eyes to the mountains.\n\n{HEBREW}\n\n"
            f"[^1]: A note of chapter {number}.\n", encoding="utf-8")
    return folder


def environment(cache: Path) -> dict[str, str]:
    """The cache given, and a temporary folder of its own beside it: the build's scratch is seen alone."""
    scratch = scratch_folder(cache)
    scratch.mkdir(parents=True, exist_ok=True)
    return {**os.environ, "PRESS_BUILD_CACHE": str(cache), "SOURCE_DATE_EPOCH": "1700000000", "TMPDIR": str(scratch)}


def scratch_folder(cache: Path) -> Path:
    """The temporary folder (TMPDIR) of the builds using `cache`."""
    return cache.with_name(cache.name + "-tmp")


def start_build(*args: str, cache: Path) -> subprocess.Popen[str]:
    """`python build.py ARGS`, started and left running, its output read line by line."""
    return subprocess.Popen([sys.executable, str(PROJECT / "build.py"), *args], env=environment(cache),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def run_build(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(PROJECT / "build.py"), *args], env=environment(cache),
                          capture_output=True, text=True, check=False)


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _stat(int(entry.name))[1] == pid:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Running (a zombie, dead but not yet reaped by its new parent, is not alive)."""
    state = _stat(pid)[0]
    return state not in ("", "Z", "X")


def _stat(pid: int) -> tuple[str, int]:
    """(state, parent pid) of a process; ("", 0) if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return "", 0
    fields = text.rpartition(")")[2].split()
    return fields[0], int(fields[1])
