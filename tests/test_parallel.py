"""The parallel, cached book build (issue #7) against the single-pass layouts, page for page.

The reference is `BookPdfWriter.lay_out` (one process, the parts joined by
WeasyPrint); the one-document book.html laid out by plain WeasyPrint must
give the same pages too. No timings here: speed is bench/bench.py's.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from conftest import PROJECT
from pdftools import anchors, drawn_glyphs, outline, page_texts

BOOK_TOML = 'title = "A Test Book"\ntitle_he = "סֵפֶר נִסָּיוֹן"\nauthor = "Tester"\nprimary = "{primary}"\n[print]\n{table}'


def run_build(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRESS_BUILD_CACHE": str(cache), "SOURCE_DATE_EPOCH": "1700000000"}
    result = subprocess.run([sys.executable, str(PROJECT / "build.py"), *args], env=env, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result


def make_book(folder: Path, seed_chapter: Path, primary: str = "en", table: str = "") -> Path:
    """The sample's chapters, the seed chapter, and the first again under another number: four chapters."""
    source = folder / "source"
    source.mkdir(parents=True)
    for chapter in sorted((PROJECT / "source").glob("0*")):
        shutil.copy(chapter, source / chapter.name)
    shutil.copy(seed_chapter, source / "03-chapter-45.txt")
    psalm = (PROJECT / "source" / "01-psalm-121.md").read_text(encoding="utf-8")
    (source / "04-psalm-again.md").write_text(psalm.replace("number: 1", "number: 4"), encoding="utf-8")
    (source / "book.toml").write_text(BOOK_TOML.format(primary=primary, table=table), encoding="utf-8")
    return source


def reference_pdf(source: Path, target: Path, *, text_layer: bool = True) -> Path:
    """The book laid out in one process by BookPdfWriter.lay_out."""
    script = ("import sys; from pathlib import Path; from press.diagnostics import Reporter; "
              "from press.readers import read_book; from press.editions.book.writer import BookPdfWriter; "
              "from press.engine import finish, pdf; "
              "book = read_book(Path(sys.argv[1]), Reporter()); laid = BookPdfWriter().lay_out(book); "
              "target = Path(sys.argv[2]); options = finish.options(book); "
              "pdf.write_pages(laid.pages, laid.first, target, target, **options) if sys.argv[3] == 'on' "
              "else laid.first.copy(laid.pages).write_pdf(target)")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONPATH": str(PROJECT)}
    subprocess.run([sys.executable, "-c", script, str(source), str(target), "on" if text_layer else "off"],
                   check=True, env=env, capture_output=True)
    return target


def words(pages: list[str]) -> list[list[str]]:
    return [page.split() for page in pages]






@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory, seed_chapter: Path) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("parallel")
    source = make_book(folder, seed_chapter)
    cache = folder / "cache"
    run_build("pdf", "--source", str(source), "--out", str(folder / "out"), cache=cache)
    return {"folder": folder, "source": source, "cache": cache, "pdf": folder / "out" / "book.pdf",
            "reference": reference_pdf(source, folder / "reference.pdf")}


def test_parallel_book_equals_the_single_pass_page_for_page(book) -> None:
    parallel, reference = page_texts(book["pdf"]), page_texts(book["reference"])
    assert len(parallel) == len(reference) >= 12
    assert words(parallel) == words(reference), "the same text, running heads and folios on every page"


def test_anchors_outline_and_contents_links_survive_the_join(book) -> None:
    assert anchors(book["pdf"]) == anchors(book["reference"])
    assert outline(book["pdf"]) == outline(book["reference"])
    with pikepdf.open(book["pdf"]) as document:
        links = [str(a.Dest) for page in document.pages[:4] for a in page.get("/Annots", []) if "/Dest" in a]
    assert sorted(set(links)) == ["chapter-1", "chapter-2", "chapter-4", "chapter-45"], "contents link to chapters"


def test_one_embedded_program_per_face_and_a_file_size_close_to_the_single_pass(book) -> None:
    programs: dict[str, set] = {}
    with pikepdf.open(book["pdf"]) as document:
        for d in document.objects:
            if isinstance(d, pikepdf.Dictionary) and d.get("/Type") == "/FontDescriptor":
                programs.setdefault(str(d.FontName).split("+")[-1], set()).add(d.FontFile2.objgen)
    assert programs and all(len(found) == 1 for found in programs.values()), programs
    # Fonts are shared; each piece keeps its own small ToUnicode and CIDToGIDMap per font, a fixed cost
    # per chapter that weighs most on a short book like this one (bench/ reports the figure at 1,000 pages).
    assert book["pdf"].stat().st_size < 1.4 * book["reference"].stat().st_size


