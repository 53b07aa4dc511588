"""Issue 12, deliverable 9: what a print shop's preflight reads, from the PDF's own objects (pikepdf).

The sample book with `pdf = "pdf/x-4"`, Hebrew folios, a 3 mm bleed and crop marks, built twice
from nothing (each with its own build cache) with SOURCE_DATE_EPOCH set.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from conftest import PROJECT

from press.engine.preflight import MARK_GAP

BLEED = 3 / 25.4 * 72  # 3mm in pt
PRINT = '[print]\ntrim = "5.5in 8.5in"\npdf = "pdf/x-4"\nfolio = "hebrew"\nbleed = "3mm"\nmarks = true\n'


def _source(root: Path, print_table: str = PRINT) -> Path:
    source = root / "source"
    source.mkdir()
    for chapter in (PROJECT / "source").iterdir():
        if chapter.suffix in (".md", ".txt"):
            shutil.copy(chapter, source / chapter.name)
    toml = (PROJECT / "source" / "book.toml").read_text(encoding="utf-8")
    (source / "book.toml").write_text(re.sub(r"\[print\]\n(.+\n)*", print_table, toml), encoding="utf-8")
    return source


def _build(source: Path, out: Path, cache: Path, *commands: str) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PRESS_BUILD_CACHE": str(cache)}
    for command in commands:
        result = subprocess.run([sys.executable, str(PROJECT / "build.py"), command, "--source", str(source),
                                 "--out", str(out)], capture_output=True, text=True, env=env, check=False)
        assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def press_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("preflight")
    source = _source(root)
    for run in ("one", "two"):
        _build(source, root / run, root / f"cache-{run}", "pdf", "booklet")
    return root / "one", root / "two"


def test_press_outputs_are_byte_identical_between_two_runs(press_builds) -> None:
    one, two = press_builds
    for name in ("book.pdf", "booklet.pdf"):
        assert (one / name).read_bytes() == (two / name).read_bytes(), f"{name} differs between two runs"


@pytest.mark.parametrize("name", ["book.pdf", "booklet.pdf"])
def test_pdf_x4_has_a_cmyk_output_intent(press_builds, name: str) -> None:
    with pikepdf.open(press_builds[0] / name) as pdf:
        intents = pdf.Root.OutputIntents
        assert len(intents) == 1
        intent = intents[0]
        assert intent.S == "/GTS_PDFX"
        assert str(intent.OutputConditionIdentifier) == "FOGRA39"
        assert str(intent.RegistryName) == "http://www.color.org"
        profile = intent.DestOutputProfile
        assert int(profile.N) == 4
        header = profile.read_bytes()[:40]
        assert header[12:20] == b"prtrCMYK" and header[36:40] == b"acsp", "a CMYK output (printer) profile"
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfx:GTS_PDFXVersion") == "PDF/X-4"
        for page in pdf.pages:
            assert "/TrimBox" in page.obj, "PDF/X needs a TrimBox on every page"


def _streams(pdf: pikepdf.Pdf):
    """Every content stream: the pages' and, recursively, their form XObjects'."""
    seen: set[tuple[int, int]] = set()

    def forms(resources):
        for xobject in resources.get("/XObject", {}).values():
            if xobject.objgen not in seen and xobject.get("/Subtype") == "/Form":
                seen.add(xobject.objgen)
                yield xobject
                yield from forms(xobject.get("/Resources", {}))

    for page in pdf.pages:
        contents = page.obj.Contents
        yield from ([contents] if isinstance(contents, pikepdf.Stream) else list(contents))
        yield from forms(page.Resources)


@pytest.mark.parametrize("name", ["book.pdf", "booklet.pdf"])
def test_pdf_x4_text_and_rules_are_k_only(press_builds, name: str) -> None:
    colours = 0
    with pikepdf.open(press_builds[0] / name) as pdf:
        for stream in _streams(pdf):
            for operands, operator in pikepdf.parse_content_stream(stream):
                op = str(operator)
                assert op not in ("rg", "RG"), "an RGB colour in a content stream"
                if op in ("cs", "CS"):
                    assert str(operands[0]) in ("/DeviceCMYK", "/DeviceGray"), f"colour space {operands[0]}"
                if op in ("k", "K", "sc", "SC", "scn", "SCN") and len(operands) == 4:
                    colours += 1
                    assert [float(v) for v in operands[:3]] == [0, 0, 0], f"not K only: {operands} {op}"
    assert colours > 0


def test_crop_marks_stand_outside_the_bleed(press_builds) -> None:
    with pikepdf.open(press_builds[0] / "book.pdf") as pdf:
        for page in pdf.pages:
            media, bleed, trim = ([float(v) for v in page.obj[key]] for key in ("/MediaBox", "/BleedBox", "/TrimBox"))
            assert media[0] < bleed[0] and media[1] < bleed[1] and media[2] > bleed[2] and media[3] > bleed[3]
            assert bleed == pytest.approx([trim[0] - BLEED, trim[1] - BLEED, trim[2] + BLEED, trim[3] + BLEED],
                                          abs=0.01)
            lines = _stroked_lines(page.obj.Contents[-1])
            assert len(lines) == 8, "four corners, two marks each"
            for x, y in (point for line in lines for point in line):
                outside = max(bleed[0] - x, x - bleed[2], bleed[1] - y, y - bleed[3])
                assert outside >= MARK_GAP - 0.01, f"a crop mark inside the bleed at {x}, {y}"
                assert media[0] <= x <= media[2] and media[1] <= y <= media[3]


def _stroked_lines(stream: pikepdf.Stream) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    lines, start = [], None
    for operands, operator in pikepdf.parse_content_stream(stream):
        if str(operator) == "m":
            start = (float(operands[0]), float(operands[1]))
        elif str(operator) == "l" and start is not None:
            lines.append((start, (float(operands[0]), float(operands[1]))))
    return lines


@pytest.mark.parametrize(("value", "message"), [
    ('"missing.icc"', '`[print] output_profile`: no file "missing.icc" beside book.toml'),
    ('"rgb.icc"', '`[print] output_profile`: "rgb.icc" is not a CMYK output (printer) ICC profile'),
])
def test_a_bad_output_profile_names_its_line(tmp_path: Path, value: str, message: str) -> None:
    source = _source(tmp_path, PRINT + f"output_profile = {value}\n")
    import weasyprint

    shutil.copy(Path(weasyprint.__file__).parent / "pdf" / "sRGB2014.icc", source / "rgb.icc")
    result = subprocess.run([sys.executable, str(PROJECT / "build.py"), "model", "--source", str(source)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    line = (source / "book.toml").read_text(encoding="utf-8").splitlines().index(f"output_profile = {value}") + 1
    assert f"book.toml:{line}: error [config-value] {message}" in result.stderr
    assert "Traceback" not in result.stderr
