#!/usr/bin/env python3
"""The preview's speed: from saving a chapter to its new page image in the browser.

    .venv/bin/python bench/preview.py [CHAPTER] [--times N] [--edits N] [--results FILE] [--screenshot PNG]
    .venv/bin/python bench/preview.py --times 0 --screenshot bench/results/preview.png   # the picture only

Makes the benchmark book of bench/bench.py (N copies of CHAPTER, default
the seed chapter of the shared corpus, 200 times) in a temporary folder,
starts `build.py serve` on it with an empty build cache, opens it in
Debian's headless chromium (Selenium and chromedriver), waits for the
first build, scrolls to the middle chapter and edits it N times (a word
changed to a new one, then changed back: the new word's chapter is laid
out, the old one's is in the build cache). Each time is measured from just before the
file is written to the `load` event of the first new page image in the
page (`img.dataset.loadedAt`, set by preview.js; the same clock).

Also measured on the sample (source/, copied): from starting `build.py
serve` to its study sheet's image loaded in the browser (the first view of
a sheet), and `--screenshot` saves the sample's preview as a PNG (the
README's picture). Results go to bench/results/preview.md and stdout.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import make_book

PROJECT = Path(__file__).resolve().parent.parent
SEED = PROJECT.parent / "shared" / "corpus" / "lessons-in-tanya" / "chapter-45.txt"
WAIT = 900.0

CHAPTER_PAGES = """return [...document.querySelectorAll('section[data-key="book"] figure.page[data-id]')].map(f => {
    const img = f.querySelector('img');
    return {number: +f.dataset.number, src: img.getAttribute('src'), loaded: img.complete && img.naturalWidth > 0,
            at: +(img.dataset.loadedAt || 0)};
  });"""


def browser(width: int = 1400, height: int = 1000) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--window-size={width},{height}", "--hide-scrollbars"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"),
                            options=options)


def until(check: Any, what: str, seconds: float = WAIT, step: float = 0.02) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(step)
    raise SystemExit(f"timed out waiting for {what}")


def serve(source: Path, env: dict[str, str], logs: Path) -> tuple[subprocess.Popen[bytes], str, Path]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = logs / f"serve-{port}.out"
    with out.open("wb") as stdout, (logs / f"serve-{port}.err").open("wb") as stderr:
        process = subprocess.Popen([sys.executable, str(PROJECT / "build.py"), "serve", "--source", str(source),
                                    "--port", str(port)], cwd=PROJECT, env=env, stdout=stdout, stderr=stderr)
    url = until(lambda: (m := re.search(r" at (http://\S+) ", out.read_text())) and m[1], "the server", 60)
    return process, url, out


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGINT)
    process.wait(60)


def pages(driver: Any) -> list[dict[str, Any]]:
    return driver.execute_script(CHAPTER_PAGES)


def ready(driver: Any) -> bool:
    return driver.execute_script("return document.getElementById('status').dataset.status") == "ready"


NEW_WORDS = ("thy", "yon", "our", "his", "its", "one", "all", "any")  # the length of "the": no page moves


def edit(chapter: Path, n: int) -> None:
    """Edit n (from 0): an even one changes the chapter's first "the" to a word it never had, an odd
    one changes it back."""
    text = chapter.read_text(encoding="utf-8")
    word = NEW_WORDS[(n // 2) % len(NEW_WORDS)]
    old, new = ("the", word) if n % 2 == 0 else (word, "the")
    chapter.write_text(re.sub(rf"\b{old}\b", new, text, count=1), encoding="utf-8")


def kind(n: int) -> str:
    return "new word" if n % 2 == 0 else "back"


def save_to_update(source: Path, env: dict[str, str], logs: Path, edits: int
                   ) -> tuple[list[tuple[float, float, str]], float, int]:
    """Each edit's seconds, the load average before it and the builder's account of its steps; the first
    build's seconds; the book's page count."""
    started = time.monotonic()
    process, url, out = serve(source, env, logs)
    driver = browser()
    try:
        driver.get(url)
        until(lambda: ready(driver) and pages(driver), "the first build")
        first = time.monotonic() - started
        files = sorted(p for p in source.iterdir() if p.name.startswith("chapter-"))
        chapter = files[len(files) // 2]
        number = int(re.search(r"\d+", chapter.stem)[0])  # type: ignore[index]
        book = pages(driver)
        target = (len(book) * (number - 1)) // len(files)  # about where its pages stand: scrolled into view
        driver.execute_script("document.querySelectorAll('section[data-key=\"book\"] figure.page[data-id]')"
                              f"[{target}].scrollIntoView({{block: 'center'}})")
        until(lambda: all(p["loaded"] for p in pages(driver)[target - 6:target + 8]), "the pages in view", 120)
        times = []
        for n in range(edits):
            before = {p["number"]: p["src"] for p in pages(driver)}
            time.sleep(1.0)
            load = os.getloadavg()[0]
            steps = out.read_text().count("preview: book in ")
            at = time.time() * 1000
            edit(chapter, n)

            def updated(before: dict[int, str] = before) -> float | None:
                new = [p for p in pages(driver) if p["src"] != before.get(p["number"]) and p["loaded"] and p["at"]]
                return min(p["at"] for p in new) if new else None
            loaded_at = until(updated, "the changed page", 120, 0.01)
            until(lambda: ready(driver), "the rebuild's end", 120)
            account = _account(out.read_text().split("preview: book in ")[steps:steps + 2])
            times.append(((loaded_at - at) / 1000, load, account))
            print(f"edit {n + 1}: {times[-1][0]:.2f} s (load average {load:.1f}; builder: {account})", flush=True)
        return times, first, len(book)
    finally:
        driver.quit()
        stop(process)


def _account(logs: list[str]) -> str:
    """The builder's account of one rebuild, from its output around it: the proof of the edited
    chapter's pages (if it made one), then the book's steps."""
    before, book = logs
    proof = re.findall(r"preview: proof of pages (\S+) in (.*)", before)
    book = book.partition("\n")[0]
    return f"proof of pages {proof[-1][0]}: {proof[-1][1]}; then the book: {book}" if proof else book


def first_sheet(env: dict[str, str], logs: Path, screenshot: Path | None) -> tuple[float, float]:
    """On a copy of the sample: from starting the server to its sheet's image loaded, and from saving a
    new sheet file in the running preview to its image loaded; the screenshot."""
    source = logs / "sample"
    shutil.copytree(PROJECT / "source", source)
    driver = browser(1400, 1450)  # tall enough for the sample's book and its sheet
    try:
        started = time.time()
        process, url, _ = serve(source, env, logs)
        try:
            driver.get(url)
            cold = until(lambda: loaded_image(driver, "sheet:guarded"), "the sheet", 300, 0.01) / 1000 - started
            until(lambda: ready(driver) and all(p["loaded"] for p in pages(driver)), "the sample", 300)
            if screenshot is not None:  # small pages: the book and the sheet in one picture
                driver.execute_script("const z = document.getElementById('zoom'); z.value = '180';"
                                      "z.dispatchEvent(new Event('change')); window.scrollTo(0, 0)")
                until(lambda: all(p["loaded"] for p in pages(driver)) and loaded_image(driver, "sheet:guarded"),
                      "the pages at their new size", 60)
                driver.execute_async_script("const done = arguments[arguments.length - 1];"
                                            "Promise.all([...document.images].map(i => i.decode())).then(done, done)")
                time.sleep(1.0)  # painted
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                driver.save_screenshot(str(screenshot))
            text = (source / "sheets" / "guarded.toml").read_text(encoding="utf-8")
            time.sleep(1.0)
            saved = time.time()
            (source / "sheets" / "week-2.toml").write_text(text.replace("Guarded on the Road", "Week 2"),
                                                           encoding="utf-8")
            warm = until(lambda: loaded_image(driver, "sheet:week-2"), "the new sheet", 300, 0.01) / 1000 - saved
        finally:
            stop(process)
        return cold, warm
    finally:
        driver.quit()


def loaded_image(driver: Any, key: str) -> float:
    """When the first image of an edition's section loaded (ms since the epoch), or 0."""
    return driver.execute_script(f"""const i = document.querySelector('section[data-key="{key}"] img');
        return i && i.complete && i.naturalWidth ? +(i.dataset.loadedAt || 0) : 0""")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("chapter", nargs="?", type=Path, default=SEED)
    parser.add_argument("--times", type=int, default=200, help="chapters of the benchmark book (0: only the "
                        "sample's sheet and the screenshot, no results written)")
    parser.add_argument("--edits", type=int, default=6)
    parser.add_argument("--results", type=Path, default=PROJECT / "bench" / "results" / "preview.md")
    parser.add_argument("--screenshot", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="press-preview-bench-") as scratch:
        folder = Path(scratch)
        env = {**os.environ, "PRESS_BUILD_CACHE": str(folder / "cache"), "SOURCE_DATE_EPOCH": "1700000000"}
        sheet = first_sheet(env, folder, args.screenshot)
        print(f"first view of a sheet: {sheet[0]:.2f} s from starting the server, {sheet[1]:.2f} s from saving "
              "a new sheet file in it", flush=True)
        if args.times == 0:  # the sample only (and the screenshot): nothing written to the results
            return 0
        source = make_book(args.chapter, args.times, folder)
        times, first, count = save_to_update(source, env, folder, args.edits)
    report = render(args, times, first, count, sheet)
    print(report)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(report, encoding="utf-8")
    return 0


