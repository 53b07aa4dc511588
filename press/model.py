"""The document model: one immutable Book that every writer reads.

Readers build it, checks inspect it, writers render it; nothing mutates it.
Every block and note knows the file and line it came from, so any later
stage can point an author at the source of a problem.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Lang = Literal["en", "he"]
BlockKind = Literal["intro", "pair", "commentary", "heading"]
SectionKind = Literal["open", "closed"]

DIRECTION: dict[str, str] = {"en": "ltr", "he": "rtl"}


@dataclass(frozen=True, slots=True)
class SourceSpan:
    """Where something came from: a file and a 1-based line."""

    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class Text:
    """Plain characters, exactly as written in the source."""

    text: str


@dataclass(frozen=True, slots=True)
class Emphasis:
    """Emphasised (`strong=False`, italic) or strong (bold) inline content."""

    children: tuple[Inline, ...]
    strong: bool = False


@dataclass(frozen=True, slots=True)
class NoteRef:
    """A footnote call; `id` is the note's label as written in the source."""

    id: str


@dataclass(frozen=True, slots=True)
class Span:
    """A phrase in the other language, with all its inline markup inside.

    Writers give it its own `lang` and `dir`: WeasyPrint has no bidi
    algorithm across inline elements, so a direction change must be one
    element.
    """

    lang: Lang
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class PageBreak:
    """Where a page of the printed edition begins. Readers never make one:
    the EPUB writer inserts them (press/engine/pagetrace.py) so that an
    e-book can mark the print edition's page boundaries."""

    label: str  # the page number as printed
    anchor: str  # a unique id, e.g. "page-12"
    lang: Lang  # the language of the text around it


@dataclass(frozen=True, slots=True)
class SectionBreak:
    """Where a section of the Hebrew Bible ends, as its manuscripts mark it: an open section
    (petuchah, `open`, the Masorah edition's {פ}) or a closed one (setumah, `closed`, {ס}).
    It has no characters of its own: the editions print the mark (templates/base/macros.html)."""

    kind: SectionKind

    @property
    def braced(self) -> str:
        """The mark as the Masorah edition's text and this project's Markdown spell it: {פ} or {ס}."""
        return "{" + SECTION_LETTERS[self.kind] + "}"


# The letter each kind is marked with in the Masorah edition and in print (פ petuchah, ס setumah).
SECTION_LETTERS: dict[str, str] = {"open": "\u05e4", "closed": "\u05e1"}


Inline = Text | Emphasis | NoteRef | Span | PageBreak | SectionBreak


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph of one language."""

    lang: Lang
    runs: tuple[Inline, ...]
    span: SourceSpan

    @property
    def dir(self) -> str:
        return DIRECTION[self.lang]


@dataclass(frozen=True, slots=True)
class Block:
    """A unit of the chapter: an English/Hebrew pair, commentary, etc.

    A pair holds both paragraphs; other kinds hold the one they have.
    `number` counts blocks from 1 within the chapter; passages cite it.
    Each paragraph of the source files is a block; `new_paragraph` marks
    where the text's own prose paragraphs begin.
    """

    kind: BlockKind
    number: int
    en: Paragraph | None
    he: Paragraph | None
    span: SourceSpan
    # The source begins a new paragraph of its prose here (two blank lines before it in a text or
    # Markdown chapter): a layout that runs pairs on as one paragraph starts a new one.
    new_paragraph: bool = False

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(p for p in (self.en, self.he) if p is not None)

    def paragraph(self, lang: str) -> Paragraph | None:
        return self.en if lang == "en" else self.he


@dataclass(frozen=True, slots=True)
class Note:
    """A footnote's text; `runs` is None when the source never gives it."""

    id: str
    lang: Lang
    runs: tuple[Inline, ...] | None
    span: SourceSpan

    @property
    def dir(self) -> str:
        return DIRECTION[self.lang]


@dataclass(frozen=True, slots=True)
class Chapter:
    number: int
    title: str
    title_he: str
    blocks: tuple[Block, ...]
    notes: tuple[Note, ...]
    span: SourceSpan
    numbered: bool = False  # its blocks carry the source's numbers (verses), which the editions print

    @property
    def slug(self) -> str:
        return f"chapter-{self.number}"

    def note(self, note_id: str) -> Note | None:
        return _note_index(self.notes).get(note_id)

    def title_in(self, lang: str) -> str:
        return self.title_he if lang == "he" else self.title


