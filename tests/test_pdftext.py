"""Hebrew that copies out of every PDF (press/pdftext): the plan, the WeasyPrint pin, the seed chapter.

The seed chapter is built once per output (every print layout that prints
Hebrew, the booklet, a sheet of the whole chapter, and book.pdf without
the text layer to compare against) and read back with PDFium, PDFium build
7891, poppler and pdf.js (where Node.js is).
"""

from __future__ import annotations

import hashlib
import inspect
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from conftest import CORPUS, PROJECT
from hebrew_text import (
    hebrew_words,
    old_pdfium_python,
    pdfium_text,
    pdfjs_missing,
    pdfjs_text,
    poppler_text,
    score,
)

from press.config import print_layouts
from press.diagnostics import Reporter
from press.editions.book.layouts import load
from press.engine.pdftext import SUPPORTED_WEASYPRINT
from press.engine.pdftext.hook import WRAPPED_SIGNATURE
from press.engine.pdftext.plan import (
    _PDFJS_BACKSTEP,
    INVISIBLE,
    RLM,
    Glyph,
    cluster_texts,
    is_point,
    is_weak,
    logical_text,
    plan,
    stream_order,
)
from press.engine.pdftext.poppler import poppler_class, poppler_order
from press.model import plain_text
from press.readers import plaintext
from press.typography import Rules, typeset

THRESHOLD = 0.99  # of the chapter's Hebrew words, in every engine (116 of 117)
HEBREW_LAYOUTS = tuple(name for name in print_layouts() if "he" in load(name).languages)

# --- the plan, without WeasyPrint -------------------------------------------------

BET, DAGESH, QAMATS, SHIN, SHIN_DOT, HOLAM, VAV, METEG = "ב", "\u05bc", "\u05b8", "ש", "\u05c1", "\u05b9", "ו", "\u05bd"
SHEVA = "\u05b0"


def test_a_cluster_gives_its_points_in_source_order_then_its_letter() -> None:
    # three glyphs (qamats, dagesh, bet): whichever glyph shows which point
    assert cluster_texts(BET + DAGESH + QAMATS, 3) == ([DAGESH, QAMATS, BET], "")
    assert cluster_texts(BET + QAMATS + DAGESH, 3) == ([QAMATS, DAGESH, BET], "")


def test_a_letter_drawn_with_its_point_leaves_the_point_to_a_placeholder() -> None:
    # bet-with-dagesh is one glyph, qamats another: the dagesh goes to a blank
    assert cluster_texts(BET + DAGESH + QAMATS, 2) == ([DAGESH, BET], QAMATS)
    assert cluster_texts(SHIN + SHIN_DOT, 1) == ([SHIN], SHIN_DOT)


def test_a_cluster_without_points_or_with_too_many_glyphs() -> None:
    assert cluster_texts(",", 1) == ([","], "")
    assert cluster_texts(BET, 2) is None


def test_a_comma_left_of_a_point_is_parted_from_it_by_an_rlm() -> None:
    """Visual order throughout (pdf.js reverses the whole line); a blank reading as an RLM
    between a comma and the point right of it (PDFium would read the comma before the point)."""
    assert stream_order([",", QAMATS, "א"]) == [0, 1, 2]
    glyphs = [Glyph(1, 0, 264, 0, ","), Glyph(2, 500, 0, 0, QAMATS), Glyph(3, 264, 530, 0, "א")]
    laid = plan(glyphs, [("אָ,", True)], blank_gid=9)
    assert [code.text for code, _ in laid.shows] == [",", RLM, QAMATS, "א"]
    assert [code.gid for code, _ in laid.shows] == [1, 9, 2, 3]
    assert [code.text for code, _ in plan(glyphs[1:], [("אָ", True)], 9).shows][1:] == [QAMATS, "א"]


