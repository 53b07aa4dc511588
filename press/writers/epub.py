"""book.epub: the e-reader edition, one XHTML file per chapter.

The same Book as the printed edition, rendered through templates/epub/:
a title page, the navigation document and one file per chapter, each with
its footnotes as pop-up asides at its end. The book's fonts are embedded,
subset to the characters it uses. ebooklib writes the package (OPF, NCX,
manifest, spine); the result is then re-packed (press/writers/epub_zip.py)
so that the same sources and SOURCE_DATE_EPOCH give the same bytes. In the
re-packing our navigation document (templates/epub/nav.xhtml) takes the
place of ebooklib's, which writes each title as plain text and would let
a Hebrew title scramble its English neighbour.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from posixpath import relpath

from press.diagnostics import Reporter
from press.fonts import Face, check_coverage, ensure_static_fonts
from press.model import Book, Chapter, Lang
from press.render import render
from press.writers.base import atomic_path
from press.writers.epub_fonts import font_url, subset_fonts, used_characters
from press.writers.epub_package import (
    CSS_FILE,
    NAV_FILE,
    Document,
    build_package,
    package_path,
    reading_order,
    write_package,
)
from press.writers.epub_zip import build_time, repack

EDITION = "epub"
TITLE_FILE = "text/title.xhtml"


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


class EpubWriter:
    name = "epub"
    description = "the e-reader edition (book.epub)"
    output = "book.epub"

    def write(self, book: Book, out_dir: Path, reporter: Reporter) -> list[Path]:
        check_coverage(book)
        faces = ensure_static_fonts()
        rendered = render_book(book, faces)
        fonts = subset_fonts(faces, used_characters([d.body for d in rendered.documents] + [rendered.nav]))
        package = build_package(book, rendered.documents, rendered.css, fonts)
        raw = io.BytesIO()
        write_package(raw, package, build_time())
        target = out_dir / self.output
        with atomic_path(target) as temporary:
            repack(raw, temporary, {package_path(NAV_FILE): rendered.nav.encode("utf-8")})
        return [target]


def render_book(book: Book, faces: tuple[Face, ...]) -> Rendered:
    chapters = tuple(chapter_document(book, chapter) for chapter in book.chapters)
    css = render(EDITION, "epub.css", faces=faces, font_url=font_url(CSS_FILE))
    return Rendered((title_document(book), *chapters), nav_document(book), css)


def nav_document(book: Book) -> str:
    """The whole navigation document (it replaces ebooklib's: see templates/epub/nav.xhtml)."""
    entries = [_toc_entry(book, chapter) for chapter in book.chapters]
    return render(EDITION, "nav.xhtml", book=book, chapters=entries,
                  title_page=_href(NAV_FILE, TITLE_FILE), stylesheet=_href(NAV_FILE, CSS_FILE))


def _toc_entry(book: Book, chapter: Chapter) -> TocEntry:
    return TocEntry(reading_order(book, chapter.title, chapter.title_he), _href(NAV_FILE, chapter_file(chapter)))


def title_document(book: Book) -> Document:
    titles = reading_order(book, book.title, book.title_he)
    body = render(EDITION, "title.xhtml", book=book, titles=titles, settings=book.settings)
    return Document("titlepage", TITLE_FILE, titles[0][1], book.primary, body)


def chapter_document(book: Book, chapter: Chapter) -> Document:
    notes = tuple(note for note in chapter.notes if note.runs is not None)
    titles = reading_order(book, chapter.title, chapter.title_he)
    body = render(EDITION, "chapter.xhtml", book=book, chapter=chapter, titles=titles, notes=notes)
    return Document(chapter.slug, chapter_file(chapter), titles[0][1], book.primary, body)


def chapter_file(chapter: Chapter) -> str:
    return f"text/{chapter.slug}.xhtml"


def _href(origin: str, target: str) -> str:
    """A link from one file of the package to another, relative to the first."""
    return relpath(target, Path(origin).parent.as_posix())
