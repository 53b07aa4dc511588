"""Cantillation printed: ta'amim in Keter YG, each mark where HarfBuzz puts it.

A book whose Hebrew has marks Frank Ruhl Libre cannot draw is set in Keter
YG (press/engine/fonts.py stacks_for). The hard cases below are built as a
book; PDFium's box of every mark, relative to its letter's box, must be the
box HarfBuzz gives the same glyph shaping the same word in the same font
(uharfbuzz), within 3% of an em, and must sit on its letter. A control laid
out with mark positioning off fails the same comparison.
"""

from __future__ import annotations

import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import build

from press.engine import pdftext
from press.engine.fonts import CANTILLATION_FACES, ensure_static_fonts

# Each case is one word; the comment-free names say what makes it hard.
CASES = {
    "yetiv, prepositive on the first letter": "עַ֚ד",
    "telisha gedola, prepositive, twice": "קְ֠נֵ֠ה",
    "pashta, postpositive on the last letter": "בִּימֵי֙",
    "zarqa, postpositive": "הַיֹּשְׁבִים֮",
    "segolta, postpositive": "עַמִּי֒",
    "telisha qetana, postpositive": "וְשֵׁם֩",
    "hiriq and merkha, two marks below one letter": "וַיְהִ֥י",
    "qamats and etnahta below one letter": "בָּאָ֑רֶץ",
    "segol and tipcha below one letter": "לֶ֖חֶם",
    "a vowel below, zaqef qatan above": "הַשֹּׁפְטִ֔ים",
    "qamats below, revia above": "יְהוּדָ֗ה",
    "meteg beside qamats": "בָנָֽיו",
    "meteg beside hataf segol, pazer above": "אֱֽלִימֶ֡לֶךְ",
    "qamats qatan": "נׇעֳמִ֜י",
    "upper dot": "וַיִּשָּׁ\u05c4קֵ֑הוּ",
    "lower dot": "ל\u05c5וֹ",
    "geresh muqdam and qarne para": "שְׁ֝לֹ֟ש",
    "paseq and sof pasuq": "אֵ֑לֶּה ׀ לָֽמָּה׃",
}
NUN_HAFUKHA = "\u05c6"
# Words where Keter YG inserts a hair space glyph into a cluster (before a pointed qof or gimel):
# it stands for no character, so the words still copy out whole.
INSERTED_SPACE = ("כִּֽי־פָקַ֤ד", "זָקַ֖נְתִּי", "וְנֶ֣גֶד")
TOLERANCE_EM = 0.03  # PDFium rounds glyph outlines: the real build is off by 0.21 pt at most (13.5 pt)


def _source(root: Path, words: str, toml: str = "") -> Path:
    source = root / "source"
    source.mkdir(parents=True)
    (source / "01-cases.md").write_text(f"# Hard cases\n\nThe words.\n\n{words}\n", encoding="utf-8")
    if toml:
        (source / "book.toml").write_text(toml, encoding="utf-8")
    return source


@pytest.fixture(scope="module")
def cases_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cantillation")
    source = _source(root, " ".join(CASES.values()) + f" {NUN_HAFUKHA} " + " ".join(INSERTED_SPACE))
    for command in ("pdf", "epub"):
        result = build(command, "--source", str(source), "--out", str(root / "out"))
        assert result.returncode == 0, result.stderr
    return root / "out"


# --- where HarfBuzz puts each glyph ---------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Box:
    left: float
    bottom: float
    right: float
    top: float

    @property
    def middle(self) -> tuple[float, float]:
        return (self.left + self.right) / 2, (self.bottom + self.top) / 2

    @property
    def size(self) -> tuple[float, float]:
        return self.right - self.left, self.top - self.bottom

    @property
    def empty(self) -> bool:
        return self.right - self.left < 1e-3


@dataclass(frozen=True, slots=True)
class Cluster:
    """A letter and the marks drawn as glyphs of their own, each as a box; `start` is the
    letter's index in the word."""

    start: int
    letter: Box
    marks: tuple[Box, ...]


def _harfbuzz_clusters(font_file: Path, word: str) -> list[Cluster]:
    """The clusters of `word` as HarfBuzz shapes it in the font (font units, y up)."""
    import uharfbuzz as hb

    font = hb.Font(_hb_face(font_file))
    buffer = hb.Buffer()
    buffer.add_codepoints([ord(char) for char in word])
    buffer.guess_segment_properties()
    hb.shape(font, buffer, {})
    pen, glyphs = 0, {}
    for info, position in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
        extents = font.get_glyph_extents(info.codepoint)
        left, top = pen + position.x_offset + extents.x_bearing, position.y_offset + extents.y_bearing
        box = Box(left, top + extents.height, left + extents.width, top)
        glyphs.setdefault(info.cluster, []).append((position.x_advance > 0, box))
        pen += position.x_advance
    clusters = []
    for start, drawn in sorted(glyphs.items()):
        letter = next(box for advancing, box in drawn if advancing)  # marks have no advance
        marks = tuple(box for advancing, box in drawn if not advancing and not box.empty)
        clusters.append(Cluster(start, letter, marks))
    return clusters


