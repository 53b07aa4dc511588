"""The checks every edition runs on the model before it lays anything out.

`check_coverage` refuses a book with a character its font stack cannot
draw (press/engine/fonts.py names the stacks): a fallback to a system
font, or a `.notdef` box, is a defect, not a warning.

`check_chapter_sizes` refuses, before any layout, a chapter longer than
`MAX_CHAPTER_CHARACTERS`. A chapter is laid out as one WeasyPrint document
by one worker, whose time and memory grow with its pages (measured: 10,000
notes, 3.3 million characters, 1,671 pages, 2.1 GB and 2 minutes of one
core); past the limit a chapter would hold one worker for several minutes
and gigabytes, so the build says so at once instead.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from press.diagnostics import BuildError, Diagnostic
from press.engine.fonts import covered, ensure_static_fonts, stacks_for
from press.hebrew import describe, with_points
from press.model import (
    SECTION_LETTERS,
    Book,
    Emphasis,
    Inline,
    Lang,
    NoteRef,
    Paragraph,
    SectionBreak,
    Span,
    Text,
    plain_text,
)

MAX_CHAPTER_CHARACTERS = 4_000_000  # about 2,000 printed pages; README "Limits"


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


def check_chapter_sizes(book: Book) -> None:
    """Stop a print layout naming every chapter too long to lay out as one piece."""
    problems = []
    for chapter in book.chapters:
        size = sum(len(plain_text(p.runs)) for block in chapter.blocks for p in block.paragraphs)
        size += sum(len(plain_text(note.runs)) for note in chapter.notes)
        if size > MAX_CHAPTER_CHARACTERS:
            problems.append(Diagnostic(
                "chapter-size", "error", f"the chapter holds {size:,} characters; a chapter is laid out as one "
                f"piece, of at most {MAX_CHAPTER_CHARACTERS:,} (about 2,000 pages): split it into chapters",
                chapter.span.path, chapter.span.line))
    if problems:
        raise BuildError(*problems)


def _check_runs(runs: tuple[Inline, ...], lang: Lang, where: Paragraph,
                problems: dict[tuple[str, str], Diagnostic], points: str = "all",
                stacks: tuple[tuple[str, tuple[str, ...]], ...] | None = None) -> None:
    for run in runs:
        if isinstance(run, Text):
            # Each distinct character once: a book has a few hundred, in millions of places.
            for char in dict.fromkeys(with_points(run.text, points)):
                if not _drawable(char, lang, stacks):
                    key = (char, str(where.span.path))
                    problems.setdefault(key, _missing(char, lang, where, stacks))
        elif isinstance(run, Span):
            _check_runs(run.children, run.lang, where, problems, points, stacks)
        elif isinstance(run, Emphasis):
            _check_runs(run.children, lang, where, problems, points, stacks)
        elif isinstance(run, NoteRef):
            _check_runs((Text(run.id),), lang, where, problems, "all", stacks)
        elif isinstance(run, SectionBreak):  # the template prints its letter, in Hebrew wherever it stands
            _check_runs((Text(SECTION_LETTERS[run.kind]),), "he", where, problems, "all", stacks)


def _missing(char: str, lang: Lang, where: Paragraph, stacks) -> Diagnostic:
    fonts = " or ".join(dict(stacks)[lang])
    return Diagnostic("font-coverage", "error", f"{describe(char)} cannot be drawn: {fonts} has no glyph for it",
                      where.span.path, where.span.line)


@cache  # a few hundred characters, asked about in every run of the book
def _drawable(char: str, lang: Lang, stacks: tuple[tuple[str, tuple[str, ...]], ...] | None) -> bool:
    return not _needs_glyph(char) or covered(char, lang, stacks)


def _needs_glyph(char: str) -> bool:
    # Format characters (RLM, ZWJ...) are not drawn; spaces and line
    # breaks are handled by the layout engine.
    return unicodedata.category(char) not in ("Cf", "Cc", "Zl", "Zp")
