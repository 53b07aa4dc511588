"""Points that render: placed by the font's mark attachment, kept in source order.

Normalisation policy: none. The model keeps every point in the order the
source wrote it; HarfBuzz puts marks in its own order for drawing, so both
orders print the same; the PDF's text gives back the source's order (see
press/engine/pdftext/plan.py, cluster_texts).
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from conftest import build
from hebrew_text import PrintedChar, hebrew_words, pdfium_text, poppler_text, printed_chars

from press.engine import pdftext
from press.engine.fonts import FACES, ensure_static_fonts

SHIN, DAGESH, SHIN_DOT, QAMATS, METEG, HOLAM, VAV, HE = "ש", "\u05bc", "\u05c1", "\u05b8", "\u05bd", "\u05b9", "ו", "ה"
# Words whose points NFC would reorder (combining classes: qamats 18, holam 19, dagesh 21, meteg 22, shin dot 24).
ORDERS = {
    "shin dot and dagesh": ("אִ" + SHIN + SHIN_DOT + DAGESH + QAMATS + HE, "אִ" + SHIN + DAGESH + SHIN_DOT + QAMATS + HE),
    "meteg and vowel": (HE + METEG + QAMATS + "אָרֶץ", HE + QAMATS + METEG + "אָרֶץ"),
    "holam male with dagesh": ("צִ" + VAV + DAGESH + HOLAM + "ה", "צִ" + VAV + HOLAM + DAGESH + "ה"),
}


def _book(root: Path, words: list[str]) -> Path:
    source = root / "source"
    source.mkdir(parents=True)
    hebrew = " ".join(words)
    (source / "01-order.md").write_text(f"# Mark order\n\nThe words.\n\n{hebrew}\n", encoding="utf-8")
    return source


@pytest.fixture(scope="module")
def order_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One book with the first order of every case, one with the second."""
    built = {}
    for side in (0, 1):
        root = tmp_path_factory.mktemp(f"order-{side}")
        source = _book(root, [pair[side] for pair in ORDERS.values()])
        result = build("pdf", "--source", str(source), "--out", str(root / "out"))
        assert result.returncode == 0, result.stderr
        built[f"source-{side}"], built[f"pdf-{side}"] = source, root / "out" / "book.pdf"
    return built


def test_the_orders_really_differ_under_nfc() -> None:
    for first, second in ORDERS.values():
        assert first != second and unicodedata.normalize("NFC", first) == unicodedata.normalize("NFC", second)


@pytest.mark.parametrize("side", [0, 1])
def test_the_model_keeps_the_source_order(order_builds: dict[str, Path], side: int) -> None:
    model = build("model", "--source", str(order_builds[f"source-{side}"])).stdout
    text = json.dumps(json.loads(model), ensure_ascii=False)
    for pair in ORDERS.values():
        assert pair[side] in text


@pytest.mark.parametrize("side", [0, 1])
def test_copy_and_paste_gives_the_source_order(order_builds: dict[str, Path], side: int) -> None:
    pdf = order_builds[f"pdf-{side}"]
    words = hebrew_words(pdfium_text(pdf), nfc=False)
    for name, pair in ORDERS.items():
        assert pair[side] in words, f"PDFium: {name} not given back as written"
    # poppler puts points in canonical order itself, whatever the PDF says
    assert set(hebrew_words(" ".join(p[side] for p in ORDERS.values()))) <= set(hebrew_words(poppler_text(pdf)))


def test_both_orders_print_the_same(order_builds: dict[str, Path]) -> None:
    import pypdfium2 as pdfium
    from PIL import ImageChops

    first, second = (pdfium.PdfDocument(order_builds[f"pdf-{side}"]) for side in (0, 1))
    for index in range(len(first)):
        images = [doc[index].render(scale=4, grayscale=True).to_pil() for doc in (first, second)]
        assert ImageChops.difference(*images).getbbox() is None, f"page {index + 1} differs"


# --- mark attachment ---------------------------------------------------------------

# No meteg: Frank Ruhl Libre 6.4 has no anchor for a meteg under its precomposed
# alef-qamats (U+FB2F), so HarfBuzz leaves that one at the pen position.
PHRASE = "שָׁלוֹם יְדִידִי, מִצְוֹת בְּרֵאשִׁית לִשְׁמָהּ וְהַשָּׁמַיִם"


def _phrase_pdf(tmp_path: Path, features: str) -> Path:
    import weasyprint

    ensure_static_fonts()
    html = (f"<style>@font-face {{ font-family: H; src: url({FACES[0].path.as_uri()}) }}"
            f"p {{ font: 24pt H; font-feature-settings: {features} }}</style>"
            f'<p dir="rtl" lang="he">{PHRASE}</p>')
    target = tmp_path / "phrase.pdf"
    pdftext.write_pdf(weasyprint.HTML(string=html).render(), target)
    return target


def _clusters(chars: list[PrintedChar]) -> list[tuple[PrintedChar, list[PrintedChar]]]:
    """(letter, its points drawn as glyphs of their own), in reading order."""
    clusters: list[tuple[PrintedChar, list[PrintedChar]]] = []
    for char in chars:
        if unicodedata.category(char.char) == "Lo":
            clusters.append((char, []))
        elif unicodedata.category(char.char) == "Mn" and clusters and char.right - char.left > 0.01:
            clusters[-1][1].append(char)
    return [(letter, points) for letter, points in clusters if points]


def _attached(letter: PrintedChar, points: list[PrintedChar]) -> bool:
    """The font's anchors moved the points off the pen position, and they landed on their letter.

    An overstrike draws every point at the pen position, which is the
    letter's origin in right-to-left text; an anchor may happen to coincide
    with it for one point, not for all of a letter's.
    """
    width = letter.right - letter.left
    moved = any(abs(point.origin - letter.origin) > 0.01 for point in points)
    on_letter = all(letter.left - width / 2 <= p.middle[0] <= letter.right + width / 2 for p in points)
    return moved and on_letter


def _all_clusters(pdf: Path) -> list[tuple[PrintedChar, list[PrintedChar]]]:
    import pypdfium2 as pdfium

    pages = len(pdfium.PdfDocument(pdf))
    return [cluster for page in range(pages) for cluster in _clusters(printed_chars(pdf, page))]


def test_every_point_is_placed_by_the_fonts_mark_attachment(tmp_path: Path) -> None:
    clusters = _all_clusters(_phrase_pdf(tmp_path, "normal"))
    assert len(clusters) >= 15
    assert all(_attached(letter, points) for letter, points in clusters)


def test_an_overstrike_would_be_caught(tmp_path: Path) -> None:
    """The same phrase with GPOS mark positioning off: points sit at the pen position."""
    clusters = _all_clusters(_phrase_pdf(tmp_path, '"mark" off, "mkmk" off'))
    assert clusters and not any(_attached(letter, points) for letter, points in clusters)


def test_the_seed_chapter_points_are_all_attached(seed_build: Path) -> None:
    clusters = _all_clusters(seed_build / "book.pdf")
    assert len(clusters) > 200
    astray = [letter.char + "".join(p.char for p in points) for letter, points in clusters
              if not _attached(letter, points)]
    assert not astray