def _hb_face(font_file: Path):
    import uharfbuzz as hb

    return hb.Face(hb.Blob.from_file_path(str(font_file)))


def _is_mark(char: str) -> bool:
    return unicodedata.category(char) == "Mn"


# --- where PDFium finds each character -------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Printed:
    char: str
    box: Box


def _printed(pdf: Path) -> list[Printed]:
    """Every character of every page with its box (PDF points), in reading order."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    found = []
    try:
        for page in document:
            text = page.get_textpage()
            found += [Printed(text.get_text_range(i, 1), Box(*text.get_charbox(i))) for i in range(text.count_chars())]
    finally:
        document.close()
    return found


def _pdf_clusters(printed: list[Printed], word: str) -> list[Cluster]:
    """The clusters of `word` as PDFium reads them. The text layer hands a cluster's points out in
    source order to its mark glyphs in drawing order, so a mark's box is one of its cluster's mark
    glyphs, not necessarily its own: clusters are compared as sets of glyphs."""
    text = "".join(p.char for p in printed)
    start = text.find(word)
    assert start >= 0, f"{word} not in the PDF's text (PDFium read {text!r})"
    chars = printed[start:start + len(word)]
    clusters, index = [], 0
    while index < len(word):
        end = index + 1
        while end < len(word) and _is_mark(word[end]):
            end += 1
        marks = tuple(c.box for c in chars[index + 1:end] if not c.box.empty)
        clusters.append(Cluster(index, chars[index].box, marks))
        index = end
    return clusters


# --- the comparison ---------------------------------------------------------------------------

def _misplaced(pdf: Path, font_file: Path) -> list[str]:
    """Every mark of every case whose place in the PDF is not HarfBuzz's, or not on its letter."""
    printed = _printed(pdf)
    problems: list[str] = []
    for name, phrase in CASES.items():
        for word in phrase.split():
            shaped = _harfbuzz_clusters(font_file, word)
            found = _compare(_pdf_clusters(printed, word), shaped, _hb_face(font_file).upem, word)
            problems += [f"{name}: {problem}" for problem in found]
    return problems


def _compare(printed: list[Cluster], shaped: list[Cluster], units_per_em: int, word: str) -> list[str]:
    # Points per font unit, from the letters' own widths: the size as drawn.
    scale = sum(c.letter.size[0] for c in printed) / sum(c.letter.size[0] for c in shaped)
    em = units_per_em * scale
    by_start = {c.start: c for c in printed}
    problems = []
    for cluster in shaped:
        where = f"{word[cluster.start:cluster.start + 1]} of {word}"
        pdf = by_start.get(cluster.start)
        if pdf is None:
            problems.append(f"{where}: HarfBuzz merged it with another letter")
            continue
        problems += _compare_cluster(pdf, cluster, scale, TOLERANCE_EM * em, where)
    return problems


def _compare_cluster(pdf: Cluster, shaped: Cluster, scale: float, tolerance: float, where: str) -> list[str]:
    """Each mark glyph HarfBuzz draws has one in the PDF of the same size at the same offset from
    the letter, and every mark in the PDF sits on its letter."""
    if len(pdf.marks) != len(shaped.marks):
        return [f"{where}: {len(pdf.marks)} marks drawn, HarfBuzz draws {len(shaped.marks)}"]
    left, problems = list(pdf.marks), []
    for mark in shaped.marks:
        wanted = _offset(mark, shaped.letter, scale) + tuple(v * scale for v in mark.size)
        distance, best = min((_distance(wanted, _offset(p, pdf.letter, 1) + p.size), p) for p in left)
        left.remove(best)
        if distance > tolerance:
            problems.append(f"{where}: a mark {distance:.2f} pt from where HarfBuzz puts it")
    width = pdf.letter.size[0]
    if any(not pdf.letter.left - width / 2 <= m.middle[0] <= pdf.letter.right + width / 2 for m in pdf.marks):
        problems.append(f"{where}: a mark off its letter")
    return problems


def _offset(mark: Box, letter: Box, scale: float) -> tuple[float, float]:
    return tuple((m - lt) * scale for m, lt in zip(mark.middle, letter.middle, strict=True))


def _distance(one: tuple[float, ...], other: tuple[float, ...]) -> float:
    return max(abs(a - b) for a, b in zip(one, other, strict=True))


