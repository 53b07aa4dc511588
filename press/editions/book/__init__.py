"""The printed book: book.pdf (`build.py pdf`).

The modules of this package are its own; another edition uses only the
functions below, which import what they need when called (importing this
package loads no layout engine):

- `page_starts(book)`: where each printed page begins in the model (the
  EPUB's page-list and page-break markers);
- `book_pdf(book, scratch, reporter)`: the book's PDF, the one this run
  has already written or a new one in `scratch` (the booklet imposes it);
- `single_html(book)`, `single_stylesheet(book, font_url)`: the book as
  one HTML document and its stylesheet (`build.py html`);
- `book_pieces(book)`, `join_book(book, pieces, target)`, `chapter_proof(...)`:
  book.pdf in its two halves, and an edited chapter's pages before the
  join (`build.py serve`, which keeps the pieces from one build to the next).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from press.diagnostics import Reporter
    from press.editions.book.build import Pieces
    from press.engine.fonts import Face
    from press.engine.pagetrace import PageStart
    from press.model import Book


def page_starts(book: Book) -> tuple[PageStart, ...]:
    """Every printed page with a folio and model text, in order (see pages.py)."""
    from press.editions.book.pages import page_starts as traced

    return traced(book)


def book_pdf(book: Book, scratch: Path, reporter: Reporter) -> Path:
    """The book.pdf this process has written for `book`, else one laid out into `scratch`."""
    from press.editions.book.writer import BookPdfWriter, written

    return written(book) or BookPdfWriter().write(book, scratch, reporter)[0]


def single_html(book: Book) -> str:
    """The whole book as one HTML document (see parts.py)."""
    from press.editions.book.parts import single_html as html

    return html(book)


def single_stylesheet(book: Book, font_url: Callable[[Face], str]) -> str:
    """book.css as text, each face at `font_url(face)`: the stylesheet of `single_html`."""
    from press.editions.book.parts import single_stylesheet as css

    return css(book, font_url)


def book_pieces(book: Book) -> Pieces:
    """Every piece of book.pdf, laid out or from the build cache, after the checks the pdf writer
    makes first (font coverage, the output profile)."""
    from press.checks import check_coverage
    from press.editions.book.build import pieces
    from press.engine import preflight

    check_coverage(book)
    preflight.output_condition(book.settings)
    return pieces(book)


def join_book(book: Book, pieces: Pieces, target: Path) -> tuple[str, ...]:
    """book.pdf joined from `pieces` into `target`, as the pdf writer does; each page's folio as
    printed ("" for none)."""
    from press.editions.book.build import join_pieces, page_labels

    join_pieces(book, pieces, target)
    return page_labels(pieces)


def chapter_proof(book: Book, before: Pieces, indices: list[int], target: Path) -> list[int] | None:
    """The pages of the chapters at `indices` as book.pdf will print them, in `target`, drawn with
    the folios of `before` (the book's last pieces); their indices in book.pdf, or None when the
    chapters no longer fill the same pages (see build.chapter_proof)."""
    from press.editions.book.build import chapter_proof as proof

    return proof(book, before, indices, target)


def warm_up(book: Book) -> None:
    """Load in this process what laying out a chapter of `book` needs (its layout's stylesheets, the
    fonts, WeasyPrint's first-use costs: about 0.3 s of CPU) by laying out its shortest chapter and
    dropping it: the preview's builder does it while idle after its first build, so that the first
    edit's proof costs what the next ones do."""
    from press.editions.book import worker

    if book.chapters:
        worker.start(book)
        worker.lay_out_chapter(min(range(len(book.chapters)), key=lambda i: len(book.chapters[i].blocks)))
