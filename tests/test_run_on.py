"""The single-language layouts run on (issue 12, deliverable 7): in `hebrew` and `english`, print and
EPUB, consecutive pairs are one paragraph until commentary, a heading or a paragraph break of the
source; a Hebrew-only book has no English furniture. Read from the PDF's own text (PDFium, with each
pair's named destination saying where its text begins) and from the EPUB's XHTML, on the sample and
the seed, both primaries."""

from __future__ import annotations

import re
import shutil
import unicodedata
import zipfile
from pathlib import Path

import pytest
from conftest import PROJECT, build
from lxml import etree
from pdflines import printed_lines
from pdftools import page_texts

from press.diagnostics import Reporter
from press.model import Block, Chapter, pair_runs, plain_text
from press.readers import read_book

LAYOUTS = ("hebrew", "english")
LANG = {"hebrew": "he", "english": "en"}
BOOK_TOML = ('title = "A Test Book"\ntitle_he = "סֵפֶר נִסָּיוֹן"\nauthor = "Tester"\nauthor_he = "בּוֹדֵק"\n'
             'publisher = "Test Press"\npublisher_he = "הוֹצָאַת נִסָּיוֹן"\nrights = "All rights reserved."\n'
             'rights_he = "כָּל הַזְּכֻיּוֹת שְׁמוּרוֹת"\nedition = 2\ndate = "2025"\nisbn = "978-3-16-148410-0"\n'
             'primary = "{primary}"\n\n[print]\nlayout = "{layout}"\n\n[epub]\nlayout = "{layout}"\n')
XHTML = "{http://www.w3.org/1999/xhtml}"
FRONT_PAGES = 4  # title page, colophon, contents (and the blank page before the body)


def _chapters(name: str, seed: Path | None) -> list[Path]:
    if name == "seed":
        assert seed is not None
        return [seed]
    return sorted(p for p in (PROJECT / "source").iterdir() if p.suffix in (".md", ".txt"))


@pytest.fixture(scope="module")
def seed() -> Path | None:
    from conftest import SEED_CHAPTER

    return SEED_CHAPTER if SEED_CHAPTER.is_file() else None


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory, seed: Path | None) -> dict[tuple[str, str, str], Path]:
    """The sample and the seed in both layouts and both primaries: 8 output folders, PDF and EPUB."""
    root = tmp_path_factory.mktemp("runon")
    built = {}
    for name in ("sample", "seed"):
        if name == "seed" and seed is None:
            continue
        for layout in LAYOUTS:
            for primary in ("en", "he"):
                source = root / f"{name}-{layout}-{primary}"
                source.mkdir()
                for chapter in _chapters(name, seed):
                    shutil.copy(chapter, source / chapter.name)
                (source / "book.toml").write_text(BOOK_TOML.format(primary=primary, layout=layout), encoding="utf-8")
                out = root / f"{source.name}-out"
                for edition in ("pdf", "epub"):
                    result = build(edition, "--source", str(source), "--out", str(out))
                    assert result.returncode == 0, result.stderr
                built[(name, layout, primary)] = out
    return built


def _book(name: str, books: dict, seed: Path | None, layout: str, primary: str) -> Path:
    if name == "seed" and seed is None:
        pytest.skip(f"skipped: the shared corpus is absent (the seed chapter is not found beside {PROJECT})")
    return books[(name, layout, primary)]


def _model(out: Path) -> tuple[Chapter, ...]:
    source = out.parent / out.name.removesuffix("-out")
    return read_book(source, Reporter()).chapters


def _runs(chapter: Chapter, lang: str) -> list[list[Block]]:
    """The runs of pairs that print: each a list of the pairs whose text is in `lang`."""
    runs = pair_runs(chapter.blocks, True, (lang,))
    shown = [[b for b in run if b.kind == "pair" and b.paragraph(lang)] for run in runs]
    return [run for run in shown if run]


# Poppler's text (pdftotext -layout) is in reading order, Hebrew too (PDFium's reorders a word's
# letters around some points); it marks directions with format characters, dropped here.
_FORMAT = re.compile("[\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069]")


def _tokens(text: str) -> list[str]:
    """Words in reading order: letters only, points dropped, no numbers (note calls, folios)."""
    text = "".join(c for c in unicodedata.normalize("NFD", _FORMAT.sub("", text)) if unicodedata.category(c) != "Mn")
    return [w for w in re.findall(r"\w+", text) if not w.isdigit()]


