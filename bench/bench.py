#!/usr/bin/env python3
"""Book-scale benchmark: a large book made by repeating one chapter.

    .venv/bin/python bench/bench.py [CHAPTER] [--times N] [--repeat N] [--results FILE]

CHAPTER (default: the sample's first chapter, source/01-psalm-121.md) is
read at run time and repeated N times into a temporary source folder
(never into the repository). Measured, each as its own process tree, with
wall time, pages per second, peak memory of the whole tree (the sum of
the resident sizes of the process and all its descendants, polled from
/proc every 20 ms) and file size:

1. one WeasyPrint pass over `build.py html`'s book.html (the baseline);
2. `build.py pdf`, cold (empty build cache);
3. `build.py pdf` again after editing one chapter;
4. `build.py epub` of the same book;
5. `build.py epub` again after editing another chapter (subsets and cover from the cache).

6. `build.py pdf` in the facing layout, cold and after an edit.

With `--repeat N` the first two are measured N times, alternately (this
machine's speed drifts by a tenth between minutes), and the fastest of
each is reported, with every time in its notes and the highest peak of
memory. The results go to bench/results/latest.md (and stdout).

    .venv/bin/python bench/bench.py [CHAPTER] --layout LAYOUT [--times N] [--repeat N]

measures one `[print] layout` alone: `build.py pdf` cold (fastest of
`--repeat`), again with nothing changed (every chapter from the cache) and
after editing one chapter, into bench/results/LAYOUT.md.

    .venv/bin/python bench/bench.py [CHAPTER] --epub [--times N] [--repeat N] [--edits N]

measures the EPUB rows alone, after an unmeasured `build.py pdf` (the
EPUB's page-list reads the printed pages): `build.py epub` cold (nothing of
the EPUB in the cache; fastest of `--repeat`), with nothing changed, and
after editing one chapter (a new edit each time; the median of `--edits`,
default 5). The last EPUB is then compared with a cold build of the same
sources, byte for byte. Results in bench/results/epub.md.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BOOK_TOML = ('title = "A Long Book"\ntitle_he = "סֵפֶר אָרֹךְ"\nauthor = "Bench"\nprimary = "en"\n'
             '[print]\ntrim = "5.5in 8.5in"\nlayout = "stacked"\n')
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


@dataclass(frozen=True)
class Run:
    label: str
    seconds: float
    peak_mb: float
    pages: int
    size: int
    note: str = ""
    cpu: float = 0.0  # user + system seconds of the process tree (less sensitive to the machine's load)

    def row(self) -> str:
        rate = f"{self.pages / self.seconds:.1f}" if self.pages else "–"
        size = f"{self.size / 1e6:.1f} MB" if self.size else "–"
        return (f"| {self.label} | {self.seconds:.1f} s | {rate} | {self.peak_mb:.0f} MB | {self.pages or '–'} "
                f"| {size} | {self.note} |")


def make_book(chapter: Path, times: int, folder: Path) -> Path:
    source = folder / "source"
    source.mkdir()
    text = FRONT_MATTER.sub("", chapter.read_text(encoding="utf-8"))
    for number in range(1, times + 1):
        front = f"---\ntitle: Chapter {number}\ntitle_he: פֶּרֶק {number}\nnumber: {number}\n---\n\n"
        (source / f"chapter-{number:04d}{chapter.suffix}").write_text(front + text, encoding="utf-8")
    (source / "book.toml").write_text(BOOK_TOML, encoding="utf-8")
    return source


def edit_one_chapter(source: Path) -> Path:
    """Change one word in the middle chapter (its length stays about the same)."""
    files = sorted(p for p in source.iterdir() if p.name.startswith("chapter-"))
    target = files[len(files) // 2]
    text = target.read_text(encoding="utf-8")
    target.write_text(re.sub(r"\bthe\b", "thy", text, count=1), encoding="utf-8")
    return target


def tree_rss(root: int) -> int:
    """Resident bytes of `root` and every descendant, from /proc."""
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) * 1024 if "VmRSS" in status else 0
            for task in Path(f"/proc/{pid}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, AttributeError):
            continue
    return total


def measure(label: str, command: list[str], env: dict[str, str], output: Path | None) -> tuple[Run, str]:
    started, used = time.monotonic(), _children_cpu()
    process = subprocess.Popen(command, env=env, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss(process.pid))
        time.sleep(0.02)
    seconds, cpu = time.monotonic() - started, _children_cpu() - used
    stdout = process.stdout.read() if process.stdout else ""
    if process.returncode:
        raise SystemExit(f"{label}: {' '.join(command)} exited {process.returncode}")
    pages = size = 0
    if output is not None and output.suffix == ".pdf":
        import pikepdf

        with pikepdf.open(output) as pdf:
            pages = len(pdf.pages)
    if output is not None:
        size = output.stat().st_size
    found = re.search(r"(\d+) from the cache, (\d+) laid out", stdout)
    note = f"cache: {found.group(1)} chapters hit, {found.group(2)} laid out" if found else ""
    return Run(label, seconds, peak / 1e6, pages, size, note, cpu), stdout


def _children_cpu() -> float:
    """CPU seconds of every child waited for so far (a build's workers are waited for by the build)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def fastest(runs: list[Run]) -> Run:
    """The fastest of repeated runs (as timeit reports), with every time in its notes; its peak memory
    is the highest of them all."""
    best = min(runs, key=lambda run: run.seconds)
    if len(runs) == 1:
        return best
    times = ", ".join(f"{run.seconds:.1f}" for run in runs)
    return replace(best, peak_mb=max(run.peak_mb for run in runs),
                   note="; ".join(filter(None, [best.note, f"fastest of {len(runs)}: {times} s"])))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapter", nargs="?", type=Path, default=PROJECT / "source" / "01-psalm-121.md")
    parser.add_argument("--times", type=int, default=200, help="how many copies of the chapter (default 200)")
    parser.add_argument("--results", type=Path, default=PROJECT / "bench" / "results" / "latest.md")
    parser.add_argument("--repeat", type=int, default=1,
                        help="measure the WeasyPrint pass and the cold build this many times, alternately, "
                             "and report the fastest of each (default 1)")
    parser.add_argument("--layout", help="measure only the PDF of this [print] layout: cold, unchanged, after "
                                         "one edit (results in bench/results/LAYOUT.md unless --results)")
    parser.add_argument("--epub", action="store_true",
                        help="measure only the EPUB: cold, unchanged and after one edit (bench/results/epub.md "
                             "unless --results)")
    parser.add_argument("--edits", type=int, default=5,
                        help="with --epub: how many one-chapter edits to measure (the median is reported)")
    args = parser.parse_args()
    if args.layout:
        return layout_only(args)
    if args.epub:
        return epub_only(args)
    with tempfile.TemporaryDirectory(prefix="press-bench-") as scratch:
        folder = Path(scratch)
        source = make_book(args.chapter.resolve(), args.times, folder)
        out = folder / "out"
        env = {**os.environ, "PRESS_BUILD_CACHE": str(folder / "cache"), "SOURCE_DATE_EPOCH": "1700000000"}
        build = [PYTHON, str(PROJECT / "build.py")]
        subprocess.run([*build, "html", "--source", str(source), "--out", str(out)], env=env, check=True,
                       capture_output=True)
        passes, colds = [], []
        for _ in range(args.repeat):  # alternately, so that a slow spell of the machine hits both
            passes.append(measure("WeasyPrint, one pass over book.html (baseline)",
                                  [PYTHON, "-m", "weasyprint", str(out / "book.html"), str(folder / "one.pdf")],
                                  env, folder / "one.pdf")[0])
            shutil.rmtree(folder / "cache", ignore_errors=True)
            colds.append(measure("build.py pdf, cold", [*build, "pdf", "--source", str(source), "--out", str(out)],
                                 env, out / "book.pdf")[0])
        runs = [fastest(passes), fastest(colds)]
        edited = edit_one_chapter(source)
        runs.append(measure(f"build.py pdf after editing {edited.name}",
                            [*build, "pdf", "--source", str(source), "--out", str(out)], env, out / "book.pdf")[0])
        runs.append(measure("build.py epub", [*build, "epub", "--source", str(source), "--out", str(out)], env,
                            out / "book.epub")[0])
        # Deliverable of issue 16: the EPUB rebuilt after one edit (its page-list lays the chapter out again;
        # the font subsets and the cover come from the build cache).
        edited = edit_one_chapter(source)
        runs.append(measure(f"build.py epub after editing {edited.name}",
                            [*build, "epub", "--source", str(source), "--out", str(out)], env, out / "book.epub")[0])
        runs.extend(facing_runs(source, folder, build, env))
    report = render(args, runs)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(report, encoding="utf-8")
    print(report)
    return 0


def facing_runs(source: Path, folder: Path, build: list[str], env: dict[str, str]) -> list[Run]:
    """The same book in the facing layout (issue 13): cold, with its own cache, then after one edit."""
    toml = source / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('layout = "stacked"', 'layout = "facing"'),
                    encoding="utf-8")
    env = {**env, "PRESS_BUILD_CACHE": str(folder / "cache-facing")}
    out = folder / "out-facing"
    command = [*build, "pdf", "--source", str(source), "--out", str(out)]
    runs = [measure("build.py pdf, facing layout, cold", command, env, out / "book.pdf")[0]]
    edited = edit_one_chapter(source)
    runs.append(measure(f"build.py pdf, facing layout, after editing {edited.name}", command, env,
                        out / "book.pdf")[0])
    return runs


