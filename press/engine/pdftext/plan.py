"""What to write for one right-to-left text box: pure data, no WeasyPrint.

The two text channels of `press.engine.pdftext` (see its docstring) are planned
here from a box's glyphs, already in visual order with their positions
and the characters each one stands for:

- the glyph channel (what PDFium reads): one TJ in which every glyph code
  maps to its own characters and every move is leftward or zero. The
  rightward distances are folded into per-occurrence advance widths, so
  a code is a (glyph, characters, width) triple;
- poppler's channel: the box's text for an outer `/Span` ActualText, in the
  order poppler's own reordering turns back into reading order, which
  depends on the direction of the page (`poppler_order`).

Points that the font raises or lowers (a y offset) cannot share the TJ
without a `Ts` split, so a blank placeholder carrying their characters
stands in for them and the point itself is drawn apart.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

RLM = "\u200f"
# What a raised point's own glyph reads as: a format character, which pdf.js drops (PDFium and
# poppler skip the glyph for its ActualText); the placeholder in the TJ carries the point.
INVISIBLE = "\u2060"
NBSP = "\u00a0"
# Bidi classes PDFium lumps together with points ("weak"): a run of them
# next to a point is read as one run unless the weak character is marked.
_WEAK_CLASSES = frozenset({"EN", "ES", "ET", "AN", "CS"})


@dataclass(frozen=True, slots=True)
class Glyph:
    """One painted glyph of a box, in visual (left-to-right) order.

    `x` is where it is painted and `advance` how far the pen moves after it,
    both in thousandths of an em from the box's start; `rise` is its
    vertical offset in points (0: on the baseline).
    """

    gid: int
    x: float
    advance: float
    rise: float
    text: str


@dataclass(frozen=True, slots=True)
class Code:
    """A character code of the glyph channel: a glyph, its text and its width."""

    gid: int
    text: str
    width: int


@dataclass(frozen=True, slots=True)
class Raised:
    """A point drawn apart from the TJ, at its own x and rise; `text` the point it draws."""

    code: Code
    x: int
    rise: float
    text: str


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything written for one box.

    `start` is the x of the first glyph (the TJ starts there); `shows` the
    TJ as (code, leftward move after it) pairs; `text` the box's text in
    reading order, for poppler's channel (`poppler_order` orders it once the
    page's direction is known); `raised` the points drawn apart.
    """

    start: int
    shows: tuple[tuple[Code, int], ...]
    text: str
    raised: tuple[Raised, ...]


@cache  # asked of every glyph's few characters: a few hundred distinct strings
def is_point(text: str) -> bool:
    """A Hebrew point or accent (a combining mark) alone."""
    return bool(text) and all(unicodedata.category(c) == "Mn" for c in text)


@cache
def is_weak(text: str) -> bool:
    return bool(text) and all(unicodedata.bidirectional(c) in _WEAK_CLASSES for c in text)


def plan(glyphs: list[Glyph], logical: list[tuple[str, bool]], blank_gid: int) -> Plan:
    """The plan for a box: `glyphs` in visual order, `logical` its runs as (text, rtl)
    in visual run order, `blank_gid` an empty glyph for placeholders."""
    shown = _leading([glyphs[i] for i in stream_order([g.text for g in glyphs])], blank_gid)
    placed = _placements(shown)
    widths = _widths([g.text for g in shown], placed, round(shown[-1].advance) if shown else 0,
                     [g.gid == blank_gid or bool(g.rise) for g in shown])
    shows: list[tuple[Code, int]] = []
    raised: list[Raised] = []
    for rank, (glyph, (width, move)) in enumerate(zip(shown, widths, strict=True)):
        if glyph.gid == blank_gid and glyph.text == INVISIBLE and not width and not move:
            continue  # a word joiner that had no drift to take
        if glyph.rise:
            raised.append(Raised(Code(glyph.gid, INVISIBLE, 0), placed[rank], glyph.rise, glyph.text))
            shows.append((Code(blank_gid, glyph.text, width), move))
        else:
            text = _edge_space(glyph.text) if rank in (0, len(shown) - 1) else glyph.text
            if text == NBSP and rank + 1 < len(shown) and is_point(shown[rank + 1].text):
                text = " "  # PDFium reads a no-break space like a comma: it would join the point
            shows.append((Code(glyph.gid, text, width), move))
    return Plan(placed[0] if placed else 0, tuple(shows), logical_text(logical), tuple(raised))