def _poppler_reads(line: str, ltr_page: bool) -> str:
    """A line's characters as poppler (TextOutputDev.cc, reorderText) gives them back, without the
    embedding controls it adds: on a left-to-right page, runs of characters that are not
    right-to-left kept and each run from a right-to-left character to the next letter or digit
    of the other kind reversed; on a right-to-left page, from the right, runs without such a
    letter or digit reversed and runs without a right-to-left character kept."""
    rtl, ltr = (lambda c: poppler_class(c) == "R"), (lambda c: poppler_class(c) in "L#")
    # From the left on a left-to-right page, from the right on a right-to-left one: a run that
    # comes out as met, then one that comes out turned, and so on.
    chars, as_met, turned = (line, rtl, ltr) if ltr_page else (line[::-1], ltr, rtl)
    out, at = [], 0
    while at < len(chars):
        middle = at
        while middle < len(chars) and not as_met(chars[middle]):
            middle += 1
        end = middle
        while end < len(chars) and not turned(chars[end]):
            end += 1
        out += [chars[at:middle], chars[middle:end][::-1]]
        at = end
    return "".join(out)


HEBREW_LINES = [
    "עוֹד יֵשׁ דֶּרֶךְ יָשָׁר לִפְנֵי אִישׁ, לַעֲסוֹק בַּתּוֹרָה וּמִצְוֹת לִשְׁמָן,",
    "וְנִתְלַבֵּשׁ בְּ„מַשְׁכָּא דְחִוְיָא“,",
    "וְעַל זֶה נֶאֱמַר: „וְיָשׁוֹב אֶל ה׳ וִירַחֲמֵהוּ“,",
    "אִתָּם בְּתוֹךְ טוּמְאֹתָם“.",
    " וַיְהִ֗י בִּימֵי֙ שְׁפֹ֣ט",  # a verse after its number: the space first
    "בָנָֽיו׃",
    "מהדורה שנייה, 2025",
]


@pytest.mark.parametrize("ltr_page", [True, False])
@pytest.mark.parametrize("line", HEBREW_LINES)
def test_poppler_reads_a_box_back_in_reading_order(line: str, ltr_page: bool) -> None:
    assert _poppler_reads(poppler_order(line, ltr_page), ltr_page).replace(RLM, "") == line


def test_on_a_left_to_right_page_clauses_stand_in_reading_order() -> None:
    assert poppler_order("אב, גד,", True) == "בא, דג,"
    assert poppler_order("אִישׁ, א", True) == RLM + "ׁשיִא, א", "an RLM after a clause that ends with a point"


def test_on_a_right_to_left_page_the_text_stands_in_visual_order() -> None:
    assert poppler_order("אב גד", False) == "דג בא"
    assert poppler_order("אב, גד", False) == "דג " + RLM + ",בא", "the space after a comma goes with what follows"


def test_lines_of_several_boxes_on_a_right_to_left_page() -> None:
    """The hebrew layout runs paragraphs on: one line holds several boxes, and poppler puts a
    space between two of them. A box that ends with a comma ends with an RLM, or poppler would
    read that space before the comma."""
    boxes = ["אב, גד,", "הו"]  # in reading order; the first is drawn rightmost
    line = poppler_order(boxes[1], False) + " " + poppler_order(boxes[0], False)
    assert _poppler_reads(line, False).replace(RLM, "") == "אב, גד, הו"


def test_poppler_is_given_the_box_in_reading_order() -> None:
    assert logical_text([("גד", True), ("אב ", True)]) == "אב גד", "runs come in visual order"
    assert logical_text([("ה\u00a0ו\u2060", True)]) == "ה ו", "no-break space and word joiner as in the source"


def _replay(laid) -> list[int]:
    """Where a PDF reader paints each shown glyph: the TJ's own arithmetic."""
    pen, painted = laid.start, []
    for code, move in laid.shows:
        painted.append(pen)
        pen += code.width - move
    return painted


def test_the_tj_moves_only_leftward_and_paints_where_weasyprint_does() -> None:
    glyphs = [Glyph(10, 0, 300, 0, ","), Glyph(20, 512.4, 0, 0, QAMATS), Glyph(30, 300, 600, 0, "א"),
              Glyph(40, 900, 250, 0, " "), Glyph(50, 1300, 0, -0.4, HOLAM), Glyph(60, 1150, 500, 0, VAV)]
    laid = plan(glyphs, [(VAV + HOLAM + " " + "א" + QAMATS + ",", True)], blank_gid=3)
    assert all(move >= 0 for _, move in laid.shows)
    assert all(code.width >= 0 for code, _ in laid.shows if not is_point(code.text)), "only a point steps back"
    order = stream_order([g.text for g in glyphs])
    painted = [(glyphs[i].text, round(glyphs[i].x)) for i in order if not glyphs[i].text.isspace()]
    shown = [(code.text, x) for (code, _), x in zip(laid.shows, _replay(laid), strict=True)
             if not code.text.isspace() and code.text not in (RLM, INVISIBLE)]
    assert shown == painted, "every visible glyph where WeasyPrint paints it"
    assert [r.code.text for r in laid.raised] == [INVISIBLE] and laid.raised[0].x == 1300
    assert [r.text for r in laid.raised] == [HOLAM]
    blank = [code for code, _ in laid.shows if code.text == HOLAM]
    assert blank and blank[0].gid == 3, "a raised point stands in the TJ as a blank carrying its text"