# --- the tests -------------------------------------------------------------------------------

def test_the_cases_are_set_in_keter_yg(cases_book: Path) -> None:
    import pypdf

    reader = pypdf.PdfReader(cases_book / "book.pdf")
    fonts = {str(font["/BaseFont"]).split("+")[-1] for page in reader.pages
             for font in page["/Resources"].get("/Font", {}).values()}
    assert "Keter-YG" in fonts, fonts
    assert not any(name.startswith("Frank") for name in fonts), "a Hebrew mark fell to Frank Ruhl Libre"


def test_every_mark_sits_where_harfbuzz_puts_it(cases_book: Path) -> None:
    regular = next(face for face in CANTILLATION_FACES if face.weight == 400)
    assert _misplaced(cases_book / "book.pdf", regular.path) == []


def test_every_case_has_marks_to_compare(cases_book: Path) -> None:
    """The comparison is not vacuous: each word has marks drawn as glyphs of their own."""
    printed = _printed(cases_book / "book.pdf")
    for name, phrase in CASES.items():
        assert any(c.marks for word in phrase.split() for c in _pdf_clusters(printed, word)), name


def test_a_mark_out_of_place_would_be_caught(tmp_path: Path) -> None:
    """The same words with GPOS mark positioning off: the comparison finds marks astray."""
    import weasyprint

    ensure_static_fonts()
    regular = next(face for face in CANTILLATION_FACES if face.weight == 400)
    html = (f"<style>@font-face {{ font-family: K; src: url({regular.path.as_uri()}) }}"
            'p { font: 20pt K; font-feature-settings: "mark" off, "mkmk" off }</style>'
            f'<p dir="rtl" lang="he">{" ".join(CASES.values())}</p>')
    target = tmp_path / "off.pdf"
    pdftext.write_pdf(weasyprint.HTML(string=html).render(), target)
    assert len(_misplaced(target, regular.path)) >= len(CASES)


def test_the_epub_carries_keter_yg_and_names_it_for_hebrew(cases_book: Path) -> None:
    with zipfile.ZipFile(cases_book / "book.epub") as epub:
        names = epub.namelist()
        css = next(epub.read(n).decode() for n in names if n.endswith("epub.css"))
    assert any("KeterYG" in n for n in names)
    assert '[lang="he"] { font-family: "Keter YG", "Frank Ruhl Libre", "EB Garamond"; }' in css


def test_nun_hafukha_is_printed_in_keter_yg(cases_book: Path) -> None:
    [nun] = [p for p in _printed(cases_book / "book.pdf") if p.char == NUN_HAFUKHA]
    assert not nun.box.empty


def test_every_word_copies_out_whole_in_pdfium_and_poppler(cases_book: Path) -> None:
    from hebrew_text import hebrew_words, pdfium_text, poppler_text, score

    expected = hebrew_words(" ".join([*CASES.values(), *INSERTED_SPACE]))
    pdf = cases_book / "book.pdf"
    assert score(expected, pdfium_text(pdf)) == len(expected)
    assert score(expected, poppler_text(pdf)) == len(expected)


def test_every_word_copies_out_whole_in_pdfjs(cases_book: Path) -> None:
    from hebrew_text import hebrew_words, pdfjs_missing, pdfjs_text, score

    if pdfjs_missing():
        pytest.skip(f"skipped: {pdfjs_missing()}")
    expected = hebrew_words(" ".join([*CASES.values(), *INSERTED_SPACE]))
    assert score(expected, pdfjs_text(cases_book / "book.pdf")) == len(expected)


def test_a_character_no_face_draws_is_still_refused(tmp_path: Path) -> None:
    source = _source(tmp_path, "וַיְהִ֥י \u05ef")
    result = build("pdf", "--source", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert ("error [font-coverage] U+05EF HEBREW YOD TRIANGLE cannot be drawn: Keter YG or Frank Ruhl Libre "
            "or EB Garamond has no glyph for it") in result.stderr
    assert not (tmp_path / "out" / "book.pdf").exists()


def test_without_cantillation_printed_the_book_stays_in_frank_ruhl_libre(tmp_path: Path) -> None:
    import pypdf

    source = _source(tmp_path, "וַיְהִ֥י רָעָ֖ב בָּאָ֑רֶץ", toml='[hebrew]\npoints = "vowels"\n')
    result = build("pdf", "--source", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    reader = pypdf.PdfReader(tmp_path / "out" / "book.pdf")
    fonts = {str(font["/BaseFont"]).split("+")[-1] for page in reader.pages
             for font in page["/Resources"].get("/Font", {}).values()}
    assert "Frank-Ruhl-Libre" in fonts and "Keter-YG" not in fonts, fonts



