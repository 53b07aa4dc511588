"""book.pdf: the printed book, laid out part by part and joined.

The front matter and each chapter are separate WeasyPrint documents. A
chapter's page counter starts where the previous part ended, and a blank
page is put before a chapter that would otherwise open on a left-hand page,
so every part's first page is a recto and its mirrored margins are right.
"""

from __future__ import annotations

from pathlib import Path

from press.diagnostics import Reporter
from press.fonts import check_coverage
from press.model import Book, Chapter
from press.render import render
from press.writers.base import atomic_path
from press.writers.layout import join_and_write, lay_out, stylesheet


class BookPdfWriter:
    name = "pdf"
    description = "the printable book (book.pdf)"
    edition = "book"
    output = "book.pdf"

    def write(self, book: Book, out_dir: Path, reporter: Reporter) -> list[Path]:
        check_coverage(book)
        documents = self.lay_out(book)
        target = out_dir / self.output
        with atomic_path(target) as temporary:
            join_and_write(documents, temporary, target)
        return [target]

    def lay_out(self, book: Book) -> list:
        css = [stylesheet(self.edition, trim=book.settings.trim_css)]
        documents = [self._part(book, (), css, front=True, first_page=1)]
        documents.append(self._blank(book, css))  # the title page's verso
        folio = 1
        for chapter in book.chapters:
            if folio % 2 == 0:  # would open on a verso
                documents.append(self._blank(book, css))
                folio += 1
            documents.append(self._part(book, (chapter,), css, front=False, first_page=folio))
            folio += len(documents[-1].pages)
        return documents

    def single_html(self, book: Book) -> str:
        """The whole book as one HTML document (for the web, debugging and tests)."""
        return render(self.edition, "book.html", book=book, chapters=book.chapters, front=True, first_page=1)

    def _part(self, book: Book, chapters: tuple[Chapter, ...], css: list, *, front: bool, first_page: int):
        html = render(self.edition, "book.html", book=book, chapters=chapters, front=front, first_page=first_page)
        return lay_out(html, self.edition, css)

    def _blank(self, book: Book, css: list):
        return lay_out(render(self.edition, "blank.html", book=book), self.edition, css)
