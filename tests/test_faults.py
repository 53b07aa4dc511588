"""Faults (issues #17 and #18): builds killed at any moment, a damaged cache, two builds at once, litter.

A 30-chapter book of one-page chapters: many pieces and cache entries, little
layout. Every build runs as a user runs it (`python build.py`), with its own
cache folder.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import PROJECT
from faulttools import alive, children, run_build, scratch_folder, small_book, start_build
from pdftools import page_texts

from press.engine.buildcache import BuildCache
from press.engine.litter import OUTPUT_TEMPORARY
from press.engine.lock import output_lock

ENTRY = re.compile(r"[0-9a-f]{64}\.[a-z0-9]+")  # KEY.pdf, KEY.json, KEY.model (a chapter read), ...


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_book(tmp_path_factory.mktemp("faults") / "source", chapters=30)


@pytest.fixture(scope="module")
def clean_build(book: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean build (empty cache, empty output folder): its folder holds out/ and cache/."""
    folder = tmp_path_factory.mktemp("clean")
    result = run_build("pdf", "--source", str(book), "--out", str(folder / "out"), cache=folder / "cache")
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope="module")
def clean(clean_build: Path) -> list[str]:
    """The text of each page of the clean build."""
    return page_texts(clean_build / "out" / "book.pdf")


@pytest.fixture
def warm_cache(clean_build: Path, tmp_path: Path) -> Path:
    """A copy of the clean build's cache: every piece of the book in it."""
    return Path(shutil.copytree(clean_build / "cache", tmp_path / "cache"))


@dataclass
class Running:
    """A build started and left running; its output lines are collected as they come."""

    process: subprocess.Popen[str]
    out: Path

    def __post_init__(self) -> None:
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def wait_for_line(self, prefix: str) -> None:
        while not any(line.startswith(prefix) for line in self.lines):
            assert self.process.poll() is None or self.reader.is_alive(), f"never printed {prefix!r}: {self.lines}"
            time.sleep(0.002)

    def wait_for_temporary(self) -> bool:
        """Whether the book's temporary was seen being written (a warm build can write it between two looks)."""
        while not any(OUTPUT_TEMPORARY.fullmatch(p.name) for p in self.out.rglob(".*")):  # in the staging folder
            if self.process.poll() is not None:
                return False
            time.sleep(0.002)
        return True

    def kill(self) -> list[int] | None:
        """SIGKILL the main process (as the OOM killer would); wait until every process it started ended.
        None when the build had already ended."""
        family = children(self.process.pid)
        if self.process.poll() is not None:
            return None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        deadline = time.monotonic() + 5
        while any(alive(pid) for pid in family) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not any(alive(pid) for pid in family), "a process of the killed build is still alive after 5 s"
        return family


# Ten moments, in the order they are tried. The first five walk through a cold build: each killed build
# goes on from the cache the one before it left. The last five come once the cache is full.
MOMENTS: list[tuple[str, str, float]] = [
    ("starting", "", 0.3),  # importing, reading the sources
    ("first chapter laid out", "laying out chapters 1/", 0.0),
    ("chapters being cached", "laying out chapters 8/", 0.0),
    ("chapters being cached, a moment after", "laying out chapters 12/", 0.03),
    ("front matter laid out", "laying out folios and front matter 1/", 0.0),
    ("book.pdf being written (cold)", "writing", 0.0),
    ("book.pdf being written", "writing", 0.0),
    ("book.pdf being written, later", "writing", 0.04),
    ("book.pdf renamed into place", "book.pdf:", 0.0),
    ("starting (warm)", "", 0.6),
]
# The last line is printed a moment before the build exits: a kill there may come after the exit. The state
# it leaves is then the one a kill just after the rename leaves, and the checks below hold for it as well.
MAY_END_FIRST = {"book.pdf renamed into place"}
# A warm build takes a fraction of a second, and a loaded machine or a faster one moves the moments: a build
# that ended before its moment is started again with half the delay, this many times (CI once saw a warm
# build finish inside the 0.6 s of "starting (warm)").
ATTEMPTS = 4


