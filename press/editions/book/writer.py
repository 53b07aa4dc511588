"""book.pdf: the printed book, laid out part by part and joined.

Each chapter is its own WeasyPrint document; a blank page goes before a
chapter that would otherwise open on a verso, so every part's first page
is a recto and its mirrored margins and running heads are right. The
front matter (title page, colophon, contents) does not count: the body's
first page is page 1, and the front matter is laid out last, when the
chapters' page numbers are known.

Two ways to get there, one book:

- `lay_out` (the reference, in one process: parts.py): each chapter's
  page counter starts where the previous part ended, and the pages are
  joined with `Document.copy`. The tests compare `write` with it.
- `write` (book.pdf): chapters are laid out in parallel, without folios,
  by worker processes, each result cached by its content; the folios are
  stamped afterwards from a few laid-out samples and overlaid
  (press/editions/book/build.py; press/engine/folio_stamps.py, join.py).
"""

from __future__ import annotations

from pathlib import Path

from press.checks import check_coverage
from press.diagnostics import Reporter
from press.editions.book.parts import LaidOut, lay_out_book
from press.engine import preflight
from press.model import Book

# The book's paths of the current process, by book: `build.py` (all) lets
# the booklet impose the book.pdf it has just written instead of laying
# the book out again.
_WRITTEN: dict[int, Path] = {}


class BookPdfWriter:
    name = "pdf"
    description = "the printable book (book.pdf)"
    output = "book.pdf"

    def write(self, book: Book, out_dir: Path, reporter: Reporter) -> list[Path]:
        from press.editions.book.build import build_pdf

        check_coverage(book)
        preflight.output_condition(book.settings)  # its profile made once, before the workers need it
        target = out_dir / self.output
        build_pdf(book, target)
        _WRITTEN[id(book)] = target
        return [target]

    def lay_out(self, book: Book) -> LaidOut:
        """The book's WeasyPrint pages, laid out in this process (the reference)."""
        return lay_out_book(book)


def written(book: Book) -> Path | None:
    """The book.pdf this process has written for `book`, if it still exists."""
    path = _WRITTEN.get(id(book))
    return path if path is not None and path.exists() else None
