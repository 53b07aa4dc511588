#!/usr/bin/env python3
"""The README's pictures of the book: the sample's title page and a spread of each print layout.

    .venv/bin/python scripts/readme_images.py [--source source] [--images docs/images] [--dpi 50]

(`make readme-images` runs it.) For each layout and primary below, the sample is built into a
temporary folder with `build.py pdf` (its book.toml, with `[print] layout` and `primary` set), and
pages are drawn with PDFium, as Chrome's viewer draws them: the title page, and the fullest body
spread (the one whose emptier page holds the most text), its two pages side by side as the open
book shows them (a Hebrew-led book is bound on the right: its even page stands on the right). With
SOURCE_DATE_EPOCH set the same sources give the same images. Nothing here is hand-made: the README
shows what `build.py` prints.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
LAYOUTS = ("stacked", "columns", "facing", "hebrew", "english")
GUTTER = 12  # px of grey between the two pages of a spread, and around them
FRONT_PAGES = 4  # title page, colophon, contents, blank: the body's first page is the fifth (index 4)


def build(source: Path, folder: Path, layout: str, primary: str) -> Path:
    """book.pdf of `source` with its book.toml's layout and primary set as given."""
    book = folder / "source"
    book.mkdir(parents=True)
    for path in source.iterdir():
        if path.is_file():
            (book / path.name).write_bytes(path.read_bytes())
    toml = (source / "book.toml").read_text(encoding="utf-8")
    toml = re.sub(r'(?m)^primary = ".*"$', f'primary = "{primary}"', toml)
    toml = re.sub(r"(?m)^\[print\]$", f'[print]\nlayout = "{layout}"', toml)
    (book / "book.toml").write_text(toml, encoding="utf-8")
    out = folder / "out"
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1700000000"),
           "PRESS_BUILD_CACHE": str(folder / "cache")}
    command = [sys.executable, str(PROJECT / "build.py"), "pdf", "--source", str(book), "--out", str(out)]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode:
        raise SystemExit(f"{layout}/{primary}: build.py pdf exited {result.returncode}: {result.stderr.strip()}")
    return out / "book.pdf"


def draw(pdf_path: Path, pages: list[int], dpi: int, right_bound: bool):
    """The 0-based `pages` of the PDF drawn side by side (the first on the right in a right-bound book)."""
    import pypdfium2 as pdfium
    from PIL import Image

    document = pdfium.PdfDocument(str(pdf_path))
    try:
        images = [document[index].render(scale=dpi / 72).to_pil().convert("RGB") for index in pages]
    finally:
        document.close()
    if right_bound:
        images.reverse()
    width = sum(image.width for image in images) + GUTTER * (len(images) + 1)
    height = max(image.height for image in images) + 2 * GUTTER
    sheet = Image.new("RGB", (width, height), (128, 128, 128))
    x = GUTTER
    for image in images:
        sheet.paste(image, (x, GUTTER))
        x += image.width + GUTTER
    return sheet


def fullest_spread(pdf_path: Path) -> list[int]:
    """The body spread (0-based: an odd page index and the one after it, a verso and its recto) whose
    emptier page holds the most text: a spread with a blank page shows little of a layout."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf_path))
    try:
        counts = [len(document[index].get_textpage().get_text_range().strip()) for index in range(len(document))]
    finally:
        document.close()
    spreads = [[verso, verso + 1] for verso in range(FRONT_PAGES + 1, len(counts) - 1, 2)]
    if not spreads:
        return [len(counts) - 1]
    return max(spreads, key=lambda pages: (min(counts[i] for i in pages), -pages[0]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=PROJECT / "source")
    parser.add_argument("--images", type=Path, default=PROJECT / "docs" / "images")
    parser.add_argument("--dpi", type=int, default=50)
    args = parser.parse_args()
    args.images.mkdir(parents=True, exist_ok=True)
    cases = [(layout, "en") for layout in LAYOUTS] + [("stacked", "he"), ("facing", "he")]
    with tempfile.TemporaryDirectory(prefix="press-readme-") as scratch:
        for layout, primary in cases:
            pdf = build(args.source, Path(scratch) / f"{layout}-{primary}", layout, primary)
            right_bound = primary == "he"  # a Hebrew-led book is bound on the right (book.css, @page)
            written = [(f"spread-{layout}-{primary}.png", draw(pdf, fullest_spread(pdf), args.dpi, right_bound))]
            if layout == "stacked":
                written.append((f"title-{primary}.png", draw(pdf, [0], args.dpi, right_bound)))
            for name, image in written:
                target = args.images / name
                temporary = target.with_suffix(".tmp.png")
                image.save(temporary, optimize=True)
                os.replace(temporary, target)
                print(f"wrote {target.relative_to(PROJECT) if target.is_relative_to(PROJECT) else target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
