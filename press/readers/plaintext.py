"""The plain-text chapter format of *Lessons in Tanya*.

Paragraphs are separated by blank lines. Footnote numbers are glued to the
word they follow (`gevurah).1`, `skin,”2`, `ch. 31.4`); a number counts as
a note call only when it continues the chapter's running sequence 1, 2,
3…, so `Isaiah 41:8` and `ch. 36,` stay text. Note texts, when the file
has them, follow a line reading `Notes` as paragraphs `1. text`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from press.bidi import isolate
from press.diagnostics import Reporter
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
    body, note_paragraphs = _split_notes(raw)
    counter = _NoteCounter()
    parsed = [common.Parsed(_paragraph(p, path, counter)) for p in body]
    blocks = common.assemble(parsed)
    texts = _note_texts(note_paragraphs)
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


def _split_notes(raw: list[common.RawParagraph]):
    for index, paragraph in enumerate(raw):
        if _NOTES_HEADING.match(paragraph.text.strip()):
            return raw[:index], raw[index + 1:]
    return raw, []


class _NoteCounter:
    """The running note sequence of a chapter: the next number expected."""

    def __init__(self) -> None:
        self.next = 1

    def split(self, text: str) -> tuple[Inline, ...]:
        runs: list[Inline] = []
        position = 0
        for found in _candidates(text):
            if int(found.group(1)) != self.next:
                continue
            runs.append(Text(text[position:found.start()]))
            runs.append(NoteRef(found.group(1)))
            position = found.end()
            self.next += 1
        runs.append(Text(text[position:]))
        return tuple(r for r in runs if not (isinstance(r, Text) and not r.text))


def _paragraph(raw: common.RawParagraph, path: Path, counter: _NoteCounter) -> Paragraph:
    text = " ".join(line.strip() for line in raw.text.split("\n"))
    lang = dominant_lang(text)
    return Paragraph(lang, isolate(counter.split(text), lang), SourceSpan(path, raw.line))  # type: ignore[arg-type]


def _note_texts(raw: list[common.RawParagraph]) -> dict[str, NoteText]:
    texts: dict[str, NoteText] = {}
    for paragraph in raw:
        found = _NOTE_TEXT.match(" ".join(paragraph.text.split("\n")))
        if not found:
            continue
        body = found.group(2)
        lang = dominant_lang(body)
        texts[found.group(1)] = NoteText(isolate((Text(body),), lang), lang, paragraph.line)  # type: ignore[arg-type]
    return texts