def layout_only(args: argparse.Namespace) -> int:
    """One layout's PDF builds of the book: cold (fastest of --repeat), from the cache, after one edit."""
    results = args.results if "--results" in sys.argv else PROJECT / "bench" / "results" / f"{args.layout}.md"
    with tempfile.TemporaryDirectory(prefix="press-bench-") as scratch:
        folder = Path(scratch)
        source = make_book(args.chapter.resolve(), args.times, folder)
        toml = source / "book.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace('layout = "stacked"', f'layout = "{args.layout}"'),
                        encoding="utf-8")
        env = {**os.environ, "PRESS_BUILD_CACHE": str(folder / "cache"), "SOURCE_DATE_EPOCH": "1700000000"}
        out = folder / "out"
        command = [PYTHON, str(PROJECT / "build.py"), "pdf", "--source", str(source), "--out", str(out)]
        label = f"build.py pdf, {args.layout} layout"
        colds = []
        for _ in range(args.repeat):
            shutil.rmtree(folder / "cache", ignore_errors=True)
            colds.append(measure(f"{label}, cold", command, env, out / "book.pdf")[0])
        runs = [fastest(colds), measure(f"{label}, nothing changed (cached)", command, env, out / "book.pdf")[0]]
        edited = edit_one_chapter(source)
        runs.append(measure(f"{label}, after editing {edited.name}", command, env, out / "book.pdf")[0])
    report = render_layout(args, runs)
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(report, encoding="utf-8")
    print(report)
    return 0


