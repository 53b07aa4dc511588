"""A chapter too long for one worker: laid out in segments on every worker, spliced where they meet.

One chapter is one WeasyPrint document, laid out page after page by one
process (about 17 pages a second): a chapter of 10,000 notes is 1,700
pages, a minute and a half on one core while the others wait. A chapter of
more than `split_blocks()` blocks is cut instead into segments of about
that many blocks, each laid out as its own document from its first block.

What makes the pieces fit: a page's layout is a function of where it
starts. Two layouts that start a page at the same block (its first
paragraph at its first character, no footnote carried over from the page
before) on the same side (left and right pages differ in their margins
and running heads, not in their measure) lay out the same pages from there
on. So segment s+1 is accepted once segment s, laid out on past the cut,
starts a page that segment s+1 also starts, at the same parity; the book
takes segment s's pages before that page and segment s+1's from it
(`meeting`). A segment's first page is never taken: it opens the
document (no running head, the first page's margins).

Where a segment starts is predicted from a pilot, the chapter's first
pages laid out alone: where its pages start, in blocks per page,
extrapolated to the cut (`predict`). A segment starts on a page that
prediction puts on a right-hand page, an even one. A text of repeating
blocks lays out with the same number of blocks on every page, and its
pages never meet another layout's unless the prediction is right; varied
text meets within a few pages whatever the guess. When two segments do
not meet, the second is laid out again from a page start of the first
(`restart`), where it must meet; when the first has no clean page start
to restart from, the chapter is laid out whole.

Only the layout is split: the PDF is written by each segment's worker and
the pages spliced with pikepdf (press/engine/splice.py), so the book has
the same pages, drawn the same, but each segment's fonts are their own
objects (widths, ToUnicode, the Hebrew text codes, numbered in the order a
segment draws them) where one document would share them: the same page
content, not the same bytes as the chapter laid out whole. The join gives
every piece of a face one program (press/engine/font_programs.py).

Not split: layouts that set a spread (they lay a chapter out their own
way) or run pairs on into one paragraph (a cut would part a paragraph).
`PRESS_SPLIT_BLOCKS` sets the threshold (0: never split); the segments
depend only on the chapter and the threshold, not on the number of
workers, so the book's bytes do not either.
"""

from __future__ import annotations

import os
from concurrent.futures import Executor
from dataclasses import dataclass, replace
from typing import Any

from press.engine.pagetrace import Place
from press.engine.pool import collector_paused
from press.model import Chapter

SPLIT_BLOCKS = 2500  # default: a chapter of more blocks than this is split (about 400 pages)
PILOT_BLOCKS = 90  # the pilot: the chapter's first blocks (about 15 pages of one-note pairs)
OVERLAP_PAGES = 3  # how far a segment is laid out past its cut, in pages (at the pilot's rate)
# The first segment starts with the pilot: how far past its cut it goes, in characters (about
# eight pages of this project's stacked pairs and notes).
OVERLAP_CHARACTERS = 16_000
UNTRUSTED_TAIL = 2  # the last pages of a segment cut short: they saw the cut, not the text after it


def split_blocks() -> int:
    """The threshold: `PRESS_SPLIT_BLOCKS` from the environment, else SPLIT_BLOCKS; 0 never splits."""
    value = os.environ.get("PRESS_SPLIT_BLOCKS", "").strip()
    return int(value) if value.isdigit() else SPLIT_BLOCKS


