"""WeasyPrint's footnote area, measured once per set of footnotes on a page.

WeasyPrint 70 measures a page's footnote area by laying all of its footnotes
out again each time one footnote is added to the page or taken back from it
(`LayoutContext._update_footnote_area`). A paragraph that calls many notes
and then moves to the next page takes each of them back, one at a time,
measuring the area after each: the page's states repeat, each measured anew.
A chapter of 1,000 notes called 20 to a paragraph spent 40 of its 45 s there.

The area's layout depends on the area (one per page and attempt) and on the
footnotes it holds, in order; so its measure is kept on the area, keyed by
that tuple of footnote boxes (boxes compare by identity), and a state seen
before is not laid out again. What the method does with the measure is its
own code, unchanged: only the layout is skipped, so the pages are the same.
`tests/test_footnote_area.py` pins the method this reproduces.
"""

from __future__ import annotations

from math import inf
from typing import Any

_installed = False
_original_block_level_layout: Any = None


def _update_footnote_area(self: Any) -> bool:
    """WeasyPrint 70's `LayoutContext._update_footnote_area`, the layout looked up when seen before."""
    area = self.current_footnote_area
    if area.height != "auto" and not self.in_column:
        self.page_bottom += area.margin_height()
    area.children = self.current_page_footnotes
    if not area.children:
        area.height = 0
        if not self.in_column:
            self.page_bottom -= area.margin_height()
        return False
    height, margin_height, overflow = _measure(self, area)
    area.height = height
    if not self.in_column:
        self.page_bottom -= margin_height
    return overflow


def _measure(context: Any, area: Any) -> tuple[float, float, bool]:
    """(height, margin height, whether the last footnote overflows) of `area` laid out as it is now."""
    known = area.__dict__.setdefault("_press_measures", {})
    key = tuple(area.children)
    area._press_held = key  # what the page's final area will be a copy of (_final_area)
    if key not in known:
        heights = [_footnote_height(context, area, footnote) for footnote in key]
        if area.style["height"] == "auto" and area.max_height == inf and None not in heights:
            height = sum(heights)  # footnotes without vertical margins stack: the area is their sum
            known[key] = (height, height + _extras(area), False)
        else:
            known[key] = _laid_out(context, area, key)
    return known[key]


def _footnote_height(context: Any, area: Any, footnote: Any) -> float | None:
    """The height of `footnote` alone in `area` (the width of this page), or None where a footnote's
    height could depend on its neighbours (a vertical margin, which would collapse with theirs, or
    block children)."""
    from weasyprint.formatting_structure.boxes import LineBox

    heights = area.__dict__.setdefault("_press_heights", {})
    if footnote not in heights:
        laid = _layout(context, area, [footnote])
        child = laid.children[0]
        plain = (child.margin_top == 0 and child.margin_bottom == 0 and laid.height == child.margin_height()
                 and all(isinstance(line, LineBox) for line in child.children))
        heights[footnote] = child.margin_height() if plain else None
        if plain:  # the page's final area is made of these (_final_area), moved from where they lie
            area.__dict__.setdefault("_press_laid", {})[footnote] = (child, laid.content_box_x(), laid.content_box_y())
    return heights[footnote]


def _extras(area: Any) -> float:
    """What the area's margin box adds to its content height (the rule above the footnotes)."""
    return (area.margin_top + area.margin_bottom + area.padding_top + area.padding_bottom
            + area.border_top_width + area.border_bottom_width)


def _laid_out(context: Any, area: Any, footnotes: tuple[Any, ...]) -> tuple[float, float, bool]:
    """WeasyPrint's own measure: the area laid out with all its footnotes."""
    laid = _layout(context, area, list(footnotes))
    last = laid.children[-1]
    last_bottom = last.position_y + last.margin_height() - last.margin_bottom
    area_bottom = laid.position_y + laid.margin_height() - laid.margin_bottom
    return laid.height, laid.margin_height(), last_bottom > area_bottom


def _layout(context: Any, area: Any, footnotes: list[Any]) -> Any:
    from weasyprint.formatting_structure import build
    from weasyprint.layout.block import block_level_layout

    copy = area.copy()  # what area.deepcopy() gives, with these footnotes as its children
    copy.children = [footnote.deepcopy() for footnote in footnotes]
    return block_level_layout(context, build.create_anonymous_boxes(copy), -inf, None, area.page)[0]


def _page_block_level_layout(context: Any, box: Any, *args: Any, **kwargs: Any) -> Any:
    """`block_level_layout` as make_page calls it: the page's final footnote area made of the footnotes
    laid out when they were measured, where that is what laying them out again would give."""
    if type(box).__name__ == "FootnoteAreaBox":
        made = _final_area(context, box, args, kwargs)
        if made is not None:
            return made
    return _original_block_level_layout(context, box, *args, **kwargs)


def _final_area(context: Any, area: Any, args: tuple, kwargs: dict) -> Any:
    """The page's footnote area (a copy of the one measured, as make_page lays it out at the page's
    end) with its footnotes' measured layouts stacked in it, or None where they are not all of the
    plain kind the measure sums. The area itself is laid out empty, by WeasyPrint: its margins, rule
    and position are its own, not its footnotes'. Laying the same footnotes out again in the same
    area gives the same boxes, one under the other (block_container_layout, pinned by the test):
    a margin-less footnote of line boxes does not depend on its neighbours."""
    held, laid = area.__dict__.get("_press_held", ()), area.__dict__.get("_press_laid", {})
    if (not held or len(held) != len(area.children) or area.style["height"] != "auto" or area.max_height != inf
            or any(copy.element is not footnote.element or type(copy) is not type(footnote) or footnote not in laid
                   for copy, footnote in zip(area.children, held, strict=True))):
        return None
    empty = area.copy_with_children([])
    made, *rest = _original_block_level_layout(context, empty, *args, **kwargs)
    children, offset = [], 0.0
    for footnote in held:
        child, x, y = laid.pop(footnote)  # each measured layout goes into one final area, moved there
        child.translate(dx=made.content_box_x() - x, dy=made.content_box_y() + offset - y)
        children.append(child)
        offset += child.margin_height()
    made.children = children
    made.height = offset
    return (made, *rest)


def install() -> None:
    """Replace the method and make_page's final footnote area (once per process)."""
    global _installed, _original_block_level_layout
    if _installed:
        return
    import weasyprint.layout.page as page
    from weasyprint.layout import LayoutContext

    _update_footnote_area.__wrapped__ = LayoutContext._update_footnote_area  # type: ignore[attr-defined]
    LayoutContext._update_footnote_area = _update_footnote_area
    _original_block_level_layout = page.block_level_layout
    _page_block_level_layout.__wrapped__ = page.block_level_layout  # type: ignore[attr-defined]
    page.block_level_layout = _page_block_level_layout
    _installed = True
