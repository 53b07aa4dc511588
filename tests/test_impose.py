"""press.editions.booklet.impose: the pure geometry of saddle stitching, without PDFs."""

from __future__ import annotations

import pytest

from press.editions.booklet.impose import (
    Geometry,
    SheetSide,
    fold_marks,
    landscape,
    padded,
    placements,
    points,
    saddle_sides,
    scale,
)

LETTER = landscape("8.5in 11in")
A5 = (points("148mm"), points("210mm"))
A4 = (points("210mm"), points("297mm"))
HALF_LETTER = (396.0, 612.0)


def fold(sides: tuple[SheetSide, ...], binding: str) -> list[int | None]:
    """Read a printed stack as a person does after folding it.

    Sides come front, back, front, back... with sheet 0 outermost. A
    duplex printer flipping on the short edge puts the back's left half
    behind the front's right half. Left-bound: the cover is the front's
    right half; turning leaves shows each back's left half, then the next
    sheet's front right half, until the centre spread (the innermost
    back), then the way out again: back right, front left.
    """
    pairs = [(sides[i], sides[i + 1]) for i in range(0, len(sides), 2)]
    recto = "right" if binding == "left" else "left"
    verso = "left" if binding == "left" else "right"
    head = [page for front, back in pairs for page in (getattr(front, recto), getattr(back, verso))]
    tail = [page for front, back in reversed(pairs) for page in (getattr(back, recto), getattr(front, verso))]
    return head + tail


def test_padding_to_multiples_of_four() -> None:
    assert [padded(n) for n in (1, 4, 5, 8, 9, 13)] == [4, 4, 8, 8, 12, 16]


def test_the_formula_for_eight_pages_bound_left() -> None:
    sides = saddle_sides(8, "left")
    as_numbers = [(s.sheet, s.front, s.left + 1, s.right + 1) for s in sides]
    assert as_numbers == [(0, True, 8, 1), (0, False, 2, 7), (1, True, 6, 3), (1, False, 4, 5)]


def test_bound_right_mirrors_every_side() -> None:
    left, right = saddle_sides(12, "left"), saddle_sides(12, "right")
    assert [(s.left, s.right) for s in right] == [(s.right, s.left) for s in left]


@pytest.mark.parametrize("binding", ["left", "right"])
@pytest.mark.parametrize("pages", range(1, 22))
def test_folded_stack_reads_in_order_then_blanks(pages: int, binding: str) -> None:
    sides = saddle_sides(pages, binding)
    assert len(sides) == 2 * -(-pages // 4), "2 x ceil(N/4) sheet sides"
    assert fold(sides, binding) == [*range(pages), *[None] * (padded(pages) - pages)]


def test_a_page_that_fits_is_not_scaled_and_sits_against_the_spine() -> None:
    front = saddle_sides(4)[0]
    geometry = Geometry(LETTER, HALF_LETTER)
    left, right = placements(front, geometry)
    assert scale(geometry) == 1.0
    assert (left.page, right.page) == (3, 0)
    assert left.matrix == (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    assert right.matrix == (1.0, 0.0, 0.0, 1.0, 396.0, 0.0)


def test_a5_on_letter_is_scaled_to_the_half_width_and_centred_vertically() -> None:
    geometry = Geometry(LETTER, A5)
    factor = scale(geometry)
    assert factor == pytest.approx(396 / A5[0])
    right = placements(saddle_sides(4)[0], geometry)[1]
    assert right.matrix[4] == pytest.approx(396.0)
    assert right.matrix[5] == pytest.approx((612 - A5[1] * factor) / 2)


def test_a4_on_letter_is_scaled_further() -> None:
    assert scale(Geometry(LETTER, A4)) == pytest.approx(396 / A4[0])
    assert scale(Geometry(LETTER, A4)) < scale(Geometry(LETTER, A5))


def test_a_small_page_is_never_enlarged() -> None:
    a6 = (points("105mm"), points("148mm"))
    geometry = Geometry(landscape("210mm 297mm"), a6)
    left = placements(saddle_sides(4)[0], geometry)[0]
    assert scale(geometry) == 1.0
    assert left.matrix[4] + a6[0] == pytest.approx(points("297mm") / 2), "its inner edge is on the spine"


def test_creep_moves_inner_sheets_toward_the_spine_by_depth() -> None:
    creep = points("0.5mm")
    geometry, flat = Geometry(LETTER, HALF_LETTER, creep), Geometry(LETTER, HALF_LETTER)
    for side in saddle_sides(16):
        for moved, still in zip(placements(side, geometry), placements(side, flat), strict=True):
            toward_spine = 1 if moved.clip[0] == 0 else -1  # left half moves right, right half moves left
            assert moved.matrix[4] - still.matrix[4] == pytest.approx(toward_spine * creep * side.sheet)
            assert moved.matrix[5] == still.matrix[5]


def test_pages_are_clipped_to_their_half() -> None:
    left, right = placements(saddle_sides(4)[0], Geometry(LETTER, HALF_LETTER, 2.0))
    assert left.clip == (0.0, 0.0, 396.0, 612.0)
    assert right.clip == (396.0, 0.0, 792.0, 612.0)


def test_fold_marks_lie_on_the_spine_outside_the_pages() -> None:
    geometry = Geometry(LETTER, A5)
    top_of_page = (612 + A5[1] * scale(geometry)) / 2
    top, bottom = fold_marks(geometry)
    assert top[0] == top[2] == bottom[0] == bottom[2] == 396.0
    assert top[1] > top_of_page and top[3] <= 612
    assert bottom[3] < 612 - top_of_page and bottom[1] >= 0


def test_no_fold_marks_when_the_pages_fill_the_sheet() -> None:
    assert fold_marks(Geometry(LETTER, HALF_LETTER)) == ()


def test_lengths_in_points() -> None:
    assert [points(v) for v in ("1in", "25.4mm", "2.54cm", "72pt", "0")] == pytest.approx([72, 72, 72, 72, 0])
    with pytest.raises(ValueError):
        points("3px")
