"""book.epub: the e-reader edition, one XHTML file per chapter.

The same Book as the printed edition, rendered through templates/epub/:
a cover, a title page, the navigation document and one file per chapter,
each with its footnotes as pop-up asides at its end. `[epub] layout` names
the template of templates/epub/layouts/ that sets out each block. The
printed edition's page boundaries are marked where its pages begin (the
book edition's `page_starts`, marked by pagebreaks.py) and listed in the
nav's page-list. The book's fonts are embedded, subset to the characters
it uses. ebooklib writes the package (OPF, NCX, manifest, spine); the
result is then re-packed (container.py) with the files made here, so that
the same sources and SOURCE_DATE_EPOCH give the same bytes. In the
re-packing our navigation document (templates/epub/nav.xhtml) takes the
place of ebooklib's, which writes each title as plain text and would let
a Hebrew title scramble its English neighbour.

What is slow is kept in the build cache by what it depends on, so that
after a one-chapter edit only that chapter is made again: each chapter's
file (pieces.py), the font subsets (webfonts.py), the cover (cover.py) and
each entry's compressed bytes (zipwriter.py).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from posixpath import relpath

from press.checks import check_coverage
from press.diagnostics import Reporter
from press.editions.base import atomic_path
from press.editions.book import page_starts
from press.editions.epub.container import build_time, repack, tag_package, tidy_xhtml
from press.editions.epub.cover import COVER_FILE, cover_job
from press.editions.epub.package import (
    CSS_FILE,
    NAV_FILE,
    Document,
    Listed,
    build_package,
    document_file,
    package_path,
    reading_order,
    write_package,
)
from press.editions.epub.pagebreaks import mark_chapter
from press.editions.epub.pieces import ChapterFile, chapter_files
from press.engine.fonts import Face, css_stack, ensure_static_fonts, faces_for, stacks_for
from press.engine.pagetrace import PageStart
from press.engine.pool import background_pool
from press.engine.render import render
from press.engine.webfonts import Subsetting, font_url, model_characters, used_characters
from press.model import DIRECTION, Book, Chapter, Lang, note_refs

EDITION = "epub"
TITLE_FILE = "text/title.xhtml"
COVER_PAGE = "text/cover.xhtml"
OTHER: dict[str, Lang] = {"en": "he", "he": "en"}


@dataclass(frozen=True, slots=True)
class Rendered:
    """Everything the package is made of, rendered but not yet packed."""

    documents: tuple[Document, ...]  # the title page, then the chapters
    nav: str
    css: str


@dataclass(frozen=True, slots=True)
class TocEntry:
    """A line of the contents: the chapter and the link to its file."""

    titles: tuple[tuple[Lang, str], ...]  # (lang, text), the primary language first
    href: str


@dataclass(frozen=True, slots=True)
class PageEntry:
    """A line of the page-list: a printed page's number and where it begins."""

    label: str
    href: str
    lang: Lang  # a Hebrew folio is Hebrew text


class EpubWriter:
    name = "epub"
    description = "the e-reader edition (book.epub)"
    output = "book.epub"

    def write(self, book: Book, out_dir: Path, reporter: Reporter) -> list[Path]:
        check_coverage(book)
        ensure_static_fonts()
        faces = faces_for(book)  # Keter YG only in a book that prints cantillation
        layout = book.settings.epub.layout  # type: ignore[attr-defined]
        # The font subsets and the cover take most of the time and need no rendered document: they
        # are made in the background while the book is rendered.
        with background_pool(len(faces) + 1) as pool:
            subsetting = Subsetting(pool, faces, model_characters(book))
            cover_future = cover_job(pool, book, reading_order(book, book.title, book.title_he))  # cached
            starts = page_starts(book)
            chapters = chapter_files(book, starts, lambda chapter, own: _chapter_file(book, chapter, own, layout))
            front = front_documents(book)
            nav = nav_document(book, starts)
            used = used_characters([d.body for d in front] + [nav])
            fonts = subsetting.result(used + "".join(c.characters for c in chapters.files))
            cover = cover_future.result()
        when = build_time()
        listed = (*(d.listed for d in front), *(chapter_listed(book, chapter) for chapter in book.chapters))
        raw = io.BytesIO()
        write_package(raw, build_package(book, listed, fonts, when), when)
        files = {package_path(d.listed.file_name): document_file(d) for d in front}
        files |= {package_path(chapter_file(c)): f.data for c, f in zip(book.chapters, chapters.files, strict=True)}
        files |= {package_path(CSS_FILE): stylesheet(book, faces).encode(), package_path(COVER_FILE): cover,
                  package_path(NAV_FILE): tidy_xhtml(nav.encode("utf-8"))}
        files |= {package_path(font.file_name): font.data for font in fonts}
        files |= tag_package(raw, book.primary, DIRECTION[book.primary])
        target = out_dir / self.output
        with atomic_path(target) as temporary:
            repack(raw, temporary, files)
        return [target]


