"""The work of one process of the parallel book build.

A worker loads the book's stylesheets and fonts once (the pool's
initializer, `start`), then lays out what it is given: a chapter's body
without folios, the folios of a run of pages ("furniture"), or the front
matter. It also reads off what the EPUB's page-list needs (each page's
first text, each folio as printed). Each task returns PDF bytes written through
`press.engine.pdf.write_pages`, so every piece gets the Hebrew text
layer and the embedded-font check.
"""

from __future__ import annotations

import gc
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from press.editions.book import layouts
from press.engine import finish, folio_stamps
from press.engine.orphans import die_with_parent
from press.engine.pagetrace import Place, folio, trace_pages
from press.engine.pool import collector_paused
from press.engine.render import render
from press.model import Book

_STATE: dict[str, Any] = {}


@dataclass(frozen=True, slots=True)
class ChapterPiece:
    """A chapter's body laid out without folios: its PDF, and its pages' names."""

    pdf: bytes
    names: tuple[str, ...]  # each page's @page name: what decides its folio
    # Where each page's first text of the model begins (epub_pages.trace_pages): the EPUB's page-list.
    starts: tuple[Place | None, ...] = ()

    @property
    def pages(self) -> int:
        return len(self.names)


def start(book: Book) -> None:
    """Keep the book (a worker process, or this one for a single task); stylesheets and fonts load on
    first use, once."""
    _STATE.clear()
    _STATE["book"] = book


def start_process(book: Book) -> None:
    """The initializer of a worker process: `start`, and the cyclic collector off between tasks."""
    die_with_parent()  # no worker outlives a killed build
    start(book)
    # Frozen, what the worker inherits from the parent is never walked by a collection (nor its pages
    # copied by the walk). Every task of this pool is a collector_paused one, which collects what the
    # task before it left as it starts: the collector is needed at no other time.
    gc.freeze()
    gc.disable()


def _parts(folios: bool) -> Any:
    from press.editions.book.parts import Parts

    key = f"parts-{folios}"
    if key not in _STATE:
        book = _STATE["book"]
        _STATE[key] = Parts(book, layouts.load(book.settings.print.layout), folios=folios)
    return _STATE[key]


@collector_paused
def lay_out_chapter(index: int) -> ChapterPiece:
    """Chapter `index` of the book, its folios left out (they depend on the chapters before it)."""
    parts = _parts(folios=False)
    pages = parts.chapter_pages(parts.book.chapters[index], 1)
    names = tuple(page._page_box.page_type.name for page in pages)
    # Traced here, from the pages just laid out, so the EPUB never lays the book out again.
    starts = trace_pages(parts.book.chapters[index], pages)
    return ChapterPiece(_write(pages, parts.blank_document), names, starts)


@collector_paused
def lay_out_furniture(chapters: tuple[tuple[int, tuple[str, ...]], ...]
                      ) -> tuple[bytes, list[tuple[int, list[str]]]]:
    """The folios of a run of consecutive chapters, each given as (first folio, its pages' @page names),
    as one document: one page per name, with the folio book.css gives a page of that name. Between two
    chapters a filler page stands for each page of the book between them (the blank page before a
    chapter that would open on a verso), so the page counter runs on as in the book and every page
    keeps its side; the fillers are never used. Returns the PDF and, per chapter, the offset of its
    first page in it and each of its pages' folio as printed ("" for none), for the EPUB's page-list.

    One document for the run, not one per chapter: each WeasyPrint document has a fixed cost of
    about 60 ms, more than its few pages of folios."""
    parts = _parts(folios=True)
    names: list[str] = []
    offsets: list[int] = []
    folio_next = chapters[0][0]
    for first_folio, chapter_names in chapters:
        if first_folio < folio_next:
            raise RuntimeError(f"furniture: folio {first_folio} given after {folio_next - 1}")
        names.extend("" for _ in range(first_folio - folio_next))  # fillers, counted like a body page
        offsets.append(len(names))
        names.extend(chapter_names)
        folio_next = first_folio + len(chapter_names)
    html = render(parts.layout.edition, "furniture.html", book=parts.book, names=names,
                  first_folio=chapters[0][0], created=finish.created())
    document = parts.document(html)
    if len(document.pages) != len(names):
        raise RuntimeError(f"furniture: {len(document.pages)} pages laid out for {len(names)}")
    labels = [folio(page._page_box) for page in document.pages]
    return _write(document.pages, document), [
        (offset, labels[offset:offset + len(chapter_names)])
        for offset, (_, chapter_names) in zip(offsets, chapters, strict=True)]


@collector_paused
def lay_out_folio_samples(names: tuple[str, ...], digit_counts: tuple[int, ...]) -> tuple[bytes, dict]:
    """The samples folios are stamped from (press/engine/folio_stamps.py): for each digit count, one
    document of a figures page and two pages (even and odd folio) of each page name, joined into one
    PDF. Returns it and, JSON-ready, each sample's (page index, name, folio) and the figures pages."""
    import io

    import pikepdf

    parts = _parts(folios=True)
    samples: list[tuple[int, str, int]] = []
    figures: list[int] = []
    laid: list[Any] = []  # pikepdf copies pages lazily: each stays open until the join is saved
    with pikepdf.new() as joined:
        try:
            for digits in digit_counts:
                pages = folio_stamps.sample_names(names, digits)
                if pages is None:
                    return b"", {"pages": [], "figures": []}  # not stampable: the folios are laid out
                html = render(parts.layout.edition, "furniture.html", book=parts.book, figures=True,
                              names=[names[0], *(name for name, _ in pages)],
                              first_folio=folio_stamps.first_sample_folio(digits), created=finish.created())
                document = parts.document(html)
                laid.append(pikepdf.open(io.BytesIO(_write(document.pages, document))))
                figures.append(len(joined.pages))
                joined.pages.extend(laid[-1].pages)
                samples.extend((figures[-1] + 1 + n, name, folio) for n, (name, folio) in enumerate(pages))
            out = io.BytesIO()
            joined.save(out, deterministic_id=True)
        finally:
            for pdf in laid:
                pdf.close()
    return out.getvalue(), {"pages": samples, "figures": figures}


@collector_paused
def lay_out_front(contents: tuple[tuple[int, str], ...]) -> tuple[bytes, int]:
    """The front matter, its contents with the given (chapter index, folio), padded to an even length;
    and its page count.

    Its PDF is the joined book's base: the metadata and catalogue come from it.
    """
    from press.editions.book.parts import ContentsEntry

    parts = _parts(folios=True)
    chapters = parts.book.chapters
    entries = [ContentsEntry(chapters[index], folio) for index, folio in contents]
    pages = parts.front(entries, link_targets=tuple(chapter.slug for chapter in chapters))
    return _write(pages, parts.first_document), len(pages)


def _write(pages: list[Any], first: Any) -> bytes:
    from press.engine.pdf import write_pages

    with tempfile.TemporaryDirectory(prefix="press-part-") as scratch:
        target = Path(scratch) / "part.pdf"
        write_pages(pages, first, target, target, **finish.options(_STATE["book"]))
        return target.read_bytes()


@collector_paused
def lay_out_blank() -> tuple[bytes, None]:
    """The blank page put before a chapter that would open on a verso (marks and bleed, no folio)."""
    parts = _parts(folios=True)
    return _write([parts.blank_page], parts.blank_document), None
