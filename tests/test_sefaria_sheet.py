"""Sefaria source sheets: `build.py sheet FILE.json --fit 2`.

The fixture (tests/fixtures/sefaria/all-kinds.json, our own words in the
format of Sefaria's sheet API) holds every kind of item: sources with
`ref`/`heRef` and `text`, `outsideText`, `outsideBiText`, `comment` and
`media`. It builds into the same fitted PDF and standalone HTML as a sheet
file, every item in order, without the network.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES, PROJECT, build

SHEET = FIXTURES / "sefaria" / "all-kinds.json"
IN_ORDER = ["Ruth 1:16", "Do not", "urge me to leave you", "Our own rendering", "Read the verse aloud twice",
            "Loyalty is a choice", "Ask: where in your week", "A media item was left out here", "Ruth 1:17",
            "Where you die"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    out = tmp_path_factory.mktemp("sefaria-sheet")
    result = build("sheet", str(SHEET), "--fit", "2", "--source", str(PROJECT / "source"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out / "sheets", result


def test_every_item_is_printed_in_order(built: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    folder, _ = built
    text = " ".join(subprocess.run(["pdftotext", str(folder / "all-kinds.pdf"), "-"],
                                   capture_output=True, text=True, check=True).stdout.split())
    places = [text.find(phrase) for phrase in IN_ORDER]
    assert -1 not in places, dict(zip(IN_ORDER, places, strict=True))
    assert places == sorted(places)
    assert "Kindness at the threshold" in text


def test_it_fits_the_pages_asked_for(built: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    import pypdf

    folder, _ = built
    assert 1 <= len(pypdf.PdfReader(folder / "all-kinds.pdf").pages) <= 2


def test_the_media_item_is_warned_with_its_json_path(built: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    _, result = built
    assert f"{SHEET}: sources[4]: warning [sefaria-media] a media item" in result.stderr


def test_the_standalone_html_has_no_source_markup(built: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    folder, _ = built
    page = (folder / "all-kinds.html").read_text(encoding="utf-8")
    assert "footnote-marker" not in page and "<b>threshold" not in page and "<p>Read" not in page
    assert "Read the verse aloud twice" in page and "רות א׳:ט״ז" in page  # the heRef heads the Hebrew


def _bad(tmp_path: Path, data: object) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return build("sheet", str(path), "--source", str(PROJECT / "source"), "--out", str(tmp_path / "out"))


@pytest.mark.parametrize(("data", "message"), [
    ({"title": "No sources"}, "bad.json: error [sefaria-format] not a Sefaria source sheet: no `sources` list"),
    ({"sources": [{"picture": "x"}]}, "bad.json: sources[0]: error [sefaria-format] a source must hold `ref`"),
    ({"sources": [{"ref": "Ruth 1:1", "text": {"en": 3}}]},
     "bad.json: sources[0].text.en: error [sefaria-format] must be a string"),
])
def test_a_bad_sheet_is_an_error_naming_the_json_path(tmp_path: Path, data: object, message: str) -> None:
    result = _bad(tmp_path, data)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_fit_belongs_to_a_sefaria_sheet(tmp_path: Path) -> None:
    result = build("sheet", "guarded", "--fit", "2", "--source", str(PROJECT / "source"), "--out", str(tmp_path))
    assert result.returncode == 1 and "--fit is for a Sefaria source sheet" in result.stderr
