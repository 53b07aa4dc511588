"""The plain-text chapter format of *Lessons in Tanya*.

Paragraphs are separated by blank lines; two or more blank lines begin a
new paragraph of the text's prose (Block.new_paragraph). Footnote numbers are glued to the
word they follow (`gevurah).1`, `skin,”2`, `ch. 31.4`); a number counts as
a note call only when it continues the chapter's running sequence 1, 2,
3…, so `Isaiah 41:8` and `ch. 36,` stay text. Note texts, when the file
has them, follow a line reading `Notes` as paragraphs `1. text`; a
paragraph there without a number continues the note before it. A `Notes`
line that no numbered note follows is an ordinary paragraph (with a
warning): nothing after it is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from press.bidi import isolate
from press.diagnostics import Reporter, processing
from press.hebrew import dominant_lang
from press.model import Chapter, Inline, NoteRef, Paragraph, SourceSpan, Text
from press.readers import common
from press.readers.notes import NoteText, collect

# A digit run glued to the end of a word or its closing punctuation, and
# not the verse of a `chapter:verse` reference.
_CANDIDATE = re.compile(r"(?<=[^\s\d])(?<!\d:)(\d+)(?=[\s,.;:!?)\]”’\"']|$)")
_DIGITS = re.compile(r"(\d+)")
_CALL_END = re.compile(r"[\s,.;:!?)\]”’\"']|$")


def _candidates(text: str) -> Iterator[re.Match[str]]:
    """_CANDIDATE's matches, found from the digit runs: its lookbehinds, tried at every position of
    the text, made it most of a chapter's reading time."""
    for found in _DIGITS.finditer(text):
        start = found.start()
        before = text[start - 1] if start else " "
        if before.isspace() or (before == ":" and start >= 2 and text[start - 2].isdecimal()):
            continue
        if _CALL_END.match(text, found.end()):
            yield found
_NOTES_HEADING = re.compile(r"^(notes|footnotes):?$", re.IGNORECASE)
_NOTE_TEXT = re.compile(r"^\[?(\d+)[.\])]\s+(.*)$", re.DOTALL)


def read(path: Path, position: int, reporter: Reporter) -> Chapter:
    fields, lines, first = common.front_matter(common.read_text(path), path)
    raw = common.paragraphs(lines, first)
    body, note_paragraphs = _split_notes(raw, path, reporter)
    counter = _NoteCounter()
    parsed = []
    for paragraph in body:
        with processing(path, paragraph.line):
            parsed.append(common.Parsed(_paragraph(paragraph, path, counter), new_paragraph=paragraph.new_paragraph))
    blocks = common.assemble(parsed)
    texts = _note_texts(note_paragraphs, path, reporter)
    number = common.chapter_number(fields, path, position)
    return Chapter(
        number=number,
        title=fields.get("title") or _title_from(path, number),
        title_he=fields.get("title_he", ""),
        blocks=blocks,
        notes=collect(blocks, texts, path, reporter),
        span=SourceSpan(path, 1),
    )


def _title_from(path: Path, number: int) -> str:
    words = re.sub(r"[-_]+", " ", path.stem).strip()
    return words[:1].upper() + words[1:] if words else f"Chapter {number}"


def _split_notes(raw: list[common.RawParagraph], path: Path, reporter: Reporter):
    """The body and the notes section: the paragraphs after a `Notes` line that a numbered note follows."""
    for index, paragraph in enumerate(raw):
        if _NOTES_HEADING.match(paragraph.text.strip()):
            following = raw[index + 1] if index + 1 < len(raw) else None
            if following is not None and _NOTE_TEXT.match(_joined(following)):
                return raw[:index], raw[index + 1:]
            reporter.warn("notes-heading", f"`{paragraph.text.strip()}` is not followed by a numbered note "
                          "(`1. …`), so it is read as a paragraph of the text", path, paragraph.line)
    return raw, []


class _NoteCounter:
    """The running note sequence of a chapter: the next number expected."""

    def __init__(self) -> None:
        self.next = 1

    def split(self, text: str) -> tuple[Inline, ...]:
        runs: list[Inline] = []
        position = 0
        for found in _candidates(text):
            if found.group(1) != str(self.next):  # compared as text: any digits, any length
                continue
            runs.append(Text(text[position:found.start()]))
            runs.append(NoteRef(found.group(1)))
            position = found.end()
            self.next += 1
        runs.append(Text(text[position:]))
        return tuple(r for r in runs if not (isinstance(r, Text) and not r.text))


def _joined(raw: common.RawParagraph) -> str:
    """A paragraph's lines, stripped and joined by spaces: its text as read."""
    return " ".join(line.strip() for line in raw.text.split("\n"))


def _paragraph(raw: common.RawParagraph, path: Path, counter: _NoteCounter) -> Paragraph:
    text = _joined(raw)
    lang = dominant_lang(text)
    return Paragraph(lang, isolate(counter.split(text), lang), SourceSpan(path, raw.line))  # type: ignore[arg-type]


def _note_texts(raw: list[common.RawParagraph], path: Path, reporter: Reporter) -> dict[str, NoteText]:
    """Each note's text; an unnumbered paragraph continues the note before it."""
    bodies: dict[str, tuple[str, int]] = {}
    last: str | None = None
    for paragraph in raw:
        text = _joined(paragraph)
        found = _NOTE_TEXT.match(text)
        if not found:  # the first paragraph is always a numbered note (_split_notes)
            assert last is not None
            body, line = bodies[last]
            bodies[last] = (f"{body} {text}", line)
            continue
        last = found.group(1)
        if last in bodies:
            reporter.warn("note-duplicate", f"note {last} already has its text (line {bodies[last][1]}); "
                          "this text is not used", path, paragraph.line)
            last = f"\0{last}"  # its continuations are not used either
            bodies[last] = ("", paragraph.line)
            continue
        bodies[last] = (found.group(2), paragraph.line)
    return {note_id: _note(body, line) for note_id, (body, line) in bodies.items() if not note_id.startswith("\0")}


def _note(body: str, line: int) -> NoteText:
    lang = dominant_lang(body)
    return NoteText(isolate((Text(body),), lang), lang, line)  # type: ignore[arg-type]
