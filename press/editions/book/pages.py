"""Where the printed book's pages begin in the model: what the EPUB's page-list is made of."""

from __future__ import annotations

from press.engine.pagetrace import PageStart, page_starts_of
from press.model import Book


def page_starts(book: Book) -> tuple[PageStart, ...]:
    """Every printed page that has a folio and model text, in order.

    Read from the parallel print build (press/editions/book/build.py): its
    workers trace each chapter's pages as they lay them out and the build
    cache keeps the result, so after book.pdf this costs no layout at all.
    """
    from press.editions.book.build import printed_pages

    return tuple(PageStart(label, physical, slug, *place)
                 for physical, label, slug, place in printed_pages(book) if place is not None and label)


def reference_page_starts(book: Book) -> tuple[PageStart, ...]:
    """`page_starts` traced from the book laid out in one process (parts.lay_out_book): slow, for tests."""
    from press.editions.book.parts import lay_out_book

    return page_starts_of(book.chapters, lay_out_book(book).pages)