def kill_at(moment: str, wait_for: str, delay: float, start: Callable[[], Running]) -> None:
    """Start builds until one is killed at the moment (or, for MAY_END_FIRST, has ended at it)."""
    for attempt in range(ATTEMPTS):
        build = start()
        reached = build.wait_for_temporary() if wait_for == "writing" else True
        if wait_for and wait_for != "writing":
            build.wait_for_line(wait_for)
        time.sleep(delay / 2**attempt)
        if reached and (build.kill() is not None or moment in MAY_END_FIRST):
            return
        build.process.wait()
    pytest.fail(f"{moment}: the build ended before the moment in {ATTEMPTS} tries: {build.lines}")


def test_a_build_killed_at_any_moment_leaves_nothing_broken(book: Path, clean: list[str], tmp_path: Path) -> None:
    out, cache = tmp_path / "out", tmp_path / "cache"
    for number, (moment, wait_for, delay) in enumerate(MOMENTS, 1):
        kill_at(moment, wait_for, delay,
                lambda: Running(start_build("pdf", "--source", str(book), "--out", str(out), cache=cache), out))
        where = f"killed {number} ({moment})"
        stray = [p.name for p in out.rglob("*") if p.name != "book.pdf"] if out.exists() else []
        assert stray == [], f"{where}: left in the output folder: {stray}"
        assert broken_entries(cache) == [], f"{where}: broken cache entries"
        scratch = list(scratch_folder(cache).iterdir())
        assert scratch == [], f"{where}: left in the temporary folder: {scratch}"
        if (out / "book.pdf").exists():  # a build's complete book, from before the kill or renamed just before it
            assert page_texts(out / "book.pdf") == clean, f"{where}: book.pdf is not a whole book"
        assert next_build(book, out, cache, tmp_path / f"next-{number}") == clean, f"{where}: the next build differs"


def next_build(book: Path, out: Path, cache: Path, folder: Path) -> list[str]:
    """The next build, from what the killed one left (copied: the next moment goes on from the original)."""
    shutil.copytree(cache, folder / "cache") if cache.exists() else None
    shutil.copytree(out, folder / "out") if out.exists() else None
    result = run_build("pdf", "--source", str(book), "--out", str(folder / "out"), cache=folder / "cache")
    assert result.returncode == 0, result.stderr
    assert "temporary file" not in result.stdout, "the killed build's temporaries were left for the next one"
    assert [p.name for p in (folder / "out").iterdir()] == ["book.pdf"]
    return page_texts(folder / "out" / "book.pdf")


def broken_entries(cache: Path) -> list[str]:
    """Files of the cache that are not whole entries: temporaries, or entries whose checksum fails."""
    store = BuildCache(cache)
    broken = []
    for path in cache.rglob("*") if cache.exists() else ():
        if path.is_dir():
            continue
        if not ENTRY.fullmatch(path.name) or store.get(path.stem, path.suffix) is None:
            broken.append(path.name)
    return broken


def chapter_keys(cache: Path) -> list[str]:
    """The keys of the chapters' entries (their JSON holds the pages' names)."""
    import json

    store = BuildCache(cache)
    return sorted(p.stem for p in cache.rglob("*.json")
                  if "names" in json.loads(store.get(p.stem, ".json") or b"{}"))


