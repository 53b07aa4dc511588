"""Study sheets: chosen passages with the teacher's text on one or two pages (`build.py sheet`),
their templates in templates/sheet/."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from press.diagnostics import Reporter
    from press.model import Book
    from press.readers.sheetfile import SheetSpec


def sheet_pdf(book: Book, path: Path, folder: Path, reporter: Reporter) -> tuple[Path, SheetSpec]:
    """The sheet file `path` laid out as `build.py sheet` lays it out, fitted, but only its PDF (into
    `folder`), without the standalone HTML and its font subsets (half the time): for `build.py serve`.
    Returns the PDF and the sheet file as read (its title, its `fit`)."""
    from dataclasses import replace

    from press.editions.sheet.writer import SheetWriter, load_named

    spec = load_named(path)
    return SheetWriter().write_sheet(book, replace(spec, output=""), folder, reporter)[0], spec
