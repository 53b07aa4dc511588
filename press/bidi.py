"""Isolate every opposite-direction phrase of a paragraph in one Span.

WeasyPrint reverses the inline children of a right-to-left box instead of
running the Unicode bidi algorithm across elements, so a paragraph must
reach it with each direction change already made explicit: one element per
phrase in the other direction, holding all of that phrase's inline markup.

The paragraph's inline tree is flattened into atoms (one character or one
note call, with the emphasis marks around it), atoms are grouped into
direction runs, and each run is rebuilt into its own nested markup. An
emphasis that crosses a direction change becomes two emphasis elements,
one on each side.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from itertools import groupby

from press.hebrew import is_hebrew, is_latin
from press.model import Emphasis, Inline, Lang, NoteRef, Span, Text

Mark = str  # "em" or "strong"
_QUOTE_MARKS = "'\u05F3"  # apostrophe, geresh: part of a Hebrew word they end (ה')


@dataclass(frozen=True, slots=True)
class _Atom:
    piece: str | NoteRef
    marks: tuple[Mark, ...]


def isolate(runs: tuple[Inline, ...], base: Lang) -> tuple[Inline, ...]:
    """Return `runs` with each phrase in the other language wrapped in a Span."""
    atoms = list(_flatten(runs, ()))
    other: Lang = "he" if base == "en" else "en"
    pieces: list[Inline] = []
    for is_other, group in _direction_groups(atoms, base):
        built = _build(group)
        pieces.extend((Span(other, built),) if is_other else built)
    return tuple(pieces)


def _flatten(runs: tuple[Inline, ...], marks: tuple[Mark, ...]):
    for run in runs:
        if isinstance(run, Text):
            yield from (_Atom(char, marks) for char in run.text)
        elif isinstance(run, NoteRef):
            yield _Atom(run, marks)
        elif isinstance(run, Emphasis):
            yield from _flatten(run.children, (*marks, "strong" if run.strong else "em"))
        else:  # a Span from an earlier pass: its content is re-isolated
            yield from _flatten(run.children, marks)


def _strength(atom: _Atom, base: Lang) -> str:
    """'other', 'base' or 'neutral' for the paragraph's base language."""
    piece = atom.piece
    if isinstance(piece, NoteRef):
        return "neutral"
    return _char_strength(piece, base)


@cache  # called once per character of the book: a few hundred distinct ones
def _char_strength(piece: str, base: Lang) -> str:
    if is_hebrew(piece):
        return "base" if base == "he" else "other"
    # Digits read left to right: inside Hebrew they need an LTR isolate.
    if is_latin(piece) or (piece.isdigit() and base == "he"):
        return "base" if base == "en" else "other"
    return "neutral"


def _direction_groups(atoms: list[_Atom], base: Lang) -> list[tuple[bool, list[_Atom]]]:
    """Split atoms into (is_other, atoms) runs.

    An opposite run spans from its first to its last strong opposite
    character; neutrals between belong to it, neutrals at its edges to the
    paragraph. Two things cling to the run they follow: a note call written
    right after it, and an apostrophe or geresh ending a Hebrew word.
    """
    strengths = [_strength(a, base) for a in atoms]
    inside = [False] * len(atoms)
    last_other = None
    for index, strength in enumerate(strengths):
        if strength == "base":
            last_other = None
        elif strength == "other":
            start = index if last_other is None else last_other + 1
            for covered in range(start, index + 1):
                inside[covered] = True
            last_other = index
    _extend_clinging(atoms, inside, base)
    return [(flag, [a for _, a in grp]) for flag, grp in groupby(zip(inside, atoms, strict=True), key=lambda p: p[0])]


def _extend_clinging(atoms: list[_Atom], inside: list[bool], base: Lang) -> None:
    for index in range(1, len(atoms)):
        if inside[index] or not inside[index - 1]:
            continue
        piece = atoms[index].piece
        clings = isinstance(piece, NoteRef) or (base == "en" and piece in _QUOTE_MARKS)
        if clings:
            inside[index] = True


def _build(atoms: list[_Atom]) -> tuple[Inline, ...]:
    """Rebuild nested inline markup from atoms that share outer marks."""
    built: list[Inline] = []
    for mark, group in groupby(atoms, key=lambda a: a.marks[0] if a.marks else None):
        members = list(group)
        if mark is None:
            built.extend(_leaves(members))
        else:
            inner = [_Atom(a.piece, a.marks[1:]) for a in members]
            built.append(Emphasis(_build(inner), strong=mark == "strong"))
    return tuple(built)


def _leaves(atoms: list[_Atom]) -> list[Inline]:
    leaves: list[Inline] = []
    for is_note, group in groupby(atoms, key=lambda a: isinstance(a.piece, NoteRef)):
        if is_note:
            leaves.extend(a.piece for a in group)  # type: ignore[misc]
        else:
            leaves.append(Text("".join(a.piece for a in group)))  # type: ignore[misc]
    return leaves
