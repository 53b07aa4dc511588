"""The preview's builds, in a process of their own.

One long-lived process (started with `spawn`, so it inherits none of the
server's threads) reads the book and builds what a `Plan` asks through
the editions' registry, the build cache doing the rest: after an edit only
the changed chapter is laid out. It forks its layout workers from a
single-threaded process, and it leads a process group of its own, so a
Ctrl-C at the terminal reaches the server alone and the server's
`stop()` ends the builder and any worker it has at once (no stray
process). Each result goes back over a pipe as soon as it is made: the
book first after a chapter is saved, the sheets first when the preview
starts (a sheet takes a second, a long book half a minute). After an edit
of a chapter or two, their new pages come first, before the book is
joined (proof.py).

Nothing from the source folder is executed: it is read by the readers.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from press.diagnostics import BuildError, Reporter
from press.preview.proof import LastBook, Proof, proof
from press.preview.reading import KeptReads

BOOK = "book"
SHEETS_FOLDER = "sheets"


def sheet_key(name: str) -> str:
    return f"sheet:{name}"


@dataclass(frozen=True, slots=True)
class Plan:
    """What to build: the book, and which sheets (None: every sheet file)."""

    book: bool = False
    sheets: frozenset[str] | None = frozenset()
    sheets_first: bool = False
    reason: str = ""

    def merge(self, other: Plan) -> Plan:
        sheets = None if self.sheets is None or other.sheets is None else self.sheets | other.sheets
        reason = ", ".join(dict.fromkeys(r for r in (self.reason, other.reason) if r))
        return Plan(self.book or other.book, sheets, self.sheets_first and other.sheets_first, reason)


@dataclass(frozen=True, slots=True)
class Started:
    plan: Plan


@dataclass(frozen=True, slots=True)
class Built:
    """An edition built: its PDF, each page's folio as printed ("" for none) and binding side."""

    key: str  # BOOK, or sheet_key(NAME)
    title: str
    pdf: bytes
    labels: tuple[str, ...]
    right_bound: bool  # a Hebrew-led book: spreads read right to left
    warnings: tuple[str, ...] = ()
    fit: int | None = None  # a sheet's `fit`
    infos: tuple[Any, ...] = ()  # pdfpages.PageInfo of each page


@dataclass(frozen=True, slots=True)
class Failed:
    """A build that stopped: the errors, as the terminal prints them. `key` None: the book could not
    be read, so nothing was built."""

    key: str | None
    errors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Finished:
    seconds: float
    warnings: tuple[str, ...]  # the reading's (note-missing...): the editions carry their own
    sheets: tuple[str, ...] = field(default=())  # every sheet file there is now


def sheet_names(source: Path) -> tuple[str, ...]:
    folder = source / SHEETS_FOLDER
    return tuple(sorted(p.stem for p in folder.glob("*.toml") if p.is_file())) if folder.is_dir() else ()


@dataclass(slots=True)
class Kept:
    """What the builder process keeps from one build to the next."""

    reads: KeptReads = field(default_factory=KeptReads)
    book: LastBook = field(default_factory=LastBook)


def build(plan: Plan, source: Path, scratch: Path, kept: Kept | None = None
          ) -> Iterator[Started | Proof | Built | Failed | Finished]:
    """Everything `plan` asks for, each result as it is made, then Finished."""
    started = time.monotonic()
    yield Started(plan)
    reporter = Reporter()
    names = sheet_names(source)
    kept = kept or Kept()
    reading = _Steps()
    read = _guarded("", lambda: reading.done("read", kept.reads.read_book(source, reporter)))
    if isinstance(read, Failed):
        yield Failed(None, read.errors)
        yield Finished(time.monotonic() - started, (), names)
        return
    book = read
    read_warnings = tuple(str(w) for w in reporter.warnings)
    sheets = [n for n in names if plan.sheets is None or n in plan.sheets]
    steps = [(sheet_key(n), lambda name=n: _sheet(book, name, source, scratch, reporter)) for n in sheets]
    if plan.book:
        steps.insert(len(steps) if plan.sheets_first else 0, (BOOK, None))
    for key, step in steps:
        if step is None:
            yield from _book_steps(book, scratch, reporter, kept.book, reading)
            reading = _Steps()  # the reading is counted once
        else:
            yield _guarded(key, step)
    yield Finished(time.monotonic() - started, read_warnings, names)


def _book_steps(book: Any, scratch: Path, reporter: Reporter, last: LastBook, steps: _Steps
                ) -> Iterator[Proof | Built | Failed]:
    """The edited chapters' pages first when they can be shown alone, then the book."""
    shown = _guarded(BOOK, lambda: _proof(book, scratch, last, steps))
    if isinstance(shown, Failed):  # its checks failed: the book's would too
        yield shown
        return
    if shown is not None:
        yield shown
    yield _guarded(BOOK, lambda: _book(book, scratch, reporter, last))


def _proof(book: Any, scratch: Path, last: LastBook, steps: _Steps) -> Proof | None:
    """proof.proof, timed (after `steps`: the reading); None also after a bug in it (said, then the
    book is built as ever)."""
    try:
        made = steps.done("proof", proof(book, last, BOOK, scratch))
    except BuildError:
        raise
    except Exception:
        traceback.print_exc()
        return None
    if made is not None:
        print(f"preview: proof of pages {made.indices[0] + 1}-{made.indices[-1] + 1} in {steps}", flush=True)
    return made


