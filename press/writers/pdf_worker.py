"""The work of one process of the parallel book build.

A worker loads the book's stylesheets and fonts once (the pool's
initializer, `start`), then lays out what it is given: a chapter's body
without folios, the folios of a run of pages ("furniture"), or the front
matter. Each task returns PDF bytes written through
`press.writers.layout.write_pages`, so every piece gets the Hebrew text
layer and the embedded-font check.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from press.model import Book
from press.render import render
from press.writers import pdf_finish, print_layout

_STATE: dict[str, Any] = {}


@dataclass(frozen=True, slots=True)
class ChapterPiece:
    """A chapter's body laid out without folios: its PDF, and its pages' names."""

    pdf: bytes
    names: tuple[str, ...]  # each page's @page name: what decides its folio

    @property
    def pages(self) -> int:
        return len(self.names)


def start(book: Book) -> None:
    """The pool's initializer: keep the book; stylesheets and fonts load on first use, once."""
    _STATE.clear()
    _STATE["book"] = book


def _parts(folios: bool) -> Any:
    from press.writers.pdf import Parts

    key = f"parts-{folios}"
    if key not in _STATE:
        book = _STATE["book"]
        _STATE[key] = Parts(book, print_layout.load(book.settings.print.layout), folios=folios)
    return _STATE[key]


def lay_out_chapter(index: int) -> ChapterPiece:
    """Chapter `index` of the book, its folios left out (they depend on the chapters before it)."""
    parts = _parts(folios=False)
    pages = parts.chapter_pages(parts.book.chapters[index], 1)
    names = tuple(page._page_box.page_type.name for page in pages)
    return ChapterPiece(_write(pages, parts.blank_document), names)


def lay_out_furniture(first_folio: int, names: tuple[str, ...]) -> bytes:
    """One page per name, with the folio book.css gives a page of that name, counting from `first_folio`."""
    parts = _parts(folios=True)
    html = render(parts.layout.edition, "furniture.html", book=parts.book, names=names, first_folio=first_folio)
    document = parts.document(html)
    if len(document.pages) != len(names):
        raise RuntimeError(f"furniture: {len(document.pages)} pages laid out for {len(names)}")
    return _write(document.pages, document)


def lay_out_front(contents: tuple[tuple[int, str], ...]) -> bytes:
    """The front matter, its contents with the given (chapter index, folio), padded to an even length.

    Its PDF is the joined book's base: the metadata and catalogue come from it.
    """
    from press.writers.pdf import ContentsEntry

    parts = _parts(folios=True)
    chapters = parts.book.chapters
    entries = [ContentsEntry(chapters[index], folio) for index, folio in contents]
    pages = parts.front(entries, link_targets=tuple(chapter.slug for chapter in chapters))
    return _write(pages, parts.first_document)


def _write(pages: list[Any], first: Any) -> bytes:
    from press.writers.layout import write_pages

    with tempfile.TemporaryDirectory(prefix="press-part-") as scratch:
        target = Path(scratch) / "part.pdf"
        write_pages(pages, first, target, target, **pdf_finish.options(_STATE["book"]))
        return target.read_bytes()


def lay_out_blank() -> bytes:
    """The blank page put before a chapter that would open on a verso (marks and bleed, no folio)."""
    parts = _parts(folios=True)
    return _write([parts.blank_page], parts.blank_document)
