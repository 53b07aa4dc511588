"""Sheet files: what they may say, and the file and line of every mistake.

Each bad sheet is written into a temporary folder; messages are asserted
whole, with their location, and the command line's exit status.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import build

from press.diagnostics import BuildError
from press.passage import Passage
from press.readers.sheetfile import PassageItem, TextItem, load
from press.tomlpos import ItemSpan, array_items, item_key_line

GOOD = '''title = "Compassion as a path"
subtitle = "Week 12"
date = 2025-05-04
paper = "A4"
layout = "stacked"
language = "hebrew"
numbers = false
fit = 2
items = [
  { passage = "45:3-8" },
  { question = "What descends, and from where?", lines = 4 },
  { text_he = "שְׁאֵלָה", text = "A question" },
  { heading = "Part two" },
  { passage = "45:40-46:2, 47:1", lines = 2 },
]
'''


def write(tmp_path: Path, text: str, name: str = "week") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def failure(path: Path) -> str:
    with pytest.raises(BuildError) as caught:
        load(path, path.stem)
    (diagnostic,) = caught.value.diagnostics
    return str(diagnostic)


def test_a_good_sheet(tmp_path: Path) -> None:
    spec = load(write(tmp_path, GOOD), "week")
    assert (spec.title, spec.subtitle, spec.date) == ("Compassion as a path", "Week 12", "2025-05-04")
    assert (spec.paper, spec.layout, spec.language, spec.numbers, spec.fit) == ("a4", "stacked", "hebrew", False, 2)
    assert spec.languages == ("he",)
    assert spec.items == (
        PassageItem("45:3-8", (Passage(45, 3, 8),), 0, 10),
        TextItem("question", "What descends, and from where?", "", 4, 11),
        TextItem("text", "A question", "שְׁאֵלָה", 0, 12),
        TextItem("heading", "Part two", "", 0, 13),
        PassageItem("45:40-46:2, 47:1", (Passage(45, 40, 2, 46), Passage(47, 1, 1)), 2, 14),
    )


def test_defaults(tmp_path: Path) -> None:
    spec = load(write(tmp_path, 'items = [{ passage = "1" }]\n'), "week")
    assert (spec.title, spec.paper, spec.layout, spec.language, spec.numbers, spec.fit, spec.cite) == (
        "", None, "columns", "both", True, None, None)


@pytest.mark.parametrize(("text", "line", "message"), [
    ('title = "x"\ncolour = "red"\nitems = [{ passage = "1" }]\n', 2,
     "error [config-key] unknown key `colour` (a sheet knows: title, title_he, subtitle, date, cite, paper, "
     "layout, language, numbers, fit, items)"),
    ('items = [\n  { passage = "1" },\n  { text = "q", lnes = 3 },\n]\n', 3,
     "error [config-key] unknown key `lnes` in item 2 (an item knows: passage, text, text_he, question, "
     "question_he, heading, heading_he, note, note_he, lines)"),
    ('layout = "grid"\nitems = [{ passage = "1" }]\n', 1,
     'error [config-value] `layout` must be "columns" or "stacked", not "grid"'),
    ('language = "french"\nitems = [{ passage = "1" }]\n', 1,
     'error [config-value] `language` must be "both" or "english" or "hebrew", not "french"'),
    ('paper = "legal"\nitems = [{ passage = "1" }]\n', 1,
     'error [config-value] `paper` must be "letter" or "a4", not "legal"'),
    ('\nfit = 0\nitems = [{ passage = "1" }]\n', 2,
     "error [config-value] `fit` must be a number of pages from 1 to 10, not 0"),
    ('fit = "one"\nitems = [{ passage = "1" }]\n', 1,
     'error [config-value] `fit` must be a number of pages from 1 to 10, not "one"'),
    ('numbers = "yes"\nitems = [{ passage = "1" }]\n', 1,
     'error [config-type] `numbers` must be true or false, not "yes"'),
    ('title = 3\nitems = [{ passage = "1" }]\n', 1, "error [config-type] `title` must be a string"),
    ('items = [\n  { passage = "1", lines = 99 },\n]\n', 2,
     "error [config-value] `lines` in item 1 must be from 0 to 40, not 99"),
    ('items = [\n  { passage = "1" },\n  { passage = 45 },\n]\n', 3,
     "error [config-type] `passage` in item 2 must be a string"),
    ('items = [\n  { passage = "1" },\n  { passage = "1", text = "q" },\n]\n', 3,
     "error [config-key] item 2 needs exactly one of `passage`, `text`/`text_he`, `question`/`question_he`, "
     "`heading`/`heading_he`, `note`/`note_he`; it has `passage` and `text`"),
    ('items = [\n  { lines = 2 },\n]\n', 2,
     "error [config-key] item 1 needs exactly one of `passage`, `text`/`text_he`, `question`/`question_he`, "
     "`heading`/`heading_he`, `note`/`note_he`; it has none"),
    ('items = [\n  "45:3",\n]\n', 2, 'error [config-type] item 1 must be a table such as { passage = "45:3-8" }'),
    ('items = []\n', 1, "error [config-type] `items` must be a non-empty list of tables such as "
     '{ passage = "45:3-8" } or { text = "…" }'),
    ('title = "x"\n', 1, "error [config-key] a sheet needs `items`, a list of passages and texts"),
    ('items = [\n  { text = "   " },\n]\n', 2, "error [config-value] item 1: `text` is empty"),
    ('items = [\n  { passage = "1" },\n  { passage = "45:x" },\n]\n', 3,
     'error [passage] malformed passage "45:x": expected CHAPTER, CHAPTER:BLOCK, CHAPTER:FIRST-LAST or '
     "CHAPTER:BLOCK-CHAPTER:BLOCK, or a list (e.g. 45:3-8, 46:1)"),
    ('title = "x"\n\n[[items]]\npassage = "1"\n\n[[items]]\ntext = "q"\nlnes = 2\n', 8,
     "error [config-key] unknown key `lnes` in item 2 (an item knows: passage, text, text_he, question, "
     "question_he, heading, heading_he, note, note_he, lines)"),
    ('title = "x\n', 1, None),
])
def test_mistakes_name_the_file_and_line(tmp_path: Path, text: str, line: int, message: str | None) -> None:
    path = write(tmp_path, text)
    found = failure(path)
    assert found.startswith(f"{path}:{line}: error [")
    if message is None:
        assert "[toml] not valid TOML" in found
    else:
        assert found == f"{path}:{line}: {message}"


def test_item_lines_skip_strings_and_comments() -> None:
    text = ('title = "items = [ {"  # items = [\n'
            'items = [\n'
            '  { passage = "45:3-8" },  # a comment, with { braces\n'
            '  { text = "What, [really]? {no}", lines = 3 }, { text = """two\n'
            'lines""" },\n'
            "  { text_he = 'שאלה', bogus = 1 },\n"
            ']\n')
    spans = array_items(text, "items")
    assert spans == [ItemSpan(3, 3), ItemSpan(4, 4), ItemSpan(4, 5), ItemSpan(6, 6)]
    assert item_key_line(text, spans, 3, "bogus") == 6
    assert item_key_line(text, spans, 1, "lines") == 4
    assert item_key_line(text, spans, 9, "lines") is None


