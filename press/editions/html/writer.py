"""book.html: the printed book as one HTML document, with its stylesheet and fonts beside it.

`weasyprint output/book.html book.pdf` lays it out page for page like
book.pdf: the body's first page is page 1 (front matter does not count,
book.css), chapters open on rectos with `break-before: recto`, and the
contents take their numbers from `target-counter()`. The facing layout
interleaves two documents and cannot be one (an error says so).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from press.checks import check_coverage
from press.diagnostics import Reporter
from press.editions import book as book_edition
from press.editions.base import atomic_path
from press.engine.fonts import ensure_static_fonts
from press.model import Book

FONTS = "fonts"


class BookHtmlWriter:
    name = "html"
    description = "the printed book as one HTML document (book.html, book.css, fonts/)"
    output = "book.html"

    def write(self, book: Book, out_dir: Path, reporter: Reporter) -> list[Path]:
        check_coverage(book)
        html = book_edition.single_html(book)
        html = html.replace("</head>", '<link rel="stylesheet" href="book.css">\n</head>', 1)
        css = self.stylesheet(book)
        written = [self._fonts(out_dir)]
        for name, text in (("book.css", css), (self.output, html)):
            with atomic_path(out_dir / name) as temporary:
                temporary.write_text(text, encoding="utf-8")
            written.append(out_dir / name)
        return written[::-1]

    @staticmethod
    def stylesheet(book: Book) -> str:
        return book_edition.single_stylesheet(book, lambda face: f"{FONTS}/{face.file_name}")

    @staticmethod
    def _fonts(out_dir: Path) -> Path:
        folder = out_dir / FONTS
        folder.mkdir(parents=True, exist_ok=True)
        for face in ensure_static_fonts():
            target = folder / face.file_name
            if not target.exists() or target.stat().st_size != face.path.stat().st_size:
                with atomic_path(target) as temporary:
                    shutil.copyfile(face.path, temporary)
        return folder
