"""Property-based fuzzing of the readers and the sheet-file parser (issue 17).

Random sources built from Hebrew letters, points and cantillation, Latin,
digits, punctuation, Markdown and note syntax, TOML fragments and control
characters must give either a Book or the project's own BuildError, never
another exception; and every character of every paragraph the reader
accepts without a warning on its line is in the model, in order (the
characters a format rightly removes as markup aside).

`make test` runs a bounded, derandomised number of examples (seconds);
`make fuzz` runs the same four properties with PRESS_FUZZ_EXAMPLES=25000
each, 10^5 examples in all, from a random seed.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from press.diagnostics import BuildError, Reporter
from press.model import SECTION_LETTERS, Emphasis, Inline, NoteRef, SectionBreak, Span, Text
from press.passage import parse
from press.readers import read_book, sheetfile

EXAMPLES = int(os.environ.get("PRESS_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=EXAMPLES <= 1000,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

HEBREW = [chr(c) for c in range(0x05D0, 0x05EB)]
POINTS = [chr(c) for c in range(0x05B0, 0x05BD)] + ["\u05c1", "\u05c2", "\u05c7"]
CANTILLATION = [chr(c) for c in range(0x0591, 0x05AF)] + ["\u05be", "\u05c3", "\u05f3", "\u05f4"]
LATIN = list("abcdefghijklmnopqrstuvwxyzABCDEZéü")
DIGITS = [*"0123456789", "²", "٣"]
PUNCTUATION = list(".,;:!?'\"()[]{}-–—…“”‘’/&<>=%$@|~+")
CONTROL = ["\x00", "\x0b", "\x7f", "\x85", "\u2028", "\u2029", "\u00ad",
           "\u00a0", "\u200f", "\u202e", "\ufeff", "\t", "\r"]
CHARACTERS = HEBREW + POINTS + CANTILLATION + LATIN + DIGITS + PUNCTUATION + [" ", " ", "\n"]
FRAGMENTS = [
    "\n\n", "\n\n", "\n", " ", "*", "**", "***", "_", "__", "`", "``", "\\", "\\*", "# ", "## ", " ##", "[^1]",
    "[^2]", "[^x]", "[^1]: ", "\n\n[^1]: ", "\n\n[^2]: ", "{.commentary}", "\n{.pair}", "\n{.intro}", "{.bogus}",
    "---", "---\n", "\n---\n", "title: ", "number: ", "1", "2", "3", "12", "1.", "\n\n1. ", "\n\n2. ", "[1] ",
    "Notes", "\n\nNotes\n\n", "Footnotes:", "<b>", "</i>", "&amp;", "&gt;", "&#x41;", "![a](b)", "[a](b)",
    '"', "'", 'רז"ל', "ה'", "Isaiah 41:8", "ch. 31.4", "gevurah).1", "skin,”2",
    'title = "T"', "[print]", "[[items]]", 'trim = "A5"', "= ", "\\u0000", "\u05e9\u05c1\u05b8",
    "שָׁלוֹם", "וְעַל זֶה נֶאֱמַר", "The soul", "compassion,", "word", " {פ}", "{ס}", "\\{פ}",
]
# Control characters are one token in about thirty, so that most sources are still read to the end.
TOKENS = st.one_of(*[st.sampled_from(FRAGMENTS)] * 15, *[st.text(alphabet=CHARACTERS, min_size=1, max_size=8)] * 15,
                   st.sampled_from(CONTROL))
SOURCES = st.lists(TOKENS, max_size=60).map("".join)

# Markup a reader may rightly remove: for Markdown emphasis, code and escape marks; in both formats
# white space (lines are joined, separators read as spaces).
_MARKDOWN_MARKUP = re.compile(r"[\s*_`\\]")
_SPACE = re.compile(r"\s")
_ROLE_LINE = re.compile(r"\n\s*\{:?\s*\.(intro|commentary|pair)\s*\}\s*$")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_MD_NOTE = re.compile(r"^\[\^([^\]\s]+)\]:\s*(.*)$", re.DOTALL)
_TXT_NOTE = re.compile(r"^\[?(\d+)[.\])]\s+(.*)$", re.DOTALL)
_NOTES_HEADING = re.compile(r"^(notes|footnotes):?$", re.IGNORECASE)


def _read(name: str, text: str):
    """(book or None, warnings text, paragraphs as (line, text)) for `text` as the one chapter `name`."""
    with tempfile.TemporaryDirectory(prefix="press-fuzz-") as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8", newline="")
        warnings = io.StringIO()
        try:
            book = read_book(Path(folder), Reporter(warnings))
        except BuildError as failure:
            assert all(d.severity == "error" and d.code for d in failure.diagnostics)
            event(f"error [{failure.diagnostics[0].code}]")
            return None, warnings.getvalue(), path
        event("read" + (" with warnings" if warnings.getvalue() else ""))
        return book, warnings.getvalue(), path


def _written(runs: tuple[Inline, ...] | None, calls: str) -> str:
    """The runs' characters, each note call as written (`[^id]` or its bare number)."""
    out = []
    for run in runs or ():
        if isinstance(run, Text):
            out.append(run.text)
        elif isinstance(run, NoteRef):
            out.append(calls.format(run.id))
        elif isinstance(run, (Emphasis, Span)):
            out.append(_written(run.children, calls))
        elif isinstance(run, SectionBreak):  # a Markdown section mark, as written
            out.append("{" + SECTION_LETTERS[run.kind] + "}")
    return "".join(out)


