"""Fitting a sheet to its pages: lay out, count pages, step the type down.

A `Step` is one set of sizes for the sheet's stylesheet. Step 0 is the
comfortable size; the last step is the smallest the sheet may use (Hebrew
11 pt, English 9 pt, tighter leading and spacing). Page counts only fall
as the steps go down, so the largest step that fits is found by bisection,
after a guess from the first layout's height: a sheet that fits as it is
costs one layout, most others three, the rest about five.

The same search keeps a sheet from spilling onto a last page that holds
only a line or two (a "runt"): such a sheet is fitted to one page fewer
when the smaller steps allow it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

STEPS_COUNT = 9
RUNT_LINES = 3  # a last page shorter than this many English lines is a runt


@dataclass(frozen=True, slots=True)
class Step:
    """Sizes in points (margin in inches); the stylesheet turns them into CSS."""

    index: int
    en: float  # English body size
    he: float  # Hebrew body size
    leading: float  # line height, as a multiple of the size
    gap: float  # space between blocks
    notes: float  # the notes after a passage
    margin: float  # the page margin, inches
    rule: float  # the pitch of the writing lines

    @property
    def en_line(self) -> float:
        return self.en * self.leading


_LARGEST = Step(0, en=11.0, he=14.0, leading=1.42, gap=7.0, notes=9.5, margin=0.65, rule=24.0)
_SMALLEST = Step(STEPS_COUNT - 1, en=9.0, he=11.0, leading=1.2, gap=2.0, notes=9.0, margin=0.45, rule=20.0)


def _between(share: float, index: int) -> Step:
    def size(name: str, places: int = 2) -> float:
        low, high = getattr(_SMALLEST, name), getattr(_LARGEST, name)
        return round(high + (low - high) * share, places)

    return Step(index, *(size(name) for name in ("en", "he", "leading", "gap", "notes", "margin", "rule")))


STEPS = tuple(_between(index / (STEPS_COUNT - 1), index) for index in range(STEPS_COUNT))


@dataclass(frozen=True, slots=True)
class Fitted:
    """The layout chosen, and what the search learned."""

    document: object  # weasyprint.Document
    step: Step
    pages: int
    target: int | None  # the pages asked for (`fit`), None: as many as needed
    runt: bool  # the last page still holds only a line or two

    @property
    def fits(self) -> bool:
        return self.target is None or self.pages <= self.target


class Fitter:
    """Lays a sheet out at chosen steps, once each, and picks the best."""

    def __init__(self, lay_out: Callable[[Step], object], target: int | None) -> None:
        self.lay_out = lay_out
        self.target = target
        self.documents: dict[int, object] = {}

    def document(self, index: int):
        if index not in self.documents:
            self.documents[index] = self.lay_out(STEPS[index])
        return self.documents[index]

    def pages(self, index: int) -> int:
        return len(self.document(index).pages)

    def fit(self) -> Fitted:
        last = len(STEPS) - 1
        goal = self.pages(0) if self.target is None else self.target
        best = self._largest_within(goal)
        if best is None:  # cannot fit: the fewest pages the smallest type allows
            goal = self.pages(last)
            best = self._largest_within(goal)
        assert best is not None  # the smallest type has `goal` pages
        while self._is_runt(best) and goal > 1 and self.pages(last) < goal:
            goal -= 1
            best = self._largest_within(goal)
            assert best is not None
        return Fitted(self.document(best), STEPS[best], self.pages(best), self.target, self._is_runt(best))

    def _largest_within(self, goal: int) -> int | None:
        """The first step (largest type) with at most `goal` pages; None if even the last has more.

        The guess (`_guess`) and its neighbour are laid out first: where the guess is right, as it is
        for most sheets, that is two layouts after the first instead of bisection's four. Either way the
        answer is bisection's, pages falling as the steps go down."""
        last = len(STEPS) - 1
        low, high = 0, last
        if self.pages(low) <= goal:
            return low
        guess = self._guess(goal)
        if low < guess < last:
            if self.pages(guess) <= goal:  # then the last step fits too
                if self.pages(guess - 1) > goal:
                    return guess
                high = guess - 1
            elif self.pages(guess + 1) <= goal:
                return guess + 1
            else:
                low = guess + 1
        if high == last and self.pages(last) > goal:
            return None
        while high - low > 1:  # pages(low) > goal >= pages(high)
            middle = (low + high) // 2
            if self.pages(middle) <= goal:
                high = middle
            else:
                low = middle
        return high

    def _guess(self, goal: int) -> int:
        """The step the first layout's text would fit `goal` pages at, if its height scaled with the
        type's size squared (lines are shorter and fewer per line's worth of text) and its leading,
        and the page area grew by the margins given up."""
        first = self.document(0)
        area = content_area(first.pages[0])
        height = (len(first.pages) - 1) * area + content_height(first.pages[-1])
        base = STEPS[0]
        for step in STEPS[1:]:
            scale = (step.en / base.en) ** 2 * (step.leading / base.leading)
            if height * scale <= goal * (area + 2 * (base.margin - step.margin) * 72):
                return step.index
        return len(STEPS) - 1

    def _is_runt(self, index: int) -> bool:
        document = self.document(index)
        if len(document.pages) < 2:
            return False
        return content_height(document.pages[-1]) < RUNT_LINES * STEPS[index].en_line


def content_area(page) -> float:
    """The height of the page's content area, in points."""
    return page._page_box.height * 0.75  # CSS px to pt


def content_height(page) -> float:
    """How far down the page's content reaches, in points, from the top of its content area.

    Running heads and feet (margin boxes) are left out; a line of text
    or an empty block (a writing line) marks how far the content goes.
    """
    from weasyprint.formatting_structure import boxes

    root = page._page_box
    top = root.content_box_y()
    bottom = top
    for box in _content_boxes(root, boxes):
        if isinstance(box, boxes.LineBox) or (isinstance(box, boxes.BlockBox) and not box.children):
            bottom = max(bottom, box.position_y + box.margin_height())
    return (bottom - top) * 0.75  # CSS px to pt


def _content_boxes(box, boxes):
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.MarginBox):
            continue
        yield child
        yield from _content_boxes(child, boxes)