def render_book(book: Book, faces: tuple[Face, ...], starts: tuple[PageStart, ...] = ()) -> Rendered:
    """Every document of the book, with the printed edition's pages marked (none from the cache)."""
    layout = book.settings.epub.layout  # type: ignore[attr-defined]
    chapters = tuple(chapter_document(book, chapter, starts, layout) for chapter in book.chapters)
    return Rendered((*front_documents(book), *chapters), nav_document(book, starts), stylesheet(book, faces))


def stylesheet(book: Book, faces: tuple[Face, ...]) -> str:
    return render(EDITION, "epub.css", faces=faces, font_url=font_url(CSS_FILE), layout=book.settings.epub.layout,
                  hebrew_families=css_stack(stacks_for(book)["he"]))


def front_documents(book: Book) -> tuple[Document, Document]:
    return cover_document(book), title_document(book)


def _chapter_file(book: Book, chapter: Chapter, starts: tuple[PageStart, ...], layout: str) -> ChapterFile:
    document = chapter_document(book, chapter, starts, layout)
    return ChapterFile(document_file(document), used_characters([document.body]))


def nav_document(book: Book, starts: tuple[PageStart, ...] = ()) -> str:
    """The whole navigation document (it replaces ebooklib's: see templates/epub/nav.xhtml)."""
    entries = [_toc_entry(book, chapter) for chapter in book.chapters]
    files = {chapter.slug: _href(NAV_FILE, chapter_file(chapter)) for chapter in book.chapters}
    pages = [PageEntry(s.label, f"{files[s.chapter]}#{s.anchor}", _label_lang(book, s.label)) for s in starts]
    return render(EDITION, "nav.xhtml", book=book, chapters=entries, pages=pages, layout=book.settings.epub.layout,
                  title_page=_href(NAV_FILE, TITLE_FILE), cover_page=_href(NAV_FILE, COVER_PAGE),
                  stylesheet=_href(NAV_FILE, CSS_FILE))


def _label_lang(book: Book, label: str) -> Lang:
    return "he" if any("\u05d0" <= char <= "\u05ea" for char in label) else book.primary


def _toc_entry(book: Book, chapter: Chapter) -> TocEntry:
    return TocEntry(reading_order(book, chapter.title, chapter.title_he), _href(NAV_FILE, chapter_file(chapter)))


def title_document(book: Book) -> Document:
    titles = reading_order(book, book.title, book.title_he)
    body = render(EDITION, "title.xhtml", book=book, titles=titles, settings=book.settings,
                  layout=book.settings.epub.layout)  # type: ignore[attr-defined]
    return Document(Listed("titlepage", TITLE_FILE, titles[0][1], book.primary), body)


def cover_document(book: Book) -> Document:
    alt = reading_order(book, book.title, book.title_he)[0][1]
    body = render(EDITION, "cover.xhtml", book=book, image=_href(COVER_PAGE, COVER_FILE), alt=alt)
    return Document(Listed("cover", COVER_PAGE, alt, book.primary), body)


def chapter_document(book: Book, chapter: Chapter, starts: tuple[PageStart, ...], layout: str) -> Document:
    marked_missing = book.settings.notes.missing == "mark"  # type: ignore[attr-defined]
    notes = tuple(note for note in chapter.notes if note.runs is not None or marked_missing)
    titles = reading_order(book, chapter.title, chapter.title_he)
    marked, head_breaks = mark_chapter(chapter, starts, book.primary)
    calls = {lang: [ref for b in chapter.blocks for p in b.paragraphs if p.lang == lang for ref in note_refs(p.runs)]
             for lang in ("en", "he")}
    body = render(EDITION, "chapter.xhtml", book=book, chapter=marked, titles=titles, notes=notes, layout=layout,
                  languages=(book.primary, OTHER[book.primary]), head_breaks=head_breaks, calls=calls)
    return Document(chapter_listed(book, chapter), body)


def chapter_listed(book: Book, chapter: Chapter) -> Listed:
    titles = reading_order(book, chapter.title, chapter.title_he)
    return Listed(chapter.slug, chapter_file(chapter), titles[0][1], book.primary)


def chapter_file(chapter: Chapter) -> str:
    return f"text/{chapter.slug}.xhtml"


def _href(origin: str, target: str) -> str:
    """A link from one file of the package to another, relative to the first."""
    return relpath(target, Path(origin).parent.as_posix())
