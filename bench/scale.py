#!/usr/bin/env python3
"""The scaling run: how build time and memory grow with notes, text and chapters.

    .venv/bin/python bench/scale.py [--notes 1000,3000,10000] [--megabytes 1,5,20]
                                    [--chapters 50,200,800] [--chapter FILE] [--results FILE]

Each axis is grown alone, in a temporary folder (bench/inputs.py makes the sources):

- notes: one chapter with N notes, `build.py pdf` (cold cache), then `build.py epub` (its
  page-list comes from the print pieces just cached) and `build.py model`;
- megabytes: one chapter of N MB of text, `build.py model`;
- chapters: N copies of a chapter (default the shared seed chapter, else the sample's first),
  `build.py pdf` cold and `build.py model`.

Each run is a process tree measured for wall time, CPU time (user + system of the tree: the
machine is shared, so wall time also counts other sessions' work) and peak memory: the tree's (the
sum of the resident sizes, polled from /proc as bench.py does, which counts the pages forked workers
share once per process) and its largest process's (GNU time's maximum resident size). Each row
after the first of an axis gives the ratios to the row before it: size, wall time, CPU time and
the largest process's memory; a cost that grows linearly
has time ratios near the size ratio (less while fixed start-up costs dominate). `uptime`'s load
is written with the figures. An axis given as an empty list is skipped. The results go to
bench/results/scaling.md (and stdout).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import inputs

from bench import tree_rss

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SEED = PROJECT.parent / "shared" / "corpus" / "lessons-in-tanya" / "chapter-45.txt"


@dataclass(frozen=True)
class Row:
    axis: str
    size: float
    command: str
    wall: float
    cpu: float
    peak_mb: float
    largest_mb: float
    note: str = ""


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float, float, float, str]:
    """(wall s, CPU s of the process tree, peak MB of the tree, peak MB of its largest process, its
    stdout's last book.pdf line, or for a command that failed, its exit status and the last line of its
    standard error).

    The tree's peak sums resident sizes, so it counts the pages forked workers share with their parent
    once per process; the largest process's peak (GNU time's maximum resident size, which covers the
    descendants it waited for) is what one process needed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    with (tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err,
          tempfile.NamedTemporaryFile("r") as largest):
        timed = ["/usr/bin/time", "-f", "%M", "-o", largest.name, *command]
        process = subprocess.Popen(timed, env=env, cwd=PROJECT, stdout=out, stderr=err)
        peak = 0
        while process.poll() is None:
            peak = max(peak, tree_rss(process.pid))
            time.sleep(0.05)
        wall = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        lines = [line for line in out.read().splitlines() if line.startswith("book.pdf:")]
        errors = err.read().strip().splitlines()
        largest_kb = next((int(line) for line in largest.read().split() if line.isdigit()), 0)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if process.returncode:  # one failed size is reported as such; the rest of the run goes on
        failure = f"FAILED: exit {process.returncode}: {errors[-1] if errors else ''}"
        return wall, cpu, peak / 1e6, largest_kb / 1e3, failure
    return wall, cpu, peak / 1e6, largest_kb / 1e3, lines[-1] if lines else ""


def build(command: str, source: Path, out: Path, env: dict[str, str]) -> tuple[float, float, float, float, str]:
    args = [PYTHON, str(PROJECT / "build.py"), command, "--source", str(source)]
    if command != "model":
        args += ["--out", str(out)]
    return measure(args, env)


def run_axis(axis: str, sizes: list[float], make, commands: tuple[str, ...], scratch: Path) -> list[Row]:
    rows = []
    for size in sizes:
        folder = scratch / f"{axis}-{size:g}"
        source = make(folder / "source", size)
        env = {**os.environ, "PRESS_BUILD_CACHE": str(folder / "cache"), "SOURCE_DATE_EPOCH": "1700000000"}
        for command in commands:
            wall, cpu, peak, largest, summary = build(command, source, folder / "out", env)
            pages = summary.split(" pages", 1)[0].removeprefix("book.pdf: ") if summary.startswith("book") else ""
            note = summary if summary.startswith("FAILED") else f"{pages} pages" if pages else ""
            rows.append(Row(axis, size, command, wall, cpu, peak, largest, note))
            print(f"{axis} {size:g}: {command} {wall:.1f} s wall, {cpu:.1f} s CPU, {peak:.0f} MB, "
                  f"largest process {largest:.0f} MB {note}", flush=True)
    return rows


def render(rows: list[Row], loads: list[str], argv: list[str]) -> str:
    lines = ["# Scaling", "",
             f"Command: `.venv/bin/python bench/scale.py {' '.join(argv)}`; {os.cpu_count()} cores, shared.",
             "Load (`uptime`) before and after: " + "; ".join(loads), "",
             "| axis | size | command | wall | CPU | peak memory (tree) | largest process | ratio size | ratio wall "
             "| ratio CPU | ratio memory (largest) | notes |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    previous: dict[tuple[str, str], Row] = {}
    for row in rows:
        before = previous.get((row.axis, row.command))
        ratios = ("–",) * 4 if before is None else (
            f"{row.size / before.size:.1f}", f"{row.wall / before.wall:.1f}", f"{row.cpu / before.cpu:.1f}",
            f"{row.largest_mb / before.largest_mb:.1f}")
        lines.append(f"| {row.axis} | {row.size:g} | {row.command} | {row.wall:.1f} s | {row.cpu:.1f} s "
                     f"| {row.peak_mb:.0f} MB | {row.largest_mb:.0f} MB | {' | '.join(ratios)} | {row.note} |")
        previous[(row.axis, row.command)] = row
    return "\n".join([*lines, ""])


def numbers(text: str) -> list[float]:
    return [float(part) for part in text.split(",") if part.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=numbers, default=numbers("1000,3000,10000"))
    parser.add_argument("--megabytes", type=numbers, default=numbers("1,5,20"))
    parser.add_argument("--chapters", type=numbers, default=numbers("50,200,800"))
    parser.add_argument("--chapter", type=Path, default=SEED if SEED.is_file() else
                        PROJECT / "source" / "01-psalm-121.md")
    parser.add_argument("--results", type=Path, default=PROJECT / "bench" / "results" / "scaling.md")
    args = parser.parse_args()
    loads = [_load()]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="press-scale-") as scratch:
        folder = Path(scratch)
        rows += run_axis("notes", args.notes, lambda f, n: inputs.notes_chapter(f, int(n)),
                         ("pdf", "epub", "model"), folder)
        rows += run_axis("megabytes", args.megabytes, inputs.text_chapter, ("model",), folder)
        rows += run_axis("chapters", args.chapters, lambda f, n: inputs.chapters_book(f, int(n), args.chapter),
                         ("pdf", "model"), folder)
    loads.append(_load())
    report = render(rows, loads, sys.argv[1:])
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(report, encoding="utf-8")
    print(report)
    return 0


def _load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


if __name__ == "__main__":
    sys.exit(main())
