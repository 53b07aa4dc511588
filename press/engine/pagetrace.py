"""The page trace: where laid-out pages begin, as places in the model.

The EPUB marks the print edition's page boundaries (a page-list and
`epub:type="pagebreak"` markers), so that a class reading on different
devices can say "page 12" and mean the words a printed copy's page 12
starts with. The boundaries are never guessed: the print edition's
workers trace each chapter's pages as they lay them out (`trace_pages`),
each page's first text back to a chapter, block, paragraph and character
offset of the model; the book edition hands them out as `PageStart`s
(press.editions.book.page_starts), and the EPUB puts a marker there.

What this reads of a print layout (true of every layout in templates/):
a chapter's element has the chapter's slug as its id, a block's element
carries `data-block`, and the nearest block-level element around a text
carries the paragraph's `lang` (or the block's element itself does: a pair's
text set inline, in a layout that runs pairs on as one paragraph). The page number is the text of the margin
box that shows `counter(page)`, so arabic and Hebrew folios are labelled as
printed; a page that prints no folio (front matter, blank pages) is not
listed. A page that begins inside a word (a hyphenated line) is marked
before that word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from press.model import Chapter, plain_text

# Characters that a layout may add, drop or reorder without changing the
# words: spaces (collapsed), format characters (soft hyphens, joiners) and
# combining marks (Hebrew points, whose order a font fix may change).
_IGNORED = ("Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me")
# Quotation marks, apostrophes, geresh and gershayim: the editions print the source's ASCII
# quotes as typographic ones (press/typography.py).
_QUOTES = frozenset("\"'“”‘’„‚\u05f3\u05f4")


@dataclass(frozen=True, slots=True)
class PageStart:
    """A printed page's number and the place in the model where it begins."""

    label: str  # the folio as printed
    physical: int  # the page's position in book.pdf, from 1
    chapter: str  # the chapter's slug
    block: int | None  # None: the chapter's head (its titles)
    lang: str | None  # the paragraph's language in the block
    offset: int  # into plain_text() of that paragraph, at the start of a word

    @property
    def anchor(self) -> str:
        """The marker's id: `page-12`, or by position for a folio that is not ASCII."""
        plain = self.label.isascii() and self.label.isalnum()
        return f"page-{self.label}" if plain else f"page-p{self.physical}"


@dataclass(frozen=True, slots=True)
class _Where:
    """What a box of the print layout belongs to, inherited down the box tree."""

    chapter: str | None = None
    block: int | None = None
    lang: str | None = None


# Where a page's first text begins in its chapter: (block, lang, offset), as in PageStart.
Place = tuple[int | None, str | None, int]


def trace_pages(chapter: Chapter, pages: list[Any]) -> tuple[Place | None, ...]:
    """Where each of a chapter's laid-out pages begins in the model (None: no model text on it)."""
    tracer = _Tracer((chapter,))
    return tuple(None if (first := tracer.first_on(page)) is None else first[1:] for page in pages)


def page_starts_of(chapters: tuple[Chapter, ...], pages: list[Any]) -> tuple[PageStart, ...]:
    """The PageStart of every page of a book laid out as one run of pages, numbered from 1, that has a
    folio and model text: the reference the parallel build's trace is tested against."""
    tracer = _Tracer(chapters)
    starts = ((physical, tracer.first_on(page), folio(page._page_box)) for physical, page in enumerate(pages, 1))
    return tuple(PageStart(label, physical, *first) for physical, first, label in starts if first and label)


def folio(page_box: Any) -> str:
    """The page number printed on a page: the margin box showing counter(page)."""
    for box in page_box.children:
        content = box.style["content"] if type(box).__name__ == "MarginBox" else ()
        if any(_counts_pages(item) for item in content or ()):
            return "".join(text for _, text in _texts(box, _Where(), frozenset())).strip()
    return ""


def _counts_pages(item: Any) -> bool:
    return isinstance(item, tuple) and item[0] in ("counter()", "counters()") and item[1][0] == "page"


def _flow(page_box: Any, slugs: frozenset[str]) -> Iterator[tuple[_Where, str]]:
    """The texts of a page's main flow: not its margin boxes (running heads,
    folios) nor its footnote area."""
    for child in page_box.children:
        if type(child).__name__ not in ("MarginBox", "FootnoteAreaBox"):
            yield from _texts(child, _Where(), slugs)


