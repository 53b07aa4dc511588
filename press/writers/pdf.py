"""book.pdf: the printed book, laid out part by part and joined.

Each chapter is its own WeasyPrint document, its page counter starting
where the previous part ended; a blank page goes before a chapter that
would otherwise open on a verso, so every part's first page is a recto and
its mirrored margins are right. The front matter (title page, colophon,
contents) is laid out last, when the chapters' page numbers are known, and
has no folios, so its length never shifts the body's numbering.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from press.diagnostics import Reporter
from press.fonts import check_coverage
from press.hebrew import hebrew_numeral
from press.model import Book, Chapter
from press.render import render
from press.writers import pdf_finish, print_layout, spreads
from press.writers.base import atomic_path
from press.writers.layout import lay_out, stylesheet, write_pages
from press.writers.print_layout import PrintLayout

# [print] folio -> (CSS counter style, how the contents print a number)
FOLIO_STYLES = {"arabic": ("decimal", str), "hebrew": ("hebrew", hebrew_numeral)}


@dataclass(frozen=True, slots=True)
class ContentsEntry:
    chapter: Chapter
    folio: str


@dataclass(frozen=True, slots=True)
class LaidOut:
    """A laid-out book: its pages in order, and the document their metadata comes from."""

    pages: list[Any]
    first: Any
    contents: tuple[ContentsEntry, ...]


class BookPdfWriter:
    name = "pdf"
    description = "the printable book (book.pdf)"
    output = "book.pdf"

    def write(self, book: Book, out_dir: Path, reporter: Reporter) -> list[Path]:
        check_coverage(book)
        laid_out = self.lay_out(book)
        target = out_dir / self.output
        with atomic_path(target) as temporary:
            write_pages(laid_out.pages, laid_out.first, temporary, target, **pdf_finish.options(book))
        return [target]

    def lay_out(self, book: Book) -> LaidOut:
        layout = print_layout.load(book.settings.print.layout)
        part = _Parts(book, layout)
        body, contents = part.body()
        front = part.front(contents)
        return LaidOut(front + body, part.first_document, tuple(contents))

    def single_html(self, book: Book) -> str:
        """The whole book as one HTML document (for the web, debugging and tests)."""
        layout = print_layout.load(book.settings.print.layout)
        return _Parts(book, layout).html(book.chapters, front=True, counter_start=1)


class _Parts:
    """Lays out the parts of one book with one stylesheet."""

    def __init__(self, book: Book, layout: PrintLayout) -> None:
        self.book, self.layout = book, layout
        counter_style, self.folio_text = FOLIO_STYLES[book.settings.print.folio]
        settings = book.settings.print
        self.css = [stylesheet(layout.edition, "book.css", trim=book.settings.trim_css, bleed=settings.bleed,
                               marks=settings.marks, folio_style=counter_style)]
        self.blank_page = self.document(render(layout.edition, "blank.html", book=book)).pages[0]
        self.first_document: Any = None

    def html(self, chapters: tuple[Chapter, ...], *, front: bool, counter_start: int, view=None,
             contents: tuple[ContentsEntry, ...] = ()) -> str:
        return render(self.layout.edition, "book.html", book=self.book, chapters=chapters, front=front,
                      counter_start=counter_start, contents=contents,
                      view=view or self.layout.view(self.book.languages), created=pdf_finish.created())

    def document(self, html: str) -> Any:
        return lay_out(html, self.layout.edition, self.css)

    def body(self) -> tuple[list[Any], list[ContentsEntry]]:
        pages: list[Any] = []
        contents: list[ContentsEntry] = []
        folio = 1
        for chapter in self.book.chapters:
            if folio % 2 == 0:  # would open on a verso
                pages.append(self.blank_page)
                folio += 1
            contents.append(ContentsEntry(chapter, self.folio_text(folio)))
            chapter_pages = self.chapter_pages(chapter, folio)
            pages.extend(chapter_pages)
            folio += len(chapter_pages)
        return pages, contents

    def chapter_pages(self, chapter: Chapter, folio: int) -> list[Any]:
        if self.layout.spread:
            return spreads.lay_out_chapter(self, chapter, folio)
        return self.document(self.html((chapter,), front=False, counter_start=folio)).pages

    def front(self, contents: list[ContentsEntry]) -> list[Any]:
        document = self.document(self.html((), front=True, counter_start=1, contents=tuple(contents)))
        self.first_document = document
        pages = list(document.pages)
        if len(pages) % 2:  # the body's first page must be a recto
            pages.append(self.blank_page)
        return pages