def _leading(shown: list[Glyph], blank_gid: int) -> list[Glyph]:
    """The glyphs in stream order, with two kinds of blank added.

    - Between a comma, period or digit and a point just right of it, a blank reading as an
      RLM. PDFium classes points like those characters ("weak") and copies a run of them
      forward while it reverses the letters around it, so it would read the comma between a
      word's last letter and its point; the RLM, strongly right-to-left, parts the run. pdf.js
      reads no glyph whose text ends in a format character, and reads the line, points
      included, as one right-to-left run: to it the glyphs are in visual order, as it wants.
    - First, when a point would be first (the last word of a line ends with a point), a blank
      reading as a word joiner and a space. pdf.js reads glyphs before the first letter of a
      box into the text item it is on, and the letter, far from where the last box ended, into
      a new one: the word would lose its last points. It never reads a space that stands first
      in a box; a text that starts with a word joiner is not a space to it.
    - Before each space that follows a letter, a blank reading as a word joiner, which
      `_widths` may give a width pdf.js does not see (and `plan` drops when it has none).
    """
    glyphs: list[Glyph] = []
    for glyph in shown:
        if glyphs and is_weak(glyphs[-1].text) and not glyphs[-1].text.isspace() and is_point(glyph.text):
            glyphs.append(Glyph(blank_gid, glyph.x, 0, 0, RLM))
        if glyphs and glyph.text.isspace() and _a_letter_to_pdfjs(glyphs[-1].text):
            glyphs.append(Glyph(blank_gid, glyph.x, 0, 0, INVISIBLE))  # see _widths: maybe dropped
        glyphs.append(glyph)
    if glyphs and is_point(glyphs[0].text):
        glyphs.insert(0, Glyph(blank_gid, glyphs[0].x, 0, 0, INVISIBLE + " "))
    return glyphs


def _edge_space(text: str) -> str:
    """What a space at either end of a box reads as: a word joiner, then the space.

    pdf.js reads no space glyph as such: it adds a space before the next glyph it reads in the
    same text item, so a space that begins or ends a box (the space between a verse number and
    its verse) would be lost and the words of two boxes run together. A glyph whose text starts
    with a word joiner is read as it is; the joiner is invisible and no reader counts it in a
    word.
    """
    return INVISIBLE + text if text.isspace() else text


def _placements(shown: list[Glyph]) -> list[int]:
    """Where each glyph, in stream order, is painted.

    A space shown just before a point is painted where the point is (a space draws nothing):
    pdf.js drops a point's width and reads the distance from the letter before the space to
    the letter after the point as a second space, after the point, which would part the
    point from its letter.
    """
    placed = [round(glyph.x) for glyph in shown]
    for rank in range(len(shown) - 2, -1, -1):
        if (shown[rank].text.isspace() and is_point(shown[rank + 1].text)) or shown[rank].text == INVISIBLE:
            placed[rank] = placed[rank + 1]  # a word joiner blank draws nothing either
    return placed


# pdf.js starts a new text item when a letter is drawn more than a fifth of an em left of
# where the letter before it ended, as it counts the widths; keep well inside that.
_PDFJS_BACKSTEP = 150
# How far pdf.js may run from the real pen before a word joiner brings it back: each one is a
# character in what PDFium copies (an invisible one), so not at every space.
_PDFJS_DRIFT = 300


def _resync(shows: list[tuple[int, int]], placed: list[int], blank: int, drift: int, end: int) -> tuple[int, int]:
    """Bring pdf.js back to the real pen at `blank`, a word joiner after a letter: the letter
    gives up width to the blank, which pdf.js skips. It then finds every glyph after as far from
    the letter's end as before (no space, no new item), but where it is. Returns the drift and
    the letter's end as pdf.js now reads them."""
    width, move = shows[blank - 1]
    taken = min(drift, width - 1)  # the letter keeps a width: pdf.js takes a letter without one for none
    shows[blank - 1] = (width - taken, move)
    step = placed[blank + 1] - placed[blank] + taken
    shows[blank] = (max(step, 0), max(-step, 0))
    return drift - taken, end - taken


def _carried(shows: list[tuple[int, int]], placed: list[int], carrier: int, total: int, drift: int,
             seen: int | None) -> int:
    """Give the point `carrier` the width that brings the points' widths from `total` to what
    pdf.js should not count, and return that: as near `drift` as `seen` allows (where pdf.js
    would find the letter after the points, less their widths; None: it does not look)."""
    step = placed[carrier + 1] - placed[carrier]
    fewest = total - shows[carrier][0] + step  # no rightward move
    low, high = (fewest, max(fewest, drift)) if seen is None else (max(fewest, seen), seen + _PDFJS_BACKSTEP)
    wanted = min(max(drift, low), max(high, low))
    shows[carrier] = (step + wanted - fewest, wanted - fewest)
    return wanted


def _a_letter_to_pdfjs(text: str) -> bool:
    """A glyph pdf.js reads and measures: not a point, not a space, not ending in a format
    character (which it skips)."""
    return not _pdfjs_mark(text) and not text.isspace() and unicodedata.category(text[-1:] or " ") != "Cf"