def _guarded(key: str, make: Any) -> Any:
    """What `make()` returns, or Failed with its errors (a BuildError) or a line naming a bug."""
    try:
        return make()
    except BuildError as failure:
        return Failed(key, _printed(failure))
    except Exception as failure:  # a bug: said as such, the preview keeps running
        traceback.print_exc()
        line = f"internal error {f'building {key}' if key else 'reading the book'}: {type(failure).__name__}: {failure}"
        print(line, file=sys.stderr)
        return Failed(key, (line,))


def _printed(failure: BuildError) -> tuple[str, ...]:
    """The errors, printed on the terminal as the command line prints them, and returned."""
    lines = tuple(str(d) for d in failure.diagnostics)
    for line in lines:
        print(line, file=sys.stderr)
    return lines


def _book(book: Any, scratch: Path, reporter: Reporter, last: LastBook) -> Built:
    """book.pdf, as the pdf writer makes it, in its two halves: the pieces are kept for the next
    edit's proof."""
    from press.editions.book import book_pieces, join_book
    from press.preview.pdfpages import page_infos

    before = len(reporter.warnings)
    steps = _Steps()
    pieces = steps.done("pieces", book_pieces(book))
    path = scratch / "book.pdf"
    labels = steps.done("join", join_book(book, pieces, path))
    pdf = path.read_bytes()
    infos = steps.done("page digests", page_infos(pdf))
    last.keep(book, pieces, labels)
    print(f"preview: book in {steps}", flush=True)
    return Built(BOOK, book.title, pdf, labels, book.primary == "he", _since(reporter, before), infos=infos)


class _Steps:
    """How long each step took, wall and this process's CPU (the machine may be busy with others)."""

    def __init__(self) -> None:
        self.times: list[tuple[str, float, float]] = []
        self._wall, self._cpu = time.monotonic(), time.process_time()

    def done(self, name: str, result: Any) -> Any:
        wall, cpu = time.monotonic(), time.process_time()
        self.times.append((name, wall - self._wall, cpu - self._cpu))
        self._wall, self._cpu = wall, cpu
        return result

    def __str__(self) -> str:
        total = sum(t[1] for t in self.times)
        parts = ", ".join(f"{name} {wall:.2f} s (CPU {cpu:.2f} s)" for name, wall, cpu in self.times)
        return f"{total:.2f} s: {parts}"


def _sheet(book: Any, name: str, source: Path, scratch: Path, reporter: Reporter) -> Built:
    from press.editions.sheet import sheet_pdf
    from press.preview.pdfpages import page_infos

    before = len(reporter.warnings)
    path, spec = sheet_pdf(book, source / SHEETS_FOLDER / f"{name}.toml", scratch / SHEETS_FOLDER / name, reporter)
    pdf = path.read_bytes()
    infos = page_infos(pdf)
    return Built(sheet_key(name), spec.title or name, pdf, tuple(str(n) for n in range(1, len(infos) + 1)),
                 False, _since(reporter, before), spec.fit, infos)


def _since(reporter: Reporter, before: int) -> tuple[str, ...]:
    return tuple(str(w) for w in reporter.warnings[before:])


def serve_builds(connection: Any, source: Path, scratch: Path) -> None:
    """The builder process: a plan in, its results out, until None or the pipe closes."""
    os.setpgid(0, 0)  # its own group: a Ctrl-C meant for the server does not reach the layout workers
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    kept = Kept()
    warm = False
    try:
        while (plan := connection.recv()) is not None:
            for result in build(plan, source, scratch, kept):
                connection.send(result)
            if not warm and kept.book.book is not None:
                warm = _warmed(kept.book.book)
    except (EOFError, BrokenPipeError):
        pass  # the server is gone


def _warmed(book: Any) -> bool:
    """The book's layout warmed up in this process, between the first build and the first edit."""
    from press.editions.book import warm_up

    try:
        warm_up(book)
    except Exception:  # a bug: said; the first proof only costs a little more
        traceback.print_exc()
    return True


class Builder:
    """The server's handle on the builder process."""

    def __init__(self, source: Path, scratch: Path) -> None:
        context = multiprocessing.get_context("spawn")
        self._connection, theirs = context.Pipe()
        self.process = context.Process(target=serve_builds, args=(theirs, source, scratch),
                                       name="press-preview-builder")
        self._busy = False
        self._sending = threading.Lock()  # the rebuilds' thread and stop() both send
        self.process.start()
        theirs.close()

    def run(self, plan: Plan) -> Iterator[Started | Proof | Built | Failed | Finished]:
        """Send a plan and give back its results until Finished (EOFError if the builder died)."""
        with self._sending:
            self._connection.send(plan)
        self._busy = True
        while True:
            result = self._connection.recv()
            yield result
            if isinstance(result, Finished):
                self._busy = False
                return

    def stop(self, grace: float = 2.0) -> None:
        """End the builder and its layout workers: asked first, then its whole process group."""
        try:
            with self._sending:
                self._connection.send(None)
        except OSError:
            pass
        self.process.join(0.2 if self._busy else grace)  # a build under way is not waited for
        pid = self.process.pid
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(pid, sig)  # the workers too, whether or not the builder is still there
            except (ProcessLookupError, PermissionError, TypeError):
                break
            self.process.join(grace)
        self.process.join()
        self._connection.close()