def _words(block: Block, lang: str) -> list[str]:
    return _tokens(plain_text(block.paragraph(lang).runs))


def _printed_lines(pdf: Path, lang: str) -> list[list[str]]:
    """Every printed line's words in reading order, page after page. A justified line that poppler
    cuts at a wide word space comes in pieces, left to right: a Hebrew line's are put back right to left."""
    lines = []
    for page in page_texts(pdf):
        for text in page.split("\n"):
            pieces = [piece for piece in re.split(r" {3,}", text.strip()) if piece]
            words = [w for piece in (pieces[::-1] if lang == "he" else pieces) for w in _tokens(piece)]
            if words:
                lines.append(words)
    return lines


def _continues(lines: list[list[str]], before: list[str], after: list[str]) -> bool:
    """Whether a pair's first words `after` follow the words `before` that end the pair before it in
    one paragraph: on the same line, or `before` ends a full line (as long as the longest of its
    neighbours: not a paragraph's last line) and `after` begins the next."""
    tail, head = before[-2:], after[:2]
    for index, words in enumerate(lines):
        joined = tail + head[:1]
        if any(words[i:i + len(joined)] == joined for i in range(len(words))):
            return True
        following = lines[index + 1] if index + 1 < len(lines) else []
        if words[-len(tail):] == tail and following[:len(head)] == head:
            nearby = lines[max(0, index - 3):index + 4]
            if sum(map(len, words)) >= 0.8 * max(sum(map(len, other)) for other in nearby):
                return True
    return False


def _begins_a_line(lines: list[list[str]], words: list[str]) -> bool:
    head = words[:3]
    return any(line[:len(head)] == head for line in lines)


@pytest.mark.parametrize("name", ["sample", "seed"])
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("primary", ["en", "he"])
def test_pairs_run_on_in_the_pdf(books, seed, name: str, layout: str, primary: str) -> None:
    """A pair's text continues the line of the pair before it; only the first pair of a run, after
    commentary, a heading or a paragraph break of the source, begins a line."""
    out = _book(name, books, seed, layout, primary)
    lang = LANG[layout]
    lines = _printed_lines(out / "book.pdf", lang)
    continued = begun = 0
    for chapter in _model(out):
        for run in _runs(chapter, lang):
            for position, block in enumerate(run):
                if position == 0:  # a paragraph of its own: its first words begin a line
                    assert _begins_a_line(lines, _words(block, lang)), (chapter.slug, block.number)
                    begun += 1
                else:
                    assert _continues(lines, _words(run[position - 1], lang), _words(block, lang)), \
                        (chapter.slug, block.number, "does not continue the pair before it")
                    continued += 1
    assert continued >= 3 and begun >= 2, (continued, begun)


def _xhtml(out: Path) -> list[etree._Element]:
    with zipfile.ZipFile(out / "book.epub") as epub:
        names = sorted(n for n in epub.namelist() if re.search(r"text/chapter-\d+\.xhtml$", n))
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        return [etree.fromstring(epub.read(n), parser) for n in names]


@pytest.mark.parametrize("name", ["sample", "seed"])
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("primary", ["en", "he"])
def test_pairs_run_on_in_the_epub(books, seed, name: str, layout: str, primary: str) -> None:
    """The pairs of a run are inline elements of one <p> of the layout's language, each with its id,
    lang and dir; every run of the model is one paragraph."""
    out = _book(name, books, seed, layout, primary)
    lang = LANG[layout]
    documents = _xhtml(out)
    for chapter, document in zip(_model(out), documents, strict=True):
        for run in _runs(chapter, lang):
            parents = set()
            for block in run:
                found = document.xpath(f"//*[@id='{chapter.slug}-b{block.number}-{lang}']")
                assert len(found) == 1, (chapter.slug, block.number)
                span = found[0]
                assert span.tag == f"{XHTML}span" and span.get("lang") == lang
                assert span.get("dir") == ("rtl" if lang == "he" else "ltr")
                parents.add(span.getparent())
            assert len(parents) == 1, (chapter.slug, [b.number for b in run], "one <p> per run")
            paragraph = parents.pop()
            assert paragraph.tag == f"{XHTML}p" and paragraph.get("lang") == lang
    for document in documents:
        for element in document.iter(f"{XHTML}*"):
            if element.tag in (f"{XHTML}p", f"{XHTML}span", f"{XHTML}div", f"{XHTML}h1"):
                assert element.get("lang") and element.get("dir"), etree.tostring(element)[:120]


