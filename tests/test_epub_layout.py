"""Issue 12, deliverable 8: the EPUB columns' gutter in both directions, measured in headless Chromium
at 1200 px, and the Hebrew-led cover centred (measured on the cover image)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import build

WIDTH = 1200
_MEASURE = """<script><![CDATA[
var gaps = [];
document.querySelectorAll('.block.pair').forEach(function (pair) {
  var boxes = Array.prototype.map.call(pair.querySelectorAll(':scope > p'), function (p) {
    return p.getBoundingClientRect(); });
  if (boxes.length == 2) {
    boxes.sort(function (a, b) { return a.left - b.left; });
    gaps.push(Math.round(boxes[1].left - boxes[0].right));
  }
});
document.body.setAttribute('data-gaps', gaps.join(' '));
]]></script>"""


@pytest.fixture(scope="module")
def column_epubs(tmp_path_factory: pytest.TempPathFactory, seed_chapter: Path) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("epub-columns")
    epubs = {}
    for primary in ("en", "he"):
        source = root / f"src-{primary}"
        source.mkdir()
        shutil.copy(seed_chapter, source / seed_chapter.name)
        (source / "book.toml").write_text(f'title = "A Test Book"\ntitle_he = "סֵפֶר נִסָּיוֹן"\nauthor = "Tester"\n'
                                          f'primary = "{primary}"\n[epub]\nlayout = "columns"\n', encoding="utf-8")
        out = root / f"out-{primary}"
        result = build("epub", "--source", str(source), "--out", str(out))
        assert result.returncode == 0, result.stderr
        epubs[primary] = out / "book.epub"
    return epubs


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("headless Chromium is required (Debian: chromium)")
    return found


def _measured_dom(chapter: Path, script: str, width: int = WIDTH) -> str:
    """The DOM of `chapter` after `script` (added to its body) ran in headless Chromium at `width` px."""
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("</body>", script + "</body>"), encoding="utf-8")
    return subprocess.run([_chromium(), "--headless", "--no-sandbox", "--disable-gpu", f"--window-size={width},900",
                           "--dump-dom", chapter.as_uri()], capture_output=True, text=True, timeout=120).stdout


@pytest.mark.parametrize("primary", ["en", "he"])
def test_columns_have_a_gutter_at_1200_px(column_epubs, tmp_path: Path, primary: str) -> None:
    folder = tmp_path / "epub"
    with zipfile.ZipFile(column_epubs[primary]) as epub:
        epub.extractall(folder)
    chapter = folder / "EPUB" / "text" / "chapter-45.xhtml"
    dom = _measured_dom(chapter, _MEASURE)
    found = re.search(r'data-gaps="([^"]*)"', dom)
    assert found and found.group(1), "no pair laid out as two columns at 1200 px"
    gaps = [int(g) for g in found.group(1).split()]
    assert len(gaps) >= 10
    assert min(gaps) >= 12, f"columns {min(gaps)} px apart in the {primary}-led e-book"


def test_the_hebrew_led_cover_is_centred(column_epubs) -> None:
    from PIL import Image

    with zipfile.ZipFile(column_epubs["he"]) as epub:
        image = Image.open(io.BytesIO(epub.read("EPUB/images/cover.jpg"))).convert("RGB")
    width, height = image.size
    pixels = image.load()

    def gold(x: int, y: int) -> bool:
        r, g, b = pixels[x, y]
        return r > 150 and g > 120 and b < 120 and r - b > 70  # the frame's and the rule's #c9a94f

    inner = range(int(width * 0.1), int(width * 0.9))  # inside the frame
    rows = [y for y in range(int(height * 0.1), int(height * 0.9)) if sum(gold(x, y) for x in inner) > width // 20]
    assert rows, "no rule found on the cover"
    xs = [x for x in inner if gold(x, rows[len(rows) // 2])]
    middle = (min(xs) + max(xs)) / 2
    assert abs(middle - width / 2) <= width * 0.01, f"the rule's middle at {middle} px of {width}"


_FURNITURE = """<script><![CDATA[
var section = document.querySelector('section.chapter').getBoundingClientRect();
var indents = Array.prototype.map.call(document.querySelectorAll('p.commentary[lang="en"]'), function (p) {
  var box = p.getBoundingClientRect();
  return Math.round(box.left - section.left) + ':' + Math.round(section.right - box.right); });
var styles = Array.prototype.map.call(document.querySelectorAll('p[lang="en"] > em'), function (em) {
  var style = getComputedStyle(em);
  return style.fontStyle + ':' + style.fontWeight; });
document.body.setAttribute('data-indents', indents.join(' '));
document.body.setAttribute('data-styles', styles.join(' '));
]]></script>"""


@pytest.fixture(scope="module")
def hebrew_led_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample, Hebrew-led, in the stacked e-book layout, unzipped: it has English commentary and
    English emphasis (<em>Songs of Ascent</em>, <em>shamar</em>)."""
    root = tmp_path_factory.mktemp("epub-he-sample")
    source = root / "src"
    shutil.copytree(Path(__file__).parent.parent / "source", source, ignore=shutil.ignore_patterns("sheets"))
    toml = source / "book.toml"
    toml.write_text(re.sub(r'(?m)^primary = "en"', 'primary = "he"', toml.read_text(encoding="utf-8")),
                    encoding="utf-8")
    result = build("epub", "--source", str(source), "--out", str(root / "out"))
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(root / "out" / "book.epub") as epub:
        epub.extractall(root / "epub")
    return root / "epub"


