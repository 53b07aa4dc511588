"""What a sheet prints: its items resolved against the book, ready for the templates.

Passage items become `PassageView`s (the reference as printed, one `Part`
per chapter share, the notes their shown paragraphs call); the teacher's
text becomes `TextView`s of Paragraphs (the sheet-file reader's
`teacher_paragraph`: parsed and bidi-isolated like a source paragraph).
Which languages are shown is data (a tuple of language codes); how they
are laid out is the templates' and stylesheets' business.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from press.model import (
    Block,
    Book,
    Chapter,
    Lang,
    Note,
    Paragraph,
    SourceSpan,
    note_refs,
    plain_text,
)
from press.passage import label, parse, select
from press.readers.sheetfile import PassageItem, SheetSpec, TextItem, teacher_paragraph


@dataclass(frozen=True, slots=True)
class ChapterView:
    """A chapter as one item of the sheet sees it: its ids are unique on the sheet."""

    chapter: Chapter
    prefix: str

    @property
    def slug(self) -> str:
        return f"{self.prefix}-{self.chapter.slug}"

    @property
    def number(self) -> int:
        return self.chapter.number

    @property
    def title(self) -> str:
        """The English title, or "" when it only repeats the chapter's number."""
        return "" if self.chapter.title == f"Chapter {self.chapter.number}" else self.chapter.title

    @property
    def title_he(self) -> str:
        return self.chapter.title_he

    def note(self, note_id: str) -> Note | None:
        return self.chapter.note(note_id)


@dataclass(frozen=True, slots=True)
class Row:
    """One block with the paragraphs the sheet shows of it."""

    block: Block
    en: Paragraph | None
    he: Paragraph | None

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(p for p in (self.en, self.he) if p is not None)


@dataclass(frozen=True, slots=True)
class Part:
    """One chapter's share of a passage."""

    chapter: ChapterView
    rows: tuple[Row, ...]
    opens_chapter: bool  # the first part of its chapter in this passage: print the chapter's titles
    gap_before: bool  # the same chapter as the part before, with blocks left out between


@dataclass(frozen=True, slots=True)
class NoteGroup:
    chapter: ChapterView
    notes: tuple[Note, ...]


@dataclass(frozen=True, slots=True)
class PassageView:
    id: str
    reference: str  # "Lessons in Tanya 45:3–8"
    parts: tuple[Part, ...]
    notes: tuple[NoteGroup, ...]
    lines: int
    kind: str = "passage"


@dataclass(frozen=True, slots=True)
class TextView:
    id: str
    kind: str  # a TEXT_KINDS name: the templates give each its look
    en: Paragraph | None
    he: Paragraph | None
    lines: int
    number: int | None  # a question's number on the sheet

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(p for p in (self.en, self.he) if p is not None)


View = PassageView | TextView


@dataclass(frozen=True, slots=True)
class SheetView:
    """The sheet as the templates see it."""

    spec: SheetSpec
    title: Paragraph
    title_he: Paragraph | None
    subtitle: Paragraph | None
    date: Paragraph | None
    items: tuple[View, ...]

    @property
    def plain_title(self) -> str:
        return plain_text(self.title.runs)


def sheet_view(book: Book, spec: SheetSpec) -> SheetView:
    """Resolve every item; BuildError [passage] naming the sheet file and line."""
    where = SourceSpan(spec.path or Path("<sheet>"), 1)
    items: list[View] = []
    questions = 0
    for index, item in enumerate(spec.items, 1):
        if isinstance(item, PassageItem):
            items.append(_passage(book, spec, item, f"i{index}"))
        else:
            questions += item.kind == "question"
            items.append(_text(item, spec, f"i{index}", questions if item.kind == "question" else None))
    return SheetView(spec, teacher_paragraph(spec.title or book.title, "en", where),
                     _optional(spec.title_he, "he", where), _optional(spec.subtitle, "en", where),
                     _optional(spec.date, "en", where), tuple(items))


