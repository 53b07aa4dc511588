"""The one place WeasyPrint's drawing is touched: a wrapper of draw_first_line.

While `write_pdf` runs, every text box goes through `_draw_first_line`:
a right-to-left, single-font box is written by `_draw` from its plan, any
other box by WeasyPrint's own function, unchanged. A context variable
holds the codes of the PDF being written, so nothing leaks between PDFs.
"""

from __future__ import annotations

import inspect
import os
import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from press.engine.pdftext.codes import CodeBook, add_cid_maps
from press.engine.pdftext.plan import RLM, Plan, plan
from press.engine.pdftext.poppler import poppler_class, poppler_order
from press.engine.pdftext.shaping import Line, read_line

# The versions whose draw_first_line this was written against (and whose
# arithmetic press.engine.pdftext.shaping replays).
SUPPORTED_WEASYPRINT = ("70.0",)
WRAPPED_SIGNATURE = ("stream", "textbox", "text_overflow", "block_ellipsis", "matrix")
_NOTHING = b"<</ActualText <FEFF0000>>>"  # U+0000: both engines skip the object
_GLYPHS = b"<</ActualText ()>>"  # empty: PDFium falls back to the glyphs
# Strongly right-to-left characters and the controls that open a right-to-left run. In a box whose
# direction is ltr, Pango makes a right-to-left item only around one of these: without them the
# line is WeasyPrint's to draw, and reading it out of Pango first would be wasted (most lines).
_RIGHT_TO_LEFT = re.compile("[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF\u200F\u202B\u202E\u2067"
                            "\U00010800-\U00010FFF\U0001E800-\U0001EFFF]")


@dataclass(slots=True)
class _Session:
    """The code books of the PDF being written, one per font."""

    books: dict[int, CodeBook] = field(default_factory=dict)

    def book(self, font: Any) -> CodeBook:
        return self.books.setdefault(id(font), CodeBook(font))


@dataclass(slots=True)
class _Page:
    """What poppler will count on the page being painted: it orders every line by the page's
    primary direction, left-to-right when its left-to-right letters are at least as many as
    its right-to-left ones. `balance` is that difference over the boxes drawn so far (without
    the RLMs poppler's channel adds, which depend on the direction), `texts` the boxes'
    channels, written once the page is painted."""

    balance: int = 0
    texts: list[str] = field(default_factory=list)
    _ltr: bool | None = None

    def count(self, text: str) -> None:
        for char in text:
            kind = poppler_class(char)
            self.balance += (kind == "L") - (kind == "R")

    def left_to_right(self) -> bool:
        """The page's direction as poppler will find it, the channels' own RLMs counted."""
        if self._ltr is None:
            # Left-to-right unless the channels written for a right-to-left page would make it one
            # (when neither choice holds, on a page all but even, either is as good).
            right_to_left = self.balance - sum(poppler_order(t, False).count(RLM) for t in self.texts) < 0
            left_to_right = self.balance - sum(poppler_order(t, True).count(RLM) for t in self.texts) >= 0
            self._ltr = left_to_right or not right_to_left
        return self._ltr


class _ActualText:
    """poppler's channel of one box, as pydyf writes it: known only when its page is painted
    (pydyf turns a stream's items to bytes with str() when the PDF is written)."""

    __slots__ = ("page", "text")

    def __init__(self, page: _Page, text: str) -> None:
        self.page, self.text = page, text
        page.texts.append(text)

    def __str__(self) -> str:
        return "<</ActualText " + _utf16_hex(poppler_order(self.text, self.page.left_to_right())).decode() + ">>"


_SESSION: ContextVar[_Session | None] = ContextVar("press_pdftext_session", default=None)
_PAGE: ContextVar[_Page | None] = ContextVar("press_pdftext_page", default=None)
_original: Any = None
_original_paint: Any = None


def write_pdf(document: Any, target: Path, **options: Any) -> None:
    """`document.write_pdf(target, **options)`, with Hebrew that copies out.

    `PRESS_PDFTEXT=off` in the environment writes WeasyPrint's own text
    instead (to compare against, in tests and when in doubt).
    """
    # With full_fonts WeasyPrint rebuilds ToUnicode and /W from the font, without our codes.
    if options.get("full_fonts") or os.environ.get("PRESS_PDFTEXT") == "off":
        document.write_pdf(target, **options)
        return
    install()
    session = _Session()
    finisher = options.pop("finisher", None)

    def finish(doc: Any, pdf: Any) -> None:
        add_cid_maps(pdf, list(session.books.values()))
        if finisher is not None:
            finisher(doc, pdf)

    token = _SESSION.set(session)
    try:
        document.write_pdf(target, finisher=finish, **options)
    finally:
        _SESSION.reset(token)