def _pdfjs_reading(laid) -> list[tuple[str, int, int]]:
    """Each letter shown, how far left of where the letter before it ended pdf.js finds it, and
    how far right of where it is (pdf.js counts no width for a point, and skips a glyph whose
    text ends in a format character, width, move and all)."""
    seen = real = laid.start
    end, read = None, []
    for code, move in laid.shows:
        if unicodedata.category(code.text[-1]) == "Cf":
            real += code.width - move
            continue
        mark = any(unicodedata.category(c) == "Mn" for c in code.text)  # pdf.js: a mark anywhere
        if not mark and not code.text.isspace():
            read.append((code.text, 0 if end is None else end - seen, seen - real))
            end = seen + code.width
        seen += (0 if mark else code.width) - move
        real += code.width - move
    return read


def test_pdfjs_finds_each_letter_where_the_letter_before_it_ended() -> None:
    """Points drawn far right of their letter's start (a qamats under a resh) are shown before the
    letter: pdf.js, which counts no width for them, must not see the letter more than a fifth of
    an em back (a new text item) nor ahead (a space)."""
    glyphs = [Glyph(1, 0, 477, 0, "ה"), Glyph(2, 710, 0, 0, QAMATS), Glyph(3, 477, 477, 0, "ר"),
              Glyph(4, 1200, 0, 0, HOLAM), Glyph(5, 954, 275, 0, VAV)]
    laid = plan(glyphs, [("וֹרָה", True)], blank_gid=9)
    assert [text for text, _, _ in _pdfjs_reading(laid)] == ["ה", "ר", "ו"]
    assert all(0 <= back < 200 for _, back, _ in _pdfjs_reading(laid)), _pdfjs_reading(laid)


def test_points_joined_by_a_zero_width_joiner_count_as_points_for_pdfjs() -> None:
    """Keter YG draws a hataf and a meteg parted by a zero-width joiner (אֱ‍ֽלִימֶלֶךְ) as one glyph;
    pdf.js counts no width for it (it holds a mark) though it is no point alone: its letter must
    still be found within a fifth of an em, or it starts an item of its own (and went to the
    line's end)."""
    joined = "\u05b1\u200d\u05bd"
    glyphs = [Glyph(1, 0, 500, 0, "ל"), Glyph(2, 814, -314, 0, joined), Glyph(3, 500, 544, 0, "א")]
    laid = plan(glyphs, [("א" + joined + "ל", True)], blank_gid=9)
    assert [text for text, _, _ in _pdfjs_reading(laid)] == ["ל", "א"]
    assert all(0 <= back < 200 for _, back, _ in _pdfjs_reading(laid)), _pdfjs_reading(laid)


def test_pdfjs_is_brought_back_to_the_real_pen_at_each_space() -> None:
    """Where a point sits more than a fifth of an em right of its letter's start, pdf.js cannot be
    kept both on the pen and within a fifth of an em of the last letter: it runs ahead, and at the
    end of a long line of ta'amim it ran off the page and dropped the first letters of the line.
    A word joiner before each space takes the difference back."""
    glyphs, words = [], 6
    for word in range(words):
        x = word * 1000
        glyphs += [Glyph(1, x + 600, 0, 0, QAMATS), Glyph(2, x, 700, 0, "ר"), Glyph(3, x + 700, 300, 0, " ")]
    laid = plan(glyphs, [(" ".join(["רָ"] * words) + " ", True)], blank_gid=9)
    reading = [read for read in _pdfjs_reading(laid) if read[0] == "ר"]
    assert len(reading) == words and all(0 <= back < 200 for _, back, _ in reading), reading
    assert all(0 <= ahead <= 600 - _PDFJS_BACKSTEP + 1 for _, _, ahead in reading), "no more than one point's worth"


