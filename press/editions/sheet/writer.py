"""Study sheets: a teacher's sheet file, or one passage, fitted to its pages.

`build.py sheet NAME` builds source/sheets/NAME.toml (press/readers/sheetfile.py)
into output/sheets/NAME.pdf and a standalone NAME.html that prints from a
browser. `build.py sheet --passage REF` builds output/sheet.pdf of one
passage. `build.py sheet` (and `build.py`) build sheet.pdf of the default
passage and every sheet in source/sheets/.

Everything a sheet names is resolved before anything is laid out, so a bad
reference stops the build with a [passage] error naming the sheet file
and line, and no file is written. A sheet that cannot fit its `fit` pages
is still written, at the smallest readable size, with a [sheet-fit] warning.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

from press.checks import check_coverage
from press.config import PAGE_SIZES, key_line
from press.diagnostics import Reporter, error
from press.editions.base import atomic_path
from press.editions.sheet.content import SheetView, excerpt, quick_spec, sheet_view
from press.editions.sheet.fit import STEPS, Fitted, Fitter, Step
from press.editions.sheet.html import standalone_css
from press.engine.fonts import STACKS, Face, css_stack, faces_for, stacks_for
from press.engine.pdf import join_and_write, lay_out, stylesheet
from press.engine.render import render
from press.model import Book
from press.readers.sheetfile import SheetSpec, load

DEFAULT_BLOCKS = 6
SHEETS_FOLDER = "sheets"


class SheetWriter:
    name = "sheet"
    description = "study sheets (sheet.pdf, sheets/NAME.pdf and .html)"
    edition = "sheet"
    output = "sheet.pdf"

    def __init__(self, sheet: str | None = None, passage: str | None = None, fit: str | None = None) -> None:
        self.sheet = sheet
        self.passage = passage
        self.fit = fit

    def write(self, book: Book, out_dir: Path, reporter: Reporter) -> list[Path]:
        if self.sheet and self.passage:
            raise error("sheet", "give a sheet NAME or --passage REF, not both")
        if self.sheet and self.sheet.endswith(".json"):  # a Sefaria source sheet: its texts are in it
            from press.readers import sefaria_sheet

            own, spec = sefaria_sheet.load(Path(self.sheet), book, reporter, _pages(self.fit))
            return self.write_sheet(own, spec, out_dir / SHEETS_FOLDER, reporter)
        if self.fit is not None:
            raise error("sheet", "--fit is for a Sefaria source sheet (NAME.json); a sheet file says `fit = N`")
        if self.sheet:
            path = sheet_path(book, self.sheet)
            return self.write_sheet(book, load_named(path), out_dir / SHEETS_FOLDER, reporter)
        specs = [] if self.passage else [load_named(p) for p in sheet_files(book)]  # all checked first
        written = self.write_sheet(book, self.quick(book), out_dir, reporter)
        for spec in specs:
            written += self.write_sheet(book, spec, out_dir / SHEETS_FOLDER, reporter)
        return written

    def quick(self, book: Book) -> SheetSpec:
        """The one-passage sheet: --passage, else [sheet] passage, else the first blocks."""
        if self.passage:
            return quick_spec(book, self.passage)
        configured = book.settings.sheet.passage  # type: ignore[attr-defined]
        if configured:
            path = book.settings.path  # type: ignore[attr-defined]
            return quick_spec(book, configured, path, _setting_line(path))
        first = book.chapters[0]
        return quick_spec(book, f"{first.number}:1-{min(DEFAULT_BLOCKS, len(first.blocks))}")

    def write_sheet(self, book: Book, spec: SheetSpec, folder: Path, reporter: Reporter) -> list[Path]:
        """Lay the sheet out, fitted; write its PDF (and, for a sheet file, its HTML)."""
        view = sheet_view(book, spec)
        printed = excerpt(book, view)
        check_coverage(printed)
        families = css_stack(stacks_for(printed)["he"])
        paper = PAGE_SIZES[(spec.paper or book.settings.sheet.paper).lower()]  # type: ignore[attr-defined]
        html = render(self.edition, "sheet.html", sheet=view, css="", book=book)
        fitted = Fitter(lambda step: lay_out(html, self.edition, [_stylesheet(paper, spec.layout, step, families)]),
                        spec.fit).fit()
        _report(spec, fitted, reporter)
        target = folder / (f"{spec.output}.pdf" if spec.output else self.output)
        with atomic_path(target) as temporary:
            join_and_write([fitted.document], temporary, target)
        if not spec.output:
            return [target]
        fonts = (faces_for(printed), families)
        return [target, self._write_html(book, view, paper, fitted.step, fonts, folder / f"{spec.output}.html")]

    def _write_html(self, book: Book, view: SheetView, paper: str, step: Step, fonts: tuple[tuple[Face, ...], str],
                    target: Path) -> Path:
        """The standalone page: the same HTML, the stylesheet inlined, the fonts inside it."""
        bare = render(self.edition, "sheet.html", sheet=view, css="", book=book)
        faces, families = fonts
        css = standalone_css(self.edition, bare, faces, paper=paper, layout=view.spec.layout, step=step,
                             hebrew_families=families)
        html = render(self.edition, "sheet.html", sheet=view, css=Markup(css), book=book)  # our CSS, settings only
        with atomic_path(target) as temporary:
            temporary.write_text(html, encoding="utf-8")
        return target


@lru_cache(maxsize=64)
def _stylesheet(paper: str, layout: str, step: Step, hebrew_families: str = css_stack(STACKS["he"])):
    """One WeasyPrint stylesheet per paper, layout, step and Hebrew stack: fitting reuses them."""
    return stylesheet("sheet", paper=paper, layout=layout, step=step, hebrew_families=hebrew_families)


def _report(spec: SheetSpec, fitted: Fitted, reporter: Reporter) -> None:
    smallest = STEPS[-1]
    if not fitted.fits:
        pages = "1 page" if fitted.target == 1 else f"{fitted.target} pages"
        reporter.warn("sheet-fit", f'sheet "{spec.name}" needs {fitted.pages} pages even at the smallest '
                      f"readable size (Hebrew {smallest.he:g}pt, English {smallest.en:g}pt), but `fit` asks "
                      f"for {pages}; the {fitted.pages}-page version was written",
                      spec.path, spec.line_of("fit"))
    if fitted.runt:
        reporter.warn("sheet-fit", f'sheet "{spec.name}": its last page holds only a line or two, even at the '
                      "smallest readable size", spec.path, spec.line_of("fit"))


def _pages(fit: str | None) -> int | None:
    if fit is None:
        return None
    if not fit.isdigit():
        raise error("sheet", f'--fit must be a number of pages, not "{fit}"')
    return int(fit)


def sheets_folder(book: Book) -> Path:
    """source/sheets/: beside the chapter files (the readers read one folder)."""
    return book.chapters[0].span.path.parent / SHEETS_FOLDER


def sheet_files(book: Book) -> list[Path]:
    folder = sheets_folder(book)
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []


def sheet_path(book: Book, name: str) -> Path:
    """NAME is source/sheets/NAME.toml; a name ending in .toml is a path."""
    path = Path(name) if name.endswith(".toml") else sheets_folder(book) / f"{name}.toml"
    if not path.is_file():
        known = ", ".join(p.stem for p in sheet_files(book)) or "none"
        raise error("sheet", f"no such sheet file (sheets in {sheets_folder(book)}: {known})", path)
    return path


def load_named(path: Path) -> SheetSpec:
    return load(path, path.stem)


def _setting_line(path: Path | None) -> int | None:
    if path is None or not path.is_file():
        return None
    return key_line(path.read_text(encoding="utf-8"), "sheet", "passage")