@cache
def _pdfjs_mark(text: str) -> bool:
    """A glyph pdf.js counts no width for: its text holds a combining mark anywhere (a point, or
    points joined by a zero-width joiner, as Keter YG draws hataf and meteg in one glyph)."""
    return is_point(text) or (any(unicodedata.category(c) == "Mn" for c in text)
                              and unicodedata.category(text[-1]) != "Cf")


def _widths(texts: list[str], placed: list[int], last_advance: int, blank: list[bool]) -> list[tuple[int, int]]:
    """Each code's width and the leftward move after it, glyphs in stream order.

    Every glyph is painted at `placed`; a rightward move would read as a space in PDFium, so
    it goes into the width. pdf.js counts no width for a point (a zero-width diacritic), so
    between two letters it sees only the letters' widths and the moves. The points' widths
    are chosen for it: the letter after them must not be read more than _PDFJS_BACKSTEP left
    of the end of the letter before (a new item would part the points from their letter),
    nor right of it (a space), and what pdf.js does not count (its drift from the real
    positions, which could carry a line's last letters off the page) is paid back as soon
    as those bounds allow.
    """
    shows = [(max(b - a, 0), max(a - b, 0)) for a, b in pairwise(placed)]
    shows.append((last_advance, 0))
    for rank, text in enumerate(texts):
        if not shows[rank][0] and _a_letter_to_pdfjs(text):
            # pdf.js takes the end of a letter that has no width for no letter at all
            shows[rank] = (1, shows[rank][1] + 1)
    drift = 0  # where pdf.js thinks the pen is, less where it is
    end = None  # where pdf.js thinks the last letter ended
    rank = 0
    while rank < len(texts):
        if texts[rank] == INVISIBLE and end is not None and abs(drift) > _PDFJS_DRIFT:
            drift, end = _resync(shows, placed, rank, drift, end)
        if not _pdfjs_mark(texts[rank]):
            if _a_letter_to_pdfjs(texts[rank]) and shows[rank][0]:
                end = placed[rank] + drift + shows[rank][0]
            rank += 1
            continue
        first = rank
        while rank < len(texts) and _pdfjs_mark(texts[rank]):
            rank += 1
        if rank == len(texts):
            break
        for point in range(first, rank):
            step = placed[point + 1] - placed[point]
            # a blank keeps no width (PDFium would give it a box); the other points their step
            shows[point] = (max(step, 0), max(-step, 0)) if blank[point] else (step, 0)
        carrier = max((i for i in range(first, rank) if not blank[i]), default=None)
        total = sum(shows[i][0] for i in range(first, rank))
        if carrier is not None:
            looked = end is not None and _a_letter_to_pdfjs(texts[rank])
            total = _carried(shows, placed, carrier, total, drift, placed[rank] + drift - end if looked else None)
        drift -= total
    return shows


def stream_order(texts: list[str]) -> list[int]:
    """The order glyphs are shown in: visual, except that a space Pango gives between a letter's
    points and the letter (a no-break space before a final kaf with sheva) is shown before the
    points. It draws nothing, and pdf.js, which reverses the whole line, would read it between
    the letter and its points.
    """
    out = list(range(len(texts)))
    for rank in range(1, len(out)):
        if texts[out[rank]].isspace():
            first = rank
            while first > 0 and is_point(texts[out[first - 1]]):
                first -= 1
            out[first:rank + 1] = [out[rank], *out[first:rank]]
    return out


def copied(text: str) -> str:
    """poppler's text of the characters press/typography.py prints to keep Hebrew words on one
    line: no word joiner after a maqaf, a plain space for the no-break space, as in the source.
    (PDFium's channel keeps the glyphs' own characters: its reading order depends on them.)"""
    return text.replace("\u2060", "").replace("\u00a0", " ")


def logical_text(runs: list[tuple[str, bool]]) -> str:
    """The box's text in reading order: its runs, given in visual order, are right-to-left or
    numbers in a right-to-left line (shaping.read_line), so they read from the right."""
    return copied("".join(text for text, _ in reversed(runs)))


def cluster_texts(chars: str, count: int) -> tuple[list[str], str] | None:
    """What a right-to-left cluster's `count` glyphs (visual order) stand for,
    and the points left over for a blank placeholder just before its letter.

    HarfBuzz gives a cluster's glyphs in visual order, its points first in
    its own (canonical) order and its letter last; the font may draw a
    letter and a point as one glyph (shin with shin dot). PDFium reads a
    point like a comma: it keeps a run of points in the order it finds
    them, just before the letter it reverses into place. So whichever glyph
    shows which point, the points are handed out in source order and the
    letter's glyph stands for the letter alone: the text read back is the
    text written. None when there are more glyphs than characters (the box
    is then drawn as WeasyPrint draws it).
    """
    base, points = chars[:1], chars[1:]
    if not points or not is_point(points):
        return ([chars], "") if count == 1 else None
    if count - 1 > len(points):
        return None
    return [*points[:count - 1], base], points[count - 1:]
