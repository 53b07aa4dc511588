"""book.pdf: the printed book, laid out part by part and joined.

Each chapter is its own WeasyPrint document; a blank page goes before a
chapter that would otherwise open on a verso, so every part's first page
is a recto and its mirrored margins and running heads are right. The
front matter (title page, colophon, contents) does not count: the body's
first page is page 1, and the front matter is laid out last, when the
chapters' page numbers are known.

Two ways to get there, one book:

- `lay_out` (the reference, in one process): each chapter's page counter
  starts where the previous part ended, and the pages are joined with
  `Document.copy`. The tests compare `write` with it.
- `write` (book.pdf): chapters are laid out in parallel, without folios,
  by worker processes, each result cached by its content; the folios are
  stamped afterwards from a few laid-out samples and overlaid
  (press/writers/pdf_build.py, folio_stamps.py, pdf_join.py).

`single_html` is the same book as one HTML document (`build.py html`),
which plain WeasyPrint lays out page for page like the parts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from press import preflight
from press.diagnostics import BuildError, Diagnostic, Reporter
from press.fonts import check_coverage
from press.model import Book, Chapter
from press.render import render
from press.writers import pdf_finish, print_layout, spreads
from press.writers.layout import lay_out, stylesheet
from press.writers.print_layout import FOLIO_STYLES, PrintLayout

# [print] folio -> (CSS counter style, how the contents print a number)

# The book's paths of the current process, by book: `build.py` (all) lets
# the booklet impose the book.pdf it has just written instead of laying
# the book out again.
_WRITTEN: dict[int, Path] = {}


@dataclass(frozen=True, slots=True)
class ContentsEntry:
    chapter: Chapter
    folio: str = ""  # "": left to the layout (one document: `target-counter`)


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
        from press.writers.pdf_build import build_pdf

        check_coverage(book)
        preflight.output_condition(book.settings)  # its profile made once, before the workers need it
        target = out_dir / self.output
        build_pdf(book, target)
        _WRITTEN[id(book)] = target
        return [target]

    def lay_out(self, book: Book) -> LaidOut:
        """The book's WeasyPrint pages, laid out in this process (the reference)."""
        parts = Parts(book, print_layout.load(book.settings.print.layout))
        body, contents = parts.body()
        front = parts.front(contents)
        return LaidOut(front + body, parts.first_document, tuple(contents))

    def single_html(self, book: Book) -> str:
        """The whole book as one HTML document (for the web, debugging and tests)."""
        layout = print_layout.load(book.settings.print.layout)
        if layout.spread:
            raise BuildError(Diagnostic(
                "single-html", "error", f"the `{layout.name}` layout interleaves two documents (one per "
                "language) and cannot be written as one HTML document; choose another [print] layout",
                book.settings.path))
        contents = tuple(ContentsEntry(chapter) for chapter in book.chapters)
        # The front matter counts 0: page 1 is the first page of the body (book.css).
        return Parts.html_of(book, layout, book.chapters, front=True, counter_start=0, contents=contents)


def written(book: Book) -> Path | None:
    """The book.pdf this process has written for `book`, if it still exists."""
    path = _WRITTEN.get(id(book))
    return path if path is not None and path.exists() else None


def book_stylesheet(book: Book, layout: PrintLayout, *, folios: bool = True) -> Any:
    settings = book.settings.print
    condition = preflight.output_condition(book.settings)  # pdf/x-4: its CMYK profile, K-only colour
    return stylesheet(layout.edition, "book.css", trim=book.settings.trim_css, bleed=settings.bleed,
                      folio_style=FOLIO_STYLES[settings.folio][0], folios=folios,
                      cmyk_profile=condition.profile.as_uri() if condition else "")


class Parts:
    """Lays out the parts of one book with one stylesheet.

    `folios=False` leaves the page numbers out (the parallel build adds them later).
    """

    def __init__(self, book: Book, layout: PrintLayout, *, folios: bool = True) -> None:
        self.book, self.layout = book, layout
        self.folio_text = FOLIO_STYLES[book.settings.print.folio][1]
        self.css = [book_stylesheet(book, layout, folios=folios)]
        self.blank_document = self.document(render(layout.edition, "blank.html", book=book,
                                                   created=pdf_finish.created()))
        self.blank_page = self.blank_document.pages[0]
        self.first_document: Any = None

    @staticmethod
    def html_of(book: Book, layout: PrintLayout, chapters: tuple[Chapter, ...], *, front: bool,
                counter_start: int, view=None, contents: tuple[ContentsEntry, ...] = (),
                link_targets: tuple[str, ...] = ()) -> str:
        return render(layout.edition, "book.html", book=book, chapters=chapters, front=front,
                      counter_start=counter_start, contents=contents, link_targets=link_targets,
                      view=view or layout.view(book.languages), created=pdf_finish.created())

    def html(self, chapters: tuple[Chapter, ...], *, front: bool, counter_start: int, view=None,
             contents: tuple[ContentsEntry, ...] = (), link_targets: tuple[str, ...] = ()) -> str:
        return self.html_of(self.book, self.layout, chapters, front=front, counter_start=counter_start,
                            view=view, contents=contents, link_targets=link_targets)

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

    def front(self, contents: list[ContentsEntry], link_targets: tuple[str, ...] = ()) -> list[Any]:
        document = self.document(self.html((), front=True, counter_start=1, contents=tuple(contents),
                                           link_targets=link_targets))
        self.first_document = document
        pages = list(document.pages)
        if len(pages) % 2:  # the body's first page must be a recto
            pages.append(self.blank_page)
        return pages