def test_rebuild_is_byte_identical_from_the_cache(book, tmp_path: Path) -> None:
    again = run_build("pdf", "--source", str(book["source"]), "--out", str(tmp_path), cache=book["cache"])
    assert "4 from the cache, 0 laid out" in again.stdout
    assert (tmp_path / "book.pdf").read_bytes() == book["pdf"].read_bytes()


def test_an_edited_chapter_is_laid_out_again_and_nothing_else_changes(book, tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(book["source"], source)
    chapter = source / "02-avot-1.txt"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("Moses received", "Moshe received", 1),
                       encoding="utf-8")
    result = run_build("pdf", "--source", str(source), "--out", str(tmp_path / "out"), cache=book["cache"])
    assert "3 from the cache, 1 laid out" in result.stdout
    before, after = page_texts(book["pdf"]), page_texts(tmp_path / "out" / "book.pdf")
    assert len(before) == len(after)
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a.split() != b.split()]
    assert changed and all("Moshe received" in after[i] for i in changed)
    assert " ".join(after[changed[0]].split()) == " ".join(before[changed[0]].split()).replace("Moses", "Moshe")


def test_build_html_renders_with_plain_weasyprint_to_the_same_pages(book, tmp_path: Path) -> None:
    run_build("html", "--source", str(book["source"]), "--out", str(tmp_path), cache=book["cache"])
    assert {"book.html", "book.css", "fonts"} <= {p.name for p in tmp_path.iterdir()}
    single = tmp_path / "single.pdf"
    subprocess.run([sys.executable, "-m", "weasyprint", str(tmp_path / "book.html"), str(single)], check=True,
                   capture_output=True)
    reference = reference_pdf(book["source"], tmp_path / "plain.pdf", text_layer=False)
    assert words(page_texts(single)) == words(page_texts(reference))


def test_hebrew_led_book_with_hebrew_folios_in_parallel(tmp_path: Path, seed_chapter: Path) -> None:
    source = make_book(tmp_path, seed_chapter, primary="he", table='folio = "hebrew"\nlayout = "columns"\n')
    run_build("pdf", "--source", str(source), "--out", str(tmp_path / "out"), cache=tmp_path / "cache")
    reference = reference_pdf(source, tmp_path / "reference.pdf")
    assert words(page_texts(tmp_path / "out" / "book.pdf")) == words(page_texts(reference))
    assert drawn_glyphs(tmp_path / "out" / "book.pdf") == drawn_glyphs(reference)