@dataclass(frozen=True, slots=True)
class Credit:
    """A published version the book's text comes from (a Sefaria text): credited in the front matter
    and the EPUB's metadata."""

    title: str
    lang: Lang
    version: str  # the version's title, e.g. "The Holy Scriptures: A New Translation (JPS 1917)"
    source: str  # where the version comes from (a URL)
    license: str

    @property
    def line(self) -> str:
        """How the front matter credits it: "English text: VERSION (LICENCE)"."""
        language = {"en": "English", "he": "Hebrew"}[self.lang]
        licence = f" ({self.license})" if self.license else ""
        return f"{language} text: {self.version or self.title}{licence}, from Sefaria"


@dataclass(frozen=True, slots=True)
class Book:
    title: str
    title_he: str
    author: str
    primary: Lang
    chapters: tuple[Chapter, ...]
    settings: object = field(compare=False)  # press.config.Settings; typed loosely to avoid a cycle
    credits: tuple[Credit, ...] = ()  # the versions the text was read from, if any

    def chapter(self, number: int) -> Chapter | None:
        return next((c for c in self.chapters if c.number == number), None)

    @property
    def languages(self) -> tuple[Lang, Lang]:
        """Both languages, the leading one first."""
        return ("he", "en") if self.primary == "he" else ("en", "he")

    def title_in(self, lang: str) -> str:
        return (self.title_he or self.title) if lang == "he" else self.title

    def title_lang(self, lang: str) -> Lang:
        """The language `title_in(lang)` is written in: English where the book has no Hebrew title."""
        return "he" if lang == "he" and self.title_he else "en"

    def titles(self, langs: tuple[str, ...]) -> tuple[tuple[Lang, str], ...]:
        """The title in each of `langs` the book has one in, in that order: a book without a Hebrew
        title prints its English title once, as English."""
        own = tuple((lang, self.title_in(lang)) for lang in langs if self.title_lang(lang) == lang)
        return own or (("en", self.title),)


# The notes of the chapters last asked for, each by id: Chapter.note is asked once a call, so a scan
# of the tuple made a chapter of 10,000 notes cost 50 million comparisons. Kept by the tuple's
# identity (it is held here, so its id cannot be reused while kept), for a few chapters at a time.
_NOTE_INDEXES: dict[int, tuple[tuple[Note, ...], dict[str, Note]]] = {}


def _note_index(notes: tuple[Note, ...]) -> dict[str, Note]:
    kept = _NOTE_INDEXES.get(id(notes))
    if kept is None or kept[0] is not notes:
        if len(_NOTE_INDEXES) >= 8:
            _NOTE_INDEXES.clear()
        index: dict[str, Note] = {}
        for note in notes:
            index.setdefault(note.id, note)  # the first, as the scan found
        kept = _NOTE_INDEXES[id(notes)] = (notes, index)
    return kept[1]


def plain_text(runs: tuple[Inline, ...] | None) -> str:
    """The characters of `runs` without markup and without note calls."""
    if runs is None:
        return ""
    return "".join(_plain(run) for run in runs)


def _plain(run: Inline) -> str:
    if isinstance(run, Text):
        return run.text
    if isinstance(run, (NoteRef, PageBreak, SectionBreak)):
        return ""
    return plain_text(run.children)


def pair_runs(blocks: tuple[Block, ...], run_on: bool = True,
              languages: Sequence[str] = ("en", "he")) -> tuple[tuple[Block, ...], ...]:
    """The blocks in runs, for a layout that sets consecutive pairs as one paragraph of one of
    `languages`: a run is consecutive pairs, with any block the layout does not print between them
    (English commentary in a Hebrew-only book is not there to interrupt the Hebrew's prose), and it
    ends at a printed block of another kind (commentary, a heading) or before a paragraph break of
    the source (`new_paragraph`). Every other block is a run of its own; with `run_on` false, every
    block is."""
    runs: list[list[Block]] = []
    open_run = False  # the last run is one that the next pair may join
    for block in blocks:
        joins = run_on and (block.kind == "pair" or not any(block.paragraph(lang) for lang in languages))
        if joins and open_run and not block.new_paragraph:
            runs[-1].append(block)
        else:
            runs.append([block])
        open_run = joins
    return tuple(tuple(run) for run in runs)


def note_refs(runs: tuple[Inline, ...]) -> list[str]:
    """Note ids called in `runs`, in reading order."""
    return [run.id for run in _leaves(runs) if isinstance(run, NoteRef)]


def section_breaks(runs: tuple[Inline, ...]) -> list[SectionBreak]:
    """The section breaks in `runs`, in reading order."""
    return [run for run in _leaves(runs) if isinstance(run, SectionBreak)]


def _leaves(runs: tuple[Inline, ...]) -> Iterator[Inline]:
    """The runs that hold no runs (text, note calls, breaks), inside emphasis and spans, in reading order."""
    for run in runs:
        if isinstance(run, (Emphasis, Span)):
            yield from _leaves(run.children)
        else:
            yield run
