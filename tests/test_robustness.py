"""Issue 17: no traceback for any input, nothing lost, all or nothing.

One test per row of the issue's two tables: the exact message and line of
the error, or the text the model (and an edition) keeps. Every failing
build exits 1 with no traceback and leaves the output folder as it was.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from conftest import build, fails_with
from lxml import html as lxml_html

from press import cli
from press.diagnostics import Reporter
from press.model import NoteRef, Text, plain_text
from press.readers import read_book

HEBREW = "שָׁלוֹם עוֹלָם"


def source(tmp_path: Path, files: dict[str, str], toml: str | None = None) -> Path:
    folder = tmp_path / "source"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    if toml is not None:
        (folder / "book.toml").write_text(toml, encoding="utf-8")
    return folder


def model(folder: Path) -> tuple[dict, str]:
    """The model as JSON and the warnings, from `build.py model` as a user runs it."""
    result = build("model", "--source", str(folder))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout), result.stderr


def read(folder: Path):
    warnings = io.StringIO()
    return read_book(folder, Reporter(warnings)), warnings.getvalue()


# The first table: inputs that gave a traceback.

@pytest.mark.parametrize("command", ["model", "pdf"])
def test_deeply_nested_emphasis_is_an_error_with_its_line(tmp_path: Path, command: str) -> None:
    text = "Intro.\n\nHello " + "*" * 5000 + "x" + "*" * 5000 + "\n"
    folder = source(tmp_path, {"c.md": text})
    fails_with(folder, tmp_path, f"{folder / 'c.md'}:3: error [nesting] emphasis is nested 2500 levels deep; "
          "at most 20 are supported", command)


def test_emphasis_at_the_nesting_limit_is_read(tmp_path: Path) -> None:
    folder = source(tmp_path, {"c.md": "*" * 20 + "deep" + "*" * 20 + "\n"})
    book, _ = read(folder)
    assert plain_text(book.chapters[0].blocks[0].en.runs) == "deep"


def test_note_call_inside_its_own_note_is_text_with_a_warning(tmp_path: Path) -> None:
    folder = source(tmp_path, {"c.md": f"Text.[^1]\n\n{HEBREW}\n\n[^1]: A note that calls itself[^1].\n"})
    out = tmp_path / "out"
    result = build("pdf", "--source", str(folder), "--out", str(out))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip() == (f"{folder / 'c.md'}:5: warning [note-in-note] a note's text cannot call a "
                                     "note: `[^1]` is printed as written")
    assert (out / "book.pdf").is_file()
    book, _ = read(folder)
    assert book.chapters[0].notes[0].runs == (Text("A note that calls itself[^1]."),)


def test_front_matter_number_zero(tmp_path: Path) -> None:
    folder = source(tmp_path, {"c.md": "---\ntitle: T\nnumber: 0\n---\n\nText.\n"})
    fails_with(folder, tmp_path, f"{folder / 'c.md'}:3: error [chapter-number] chapter numbers start at 1, "
          "but `number` is 0")


def test_file_named_zero(tmp_path: Path) -> None:
    folder = source(tmp_path, {"00-preface.md": "Text.\n"})
    fails_with(folder, tmp_path, f"{folder / '00-preface.md'}:1: error [chapter-number] chapter numbers start at 1, "
          "but the number in the file name is 00 (rename the file or set `number:` in its front matter)")


def test_front_matter_number_superscript(tmp_path: Path) -> None:
    folder = source(tmp_path, {"c.md": "---\nnumber: ²\n---\n\nText.\n"})
    fails_with(folder, tmp_path,
               f"{folder / 'c.md'}:2: error [chapter-number] `number` must be a whole number, not `²`")


def test_front_matter_number_of_5000_digits(tmp_path: Path) -> None:
    folder = source(tmp_path, {"c.md": "---\nnumber: " + "7" * 5000 + "\n---\n\nText.\n"})
    fails_with(folder, tmp_path, f"{folder / 'c.md'}:2: error [chapter-number] `number` has 5000 digits; "
          "a chapter number has at most 6")


def test_file_name_number_of_seven_digits(tmp_path: Path) -> None:
    folder = source(tmp_path, {"lesson-1234567.txt": "Text.\n"})
    fails_with(folder, tmp_path, f"{folder / 'lesson-1234567.txt'}:1: error [chapter-number] the number in the file "
          "name has 7 digits; a chapter number has at most 6 (rename the file or set `number:` in its front matter)")


def test_sheet_reference_of_5000_digits(tmp_path: Path) -> None:
    folder = source(tmp_path, {"01-c.md": f"Text.\n\n{HEBREW}\n"})
    (folder / "sheets").mkdir()
    (folder / "sheets" / "big.toml").write_text('title = "Big"\n\nitems = [\n  { passage = "' + "9" * 5000
                                                + '" },\n]\n', encoding="utf-8")
    fails_with(folder, tmp_path, f"{folder / 'sheets' / 'big.toml'}:4: error [passage] passage \"" + "9" * 60
          + '…": a number of 5000 digits; chapter and block numbers have at most 6', "sheet", "big")


def test_passage_option_of_5000_digits(tmp_path: Path) -> None:
    folder = source(tmp_path, {"01-c.md": f"Text.\n\n{HEBREW}\n"})
    fails_with(folder, tmp_path, 'error [passage] passage "1:' + "9" * 58 + '…": a number of 5000 digits; chapter and '
          "block numbers have at most 6", "sheet", "--passage", "1:" + "9" * 5000)


def test_paragraph_separator_with_soft_hyphens_is_a_space(tmp_path: Path) -> None:
    # The pattern that made WeasyPrint assert: separators where lines break, soft hyphens, no-break spaces.
    words = ["be\u00adta", "gam\u00adma\u2029", "\u00a0", "\u2029", "long\u00adword\u00adhere", "x\u00ad", "alpha"]
    paragraphs = [" ".join(words[(i * 7 + j) % len(words)] for j in range(60)) for i in range(12)]
    text = "\n\n".join(f"{p}\n\n{HEBREW}" for p in paragraphs) + "\n"
    folder = source(tmp_path, {"c.md": text})
    out = tmp_path / "out"
    result = build("pdf", "--source", str(folder), "--out", str(out))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    book, _ = read(folder)
    english = plain_text(book.chapters[0].blocks[0].en.runs)
    assert english.split() == paragraphs[0].split() and "\u2029" not in english  # read as a space


def test_nul_escape_in_book_toml_title(tmp_path: Path) -> None:
    folder = source(tmp_path, {"c.md": f"Text.\n\n{HEBREW}\n"}, toml='author = "A"\ntitle = "Bad\\u0000Title"\n')
    fails_with(folder, tmp_path, f"{folder / 'book.toml'}:2: error [control-character] `title` holds U+0000, a control "
          "character that cannot be printed; remove it")


def test_nul_byte_in_book_toml(tmp_path: Path) -> None:
    folder = source(tmp_path, {"c.md": f"Text.\n\n{HEBREW}\n"}, toml='author = "A"\n\ntitle = "Bad\x00Title"\n')
    fails_with(folder, tmp_path, f"{folder / 'book.toml'}:3: error [control-character] U+0000, a control character "
          "that cannot be printed; remove it")


def test_control_character_in_a_chapter(tmp_path: Path) -> None:
    folder = source(tmp_path, {"c.txt": "First.\n\nSecond\x0bline.\n"})
    fails_with(folder, tmp_path, f"{folder / 'c.txt'}:3: error [control-character] U+000B, a control character "
          "that cannot be printed; remove it", "model")


def test_control_character_escape_in_a_sheet_file(tmp_path: Path) -> None:
    folder = source(tmp_path, {"01-c.md": f"Text.\n\n{HEBREW}\n"})
    (folder / "sheets").mkdir()
    (folder / "sheets" / "s.toml").write_text('title = "S"\nitems = [\n  { passage = "1" },\n'
                                              '  { question = "Why\\u0007?" },\n]\n', encoding="utf-8")
    fails_with(folder, tmp_path, f"{folder / 'sheets' / 's.toml'}:4: error [control-character] `question` in item 2 "
          "holds U+0007, a control character that cannot be printed; remove it", "sheet", "s")


def test_empty_chapter_names_its_line(tmp_path: Path) -> None:
    folder = source(tmp_path, {"01-a.md": "Text.\n", "02-b.md": "---\ntitle: Empty\n---\n"})
    fails_with(folder, tmp_path, f"{folder / '02-b.md'}:1: error [empty-chapter] chapter has no paragraphs")


@pytest.mark.parametrize(("toml", "line"), [
    ('title = "T"\n\n[print]\ntrim = "A5"\ntrimm = "A4"\n', 5),
    ('title = "T"\n[ print ]  # the print settings\n\ntrimm = "A4"\n', 4),
    ('title = "T"\nprint.trimm = "A4"\n', 2),
    ('title = "T"\nprint = { trim = "A5", trimm = "A4" }\n', 2),
])
def test_unknown_print_key_names_its_line(tmp_path: Path, toml: str, line: int) -> None:
    folder = source(tmp_path, {"c.md": "Text.\n"}, toml=toml)
    fails_with(folder, tmp_path, f"{folder / 'book.toml'}:{line}: error [config-key] unknown key `trimm` in [print]")


def test_bad_front_matter_number_names_its_line(tmp_path: Path) -> None:
    folder = source(tmp_path, {"c.md": "---\ntitle: T\ntitle_he: ט\nnumber: twelve\n---\n\nText.\n"})
    fails_with(folder, tmp_path, f"{folder / 'c.md'}:4: error [chapter-number] `number` must be a whole number, "
          "not `twelve`")


@pytest.mark.parametrize(("toml", "line"), [
    ('title = "T"\nprint = ["A5"]\n', 2),
    ('title = "T"\n\n[[print]]\ntrim = "A5"\n', 3),
])
def test_print_as_an_array_names_its_line(tmp_path: Path, toml: str, line: int) -> None:
    folder = source(tmp_path, {"c.md": "Text.\n"}, toml=toml)
    fails_with(folder, tmp_path, f"{folder / 'book.toml'}:{line}: error [config-type] `print` must be a table")


@pytest.mark.parametrize(("toml", "message"), [
    ("title = 1" + "0" * 5000 + "\n", "error [toml] not valid TOML: Exceeds the limit"),
    ("title = " + "[" * 3000 + "]" * 3000 + "\n", "error [toml] not valid TOML here: arrays or tables nested"),
])
def test_toml_that_python_cannot_hold(tmp_path: Path, toml: str, message: str) -> None:
    folder = source(tmp_path, {"c.md": "Text.\n"}, toml=toml)
    result = build("model", "--source", str(folder))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{folder / 'book.toml'}: {message}")


# The second table: text that was lost without a word.

def test_plain_text_notes_paragraph_followed_by_text_is_kept(tmp_path: Path) -> None:
    folder = source(tmp_path, {"c.txt": "The introduction.\n\nNotes\n\nA paragraph after it.\n\nAnd another.\n"})
    book, warnings = read(folder)
    texts = [plain_text(b.en.runs) for b in book.chapters[0].blocks]
    assert texts == ["The introduction.", "Notes", "A paragraph after it.", "And another."]
    assert warnings.strip() == (f"{folder / 'c.txt'}:3: warning [notes-heading] `Notes` is not followed by a "
                                "numbered note (`1. …`), so it is read as a paragraph of the text")


def test_plain_text_notes_section_keeps_unnumbered_paragraphs(tmp_path: Path) -> None:
    text = "Text with a note.1\n\nNotes\n\n1. The note begins here.\n\nIt goes on in a second paragraph.\n"
    book, warnings = read(source(tmp_path, {"c.txt": text}))
    chapter = book.chapters[0]
    assert [plain_text(b.en.runs) for b in chapter.blocks] == ["Text with a note."]
    assert plain_text(chapter.notes[0].runs) == "The note begins here. It goes on in a second paragraph."
    assert warnings == ""


def test_code_span_with_ampersand_and_angle_is_not_escaped_twice(tmp_path: Path) -> None:
    folder = source(tmp_path, {"c.md": f"Use `a & b > c` here.\n\n{HEBREW}\n"})
    data, _ = model(folder)
    assert data["chapters"][0]["blocks"][0]["en"] == "Use a & b > c here."
    out = tmp_path / "out"
    result = build("html", "--source", str(folder), "--out", str(out))
    assert result.returncode == 0, result.stderr
    page = lxml_html.fromstring((out / "book.html").read_bytes())
    assert "Use a & b > c here." in page.text_content()
    assert "&amp;" not in page.text_content()


@pytest.mark.parametrize(("markdown", "expected"), [
    ("`&`", "&"), ("`>>`", ">>"), ("`&amp;`", "&amp;"), ("`<&>` and `&gt;`", "<&> and &gt;"),
    ("*`a&b`*", "a&b"), ("`x` & `y > z`", "x & y > z"),
])
def test_code_spans_hold_the_characters_written(tmp_path: Path, markdown: str, expected: str) -> None:
    book, _ = read(source(tmp_path, {"c.md": markdown + "\n"}))
    assert plain_text(book.chapters[0].blocks[0].en.runs) == expected


def test_asterisks_around_a_hebrew_abbreviation_lose_nothing(tmp_path: Path) -> None:
    written = 'א*רז"ל**/&א*רז"ל**/&טַזץא'
    folder = source(tmp_path, {"c.md": written + "\n"})
    data, warnings = model(folder)
    assert data["chapters"][0]["blocks"][0]["he"] == written
    assert warnings.strip() == (f"{folder / 'c.md'}:1: warning [markup] this paragraph's emphasis cannot be read "
                                "without losing or moving text: its `*` and `_` are printed as written")


def test_emphasis_that_loses_nothing_is_still_emphasis(tmp_path: Path) -> None:
    book, warnings = read(source(tmp_path, {"c.md": "Some *emphasis* and **strong** words.[^1]\n\n[^1]: N.\n"}))
    runs = book.chapters[0].blocks[0].en.runs
    assert plain_text(runs) == "Some emphasis and strong words." and NoteRef("1") in runs
    assert warnings == ""


def test_heading_keeps_a_trailing_hash(tmp_path: Path) -> None:
    book, _ = read(source(tmp_path, {"c.md": "# Title\n\n## Learning C#\n\nText.\n\n## Closed ##\n"}))
    blocks = book.chapters[0].blocks
    assert [plain_text(b.en.runs) for b in blocks] == ["Learning C#", "Text.", "Closed"]


@pytest.mark.parametrize("name", ["c.md", "c.txt"])
def test_a_second_text_for_one_note_is_warned(tmp_path: Path, name: str) -> None:
    notes = "[^1]: First.\n\n[^1]: Second.\n" if name == "c.md" else "Notes\n\n1. First.\n\n1. Second.\n"
    call = "[^1]" if name == "c.md" else "1"
    folder = source(tmp_path, {name: f"Text.{call}\n\n{notes}"})
    book, warnings = read(folder)
    assert plain_text(book.chapters[0].notes[0].runs) == "First."
    line = 3 if name == "c.md" else 5
    assert warnings.strip().splitlines()[-1] == (f"{folder / name}:{line + 2}: warning [note-duplicate] note 1 "
                                                 f"already has its text (line {line}); this text is not used")


# Unexpected exceptions and all-or-nothing outputs.

def test_internal_error_is_one_line_with_the_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    folder = source(tmp_path, {"c.md": "First.\n\nSecond.\n"})

    def broken(text: str) -> str:
        if text.startswith("Second"):
            raise ValueError("something\nunforeseen")
        return "en"

    monkeypatch.setattr("press.readers.markdown.dominant_lang", broken)
    assert cli.main(["model", "--source", str(folder)]) == 3
    error = capsys.readouterr().err
    assert error == (f"{folder / 'c.md'}:3: internal error: ValueError: something unforeseen, please report "
                     "(--debug shows the traceback)\n")
    with pytest.raises(ValueError, match="unforeseen"):
        cli.main(["model", "--source", str(folder), "--debug"])


def test_a_failing_later_output_leaves_the_previous_outputs(tmp_path: Path) -> None:
    # book.pdf, booklet.pdf and book.epub are made; the study sheet then fails: none of them may appear,
    # and the outputs of the last good build stay as they were.
    folder = source(tmp_path, {"01-c.md": f"Text.\n\n{HEBREW}\n"}, toml='title = "T"\n\n[sheet]\npassage = "1:9"\n')
    out = tmp_path / "out"
    out.mkdir()
    previous = {"book.pdf": b"the last good book", "sheet.pdf": b"the last good sheet"}
    for name, data in previous.items():
        (out / name).write_bytes(data)
    result = build("--source", str(folder), "--out", str(out))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (f"{folder / 'book.toml'}:4: error [passage] passage \"1:9\": "
                                                      "chapter 1 has 1 block, so there is no block 9")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == previous


def test_outputs_replace_the_previous_set_together(tmp_path: Path) -> None:
    folder = source(tmp_path, {"01-c.md": f"Text.\n\n{HEBREW}\n"})
    out = tmp_path / "out"
    out.mkdir()
    (out / "book.epub").write_bytes(b"old")
    (out / "notes.txt").write_bytes(b"the user's own file")
    result = build("epub", "--source", str(folder), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == f"wrote {out / 'book.epub'}"
    assert sorted(p.name for p in out.iterdir()) == ["book.epub", "notes.txt"]  # no staging folder left
    assert (out / "book.epub").read_bytes()[:2] == b"PK"


def test_output_folder_that_is_a_file(tmp_path: Path) -> None:
    folder = source(tmp_path, {"01-c.md": "Text.\n"})
    (tmp_path / "out").write_text("not a folder", encoding="utf-8")
    result = build("epub", "--source", str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == f"{tmp_path / 'out'}: error [output] cannot write to the output folder: File exists"


def test_sheet_text_keeps_every_character_and_limits_nesting(tmp_path: Path) -> None:
    from press.diagnostics import BuildError
    from press.model import SourceSpan
    from press.readers.sheetfile import teacher_paragraph

    where = SourceSpan(tmp_path / "s.toml", 4)
    written = 'א*רז"ל**/&א*רז"ל**/&טַזץא'
    assert plain_text(teacher_paragraph(written, "he", where).runs) == written
    with pytest.raises(BuildError) as failure:
        teacher_paragraph("*" * 60 + "x" + "*" * 60, "en", where)
    assert str(failure.value) == (f"{where.path}:4: error [nesting] emphasis is nested 30 levels deep; "
                                  "at most 20 are supported")