def _measure_furniture(folder: Path, name: str) -> tuple[list[tuple[int, int]], list[str]]:
    chapter = folder / "EPUB" / "text" / name
    dom = _measured_dom(chapter, _FURNITURE)
    indents = re.search(r'data-indents="([^"]*)"', dom)
    styles = re.search(r'data-styles="([^"]*)"', dom)
    assert indents and styles, "the measuring script did not run"
    pairs = [tuple(int(n) for n in item.split(":")) for item in indents.group(1).split()]
    return pairs, styles.group(1).split()  # type: ignore[return-value]


def test_english_in_a_hebrew_led_e_book_keeps_its_own_furniture(hebrew_led_sample: Path) -> None:
    """English commentary is indented on its left (its own inline start), not on the page's right; an
    English <em> is italic: Hebrew emphasis is bold because Hebrew has no italic, which is a rule for
    Hebrew text, not for every em on a Hebrew-led page."""
    indents, styles = _measure_furniture(hebrew_led_sample, "chapter-1.xhtml")
    assert len(indents) >= 3 and styles, (indents, styles)
    assert all(left >= 12 for left, _ in indents), f"English commentary's left indent {indents}"
    assert all(right < 12 for _, right in indents), f"indented on the right {indents}"
    assert all(style.startswith("italic") and not style.endswith("700") for style in styles), styles


_WEIGHTS = """<script><![CDATA[
document.body.setAttribute('data-weights', Array.prototype.map.call(
  document.querySelectorAll('p.translation'), function (p) { return getComputedStyle(p).fontWeight; }).join(' '));
]]></script>"""