def _texts(box: Any, where: _Where, slugs: frozenset[str]) -> Iterator[tuple[_Where, str]]:
    """The text boxes under `box`, in order, each with where it belongs;
    generated content (::footnote-call, ::before) is not the book's text."""
    if "::" in (box.element_tag or ""):
        return
    where = _enter(where, box, slugs)
    if type(box).__name__ == "TextBox":
        if box.text.strip():
            yield where, box.text
        return
    for child in getattr(box, "children", None) or ():
        yield from _texts(child, where, slugs)


def _enter(where: _Where, box: Any, slugs: frozenset[str]) -> _Where:
    element = box.element
    if element is None:
        return where
    if element.get("id") in slugs:
        where = _Where(chapter=element.get("id"))
    block = element.get("data-block", "")
    if block.isdigit():
        where = replace(where, block=int(block), lang=None)
    # A block set inline (a pair's text in a paragraph of run-on pairs) carries its own lang.
    if element.get("lang") and (_is_block_container(box) or block.isdigit()):
        where = replace(where, lang=element.get("lang"))
    return where


def _is_block_container(box: Any) -> bool:
    from weasyprint.formatting_structure import boxes

    return isinstance(box, boxes.BlockContainerBox) and not isinstance(box, boxes.InlineBlockBox)


class _Tracer:
    """Follows each paragraph's printed text through the model's text."""

    def __init__(self, chapters: tuple[Chapter, ...]) -> None:
        self.slugs = frozenset(chapter.slug for chapter in chapters)
        self.texts = {(c.slug, b.number, p.lang): plain_text(p.runs)
                      for c in chapters for b in c.blocks for p in b.paragraphs}
        self.significant: dict[tuple[str, int, str], _Significant] = {}
        self.cursor: dict[tuple[str, int, str], int] = {}  # in the significant characters
        self.seen: set[str] = set()  # chapters whose blocks have begun

    def first_on(self, page: Any) -> tuple[str, int | None, str | None, int] | None:
        """Where a laid-out page's first model text begins, or None when it has none."""
        # Every text of the page, not just up to the first: the cursors must pass them all.
        places = [self.place(where, text) for where, text in _flow(page._page_box, self.slugs)]
        return next((p for p in places if p is not None), None)

    def place(self, where: _Where, text: str) -> tuple[str, int | None, str | None, int] | None:
        """Where `text` begins in the model, or None when it is not the model's text."""
        if where.chapter is None:
            return None
        if where.block is None:  # a chapter's head, before its first block only
            return None if where.chapter in self.seen else (where.chapter, None, None, 0)
        self.seen.add(where.chapter)
        key = (where.chapter, where.block, where.lang or "")
        model = self.texts.get(key)
        if model is None:
            return None
        if key not in self.significant:
            self.significant[key] = _Significant.of(model)
        significant = self.significant[key]
        found = _match(significant.chars, self.cursor.get(key, 0), _significant(text))
        if found is None:
            return None  # a note call's number, or text the layout added
        start, end = found
        self.cursor[key] = end
        return (where.chapter, where.block, where.lang, _word_start(model, significant.positions[start]))


class _SignificantTable(dict):
    """A str.translate table for text matching: every character to one character, spaces, format
    characters and marks to NUL (dropped), letters to lower case (where that is one character)."""

    def __missing__(self, code_point: int) -> str:
        char = chr(code_point)
        lower = char.lower()
        ignored = unicodedata.category(char) in _IGNORED or char in _QUOTES
        kept = "\0" if ignored else lower if len(lower) == 1 else char
        self[code_point] = kept
        return kept


_SIGNIFICANT = _SignificantTable()
_KEPT = re.compile("[^\0]")


def _significant(text: str) -> str:
    return text.translate(_SIGNIFICANT).replace("\0", "")


@dataclass(frozen=True, slots=True)
class _Significant:
    """A model text's significant characters, and where each stands in it."""

    chars: str
    positions: tuple[int, ...]

    @classmethod
    def of(cls, model: str) -> _Significant:
        marked = model.translate(_SIGNIFICANT)
        return cls(marked.replace("\0", ""), tuple(found.start() for found in _KEPT.finditer(marked)))


def _match(model: str, at: int, text: str) -> tuple[int, int] | None:
    """(start, end) of `text` in `model` from `at`, both in significant characters (_SIGNIFICANT).

    A hyphen the layout added at the end of a hyphenated line is allowed.
    """
    if text and model.startswith(text, at):
        return at, at + len(text)
    if len(text) > 1 and unicodedata.category(text[-1]) == "Pd" and model.startswith(text[:-1], at):
        return at, at + len(text) - 1
    return None


def _word_start(text: str, offset: int) -> int:
    while offset > 0 and not text[offset - 1].isspace():
        offset -= 1
    return offset
