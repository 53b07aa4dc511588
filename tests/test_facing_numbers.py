"""Verse numbers in the facing layout (issue 14, Deliver 3), read from the PDF: a numbered text prints
each verse's number once, at the head of its verse's first line, on both pages of the spread (Arabic
figures on the English page, Hebrew numerals on the Hebrew page), and a verse continued on the next
spread does not print it again.

A verse number is set at 0.7 em (base.css): on a page, the characters at 0.7 of the body text's size.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import CORPUS, build
from pdflines import Char, printed_chars
from test_facing import FOOT, HEAD, Facing, level_and_full_spreads

from press.hebrew import hebrew_numeral

RUTH = CORPUS / "sefaria" / "ruth"
TOML = ('title = "Ruth"\ntitle_he = "רות"\n[sefaria]\nchapters = "1"\n[hebrew]\npoints = "all"\n'
        '[print]\nlayout = "facing"\n')


@dataclass(frozen=True, slots=True)
class Number:
    text: str  # in reading order
    page: int
    baseline: float
    first: bool  # it opens its line (the leftmost on an English page, the rightmost on a Hebrew one)


def _page_area(book: Facing, page: int, keep) -> list[Char]:
    """A page's characters that `keep` accepts, the running head and the folio left out."""
    height = book.geometry[1]
    return [c for c in printed_chars(book.pdf, page) if keep(c.char) and FOOT - 6 < c.baseline < height - HEAD]


def _body(chars: list[Char]) -> float:
    return Counter(c.size for c in chars).most_common(1)[0][0]


def _is_hebrew(chars: list[Char]) -> bool:
    hebrew = sum("\u05d0" <= c.char <= "\u05ea" for c in chars)
    return hebrew > sum(c.char.isascii() and c.char.isalpha() for c in chars)


def numbers(book: Facing, hebrew: bool) -> list[Number]:
    """The verse numbers of the chapter's pages in one language, in reading order."""
    found = []
    for page in book.chapters()[0]:
        chars = _page_area(book, page, str.isprintable)
        if not chars or _is_hebrew(chars) != hebrew:
            continue
        small = 0.7 * _body(chars)
        lines: dict[float, list[Char]] = {}
        for char in chars:
            lines.setdefault(round(char.baseline, 1), []).append(char)
        for baseline in sorted(lines, reverse=True):
            ordered = sorted(lines[baseline], key=lambda c: -c.left if hebrew else c.left)
            runs: list[list[Char]] = []  # the line's runs of small characters, each a number
            for index, char in enumerate(ordered):
                if abs(char.size - small) < 0.3:
                    if not runs or ordered[index - 1] is not runs[-1][-1]:
                        runs.append([])
                    runs[-1].append(char)
            found.extend(Number("".join(c.char for c in run), page, baseline, run[0] is ordered[0]) for run in runs)
    return found


def check_numbers(book: Facing, verses: int) -> None:
    for lang, numeral in (("en", str), ("he", hebrew_numeral)):
        shown = numbers(book, lang == "he")
        assert [n.text for n in shown] == [numeral(v) for v in range(1, verses + 1)], f"{lang}: {shown}"
        for verse, number in enumerate(shown, start=1):
            assert number.first, f"{lang} verse {verse}: its number {number.text} does not open its line"
            page, baseline = book.first_baseline(f"chapter-1-b{verse}-{lang}")
            assert (number.page, abs(number.baseline - baseline) < 0.5) == (page, True), (
                f"{lang} verse {verse}: its number stands on page {number.page} at {number.baseline}, "
                f"its first line on page {page} at {baseline}")


@pytest.fixture(scope="module")
def ruth(tmp_path_factory: pytest.TempPathFactory) -> Facing:
    if not RUTH.is_dir():
        pytest.skip(f"skipped: the shared corpus is absent ({RUTH} not found)")
    source = tmp_path_factory.mktemp("ruth-facing")
    for name in ("he-taamei-hamikra.json", "en-jps-1917.json"):
        shutil.copyfile(RUTH / name, source / name)
    (source / "book.toml").write_text(TOML, encoding="utf-8")
    result = build("pdf", "--source", str(source), "--out", str(source / "out"))
    assert result.returncode == 0, result.stderr
    return Facing(source / "out" / "book.pdf", source)


def test_each_verse_of_ruth_1_prints_its_number_once_before_it_on_both_pages(ruth: Facing) -> None:
    check_numbers(ruth, 22)


def test_ruth_1_spreads_still_end_level_and_full(ruth: Facing) -> None:
    assert level_and_full_spreads(ruth) >= 1


def _version(lang: str, verses: list[str]) -> dict:
    return {"language": lang, "title": "Tiny", "heTitle": "קטן", "versionTitle": f"{lang} test",
            "versionSource": "https://example.org", "license": "CC0", "text": [verses]}


def test_a_verse_continued_on_the_next_spread_prints_its_number_once(tmp_path: Path) -> None:
    """Verse 2 is taller than a page: it breaks in both languages and continues on the next spread,
    without its number there, and its rest begins where its first piece ended (every part once, in
    order)."""
    english = " ".join(f"The road climbs, part {k}, and the walker counts the hills." for k in range(1, 61))
    hebrew = " ".join(f"הַדֶּרֶךְ עוֹלָה חֵלֶק {hebrew_numeral(k)} וְהַהוֹלֵךְ סוֹפֵר אֶת הֶהָרִים׃" for k in range(1, 41))
    source = tmp_path / "src"
    source.mkdir()
    for lang, verses in (("en", ["A short first verse.", english, "A short last verse."]),
                         ("he", ["פָּסוּק רִאשׁוֹן קָצָר׃", hebrew, "פָּסוּק אַחֲרוֹן קָצָר׃"])):
        (source / f"{lang}.json").write_text(json.dumps(_version(lang, verses), ensure_ascii=False), encoding="utf-8")
    (source / "book.toml").write_text('title = "Tiny"\ntitle_he = "קטן"\n[print]\nlayout = "facing"\n',
                                      encoding="utf-8")
    result = build("pdf", "--source", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    book = Facing(tmp_path / "out" / "book.pdf", source)
    dests = book.geometry[2]
    assert dests["chapter-1-b3-en"][0] > dests["chapter-1-b2-en"][0] + 1, "verse 2 continues on another spread"
    check_numbers(book, 3)
    for lang, parts in (("en", [f"part{k}and" for k in range(1, 61)]),
                        ("he", [f"חלק{hebrew_numeral(k)}והה" for k in range(1, 41)])):
        shown = _letters(book, lang == "he")
        at = [shown.find(part) for part in parts]
        assert -1 not in at and at == sorted(at), f"{lang}: the parts of verse 2 are not each shown once, in order"
        assert all(shown.count(part) == 1 for part in parts), f"{lang}: a part of verse 2 is shown twice"


def _letters(book: Facing, hebrew: bool) -> str:
    """The body text's letters and digits of one language's pages, in reading order, without points,
    numbers, running heads or folios."""
    text = []
    for page in book.chapters()[0]:
        chars = _page_area(book, page, str.isalnum)
        if not chars or _is_hebrew(chars) != hebrew:
            continue
        body = _body(chars)
        lines: dict[float, list[Char]] = {}
        for char in chars:
            if char.size == body:
                lines.setdefault(round(char.baseline, 1), []).append(char)
        for baseline in sorted(lines, reverse=True):
            text.extend(c.char for c in sorted(lines[baseline], key=lambda c: -c.left if hebrew else c.left))
    return "".join(text)
