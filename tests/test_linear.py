"""What removed the superlinear costs gives the answers it replaced (speed itself: bench/scale.py)."""

from __future__ import annotations

import random
import sys
from dataclasses import replace
from pathlib import Path

from press.bidi import isolate
from press.diagnostics import Reporter
from press.model import Emphasis, NoteRef, Span, Text
from press.readers import plaintext, read_book

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import inputs  # bench/inputs.py, the scaling run's sources


def test_note_call_candidates_are_the_patterns_matches() -> None:
    alphabet = list("ab1234567890 :.,;)]”’\"'x-\n\u00a0\u05d0\u0661\u00b2")
    generator = random.Random(16)
    for _ in range(20_000):
        text = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 14)))
        expected = [found.span() for found in plaintext._CANDIDATE.finditer(text)]
        assert [found.span() for found in plaintext._candidates(text)] == expected, repr(text)


def test_chapter_note_finds_the_first_note_of_an_id(tmp_path: Path) -> None:
    book = read_book(inputs.notes_chapter(tmp_path / "source", 300), Reporter())
    chapter = book.chapters[0]
    assert len(chapter.notes) == 300
    assert all(chapter.note(str(n)) is chapter.notes[n - 1] for n in (1, 150, 300))
    assert chapter.note("301") is None
    doubled = replace(chapter, notes=(replace(chapter.notes[1], id="1"), *chapter.notes))
    assert doubled.note("1") is doubled.notes[0] and doubled.note("2") is doubled.notes[2]


def test_every_note_of_a_long_chapter_is_called_and_has_its_text(tmp_path: Path) -> None:
    book = read_book(inputs.notes_chapter(tmp_path / "source", 2_000), Reporter())
    chapter = book.chapters[0]
    assert [note.id for note in chapter.notes] == [str(n) for n in range(1, 2_001)]
    assert all(note.runs is not None for note in chapter.notes)
    pairs = [block for block in chapter.blocks if block.kind == "pair"]
    assert len(pairs) == 2_000 and pairs[-1].en.runs[-1] == NoteRef("2000")


def test_a_paragraph_in_one_direction_keeps_its_runs_or_is_rebuilt_as_before() -> None:
    runs = (Text("A plain line"), NoteRef("1"), Text(" and more"))
    assert isolate(runs, "en") is runs
    assert isolate((Text("a"), Text("b"), Text("")), "en") == (Text("ab"),)
    emphasised = (Emphasis((Text("so"), Text(" much")),), Text("!"))
    assert isolate(emphasised, "en") == (Emphasis((Text("so much"),)), Text("!"))
    assert isolate((Text("Psalm שִׁיר here"),), "en") == (Text("Psalm "), Span("he", (Text("שִׁיר"),)), Text(" here"))
