"""booklet.pdf: the book imposed for saddle stitching.

The book is laid out exactly as book.pdf (the book edition's `book_pdf`:
the one this run wrote, or one in a scratch folder), then impose.py says
where each page goes and this module draws it: every book page becomes a form XObject, placed on the
landscape sheet sides with a `cm` matrix and clipped to its half. The
pages keep their own fonts and content streams, untouched.

pikepdf rather than pdfimpose: pdfimpose's own help says its creep
option is broken, and placing forms takes a few lines we can test.
"""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path

from press.config import PAGE_SIZES
from press.diagnostics import Reporter
from press.editions import book as book_edition
from press.editions.base import atomic_path
from press.editions.booklet import impose
from press.editions.booklet.impose import Binding, Geometry, Placement, SheetSide
from press.engine import preflight
from press.model import Book

_INFO_KEYS = ("/Title", "/Author", "/Subject", "/Keywords", "/Creator", "/Producer", "/CreationDate", "/ModDate")


class BookletWriter:
    name = "booklet"
    description = "the book imposed for saddle stitching (booklet.pdf)"
    output = "booklet.pdf"

    def write(self, book: Book, out_dir: Path, reporter: Reporter) -> list[Path]:
        settings = book.settings.booklet
        sheet = impose.landscape(PAGE_SIZES[settings.sheet.lower()])
        target = out_dir / self.output
        with tempfile.TemporaryDirectory(prefix="press-booklet-") as scratch:
            # The book.pdf this run has just written, if any: the book is laid out once.
            laid_out = book_edition.book_pdf(book, Path(scratch), reporter)
            with atomic_path(target) as temporary:
                drawn = draw_booklet(laid_out, temporary, sheet, binding(book), impose.points(settings.creep),
                                     settings.marks)
        if settings.marks and not drawn:
            reporter.warn("fold-marks", "no fold marks: the pages fill the sheet's height, "
                          "so there is no room for them outside the page area", book.settings.path)
        return [target]


def binding(book: Book) -> Binding:
    """The spine's side: a Hebrew-led book is bound on the right."""
    return "right" if book.primary == "he" else "left"


def draw_booklet(source: Path, target: Path, sheet: tuple[float, float], bind: Binding,
           creep: float = 0.0, marks: bool = False) -> bool:
    """Write the saddle-stitch imposition of `source` to `target`.

    Returns whether fold marks were drawn. The file is deterministic:
    its id is derived from its content and its metadata is the book's.
    """
    import pikepdf

    with pikepdf.open(source) as book, pikepdf.new() as out:
        forms = [_form(out, page) for page in book.pages]
        geometry = Geometry(sheet, _size(book.pages[0]), creep)
        lines = impose.fold_marks(geometry) if marks else ()
        for side in impose.saddle_sides(len(forms), bind):
            _add_side(out, side, forms, geometry, lines)
        for key in _INFO_KEYS:
            if key in book.docinfo:
                out.docinfo[key] = book.docinfo[key]
        preflight.copy_conformance(book, out)  # [print] pdf: the book's PDF/X or PDF/A identity
        out.save(target, deterministic_id=True, min_version=book.pdf_version)
    return bool(lines)


def _trim(page) -> list[float]:
    """The trimmed page: its TrimBox (WeasyPrint sets it; with bleed it is inside the MediaBox)."""
    return [float(v) for v in page.obj.get("/TrimBox", page.mediabox)]


def _size(page) -> tuple[float, float]:
    x0, y0, x1, y1 = _trim(page)
    return (x1 - x0, y1 - y0)


def _form(out, page):
    """The page as a form XObject in `out`, cut to its trim, origin at the trim's corner."""
    import pikepdf

    form = out.copy_foreign(page.as_form_xobject())
    x0, y0, x1, y1 = _trim(page)
    form.BBox = pikepdf.Array([x0, y0, x1, y1])
    form.Matrix = pikepdf.Array([1, 0, 0, 1, -x0, -y0])
    return form


def _add_side(out, side: SheetSide, forms: list, geometry: Geometry, lines: tuple) -> None:
    import pikepdf

    placed = impose.placements(side, geometry)
    names = {p.page: pikepdf.Name(f"/P{p.page + 1}") for p in placed}
    content = "".join(_draw(p, names[p.page]) for p in placed) + _strokes(lines)
    width, height = geometry.sheet
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=pikepdf.Array([0, 0, Decimal(_num(width)), Decimal(_num(height))]),
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary({str(n): forms[i] for i, n in names.items()})),
        Contents=out.make_stream(content.encode("ascii")),
    )
    out.pages.append(pikepdf.Page(page))


def _draw(placement: Placement, name) -> str:
    x0, y0, x1, y1 = placement.clip
    clip = f"{_num(x0)} {_num(y0)} {_num(x1 - x0)} {_num(y1 - y0)} re W n"
    matrix = " ".join(_num(v) for v in placement.matrix)
    return f"q {clip} {matrix} cm {name} Do Q\n"


def _strokes(lines: tuple) -> str:
    """Fold marks: hairlines in registration black."""
    if not lines:
        return ""
    paths = " ".join(f"{_num(x0)} {_num(y0)} m {_num(x1)} {_num(y1)} l" for x0, y0, x1, y1 in lines)
    return f"q 0.25 w 0 G {paths} S Q\n"


def _num(value: float) -> str:
    """A PDF number with fixed precision, so output never depends on float printing."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