def test_a_space_before_a_point_is_shown_before_the_point_and_read_as_a_space() -> None:
    """pdf.js reverses the whole line, so a space must not fall between a letter and its points;
    PDFium reads a no-break space there like a comma, so it is shown as a plain space."""
    assert stream_order(["ט", SHEVA, "\u00a0", "ך"]) == [0, 2, 1, 3]
    assert stream_order([")", QAMATS, "א", ",", " "]) == [0, 1, 2, 3, 4]
    glyphs = [Glyph(1, 0, 500, 0, "ט"), Glyph(2, 700, 0, 0, SHEVA), Glyph(3, 500, 240, 0, "\u00a0"),
              Glyph(4, 740, 480, 0, "ך")]
    laid = plan(glyphs, [("ךְ\u00a0ט", True)], blank_gid=9)
    assert [code.text for code, _ in laid.shows] == ["ט", " ", SHEVA, "ך"]


def test_a_space_at_either_end_of_a_box_is_read() -> None:
    """pdf.js drops a space glyph that no glyph of its own text item follows; with a word joiner
    first it reads the space (the space between a verse number and its verse)."""
    glyphs = [Glyph(1, 0, 240, 0, " "), Glyph(2, 240, 500, 0, "א"), Glyph(3, 740, 240, 0, " ")]
    laid = plan(glyphs, [(" א ", True)], blank_gid=9)
    assert [code.text for code, _ in laid.shows] == [INVISIBLE + " ", "א", INVISIBLE + " "]


# --- the pin on WeasyPrint ---------------------------------------------------------

# sha256 of the functions whose behaviour press/pdftext relies on: draw_first_line
# (its arithmetic is replayed in shaping.py) and the font writers (they must keep
# writing /W and ToUnicode from font.widths and font.to_unicode, with an Identity
# CIDToGIDMap that codes.py replaces).
PINNED = {
    "weasyprint.draw.text.draw_first_line": "1bb8eae6d88e71b17096a034656f3be17da8f1f513c78536c1c38d971927638b",
    "weasyprint.pdf.fonts.build_fonts_dictionary": "fc551bef35d0d6c3d288f686fd21b5ea8c1efadb8f2f3b4d379cfa6045c02230",
    "weasyprint.pdf.fonts._build_vector_font_dictionary":
        "aa6eea312c6e3375689f3405d48c5059525038a8d73d2f63bf3476de6dc05903",
    # wrapped so that each page has its own record of letters (poppler orders lines by the page)
    "weasyprint.document.Page.paint": "b2f0dcbda755b5d5bd3969e12620c743cdd57fd6d4855685793e128175714410",
}


def _source_hash(dotted: str) -> str:
    import importlib

    parts = dotted.split(".")
    for split in range(len(parts) - 1, 0, -1):  # the longest prefix that is a module, then attributes
        try:
            found = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for name in parts[split:]:
            found = getattr(found, name)
        break
    function = found
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()


def test_weasyprint_is_the_version_the_text_layer_was_written_for() -> None:
    import weasyprint

    assert weasyprint.__version__ in SUPPORTED_WEASYPRINT, (
        f"WeasyPrint {weasyprint.__version__}: re-check press/pdftext against its draw_first_line and fonts")


def test_weasyprint_drawing_is_unchanged_under_the_text_layer() -> None:
    import weasyprint.draw.text as text

    original = inspect.unwrap(text.draw_first_line)
    assert tuple(inspect.signature(original).parameters) == WRAPPED_SIGNATURE
    changed = {name: digest for name, digest in PINNED.items() if _source_hash(name) != digest}
    assert not changed, (f"WeasyPrint's drawing changed under press/pdftext: {sorted(changed)}; "
                         "re-check shaping.py and codes.py, then update PINNED")


# --- the seed chapter, in every PDF --------------------------------------------------


