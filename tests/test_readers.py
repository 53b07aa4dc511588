"""Readers: fixture files named for their scenario, and the model they give."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES

from press.diagnostics import Reporter
from press.model import Emphasis, NoteRef, Span, Text, note_refs, plain_text
from press.readers import markdown, plaintext

READERS = FIXTURES / "readers"


def read_md(name: str, reporter: Reporter | None = None):
    return markdown.read(READERS / name, 1, reporter or Reporter())


def test_markdown_pairing_rules() -> None:
    chapter = read_md("markdown-pairing.md")
    kinds = [b.kind for b in chapter.blocks]
    assert kinds == ["intro", "intro", "pair", "commentary", "pair", "commentary", "commentary", "heading"]
    first_pair = chapter.blocks[2]
    assert plain_text(first_pair.en.runs) == "The first translation, in English."
    assert plain_text(first_pair.he.runs) == "הַמָּקוֹר הָרִאשׁוֹן."
    assert first_pair.span.line == 11 and first_pair.he.span.line == 13


def test_markdown_explicit_role_keeps_english_apart_from_hebrew() -> None:
    chapter = read_md("markdown-pairing.md")
    marked, hebrew_alone = chapter.blocks[5], chapter.blocks[6]
    assert marked.en is not None and marked.he is None
    assert "{.commentary}" not in plain_text(marked.en.runs)
    assert hebrew_alone.he is not None and hebrew_alone.en is None


def test_markdown_front_matter_and_numbers() -> None:
    chapter = read_md("markdown-pairing.md")
    assert (chapter.number, chapter.title, chapter.title_he) == (7, "Pairing rules", "כְּלָלֵי הַזִּוּוּג")
    assert [b.number for b in chapter.blocks] == list(range(1, 9))


def test_markdown_emphasis_and_notes() -> None:
    chapter = read_md("markdown-pairing.md")
    runs = chapter.blocks[1].en.runs
    assert Emphasis((Text("emphasis"),)) in runs
    assert note_refs(runs) == ["a"]
    note = chapter.note("a")
    assert note is not None and plain_text(note.runs) == "The note's own text, with strong words."
    assert Emphasis((Text("strong"),), strong=True) in note.runs


def test_plaintext_note_numbers_follow_the_running_sequence() -> None:
    reporter = Reporter()
    chapter = plaintext.read(READERS / "plaintext-glued-notes.txt", 3, reporter)
    refs = [ref for b in chapter.blocks for p in b.paragraphs for ref in note_refs(p.runs)]
    assert refs == ["1", "2", "3"]
    texts = {b.number: plain_text(b.paragraphs[0].runs) for b in chapter.blocks}
    assert "(Isaiah 41:8)" in texts[1] and "(ch. 36, as above)" in texts[1]
    assert texts[1].endswith("a real note.")
    assert "(Genesis 31:42)" in texts[2]
    assert texts[3].endswith("breaks the sequence.7"), "7 does not continue the sequence: it stays text"
    assert [n.id for n in chapter.notes] == ["1", "2", "3"]
    assert plain_text(chapter.note("2").runs) == "The second note's text."
    assert reporter.warnings == []


def test_plaintext_chapter_number_from_file_name(tmp_path: Path) -> None:
    path = tmp_path / "chapter-12.txt"
    path.write_text("Some English.\n\nעִבְרִית.\n", encoding="utf-8")
    chapter = plaintext.read(path, 1, Reporter())
    assert chapter.number == 12 and chapter.title == "Chapter 12"
    assert [b.kind for b in chapter.blocks] == ["pair"]


def test_missing_note_text_is_a_warning_with_the_calling_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Intro.\n\nA claim.1\n\nעִבְרִית.\n", encoding="utf-8")
    reporter = Reporter()
    chapter = plaintext.read(path, 1, reporter)
    assert [str(w) for w in reporter.warnings] == [
        f"{path}:3: warning [note-missing] note 1 is called here but its text is missing; "
        "the editions mark it as missing ([notes] missing)"]
    assert chapter.notes[0].runs is None


def test_raw_html_stays_text_with_a_warning() -> None:
    reporter = Reporter()
    chapter = markdown.read(FIXTURES / "hostile" / "01-hostile.md", 1, reporter)
    first = plain_text(chapter.blocks[0].en.runs)
    assert first.startswith('<img src="file:///etc/passwd">')
    codes = [(w.code, w.line) for w in reporter.warnings]
    assert ("raw-html", 5) in codes and ("image", 11) in codes


def test_hebrew_inside_english_is_one_span_with_punctuation_outside() -> None:
    chapter = read_md("mixed-direction.md")
    runs = chapter.blocks[0].en.runs
    assert runs == (Text("A Hebrew word, "), Span("he", (Text("שָׁלוֹם"),)),
                    Text(", inside English, with punctuation after it."))


def test_emphasis_across_a_direction_change_is_split_per_direction() -> None:
    runs = read_md("mixed-direction.md").blocks[1].en.runs
    assert runs[0] == Emphasis((Text("Emphasis that crosses "),))
    assert runs[1] == Span("he", (Emphasis((Text("שָׁלוֹם עֲלֵיכֶם"),)),))
    assert runs[2] == Emphasis((Text(" into Hebrew and back."),)) or runs[2] == Text(" into Hebrew and back.")


def test_note_call_stays_with_the_hebrew_word_it_follows() -> None:
    runs = read_md("mixed-direction.md").blocks[2].en.runs
    assert Span("he", (Text("שָׁלוֹם"), NoteRef("1"))) in runs


def test_reference_inside_hebrew_is_an_ltr_span() -> None:
    block = read_md("mixed-direction.md").blocks[2]
    assert block.he is not None
    assert Span("en", (Text("Isaiah 41:8"),)) in block.he.runs
    assert plain_text(block.he.runs) == "כָּתוּב (Isaiah 41:8) בְּתוֹךְ עִבְרִית."
