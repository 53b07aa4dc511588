"""Reading PDFs by structure in tests: fonts, text per page, raw content."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf

BOOK_FONTS = ("FrankRuhlLibre", "EBGaramond")


def fonts(pdf: Path) -> list[dict[str, str]]:
    """pdffonts' table as dicts: name, emb, sub, uni."""
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    rows = []
    for line in lines[2:]:
        parts = line.split()
        # name type... encoding emb sub uni object ID: count from the right
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def page_count(pdf: Path) -> int:
    with pikepdf.open(pdf) as document:
        return len(document.pages)


def all_stream_bytes(pdf: Path) -> bytes:
    """Every stream of the file, decompressed, for searching content that must not be there."""
    chunks = []
    with pikepdf.open(pdf) as document:
        for obj in document.objects:
            if isinstance(obj, pikepdf.Stream):
                try:
                    chunks.append(obj.read_bytes())
                except pikepdf.PdfError:
                    chunks.append(obj.read_raw_bytes())
    return b"\n".join(chunks)


def assert_only_book_fonts(pdf: Path) -> None:
    rows = fonts(pdf)
    assert rows, "no fonts at all"
    for row in rows:
        assert row["emb"] == "yes", f"{row['name']} is not embedded"
        assert any(own in row["name"].replace("-", "") for own in BOOK_FONTS), f"fallback font {row['name']}"


def anchors(pdf: Path) -> dict[str, int]:
    """Named destinations (element ids) -> 0-based page index."""
    with pikepdf.open(pdf) as document:
        index = {page.objgen: number for number, page in enumerate(document.pages)}
        return {name: index[dest[0].objgen] for name, dest in pikepdf.NameTree(document.Root.Names.Dests).items()}


def outline(pdf: Path) -> list[tuple[str, int]]:
    """The outline's top-level items: (title, 0-based page index)."""
    with pikepdf.open(pdf) as document, document.open_outline() as tree:
        index = {page.objgen: number for number, page in enumerate(document.pages)}
        return [(item.title, index[item.destination[0].objgen]) for item in tree.root]


def drawn_glyphs(pdf: Path | bytes) -> list[list[tuple[str, tuple[float, ...]]]]:
    """Each page's characters with their glyphs' boxes (PDFium, to 1/100 pt): a wrong glyph, or one
    placed elsewhere, changes its box."""
    import pypdfium2 as pdfium

    pages = []
    for page in pdfium.PdfDocument(pdf):
        text = page.get_textpage()
        pages.append([(text.get_text_range(i, 1), tuple(round(v, 2) for v in text.get_charbox(i)))
                      for i in range(text.count_chars())])
    return pages