def test_a_damaged_cache_entry_is_laid_out_again_never_used(book: Path, clean: list[str], warm_cache: Path,
                                                           tmp_path: Path) -> None:
    out, cache = tmp_path / "out", warm_cache
    store = BuildCache(cache)
    keys = chapter_keys(cache)
    assert len(keys) == 30
    truncated, garbage, deleted = (store.path(key, ".pdf") for key in keys[:3])
    bad_json = store.path(keys[3], ".json")
    truncated.write_bytes(truncated.read_bytes()[: truncated.stat().st_size // 2])
    garbage.write_bytes(os.urandom(garbage.stat().st_size))
    deleted.unlink()
    bad_json.write_bytes(b'{"names": ["chapter"], "starts": [null]}')  # well-formed, but not what was written
    for batch in cache.rglob("*.pdf"):  # and every piece that is not a chapter: folios, front matter, blank
        if batch.stem not in keys:
            batch.write_bytes(batch.read_bytes()[:-1])
    result = run_build("pdf", "--source", str(book), "--out", str(out), cache=cache)
    assert result.returncode == 0, result.stderr
    assert "chapters: 30, 26 from the cache, 4 laid out" in result.stdout
    assert page_texts(out / "book.pdf") == clean
    assert broken_entries(cache) == [], "the damaged entries were written again"


def test_two_builds_into_one_folder_are_serialised(book: Path, clean: list[str], warm_cache: Path,
                                                  tmp_path: Path) -> None:
    """A build into a folder another holds waits, says so once, writes nothing meanwhile, then builds. The
    other is this test holding the folder's lock (a real first build can finish before the second starts)."""
    out, cache = tmp_path / "out", warm_cache
    args = ("pdf", "--source", str(book), "--out", str(out))
    with output_lock(out):
        second = subprocess.Popen([sys.executable, str(PROJECT / "build.py"), *args], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True,
                                  env={**os.environ, "PRESS_BUILD_CACHE": str(cache),
                                       "SOURCE_DATE_EPOCH": "1700000000"})
        assert second.stderr is not None
        waiting = second.stderr.readline()
        assert waiting == f"{out}: another build is writing into this folder; waiting for it to finish\n"
        time.sleep(0.5)
        assert second.poll() is None and list(out.iterdir()) == [], "it waited, writing nothing"
    _, stderr = second.communicate()
    assert second.returncode == 0, stderr
    assert page_texts(out / "book.pdf") == clean
    assert [p.name for p in out.iterdir()] == ["book.pdf"]


OTHER_FOLDER = """
import sys, time
from pathlib import Path
from press.engine.lock import output_lock
started = time.monotonic()
with output_lock(Path(sys.argv[1])):
    print(round(time.monotonic() - started, 3))
"""


def test_a_build_into_another_folder_does_not_wait(tmp_path: Path) -> None:
    """The lock is the output folder's: a build into another folder goes on at once, without a word."""
    from press.engine.lock import output_lock

    with output_lock(tmp_path / "a"):
        other = subprocess.run([sys.executable, "-c", OTHER_FOLDER, str(tmp_path / "b")], cwd=PROJECT,
                               capture_output=True, text=True, timeout=60, check=True)
        assert other.stderr == "" and float(other.stdout) < 1.0
        same = subprocess.Popen([sys.executable, "-c", OTHER_FOLDER, str(tmp_path / "a")], cwd=PROJECT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert same.stderr is not None
        assert "waiting for it to finish" in same.stderr.readline()
    assert same.wait(timeout=60) == 0


def test_stale_temporaries_of_killed_builds_are_removed(book: Path, warm_cache: Path, tmp_path: Path) -> None:
    """Issue #18's acceptance: a stale .book.pdf.*.tmp in the output folder is removed by the next build,
    with one line; only files of the build's own patterns, older than the build, go."""
    out, cache = tmp_path / "out", warm_cache
    (out / "sheets").mkdir(parents=True)
    stale = [out / ".book.pdf.k3j4h5g6.tmp", out / ".book.epub.a1b2c3d4.tmp",
             out / "sheets" / ".week.html.zz99yy88.tmp", cache / "ab" / f".{'ab' * 32}.pdf.999999999.tmp"]
    kept = [out / "notes.tmp", out / ".book.pdf.backup", out / "book.pdf.k3j4h5g6.tmp",
            cache / "ab" / f".{'ab' * 31}cd.pdf.{os.getpid()}.tmp"]  # a build that is still running: this one
    scratch = scratch_folder(cache)
    stale.append(scratch / "press-build-999999999-k3j4h5g6" / "part.pdf")  # a killed worker's piece
    kept.append(scratch / f"press-build-{os.getpid()}-k3j4h5g6" / "part.pdf")
    for path in stale + kept:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half a file")
        os.utime(path.parent, (time.time() - 60, time.time() - 60))
        os.utime(path, (time.time() - 60, time.time() - 60))
    result = run_build("pdf", "--source", str(book), "--out", str(out), cache=cache)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if "temporary files" in line]
    assert len(lines) == 1, result.stdout
    assert lines[0].startswith("removed 5 temporary files left by an earlier build that was killed: ")
    assert not any(path.exists() for path in stale)
    assert all(path.exists() for path in kept)