def epub_only(args: argparse.Namespace) -> int:
    """The EPUB's builds of the book: cold (fastest of --repeat), unchanged, after one edit (median of
    --edits); the last compared byte for byte with a cold build of the same sources."""
    results = args.results if "--results" in sys.argv else PROJECT / "bench" / "results" / "epub.md"
    with tempfile.TemporaryDirectory(prefix="press-bench-") as scratch:
        folder = Path(scratch)
        source = make_book(args.chapter.resolve(), args.times, folder)
        cache, printed = folder / "cache", folder / "cache-print"
        env = {**os.environ, "PRESS_BUILD_CACHE": str(cache), "SOURCE_DATE_EPOCH": "1700000000"}
        build = [PYTHON, str(PROJECT / "build.py")]
        out = folder / "out"
        subprocess.run([*build, "pdf", "--source", str(source), "--out", str(folder / "pdf")], env=env, check=True,
                       capture_output=True)
        shutil.copytree(cache, printed)  # the print pieces only: nothing of the EPUB yet
        command = [*build, "epub", "--source", str(source), "--out", str(out)]
        colds = []
        for _ in range(args.repeat):
            shutil.rmtree(cache)
            shutil.copytree(printed, cache)
            colds.append(measure("build.py epub, cold", command, env, out / "book.epub")[0])
        runs = [fastest(colds), measure("build.py epub, nothing changed", command, env, out / "book.epub")[0]]
        edits = []
        for _ in range(args.edits):
            edited = edit_one_chapter(source)
            edits.append(measure(f"build.py epub after editing {edited.name}", command, env, out / "book.epub")[0])
        runs.append(median(edits))
        cold_env = {**env, "PRESS_BUILD_CACHE": str(folder / "cache-cold")}
        shutil.copytree(printed, folder / "cache-cold")
        subprocess.run([*build, "epub", "--source", str(source), "--out", str(folder / "cold")], env=cold_env,
                       check=True, capture_output=True)
        same = (out / "book.epub").read_bytes() == (folder / "cold" / "book.epub").read_bytes()
    report = render_epub(args, runs, same)
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(report, encoding="utf-8")
    print(report)
    return 0 if same else 1