def _source_paragraphs(text: str) -> list[tuple[int, str]]:
    """The body's blank-line separated paragraphs and their first lines, as the formats define them."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    start = 0
    if lines and lines[0].strip() == "---":
        start = next(i for i in range(1, len(lines)) if lines[i].strip() == "---") + 1
    found, current, first = [], [], 0
    for number, line in enumerate(lines[start:], start + 1):
        if line.strip():
            first = first if current else number
            current.append(line)
        elif current:
            found.append((first, "\n".join(current)))
            current = []
    if current:
        found.append((first, "\n".join(current)))
    return found


def _model_texts(book, calls: str) -> dict[int, str]:
    """Every text of the model by its source line: paragraphs (a pair's two have two lines) and notes."""
    chapter = book.chapters[0]
    texts: dict[int, str] = {}
    for block in chapter.blocks:
        for paragraph in block.paragraphs:
            texts[paragraph.span.line] = _written(paragraph.runs, calls)
    for note in chapter.notes:
        if note.runs is not None:
            texts[note.span.line] = _written(note.runs, calls)
    return texts


# Warnings that say a text is not used: the paragraph is named and left out, as documented.
_UNUSED = ("note-unused", "note-duplicate")


def _unused_lines(warnings: str, path: Path) -> set[int]:
    pattern = rf"^{re.escape(str(path))}:(\d+): warning \[({'|'.join(_UNUSED)})\]"
    return {int(m.group(1)) for m in re.finditer(pattern, warnings, re.M)}


def _front_matter_keys(text: str) -> set[str]:
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        return set()
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    return {line.partition(":")[0].strip() for line in lines[1:end] if line.strip()}


def _check_markdown(book, warnings: str, path: Path, text: str) -> None:
    """As the format is documented: a `[^id]: ` paragraph is a note's text, a first `# ` heading before
    any paragraph is the title (unless the front matter gives one), a last line `{.role}` is markup."""
    model = _model_texts(book, "[^{}]")
    unused = _unused_lines(warnings, path)
    titled = "title" in _front_matter_keys(text)
    for line, paragraph in _source_paragraphs(text):
        if line in unused:
            continue
        note = _MD_NOTE.match(paragraph)
        heading = _HEADING.match(paragraph) if "\n" not in paragraph else None
        if note:
            expected = note.group(2)
        elif heading and paragraph.startswith("#") and not paragraph.startswith("##") and not titled:
            titled = True
            if heading.group(1).strip():  # an empty `# ` leaves the default title
                assert _MARKDOWN_MARKUP.sub("", heading.group(1)) == _MARKDOWN_MARKUP.sub("", book.chapters[0].title)
            continue
        else:
            titled = True  # a paragraph came first: a later `# ` is a heading of the text
            expected = heading.group(1) if heading else _ROLE_LINE.sub("", paragraph)
        assert line in model, f"paragraph at line {line} is missing from the model: {paragraph!r}"
        assert _MARKDOWN_MARKUP.sub("", expected.translate(_SEPARATORS)) == _MARKDOWN_MARKUP.sub("", model[line])


_SEPARATORS = str.maketrans({"\u0085": " ", "\u2028": " ", "\u2029": " "})


def _joined(paragraph: str) -> str:
    return " ".join(line.strip() for line in paragraph.split("\n"))


def _check_plaintext(book, warnings: str, path: Path, text: str) -> None:
    model = _model_texts(book, "{}")
    warned = _unused_lines(warnings, path)
    paragraphs = _source_paragraphs(text)
    in_notes, note_line = False, None
    for index, (line, paragraph) in enumerate(paragraphs):
        following = paragraphs[index + 1][1] if index + 1 < len(paragraphs) else ""
        if not in_notes and _NOTES_HEADING.match(paragraph.strip()) and _TXT_NOTE.match(_joined(following)):
            in_notes = True
            continue
        flat = _SPACE.sub("", paragraph.translate(_SEPARATORS))
        if in_notes:
            numbered = _TXT_NOTE.match(_joined(paragraph))
            if numbered:
                note_line, expected = line, _SPACE.sub("", numbered.group(2))
                if line in warned or line not in model:  # a second text for one note, or a note never called
                    continue
                assert _SPACE.sub("", model[line]).startswith(expected)
            elif note_line in model:  # continues the note before it
                assert flat in _SPACE.sub("", model[note_line])
            continue
        assert line in model, f"paragraph at line {line} is missing from the model: {paragraph!r}"
        assert flat == _SPACE.sub("", model[line])


@FUZZ
@given(SOURCES)
def test_markdown_reader_loses_nothing_and_raises_only_its_own_errors(text: str) -> None:
    book, warnings, path = _read("01-fuzz.md", text)
    if book is not None:
        _check_markdown(book, warnings, path, text)


@FUZZ
@given(SOURCES)
def test_plaintext_reader_loses_nothing_and_raises_only_its_own_errors(text: str) -> None:
    book, warnings, path = _read("01-fuzz.txt", text)
    if book is not None:
        _check_plaintext(book, warnings, path, text)


TOML_NOISE = ['"', "'", '"""', "[", "]", "{", "}", ",", "=", "\n", "#", "\\", "\\u0000", "\\q", "[[items]]\n"]
SHEET_KEYS = ["title", "title_he", "subtitle", "date", "cite", "paper", "layout", "language", "numbers", "fit",
              "items", "titel", "items.x", '"title"']
ITEM_KEYS = ["passage", "passage", "passage", "text", "question", "text_he", "question", "question_he", "heading",
             "note", "note_he", "lines", "passage_he", "bogus"]
REFERENCES = st.lists(st.sampled_from(["1", "45", "3", "8", "9" * 12, ":", "-", "–", ",", ";", " ", "a", "0"]),
                      max_size=10).map("".join)


def _toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + "".join(c if c >= " " or c == "\t" else f"\\u{ord(c):04X}" for c in escaped) + '"'


VALUES = st.one_of(
    st.text(alphabet=CHARACTERS + CONTROL, max_size=12).map(_toml_string), REFERENCES.map(_toml_string),
    st.sampled_from(['"letter"', '"a4"', '"columns"', '"stacked"', '"both"', '"hebrew"', "true", "false",
                     "2025-05-04", "1e400", "inf", "nan", "[]", '["x"]']),
    st.integers(min_value=-10, max_value=50).map(str), st.sampled_from(["9" * 30, "9" * 5000, "-" + "9" * 40]))
ITEMS = st.lists(st.dictionaries(st.sampled_from(ITEM_KEYS), st.one_of(REFERENCES.map(_toml_string), VALUES),
                                 min_size=1, max_size=2), max_size=5)


@st.composite
def sheet_sources(draw) -> str:
    """Mostly valid TOML of a sheet's shape, with wrong keys and values, and now and then some noise."""
    lines = [f"{key} = {draw(VALUES)}" for key in draw(st.lists(st.sampled_from(SHEET_KEYS[:-4] + SHEET_KEYS[-3:]),
                                                                 max_size=5, unique=True)) if key != "items"]
    items = draw(ITEMS)
    if draw(st.booleans()):
        rows = ",\n".join("  { " + ", ".join(f"{k} = {v}" for k, v in item.items()) + " }" for item in items)
        lines.append(f"items = [\n{rows}\n]")
    else:
        lines += ["[[items]]\n" + "\n".join(f"{k} = {v}" for k, v in item.items()) for item in items]
    text = "\n".join(lines) + "\n"
    for _ in range(max(0, draw(st.integers(min_value=-4, max_value=2)))):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        text = text[:at] + draw(st.sampled_from(TOML_NOISE)) + text[at:]
    return text


TOML_SOURCES = sheet_sources()


@FUZZ
@given(TOML_SOURCES)
def test_sheet_file_parser_raises_only_its_own_errors(text: str) -> None:
    with tempfile.TemporaryDirectory(prefix="press-fuzz-") as folder:
        path = Path(folder) / "fuzz.toml"
        path.write_text(text, encoding="utf-8", newline="")
        try:
            spec = sheetfile.load(path, "fuzz")
        except BuildError as failure:
            event(f"error [{failure.diagnostics[0].code}]")
            return
    event("loaded")
    assert spec.items, "a sheet that loads has items"


@FUZZ
@given(REFERENCES)
def test_passage_references_raise_only_their_own_errors(text: str) -> None:
    try:
        passages = parse(text)
    except BuildError as failure:
        assert failure.diagnostics[0].code == "passage"
        return
    assert all(p.chapter >= 0 for p in passages)