def _passage(book: Book, spec: SheetSpec, item: PassageItem, prefix: str) -> PassageView:
    selections = [s for p in item.passages for s in select(book, p, item.reference, spec.path, item.line)]
    views: dict[int, ChapterView] = {}
    parts = []
    for previous, selection in zip((None, *selections), selections, strict=False):
        chapter = views.setdefault(selection.chapter.number, ChapterView(selection.chapter, prefix))
        rows = tuple(r for r in (_row(b, spec.languages) for b in selection.blocks) if r.paragraphs)
        same = previous is not None and previous.chapter is selection.chapter
        parts.append(Part(chapter, rows, opens_chapter=not same,
                          gap_before=same and previous.last + 1 < selection.first))  # type: ignore[union-attr]
    # A reference that names its book (`Ruth 1:16-17`) is printed as written: citing the book's
    # title before it again would print "Ruth Ruth 1:16–17".
    named = bool(item.passages and item.passages[0].book)
    cite = "" if named else book.settings.title if spec.cite is None else spec.cite  # type: ignore[attr-defined]
    reference = item.heading or f"{cite} {label(item.passages)}".strip()
    return PassageView(prefix, reference, tuple(parts), _notes(parts), item.lines)


def _row(block: Block, languages: tuple[str, ...]) -> Row:
    return Row(block, block.en if "en" in languages else None, block.he if "he" in languages else None)


def _notes(parts: list[Part]) -> tuple[NoteGroup, ...]:
    """The notes the shown paragraphs call, by chapter, in calling order, once each."""
    called: dict[int, dict[str, None]] = {}
    views: dict[int, ChapterView] = {}
    for part in parts:
        views[part.chapter.number] = part.chapter
        ids = called.setdefault(part.chapter.number, {})
        ids.update(dict.fromkeys(ref for r in part.rows for p in r.paragraphs for ref in note_refs(p.runs)))
    groups = []
    for number, ids in called.items():
        notes = tuple(n for n in map(views[number].note, ids) if n is not None and n.runs is not None)
        if notes:
            groups.append(NoteGroup(views[number], notes))
    return tuple(groups)


def _text(item: TextItem, spec: SheetSpec, prefix: str, number: int | None) -> TextView:
    where = SourceSpan(spec.path or Path("<sheet>"), item.line or 1)
    given = {"en": item.en, "he": item.he}
    shown = [lang for lang in ("en", "he") if given[lang] and lang in spec.languages]
    if not shown:  # the teacher wrote it in the other language only: print it rather than lose it
        shown = [lang for lang in ("en", "he") if given[lang]]
    en, he = (teacher_paragraph(given[lang], lang, where) if lang in shown else None  # type: ignore[arg-type]
              for lang in ("en", "he"))
    return TextView(prefix, item.kind, en, he, item.lines, number)


def _optional(text: str, lang: Lang, where: SourceSpan) -> Paragraph | None:
    return teacher_paragraph(text, lang, where) if text else None


def excerpt(book: Book, sheet: SheetView) -> Book:
    """The book cut down to what the sheet prints, for the font-coverage check."""
    chapters: dict[int, Chapter] = {}
    for item in sheet.items:
        if isinstance(item, PassageView):
            for part in item.parts:
                known = chapters.get(part.chapter.number, replace(part.chapter.chapter, blocks=(), notes=()))
                blocks = known.blocks + tuple(r.block for r in part.rows)
                notes = tuple(n for g in item.notes if g.chapter.number == known.number for n in g.notes)
                chapters[known.number] = replace(known, blocks=blocks, notes=known.notes + notes)
    own = [sheet.title, sheet.title_he, sheet.subtitle, sheet.date,
           *(p for item in sheet.items if isinstance(item, TextView) for p in item.paragraphs)]
    blocks = tuple(Block("commentary", n, p if p.lang == "en" else None, p if p.lang == "he" else None, p.span)
                   for n, p in enumerate((p for p in own if p is not None), 1))
    teacher = Chapter(0, "", "", blocks, (), SourceSpan(Path("<sheet>"), 1))
    return replace(book, chapters=(*chapters.values(), teacher))


def quick_spec(book: Book, reference: str, path: Path | None = None, line: int | None = None) -> SheetSpec:
    """The sheet of `build.py sheet --passage REF`: one passage, the book's options."""
    return SheetSpec(name="sheet", items=(PassageItem(reference, parse(reference, path, line), 0, line),),
                     path=path, title=book.title)

