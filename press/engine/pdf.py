"""Laying HTML out with WeasyPrint, one part at a time, and joining parts.

A book is laid out as parts (the front matter, then each chapter), each
its own WeasyPrint document whose page counter starts where the previous
part ended. Parts are independent, so a later version can lay them out in
parallel or reuse unchanged ones; joining keeps one PDF with one outline.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from press.diagnostics import BuildError, Diagnostic
from press.engine import footnote_area, footnote_index, hyphen_turn, page_fill, pdftext
from press.engine.fetcher import ProjectFetcher
from press.engine.fonts import EMBEDDED_NAMES, FACES, ensure_static_fonts
from press.engine.render import Edition, render
from press.paths import TEMPLATES, font_cache, profile_cache


@lru_cache(maxsize=1)
def font_configuration():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def fetcher() -> ProjectFetcher:
    return ProjectFetcher((TEMPLATES, font_cache(), profile_cache()))


def stylesheet(edition: Edition, template: str | None = None, **context: object):
    """The edition's stylesheet (`EDITION.css` unless named), rendered with `context`."""
    from weasyprint import CSS

    ensure_static_fonts()
    name = template or f"{edition}.css"
    css = render(edition, name, faces=FACES, font_url=lambda face: face.path.as_uri(), **context)
    profiles: dict[str, Any] = {}  # its @color-profile rules (pdf/x-4), for lay_out to hand to WeasyPrint
    sheet = CSS(string=css, base_url=TEMPLATES.as_uri() + "/", url_fetcher=fetcher(),
                font_config=font_configuration(), color_profiles=profiles)
    sheet.press_color_profiles = profiles
    return sheet


def lay_out(html: str, edition: Edition, stylesheets: list):
    """A WeasyPrint Document for `html`, with only our files reachable."""
    from weasyprint import HTML

    footnote_index.install()  # footnotes found by a set, not a list scan per line
    footnote_area.install()  # a page's footnote area measured once per set of footnotes
    hyphen_turn.install()  # no page ends in a hyphenated word where orphans allow a line earlier
    page_fill.install()  # pages that do not end a chapter filled to their foot
    with _weasyprint_errors():
        document = HTML(string=html, base_url=TEMPLATES.as_uri() + "/", url_fetcher=fetcher())
        profiles = {k: v for sheet in stylesheets for k, v in getattr(sheet, "press_color_profiles", {}).items()}
        return document.render(stylesheets=stylesheets, font_config=font_configuration(),
                               color_profiles=profiles or None)


def join_and_write(documents: list, target: Path, named: Path, **options: object) -> None:
    """One PDF from the pages of several laid-out documents.

    `target` is the file written, `named` the output it becomes (for messages).
    """
    write_pages([page for document in documents for page in document.pages], documents[0], target, named, **options)


def write_pages(pages: list, first: Any, target: Path, named: Path, **options: object) -> None:
    """One PDF of `pages`, in that order, with `first`'s document metadata."""
    with _weasyprint_errors(), _flate_level(FLATE_LEVEL):
        pdftext.write_pdf(first.copy(pages), target, **options)  # Hebrew that copies out
    check_embedded_fonts(target, named)


# pydyf compresses every stream at zlib's level 9; level 6 (zlib's default) writes a chapter about a
# tenth faster for files 0.4% larger. pydyf has no setting: its module's `zlib` is replaced while
# one of our PDFs is written (tests/test_pdf.py pins what it replaces).
FLATE_LEVEL = 6


@contextlib.contextmanager
def _flate_level(level: int) -> Iterator[None]:
    import zlib

    import pydyf

    def compressobj(asked: int = -1, *args: Any, **kwargs: Any) -> Any:
        kwargs.pop("level", None)  # pydyf asks for 9
        return zlib.compressobj(level, *args, **kwargs)

    original = pydyf.zlib
    pydyf.zlib = SimpleNamespace(compressobj=compressobj, compress=zlib.compress)
    try:
        yield
    finally:
        pydyf.zlib = original


def check_embedded_fonts(pdf: Path, named: Path) -> None:
    """Refuse a PDF that embeds any font but the book's own."""
    import pikepdf

    with pikepdf.open(pdf) as document:
        names = {str(font.get("/BaseFont", "")) for page in document.pages
                 for font in page.resources.get("/Font", {}).values()}
    strangers = sorted(n for n in names if not any(own in n.replace("-", "") for own in EMBEDDED_NAMES))
    if strangers:
        raise BuildError(Diagnostic("fallback-font", "error",
                                    f"a fallback font was used: {', '.join(strangers)}", named))


@contextlib.contextmanager
def _weasyprint_errors() -> Iterator[None]:
    """Turn a refused fetch into a diagnostic; keep WeasyPrint's log quiet."""
    from weasyprint.urls import FatalURLFetchingError

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    try:
        yield
    except FatalURLFetchingError as failure:
        raise BuildError(Diagnostic("fetch", "error", str(failure.__cause__ or failure))) from None
