"""The parts of the printed book, and the book as one HTML document.

`Parts` lays out, with one stylesheet, what book.pdf is made of: each
chapter as its own WeasyPrint document (or, in a spread layout, one per
language side: press/editions/book/spreads.py), the front matter, the
blank page before a chapter that would open on a verso. The parallel
build's workers use it for each piece (press/editions/book/worker.py);
`lay_out_book` uses it for the whole book in one process, the reference.
`single_html` is the same book as one HTML document, which plain
WeasyPrint lays out page for page like the parts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from press.diagnostics import BuildError, Diagnostic
from press.editions.book import layouts, spreads
from press.editions.book.layouts import FOLIO_STYLES, PrintLayout
from press.engine import finish, preflight
from press.engine.fonts import FACES, Face, css_stack, stacks_for
from press.engine.pdf import lay_out, stylesheet
from press.engine.render import render
from press.model import Book, Chapter


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


def _stylesheet_context(book: Book, *, folios: bool = True) -> dict[str, object]:
    """What book.css is rendered with besides its fonts: the trim, bleed, marks and folios."""
    settings = book.settings.print
    return {"trim": book.settings.trim_css, "bleed": settings.bleed, "marks": settings.marks,
            "folio_style": FOLIO_STYLES[settings.folio][0], "folios": folios,
            "hebrew_families": css_stack(stacks_for(book)["he"]),
            "english_folio_style": FOLIO_STYLES[settings.english_folio or settings.folio][0]}


def book_stylesheet(book: Book, layout: PrintLayout, *, folios: bool = True) -> Any:
    """book.css for WeasyPrint, its fonts from the font cache. book.pdf draws its own crop marks, outside
    the bleed (press/engine/preflight.py); under pdf/x-4 the colours are K-only in the output profile."""
    condition = preflight.output_condition(book.settings)
    context = {**_stylesheet_context(book, folios=folios), "marks": False,
               "cmyk_profile": condition.profile.as_uri() if condition else ""}
    return stylesheet(layout.edition, "book.css", **context)


def single_stylesheet(book: Book, font_url: Callable[[Face], str]) -> str:
    """book.css as text, each face at `font_url(face)`: the stylesheet of `single_html`."""
    layout = layouts.load(book.settings.print.layout)
    return render(layout.edition, "book.css", faces=FACES, font_url=font_url, **_stylesheet_context(book))


def single_html(book: Book) -> str:
    """The whole book as one HTML document (`build.py html`: for the web, debugging and tests)."""
    layout = layouts.load(book.settings.print.layout)
    if layout.spread:
        raise BuildError(Diagnostic(
            "single-html", "error", f"the `{layout.name}` layout interleaves two documents (one per "
            "language) and cannot be written as one HTML document; choose another [print] layout",
            book.settings.path))
    contents = tuple(ContentsEntry(chapter) for chapter in book.chapters)
    # The front matter counts 0: page 1 is the first page of the body (book.css).
    return Parts.html_of(book, layout, book.chapters, front=True, counter_start=0, contents=contents)


def lay_out_book(book: Book) -> LaidOut:
    """The book's WeasyPrint pages, laid out in this process: the reference the parallel build is
    tested against."""
    parts = Parts(book, layouts.load(book.settings.print.layout))
    body, contents = parts.body()
    front = parts.front(contents)
    return LaidOut(front + body, parts.first_document, tuple(contents))


class Parts:
    """Lays out the parts of one book with one stylesheet.

    `folios=False` leaves the page numbers out (the parallel build adds them later).
    """

    def __init__(self, book: Book, layout: PrintLayout, *, folios: bool = True) -> None:
        self.book, self.layout = book, layout
        self.folio_text = FOLIO_STYLES[book.settings.print.folio][1]
        self.css = [book_stylesheet(book, layout, folios=folios)]
        self.blank_document = self.document(render(layout.edition, "blank.html", book=book,
                                                   created=finish.created()))
        self.blank_page = self.blank_document.pages[0]
        self.first_document: Any = None

    @staticmethod
    def html_of(book: Book, layout: PrintLayout, chapters: tuple[Chapter, ...], *, front: bool,
                counter_start: int, view=None, contents: tuple[ContentsEntry, ...] = (),
                link_targets: tuple[str, ...] = ()) -> str:
        return render(layout.edition, "book.html", book=book, chapters=chapters, front=front,
                      counter_start=counter_start, contents=contents, link_targets=link_targets,
                      view=view or layout.view(book.languages), created=finish.created())

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
