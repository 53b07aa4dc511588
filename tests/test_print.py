"""Print layouts, page furniture, reading direction and print-shop geometry (issue #3), by PDF structure."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf
import pytest
from conftest import PROJECT, SAMPLE_CHAPTERS, LayoutBooks, build
from pdftools import anchors, assert_only_book_fonts, page_texts

LAYOUTS = ("stacked", "columns", "facing", "hebrew", "english")
BOOK_TOML = 'title = "A Test Book"\ntitle_he = "סֵפֶר נִסָּיוֹן"\nauthor = "Tester"\nprimary = "{primary}"\n'


def make_source(root: Path, chapters: list[Path], primary: str, **print_keys: str) -> Path:
    source = root / f"src-{primary}-{'-'.join(f'{k}{v}' for k, v in print_keys.items())}"
    source.mkdir(parents=True)
    for chapter in chapters:
        shutil.copy(chapter, source / chapter.name)
    table = "".join(f"{key} = {value}\n" for key, value in print_keys.items())
    (source / "book.toml").write_text(BOOK_TOML.format(primary=primary) + "[print]\n" + table, encoding="utf-8")
    return source


def build_pdf(source: Path) -> Path:
    out = source.parent / (source.name + "-out")
    result = build("pdf", "--source", str(source), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out / "book.pdf"




@pytest.fixture(scope="module")
def built(layout_books: LayoutBooks) -> LayoutBooks:
    """Every layout, both primary values, sample and seed: 20 books, each built once in the test run
    (conftest's layout_books; test_furniture reads the same books)."""
    return layout_books


@pytest.mark.parametrize("name", ["sample", "seed"])
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("primary", ["en", "he"])
def test_every_layout_builds_with_both_primaries(built, name: str, layout: str, primary: str) -> None:
    pdf = built[(name, layout, primary)]
    assert_only_book_fonts(pdf)
    with pikepdf.open(pdf) as document:
        assert len(document.pages) >= 5
        direction = document.Root.get("/ViewerPreferences", {}).get("/Direction")
        assert (direction == "/R2L") == (primary == "he")
        assert document.Root.PageLayout == "/TwoPageRight", "every book opens as two-page spreads"


@pytest.mark.parametrize("primary", ["en", "he"])
def test_facing_pairs_sit_on_the_two_pages_of_one_spread(built, seed_chapter: Path, primary: str) -> None:
    found = anchors(built[("seed", "facing", primary)])
    pairs = sorted({int(name.split("-b")[1].split("-")[0]) for name in found if name.endswith("-he")})
    assert len(pairs) == 16
    for number in pairs:
        english, hebrew = found[f"chapter-45-b{number}-en"], found[f"chapter-45-b{number}-he"]
        verso, recto = sorted((english, hebrew))
        assert recto == verso + 1 and verso % 2 == 1, f"pair {number}: pages {english}, {hebrew} are not one spread"
        # Hebrew on the right-hand page: the recto when bound on the left, the verso when bound on the right.
        assert hebrew == (recto if primary == "en" else verso)


def test_facing_commentary_stays_with_its_pairs(built) -> None:
    """Issue 13: commentary is set across the foot of its pairs' spread (from the English page on to the
    Hebrew page), or, when the foot is full, at the head of the next spread."""
    found = anchors(built[("seed", "facing", "en")])
    number = lambda name: int(name.split("-b")[1].split("-")[0])  # noqa: E731
    pairs = sorted(number(n) for n in found if n.endswith("-he") and f"{n[:-3]}-en" in found)
    commentary = [n for n in found if n.endswith("-en") and f"{n[:-3]}-he" not in found and number(n) > pairs[0]]
    assert commentary
    for name in commentary:
        pair = max(p for p in pairs if p < number(name))
        spread = (found[f"chapter-45-b{pair}-en"] - 1) // 2
        assert (found[name] - 1) // 2 in (spread, spread + 1), f"{name} is far from its pair {pair}"


@pytest.mark.parametrize("layout", ["hebrew", "english"])
def test_one_language_layouts_hold_one_language(built, layout: str) -> None:
    found = anchors(built[("seed", layout, "en")])
    other = "-en" if layout == "hebrew" else "-he"
    assert not [n for n in found if n.endswith(other)]
    assert [n for n in found if n.endswith("-he" if layout == "hebrew" else "-en")]


def test_columns_put_english_left_and_hebrew_right(built) -> None:
    import pypdfium2 as pdfium

    pdf = built[("seed", "columns", "he")]
    found = anchors(pdf)
    document = pdfium.PdfDocument(str(pdf))
    page = document[found["chapter-45-b4-en"]]
    width = page.get_width()
    text = page.get_textpage()
    hebrew = [i for i in range(text.count_chars()) if "\u05d0" <= text.get_text_range(i, 1) <= "\u05ea"]
    lefts = [text.get_charbox(i)[0] for i in hebrew]
    assert lefts and min(lefts) > width / 2 - 20, "Hebrew cells sit in the right-hand column"
    document.close()


def test_hebrew_led_book_binds_on_the_right(built) -> None:
    """Body pages: odd physical pages are left-hand pages (folio at the bottom left) when Hebrew leads."""
    import pypdfium2 as pdfium

    for primary, first_side in (("en", "right"), ("he", "left")):
        pdf = built[("sample", "stacked", primary)]
        found = anchors(pdf)
        document = pdfium.PdfDocument(str(pdf))
        opening = found["chapter-1"]
        page = document[opening]
        text = page.get_textpage()
        boxes = [text.get_charbox(i) for i in range(text.count_chars()) if text.get_text_range(i, 1).strip()]
        lowest = min(boxes, key=lambda box: box[1])  # the folio is the lowest text
        side = "left" if lowest[0] < page.get_width() / 2 else "right"
        assert opening % 2 == 0, "chapters open on the book's first-page side (a recto)"
        assert side == first_side, f"primary={primary}: page {opening + 1} should be a {first_side}-hand page"
        document.close()


@pytest.mark.parametrize("layout", ["stacked", "columns"])
def test_a_translation_is_never_separated_from_the_start_of_its_hebrew(built, seed_source: Path, layout: str) -> None:
    import json

    model = json.loads(build("model", "--source", str(seed_source)).stdout)
    short_pairs = [b["number"] for b in model["chapters"][0]["blocks"] if b["kind"] == "pair" and len(b["en"]) < 300]
    for primary in ("en", "he"):
        found = anchors(built[("seed", layout, primary)])
        for number in short_pairs:
            assert found[f"chapter-45-b{number}-en"] == found[f"chapter-45-b{number}-he"], (layout, primary, number)


def test_contents_page_numbers_match_the_chapters(built) -> None:
    pdf = built[("sample", "stacked", "en")]
    pages = page_texts(pdf)
    contents = pages[2]
    found = anchors(pdf)
    for slug, title in (("chapter-1", "Psalm 121: A Song for the Road"), ("chapter-2", "Pirkei Avot 1:1–3")):
        line = next(line for line in contents.splitlines() if title in line)
        # The folio ends the line; pdftotext may glue it to the Hebrew title before it.
        folio = re.search(r"(\d+)\s*$", line).group(1)
        opening_page = pages[found[slug]].strip().splitlines()[-1].strip()
        assert folio == opening_page


def test_outline_has_both_titles(built) -> None:
    with pikepdf.open(built[("sample", "stacked", "en")]) as document, document.open_outline() as outline:
        titles = [item.title for item in outline.root]
    assert titles == ["Psalm 121: A Song for the Road · תְּהִלִּים קכא",
                      "Pirkei Avot 1:1–3: The Chain of Tradition · פִּרְקֵי אָבוֹת א"]


def test_no_running_head_on_openings_or_blank_pages(built) -> None:
    pdf = built[("sample", "stacked", "en")]
    pages, found = page_texts(pdf), anchors(pdf)
    assert pages[3].strip() == ""
    # The opener's first line is its Hebrew display title, the English title the next (issue 12).
    opening = [line.strip() for line in pages[found["chapter-1"]].strip().splitlines()]
    assert opening[0] == "\u202bתְּהִלִּים קכא\u202c" and opening[1] == "Psalm 121: A Song for the Road"
    verso = pages[found["chapter-1"] + 1].strip().splitlines()
    assert verso[0].strip() == "A Test Book"


def test_hebrew_folios(tmp_path: Path) -> None:
    pdf = build_pdf(make_source(tmp_path, SAMPLE_CHAPTERS, "en", folio='"hebrew"'))
    pages, found = page_texts(pdf), anchors(pdf)
    embedding = "\u202b\u202c "  # pdftotext wraps right-to-left text in embedding marks
    assert pages[found["chapter-1"]].strip().splitlines()[-1].strip(embedding) == "א"
    assert pages[found["chapter-2"]].strip().splitlines()[-1].strip(embedding) == "ג"


@pytest.mark.parametrize("trim, size", [('"A5"', (419.53, 595.28)), ('"6in 9in"', (432, 648)),
                                        ('"Letter"', (612, 792))])
def test_trim_sizes(tmp_path: Path, trim: str, size: tuple[float, float]) -> None:
    pdf = build_pdf(make_source(tmp_path, SAMPLE_CHAPTERS, "en", trim=trim))
    with pikepdf.open(pdf) as document:
        box = [float(v) for v in document.pages[4].TrimBox]
    assert box[2] - box[0] == pytest.approx(size[0], abs=0.1) and box[3] - box[1] == pytest.approx(size[1], abs=0.1)


def test_bleed_and_crop_marks(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    pdf = build_pdf(make_source(tmp_path, SAMPLE_CHAPTERS, "en", bleed='"3mm"', marks="true"))
    bleed = 3 / 25.4 * 72
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            media, trim = [float(v) for v in page.MediaBox], [float(v) for v in page.TrimBox]
            bleed_box = [float(v) for v in page.BleedBox]
            assert media[0] <= trim[0] - bleed + 0.01 and media[2] >= trim[2] + bleed - 0.01
            assert media[1] <= trim[1] - bleed + 0.01 and media[3] >= trim[3] + bleed - 0.01
            assert bleed_box[0] == pytest.approx(trim[0] - bleed, abs=0.01)
    document = pdfium.PdfDocument(str(pdf))
    image = document[3].render(scale=2).to_pil().convert("L")  # a blank page: only the marks are drawn
    width, height = image.size
    # Issue 12: the marks stand outside the bleed, in the band the MediaBox adds around the BleedBox
    # (tests/test_preflight.py reads their coordinates); WeasyPrint drew them inside the bleed.
    band = (bleed_box[0] - media[0]) / (media[2] - media[0])
    strip = image.crop((0, 0, int(width * band), height))
    assert strip.getextrema()[0] < 128, "crop marks are drawn outside the bleed"
    document.close()


@pytest.mark.parametrize("variant", ["pdf/a-2b", "pdf/x-4"])
def test_pdf_variants_are_reproducible(tmp_path: Path, variant: str) -> None:
    import os
    import subprocess
    import sys

    source = make_source(tmp_path, SAMPLE_CHAPTERS, "he", pdf=f'"{variant}"', layout='"facing"')
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    outputs = []
    for run in ("a", "b"):
        out = tmp_path / run
        subprocess.run([sys.executable, str(PROJECT / "build.py"), "pdf", "--source", str(source), "--out", str(out)],
                       check=True, env=env, capture_output=True)
        outputs.append((out / "book.pdf").read_bytes())
    assert outputs[0] == outputs[1]
    marker = b"pdfaid:part" if variant == "pdf/a-2b" else b"GTS_PDFXVersion"
    with pikepdf.open(tmp_path / "a" / "book.pdf") as document:
        assert marker in document.Root.Metadata.read_bytes()


def test_unknown_layout_is_an_error_naming_the_line(tmp_path: Path) -> None:
    source = make_source(tmp_path, SAMPLE_CHAPTERS, "en", layout='"sideways"')
    result = build("pdf", "--source", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr.strip() == (f'{source / "book.toml"}:6: error [config-value] `[print] layout` must be one of '
                                     '"columns", "english", "facing", "hebrew", "stacked", not "sideways"')


def test_columns_long_pair_continues_on_both_sides(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    chapter = tmp_path / "01-long.md"
    english = " ".join(["A long translation that keeps going, sentence after sentence, to fill the page."] * 60)
    hebrew = " ".join(["מִשְׁפָּט אָרֹךְ מְאוֹד שֶׁמְּמַלֵּא אֶת הַדַּף כֻּלּוֹ."] * 60)
    chapter.write_text(f"Introduction.\n\n{english}\n\n{hebrew}\n", encoding="utf-8")
    pdf = build_pdf(make_source(tmp_path, [chapter], "en", layout='"columns"'))
    found = anchors(pdf)
    start = found["chapter-1-b2-en"]
    assert found["chapter-1-b2-he"] == start
    document = pdfium.PdfDocument(str(pdf))
    following = document[start + 1].get_textpage().get_text_range()
    document.close()
    assert "translation" in following, "the English continues on the next page"
    assert any("\u05d0" <= ch <= "\u05ea" for ch in following), "and so does the Hebrew"
