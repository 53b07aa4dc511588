"""booklet.pdf by structure: sheet sides, folding order, creep, scale, marks, fonts, bytes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from conftest import PROJECT
from pdftools import assert_only_book_fonts, page_count

from press import config
from press.diagnostics import BuildError
from press.editions.booklet.impose import points

LETTER = (792.0, 612.0)
A4_SHEET = (points("297mm"), points("210mm"))


def sample_with(tmp_path: Path, trim: str = "5.5in 8.5in", booklet: str = "") -> Path:
    """A copy of source/ with another trim and a [booklet] table."""
    source = tmp_path / "source"
    shutil.copytree(PROJECT / "source", source)
    toml = (source / "book.toml").read_text(encoding="utf-8")
    changed = re.sub(r'(?m)^trim = ".*"$', f'trim = "{trim}"', toml)
    assert changed != toml or trim == "5.5in 8.5in", "the sample's book.toml sets [print] trim"
    (source / "book.toml").write_text(f"{changed}\n[booklet]\n{booklet}\n", encoding="utf-8")
    return source


def run(command: str, source: Path, out: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`python build.py COMMAND` (build() of conftest, with an environment)."""
    return subprocess.run([sys.executable, str(PROJECT / "build.py"), command, "--source", str(source),
                           "--out", str(out)], capture_output=True, text=True, env=env, check=False)


def built(source: Path, out: Path, *commands: str, env: dict[str, str] | None = None) -> Path:
    for command in commands:
        result = run(command, source, out, env)
        assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def hebrew_seed(tmp_path_factory: pytest.TempPathFactory, seed_chapter: Path) -> Path:
    """The seed chapter as a Hebrew-led book: book.pdf and booklet.pdf, bound on the right."""
    source = tmp_path_factory.mktemp("hebrew-seed-source")
    shutil.copy(seed_chapter, source / seed_chapter.name)
    (source / "book.toml").write_text('title = "Lessons in Tanya"\nprimary = "he"\n', encoding="utf-8")
    return built(source, tmp_path_factory.mktemp("hebrew-seed"), "pdf", "booklet")


@pytest.fixture(scope="module")
def a5_creep_marks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = sample_with(tmp_path_factory.mktemp("a5"), "A5", 'creep = "1mm"\nmarks = true')
    return built(source, tmp_path_factory.mktemp("a5-out"), "booklet") / "booklet.pdf"


# --- reading a booklet back ---------------------------------------------------------------------

def placed(booklet: Path) -> list[dict[str, tuple[str, list[float]]]]:
    """Per sheet side: half ("left"/"right") -> (XObject name, cm matrix) of the page drawn there."""
    sides = []
    with pikepdf.open(booklet) as pdf:
        for page in pdf.pages:
            spine, halves, clip, matrix = float(page.mediabox[2]) / 2, {}, None, None
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "re":
                    clip = float(operands[0])
                elif str(operator) == "cm":
                    matrix = [float(v) for v in operands]
                elif str(operator) == "Do":
                    halves["left" if clip < spine else "right"] = (str(operands[0]), matrix)
            sides.append(halves)
    return sides


