"""Filling pages to their foot: two-column rows that break where both columns have begun, and flush
bottoms.

A page breaks where the next block would not fit, or where a keep moves it (a pair's two paragraphs,
a heading with what follows, a paragraph's two-line orphans and widows): the lines that would have
followed leave white at the page's foot, and the two pages of a spread end at different depths.

Rows. A grid row (the columns layout's pair) that must not start in one column only was kept whole
(`break-inside: avoid`), moving a row of ten lines over for want of one. With `--press-row-break:
begun` on the grid, it may break at the page's foot where every one of its items has begun on the
page (each paragraph's orphans and widows still hold, so a column that breaks keeps two lines on
each side); where one would not begin, the row moves to the next page as before.

Flush bottoms. A typesetter's answer to what white is left is vertical justification: it is shared
among the gaps between the page's blocks, each gap growing by at most a bound, so that the last line
stands on the foot of the text block (the top of the footnote area's margin when the page has
notes). Lines keep their leading; only the white between blocks grows. The stylesheet asks for it
on the element whose block children may be spaced out (book.css puts it on a chapter):
`--press-flush-bottom: 8pt` is the most a gap may grow. A page is justified only when that element
continues on the next page (its chapter does not end there); a gap beside a block that keeps with
its neighbour (`break-after: avoid`, a heading) does not grow.

The boxes are moved after WeasyPrint has paginated and made the margin boxes, before it lays out
backgrounds and before its `Page` gathers anchors and links: named destinations, links, the page
trace (press/engine/pagetrace.py reads the boxes' texts) and the Hebrew text plans (press/engine/
pdftext/, made while drawing) all see the moved boxes; running heads, folios and the footnote area
are never moved. `tests/test_page_geometry.py` pins the WeasyPrint functions this wraps.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

FLUSH = "__press_flush_bottom"  # the custom property `--press-flush-bottom`, as WeasyPrint keys it
ROW_BREAK = "__press_row_break"  # `--press-row-break`
UNITS = {"px": 1.0, "pt": 4 / 3}
_installed = False


def install() -> None:
    """Wrap WeasyPrint's `layout_document` as `Document._render` calls it, and its `grid_layout` as block
    layout calls it (once per process)."""
    global _installed
    if _installed:
        return
    from weasyprint import document
    from weasyprint.layout import block

    document.layout_document = _wrapped(_layout_document, document.layout_document)
    block.grid_layout = _wrapped(_grid_layout, block.grid_layout)
    _installed = True


def _wrapped(function: Any, original: Any) -> Any:
    def wrapper(*args: Any) -> Any:
        return function(original, *args)

    wrapper.__wrapped__ = original  # type: ignore[attr-defined]
    return wrapper


def _layout_document(original: Any, html: Any, root_box: Any, context: Any, *args: Any) -> Iterator[Any]:
    """WeasyPrint's pages, each justified before it is handed on."""
    pages = list(original(html, root_box, context, *args))
    for index, page in enumerate(pages):
        if justify(page, pages[index + 1] if index + 1 < len(pages) else None):
            _relayout_backgrounds(page, context)
        yield page


def _grid_layout(original: Any, context: Any, box: Any, bottom_space: float, skip_stack: Any,
                 containing_block: Any, page_is_empty: bool, absolute_boxes: list, fixed_boxes: list) -> Any:
    """WeasyPrint's grid layout; a grid asking `--press-row-break: begun` that would break on this page
    with an item not begun is moved to the next page instead, as `break-inside: avoid` moves it."""
    advancements = dict(box.advancements)
    result = original(context, box, bottom_space, skip_stack, containing_block, page_is_empty,
                      absolute_boxes, fixed_boxes)
    laid, resume_at = result[0], result[1]
    if laid is None or not resume_at or skip_stack is not None or page_is_empty or not _asks_begun(box):
        return result
    if len(laid.children) == sum(child.is_in_normal_flow() for child in box.children):
        return result
    from weasyprint.layout.block import remove_placeholders

    remove_placeholders(context, [laid], absolute_boxes, fixed_boxes)  # its notes leave the page too
    box.advancements.clear()
    box.advancements.update(advancements)
    return None, None, {"break": "any", "page": None}, [], False


