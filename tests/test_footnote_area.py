"""A page's footnote area measured once per set of footnotes (press/engine/footnote_area.py): the same
pages as WeasyPrint's own measure, which lays every footnote of the page out again at each change.

Its speed is measured by bench/scale.py, not here."""

from __future__ import annotations

import hashlib
import inspect
import io
from collections.abc import Callable
from pathlib import Path

import pytest

from press.diagnostics import Reporter
from press.editions.book import worker
from press.engine import footnote_area
from press.readers import read_book

# sha256 of the WeasyPrint method footnote_area reproduces, and of the block layout whose stacking of
# margin-less footnotes it sums: a change to either must be read before updating the pin.
PINNED = {
    "_update_footnote_area": "2e317e4b066fb80cb369a41cd6f054a127722f9961c18ef4d6e1eef93673c4c1",
    "block_container_layout": "65842ca53a8391ebad539e7ff642eec2f429e981df4396590c37c7b0a0e524dc",
    # make_page lays the page's final area out (a copy of the one measured) by block_level_layout:
    # footnote_area makes that area from the measured footnotes instead.
    "make_page": "656f183328e8b1b56311a342621442056c067422958dcaf6730acdfb6c7b8971",
}


def _digest(function: object) -> str:
    return hashlib.sha256(inspect.getsource(inspect.unwrap(function)).encode()).hexdigest()


def test_weasyprint_measures_the_footnote_area_as_pinned() -> None:
    from weasyprint.layout import LayoutContext
    from weasyprint.layout.block import block_container_layout
    from weasyprint.layout.page import make_page

    footnote_area.install()
    found = {"_update_footnote_area": _digest(LayoutContext._update_footnote_area),
             "block_container_layout": _digest(block_container_layout), "make_page": _digest(make_page)}
    assert found == PINNED, "WeasyPrint's footnote area changed: re-check press/engine/footnote_area.py"


def _chapter(folder: Path) -> Path:
    """Notes called many to a paragraph (each paragraph moves pages with its notes), notes of one line
    and of several, a Hebrew note and a note with emphasis."""
    folder.mkdir()
    body = ["An introduction to a chapter of many notes."]
    texts = []
    for first in range(1, 241, 12):
        body += [" ".join(f"word{'s' * (first % 3)}.{n}" for n in range(first, first + 12)), "שִׁיר לַמַּעֲלוֹת"]
    for n in range(1, 241):
        text = f"Note {n}." if n % 4 else f"Note {n}, a longer note that runs over two or three lines of the " \
            "foot of the page, as commentary in a footnote does when it quotes a verse. " * (1 + n % 3)
        texts.append(f"{n}. {'אָמַר רַבִּי שִׁמְעוֹן' if n % 7 == 0 else text}")
    (folder / "chapter-1.txt").write_text("\n\n".join([*body, "Notes", *texts]) + "\n", encoding="utf-8")
    (folder / "book.toml").write_text('title = "Notes"\ntitle_he = "הערות"\nauthor = "Test"\n', encoding="utf-8")
    return folder


def _laid_out(source: Path) -> tuple[int, bytes]:
    worker.start(read_book(source, Reporter(io.StringIO())))
    piece = worker.lay_out_chapter(0)
    worker.start(None)  # type: ignore[arg-type]
    return piece.pages, piece.pdf


def test_the_pages_are_weasyprints_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint.layout.page as page
    from weasyprint.layout import LayoutContext

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    source = _chapter(tmp_path / "source")
    footnote_area.install()
    made: list[bool] = []
    final_area = footnote_area._final_area
    monkeypatch.setattr(footnote_area, "_final_area", lambda *args: _recorded(final_area, made, *args))
    measured = _laid_out(source)
    # Most pages' final areas are made of the measured footnotes (a page without notes has none).
    assert sum(made) >= measured[0] - 2, f"{sum(made)} of {len(made)} final areas made from the measures"
    monkeypatch.setattr(LayoutContext, "_update_footnote_area", inspect.unwrap(LayoutContext._update_footnote_area))
    monkeypatch.setattr(page, "block_level_layout", inspect.unwrap(page.block_level_layout))
    original = _laid_out(source)
    assert measured[0] == original[0] > 10
    assert measured[1] == original[1], "the footnote area's measure changed the pages"


def _recorded(final_area: Callable[..., object], made: list[bool], *args: object) -> object:
    area = final_area(*args)
    made.append(area is not None)
    return area
