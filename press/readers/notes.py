"""Pair note calls with note texts, warning about either missing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from press.diagnostics import Reporter
from press.model import Block, Inline, Lang, Note, SourceSpan, note_refs


@dataclass(frozen=True, slots=True)
class NoteText:
    runs: tuple[Inline, ...]
    lang: Lang
    line: int


def collect(blocks: tuple[Block, ...], texts: dict[str, NoteText], path: Path,
            reporter: Reporter) -> tuple[Note, ...]:
    """One Note per called id, in order of first call; warn on gaps."""
    notes: list[Note] = []
    called: set[str] = set()
    for block in blocks:
        for paragraph in block.paragraphs:
            for note_id in note_refs(paragraph.runs):
                if note_id in called:
                    continue
                called.add(note_id)
                notes.append(_note(note_id, texts.get(note_id), paragraph.span, reporter))
    for note_id, text in texts.items():
        if note_id not in called:
            reporter.warn("note-unused", f"note {note_id} is never called in the text", path, text.line)
    return tuple(notes)


def _note(note_id: str, text: NoteText | None, call: SourceSpan, reporter: Reporter) -> Note:
    if text is None:
        reporter.warn("note-missing", f"note {note_id} is called here but its text is missing; "
                      "the editions mark it as missing ([notes] missing)", call.path, call.line)
        return Note(note_id, "en", None, call)
    return Note(note_id, text.lang, text.runs, SourceSpan(call.path, text.line))
