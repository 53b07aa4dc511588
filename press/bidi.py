"""Isolate every opposite-direction phrase of a paragraph in one Span.

WeasyPrint reverses the inline children of a right-to-left box instead of
running the Unicode bidi algorithm across elements, so a paragraph must
reach it with each direction change already made explicit: one element per
phrase in the other direction, holding all of that phrase's inline markup.

The paragraph's inline tree is flattened into pieces (a run of text, a
note call or a section mark, with the emphasis marks around it), the direction runs are
found on a string of one strength code per character, the pieces are cut
where a run begins or ends, and each run is rebuilt into its own nested
markup. An emphasis that crosses a direction change becomes two emphasis
elements, one on each side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby

from press.hebrew import is_hebrew, is_latin
from press.model import Emphasis, Inline, Lang, NoteRef, SectionBreak, Span, Text

Mark = str  # "em" or "strong"
_QUOTE_MARKS = "'\u05F3"  # apostrophe, geresh: part of a Hebrew word they end (ה')

# Strength codes: "o" strong in the other direction, "b" strong in the base direction, "n" neutral,
# and two neutrals that cling to an opposite run they follow: "r" a note call, "q" a quote mark.
_OTHER_RUN = re.compile(r"o(?:[^b]*o)?")  # first to last opposite character, no base one between
_CLINGING = re.compile(r"[rq]*")


Atom = NoteRef | SectionBreak  # a run with no characters: one position, kept whole


@dataclass(frozen=True, slots=True)
class _Piece:
    content: str | Atom
    marks: tuple[Mark, ...]


class _Strengths(dict):
    """A str.translate table from a character to its strength code, filled on first sight.

    Looked up once per character of the book, in C: the distinct characters are a few hundred."""

    def __init__(self, base: Lang) -> None:
        super().__init__()
        self.base = base

    def __missing__(self, code_point: int) -> str:
        char, base = chr(code_point), self.base
        if is_hebrew(char):
            strength = "b" if base == "he" else "o"
        # Digits read left to right: inside Hebrew they need an LTR isolate.
        elif is_latin(char) or (char.isdigit() and base == "he"):
            strength = "b" if base == "en" else "o"
        else:
            strength = "q" if base == "en" and char in _QUOTE_MARKS else "n"
        self[code_point] = strength
        return strength


_STRENGTHS: dict[str, _Strengths] = {"en": _Strengths("en"), "he": _Strengths("he")}


def isolate(runs: tuple[Inline, ...], base: Lang) -> tuple[Inline, ...]:
    """Return `runs` with each phrase in the other language wrapped in a Span."""
    pieces = list(_flatten(runs, ()))
    other: Lang = "he" if base == "en" else "en"
    table = _STRENGTHS[base]
    codes = "".join(_code(p.content, table) for p in pieces)
    if "o" not in codes:  # one direction throughout, as most paragraphs: nothing to cut
        return runs if _already_built(runs) else _build(pieces)
    built: list[Inline] = []
    for is_other, group in _direction_groups(pieces, _opposite_runs(codes)):
        inner = _build(group)
        built.extend((Span(other, inner),) if is_other else inner)
    return tuple(built)


def _code(content: str | Atom, table: _Strengths) -> str:
    if isinstance(content, str):
        return content.translate(table)
    return "r" if isinstance(content, NoteRef) else "n"  # a section mark belongs to no direction


def _already_built(runs: tuple[Inline, ...]) -> bool:
    """Whether `_build` would give `runs` back unchanged: texts and note calls only, no text empty
    and no two texts side by side (it would join them)."""
    after_text = False
    for run in runs:
        if isinstance(run, Text):
            if after_text or not run.text:
                return False
            after_text = True
        elif isinstance(run, (NoteRef, SectionBreak)):
            after_text = False
        else:
            return False
    return True


def _flatten(runs: tuple[Inline, ...], marks: tuple[Mark, ...]):
    for run in runs:
        if isinstance(run, Text):
            if run.text:
                yield _Piece(run.text, marks)
        elif isinstance(run, (NoteRef, SectionBreak)):
            yield _Piece(run, marks)
        elif isinstance(run, Emphasis):
            yield from _flatten(run.children, (*marks, "strong" if run.strong else "em"))
        else:  # a Span from an earlier pass: its content is re-isolated
            yield from _flatten(run.children, marks)


def _opposite_runs(codes: str) -> list[tuple[int, int]]:
    """The (start, end) of each opposite run in `codes`.

    A run spans from its first to its last strong opposite character;
    neutrals between belong to it, neutrals at its edges to the paragraph.
    Two things cling to the run they follow: a note call written right
    after it, and an apostrophe or geresh ending a Hebrew word.
    """
    runs: list[tuple[int, int]] = []
    for match in _OTHER_RUN.finditer(codes):
        end = _CLINGING.match(codes, match.end()).end()
        if runs and runs[-1][1] == match.start():
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((match.start(), end))
    return runs


def _direction_groups(pieces: list[_Piece], runs: list[tuple[int, int]]) -> list[tuple[bool, list[_Piece]]]:
    """The pieces cut at the edges of `runs`, grouped into (is_other, pieces)."""
    edges = sorted({edge for run in runs for edge in run})
    starts = {start for start, _ in runs}
    cut: list[tuple[bool, _Piece]] = []
    inside, position, next_edge = False, 0, 0
    for piece in pieces:
        length = len(piece.content) if isinstance(piece.content, str) else 1
        offset = 0
        while offset < length:
            while next_edge < len(edges) and edges[next_edge] <= position + offset:
                inside = edges[next_edge] in starts
                next_edge += 1
            stop = edges[next_edge] - position if next_edge < len(edges) else length
            stop = min(stop, length)
            content = piece.content[offset:stop] if isinstance(piece.content, str) else piece.content
            cut.append((inside, _Piece(content, piece.marks)))
            offset = stop
        position += length
    return [(flag, [piece for _, piece in group]) for flag, group in groupby(cut, key=lambda pair: pair[0])]


def _build(pieces: list[_Piece]) -> tuple[Inline, ...]:
    """Rebuild nested inline markup from pieces that share outer marks."""
    built: list[Inline] = []
    for mark, group in groupby(pieces, key=lambda p: p.marks[0] if p.marks else None):
        members = list(group)
        if mark is None:
            built.extend(_leaves(members))
        else:
            inner = [_Piece(p.content, p.marks[1:]) for p in members]
            built.append(Emphasis(_build(inner), strong=mark == "strong"))
    return tuple(built)


def _leaves(pieces: list[_Piece]) -> list[Inline]:
    leaves: list[Inline] = []
    for is_atom, group in groupby(pieces, key=lambda p: not isinstance(p.content, str)):
        if is_atom:
            leaves.extend(p.content for p in group)  # type: ignore[misc]
        else:
            leaves.append(Text("".join(p.content for p in group)))  # type: ignore[misc]
    return leaves
