"""How an edition prints Hebrew marks ([hebrew] points, geresh): rendering only, the model untouched."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, build
from hebrew_text import pdfium_text, poppler_text

from press.hebrew import POINT_MODES, with_geresh, with_points

VERSE = "בְּרֵאשִׁ֖ית בָּרָ֣א אֱלֹהִ֑ים אֵ֥ת הַשָּׁמַ֖יִם וְאֵ֥ת הָאָֽרֶץ׃"
KEPT = {"\u05be": "maqaf", "\u05c3": "sof pasuq", "\u05f3": "geresh", "\u05f4": "gershayim"}
CANTILLATION = [chr(c) for c in range(0x0591, 0x05B0)]
VOWELS = [chr(c) for c in (*range(0x05B0, 0x05BE), 0x05BF, 0x05C1, 0x05C2, 0x05C7)]


def test_all_marks_is_the_source_itself() -> None:
    assert with_points(VERSE, "all") is VERSE


def test_vowels_drop_only_the_cantillation() -> None:
    printed = with_points(VERSE, "vowels")
    assert printed == "בְּרֵאשִׁית בָּרָא אֱלֹהִים אֵת הַשָּׁמַיִם וְאֵת הָאָֽרֶץ׃", "meteg is kept with the vowels"
    assert not set(printed) & set(CANTILLATION)


def test_none_drops_every_point() -> None:
    assert with_points(VERSE, "none") == "בראשית ברא אלהים את השמים ואת הארץ׃"
    assert with_points("שׁ", "none") == "ש", "a letter precomposed with its point loses it too"


@pytest.mark.parametrize("mode", POINT_MODES)
def test_maqaf_sof_pasuq_geresh_and_gershayim_survive_every_mode(mode: str) -> None:
    text = "כׇּל־זֶה׃ א׳ ב״ו"
    printed = with_points(text, mode)
    for char, name in KEPT.items():
        assert printed.count(char) == text.count(char), f"{name} lost in mode {mode}"


@pytest.mark.parametrize(("source", "printed"), [
    ("ה'", "ה׳"),
    ('רז"ל', "רז״ל"),
    ('חז"ל אָמְרוּ', "חז״ל אָמְרוּ"),
    ("ג'ירפה", "ג׳ירפה"),
    ('"בָּרוּךְ ה\' לְעוֹלָם"', '"בָּרוּךְ ה׳ לְעוֹלָם"'),  # the quotation marks stay
    ("'שָׁלוֹם'", "'שָׁלוֹם'"),  # a single quotation stays
    ("it's \"quoted\"", "it's \"quoted\""),  # English is never touched
])
def test_geresh_and_gershayim_only_in_abbreviations(source: str, printed: str) -> None:
    assert with_geresh(source) == printed


def _book(tmp_path: Path, hebrew_table: str) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(FIXTURES / "hebrew" / "01-marks.md", source)
    (source / "book.toml").write_text(f'title = "Marks"\n\n[hebrew]\n{hebrew_table}', encoding="utf-8")
    return source


def test_an_edition_without_points_keeps_the_model_and_its_punctuation(tmp_path: Path) -> None:
    source = _book(tmp_path, 'points = "none"\ngeresh = true\n')
    out = tmp_path / "out"
    result = build("pdf", "--source", str(source), "--out", str(out))
    assert result.returncode == 0, result.stderr
    # A Hebrew paragraph's last two words are joined by a no-break space (press/typography.py), which
    # PDFium copies as such.
    text = pdfium_text(out / "book.pdf").replace("\u00a0", " ")
    assert "בראשית ברא אלהים את השמים ואת הארץ׃" in text
    # Quotation marks are printed as Hebrew ones (press/typography.py, issue 12): poppler reads
    # them as printed; PDFium mirrors a closing ” read in a right-to-left run into “.
    assert "כל־זה, כמו שאמרו רז״ל: „ברוך ה׳ לעולם“" in text
    assert "רז״ל" in poppler_text(out / "book.pdf") and "ברוך ה׳ לעולם”" in poppler_text(out / "book.pdf")
    assert not set(text) & set(VOWELS + CANTILLATION)
    model = "".join(_strings(json.loads(build("model", "--source", str(source)).stdout)))
    assert VERSE in model, "the model keeps every mark"
    assert 'רז"ל' in model, "and the ASCII abbreviation"


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return [s for item in items for s in _strings(item)]


def test_vowels_edition_prints_vowels_without_cantillation(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build("pdf", "--source", str(_book(tmp_path, 'points = "vowels"\ngeresh = false\n')), "--out", str(out))
    assert result.returncode == 0, result.stderr
    # A Hebrew paragraph's last two words are joined by a no-break space (press/typography.py), which
    # PDFium copies as such.
    text = pdfium_text(out / "book.pdf").replace("\u00a0", " ")
    assert with_points(VERSE, "vowels") in text and 'רז"ל' in text


@pytest.mark.parametrize(("table", "code", "message"), [
    ('points = "some"', "config-value", '`[hebrew] points` must be one of "all", "vowels", "none", not "some"'),
    ("geresh = \"yes\"", "config-type", "`[hebrew] geresh` must be true or false"),
    ("dots = true", "config-key", "unknown key `dots` in [hebrew]"),
])
def test_bad_hebrew_settings_name_their_line(tmp_path: Path, table: str, code: str, message: str) -> None:
    source = _book(tmp_path, table + "\n")
    result = build("model", "--source", str(source))
    assert result.returncode == 1
    assert f"book.toml:4: error [{code}] {message}" in result.stderr