def render(args: argparse.Namespace, times: list[tuple[float, float, str]], first: float, count: int,
           sheet: tuple[float, float]) -> str:
    chapter = args.chapter.relative_to(PROJECT.parent) if args.chapter.is_relative_to(PROJECT.parent) else args.chapter
    seconds = [t[0] for t in times]
    rows = "\n".join(f"| {n + 1} ({kind(n)}) | {t:.2f} s | {load:.1f} | {account} |"
                     for n, (t, load, account) in enumerate(times))
    new, back = seconds[::2], seconds[1::2]
    loads = [t[1] for t in times]
    return (f"# Preview: save to updated page image\n\n"
            f"`.venv/bin/python bench/preview.py` ({os.cpu_count()} cores): a book of {args.times} copies of "
            f"`{chapter}`, {count} pages; `build.py serve` with an empty build cache, headless chromium. "
            "Odd edits change a word of the middle chapter to one it never had (the chapter is laid out), "
            "even ones change it back (its pages are then found in the build cache). The load average is "
            "the whole machine's: other work shares its cores, and the wall times grow with it.\n\n"
            f"- first build, server start to the book's pages in the browser: {first:.1f} s\n"
            f"- save to the new page image loaded in the browser, {len(times)} edits of the middle chapter: "
            f"median {statistics.median(seconds):.2f} s, fastest {min(seconds):.2f} s, slowest {max(seconds):.2f} s "
            f"(a new word: median {statistics.median(new):.2f} s; back: median "
            f"{statistics.median(back) if back else float('nan'):.2f} s); load average (1 min) "
            f"{min(loads):.1f} to {max(loads):.1f}\n"
            f"- first view of a sheet (the sample's): {sheet[0]:.2f} s from starting the server to its image "
            f"loaded; {sheet[1]:.2f} s from saving a new sheet file in the running preview to its image\n\n"
            f"| edit | save to image | load average (1 min) before | the builder's steps (wall, and its CPU) |\n"
            f"|---|---|---|---|\n{rows}\n")


if __name__ == "__main__":
    sys.exit(main())
