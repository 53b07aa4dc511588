"""The checks every edition runs on the model before it lays anything out.

`check_coverage` refuses a book with a character its font stack cannot
draw (press/engine/fonts.py names the stacks): a fallback to a system
font, or a `.notdef` box, is a defect, not a warning.
"""

from __future__ import annotations

import unicodedata

from press.diagnostics import BuildError, Diagnostic
from press.engine.fonts import covered, ensure_static_fonts, stacks_for
from press.hebrew import describe, with_points
from press.model import Book, Emphasis, Inline, Lang, NoteRef, Paragraph, Span, Text


def check_coverage(book: Book) -> None:
    """Stop the build naming every character no font of its stack can draw."""
    ensure_static_fonts()
    problems: dict[tuple[str, str], Diagnostic] = {}
    points = getattr(getattr(book.settings, "hebrew", None), "points", "all")  # unprinted marks need no glyph
    stacks = tuple(stacks_for(book).items())  # Keter YG first when the book prints cantillation
    for chapter in book.chapters:
        paragraphs = [p for block in chapter.blocks for p in block.paragraphs]
        for paragraph in paragraphs:
            _check_runs(paragraph.runs, paragraph.lang, paragraph, problems, points, stacks)
        for note in chapter.notes:
            if note.runs is not None:
                _check_runs(note.runs, note.lang, Paragraph(note.lang, (), note.span), problems, points, stacks)
    if problems:
        raise BuildError(*problems.values())


def _check_runs(runs: tuple[Inline, ...], lang: Lang, where: Paragraph,
                problems: dict[tuple[str, str], Diagnostic], points: str = "all",
                stacks: tuple[tuple[str, tuple[str, ...]], ...] | None = None) -> None:
    for run in runs:
        if isinstance(run, Text):
            # Each distinct character once: a book has a few hundred, in millions of places.
            for char in dict.fromkeys(with_points(run.text, points)):
                if _needs_glyph(char) and not covered(char, lang, stacks):
                    key = (char, str(where.span.path))
                    problems.setdefault(key, _missing(char, lang, where, stacks))
        elif isinstance(run, Span):
            _check_runs(run.children, run.lang, where, problems, points, stacks)
        elif isinstance(run, Emphasis):
            _check_runs(run.children, lang, where, problems, points, stacks)
        elif isinstance(run, NoteRef):
            _check_runs((Text(run.id),), lang, where, problems, "all", stacks)


def _missing(char: str, lang: Lang, where: Paragraph, stacks) -> Diagnostic:
    fonts = " or ".join(dict(stacks)[lang])
    return Diagnostic("font-coverage", "error", f"{describe(char)} cannot be drawn: {fonts} has no glyph for it",
                      where.span.path, where.span.line)


def _needs_glyph(char: str) -> bool:
    # Format characters (RLM, ZWJ...) are not drawn; spaces and line
    # breaks are handled by the layout engine.
    return unicodedata.category(char) not in ("Cf", "Cc", "Zl", "Zp")
