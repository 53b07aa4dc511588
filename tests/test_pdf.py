"""book.pdf by structure: pages, fonts, text, running heads, folios."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import PROJECT
from pdftools import assert_only_book_fonts, page_count, page_texts


def test_sample_outputs_exist(sample_build: Path) -> None:
    for name in ("book.pdf", "book.epub", "sheet.pdf"):
        assert (sample_build / name).stat().st_size > 1000
    assert not [p for p in sample_build.iterdir() if p.name.endswith(".tmp")]


def test_sample_fonts_are_embedded_and_our_own(sample_build: Path) -> None:
    assert_only_book_fonts(sample_build / "book.pdf")


def test_seed_fonts_are_embedded_and_our_own(seed_build: Path) -> None:
    assert_only_book_fonts(seed_build / "book.pdf")


def test_sample_pages_and_page_size(sample_build: Path) -> None:
    import pikepdf

    with pikepdf.open(sample_build / "book.pdf") as pdf:
        assert len(pdf.pages) >= 5
        box = [float(v) for v in pdf.pages[0].mediabox]
    assert box == [0, 0, 396, 612], "5.5 x 8.5 in from book.toml"


def test_sample_text_title_page_and_chapters(sample_build: Path) -> None:
    pages = page_texts(sample_build / "book.pdf")
    assert "Songs of Ascent" in pages[0] and "Bilingual Press" in pages[0]
    assert "CC BY-SA 4.0" in pages[1], "the title page's verso is the colophon"
    assert "Contents" in pages[2]
    assert pages[3].strip() == "", "a blank verso, so that the body opens on a recto"
    assert "Psalm 121: A Song for the Road" in pages[4]
    assert "I lift my eyes to the mountains" in pages[4]
    body = "\n".join(pages)
    assert "Pirkei Avot 1:1–3" in body and "Moses received the Torah" in body


def test_chapters_open_on_rectos_with_folios(sample_build: Path) -> None:
    pages = page_texts(sample_build / "book.pdf")
    openings = [i for i, text in enumerate(pages) if "Pilgrims sang this psalm" in text or "The tractate Avot" in text]
    assert len(openings) == 2
    assert all(index % 2 == 0 for index in openings), "an even 0-based index is an odd page: a recto"
    assert pages[4].strip().splitlines()[-1].strip() == "1", "the first chapter page carries folio 1"


def test_running_head_shows_the_chapter_title_but_not_on_the_opening(sample_build: Path) -> None:
    pages = page_texts(sample_build / "book.pdf")
    opening, follow = pages[4].strip().splitlines(), pages[5].strip().splitlines()
    # The opener leads with the Hebrew title as display type, the English beneath it (issue 12).
    assert opening[0].strip() == "\u202bתְּהִלִּים קכא\u202c", "the opening page starts with the title itself"
    assert opening[1].strip() == "Psalm 121: A Song for the Road"
    assert follow[0].strip() == "Songs of Ascent and Sayings of the Fathers", "a verso carries the book's title"


def test_footnote_text_at_the_foot_of_its_page(sample_build: Path) -> None:
    pages = page_texts(sample_build / "book.pdf")
    page = next(p for p in pages if "Verses 3, 4, 5, 7" in p)
    lines = [line.strip() for line in page.strip().splitlines() if line.strip()]
    assert lines[-2].startswith("1. Verses 3, 4, 5, 7"), "the note sits above the folio"


def test_seed_chapter_builds_with_every_paragraph(seed_build: Path) -> None:
    pdf = seed_build / "book.pdf"
    assert page_count(pdf) >= 5
    body = " ".join(" ".join(page_texts(pdf)).split())
    assert "Chapter 45" in body
    assert "the attribute of our forefather Jacob" in body


def test_reproducible_with_source_date_epoch(tmp_path: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    outputs = []
    for run in ("a", "b"):
        out = tmp_path / run
        subprocess.run([sys.executable, str(PROJECT / "build.py"), "pdf", "--source", str(PROJECT / "source"),
                        "--out", str(out)], check=True, env=env, capture_output=True)
        outputs.append((out / "book.pdf").read_bytes())
    assert outputs[0] == outputs[1]


def test_pdf_streams_are_compressed_at_our_flate_level() -> None:
    """press.engine.pdf replaces pydyf's zlib while it writes (pydyf always asks for level 9)."""
    import inspect
    import zlib

    import pydyf

    from press.engine import pdf

    assert "zlib.compressobj(level=9)" in inspect.getsource(pydyf.Stream.data.fget), \
        "pydyf changed how it compresses: check press.engine.pdf._flate_level"
    raw = b"q 1 0 0 1 0 0 cm /F1 12 Tf (page) Tj Q" * 300
    with pdf._flate_level(pdf.FLATE_LEVEL):
        ours = pydyf.Stream([raw], compress=True).data
    compressor = zlib.compressobj(pdf.FLATE_LEVEL)
    assert compressor.compress(raw) + compressor.flush() in ours
    assert pydyf.zlib is zlib, "restored after writing"


def test_static_font_instances_are_the_same_bytes_on_every_machine(tmp_path: Path) -> None:
    """The fonts a book embeds are made once per checkout (`make`): made on another day, or under
    another SOURCE_DATE_EPOCH, they must be the same bytes, or the same sources give another PDF on
    another machine. fontTools stamps a font it saves with the time unless told to keep the source's."""
    made = {}
    for epoch in ("1000000000", "1700000000"):
        cache = tmp_path / epoch
        script = ("from press.engine.fonts import ensure_static_fonts\n"
                  "print('\\n'.join(str(face.path) for face in ensure_static_fonts()))")
        result = subprocess.run([sys.executable, "-c", script], cwd=PROJECT, capture_output=True, text=True,
                                env={**os.environ, "PRESS_FONT_CACHE": str(cache), "SOURCE_DATE_EPOCH": epoch},
                                check=False)
        assert result.returncode == 0, result.stderr
        made[epoch] = {Path(line).name: Path(line).read_bytes() for line in result.stdout.split()}
    assert made["1000000000"].keys() == made["1700000000"].keys()
    for name, program in made["1000000000"].items():
        assert program == made["1700000000"][name], f"{name} differs with the date it was made"