# --- through the command line -----------------------------------------------

@pytest.fixture
def source(tmp_path: Path, seed_chapter: Path) -> Path:
    folder = tmp_path / "source"
    (folder / "sheets").mkdir(parents=True)
    shutil.copy(seed_chapter, folder / seed_chapter.name)
    return folder


def test_unknown_key_exits_1_naming_file_and_line(source: Path, tmp_path: Path) -> None:
    sheet = write(source / "sheets", 'title = "x"\nitems = [\n  { passage = "45:3", line = 2 },\n]\n')
    result = build("sheet", "week", "--source", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith(f"{sheet}:3: error [config-key] unknown key `line`")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").rglob("*.pdf"))


@pytest.mark.parametrize(("reference", "message"), [
    ("99:1-2", 'passage "99:1-2": there is no chapter 99 (chapters: 45)'),
    ("45:3-8, 46:1", 'passage "45:3-8, 46:1": there is no chapter 46 (chapters: 45)'),
    ("45:40-46:2", 'passage "45:40-46:2": there is no chapter 46 (chapters: 45)'),
    ("45:26-99", 'passage "45:26-99": chapter 45 has 27 blocks, so there is no block 99'),
])
def test_bad_references_exit_1_naming_file_line_and_reference(source: Path, tmp_path: Path, reference: str,
                                                                message: str) -> None:
    text = f'title = "x"\nitems = [\n  {{ text = "q" }},\n  {{ passage = "{reference}" }},\n]\n'
    sheet = write(source / "sheets", text)
    result = build("sheet", "week", "--source", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == f"{sheet}:4: error [passage] {message}"
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "sheets").exists()


def test_a_missing_sheet_lists_the_sheets(source: Path, tmp_path: Path) -> None:
    write(source / "sheets", 'items = [{ passage = "45:3" }]\n', name="week-1")
    result = build("sheet", "week-2", "--source", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"{source / 'sheets' / 'week-2.toml'}: error [sheet] no such sheet file "
        f"(sheets in {source / 'sheets'}: week-1)")


def test_name_and_passage_together_are_refused(source: Path, tmp_path: Path) -> None:
    write(source / "sheets", 'items = [{ passage = "45:3" }]\n')
    result = build("sheet", "week", "--passage", "45:3", "--source", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "error [sheet] give a sheet NAME or --passage REF, not both" in result.stderr
