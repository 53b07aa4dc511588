"""The EPUB's page-break markers: a PageBreak run in the model where each printed page begins.

The places come from the printed book (press.editions.book.page_starts);
the templates turn each PageBreak into an `epub:type="pagebreak"` marker
and the nav lists them in its page-list.
"""

from __future__ import annotations

from dataclasses import replace

from press.engine.pagetrace import PageStart
from press.model import Block, Chapter, Emphasis, Inline, PageBreak, Paragraph, Span, Text


def mark_chapter(chapter: Chapter, starts: tuple[PageStart, ...],
                 primary: str) -> tuple[Chapter, tuple[PageBreak, ...]]:
    """The chapter with a PageBreak run where each of its printed pages begins,
    and the breaks that come before its head."""
    own = [s for s in starts if s.chapter == chapter.slug]
    head = tuple(PageBreak(s.label, s.anchor, primary) for s in own if s.block is None)  # type: ignore[arg-type]
    inside = [s for s in own if s.block is not None]
    blocks = tuple(_mark_block(block, inside) for block in chapter.blocks)
    return replace(chapter, blocks=blocks), head


def _mark_block(block: Block, starts: list[PageStart]) -> Block:
    mine = [s for s in starts if s.block == block.number]
    if not mine:
        return block
    return replace(block, en=_mark_paragraph(block.en, mine), he=_mark_paragraph(block.he, mine))


def _mark_paragraph(paragraph: Paragraph | None, starts: list[PageStart]) -> Paragraph | None:
    if paragraph is None:
        return None
    breaks = [(s.offset, PageBreak(s.label, s.anchor, paragraph.lang)) for s in starts if s.lang == paragraph.lang]
    if not breaks:
        return paragraph
    runs, _ = _insert(paragraph.runs, sorted(breaks, key=lambda pair: pair[0]), 0)
    return replace(paragraph, runs=runs)


def _insert(runs: tuple[Inline, ...], breaks: list[tuple[int, PageBreak]], at: int) -> tuple[tuple[Inline, ...], int]:
    """`runs` with each break inserted at its offset into their plain text; `at` is the runs' own offset."""
    out: list[Inline] = []
    for run in runs:
        if isinstance(run, Text):
            out.extend(_split(run.text, [(o - at, b) for o, b in breaks if at <= o < at + len(run.text)]))
            at += len(run.text)
        elif isinstance(run, (Emphasis, Span)):
            children, at = _insert(run.children, breaks, at)
            out.append(replace(run, children=children))
        else:
            out.append(run)
    return tuple(out), at


def _split(text: str, breaks: list[tuple[int, PageBreak]]) -> list[Inline]:
    pieces: list[Inline] = []
    last = 0
    for offset, mark in breaks:
        if offset > last:
            pieces.append(Text(text[last:offset]))
        pieces.append(mark)
        last = offset
    pieces.append(Text(text[last:]))
    return [piece for piece in pieces if not (isinstance(piece, Text) and not piece.text)]