def _asks_begun(box: Any) -> bool:
    return [token.value for token in box.style[ROW_BREAK] if token.type == "ident"] == ["begun"]


def _relayout_backgrounds(page: Any, context: Any) -> None:
    """Backgrounds' painting areas are absolute: lay them out again for the moved boxes."""
    from weasyprint.layout.background import layout_backgrounds

    layout_backgrounds(page, context.get_image_from_uri)


def justify(page: Any, following: Any | None) -> bool:
    """Share `page`'s white at the foot among its flush container's gaps; whether anything moved."""
    root = page.children[0]
    container = _container(root)
    if container is None or following is None or not _continues(container, following):
        return False
    bound = _bound(container.style[FLUSH])
    children = [child for child in container.children if child.is_in_normal_flow()]
    gaps = [index for index in range(1, len(children)) if _may_grow(children[index - 1], children[index])]
    bottom = _content_bottom(container)
    if not gaps or bound <= 0 or bottom is None:
        return False
    white = _foot(page) - bottom
    if white <= 0.01:
        return False
    step = min(white / len(gaps), bound)
    moved = 0.0
    for index, child in enumerate(children):
        if index in gaps:
            moved += step
        child.translate(0, moved)
    for box in _path(root, container):
        if box.height != "auto":
            box.height += moved
    return True


def _container(box: Any) -> Any | None:
    """The outermost block box that asks for flush bottoms, or None."""
    from weasyprint.formatting_structure.boxes import BlockBox

    if not isinstance(box, BlockBox):
        return None
    if box.style[FLUSH]:
        return box
    for child in box.children:
        if (found := _container(child)) is not None:
            return found
    return None


def _path(root: Any, target: Any) -> list[Any]:
    """The boxes from `root` down to `target`, both included (empty when it is not under root)."""
    if root is target:
        return [root]
    for child in getattr(root, "children", ()) or ():
        if found := _path(child, target):
            return [root, *found]
    return []


def _continues(container: Any, following: Any) -> bool:
    """Whether the container's element has boxes on the following page (its content goes on)."""
    element = container.element
    return any(box.element is element for box in following.children[0].descendants())


def _bound(tokens: Any) -> float:
    """`--press-flush-bottom`'s length in CSS px (0 when it is not one)."""
    values = [token for token in tokens if token.type not in ("whitespace", "comment")]
    if len(values) != 1:
        return 0.0
    token = values[0]
    if token.type == "dimension" and token.lower_unit in UNITS:
        return float(token.value) * UNITS[token.lower_unit]
    return 0.0


def _may_grow(before: Any, after: Any) -> bool:
    """A gap grows unless the blocks either side of it keep together (a heading with what follows): the
    break between them is avoided by the boxes that meet there, down to the last and first lines."""
    breaks = {*_edge_breaks(before, "break_after", -1), *_edge_breaks(after, "break_before", 0)}
    return not breaks & {"avoid", "avoid-page"}


def _edge_breaks(box: Any, side: str, end: int) -> Iterator[str]:
    """`side` of `box` and of its first (end 0) or last (end -1) in-flow child, down the tree."""
    from weasyprint.formatting_structure.boxes import BlockBox

    while isinstance(box, BlockBox):
        yield box.style[side]
        children = [child for child in box.children if child.is_in_normal_flow()]
        box = children[end] if children else None


def _content_bottom(box: Any) -> float | None:
    """The bottom of the last line (or other leaf box) laid out in `box`'s flow on this page."""
    from weasyprint.formatting_structure.boxes import LineBox, ParentBox

    if isinstance(box, LineBox) or not isinstance(box, ParentBox):
        return box.position_y + box.margin_height()
    bottoms = [_content_bottom(child) for child in box.children if child.is_in_normal_flow()]
    bottoms = [bottom for bottom in bottoms if bottom is not None]
    if bottoms:
        return max(bottoms)
    return None


def _foot(page: Any) -> float:
    """The foot of the page's text block: the top of its footnote area, or the page area's bottom."""
    for box in page.children[1:]:
        if type(box).__name__ == "FootnoteAreaBox":
            return box.position_y
    return page.content_box_y() + page.height