def test_facing_layout_cannot_be_one_html_document(tmp_path: Path, seed_chapter: Path) -> None:
    source = make_book(tmp_path, seed_chapter, table='layout = "facing"\n')
    result = subprocess.run([sys.executable, str(PROJECT / "build.py"), "html", "--source", str(source),
                             "--out", str(tmp_path / "out")], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "error [single-html] the `facing` layout interleaves two documents" in result.stderr
    assert not (tmp_path / "out" / "book.html").exists()


def test_folios_of_a_batch_of_chapters_are_those_of_one_document_per_chapter() -> None:
    """The furniture of a run of chapters is one document, a filler page standing for a blank page
    before a chapter; each chapter's folios are those it gets laid out alone."""
    from press.diagnostics import Reporter
    from press.editions.book import worker
    from press.readers import read_book

    worker.start(read_book(PROJECT / "source", Reporter()))
    runs = ((1, ("chapter",) * 3), (5, ("chapter",) * 2), (7, ("chapter",)))  # a blank page at folio 4
    pdf, ranges = worker.lay_out_furniture(runs)
    assert [offset for offset, _ in ranges] == [0, 4, 6]
    alone = [worker.lay_out_furniture((run,))[1][0][1] for run in runs]
    assert [labels for _, labels in ranges] == alone == [["1", "2", "3"], ["5", "6"], ["7"]]
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == 7




def test_every_glyph_is_drawn_where_the_single_pass_draws_it(book) -> None:
    """Stamped folios, and glyphs whose font programs were merged from many pieces (EB Garamond's
    figures are composites of glyphs far past them), against the book laid out in one process."""
    parallel, reference = drawn_glyphs(book["pdf"]), drawn_glyphs(book["reference"])
    assert sum(len(page) for page in reference) > 5000
    assert parallel == reference


@pytest.mark.parametrize("primary", ["en", "he"])
def test_stamped_folios_equal_laid_out_folios_across_digit_counts(tmp_path: Path, seed_chapter: Path,
                                                                  primary: str) -> None:
    """Folios stamped from samples (press/engine/folio_stamps.py) against the same folios laid out by
    WeasyPrint, glyph for glyph, on both sides and at every change in the number of digits."""
    import pypdfium2 as pdfium

    from press.diagnostics import Reporter
    from press.editions.book import worker
    from press.engine import folio_stamps
    from press.readers import read_book

    worker.start(read_book(make_book(tmp_path, seed_chapter, primary=primary), Reporter()))
    runs = ((1, ("chapter",) * 3), (7, ("chapter",) * 6), (97, ("chapter",) * 6), (999, ("chapter",) * 4))
    pdf, meta = worker.lay_out_folio_samples(("chapter",), (1, 2, 3, 4))
    samples = folio_stamps.Samples.read(pdf, tuple(folio_stamps.SamplePage(*page) for page in meta["pages"]),
                                        tuple(meta["figures"]), str)
    assert samples is not None, "EB Garamond's figures are tabular: arabic folios can be stamped"
    stamped, stamped_ranges = folio_stamps.stamp(samples, runs, str)
    laid, laid_ranges = worker.lay_out_furniture(runs)
    assert [labels for _, labels in stamped_ranges] == [labels for _, labels in laid_ranges]
    assert stamped_ranges[-1][1] == ["999", "1000", "1001", "1002"]

    def glyphs(document: pdfium.PdfDocument, index: int) -> list[tuple[str, tuple[float, ...]]]:
        text = document[index].get_textpage()
        return [(text.get_text_range(i, 1), tuple(round(v, 3) for v in text.get_charbox(i)))
                for i in range(text.count_chars())]

    stamped_pdf, laid_pdf = pdfium.PdfDocument(stamped), pdfium.PdfDocument(laid)
    for (stamped_at, labels), (laid_at, _) in zip(stamped_ranges, laid_ranges, strict=True):
        for offset, label in enumerate(labels):
            drawn = glyphs(stamped_pdf, stamped_at + offset)
            assert "".join(char for char, _ in drawn) == label
            assert drawn == glyphs(laid_pdf, laid_at + offset), f"folio {label}"


def test_hebrew_folios_are_not_stamped() -> None:
    """Hebrew numerals are neither one width nor one code a character: they are laid out page by page."""
    from press.diagnostics import Reporter
    from press.editions.book import worker
    from press.engine import folio_stamps
    from press.hebrew import hebrew_numeral
    from press.readers import read_book

    worker.start(read_book(PROJECT / "source", Reporter()))
    pdf, meta = worker.lay_out_folio_samples(("chapter",), (1, 2))
    pages = tuple(folio_stamps.SamplePage(*page) for page in meta["pages"])
    assert folio_stamps.Samples.read(pdf, pages, tuple(meta["figures"]), str) is not None
    assert folio_stamps.Samples.read(pdf, pages, tuple(meta["figures"]), hebrew_numeral) is None


def test_each_face_is_subset_from_its_own_font_file_and_a_wrong_file_is_refused(book) -> None:
    """press/engine/font_programs.py maps each face of the PDF to a font file by name and checks the glyphs
    against the pieces: the right file agrees, another face's file does not."""
    from press.engine import font_programs
    from press.engine.fonts import ensure_static_fonts

    files = font_programs.face_names(ensure_static_fonts())
    with pikepdf.open(book["pdf"]) as document:
        fonts = [obj for obj in document.objects
                 if isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/CIDFontType2"]
        assert {font_programs._face(font.FontDescriptor) for font in fonts} <= set(files)
        for font in fonts:
            face, used = font_programs._face(font.FontDescriptor), font_programs._used_glyphs(font)
            own = font.FontDescriptor.FontFile2.read_bytes()
            right = font_programs._glyph_headers(font_programs.subset_face(files[face], used))
            assert font_programs._agrees(right, own, used), face
            other = next(path for name, path in files.items() if name.split("-")[0] != face.split("-")[0])
            wrong = font_programs._glyph_headers(font_programs.subset_face(other, used))
            assert not font_programs._agrees(wrong, own, used)