def _latin(text: str) -> list[str]:
    """Latin words in `text`, but the ISBN (printed as "ISBN" in every language)."""
    return [w for w in re.findall(r"[A-Za-z][\w-]*", text) if w != "ISBN"]


@pytest.mark.parametrize("name", ["sample", "seed"])
@pytest.mark.parametrize("primary", ["en", "he"])
def test_a_hebrew_only_book_has_no_english_furniture(books, seed, name: str, primary: str) -> None:
    """Title page, colophon, contents and chapter openers in Hebrew alone (the ISBN and digits are
    printed so in any language); the English-only book keeps its bilingual furniture."""
    out = _book(name, books, seed, "hebrew", primary)
    lines = printed_lines(out / "book.pdf")
    front = " ".join(line.text for line in lines if line.page < FRONT_PAGES)
    assert "ISBN" in front and _latin(front) == [], _latin(front)
    assert any("2" in line.text and line.page < FRONT_PAGES for line in lines), "the edition line"
    body = [line for line in lines if line.page >= FRONT_PAGES]
    assert body and _latin(" ".join(line.text for line in body)) == [], _latin(" ".join(line.text for line in body))
    # The same in the EPUB: the title page, the contents (the nav's toc) and each chapter's head.
    with zipfile.ZipFile(out / "book.epub") as epub:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        read = {n: etree.fromstring(epub.read(n), parser) for n in epub.namelist() if n.endswith(".xhtml")}
    shown = [e for n, root in read.items() for e in root.iter(f"{XHTML}section", f"{XHTML}nav", f"{XHTML}header")
             if e.get("class") in ("title-page", "chapter-head") or e.get("id") == "toc"]
    assert len(shown) >= 3
    for element in shown:
        text = " ".join(element.itertext())
        assert _latin(text) == [], (element.get("class") or element.get("id"), _latin(text))
    # And what a reader sees of the book before opening it: each document's <title> (the reading
    # system's title bar), the cover's alternative text (its image has the same titles) and the
    # package's first title (the library shelf).
    for document, root in read.items():
        shelf = [root.findtext(f"{XHTML}head/{XHTML}title") or ""]
        shelf += [img.get("alt") or "" for img in root.iter(f"{XHTML}img")]
        assert _latin(" ".join(shelf)) == [], (document, shelf)
    with zipfile.ZipFile(out / "book.epub") as epub:
        opf = etree.fromstring(epub.read("EPUB/content.opf"), parser)
    titles = opf.findall(".//{http://purl.org/dc/elements/1.1/}title")
    assert titles and all(_latin(t.text or "") == [] for t in titles), [t.text for t in titles]
    english = printed_lines(books[(name, "english", primary)] / "book.pdf")
    assert "Contents" in " ".join(line.text for line in english if line.page < FRONT_PAGES)


def test_a_paragraph_break_of_the_source_is_two_blank_lines(tmp_path: Path) -> None:
    """Two blank lines before a paragraph of a .txt or .md chapter mark the source's paragraph break;
    one blank line does not; pair_runs ends a run there and at printed commentary."""
    for suffix in (".txt", ".md"):
        source = tmp_path / suffix.strip(".")
        source.mkdir()
        (source / f"01-a{suffix}").write_text(
            "One.\n\nאַחַת\n\nTwo.\n\nשְׁתַּיִם\n\n\nThree.\n\nשָׁלֹשׁ\n\nA comment.\n\nFour.\n\nאַרְבַּע\n",
            encoding="utf-8")
        (chapter,) = read_book(source, Reporter()).chapters
        assert [b.new_paragraph for b in chapter.blocks] == [False, False, True, False, False]
        assert [[b.number for b in run] for run in pair_runs(chapter.blocks, True, ("en",))] == [[1, 2], [3], [4], [5]]
        # Commentary the layout does not print does not interrupt the Hebrew.
        assert [[b.number for b in run] for run in pair_runs(chapter.blocks, True, ("he",))] == [[1, 2], [3, 4, 5]]
        assert len(pair_runs(chapter.blocks, False, ("he",))) == 5
