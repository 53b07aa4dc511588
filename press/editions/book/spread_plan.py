"""Planning synoptic facing pages: which lines go on which page of which spread, and at what height.

Pure geometry, no WeasyPrint: the paragraphs come measured (press/editions/book/spread_measure.py),
each as its lines on a page too tall to break, and the plan says, for each page of each spread,
which paragraph (or which run of its lines) stands where. Lengths are CSS px, from the top of the
page area.

A spread holds, from the top:

1. what did not fit the foot of the spread before (the rest of a commentary, or of the
   introduction), balanced across its two pages, the first page in reading order first;
2. a run of consecutive pairs: each English on the English page, its Hebrew on the Hebrew page with
   its first baseline at the English's first baseline (where the Hebrew before runs longer than its
   English, the next English waits for it, so that every pair starts level);
3. the blocks of one language that follow those pairs (commentary), run from the foot of the first
   page in reading order to the foot of the second. Where they are short, both pages end at the
   same depth; where they are long, they fill both feet and the rest moves to the head of the next
   spread (1).

A pair joins a spread while both its paragraphs fit, and while the commentary before it still fits
the feet under it: commentary never leaves the spread of its pair except at the spread's end.
A paragraph of one language breaks between lines, with at least two lines on each side, and a line
earlier where the page would otherwise end in a hyphen (TeX's broken penalty), as far up as the two
lines allow; where every cut they allow ends in a hyphen, the whole piece waits for the next page
(the page keeps the few lines of white) unless nothing stands above it there.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

MIN_LINES = 2  # orphans and widows of a paragraph broken between pages


@dataclass(frozen=True, slots=True)
class Line:
    top: float  # from the paragraph's top
    bottom: float
    baseline: float
    offset: int | None  # where the line begins in the paragraph's text; None: it cannot begin a piece
    hyphen: bool = False  # it begins inside a word, the line before ending with a hyphen
    # The line before ends in a hyphen, the layout's or the source's ("well-" / "known"; as
    # press/engine/hyphen_turn.py): no page begins here where an earlier line can begin it.
    after_hyphen: bool = False

    @property
    def turns_a_word(self) -> bool:
        """Whether a page beginning here would carry a hyphenated word across the break."""
        return self.hyphen or self.after_hyphen


@dataclass(frozen=True, slots=True)
class Measured:
    """One paragraph of one block, laid out on a page too tall to break."""

    block: int
    lang: str
    lines: tuple[Line, ...]
    gap: float  # the space after it (the block's bottom margin)
    notes: tuple[tuple[int, float], ...] = ()  # (text offset of a note call, the note's height)


@dataclass(frozen=True, slots=True)
class Frag:
    """Lines [first, end) of a measured paragraph."""

    para: Measured
    first: int
    end: int

    @staticmethod
    def whole(para: Measured) -> Frag:
        return Frag(para, 0, len(para.lines))

    def height_to(self, end: int) -> float:
        lines = self.para.lines
        return lines[end - 1].bottom - lines[self.first].top

    @property
    def height(self) -> float:
        return self.height_to(self.end)

    @property
    def baseline(self) -> float:
        line = self.para.lines[self.first]
        return line.baseline - line.top

    def notes_to(self, end: int) -> float:
        """The height of the notes called in lines [first, end)."""
        lines = self.para.lines
        start = lines[self.first].offset or 0 if self.first else 0
        stop = lines[end].offset if end < len(lines) else None
        return sum(h for at, h in self.para.notes if at >= start and (stop is None or at < stop))


@dataclass(frozen=True, slots=True)
class Placed:
    frag: Frag
    y: float  # its top on the page


@dataclass(slots=True)
class Page:
    height: float  # the page area
    note_overhead: float  # the footnote area's rule and padding, once a page has a note
    placed: list[Placed] = field(default_factory=list)
    notes: float = 0.0

    def next_top(self) -> float:
        if not self.placed:
            return 0.0
        last = self.placed[-1]
        return last.y + last.frag.height + last.frag.para.gap

    def bottom(self) -> float:
        return self.placed[-1].y + self.placed[-1].frag.height if self.placed else 0.0

    def limit(self, extra_notes: float) -> float:
        """The lowest a line may end, with `extra_notes` more footnotes on the page."""
        notes = self.notes + extra_notes
        return self.height - (notes + self.note_overhead if notes else 0.0)

    def add(self, frag: Frag, y: float) -> None:
        self.placed.append(Placed(frag, y))
        self.notes += frag.notes_to(frag.end)

    def copy(self) -> Page:
        return Page(self.height, self.note_overhead, list(self.placed), self.notes)


@dataclass(frozen=True, slots=True)
class Unit:
    """A pair (or what is left of a pair taller than a page), and the blocks of one language that follow
    it before the next pair."""

    english: Frag | None  # None: this language of a broken pair ended on the spread before
    hebrew: Frag | None
    singles: tuple[Measured, ...]


@dataclass(frozen=True, slots=True)
class Spread:
    pages: dict[str, Page]  # by language: the page that holds it


def plan(units: list[Unit], carry: list[Frag], order: tuple[str, str], height: float,
         note_overhead: float) -> list[Spread]:
    """The spreads of a chapter's body. `order` is the languages of the first and second page in
    reading order; `carry`, what the opening page could not hold."""
    pending = deque(units)
    band = list(carry)
    spreads: list[Spread] = []
    while band or pending:
        pages = {lang: Page(height, note_overhead) for lang in order}
        band = _fill(band, [pages[order[0]], pages[order[1]]], balance=True)
        queue: list[Frag] = []
        while pending and not band:
            trial = _with_pair(pages, pending[0])
            empty = not any(page.placed for page in pages.values())
            if trial is not None and (empty or not _fill(list(queue), [trial[order[0]].copy(),
                                                                   trial[order[1]].copy()], balance=False)):
                pages = trial
                queue.extend(Frag.whole(single) for single in pending.popleft().singles)
                continue
            # A pair taller than a page starts here and breaks in both languages (leaving the commentary
            # before it its share of the feet); the rest heads the next spread. Any other pair that does
            # not fit opens the next spread.
            if trial is None and (empty or _taller_than(pending[0], height)):
                split = _split_pair(pages, pending[0], 0.0 if empty else _reserve(queue))
                if split is not None:
                    pages, pending[0] = split
                elif empty:
                    raise ValueError(f"block {_block_of(pending[0])}: no two lines of the pair fit a page")
            break
        if not band:
            band = _fill(queue, [pages[order[0]], pages[order[1]]], balance=True)
            if pending and not band:  # not the chapter's last spread: its pages reach their foot
                _justify(pages)
        if band or pending:
            for page in pages.values():
                _lower(page, _pairs(pages))
        spreads.append(Spread(pages))
        if band and not any(page.placed for page in pages.values()):
            raise ValueError(f"block {band[0].para.block}: a line taller than a page")
    return spreads


def _with_pair(pages: dict[str, Page], unit: Unit) -> dict[str, Page] | None:
    """The pages with the pair added (copies), or None when it does not fit."""
    english, hebrew = unit.english, unit.hebrew
    en, he = pages["en"].copy(), pages["he"].copy()
    y_en, y_he = _level(en, he, english, hebrew)
    for page, frag, y in ((en, english, y_en), (he, hebrew, y_he)):
        if frag is not None and y + frag.height > page.limit(frag.notes_to(frag.end)):
            return None
    for page, frag, y in ((en, english, y_en), (he, hebrew, y_he)):
        if frag is not None:
            page.add(frag, y)
    return {"en": en, "he": he}


def _level(en: Page, he: Page, english: Frag | None, hebrew: Frag | None) -> tuple[float, float]:
    """Where a pair starts on each page. Every pair starts level: where the Hebrew before runs longer,
    the English waits for it (its page's foot takes the commentary that would have stood there)."""
    if english is None or hebrew is None:  # the rest of a broken pair in one language
        return en.next_top(), he.next_top()
    y_en = max(en.next_top(), he.next_top() - (english.baseline - hebrew.baseline))
    return y_en, y_en + english.baseline - hebrew.baseline


def _split_pair(pages: dict[str, Page], unit: Unit, reserve: float) -> tuple[dict[str, Page], Unit] | None:
    """A pair taller than the room of its spread, broken between lines in both languages: the pages
    with the lines that fit above `reserve`, and the rest of the pair (with the commentary after it);
    None when a language cannot set two lines there."""
    en, he = pages["en"].copy(), pages["he"].copy()
    y_en, y_he = _level(en, he, unit.english, unit.hebrew)
    movable = bool(en.placed and he.placed)  # the pair may wait for the next spread
    rests: list[Frag | None] = []
    for page, frag, y in ((en, unit.english, y_en), (he, unit.hebrew, y_he)):
        if frag is None:
            rests.append(None)
            continue
        end = _lines_that_fit(frag, y, page.height - reserve, page, movable=movable)
        if end is None:
            return None
        page.add(Frag(frag.para, frag.first, end), y)
        rests.append(None if end == frag.end else Frag(frag.para, end, frag.end))
    if rests == [None, None]:
        return None
    return {"en": en, "he": he}, Unit(rests[0], rests[1], unit.singles)


def _taller_than(unit: Unit, height: float) -> bool:
    return any(frag is not None and frag.height > height for frag in (unit.english, unit.hebrew))


def _reserve(queue: list[Frag]) -> float:
    """The room to leave at the foot of each page for the commentary `queue`: half of it, and a line
    more, since a line cannot be halved."""
    if not queue:
        return 0.0
    first = queue[0].para.lines[queue[0].first]
    return sum(frag.height + frag.para.gap for frag in queue) / 2 + first.bottom - first.top + queue[0].para.gap


def _block_of(unit: Unit) -> int:
    return (unit.english or unit.hebrew).para.block


def _justify(pages: dict[str, Page]) -> None:
    """Vertical justification: the white left under both pages is shared out between the spread's
    pairs (and before the commentary under them), alike on both pages, so pairs stay level."""
    pairs = _pairs(pages)
    white = min(page.limit(0) - page.bottom() for page in pages.values()) - 0.5  # rounding
    if white <= 0 or not pairs:
        return
    after = any(_set_under(page.placed, pairs) for page in pages.values())
    gaps = len(pairs) - 1 + after  # between the pairs, and above what is set under them
    if not gaps:
        return
    step = white / gaps
    for lang, page in pages.items():
        shift, moved = 0.0, []
        for placed in page.placed:
            block = placed.frag.para.block
            if block in pairs and placed.frag.para.lang == lang:
                shift = step * pairs.index(block)
            elif shift or (moved and moved[-1].frag.para.block in pairs):  # under the pairs
                shift = step * len(pairs)
            moved.append(Placed(placed.frag, placed.y + shift))
        page.placed[:] = moved


def _pairs(pages: dict[str, Page]) -> list[int]:
    """The blocks of the pairs (or parts of pairs) a spread shows, in order."""
    english = {placed.frag.para.block for placed in pages["en"].placed if placed.frag.para.lang == "en"}
    return [placed.frag.para.block for placed in pages["he"].placed
            if placed.frag.para.lang == "he" and placed.frag.para.block in english]


def _lower(page: Page, pairs: list[int]) -> None:
    """What is set under the pairs on a page that still ends above its foot (the other page has
    footnotes, or its commentary could not be cut a line lower) is let down to the foot, the white
    shared out above each of its pieces: the pairs stay level, and both pages reach their foot."""
    last = max((i for i, placed in enumerate(page.placed) if placed.frag.para.block in pairs), default=None)
    white = page.limit(0) - page.bottom() - 0.5  # rounding
    if last is None or last == len(page.placed) - 1 or white <= 0:
        return
    under = page.placed[last + 1:]
    step = white / len(under)
    page.placed[last + 1:] = [Placed(placed.frag, placed.y + step * (k + 1)) for k, placed in enumerate(under)]


def _set_under(placed: list[Placed], pairs: list[int]) -> bool:
    """Whether anything but a pair follows a pair on the page (the commentary under them)."""
    seen = False
    for item in placed:
        if item.frag.para.block in pairs:
            seen = True
        elif seen:
            return True
    return False


def _fill(frags: list[Frag], pages: list[Page], *, balance: bool) -> list[Frag]:
    """Set `frags` on the pages in order, from each page's next line down; what does not fit is
    returned. With `balance`, where the text is shorter than the room, the first page takes only
    about its share, so that both end at the same depth; where it is longer (or the share would
    leave the first page empty: a blank page), both pages are filled to their foot, since what
    carries over would otherwise leave white under both."""
    if balance and frags:
        trial = [page.copy() for page in pages]
        rest = _fill_balanced(list(frags), trial)
        if not rest and trial[0].placed:
            for page, filled in zip(pages, trial, strict=True):
                page.placed[:], page.notes = filled.placed, filled.notes
            return rest
    rest = list(frags)
    for page in pages:
        rest = _fill_page(rest, page, page.height)
    return rest


def _fill_balanced(rest: list[Frag], pages: list[Page]) -> list[Frag]:
    total = sum(f.height + f.para.gap for f in rest)
    tops = [page.next_top() for page in pages]
    depth = (total + sum(tops)) / 2
    if depth > tops[1]:  # else the second page's own text reaches below it: all on the first
        slack = (rest[0].para.lines[rest[0].first].bottom - rest[0].para.lines[rest[0].first].top) / 2
        rest = _fill_page(rest, pages[0], min(depth + slack, pages[0].height))
        return _fill_page(rest, pages[1], pages[1].height)
    for page in pages:
        rest = _fill_page(rest, page, page.height)
    return rest


def _fill_page(frags: list[Frag], page: Page, depth: float) -> list[Frag]:
    rest = list(frags)
    while rest:
        frag = rest[0]
        y = page.next_top()
        end = _lines_that_fit(frag, y, min(depth, page.height), page, movable=bool(page.placed))
        if end is None:
            break
        page.add(Frag(frag.para, frag.first, end), y)
        rest.pop(0)
        if end < frag.end:
            rest.insert(0, Frag(frag.para, end, frag.end))
            break
    return rest


def _lines_that_fit(frag: Frag, y: float, depth: float, page: Page, *, movable: bool) -> int | None:
    """How far into `frag` the page can go from `y`: its end, a line boundary, or None. Where every cut
    that fits turns a word, None if the piece is `movable` (something stands above it, on both pages
    for a pair: the page does not go empty), else the lowest cut."""
    if y + frag.height <= min(depth, page.limit(frag.notes_to(frag.end))):
        return frag.end
    lines = frag.para.lines
    lowest = None  # the lowest cut that fits; returned only where every cut that fits turns a word
    for end in range(frag.end - MIN_LINES, frag.first + MIN_LINES - 1, -1):
        if lines[end].offset is None or y + frag.height_to(end) > min(depth, page.limit(frag.notes_to(end))):
            continue
        if not lines[end].turns_a_word:
            return end
        lowest = end if lowest is None else lowest
    return None if movable else lowest
