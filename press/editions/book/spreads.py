"""Facing pages: one language on each page of a spread, kept in step.

A chapter opens on a recto with its title and introduction. The rest is
laid out as two documents, one per language, whose pages are interleaved:
verso, recto, verso, recto. To keep them in step, the blocks are grouped
into spreads that fit both pages (measured from a first layout of each
side); each group starts a new page on both sides, and when one side of a
group still runs longer, the other gets blank pages until they match. A
pair too long for one page thus continues on the next spread on both sides.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Any

from press.editions.book.layouts import View
from press.model import Chapter

SIDES = ("verso", "recto")


def lay_out_chapter(parts: Any, chapter: Chapter, folio: int) -> list[Any]:
    """The pages of `chapter` in the facing layout, its first folio `folio` (a recto)."""
    opening_blocks = _opening_blocks(chapter)
    opening = parts.document(parts.html((chapter,), front=False, counter_start=folio,
                                        view=View(parts.book.languages, blocks=frozenset(opening_blocks))))
    pages = list(opening.pages)
    if len(pages) % 2 == 0:  # it opened on a recto; the spreads begin on a verso
        pages.append(parts.blank_page)
    rest = [b.number for b in chapter.blocks if b.number not in opening_blocks]
    if rest:
        pages.extend(_spreads(parts, chapter, rest, folio + len(pages)))
    return pages


def _opening_blocks(chapter: Chapter) -> set[int]:
    """The blocks before the first pair: the introduction, set on the opening page."""
    opening: set[int] = set()
    for block in chapter.blocks:
        if block.kind == "pair":
            break
        opening.add(block.number)
    return opening


def _physical_sides(parts: Any) -> dict[str, str]:
    """verso/recto -> the physical side: a book bound on the right has its versos on the right."""
    bound_right = parts.book.primary == "he"
    return {"verso": "right", "recto": "left"} if bound_right else {"verso": "left", "recto": "right"}


def _spreads(parts: Any, chapter: Chapter, blocks: list[int], first_folio: int) -> list[Any]:
    physical = _physical_sides(parts)
    languages = {side: parts.layout.spread[physical[side]] for side in SIDES}
    views = {side: _side_view(physical[side], languages[side], blocks) for side in SIDES}
    folios = {"verso": first_folio, "recto": first_folio + 1}

    def lay_out(side: str, view: View) -> Any:
        return parts.document(parts.html((chapter,), front=False, counter_start=folios[side], view=view))

    first = {side: lay_out(side, views[side]) for side in SIDES}
    groups = _group(blocks, {side: _block_heights(first[side]) for side in SIDES}, _content_height(first))
    views = {side: replace(views[side], spread_starts=_starts(groups, chapter, languages[side])) for side in SIDES}
    laid = {side: lay_out(side, views[side]) for side in SIDES}
    counts = {side: _pages_per_group(laid[side], groups, views[side].spread_starts) for side in SIDES}
    if counts["verso"] != counts["recto"]:
        for side in SIDES:
            pads = _pads(groups, counts[side], counts[_other(side)])
            views[side] = replace(views[side], pads_after=pads)
        laid = {side: lay_out(side, views[side]) for side in SIDES}
    return _interleave(parts, laid["verso"].pages, laid["recto"].pages)


def _side_view(physical_side: str, language: str, blocks: list[int]) -> View:
    return View((language,), blocks=frozenset(blocks), heading=False, page_class=f"side-{physical_side}",
                page_step=2)


def _other(side: str) -> str:
    return "recto" if side == "verso" else "verso"


def _block_heights(document: Any) -> dict[int, float]:
    """Each block's laid-out height, summed over its fragments."""
    from weasyprint.formatting_structure import boxes

    heights: dict[int, float] = defaultdict(float)

    def walk(box: Any) -> None:
        element = getattr(box, "element", None)
        number = element.get("data-block") if element is not None and isinstance(box, boxes.BlockBox) else None
        if number:
            heights[int(number)] += box.margin_height()
            return
        for child in getattr(box, "children", ()):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return heights


def _content_height(documents: dict[str, Any]) -> float:
    page_box = next(iter(documents.values())).pages[0]._page_box
    return page_box.height * 0.96  # leave room for rounding and a footnote rule


def _group(blocks: list[int], heights: dict[str, dict[int, float]], available: float) -> list[list[int]]:
    """Greedy: add blocks to the spread while both sides still fit its pages."""
    groups: list[list[int]] = []
    current: list[int] = []
    used = {side: 0.0 for side in SIDES}
    for number in blocks:
        needed = {side: heights[side].get(number, 0.0) for side in SIDES}
        if current and any(used[s] + needed[s] > available for s in SIDES):
            groups.append(current)
            current, used = [], {side: 0.0 for side in SIDES}
        current.append(number)
        used = {side: used[side] + needed[side] for side in SIDES}
    if current:
        groups.append(current)
    return groups


def _starts(groups: list[list[int]], chapter: Chapter, language: str) -> frozenset[int]:
    """Per group, the first block this side shows: where its new page begins."""
    shown = {b.number for b in chapter.blocks if b.paragraph(language) is not None}
    starts = set()
    for group in groups[1:]:
        first = next((n for n in group if n in shown), None)
        if first is not None:
            starts.add(first)
    return frozenset(starts)


def _pages_per_group(document: Any, groups: list[list[int]], starts: frozenset[int]) -> list[int]:
    """How many pages each group took on this side (0 when it shows none of its blocks)."""
    first_page_of: dict[int, int] = {}
    for index, page in enumerate(document.pages):
        for number in _blocks_on(page):
            first_page_of.setdefault(number, index)
    begins = []
    for group in groups:
        pages = [first_page_of[n] for n in group if n in first_page_of]
        begins.append(min(pages) if pages else None)
    counts = []
    total = len(document.pages)
    for index, begin in enumerate(begins):
        if begin is None:
            counts.append(0)
            continue
        later = [b for b in begins[index + 1:] if b is not None]
        counts.append((later[0] if later else total) - begin)
    return counts


def _blocks_on(page: Any) -> list[int]:
    from weasyprint.formatting_structure import boxes

    found: list[int] = []

    def walk(box: Any) -> None:
        element = getattr(box, "element", None)
        if isinstance(box, boxes.BlockBox) and element is not None and element.get("data-block"):
            found.append(int(element.get("data-block")))
            return
        for child in getattr(box, "children", ()):
            walk(child)

    walk(page._page_box)
    return found


def _pads(groups: list[list[int]], mine: list[int], theirs: list[int]) -> dict[int, int]:
    """Blank pages after each of this side's groups so that both sides match."""
    return {group[-1]: theirs[i] - mine[i] for i, group in enumerate(groups) if theirs[i] > mine[i]}


def _interleave(parts: Any, versos: list[Any], rectos: list[Any]) -> list[Any]:
    length = max(len(versos), len(rectos))
    pages: list[Any] = []
    for index in range(length):
        pages.append(versos[index] if index < len(versos) else parts.blank_page)
        pages.append(rectos[index] if index < len(rectos) else parts.blank_page)
    return pages
