"""Issue 12, deliverables 1 and 2: hyphenation and line breaks by the language of the text, quotation marks.

The rules are unit-tested on press/typography.py; the seed chapter's PDFs are then read line by
line with PDFium (tests/pdflines.py) in two layouts and both primary languages.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import PROJECT, build
from hebrew_text import poppler_text
from lxml import html as lxml_html
from pdflines import hyphenated, printed_lines

from press.model import Emphasis, Text
from press.typography import TRANSLITERATIONS, Keep, Rules, typeset

RULES = Rules()
BOOK_TOML = 'title = "A Test Book"\ntitle_he = "סֵפֶר נִסָּיוֹן"\nauthor = "Tester"\nprimary = "{primary}"\n'


def printed(text: str, lang: str, rules: Rules = RULES) -> str:
    """The printed characters, without the no-break space and word joiners of kept Hebrew words."""
    text = "".join(run.text for run in typeset((Text(text),), lang, rules))  # type: ignore[union-attr]
    return text.replace("\u00a0", " ").replace("\u2060", "")


# Quotation marks --------------------------------------------------------------

@pytest.mark.parametrize(("source", "expected"), [
    ('"with his heart"—with', "“with his heart”—with"),
    ("one's soul, the fathers' way", "one’s soul, the fathers’ way"),
    ("'the soul' (lit., \"beauty\")", "‘the soul’ (lit., “beauty”)"),
    ("in the '90s", "in the ’90s"),
])
def test_english_quotes_are_typographic(source: str, expected: str) -> None:
    assert printed(source, "en") == expected


@pytest.mark.parametrize(("source", "expected"), [
    ('וְנִתְלַבֵּשׁ בְּ"מַשְׁכָּא דְחִוְיָא",', "וְנִתְלַבֵּשׁ בְּ„מַשְׁכָּא דְחִוְיָא”,"),  # after a one-letter prefix
    ('וּ"מֶלֶךְ אָסוּר בָּרְהָטִים" – "בִּרְהִיטֵי מוֹחָא",', "וּ„מֶלֶךְ אָסוּר בָּרְהָטִים” – „בִּרְהִיטֵי מוֹחָא”,"),
    ("וְיָשׁוֹב אֶל ה' וִירַחֲמֵהוּ", "וְיָשׁוֹב אֶל ה׳ וִירַחֲמֵהוּ"),
    ('שֶׁאָמְרוּ רז"ל', "שֶׁאָמְרוּ רז״ל"),
    ('ב"ה', "ב״ה"),  # gershayim before the last letter, even after one letter
    ("ג'ירפה", "ג׳ירפה"),
])
def test_hebrew_gershayim_geresh_and_paired_quotes(source: str, expected: str) -> None:
    assert printed(source, "he") == expected


def test_the_hebrew_quotation_style_is_the_books() -> None:
    rules = Rules(hebrew_quotes="”“")
    assert printed('כִּי "יַעֲקֹב חֶבֶל נַחֲלָתוֹ".', "he", rules) == "כִּי ”יַעֲקֹב חֶבֶל נַחֲלָתוֹ“."


def test_a_quote_closes_after_emphasis_in_another_run() -> None:
    runs = typeset((Text('as "'), Emphasis((Text("lishmah"),)), Text('" is')), "en", RULES)
    assert runs[0] == Text("as “") and runs[-1] == Text("” is")


# Kept words -------------------------------------------------------------------

def test_divine_names_and_maqaf_words_never_break() -> None:
    runs = typeset((Text("the love of G-d and the L\u2011rd, more than any word at all"),), "en", RULES)
    assert Keep("G-d", True, "en") in runs and Keep("L\u2011rd", True, "en") in runs
    runs = typeset((Text("חַיֵּי הַחַיִּים אֵין־סוֹף בָּרוּךְ־הוּא, הַמְמַלֵּא כָּל עָלְמִין"),), "he", RULES)
    assert runs == (Text("חַיֵּי הַחַיִּים אֵין־\u2060סוֹף בָּרוּךְ־\u2060הוּא, הַמְמַלֵּא כָּל\u00a0עָלְמִין"),)


def test_names_transliterations_and_the_last_word_are_not_hyphenated() -> None:
    runs = typeset((Text("our forefather Abraham, with lishmah, chesed and compassion performance"),), "en", RULES)
    kept = [run for run in runs if isinstance(run, Keep)]
    assert kept == [Keep(word, False, "en") for word in ("Abraham", "lishmah", "chesed", "performance")]
    assert Keep("Ein Sof", True, "en") in typeset((Text("the blessed Ein Sof, Who pervades"),), "en", RULES)
    book_words = Rules(never_hyphenated=("compassion",))
    assert Keep("compassion", False, "en") in typeset((Text("with compassion for them"),), "en", book_words)


def test_a_hebrew_paragraph_keeps_its_last_two_words_together() -> None:
    runs = typeset((Text("כִּי יַעֲקֹב חֶבֶל נַחֲלָתוֹ."),), "he", RULES)
    assert runs == (Text("כִּי יַעֲקֹב חֶבֶל\u00a0נַחֲלָתוֹ."),)


def test_the_model_keeps_the_sources_characters(seed_source: Path) -> None:
    model = build("model", "--source", str(seed_source))
    assert model.returncode == 0, model.stderr
    text = json.dumps(json.loads(model.stdout), ensure_ascii=False)
    assert 'בְּ\\"מַשְׁכָּא' in text and "אֶל ה' וִירַחֲמֵהוּ" in text
    assert "„" not in text and "\u05f4" not in text


# The printed seed chapter -----------------------------------------------------

def _source(root: Path, seed: Path, primary: str, layout: str, extra: str = "") -> Path:
    source = root / f"{layout}-{primary}"
    source.mkdir()
    shutil.copy(seed, source / seed.name)
    (source / "book.toml").write_text(BOOK_TOML.format(primary=primary) + f'[print]\nlayout = "{layout}"\n'
                                      + extra, encoding="utf-8")
    return source


@pytest.fixture(scope="module")
def seed_pdfs(tmp_path_factory: pytest.TempPathFactory, seed_chapter: Path) -> dict[tuple[str, str], Path]:
    root = tmp_path_factory.mktemp("typography")
    pdfs = {}
    for layout in ("stacked", "columns"):
        for primary in ("en", "he"):
            source = _source(root, seed_chapter, primary, layout)
            out = root / f"out-{layout}-{primary}"
            result = build("pdf", "--source", str(source), "--out", str(out))
            assert result.returncode == 0, result.stderr
            pdfs[(layout, primary)] = out / "book.pdf"
    return pdfs


CASES = [(layout, primary) for layout in ("stacked", "columns") for primary in ("en", "he")]


@pytest.mark.parametrize("primary", ["en", "he"])
def test_english_hyphenates_whichever_language_leads(seed_pdfs, primary: str) -> None:
    count = len(hyphenated(printed_lines(seed_pdfs[("stacked", primary)])))
    assert count >= 5, f"{count} hyphenated English lines in the {primary}-led book"


@pytest.mark.parametrize(("layout", "primary"), CASES)
def test_no_break_inside_a_divine_name_or_after_a_maqaf(seed_pdfs, layout: str, primary: str) -> None:
    for line in printed_lines(seed_pdfs[(layout, primary)]):
        assert not re.search(r"\b[GL][-\u2011\u2010]$", line.text), f"page {line.page + 1}: {line.text!r}"
        assert not line.text.startswith("\u05be"), f"a line ends after a maqaf: {line.text!r}"


@pytest.mark.parametrize(("layout", "primary"), CASES)
def test_hyphenation_limits(seed_pdfs, layout: str, primary: str) -> None:
    lines = printed_lines(seed_pdfs[(layout, primary)])
    listed = tuple(word.lower() for word in TRANSLITERATIONS)
    for line, after in hyphenated(lines):
        head = re.sub(r"^\W+", "", line.words[-1][:-1])
        assert len(head) >= 3, f"fewer than 3 letters before the break: {line.text!r}"
        assert not head[0].isupper(), f"a capitalised word hyphenated: {line.text!r}"
        assert not any(word.startswith(head.lower()) for word in listed), f"a transliteration split: {line.text!r}"
        if after is not None:
            tail = re.match(r"\w*", after.words[0]).group()
            assert len(tail) >= 3, f"fewer than 3 letters after the break: {after.text!r}"
            assert len(after.words) > 1, f"a paragraph's last line is the tail of a word: {after.text!r}"


def test_hebrew_quotes_as_printed_and_copied(seed_pdfs) -> None:
    text = re.sub("[\u200f\u202a-\u202e]", "", poppler_text(seed_pdfs[("stacked", "he")]))  # bidi controls
    assert "בְּ„מַשְׁכָּא" in text and "וּ„מֶלֶךְ" in text and "לִפְנֵי ה׳" in text
    hebrew_lines = [line for line in text.splitlines() if re.search("[\u05d0-\u05ea]", line)]
    assert not any('"' in line for line in hebrew_lines), "an ASCII quote printed in Hebrew"


def test_the_samples_markdown_english_prints_typographic_quotes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build("html", "--source", str(PROJECT / "source"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    tree = lxml_html.parse(str(out / "book.html"))
    english = " ".join(p.text_content() for p in tree.xpath('//body//*[@lang="en"][self::p or self::span]'))
    assert "“to guard”" in english
    assert '"' not in english and "'" not in english


def test_no_edition_may_break_in_a_divine_name_or_after_a_maqaf(seed_source: Path, tmp_path: Path) -> None:
    """The HTML every edition shares: each G-d in an element that never wraps, a word joiner
    after each maqaf; and the sheet's lines as PDFium reads them."""
    out = tmp_path / "out"
    assert build("html", "--source", str(seed_source), "--out", str(out)).returncode == 0
    assert build("sheet", "--source", str(seed_source), "--out", str(out)).returncode == 0
    html = (out / "book.html").read_text(encoding="utf-8")
    tree = lxml_html.fromstring(html)
    names = tree.xpath("//body//text()[contains(., 'G-d')]")
    assert len(names) >= 10
    for node in names:
        assert node.getparent().get("class") == "keep" and node.strip().startswith("G-d"), repr(node)
    assert html.count("\u05be") >= 2
    assert html.count("\u05be") == html.count("\u05be\u2060"), "a maqaf without a word joiner after it"
    for line in printed_lines(out / "sheet.pdf"):
        assert not line.text.startswith("\u05be"), f"the sheet breaks a line after a maqaf: {line.text!r}"


def test_hyphenation_words_in_book_toml(seed_chapter: Path, tmp_path: Path) -> None:
    source = _source(tmp_path, seed_chapter, "en", "stacked", '\n[hyphenation]\nnever = ["compassion"]\n')
    out = tmp_path / "out"
    assert build("html", "--source", str(source), "--out", str(out)).returncode == 0
    html = (out / "book.html").read_text(encoding="utf-8")
    assert '<span class="unhyphenated" lang="en" dir="ltr">compassion</span>' in html
    (source / "book.toml").write_text(BOOK_TOML.format(primary="en") + '[hyphenation]\nnever = "compassion"\n',
                                      encoding="utf-8")
    result = build("model", "--source", str(source))
    assert result.returncode == 1
    assert "book.toml:6: error [config-type] `[hyphenation] never` must be a list of strings" in result.stderr
