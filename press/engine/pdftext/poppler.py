"""poppler's channel: a box's text in the order poppler turns back into reading order.

poppler (TextOutputDev.cc) takes a `/Span`'s ActualText as the characters
of one word spread over the span's glyphs, builds lines from the words in
left-to-right order, and then reorders each line's characters by the
page's primary direction: left-to-right when the page holds at least as
many left-to-right letters as right-to-left ones (Latin-led pages of the
bilingual layouts), else right-to-left (the `hebrew` layout). What the box
must say so that the line comes back in reading order differs between the
two, so it is chosen once the page is painted (hook._Page).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import cache

from press.engine.pdftext.plan import RLM


@cache  # asked of every character of every page
def poppler_class(char: str) -> str:
    """How poppler classes a character when it orders a line (its UnicodeTypeTable): "L", "R",
    "#" (digits and the separators around numbers: + , - . / : and the like) or "N"."""
    kind = unicodedata.bidirectional(char)
    if kind == "L":
        return "L"
    if kind in ("R", "AL"):
        return "R"
    return "#" if kind in ("EN", "ES", "ET", "CS", "AN") else "N"


def _strong_r(char: str) -> bool:
    """Right-to-left to poppler beyond doubt: a Hebrew letter or an RLM (not a Hebrew
    punctuation mark, which its table may class otherwise)."""
    return char == RLM or "\u05d0" <= char <= "\u05f2" or "\ufb1d" <= char <= "\ufb4f"


def poppler_order(text: str, ltr_page: bool) -> str:
    """What to give poppler for a box whose logical text is `text`, so that it reads `text` back.

    poppler lays a line's characters out left to right, then reorders them by the page's
    primary direction (more left-to-right or more right-to-left letters on the page):

    - on a left-to-right page it keeps every run of characters that are not right-to-left, and
      reverses each run that starts with a right-to-left character and holds no letter or digit
      of the other kind (commas, colons and digits end it);
    - on a right-to-left page it reads from the right: it reverses each run holding no
      left-to-right letter or digit, and keeps each run holding no right-to-left character.

    So on a left-to-right page the clauses between commas must stand in reading order, each
    reversed; on a right-to-left page the text stands in visual order. An RLM, strongly
    right-to-left and invisible, goes where a run would otherwise take a neighbour into the
    wrong run: after a clause that ends with a point or punctuation (left-to-right page), and
    between a comma and the space after it (right-to-left page).
    """
    return _left_to_right_page(text) if ltr_page else _right_to_left_page(text)


def _runs(text: str, ends: Callable[[str], bool], start: int) -> int:
    """The index where the run from `start` ends: the first character at or after it for which
    `ends` holds (len(text) if none)."""
    while start < len(text) and not ends(text[start]):
        start += 1
    return start


def _left_to_right_page(text: str) -> str:
    out: list[str] = []
    at = _runs(text, lambda c: poppler_class(c) == "R", 0)
    if any(poppler_class(c) in "L#" for c in text[:at]):
        out.append(text[:at])  # a letter or digit before the first right-to-left character: as it is
    else:
        at = 0  # spaces or marks only: read with the clause after them, as in the visual order
    while at < len(text):
        end = _runs(text, lambda c: poppler_class(c) in "L#", at)
        clause = text[at:end]
        if not _strong_r(clause[-1]):
            clause += RLM  # a trailing point or mark would start the run before it
        out.append(_reversed(clause))
        at = _runs(text, lambda c: poppler_class(c) == "R", end)
        out.append(text[end:at])
    return "".join(out)


def _right_to_left_page(text: str) -> str:
    pieces: list[str] = []  # in reading order; each right-to-left piece reversed
    at = 0
    while at < len(text):
        end = _runs(text, lambda c: poppler_class(c) in "L#", at)
        pieces.append(_reversed(text[at:end]))
        if end == len(text):
            break
        at = _runs(text, lambda c: poppler_class(c) == "R", end)
        core = end + 1  # up to its last letter or digit: neutrals after it go with what follows
        for index in range(end, at):
            if poppler_class(text[index]) in "L#":
                core = index + 1
        pieces.append(text[end:core])
        if core < at or (at == len(text) and any(_strong_r(c) for c in text)):
            # neutrals after it, or the end of a Hebrew box (where poppler may put a space between
            # this box and the next one to its left), are read with what follows
            pieces.append(_reversed(RLM + text[core:at]))
    return "".join(reversed(pieces))


def _reversed(text: str) -> str:
    return text[::-1]