def median(runs: list[Run]) -> Run:
    """The median of repeated runs by time (the middle one; of an even count the lower), with every
    time in its notes; its peak memory is the highest of them all."""
    middle = sorted(runs, key=lambda run: run.seconds)[(len(runs) - 1) // 2]
    if len(runs) == 1:
        return middle
    times = ", ".join(f"{run.seconds:.2f}" for run in runs)
    cpus = ", ".join(f"{run.cpu:.2f}" for run in runs)
    return replace(middle, label=re.sub(r"editing \S+", "editing one chapter", middle.label),
                   peak_mb=max(run.peak_mb for run in runs),
                   note=f"median of {len(runs)}: {times} s (CPU {cpus} s)")


def render_epub(args: argparse.Namespace, runs: list[Run], same: bool) -> str:
    cold, unchanged, edit = runs
    return "\n".join([
        "# Benchmark: the EPUB", "",
        f"`{_shown(args.chapter)}` repeated {args.times} times; {os.cpu_count()} cores; "
        f"command: `.venv/bin/python bench/bench.py {' '.join(sys.argv[1:])}` (after an unmeasured "
        "`build.py pdf`: the page-list reads the printed pages).", "",
        "| run | time | pages/s | peak memory (process tree) | pages | file | notes |",
        "|---|---|---|---|---|---|---|",
        *(run.row().replace(f"| {run.seconds:.1f} s |", f"| {run.seconds:.2f} s |") for run in runs), "",
        f"- EPUB cold: {cold.seconds:.2f} s (target < 5 s), CPU {cold.cpu:.2f} s",
        f"- EPUB after one edit: {edit.seconds:.2f} s (target < 2 s), CPU {edit.cpu:.2f} s; nothing changed: "
        f"{unchanged.seconds:.2f} s, CPU {unchanged.cpu:.2f} s",
        f"- the EPUB after the edits is byte for byte a cold build's of the same sources: {'yes' if same else 'NO'}",
        f"- load (`uptime`) at the end: {_load()}", "",
    ])


def render_layout(args: argparse.Namespace, runs: list[Run]) -> str:
    cold, cached, edit = (run.seconds for run in runs)
    return "\n".join([
        f"# Benchmark: the {args.layout} layout", "",
        f"`{_shown(args.chapter)}` repeated {args.times} times; {os.cpu_count()} cores; "
        f"command: `.venv/bin/python bench/bench.py {' '.join(sys.argv[1:])}`.", "",
        "| run | time | pages/s | peak memory (process tree) | pages | file | notes |",
        "|---|---|---|---|---|---|---|",
        *(run.row() for run in runs), "",
        f"- nothing changed / cold: {cached / cold:.3f}; after one edit / cold: {edit / cold:.3f}",
        f"- load (`uptime`) at the end: {_load()}", "",
    ])


def _shown(chapter: Path) -> Path:
    chapter = chapter.resolve()
    return chapter.relative_to(PROJECT.parent) if chapter.is_relative_to(PROJECT.parent) else chapter


def render(args: argparse.Namespace, runs: list[Run]) -> str:
    baseline, cold, edit = runs[0].seconds, runs[1].seconds, runs[2].seconds
    shown = _shown(args.chapter)
    lines = [
        "# Benchmark", "",
        f"`{shown}` repeated {args.times} times; {os.cpu_count()} cores; "
        f"command: `.venv/bin/python bench/bench.py {' '.join(sys.argv[1:])}`.", "",
        "| run | time | pages/s | peak memory (process tree) | pages | file | notes |",
        "|---|---|---|---|---|---|---|",
        *(run.row() for run in runs), "",
        f"- cold build / WeasyPrint pass: {cold / baseline:.2f} (target ≤ 0.5)",
        f"- rebuild after one edit / WeasyPrint pass: {edit / baseline:.3f} (target ≤ 0.1)",
        f"- peak memory of the cold build: {runs[1].peak_mb:.0f} MB (target < 400 MB)",
        f"- EPUB: {runs[3].seconds:.1f} s (target < 5 s)",
        f"- EPUB rebuilt after one edit: {runs[4].seconds:.1f} s (target < 2 s)",
        f"- facing layout, cold / stacked cold: {runs[5].seconds / cold:.2f} "
        f"({runs[5].pages} pages against {runs[1].pages})",
        f"- load (`uptime`) at the end: {_load()}", "",
    ]
    return "\n".join(lines)


def _load() -> str:
    """The machine's load averages: on a shared machine, the context of every time above."""
    loadavg = Path("/proc/loadavg")
    return " ".join(loadavg.read_text().split()[:3]) if loadavg.exists() else "?"


if __name__ == "__main__":
    sys.exit(main())