def cuts(chapter: Chapter, layout: Any, threshold: int | None = None) -> tuple[int, ...]:
    """The block indices where the chapter's segments are meant to begin, after the first; () for a
    chapter laid out whole. An even number of segments of equal length (two workers share them evenly)."""
    limit = split_blocks() if threshold is None else threshold
    blocks = len(chapter.blocks)
    if not limit or blocks <= limit or layout.spread or layout.run_on:
        return ()
    count = 2 * -(-blocks // (2 * limit))
    return tuple(blocks * part // count for part in range(1, count))


@dataclass(frozen=True, slots=True)
class Segment:
    """A segment laid out: its PDF (every page), and per page its @page name, trace and clean start."""

    first: int  # the block index it starts at
    pdf: bytes
    names: tuple[str, ...]
    starts: tuple[Place | None, ...]
    clean: tuple[int | None, ...]  # per page: the block index it starts cleanly at, else None
    trusted: int  # pages that do not depend on where the segment was cut short

    @property
    def pages(self) -> int:
        return len(self.names)


@collector_paused
def lay_out_segment(index: int, first: int, end: int, write: bool = True) -> Segment:
    """Blocks [first, end) of chapter `index`, laid out as a document of their own (a worker's task).
    From block 0 the chapter's head goes first; `write=False` (the pilot) writes no PDF."""
    from press.editions.book import worker
    from press.engine.pagetrace import trace_pages

    parts = worker._parts(folios=False)
    chapter = parts.book.chapters[index]
    view = parts.layout.view(parts.book.languages)
    part = replace(chapter, blocks=chapter.blocks[first:end])
    html = parts.html((part,), front=False, counter_start=1,
                      view=view if first == 0 else replace(view, heading=False))
    pages = parts.document(html).pages
    firsts = {block.number: (i, _first_lang(block, view.languages)) for i, block in
              enumerate(chapter.blocks[first:end], first)}
    starts = trace_pages(part, pages)
    clean = tuple(_clean(page, start, firsts) for page, start in zip(pages, starts, strict=True))
    whole = end >= len(chapter.blocks)
    pdf = worker._write(pages, parts.blank_document) if write else b""
    names = tuple(page._page_box.page_type.name for page in pages)
    return Segment(first, pdf, names, starts, clean, len(pages) if whole else max(0, len(pages) - UNTRUSTED_TAIL))


def _first_lang(block: Any, languages: tuple[str, ...]) -> str | None:
    return next((lang for lang in languages if block.paragraph(lang) is not None), None)


def _clean(page: Any, start: Place | None, firsts: dict[int, tuple[int, str | None]]) -> int | None:
    """The block index a page starts cleanly at: its first text is its block's first paragraph's first
    character, and every footnote on it is called on it (none carried over). Else None."""
    if start is None or start[0] is None or start[2] != 0 or start[0] not in firsts:
        return None
    index, lang = firsts[start[0]]
    if start[1] != lang or _carries_notes(page._page_box):
        return None
    return index


def _carries_notes(page_box: Any) -> bool:
    """Whether the page's footnote area holds a footnote called on an earlier page."""
    area = next((child for child in page_box.children if type(child).__name__ == "FootnoteAreaBox"), None)
    if area is None or not area.children:
        return False
    notes = {id(box.element) for box in area.children}
    calls: set[int] = set()
    stack = [child for child in page_box.children if type(child).__name__ not in ("FootnoteAreaBox", "MarginBox")]
    while stack:
        box = stack.pop()
        if (box.element_tag or "").endswith("::footnote-call"):
            calls.add(id(box.element))
        stack.extend(getattr(box, "children", None) or ())
    return not notes <= calls


def predict(pilot: Segment, targets: tuple[int, ...]) -> tuple[int, ...]:
    """Where each segment after the first starts: the block the pilot's pages, extrapolated at their
    rate, would start an even (right-hand) page at, at or before its target."""
    rate, page0, block0 = _rate(pilot)
    if not rate:
        return targets  # no rate to go by: the targets themselves
    starts = []
    for target in targets:
        page = page0 + int((target - block0) / rate)
        page -= page % 2
        starts.append(max(1, min(target, block0 + round((page - page0) * rate))))
    return tuple(starts)


def overlap_blocks(pilot: Segment) -> int:
    """How many blocks past its cut a segment is laid out: OVERLAP_PAGES, and the pages not trusted,
    at the pilot's rate."""
    rate = _rate(pilot)[0]
    return max(8, round(rate * (OVERLAP_PAGES + UNTRUSTED_TAIL + 2))) if rate else PILOT_BLOCKS // 2


def first_end(chapter: Chapter, target: int) -> int:
    """Where the first segment ends: OVERLAP_CHARACTERS of text and notes past its cut (the notes counted
    at their share of the chapter's characters), in whole blocks."""
    from press.model import plain_text

    sizes = [sum(len(plain_text(p.runs)) for p in block.paragraphs) for block in chapter.blocks]
    notes = sum(len(plain_text(note.runs)) for note in chapter.notes)
    text = sum(sizes) or 1
    budget = OVERLAP_CHARACTERS * text / (text + notes)
    end = target
    while end < len(sizes) and budget > 0:
        budget -= sizes[end]
        end += 1
    return end


def _rate(pilot: Segment) -> tuple[float, int, int]:
    """(blocks per page, a page, the block it starts at) from the pilot's clean page starts after its
    first page; a rate of 0 when there are not two of them."""
    known = [(page, block) for page, block in enumerate(pilot.clean[:pilot.trusted]) if page and block is not None]
    if len(known) < 2 or known[-1][1] <= known[0][1]:
        return 0.0, 0, 0
    (page0, block0), (page1, block1) = known[0], known[-1]
    return (block1 - block0) / (page1 - page0), page0, block0


def meeting(before: Segment, taken_from: int, after: Segment) -> tuple[int, int] | None:
    """(page of `before`, page of `after`) where `after` takes over: the first page of `before` past
    `taken_from` whose pages before it are trusted, that `after` also starts cleanly (not on its own
    first page, and after trusted pages) on the same side. None when they never meet."""
    found: dict[tuple[int, int], int] = {}
    for page in range(1, min(after.pages, after.trusted + 1)):
        block = after.clean[page]
        if block is not None:
            found.setdefault((block, page % 2), page)
    for page in range(taken_from + 1, min(before.pages, before.trusted + 1)):
        block = before.clean[page]
        if block is not None and (block, page % 2) in found:
            return page, found[(block, page % 2)]
    return None


def restart(before: Segment, taken_from: int, limit: int) -> int | None:
    """The last even page of `before` past `taken_from` that starts cleanly at a block before `limit`,
    with a clean page after it and before the untrusted tail: a segment laid out again from its block
    meets `before` there."""
    last = min(before.pages, before.trusted + 1)
    cleans = [page for page in range(taken_from + 1, last) if before.clean[page] is not None]
    for page in reversed(cleans):
        if (page % 2 == 0 and page + 1 < last and before.clean[page] < limit
                and any(later > page for later in cleans)):
            return page
    return None


@dataclass(frozen=True, slots=True)
class Spliced:
    """The pages a split chapter takes: (segment, first page, end page) in order, and their traces."""

    ranges: tuple[tuple[Segment, int, int], ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for segment, a, b in self.ranges for name in segment.names[a:b])

    @property
    def starts(self) -> tuple[Place | None, ...]:
        return tuple(start for segment, a, b in self.ranges for start in segment.starts[a:b])


def lay_out_split(pool: Executor, index: int, chapter: Chapter, targets: tuple[int, ...]) -> Spliced | None:
    """The chapter laid out in segments on `pool`, after its pilot; None when it must be laid out whole."""
    blocks = len(chapter.blocks)
    # The first segment goes with the pilot, laid out past its cut by a measure of text, not of pages.
    ends = [min(first_end(chapter, targets[0]), (targets[0] + (targets[1:] or (blocks,))[0]) // 2)]
    futures = [pool.submit(lay_out_segment, index, 0, ends[0])]
    pilot = pool.submit(lay_out_segment, index, 0, min(blocks, PILOT_BLOCKS), False).result()
    starts = predict(pilot, targets)
    overlap = overlap_blocks(pilot)
    ends += [*(min(blocks, start + overlap) for start in starts[1:]), blocks]
    futures += [pool.submit(lay_out_segment, index, start, end) for start, end in zip(starts, ends[1:], strict=True)]
    nexts = (*starts[1:], blocks)  # where the segment after each of them starts
    ranges: list[tuple[Segment, int, int]] = []
    current, taken_from = futures[0].result(), 0
    for future, end, after in zip(futures[1:], ends[1:], nexts, strict=True):
        following = future.result()
        met = meeting(current, taken_from, following)
        if met is None:  # laid out again from a page start of the segment before: it meets there
            page = restart(current, taken_from, after)
            if page is None:
                return None
            following = pool.submit(lay_out_segment, index, current.clean[page], end).result()
            met = meeting(current, taken_from, following)
            if met is None:
                return None
        ranges.append((current, taken_from, met[0]))
        current, taken_from = following, met[1]
    ranges.append((current, taken_from, current.pages))
    return Spliced(tuple(ranges))