def _source(root: Path, chapter: Path, layout: str) -> Path:
    folder = root / f"source-{layout}"
    folder.mkdir()
    shutil.copy(chapter, folder / chapter.name)
    (folder / "book.toml").write_text(f'[print]\nlayout = "{layout}"\n', encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def seed_pdfs(tmp_path_factory: pytest.TempPathFactory, seed_chapter: Path) -> dict[str, Path]:
    """Every PDF of the seed chapter, built in parallel: `book-LAYOUT`, `booklet`, `sheet`, `plain`."""
    root = tmp_path_factory.mktemp("pdftext")
    chapter = plaintext.read(seed_chapter, 1, Reporter())
    sources = {layout: _source(root, seed_chapter, layout) for layout in HEBREW_LAYOUTS}
    # Build caches of their own: a cached piece does not know whether it was written with the text layer.
    layered = {"PRESS_BUILD_CACHE": str(root / "cache")}
    jobs = {f"book-{layout}": (["pdf"], source, layered, "book.pdf") for layout, source in sources.items()}
    jobs["booklet"] = (["booklet"], sources["stacked"], layered, "booklet.pdf")
    jobs["sheet"] = (["sheet", "--passage", f"{chapter.number}:1-{len(chapter.blocks)}"], sources["stacked"],
                     layered, "sheet.pdf")
    jobs["plain"] = (["pdf"], sources["stacked"], {"PRESS_PDFTEXT": "off", "PRESS_BUILD_CACHE": str(root / "plain")},
                     "book.pdf")
    running = {}
    for name, (args, source, env, output) in jobs.items():
        out = root / f"out-{name}"
        command = [sys.executable, str(PROJECT / "build.py"), *args, "--source", str(source), "--out", str(out)]
        process = subprocess.Popen(command, cwd=PROJECT, env={**os.environ, **env}, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        running[name] = (process, out / output)
    for name, (process, _) in running.items():
        _, errors = process.communicate()
        assert process.returncode == 0, f"{name}: {errors}"
    return {name: pdf for name, (_, pdf) in running.items()}


@pytest.fixture(scope="module")
def seed_words(seed_chapter: Path) -> list[str]:
    return hebrew_words(seed_chapter.read_text(encoding="utf-8"))


def _assert_threshold(engine: str, found: int, expected: list[str]) -> None:
    assert found >= THRESHOLD * len(expected), f"{engine}: {found}/{len(expected)} Hebrew words come back exactly"


OUTPUTS = [*(f"book-{layout}" for layout in HEBREW_LAYOUTS), "booklet", "sheet"]


@pytest.mark.parametrize("output", OUTPUTS)
def test_hebrew_copies_out_of_pdfium(seed_pdfs: dict[str, Path], seed_words: list[str], output: str) -> None:
    _assert_threshold("PDFium", score(seed_words, pdfium_text(seed_pdfs[output])), seed_words)


@pytest.mark.parametrize("output", OUTPUTS)
def test_hebrew_copies_out_of_poppler(seed_pdfs: dict[str, Path], seed_words: list[str], output: str) -> None:
    _assert_threshold("poppler", score(seed_words, poppler_text(seed_pdfs[output])), seed_words)


@pytest.mark.parametrize("output", OUTPUTS)
def test_hebrew_copies_out_of_pdfjs(seed_pdfs: dict[str, Path], seed_words: list[str], output: str) -> None:
    missing = pdfjs_missing()
    if missing:
        pytest.skip(f"skipped: {missing}")
    _assert_threshold("pdf.js", score(seed_words, pdfjs_text(seed_pdfs[output])), seed_words)


@pytest.mark.parametrize("output", OUTPUTS)
def test_hebrew_copies_out_of_pdfium_7891(seed_pdfs: dict[str, Path], seed_words: list[str], output: str) -> None:
    python = old_pdfium_python()
    if isinstance(python, str):
        pytest.skip(f"skipped: {python}")
    _assert_threshold("PDFium 7891", score(seed_words, pdfium_text(seed_pdfs[output], python)), seed_words)


def test_whole_hebrew_paragraphs_come_back_as_written(seed_pdfs: dict[str, Path], seed_chapter: Path) -> None:
    """Every Hebrew paragraph as printed, exactly, points in source order (no normalisation), in both
    PDFium builds. Printed: its quotation marks and geresh (press/typography.py), without the word
    joiners it adds; PDFium reads a closing ” in a right-to-left run as “, so the two count as one.
    An RLM comes back only where one parts a comma or period from the point before it (plan.py)."""
    chapter = plaintext.read(seed_chapter, 1, Reporter())
    quotes = str.maketrans("”", "“", "\u2060")
    paragraphs = [" ".join(plain_text(typeset(b.he.runs, "he", Rules())).translate(quotes).split())
                  for b in chapter.blocks if b.he is not None]
    old = old_pdfium_python()
    for python in (None, *(() if isinstance(old, str) else (old,))):
        read = pdfium_text(seed_pdfs["book-stacked"], python)
        text = " ".join(read.translate(quotes).replace(RLM, "").split())
        missing = [p for p in paragraphs if p not in text]
        assert not missing, f"PDFium ({python or 'current'}) misses {len(missing)} paragraphs: {missing[0]}"
        parted = re.findall(f"(.?){RLM}(.?)", read)
        assert all(is_point(point) and is_weak(mark) for point, mark in parted), f"a stray RLM: {parted}"


# poppler's embedding controls (LRE, RLE, PDF): pdftotext, and a viewer's copy, wrap every run it
# reorders in them; they are poppler's, not the PDF's.
POPPLER_EMBEDDINGS = dict.fromkeys((0x202A, 0x202B, 0x202C))
PARAGRAPHS_IN_POPPLER = 15  # of the seed chapter's 16 Hebrew paragraphs, in every output


@pytest.mark.parametrize("output", OUTPUTS)
def test_whole_hebrew_paragraphs_come_back_from_poppler(seed_pdfs: dict[str, Path], seed_chapter: Path,
                                                         output: str) -> None:
    """The paragraphs as the PDFium test reads them, in poppler, whose line order depends on the
    page's direction (plan.poppler_order): on the English-led pages of most layouts and on the
    Hebrew pages of `hebrew`, which runs paragraphs on several to a line. An RLM comes back only
    next to a point or punctuation, or after a space (where one keeps a space with its clause)."""
    chapter = plaintext.read(seed_chapter, 1, Reporter())
    quotes = str.maketrans("”", "“", "\u2060")
    paragraphs = [" ".join(plain_text(typeset(b.he.runs, "he", Rules())).translate(quotes).split())
                  for b in chapter.blocks if b.he is not None]
    read = poppler_text(seed_pdfs[output]).translate(POPPLER_EMBEDDINGS)
    text = " ".join(read.translate(quotes).replace(RLM, "").split())
    missing = [p for p in paragraphs if p not in text]
    assert len(paragraphs) - len(missing) >= PARAGRAPHS_IN_POPPLER, (
        f"poppler misses {len(missing)} of {len(paragraphs)} paragraphs: {missing[:2]}")
    assert not re.findall(f"[\u05d0-\u05ea]{RLM}", read), "an RLM after a letter"


def _latin_words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z’']+", text)  # ASCII: mangled Hebrew reads as Latin-1 letters


def test_english_reads_exactly_as_without_the_text_layer(seed_pdfs: dict[str, Path]) -> None:
    for read in (pdfium_text, poppler_text):
        assert _latin_words(read(seed_pdfs["book-stacked"])) == _latin_words(read(seed_pdfs["plain"]))


def test_the_plain_build_to_compare_against_is_plain(seed_pdfs: dict[str, Path], seed_words: list[str]) -> None:
    assert score(seed_words, pdfium_text(seed_pdfs["plain"])) < len(seed_words) / 2, "PRESS_PDFTEXT=off was ignored"


def test_file_size_stays_small(seed_pdfs: dict[str, Path]) -> None:
    assert seed_pdfs["book-stacked"].stat().st_size <= 1.5 * seed_pdfs["plain"].stat().st_size


def test_pages_look_exactly_as_without_the_text_layer(seed_pdfs: dict[str, Path]) -> None:
    """Rendered at 8 px a point, every pixel matches one within 2 px (a quarter point) of it."""
    import pypdfium2 as pdfium
    from PIL import ImageChops, ImageFilter

    layered, plain = pdfium.PdfDocument(seed_pdfs["book-stacked"]), pdfium.PdfDocument(seed_pdfs["plain"])
    assert len(layered) == len(plain)
    for index in range(len(plain)):
        mine, theirs = (doc[index].render(scale=8, grayscale=True).to_pil().convert("L") for doc in (layered, plain))
        darker = ImageChops.subtract(theirs.filter(ImageFilter.MinFilter(5)), mine).getextrema()[1]
        lighter = ImageChops.subtract(mine, theirs.filter(ImageFilter.MaxFilter(5))).getextrema()[1]
        assert max(darker, lighter) <= 16, f"page {index + 1} differs by more than a quarter point"


# --- Ruth with its ta'amim, in three layouts ----------------------------------------------

RUTH = CORPUS / "sefaria" / "ruth" / "he-taamei-hamikra.json"


# `hebrew` runs the verses on: the space between two verses is a box of its own (hook._draw_space).
RUTH_LAYOUTS = ("stacked", "facing", "hebrew")


@pytest.fixture(scope="module")
def ruth_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if not RUTH.is_file():
        pytest.skip(f"skipped: the shared corpus is absent ({RUTH} not found)")
    root = tmp_path_factory.mktemp("ruth")
    running = {}
    for layout in RUTH_LAYOUTS:
        source = root / f"source-{layout}"
        source.mkdir()
        for name in (RUTH.name, "en-jps-1917.json"):
            shutil.copy(RUTH.parent / name, source / name)
        (source / "book.toml").write_text(f'[print]\nlayout = "{layout}"\n', encoding="utf-8")
        command = [sys.executable, str(PROJECT / "build.py"), "pdf", "--source", str(source),
                   "--out", str(root / layout)]
        env = {**os.environ, "PRESS_BUILD_CACHE": str(root / f"cache-{layout}")}
        running[layout] = subprocess.Popen(command, cwd=PROJECT, env=env, text=True,
                                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    for layout, process in running.items():
        _, errors = process.communicate()
        assert process.returncode == 0, f"{layout}: {errors}"
    return {layout: root / layout / "book.pdf" for layout in running}


@pytest.mark.parametrize("layout", RUTH_LAYOUTS)
@pytest.mark.parametrize("engine", ["PDFium", "poppler", "pdf.js"])
def test_ruth_with_its_taamim_copies_out(ruth_pdfs: dict[str, Path], layout: str, engine: str) -> None:
    if engine == "pdf.js" and pdfjs_missing():
        pytest.skip(f"skipped: {pdfjs_missing()}")
    read = {"PDFium": pdfium_text, "poppler": poppler_text, "pdf.js": pdfjs_text}[engine]
    expected = hebrew_words(RUTH.read_text(encoding="utf-8"))
    _assert_threshold(engine, score(expected, read(ruth_pdfs[layout])), expected)


# --- a Hebrew line with a number: the colophon's edition line -------------------------------------


def test_a_hebrew_line_with_a_number_copies_out(tmp_path: Path, seed_chapter: Path) -> None:
    """The `hebrew` layout's colophon says "מהדורה שנייה, 2025": a right-to-left line whose number
    is a left-to-right run. WeasyPrint's own text for it lost its spaces in PDFium and read a
    holam in poppler (its codes keep the characters a glyph was first drawn with: the vav of the
    pointed Hebrew title); the text layer now writes such a line too."""
    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(seed_chapter, source / seed_chapter.name)
    (source / "book.toml").write_text('title = "Edition"\ntitle_he = "שִׁיר לַמַּעֲלוֹת"\nedition = 2\n'
                                      'date = "2025-03-01"\n\n[print]\nlayout = "hebrew"\n', encoding="utf-8")
    out = tmp_path / "out"
    command = [sys.executable, str(PROJECT / "build.py"), "pdf", "--source", str(source), "--out", str(out)]
    built = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True,
                           env={**os.environ, "PRESS_BUILD_CACHE": str(tmp_path / "cache")})
    assert built.returncode == 0, built.stderr
    readers = {"PDFium": pdfium_text, "poppler": poppler_text}
    if not pdfjs_missing():
        readers["pdf.js"] = pdfjs_text
    for engine, read in readers.items():
        text = read(out / "book.pdf").translate(POPPLER_EMBEDDINGS).replace(RLM, "")
        assert "מהדורה שנייה, 2025" in text, f"{engine}: {[line for line in text.splitlines() if '2025' in line]}"
