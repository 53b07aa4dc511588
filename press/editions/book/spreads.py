"""Facing pages: each spread one passage, the Hebrew beside its English, both pages full.

A chapter opens on a recto with its title and introduction (what of the introduction does not fit
continues at the head of the first spread). The rest is laid out as two documents, one per
language side, whose pages are interleaved: verso, recto, verso, recto. Where each paragraph, or
each run of a paragraph's lines, stands is planned first (press/editions/book/spread_plan.py) from
each side measured on a page too tall to break (spread_measure.py); each side is then laid out with
the plan's explicit heights and page starts, and checked against it.

The first page of a spread in reading order (the verso, for both bindings) carries the book's title,
the second the chapter's, each in the language of its page: book.css's rule for every layout, from
the page's side and the binding, with each side's document in its one language.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from press.editions.book import spread_measure
from press.editions.book.layouts import View
from press.editions.book.spread_plan import Frag, Measured, Spread, Unit, plan
from press.model import Block, Chapter, Paragraph

SIDES = ("verso", "recto")
PAIR_ROLES = {"en": "translation", "he": "original"}
TOLERANCE = 1.0  # px: how far a laid-out baseline may stand from the plan's
ATTEMPTS = 4
EXTRA_PAGE = 10.0  # px less room a page when a side ran onto a page more than planned


@dataclass(frozen=True, slots=True)
class Piece:
    """A paragraph, or a run of its lines, as one side of a spread shows it (templates/layouts/facing)."""

    block: Block | None  # None (and no paragraph): an empty page of a spread
    paragraph: Paragraph | None
    role: str
    tag: str
    anchor: str | None  # the paragraph's id, on its first piece only
    pad: float | None  # px of white above it; None: the stylesheet's margins
    classes: str  # placed, page-start, cut (a page break follows), continued (it follows one)
    # The paragraph's first piece: it carries the verse's number (templates/layouts/facing), in the
    # measured paragraph as in the laid-out one, so that its first line is measured with the number.
    first: bool = True


def lay_out_chapter(parts: Any, chapter: Chapter, folio: int) -> list[Any]:
    """The pages of `chapter` in the facing layout, its first folio `folio` (a recto)."""
    chapter_run = _Chapter(parts, chapter)
    opening, carry = chapter_run.opening(folio)
    pages = list(opening.pages)
    if len(pages) % 2 == 0:  # cannot happen with a one-page opening; kept so the spreads begin on a verso
        pages.append(parts.blank_page)
    if chapter_run.units or carry:
        pages.extend(chapter_run.spreads(carry, folio + len(pages)))
    return pages


class _Chapter:
    def __init__(self, parts: Any, chapter: Chapter) -> None:
        self.parts, self.chapter = parts, chapter
        physical = _physical_sides(parts)
        self.language = {side: parts.layout.spread[physical[side]] for side in SIDES}
        self.physical = physical
        self.opening_blocks = _opening_blocks(chapter)
        self.measured: dict[str, dict[int, Measured]] = {}
        self.note_overhead = 0.0
        for lang in ("en", "he"):
            self.measured[lang], notes = self._measure(lang)
            self.note_overhead = max(self.note_overhead, notes.overhead)
        self.units = _units(chapter, self.opening_blocks, self.measured)

    def _document(self, view: View, counter_start: int = 1) -> Any:
        return self.parts.document(self.parts.html((self.chapter,), front=False, counter_start=counter_start,
                                                   view=view))

    def _measure(self, lang: str) -> Any:
        pieces = tuple(self._piece(block, lang, block.paragraph(lang), None, "measure")
                       for block in self.chapter.blocks if block.paragraph(lang) is not None)
        view = View((lang,), heading=False, page_class="facing-measure", pieces=pieces)
        return spread_measure.measure(self._document(view), self.chapter, lang)

    def _piece(self, block: Block, lang: str, paragraph: Paragraph, pad: float | None, classes: str,
               first: bool = True) -> Piece:
        pair = block.kind == "pair" and block.en is not None and block.he is not None
        role = PAIR_ROLES[lang] if pair else block.kind
        anchor = f"{self.chapter.slug}-b{block.number}-{lang}" if first else None
        return Piece(block, paragraph, role, "h2" if block.kind == "heading" else "p", anchor, pad, classes, first)

    def opening(self, folio: int) -> tuple[Any, list[Frag]]:
        """The opening page (title and introduction), and what of the introduction it cannot hold."""
        frags = [Frag.whole(self._single(number)) for number in sorted(self.opening_blocks)]
        view = View(self.parts.book.languages, heading=True, pieces=self._opening_pieces(frags))
        document = self._document(view, folio)
        if len(document.pages) == 1:
            return document, []
        kept, carry = _cut_at_page(document.pages[0], frags)
        return self._document(replace(view, pieces=self._opening_pieces(kept)), folio), carry

    def _single(self, number: int) -> Measured:
        block = _block(self.chapter, number)
        lang = "en" if block.en is not None else "he"
        return self.measured[lang][number]

    def _opening_pieces(self, frags: list[Frag]) -> tuple[Piece, ...]:
        return tuple(self._frag_piece(frag, None, "") for frag in frags)

    def _frag_piece(self, frag: Frag, pad: float | None, classes: str) -> Piece:
        block = _block(self.chapter, frag.para.block)
        paragraph = block.paragraph(frag.para.lang)
        lines = frag.para.lines
        start = lines[frag.first].offset if frag.first else 0
        end = lines[frag.end].offset if frag.end < len(lines) else None
        runs = paragraph.runs
        if end is not None:
            runs = spread_measure.split_runs(runs, end)[0]
            classes += " cut hyphen" if lines[frag.end].hyphen else " cut"
        if start:
            runs = spread_measure.split_runs(runs, start)[1]
            classes += " continued"
        return self._piece(block, frag.para.lang, replace(paragraph, runs=runs), pad, classes.strip(),
                           first=frag.first == 0)

    def spreads(self, carry: list[Frag], first_folio: int) -> list[Any]:
        height = self.parts.blank_page._page_box.height
        order = (self.language["verso"], self.language["recto"])
        shrink = 0.0
        for _ in range(ATTEMPTS):
            spreads = plan(list(self.units), carry, order, height - shrink, self.note_overhead)
            laid = {side: self._lay_out_side(side, spreads, first_folio + i) for i, side in enumerate(SIDES)}
            overflow = max(_overflow(laid[side], self._side_spreads(side, spreads), self.language[side])
                           for side in SIDES)
            if overflow <= TOLERANCE:
                break
            shrink += overflow
        return _interleave([laid[side].pages for side in SIDES])

    def _lay_out_side(self, side: str, spreads: list[Spread], first_folio: int) -> Any:
        lang = self.language[side]
        pieces: list[Piece] = []
        for index, spread in enumerate(self._side_spreads(side, spreads)):
            bottom = 0.0
            if not spread.pages[lang].placed:  # nothing of this side on the spread: the page is still turned
                pieces.append(Piece(None, None, "", "", None, None, "page-start"))
            for number, placed in enumerate(spread.pages[lang].placed):
                classes = "placed page-start" if number == 0 and index > 0 else "placed"
                pieces.append(self._frag_piece(placed.frag, placed.y - bottom, classes))
                bottom = placed.y + placed.frag.height
        view = View((lang,), heading=False, page_class=f"side-{self.physical[side]}", page_step=2,
                    pieces=tuple(pieces))
        return self._document(view, first_folio)

    def _side_spreads(self, side: str, spreads: list[Spread]) -> list[Spread]:
        """The spreads a side turns a page for: the recto side may end a page early (a chapter that ends
        on a verso); the verso side never does, even where its last page holds nothing."""
        shown = [self.language[side]] if side == "recto" else list(self.language.values())
        last = max((i for i, spread in enumerate(spreads) if any(spread.pages[k].placed for k in shown)), default=0)
        return spreads[:last + 1]


def _overflow(document: Any, spreads: list[Spread], lang: str) -> float:
    """How far (px) the laid-out side strays from the plan of its `spreads`: 0 when every page holds what
    was planned."""
    pages = spread_measure.placed(document)
    planned = [s.pages[lang].placed for s in spreads]
    if len(pages) != len(planned):
        return EXTRA_PAGE * abs(len(pages) - len(planned))
    worst = 0.0
    for found, wanted in zip(pages, planned, strict=True):
        for (_, _, baseline, _), place in zip(found, wanted, strict=False):
            worst = max(worst, abs(baseline - (place.y + place.frag.baseline)))
    return worst


def _cut_at_page(page: Any, frags: list[Frag]) -> tuple[list[Frag], list[Frag]]:
    """The introduction's pieces the opening page holds, and the rest: cut after the page's last line."""
    shown: dict[int, int] = {}
    for number, _, box in spread_measure.paragraph_boxes(page._page_box):
        shown[number] = shown.get(number, 0) + len(spread_measure.lines_of(box))
    kept, carry = [], []
    for frag in frags:
        lines = shown.get(frag.para.block, 0)
        if carry or lines == 0:
            carry.append(frag)
            continue
        if lines >= frag.end:
            kept.append(frag)
            continue
        while lines > 0 and frag.para.lines[lines].offset is None:
            lines -= 1
        if lines > 0:
            kept.append(Frag(frag.para, 0, lines))
        carry.append(Frag(frag.para, lines, frag.end))
    return kept, carry


def _units(chapter: Chapter, opening: set[int], measured: dict[str, dict[int, Measured]]) -> list[Unit]:
    """The body's pairs, each with the blocks of one language after it."""
    units: list[Unit] = []
    for block in chapter.blocks:
        if block.number in opening:
            continue
        if block.en is not None and block.he is not None:
            units.append(Unit(Frag.whole(measured["en"][block.number]), Frag.whole(measured["he"][block.number]), ()))
        elif units:
            lang = "en" if block.en is not None else "he"
            units[-1] = replace(units[-1], singles=(*units[-1].singles, measured[lang][block.number]))
    return units


def _block(chapter: Chapter, number: int) -> Block:
    return next(block for block in chapter.blocks if block.number == number)


def _opening_blocks(chapter: Chapter) -> set[int]:
    """The blocks before the first pair: the introduction, set on the opening page."""
    opening: set[int] = set()
    for block in chapter.blocks:
        if block.en is not None and block.he is not None:
            break
        opening.add(block.number)
    return opening


def _physical_sides(parts: Any) -> dict[str, str]:
    """verso/recto -> the physical side: a book bound on the right has its versos on the right."""
    bound_right = parts.book.primary == "he"
    return {"verso": "right", "recto": "left"} if bound_right else {"verso": "left", "recto": "right"}


def _interleave(sides: list[list[Any]]) -> list[Any]:
    """Verso, recto, verso, recto: a chapter may end on a verso (its recto side one page shorter)."""
    versos, rectos = sides
    pages: list[Any] = []
    for index, verso in enumerate(versos):
        pages.append(verso)
        if index < len(rectos):
            pages.append(rectos[index])
    return pages
