"""Passage references: which blocks of which chapter a study sheet prints.

A reference names a chapter by `Chapter.number` and blocks by
`Block.number`: `45` (the whole chapter), `45:3` (one block) or `45:3-8`
(a range). `parse` returns a tuple of `Passage`s, each within one chapter,
so a later cross-chapter range (`45:40-46:2`) or a comma list can be
parsed into several of them without changing `resolve` or the writers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from press.diagnostics import BuildError, error
from press.model import Block, Book, Chapter, Note, note_refs

FORMS = "CHAPTER, CHAPTER:BLOCK or CHAPTER:FIRST-LAST (e.g. 45:3-8)"
_RANGE = re.compile(r"(?P<chapter>\d+)(?::(?P<first>\d+)(?:\s*[-–]\s*(?P<last>\d+))?)?")


@dataclass(frozen=True, slots=True)
class Passage:
    """Blocks `first` to `last` of one chapter; None means the chapter's own end."""

    chapter: int
    first: int | None = None
    last: int | None = None


@dataclass(frozen=True, slots=True)
class Selection:
    """A passage resolved against the book: the chapter and its chosen blocks."""

    chapter: Chapter
    blocks: tuple[Block, ...]
    whole: bool

    @property
    def first(self) -> int:
        return self.blocks[0].number

    @property
    def last(self) -> int:
        return self.blocks[-1].number

    @property
    def notes(self) -> tuple[Note, ...]:
        """Notes called in the blocks that have text, in calling order, once each."""
        ids = dict.fromkeys(ref for b in self.blocks for p in b.paragraphs for ref in note_refs(p.runs))
        found = (self.chapter.note(note_id) for note_id in ids)
        return tuple(n for n in found if n is not None and n.runs is not None)


def parse(text: str, path: Path | None = None, line: int | None = None) -> tuple[Passage, ...]:
    """The passages `text` names; BuildError [passage] when it is malformed."""
    found = _RANGE.fullmatch(text.strip())
    if found is None:
        raise error("passage", f'malformed passage "{text}": expected {FORMS}', path, line)
    chapter, first, last = (_number(found.group(g)) for g in ("chapter", "first", "last"))
    if first is not None and last is None:
        last = first
    if first is not None and last is not None and first > last:
        raise error("passage", f'passage "{text}": the first block ({first}) comes after the last ({last})',
                    path, line)
    return (Passage(chapter, first, last),)  # type: ignore[arg-type]


def _number(digits: str | None) -> int | None:
    return None if digits is None else int(digits)


def resolve(book: Book, text: str, path: Path | None = None, line: int | None = None) -> list[Selection]:
    """The blocks `text` chooses from `book`; BuildError [passage] naming the reference."""
    return [_select(book, passage, text, path, line) for passage in parse(text, path, line)]


def _select(book: Book, passage: Passage, text: str, path: Path | None, line: int | None) -> Selection:
    chapter = book.chapter(passage.chapter)
    if chapter is None:
        numbers = ", ".join(str(c.number) for c in book.chapters)
        raise error("passage", f'passage "{text}": there is no chapter {passage.chapter} (chapters: {numbers})',
                    path, line)
    count = len(chapter.blocks)
    first = 1 if passage.first is None else passage.first
    last = count if passage.last is None else passage.last
    for number in (first, last):
        if not 1 <= number <= count:
            raise _out_of_range(text, chapter, number, path, line)
    blocks = tuple(b for b in chapter.blocks if first <= b.number <= last)
    return Selection(chapter, blocks, whole=passage.first is None)


def _out_of_range(text: str, chapter: Chapter, number: int, path: Path | None, line: int | None) -> BuildError:
    count = len(chapter.blocks)
    blocks = "1 block" if count == 1 else f"{count} blocks"
    return error("passage", f'passage "{text}": chapter {chapter.number} has {blocks}, so there is no block {number}',
                 path, line)
