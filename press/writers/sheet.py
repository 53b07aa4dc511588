"""sheet.pdf: a study sheet of one passage, Hebrew and English side by side.

The passage is the writer's `passage` (the `--passage` option), else
`[sheet] passage` in book.toml, else the first six blocks of the first
chapter. It is resolved before anything is laid out, so a bad reference
stops the build with a [passage] error and no sheet is written.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from press.config import key_line
from press.diagnostics import Reporter
from press.fonts import check_coverage
from press.model import Book
from press.passage import Selection, resolve
from press.render import render
from press.writers.base import atomic_path
from press.writers.layout import join_and_write, lay_out, stylesheet

DEFAULT_BLOCKS = 6


class SheetWriter:
    name = "sheet"
    description = "a study sheet of one passage (sheet.pdf)"
    edition = "sheet"
    output = "sheet.pdf"

    def __init__(self, passage: str | None = None) -> None:
        self.passage = passage

    def write(self, book: Book, out_dir: Path, reporter: Reporter) -> list[Path]:
        selections = self.selections(book)
        check_coverage(_excerpt(book, selections))
        css = [stylesheet(self.edition, paper=book.settings.sheet_paper_css)]
        html = render(self.edition, "sheet.html", book=book, selections=selections)
        document = lay_out(html, self.edition, css)
        target = out_dir / self.output
        with atomic_path(target) as temporary:
            join_and_write([document], temporary, target)
        return [target]

    def selections(self, book: Book) -> list[Selection]:
        """The chosen blocks; BuildError [passage] when the reference is wrong."""
        if self.passage:
            return resolve(book, self.passage)
        configured = book.settings.sheet.passage
        if configured:
            path = book.settings.path
            return resolve(book, configured, path, _setting_line(path))
        first = book.chapters[0]
        return resolve(book, f"{first.number}:1-{min(DEFAULT_BLOCKS, len(first.blocks))}")


def _setting_line(path: Path | None) -> int | None:
    if path is None or not path.is_file():
        return None
    return key_line(path.read_text(encoding="utf-8"), "sheet", "passage")


def _excerpt(book: Book, selections: list[Selection]) -> Book:
    """The book cut down to what the sheet prints, for the coverage check."""
    chapters = tuple(replace(s.chapter, blocks=s.blocks, notes=s.notes) for s in selections)
    return replace(book, chapters=chapters)
