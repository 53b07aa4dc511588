#!/usr/bin/env python3
"""The local pool against a Dask LocalCluster: the benchmark book, and a library of small books.

    nice .venv/bin/python bench/executors.py [CHAPTER] [--times N] [--books N] [--workers N] [--results FILE]

1. The benchmark book (bench/bench.py's: CHAPTER, by default the shared
   corpus's Lessons in Tanya chapter 45, else the sample's first chapter,
   repeated N times), `build.py pdf` cold with the local pool, then cold
   with `--executor dask://` on a LocalCluster of `--workers` processes of
   one thread each, started here; the two book.pdf must be byte-identical.
2. A library of `--books` copies of the sample book: `build.py library`,
   cold, its book.pdf only and then every output, locally and on the cluster.

Each run has a build cache of its own (cold). The peak memory is the build
process tree's only: the cluster's workers are not in it. The results go to
bench/results/dask.md (and stdout), with the load (`uptime`) before and after.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import PROJECT, PYTHON, Run, _load, make_book, measure

TANYA = PROJECT.parent / "shared" / "corpus" / "lessons-in-tanya" / "chapter-45.txt"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapter", nargs="?", type=Path,
                        default=TANYA if TANYA.is_file() else PROJECT / "source" / "01-psalm-121.md")
    parser.add_argument("--times", type=int, default=200, help="chapters of the benchmark book (default 200)")
    parser.add_argument("--books", type=int, default=20, help="books of the library (default 20)")
    parser.add_argument("--workers", type=int, default=2, help="the LocalCluster's worker processes (default 2)")
    parser.add_argument("--results", type=Path, default=PROJECT / "bench" / "results" / "dask.md")
    args = parser.parse_args()
    load_before = _load()
    # The cluster's workers import the project (README: Dask); they are spawned with this sys.path.
    sys.path.insert(0, str(PROJECT))
    from distributed import LocalCluster

    with tempfile.TemporaryDirectory(prefix="press-bench-dask-") as scratch, \
            LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                         dashboard_address=":0") as cluster:
        folder = Path(scratch)
        dask = ["--executor", f"dask://{cluster.scheduler_address.removeprefix('tcp://')}"]
        warm_up(folder, dask)
        runs = book_runs(args, folder, dask)
        runs += library_runs(args, folder, dask)
    report = render(args, runs, load_before)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(report, encoding="utf-8")
    print(report)
    return 0


def warm_up(folder: Path, dask: list[str]) -> None:
    """The sample book once on the cluster, not measured: a cluster's workers are long-lived, and the
    first task of each imports WeasyPrint (the local pool's workers are forked with it imported)."""
    subprocess.run([PYTHON, str(PROJECT / "build.py"), "pdf", "--out", str(folder / "warm-up"), *dask],
                   env=_env(folder / "cache-warm-up"), cwd=PROJECT, check=True, capture_output=True)


def book_runs(args: argparse.Namespace, folder: Path, dask: list[str]) -> list[Run]:
    source = make_book(args.chapter.resolve(), args.times, folder)
    runs = []
    for label, extra in (("local pool", []), (f"LocalCluster, {args.workers} workers", dask)):
        slug = "dask" if extra else "local"
        out = folder / f"out-{slug}"
        command = [PYTHON, str(PROJECT / "build.py"), "pdf", "--source", str(source), "--out", str(out), *extra]
        runs.append(measure(f"book of {args.times} chapters, build.py pdf, cold, {label}", command,
                            _env(folder / f"cache-book-{slug}"), out / "book.pdf")[0])
    if (folder / "out-local" / "book.pdf").read_bytes() != (folder / "out-dask" / "book.pdf").read_bytes():
        raise SystemExit("the book.pdf laid out on the cluster differs from the local pool's")
    return runs


def library_runs(args: argparse.Namespace, folder: Path, dask: list[str]) -> list[Run]:
    books = folder / "books"
    for number in range(1, args.books + 1):  # each its own title: no book finds another's pieces cached
        book = shutil.copytree(PROJECT / "source", books / f"book-{number:02d}")
        toml = (book / "book.toml").read_text(encoding="utf-8")
        toml = re.sub(r'^title = ".*"$', f'title = "Sample book {number}"', toml, count=1, flags=re.M)
        (book / "book.toml").write_text(toml, encoding="utf-8")
    runs = []
    for outputs in ("pdf", "all"):
        for label, extra in (("local pool", []), (f"LocalCluster, {args.workers} workers", dask)):
            slug = f"{outputs}-{'dask' if extra else 'local'}"
            command = [PYTHON, str(PROJECT / "build.py"), "library", str(books), "--outputs", outputs,
                       "--out", str(folder / f"lib-{slug}"), *extra]
            run, stdout = measure(f"library of {args.books} sample books, outputs: {outputs}, cold, {label}",
                                  command, _env(folder / f"cache-lib-{slug}"), None)
            laid = sum(int(n) for n in re.findall(r"(\d+) laid out;", stdout))
            built = re.search(r"library: (\d+ of \d+) books built", stdout)
            runs.append(replace(run, note=f"{built.group(1) if built else '?'} books built; "
                                          f"{laid} chapters laid out in all"))
    return runs


def _env(cache: Path) -> dict[str, str]:
    env = {**os.environ, "PRESS_BUILD_CACHE": str(cache), "SOURCE_DATE_EPOCH": "1700000000"}
    env.pop("PRESS_EXECUTOR", None)
    return env


def render(args: argparse.Namespace, runs: list[Run], load_before: str) -> str:
    chapter = args.chapter.resolve()
    shown = chapter.relative_to(PROJECT.parent) if chapter.is_relative_to(PROJECT.parent) else chapter
    local, cluster = runs[0].seconds, runs[1].seconds
    lines = [
        "# The local pool against a Dask LocalCluster", "",
        f"`{shown}` repeated {args.times} times, and {args.books} copies of source/ (each its own title); "
        f"{os.cpu_count()} cores, "
        f"shared with other work; command: `{' '.join(['nice .venv/bin/python bench/executors.py', *sys.argv[1:]])}`.",
        "",
        "| run | time | pages/s | peak memory (build process tree; not the cluster's workers) | pages | file "
        "| notes |",
        "|---|---|---|---|---|---|---|",
        *(run.row() for run in runs), "",
        f"- the book on the cluster / on the local pool: {cluster / local:.2f}; the two book.pdf byte-identical",
        f"- library (book.pdf only), cluster / local: {runs[3].seconds / runs[2].seconds:.2f}; "
        f"library (every output): {runs[5].seconds / runs[4].seconds:.2f}",
        f"- load (`uptime`): {load_before} before, {_load()} after", "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
