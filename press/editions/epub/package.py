"""The EPUB package as ebooklib sees it: metadata, manifest, spine, NCX.

ebooklib 0.20 facts this module relies on: it keeps only the <body> of an
item's content and writes <html lang xml:lang dir> from the item's `lang`
and `direction`; it needs `raise_exceptions` (else a failed write returns
False) and `epub3_pages=False` (else every element with an epub:type and
an id becomes a page); it writes a random identifier unless given one; it
reads an item's content only to write the item's file.

ebooklib writes the package document, the NCX and the container; every
other file is made here (`document_file` wraps a document as ebooklib
would) and put in by container.repack. Its items are therefore empty:
ebooklib neither re-parses 200 chapters nor compresses bytes that are
replaced anyway, and a chapter's file can come from the build cache
(pieces.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from posixpath import relpath
from typing import BinaryIO

from ebooklib import epub

from press.editions.epub.container import tidy_xhtml
from press.editions.epub.cover import COVER_FILE, EDITION, MEDIA_TYPE
from press.engine.render import environment
from press.engine.webfonts import FontFile
from press.model import DIRECTION, Book, Lang

FOLDER = "EPUB"  # ebooklib's package folder inside the zip
CSS_FILE = "style/epub.css"
NAV_FILE = "text/nav.xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
OTHER: dict[str, Lang] = {"en": "he", "he": "en"}
# What is true of every book this writer makes: text throughout (the only
# image, the cover, repeats the titles and has them as its alternative
# text), headings and a table of contents, the printed edition's page
# numbers, reflowable text with no fixed colours or sizes, nothing that
# flashes or moves.
ACCESSIBILITY = (
    ("schema:accessMode", "textual"),
    ("schema:accessMode", "visual"),
    ("schema:accessModeSufficient", "textual"),
    ("schema:accessibilityFeature", "structuralNavigation"),
    ("schema:accessibilityFeature", "tableOfContents"),
    ("schema:accessibilityFeature", "readingOrder"),
    ("schema:accessibilityFeature", "alternativeText"),
    ("schema:accessibilityFeature", "pageBreakMarkers"),
    ("schema:accessibilityFeature", "pageNavigation"),
    ("schema:accessibilityFeature", "displayTransformability"),
    ("schema:accessibilityHazard", "none"),
    ("schema:accessibilitySummary", "Reflowable text in English and Hebrew, each passage marked with its "
                                    "language and direction, so that screen readers switch voices and reading "
                                    "systems set each in its direction. Chapters have headings and are listed "
                                    "in both languages in the table of contents; footnotes are linked both "
                                    "ways; the printed edition's page numbers are marked and listed. The "
                                    "cover image shows the titles, which it carries as its text alternative."),
)


@dataclass(frozen=True, slots=True)
class Listed:
    """One XHTML file of the book as the package lists it (in the manifest, spine and NCX)."""

    uid: str
    file_name: str  # inside the package folder, e.g. text/chapter-1.xhtml
    title: str  # the <title> and the NCX label
    lang: Lang


@dataclass(frozen=True, slots=True)
class Document:
    """One XHTML file of the book, its body rendered."""

    listed: Listed
    body: str


def package_path(file_name: str) -> str:
    """Where a package file sits in the zip."""
    return f"{FOLDER}/{file_name}"


def build_package(book: Book, documents: tuple[Listed, ...], fonts: tuple[FontFile, ...],
                  when: datetime) -> epub.EpubBook:
    """The ebooklib book: the cover and title pages first, then the contents, then the chapters.
    Every item is empty: its file is put in by container.repack (the stylesheet, the fonts, the
    cover image, `document_file` of each document, the navigation document)."""
    package = epub.EpubBook()
    add_metadata(package, book, when)
    package.set_cover(COVER_FILE, b"", create_page=False)
    package.get_item_with_id("cover-img").media_type = MEDIA_TYPE
    package.add_item(epub.EpubItem(uid="style", file_name=CSS_FILE, media_type="text/css", content=b""))
    for font in fonts:
        package.add_item(epub.EpubItem(uid=font.uid, file_name=font.file_name, media_type="font/ttf", content=b""))
    pages = [package.add_item(_Empty(**_item_arguments(document))) for document in documents]
    nav = package.add_item(epub.EpubNav(uid="nav", file_name=NAV_FILE, direction=DIRECTION[book.primary]))
    package.add_item(epub.EpubNcx())
    package.toc = pages[2:]
    package.spine = [*pages[:2], nav, *pages[2:]]
    return package


def write_package(target: BinaryIO, package: epub.EpubBook, when: datetime) -> None:
    # Stored, not compressed: container.repack reads it back at once and compresses what it writes.
    epub.write_epub(target, package, {"raise_exceptions": True, "epub3_pages": False, "mtime": when,
                                      "compresslevel": 0})


def document_file(document: Document) -> bytes:
    """The document's file as it goes into the zip: ebooklib's <html> and <head> (the title, the
    stylesheet's link, the language and direction) around the body, then container.tidy_xhtml."""
    item = epub.EpubHtml(**_item_arguments(document.listed))
    item.content = document.body
    folder = document.listed.file_name.rpartition("/")[0] or "."
    item.add_link(href=relpath(CSS_FILE, folder), rel="stylesheet", type="text/css")
    item.book = _WRAPPER
    return tidy_xhtml(item.get_content())


class _Empty(epub.EpubHtml):
    """A document as ebooklib lists it, with no content of its own: its file is document_file's."""

    def get_content(self, default: object = None) -> bytes:
        return b""


def _item_arguments(document: Listed) -> dict[str, str]:
    return {"uid": document.uid, "file_name": document.file_name, "title": document.title,
            "lang": document.lang, "direction": DIRECTION[document.lang]}


_WRAPPER = epub.EpubBook()  # the templates EpubHtml.get_content wraps a body in


def add_metadata(package: epub.EpubBook, book: Book, when: datetime) -> None:
    settings = book.settings
    package.set_identifier(identifier(book))
    package.add_metadata("DC", "date", settings.date or when.date().isoformat())  # type: ignore[attr-defined]
    # The page-list follows the printed edition: name it as the pagination's source.
    package.add_metadata("DC", "source", print_identifier(book), {"id": "print-source"})
    package.add_metadata(None, "meta", "pagination", {"refines": "#print-source", "property": "source-of"})
    _titles(package, book)
    package.set_language(book.primary)  # the first dc:language is the primary one
    package.add_metadata("DC", "language", OTHER[book.primary])
    package.set_direction(DIRECTION[book.primary])
    if book.author:
        package.add_author(book.author, role="aut", uid="author")
    if settings.translator:
        package.add_metadata("DC", "contributor", settings.translator, {"id": "translator"})
        package.add_metadata(None, "meta", "trl", {"refines": "#translator", "property": "role",
                                                   "scheme": "marc:relators"})
    for name in ("publisher", "rights", "description"):
        if getattr(settings, name):
            package.add_metadata("DC", name, getattr(settings, name))
    for credit in book.credits:  # a Sefaria text: the versions it was read from
        package.add_metadata("DC", "source", credit.source or credit.version)
        package.add_metadata("DC", "rights", f"{credit.line}" + (f": {credit.source}" if credit.source else ""))
    for prop, value in ACCESSIBILITY:
        package.add_metadata(None, "meta", value, {"property": prop})


def reading_order(book: Book, english: str, hebrew: str) -> tuple[tuple[Lang, str], ...]:
    """A title's (lang, text) in each language it has that the layout's furniture speaks (a
    Hebrew-only book's cover, title page, contents and chapter titles are in Hebrew alone), the book's
    primary language first."""
    titles = [(lang, text) for lang, text in (("en", english), ("he", hebrew)) if text]
    spoken = [(lang, text) for lang, text in titles if lang in furniture(book)] or titles
    return tuple(sorted(spoken, key=lambda pair: pair[0] != book.primary))  # type: ignore[misc]


def furniture(book: Book) -> tuple[str, ...]:
    """The languages of the book's furniture: the `furniture` its e-book layout's template sets, or both."""
    return _layout_furniture(book.settings.epub.layout)  # type: ignore[attr-defined]


@cache
def _layout_furniture(layout: str) -> tuple[str, ...]:
    module = environment(EDITION).get_template(f"layouts/{layout}.html").module
    return tuple(getattr(module, "furniture", ("en", "he")))


def _titles(package: epub.EpubBook, book: Book) -> None:
    titles = reading_order(book, book.title, book.title_he)
    package.title = titles[0][1]  # what ebooklib puts in the NCX
    for lang, text in titles:
        package.add_metadata("DC", "title", text, {"id": f"title-{lang}", XML_LANG: lang})


def identifier(book: Book) -> str:
    """book.toml's [epub] identifier, else a UUID derived from title and author: never random."""
    configured = book.settings.epub.identifier  # type: ignore[attr-defined]
    if configured:
        return configured
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'bilingual-press:{book.title}|{book.author}')}"


def print_identifier(book: Book) -> str:
    """The printed edition's identifier, derived like the e-book's (print has no ISBN setting)."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'bilingual-press:print:{book.title}|{book.author}')}"