def words(pdf: Path, page: int, crop: tuple[float, float, float, float] | None = None) -> list[str]:
    """pdftotext's words of one page (1-based), or of a rectangle x, y (from the top), w, h in points."""
    box = [] if crop is None else ["-x", str(round(crop[0])), "-y", str(round(crop[1])),
                                   "-W", str(round(crop[2])), "-H", str(round(crop[3]))]
    command = ["pdftotext", "-enc", "UTF-8", "-r", "72", "-f", str(page), "-l", str(page), *box, str(pdf), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.split()


def half_words(booklet: Path, side: int, half: str, sheet: tuple[float, float]) -> list[str]:
    width, height = sheet
    return words(booklet, side + 1, (0 if half == "left" else width / 2, 0, width / 2, height))


def reading_order(sides: int, binding: str) -> list[tuple[int, str]]:
    """(sheet side, half) in the order a reader meets them once the stack is folded.

    Independent of press.editions.booklet.impose: sides alternate front/back with sheet 0
    outermost; printed duplex flipping on the short edge, a back's left
    half lies behind its front's right half. Left-bound, the cover is the
    first front's right half; the reader goes in through each sheet
    (front recto, back verso) and back out (back recto, front verso).
    """
    recto, verso = ("right", "left") if binding == "left" else ("left", "right")
    fronts = range(0, sides, 2)
    inward = [(side, half) for f in fronts for side, half in ((f, recto), (f + 1, verso))]
    outward = [(side, half) for f in reversed(fronts) for side, half in ((f + 1, recto), (f, verso))]
    return inward + outward


def assert_folds_in_order(book: Path, booklet: Path, binding: str, sheet: tuple[float, float] = LETTER) -> None:
    pages, sides = page_count(book), placed(booklet)
    assert len(sides) == 2 * -(-pages // 4), "2 x ceil(N/4) sheet sides"
    order = reading_order(len(sides), binding)
    for number, (side, half) in enumerate(order, 1):
        if number <= pages:
            assert sides[side][half][0] == f"/P{number}", f"page {number} is on side {side + 1}, {half}"
            assert half_words(booklet, side, half, sheet) == words(book, number), f"text of page {number}"
        else:
            assert half not in sides[side], f"reading position {number} is padding and must be blank"


# --- the acceptance tests -----------------------------------------------------------------------

def test_python_build_py_builds_the_booklet_too(sample_build: Path) -> None:
    assert (sample_build / "booklet.pdf").stat().st_size > 1000


def test_sample_has_two_sides_per_four_pages_on_landscape_letter(sample_build: Path) -> None:
    pages = page_count(sample_build / "book.pdf")
    with pikepdf.open(sample_build / "booklet.pdf") as pdf:
        assert len(pdf.pages) == 2 * -(-pages // 4)
        assert {tuple(float(v) for v in page.mediabox) for page in pdf.pages} == {(0, 0, *LETTER)}


def test_sample_folds_into_reading_order_bound_left(sample_build: Path) -> None:
    assert_folds_in_order(sample_build / "book.pdf", sample_build / "booklet.pdf", "left")


def test_hebrew_led_book_folds_into_reading_order_bound_right(hebrew_seed: Path) -> None:
    assert_folds_in_order(hebrew_seed / "book.pdf", hebrew_seed / "booklet.pdf", "right")
    first = placed(hebrew_seed / "booklet.pdf")[0]
    assert first["left"][0] == "/P1", "bound on the right, the cover is left of the spine"


def test_english_led_seed_folds_bound_left(seed_build: Path) -> None:
    assert_folds_in_order(seed_build / "book.pdf", seed_build / "booklet.pdf", "left")


def test_fonts_are_still_the_books_own_and_embedded(sample_build: Path, hebrew_seed: Path) -> None:
    assert_only_book_fonts(sample_build / "booklet.pdf")
    assert_only_book_fonts(hebrew_seed / "booklet.pdf")


def test_a5_trim_is_scaled_to_half_a_letter_sheet(a5_creep_marks: Path) -> None:
    factor = 396 / points("148mm")
    for side in placed(a5_creep_marks):
        for _, (a, b, c, d, _e, f) in side.values():
            assert (a, b, c, d) == pytest.approx((factor, 0, 0, factor), abs=1e-4)
            assert f == pytest.approx((612 - points("210mm") * factor) / 2, abs=1e-3), "centred vertically"


def test_a4_trim_on_letter_is_scaled_further(tmp_path: Path) -> None:
    source = sample_with(tmp_path, "A4")
    booklet = built(source, tmp_path / "out", "booklet") / "booklet.pdf"
    scales = {round(matrix[0], 4) for side in placed(booklet) for _, matrix in side.values()}
    assert scales == {round(396 / points("210mm"), 4)}


def test_a5_on_an_a4_sheet_is_not_scaled(tmp_path: Path) -> None:
    source = sample_with(tmp_path, "A5", 'sheet = "a4"')
    booklet = built(source, tmp_path / "out", "pdf", "booklet") / "booklet.pdf"
    with pikepdf.open(booklet) as pdf:
        assert [float(v) for v in pdf.pages[0].mediabox] == pytest.approx([0, 0, *A4_SHEET], abs=1e-3)
    assert {matrix[0] for side in placed(booklet) for _, matrix in side.values()} == {1.0}
    assert_folds_in_order(tmp_path / "out" / "book.pdf", booklet, "left", A4_SHEET)


def test_creep_shifts_inner_sheets_toward_the_spine(a5_creep_marks: Path) -> None:
    sides, creep = placed(a5_creep_marks), points("1mm")
    assert len(sides) >= 4 and "left" in sides[0] and "right" in sides[0], "two sheets, a full outer front"
    outer = {half: matrix[4] for half, (_, matrix) in sides[0].items()}
    for index, side in enumerate(sides):
        depth = index // 2  # two sides per sheet, sheet 0 outermost
        toward_spine = {half: (matrix[4] - outer[half]) * (1 if half == "left" else -1)
                        for half, (_, matrix) in side.items()}
        assert toward_spine == pytest.approx(dict.fromkeys(side, creep * depth), abs=1e-3)
    assert outer["right"] == pytest.approx(396), "the outermost sheet's pages sit against the spine"


def test_fold_marks_on_the_spine_outside_the_pages(a5_creep_marks: Path) -> None:
    page_top = (612 + points("210mm") * 396 / points("148mm")) / 2
    with pikepdf.open(a5_creep_marks) as pdf:
        for page in pdf.pages:
            strokes = [[float(v) for v in ops] for ops, op in pikepdf.parse_content_stream(page) if str(op) in "ml"]
            assert len(strokes) == 4, "a line at the head and one at the foot"
            assert all(x == 396 for x, _ in strokes)
            assert all(y > page_top or y < 612 - page_top for _, y in strokes)


def test_no_room_for_fold_marks_is_a_warning(tmp_path: Path) -> None:
    source = sample_with(tmp_path, booklet="marks = true")
    result = run("booklet", source, tmp_path / "out")
    assert result.returncode == 0
    assert f"{source / 'book.toml'}: warning [fold-marks] no fold marks" in result.stderr


def test_rebuilds_are_byte_identical(tmp_path: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    first = built(PROJECT / "source", tmp_path / "a", "booklet", env=env) / "booklet.pdf"
    second = built(PROJECT / "source", tmp_path / "b", "booklet", env=env) / "booklet.pdf"
    assert first.read_bytes() == second.read_bytes()
    assert not [p for p in (tmp_path / "a").iterdir() if p.name != "booklet.pdf"], "only booklet.pdf is written"


# --- [booklet] in book.toml -------------------------------------------------------------------

@pytest.mark.parametrize(("line", "expected"), [
    ('sheet = "a3"', 'error [config-value] `[booklet] sheet` must be "letter" or "a4", not "a3"'),
    ('creep = "0.1"', 'error [config-value] `[booklet] creep` must be a length such as "0.1mm" or "0.3pt", '
                      'not "0.1"'),
    ('marks = "yes"', "error [config-type] `[booklet] marks` must be true or false"),
    ("folds = 2", "error [config-key] unknown key `folds` in [booklet]"),
])
def test_bad_booklet_settings_name_file_and_line(tmp_path: Path, line: str, expected: str) -> None:
    toml = tmp_path / "book.toml"
    toml.write_text(f'title = "T"\n\n[booklet]\n{line}\n', encoding="utf-8")
    with pytest.raises(BuildError) as failure:
        config.load(toml)
    assert str(failure.value) == f"{toml}:4: {expected}"


def test_booklet_settings_are_read(tmp_path: Path) -> None:
    toml = tmp_path / "book.toml"
    toml.write_text('[booklet]\nsheet = "A4"\ncreep = "0.1mm"\nmarks = true\n', encoding="utf-8")
    settings = config.load(toml).booklet
    assert (settings.sheet, settings.creep, settings.marks) == ("A4", "0.1mm", True)
