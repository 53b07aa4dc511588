"""Saddle-stitch imposition as pure geometry: which page goes where.

Knows nothing about books or PDFs. Given a page count, a binding side, a
sheet, a page size and a creep, it says which page sits on which half of
which sheet side, and with which `cm` matrix. `press.editions.booklet.writer`
draws the result with pikepdf. All lengths are PDF points; pages are
0-based; `None` is a blank page added to reach a multiple of four.

A sheet is landscape, folded once at its vertical centre line (the
spine). Sheet 0 is the outermost. Sides are listed front, back, front,
back..., so a duplex printer flipping on the short edge prints each back
behind its front, and the printed stack, folded as it comes, reads in
order.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

Binding = Literal["left", "right"]
Matrix = tuple[float, float, float, float, float, float]
Rect = tuple[float, float, float, float]  # x0, y0, x1, y1


@dataclass(frozen=True, slots=True)
class SheetSide:
    """One printed side: the pages on its left and right halves."""

    sheet: int  # 0 is the outermost sheet of the folded stack
    front: bool
    left: int | None
    right: int | None


@dataclass(frozen=True, slots=True)
class Geometry:
    """Sizes the placement depends on, in points."""

    sheet: tuple[float, float]  # landscape: width > height
    page: tuple[float, float]  # the trimmed book page
    creep: float = 0.0  # shift per sheet of depth, toward the spine


@dataclass(frozen=True, slots=True)
class Placement:
    """A page drawn on a sheet side: `cm` matrix from page to sheet, clipped to its half."""

    page: int
    matrix: Matrix
    clip: Rect


_UNITS = {"pt": 1.0, "in": 72.0, "mm": 72 / 25.4, "cm": 72 / 2.54}
_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(pt|in|mm|cm)\s*$")


def points(length: str) -> float:
    """A CSS length in pt, in, mm or cm (or a bare "0") in points; ValueError otherwise."""
    if length.strip() == "0":
        return 0.0
    found = _LENGTH.match(length)
    if not found:
        raise ValueError(f"not a length in pt, in, mm or cm: {length!r}")
    return float(found.group(1)) * _UNITS[found.group(2)]


def landscape(size: str) -> tuple[float, float]:
    """A CSS "W H" size turned so that its long side is its width."""
    width, height = (points(part) for part in size.split())
    return (max(width, height), min(width, height))


def padded(pages: int) -> int:
    """The page count rounded up to a multiple of four (one sheet holds four pages)."""
    return max(4, 4 * math.ceil(pages / 4))


def saddle_sides(pages: int, binding: Binding = "left") -> tuple[SheetSide, ...]:
    """Every sheet side in printing order.

    With M padded pages (1-based), sheet s carries on its front M-2s and
    1+2s, on its back 2+2s and M-1-2s, left to right, for a book bound on
    the left. Bound on the right, each side is mirrored: the first page
    is left of the spine and the book is read from the other end.
    """
    total = padded(pages)
    sides: list[SheetSide] = []
    for sheet in range(total // 4):
        front = (total - 2 * sheet, 1 + 2 * sheet)
        back = (2 + 2 * sheet, total - 1 - 2 * sheet)
        for is_front, (left, right) in ((True, front), (False, back)):
            if binding == "right":
                left, right = right, left
            sides.append(SheetSide(sheet, is_front, _real(left, pages), _real(right, pages)))
    return tuple(sides)


def _real(number: int, pages: int) -> int | None:
    """A 1-based page number as a 0-based index, or None for padding."""
    return number - 1 if number <= pages else None


def scale(geometry: Geometry) -> float:
    """Uniform scale fitting a page in half a sheet; never enlarges."""
    (sheet_w, sheet_h), (page_w, page_h) = geometry.sheet, geometry.page
    return min(1.0, sheet_w / 2 / page_w, sheet_h / page_h)


def placements(side: SheetSide, geometry: Geometry) -> tuple[Placement, ...]:
    """Where the (non-blank) pages of one side are drawn."""
    halves = (("left", side.left), ("right", side.right))
    return tuple(_place(page, half, side.sheet, geometry) for half, page in halves if page is not None)


def _place(page: int, half: str, sheet: int, geometry: Geometry) -> Placement:
    """A page against the spine, centred vertically, moved by creep.

    Pages sit against the fold (not centred in their half) because the
    fold is the booklet's spine: after folding, the fore edge, head and
    foot are trimmed and the book's inner margin is exactly its own.

    Creep: nested sheets push the inner ones outward, so after the fore
    edge is trimmed flush their outer margins come out narrower. Each
    page is therefore moved toward the spine by `creep` times its sheet's
    depth (0 on the outermost sheet), and clipped to its half so what
    crosses the fold (inner margin, normally blank) is not printed on the
    facing page.
    """
    factor = scale(geometry)
    (sheet_w, sheet_h), (page_w, page_h) = geometry.sheet, geometry.page
    spine, shift = sheet_w / 2, geometry.creep * sheet
    width, y = page_w * factor, (sheet_h - page_h * factor) / 2
    if half == "left":
        x, clip = spine - width + shift, (0.0, 0.0, spine, sheet_h)
    else:
        x, clip = spine - shift, (spine, 0.0, sheet_w, sheet_h)
    return Placement(page, (factor, 0.0, 0.0, factor, x, y), clip)


def fold_marks(geometry: Geometry, gap: float = 3.0, length: float = 18.0) -> tuple[Rect, ...]:
    """Short lines on the spine above and below the pages, as (x0, y0, x1, y1).

    They start `gap` points from the page area and run toward the sheet
    edge for at most `length`; with less than 3 points of room there are
    none (the pages fill the sheet's height).
    """
    (sheet_w, sheet_h), page_h = geometry.sheet, geometry.page[1] * scale(geometry)
    margin = (sheet_h - page_h) / 2
    run = min(length, margin - gap)
    if run < 3.0:
        return ()
    spine = sheet_w / 2
    return ((spine, sheet_h - margin + gap, spine, sheet_h - margin + gap + run),
            (spine, margin - gap - run, spine, margin - gap))
