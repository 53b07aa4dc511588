"""What to write for one right-to-left text box: pure data, no WeasyPrint.

The two text channels of `press.engine.pdftext` (see its docstring) are planned
here from a box's glyphs, already in visual order with their positions
and the characters each one stands for:

- the glyph channel (what PDFium reads): one TJ in which every glyph code
  maps to its own characters and every move is leftward or zero. The
  rightward distances are folded into per-occurrence advance widths, so
  a code is a (glyph, characters, width) triple;
- the visual channel (what poppler reads): the box's text in visual order,
  for an outer `/Span` ActualText.

Points that the font raises or lowers (a y offset) cannot share the TJ
without a `Ts` split, so a blank placeholder carrying their characters
stands in for them and the point itself is drawn apart.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

RLM = "\u200f"
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
    """A point drawn apart from the TJ, at its own x and rise."""

    code: Code
    x: int
    rise: float


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything written for one box.

    `start` is the x of the first glyph (the TJ starts there); `shows` the
    TJ as (code, leftward move after it) pairs; `visual` the text for
    poppler's channel; `raised` the points drawn apart.
    """

    start: int
    shows: tuple[tuple[Code, int], ...]
    visual: str
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
    order = stream_order([g.text for g in glyphs])
    placed = [round(glyphs[i].x) for i in order]
    shows: list[tuple[Code, int]] = []
    raised: list[Raised] = []
    for rank, index in enumerate(order):
        glyph = glyphs[index]
        if rank + 1 < len(order):
            distance = placed[rank + 1] - placed[rank]
            width, move = max(distance, 0), max(-distance, 0)
        else:
            width, move = round(glyph.advance), 0
        if glyph.rise:
            raised.append(Raised(Code(glyph.gid, glyph.text, 0), placed[rank], glyph.rise))
            shows.append((Code(blank_gid, glyph.text, width), move))
        else:
            shows.append((Code(glyph.gid, glyph.text, width), move))
    return Plan(placed[0] if placed else 0, tuple(shows), visual_text(logical), tuple(raised))


def stream_order(texts: list[str]) -> list[int]:
    """The order glyphs are shown in: visual, except around weak characters.

    PDFium classes points like commas and digits ("weak") and copies a run
    of weak characters forward while it reverses the letters around it, so
    a comma shown just left of a word-final point would be read between the
    letter and its point. Showing the points first, then the weak run
    (right to left), keeps every glyph where it is drawn while PDFium reads
    letter, points, comma. The TJ reaches the comma by a leftward move.
    """
    order: list[int] = []
    index = 0
    while index < len(texts):
        weak_end = index
        while weak_end < len(texts) and is_weak(texts[weak_end]):
            weak_end += 1
        points_end = weak_end
        while weak_end > index and points_end < len(texts) and is_point(texts[points_end]):
            points_end += 1
        if points_end > weak_end:
            order += [*range(weak_end, points_end), *reversed(range(index, weak_end))]
            index = points_end
        else:
            order += range(index, max(weak_end, index + 1))
            index = max(weak_end, index + 1)
    return order


def copied(text: str) -> str:
    """poppler's text of the characters press/typography.py prints to keep Hebrew words on one
    line: no word joiner after a maqaf, a plain space for the no-break space, as in the source.
    (PDFium's channel keeps the glyphs' own characters: its reading order depends on them.)"""
    return text.replace("\u2060", "").replace("\u00a0", " ")


def visual_text(runs: list[tuple[str, bool]]) -> str:
    """The box's text as poppler wants it: runs in visual order, each
    right-to-left run reversed character by character.

    poppler lays the characters out left to right and reverses right-to-left
    runs again, so it gives back the logical order. A point that ends a
    word before punctuation, or ends the box, gets an RLM after it
    (logically), so poppler keeps it with its letter.
    """
    runs = [(copied(text), rtl) for text, rtl in runs]
    return "".join(_reversed(_mark_final_points(text)) if rtl else text for text, rtl in runs)


def _mark_final_points(text: str) -> str:
    out: list[str] = []
    for index, char in enumerate(text):
        out.append(char)
        following = text[index + 1] if index + 1 < len(text) else ""
        if is_point(char) and _strands_a_point(following):
            out.append(RLM)
    return "".join(out)


def _strands_a_point(following: str) -> bool:
    """The end of the box, or punctuation: not a letter, point, maqaf or space."""
    return not following or unicodedata.bidirectional(following) not in ("R", "NSM", "WS")


def _reversed(text: str) -> str:
    return text[::-1]


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
