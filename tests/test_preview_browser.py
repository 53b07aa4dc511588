"""`build.py serve` in a real browser: Debian's chromium, headless, driven by Selenium and chromedriver.

The acceptance of the preview: its page images are the PDF's pages with
their folios as printed; a saved chapter changes its page images in the
open tab without a reload; a broken chapter shows the build's error text
while the last good pages stay; the mended chapter brings the pages back;
Ctrl-C leaves no process behind.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests.conftest import build
from tests.preview_server import Served, sample_copy, start

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
WAIT = 240  # seconds: a cold build cache on a busy two-core machine


def browser() -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    assert CHROMIUM and CHROMEDRIVER, "chromium and chromium-driver are needed (make test installs them as root)"
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1300,900"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def until(check: Callable[[], Any], what: str, seconds: float = WAIT) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := check():
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


PAGES = """return [...document.querySelectorAll('section[data-key="book"] figure.page[data-id]')].map(f => {
  const img = f.querySelector('img');
  return {number: +f.dataset.number, folio: f.dataset.folio, src: img.getAttribute('src'),
          loaded: img.complete && img.naturalWidth > 0, ratio: img.naturalHeight / (img.naturalWidth || 1)};
});"""
STATUS = "return document.getElementById('status').dataset.status"
# Where page 1's empty facing page and pages 1, 2 and 3 stand, left to right.
LEFTS = """const page = n => document.querySelector(`section[data-key="book"] figure[data-number="${n}"]`);
return [page(1).parentNode.querySelector('.empty'), page(1), page(2), page(3)]
  .map(f => f.getBoundingClientRect().left)"""
ERRORS = "return [...document.querySelectorAll('#diagnostics pre.error')].map(e => e.textContent)"


@pytest.fixture()
def session(tmp_path: Path) -> Iterator[tuple[Served, Any, Path]]:
    source = sample_copy(tmp_path)
    served = start(source, tmp_path)
    driver = None
    try:
        driver = browser()
        yield served, driver, source
    finally:
        if driver is not None:
            driver.quit()
        if served.process.poll() is None:
            served.stop()


def ready_pages(driver: Any) -> list[dict[str, Any]]:
    def loaded() -> list[dict[str, Any]] | None:
        pages = driver.execute_script(PAGES)
        done = driver.execute_script(STATUS) == "ready" and pages and all(p["loaded"] for p in pages)
        return pages if done else None
    return until(loaded, "the book's page images")


def test_the_preview_follows_the_sources_in_a_real_browser(session: tuple[Served, Any, Path], tmp_path: Path
                                                             ) -> None:
    served, driver, source = session
    driver.get(served.url)
    pages = ready_pages(driver)

    # The page images are the PDF's pages, with its folios.
    out = tmp_path / "out"
    assert build("pdf", "--source", str(source), "--out", str(out)).returncode == 0
    pdf = PdfReader(out / "book.pdf")
    assert [p["number"] for p in pages] == list(range(1, len(pdf.pages) + 1))
    for page, pdf_page in zip(pages, pdf.pages, strict=True):
        box = pdf_page.mediabox
        assert page["ratio"] == pytest.approx(float(box.height) / float(box.width), rel=0.01)
        if page["folio"]:
            assert page["folio"] in pdf_page.extract_text().split(), page
    assert [p["folio"] for p in pages if p["folio"]] == ["1", "2", "3", "4"]
    empty, first, verso, recto = driver.execute_script(LEFTS)  # bound on the left: page 1 a right-hand page
    assert empty < first < verso < recto
    assert driver.execute_script("return document.querySelectorAll('section.sheet figure.page').length") == 1
    assert "fits its 1 page" in driver.find_element("css selector", "section.sheet .fit").text

    # An edited chapter: its page image changes in the open tab, without a reload; the other pages stay.
    driver.execute_script("window.notReloaded = true")
    place = """const f = document.querySelector('section[data-key="book"] figure[data-number="8"]');
               if (arguments[0]) { f.scrollIntoView(); window.scrollBy(0, -120); }
               return [window.scrollY, f.getBoundingClientRect().top]"""
    scrolled, top = driver.execute_script(place, True)
    assert scrolled > 0
    chapter = source / "01-psalm-121.md"
    original = chapter.read_text(encoding="utf-8")
    chapter.write_text(original.replace("Pilgrims sang this psalm", "Travellers sang this psalm"), encoding="utf-8")

    def changed() -> list[dict[str, Any]] | None:
        now = driver.execute_script(PAGES)
        moved = [p for p, q in zip(now, pages, strict=False) if p["src"] != q["src"]]
        return now if moved and all(p["loaded"] for p in now) and len(now) == len(pages) else None
    edited = until(changed, "the edited page's image")
    assert driver.execute_script("return window.notReloaded") is True
    assert driver.execute_script(place, False)[1] == pytest.approx(top, abs=2)  # the reader's place is kept
    moved = [p["number"] for p, q in zip(edited, pages, strict=True) if p["src"] != q["src"]]
    assert moved and set(moved) <= {5, 6}, moved  # the Psalm's pages only
    assert driver.find_elements("css selector", "figure.page.changed")

    # A broken chapter: the error as the terminal prints it; the last good pages stay.
    chapter.write_text(original.replace("number: 1\n", "number: 1\ncolour: blue\n"), encoding="utf-8")
    errors = until(lambda: driver.execute_script(ERRORS), "the error text")
    expected = f"{chapter.resolve()}:5: error [front-matter] unknown front-matter line `colour: blue`"
    assert errors[0].startswith(expected), errors
    assert errors[0] in served.stderr.read_text(encoding="utf-8").splitlines()
    assert driver.execute_script(STATUS) == "failed"
    assert [p["src"] for p in driver.execute_script(PAGES)] == [p["src"] for p in edited]

    # Mended: the error goes and the pages are those of the first build again, to the image.
    chapter.write_text(original, encoding="utf-8")
    until(lambda: not driver.execute_script(ERRORS) and driver.execute_script(STATUS) == "ready", "the mend")
    mended = ready_pages(driver)
    assert [p["src"] for p in mended] == [p["src"] for p in pages]
    assert driver.execute_script("return window.notReloaded") is True

    # A Hebrew-led book (book.toml saved): bound on the right, its spreads read right to left.
    settings = source / "book.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace('primary = "en"', 'primary = "he"'),
                        encoding="utf-8")
    until(lambda: driver.execute_script("return document.querySelector('section[data-key=\"book\"] .pages.rtl')"),
          "the right-to-left spreads")
    ready_pages(driver)
    empty, first, verso, recto = driver.execute_script(LEFTS)  # page 1 a left-hand page; spreads from the right
    assert empty > first > verso > recto

    # Ctrl-C: a clean exit, and no process left behind.
    status, strays = served.stop()
    assert status == 0 and not strays