def install() -> None:
    """Wrap WeasyPrint's draw_first_line once; refuse an unknown WeasyPrint."""
    global _original, _original_paint
    import weasyprint
    import weasyprint.document as document
    import weasyprint.draw.text as text

    if _original is not None:
        return
    if weasyprint.__version__ not in SUPPORTED_WEASYPRINT:
        raise RuntimeError(f"press.engine.pdftext was written for WeasyPrint {', '.join(SUPPORTED_WEASYPRINT)}, "
                           f"not {weasyprint.__version__}: check draw_first_line and tests/test_pdftext.py")
    if tuple(inspect.signature(text.draw_first_line).parameters) != WRAPPED_SIGNATURE:
        raise RuntimeError("weasyprint.draw.text.draw_first_line changed its signature")
    _original = text.draw_first_line
    _draw_first_line.__wrapped__ = _original  # type: ignore[attr-defined]  # inspect sees WeasyPrint's
    text.draw_first_line = _draw_first_line
    _original_paint = document.Page.paint
    _paint.__wrapped__ = _original_paint  # type: ignore[attr-defined]
    document.Page.paint = _paint


def _paint(self, stream, scale=1):
    """WeasyPrint's Page.paint, with a record of the page's letters for poppler's channel."""
    token = _PAGE.set(_Page())
    try:
        return _original_paint(self, stream, scale)
    finally:
        _PAGE.reset(token)


def _draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
    session, page = _SESSION.get(), _PAGE.get()
    if session is not None and page is not None and _may_be_right_to_left(textbox) and _plain_line(
            textbox, text_overflow, block_ellipsis):
        from weasyprint.text.ffi import pango

        pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)
        line = read_line(stream, textbox)
        if line is not None and line.glyphs:
            _draw(stream, line, matrix, session.book(line.font), page)
            return []  # no emoji: emoji fonts are left to WeasyPrint
    if session is not None and page is not None and _space_between_hebrew(textbox, text_overflow, block_ellipsis):
        line = read_line(stream, textbox)
        if line is not None and len(line.glyphs) == 1:
            _draw_space(stream, line, matrix, session.book(line.font))
            return []
    if page is not None:
        page.count(textbox.text)  # a line of its own after layout: what WeasyPrint draws of it
    return _original(stream, textbox, text_overflow, block_ellipsis, matrix)


def _may_be_right_to_left(textbox) -> bool:
    return textbox.style["direction"] == "rtl" or _RIGHT_TO_LEFT.search(textbox.text) is not None


def _plain_line(textbox, text_overflow: str, block_ellipsis: str) -> bool:
    """A line WeasyPrint would draw as it is: no ellipsis, something visible."""
    return (text_overflow != "ellipsis" and block_ellipsis == "none" and bool(textbox.text.strip())
            and textbox.style["font_size"] >= 1e-6)


def _space_between_hebrew(textbox, text_overflow: str, block_ellipsis: str) -> bool:
    """A box of one space in a right-to-left line (between two verses of the `hebrew` layout's
    run-on paragraphs): WeasyPrint draws nothing for it, and pdf.js, which makes spaces from
    gaps within one text item only, would run the words on either side of it together."""
    return (textbox.text == " " and textbox.style["direction"] == "rtl" and text_overflow != "ellipsis"
            and block_ellipsis == "none" and textbox.style["font_size"] >= 1e-6)


def _draw_space(stream, line: Line, matrix, book: CodeBook) -> None:
    """The space as a glyph pdf.js reads (a word joiner and a space: plan._edge_space), in a span
    that PDFium and poppler skip (they make the space from the gap, as before). It paints nothing."""
    laid = plan(line.glyphs, line.runs, line.blank_gid)
    stream.set_text_matrix(*_shifted(matrix, laid.start * line.font_size / 1000))
    stream.set_font_size(line.font.hash, line.font_size)
    stream.begin_marked_content("Span", _NOTHING)
    stream.show_text(_tj(laid, book))
    stream.end_marked_content()


def _draw(stream, line: Line, matrix, book: CodeBook, page: _Page) -> None:
    laid = plan(line.glyphs, line.runs, line.blank_gid)
    page.count(laid.text)
    size = line.font_size
    stream.set_text_matrix(*_shifted(matrix, laid.start * size / 1000))
    stream.set_font_size(line.font.hash, size)
    stream.begin_marked_content("Span", _ActualText(page, laid.text))
    stream.begin_marked_content("P", _GLYPHS)
    stream.show_text(_tj(laid, book))
    stream.end_marked_content()
    stream.end_marked_content()
    for raised in laid.raised:
        stream.begin_marked_content("Span", _NOTHING)
        stream.set_text_matrix(*_shifted(matrix, raised.x * size / 1000))
        stream.set_text_rise(-raised.rise)
        stream.show_text(b"<%04x>" % book.code(raised.code, raised.text))
        stream.set_text_rise(0)
        stream.end_marked_content()


def _tj(laid: Plan, book: CodeBook) -> bytes:
    """TJ operands: codes, and after a code a positive number (a leftward move)."""
    parts = [b"<"]
    for code, move in laid.shows:
        parts.append(b"%04x" % book.code(code))
        if move:
            parts.append(b">%d<" % move)
    parts.append(b">")
    return b"".join(parts).replace(b"<>", b"")


def _shifted(matrix, dx: float) -> tuple[float, ...]:
    """The text matrix moved `dx` along its own x axis."""
    a, b, c, d, e, f = matrix.values
    return a, b, c, d, e + a * dx, f + b * dx


def _utf16_hex(text: str) -> bytes:
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"
