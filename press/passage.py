"""Passage references: which blocks of which chapters a study sheet prints.

A reference names a chapter by `Chapter.number` and blocks by
`Block.number`:

    45            the whole chapter
    45:3          one block
    45:3-8        a range of blocks
    45:40-46:2    a range across chapters (chapters between are whole)
    45-46         whole chapters
    45:3-8, 46:1  a list (`,` or `;`)

A reference may begin with the book's name, in English or Hebrew, and
a Hebrew one may number in Hebrew letters: `Ruth 1:16-17`, `Ruth 1:16-2:3`,
`רות א:טז-יז` (press/editions/sheet checks the name against the book).

In a list, as in printed citations, a bare number after a comma that
follows an element naming blocks is another block of the same chapter
(`45:3, 5-7` is blocks 3 and 5 to 7 of chapter 45); after a semicolon, or
after a whole chapter, it is a chapter (`45:3; 46`).

`parse` needs no book; `resolve` checks the reference against the book
and returns one `Selection` per chapter part, in reading order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from press.diagnostics import BuildError, error
from press.model import Block, Book, Chapter, Note, note_refs

FORMS = "CHAPTER, CHAPTER:BLOCK, CHAPTER:FIRST-LAST or CHAPTER:BLOCK-CHAPTER:BLOCK, or a list (e.g. 45:3-8, 46:1)"
_DASH = r"\s*[-–]\s*"
_ELEMENT = re.compile(
    rf"(?P<c1>\d+)(?::(?P<b1>\d+))?(?:{_DASH}(?:(?P<c2>\d+):)?(?P<b2>\d+))?")
_SEPARATOR = re.compile(r"\s*([,;])\s*")
MAX_DIGITS = 6  # as for chapter numbers (press/readers/common.py)


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:60] + "…"


@dataclass(frozen=True, slots=True)
class Passage:
    """Blocks `first` of `chapter` to `last` of `end_chapter` (None: the same chapter).

    `first`/`last` None mean the chapter's own start/end.
    """

    chapter: int
    first: int | None = None
    last: int | None = None
    end_chapter: int | None = None
    book: str = ""  # the book's name as the reference wrote it, if it did
    hebrew: bool = False  # numbered in Hebrew letters (printed so)

    @property
    def final_chapter(self) -> int:
        return self.chapter if self.end_chapter is None else self.end_chapter

    @property
    def label(self) -> str:
        """The reference as printed: `45:3–8`, `45:40–46:2`, `45`."""
        n = _numeral if self.hebrew else str
        start = n(self.chapter) if self.first is None else f"{n(self.chapter)}:{n(self.first)}"
        if self.end_chapter is not None:
            end = n(self.end_chapter) if self.last is None else f"{n(self.end_chapter)}:{n(self.last)}"
            return f"{start}–{end}"
        return start if self.last in (None, self.first) else f"{start}–{n(self.last)}"


@dataclass(frozen=True, slots=True)
class Selection:
    """A passage resolved against the book: one chapter and its chosen blocks."""

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


def label(passages: tuple[Passage, ...]) -> str:
    """A list of passages as printed: `45:3–8, 46:1`, `45:3, 5–7`."""
    printed = ""
    for previous, passage in zip((None, *passages), passages, strict=False):
        after_blocks = previous is not None and previous.last is not None
        continues = (after_blocks and passage.first is not None and passage.end_chapter is None
                     and previous.final_chapter == passage.chapter)
        separator = "" if previous is None else "; " if after_blocks and passage.first is None else ", "
        printed += separator + (passage.label.partition(":")[2] if continues else passage.label)
    return f"{passages[0].book} {printed}" if passages and passages[0].book else printed


def parse(text: str, path: Path | None = None, line: int | None = None) -> tuple[Passage, ...]:
    """The passages `text` names; BuildError [passage] when it is malformed."""
    name, numbers, hebrew = _named(text.strip())
    pieces = _SEPARATOR.split(numbers)  # element, separator, element, ...
    passages: list[Passage] = []
    for index in range(0, len(pieces), 2):
        continues = index > 0 and pieces[index - 1] == ","
        previous = passages[-1] if continues else None
        passages.append(replace(_element(pieces[index], previous, text, path, line), book=name, hebrew=hebrew))
    return tuple(passages)


_NAMED = re.compile(r"(?P<name>\S.*?)\s+(?P<numbers>[\d\u05d0-\u05ea'\"\u05f3\u05f4]+(?:\s*[:,;–-].*)?)")
_HEBREW_NUMBER = re.compile(r"[\u05d0-\u05ea]+['\"\u05f3\u05f4]?[\u05d0-\u05ea]*")
_LETTER_VALUES = dict(zip("אבגדהוזחטיכלמנסעפצקרשתךםןףץ",
                          (*range(1, 10), *range(10, 100, 10), 100, 200, 300, 400, 20, 40, 50, 80, 90), strict=True))


def _named(text: str) -> tuple[str, str, bool]:
    """(the book's name, the reference in digits, whether it was in Hebrew letters)."""
    found = _NAMED.fullmatch(text)
    if found is None or _ELEMENT.match(found["name"]):
        return "", text, False
    numbers = found["numbers"]
    digits = _HEBREW_NUMBER.sub(lambda m: str(_value(m.group())), numbers)
    return found["name"].strip(), digits, digits != numbers


def _value(numeral: str) -> int:
    return sum(_LETTER_VALUES.get(letter, 0) for letter in numeral)


def _numeral(number: int) -> str:
    from press.hebrew import hebrew_numeral

    return hebrew_numeral(number)


def _element(element: str, previous: Passage | None, text: str, path: Path | None, line: int | None) -> Passage:
    found = _ELEMENT.fullmatch(element)
    if found is None:
        raise error("passage", f'malformed passage "{_short(text)}": expected {FORMS}', path, line)
    longest = max((found[g] for g in ("c1", "b1", "c2", "b2") if found[g]), key=len)
    if len(longest) > MAX_DIGITS:
        raise error("passage", f'passage "{_short(text)}": a number of {len(longest)} digits; chapter and block '
                    f"numbers have at most {MAX_DIGITS}", path, line)
    c1, b1, c2, b2 = (None if found[g] is None else int(found[g]) for g in ("c1", "b1", "c2", "b2"))
    if b1 is None and c2 is None and previous is not None and previous.last is not None:
        # `45:3, 5-7`: bare numbers continue the previous element's chapter
        c1, b1, b2 = previous.final_chapter, c1, b2
    if b1 is None and c2 is None:  # `45` or `45-46`: whole chapters
        return _checked(Passage(c1, end_chapter=b2), text, path, line)  # type: ignore[arg-type]
    if b1 is None:  # `45-46:2`: a chapter cannot be followed by a block
        raise error("passage", f'malformed passage "{text}": expected {FORMS}', path, line)
    if c2 is None or c2 == c1:
        return _checked(Passage(c1, b1, b1 if b2 is None else b2), text, path, line)  # type: ignore[arg-type]
    return _checked(Passage(c1, b1, b2, end_chapter=c2), text, path, line)  # type: ignore[arg-type]


def _checked(passage: Passage, text: str, path: Path | None, line: int | None) -> Passage:
    if passage.end_chapter is not None and passage.end_chapter < passage.chapter:
        raise error("passage", f'passage "{text}": chapter {passage.chapter} comes after chapter '
                    f"{passage.end_chapter}", path, line)
    if passage.end_chapter is None and passage.first is not None and passage.last is not None \
            and passage.first > passage.last:
        raise error("passage", f'passage "{text}": the first block ({passage.first}) comes after the last '
                    f"({passage.last})", path, line)
    return passage


def resolve(book: Book, text: str, path: Path | None = None, line: int | None = None) -> list[Selection]:
    """The blocks `text` chooses from `book`; BuildError [passage] naming the reference."""
    return [s for passage in parse(text, path, line) for s in select(book, passage, text, path, line)]


def select(book: Book, passage: Passage, text: str, path: Path | None = None,
           line: int | None = None) -> list[Selection]:
    """One Selection per chapter `passage` reaches, in book order."""
    _check_name(book, passage, text, path, line)
    start, end = (_chapter(book, n, text, path, line) for n in (passage.chapter, passage.final_chapter))
    chapters = book.chapters[book.chapters.index(start): book.chapters.index(end) + 1]
    if not chapters:
        raise error("passage", f'passage "{text}": chapter {end.number} comes before chapter {start.number} '
                    "in the book", path, line)
    return [_blocks(chapter, passage.first if chapter is start else None,
                    passage.last if chapter is end else None, text, path, line) for chapter in chapters]


def _check_name(book: Book, passage: Passage, text: str, path: Path | None, line: int | None) -> None:
    names = {book.title, book.title_he, *(credit.title for credit in book.credits)} - {""}
    if passage.book and passage.book.casefold() not in {name.casefold() for name in names}:
        titles = " or ".join(f'"{name}"' for name in sorted(names))
        raise error("passage", f'passage "{text}": this book is {titles}, not "{passage.book}"', path, line)


def _chapter(book: Book, number: int, text: str, path: Path | None, line: int | None) -> Chapter:
    chapter = book.chapter(number)
    if chapter is None:
        numbers = ", ".join(str(c.number) for c in book.chapters)
        raise error("passage", f'passage "{text}": there is no chapter {number} (chapters: {numbers})',
                    path, line)
    return chapter


def _blocks(chapter: Chapter, first: int | None, last: int | None, text: str,
            path: Path | None, line: int | None) -> Selection:
    count = len(chapter.blocks)
    low = 1 if first is None else first
    high = count if last is None else last
    for number in (low, high):
        if not 1 <= number <= count:
            raise _out_of_range(text, chapter, number, path, line)
    blocks = tuple(b for b in chapter.blocks if low <= b.number <= high)
    return Selection(chapter, blocks, whole=first is None and last is None)


def _out_of_range(text: str, chapter: Chapter, number: int, path: Path | None, line: int | None) -> BuildError:
    count = len(chapter.blocks)
    blocks = "1 block" if count == 1 else f"{count} blocks"
    return error("passage", f'passage "{text}": chapter {chapter.number} has {blocks}, so there is no block {number}',
                 path, line)