def test_the_english_e_book_reads_as_running_text_not_bold(tmp_path: Path, seed_chapter: Path) -> None:
    """The `english` layout sets the translation as the book's prose, in the body weight, as the print
    layout does (templates/layouts/english/layout.css); bold is the stacked layout's cue beside Hebrew."""
    source = tmp_path / "src"
    source.mkdir()
    shutil.copy(seed_chapter, source / seed_chapter.name)
    (source / "book.toml").write_text('title = "A Test Book"\nauthor = "Tester"\n[epub]\nlayout = "english"\n',
                                      encoding="utf-8")
    result = build("epub", "--source", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "epub"
    with zipfile.ZipFile(tmp_path / "out" / "book.epub") as epub:
        epub.extractall(folder)
    chapter = folder / "EPUB" / "text" / "chapter-45.xhtml"
    dom = _measured_dom(chapter, _WEIGHTS)
    found = re.search(r'data-weights="([^"]*)"', dom)
    assert found and found.group(1), "no translation paragraph measured"
    assert set(found.group(1).split()) == {"400"}, found.group(1)



_VERSE_NUMBERS = r"""<script><![CDATA[
var apart = [];
document.querySelectorAll('.run-on .verse-number').forEach(function (number) {
  var box = number.getBoundingClientRect();
  var walker = document.createTreeWalker(number.parentNode, NodeFilter.SHOW_TEXT);
  var node, seen = false;
  while ((node = walker.nextNode())) {
    if (number.contains(node)) { seen = true; continue; }
    if (!seen) continue;
    var at = node.data.search(/\S/);
    if (at < 0) continue;
    var range = document.createRange(); range.setStart(node, at); range.setEnd(node, at + 1);
    var word = range.getBoundingClientRect();
    if (Math.abs(word.bottom - box.bottom) > box.height) apart.push(number.textContent);
    break;
  }
});
document.body.setAttribute('data-apart', apart.join(' '));
document.body.setAttribute('data-numbers', document.querySelectorAll('.run-on .verse-number').length);
]]></script>"""


@pytest.mark.parametrize("width", [500, 600, 700, 800])
def test_a_run_on_verse_number_stays_on_its_verses_line(tmp_path: Path, width: int) -> None:
    """In a run-on layout (english, hebrew) a verse's number and the verse's first word are one
    unbreakable unit: never a number at a line's end with its verse on the next (Ruth 1:9 at 600 px
    was "…with me. 9" / "The LORD…")."""
    from conftest import CORPUS

    ruth = CORPUS / "sefaria" / "ruth"
    if not (ruth / "en-jps-1917.json").exists():
        pytest.skip(f"skipped: the shared corpus is absent ({ruth} not found)")
    source = tmp_path / "src"
    source.mkdir()
    for name in ("en-jps-1917.json", "he-taamei-hamikra.json"):
        shutil.copy(ruth / name, source / name)
    (source / "book.toml").write_text('title = "Ruth"\nauthor = "Tester"\n[sefaria]\nchapters = "1"\n'
                                      '[epub]\nlayout = "english"\n', encoding="utf-8")
    result = build("epub", "--source", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "out" / "book.epub") as epub:
        epub.extractall(tmp_path / "epub")
    chapter = tmp_path / "epub" / "EPUB" / "text" / "chapter-1.xhtml"
    dom = _measured_dom(chapter, _VERSE_NUMBERS, width)
    found = re.search(r'data-apart="([^"]*)" data-numbers="([^"]*)"', dom)
    assert found and int(found.group(2)) == 22, "the measuring script did not run over Ruth 1's 22 verses"
    assert not found.group(1), f"verse numbers {found.group(1)} end a line apart from their verse at {width} px"


_SIZES = """<script><![CDATA[
var body = parseFloat(getComputedStyle(document.body).fontSize);
document.body.setAttribute('data-sizes', Array.prototype.map.call(
  document.querySelectorAll('p.commentary, p.intro'), function (p) {
    return (parseFloat(getComputedStyle(p).fontSize) / body).toFixed(3); }).join(' '));
]]></script>"""


def test_commentary_is_nine_tenths_of_the_text_not_compounded(hebrew_led_sample: Path) -> None:
    """Introduction and commentary at 0.9 of the body's size, as in print (9.5 pt of 10.5): the size was
    set on both the block and its paragraph, which made 0.81."""
    chapter = hebrew_led_sample / "EPUB" / "text" / "chapter-2.xhtml"
    dom = _measured_dom(chapter, _SIZES)
    sizes = re.search(r'data-sizes="([^"]*)"', dom)
    assert sizes and sizes.group(1), "the measuring script did not run, or found no commentary"
    assert {float(size) for size in sizes.group(1).split()} == {0.9}, sizes.group(1)
