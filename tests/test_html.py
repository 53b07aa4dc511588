"""The HTML by structure: lang/dir on every block, isolated direction changes, notes."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, PROJECT
from lxml import html as lxml_html

from press.diagnostics import Reporter
from press.editions.book import single_html
from press.readers import read_book

BLOCK_TAGS = ("p", "h1", "h2", "h3", "section", "aside", "li", "td", "th", "blockquote")


def book_tree(source: Path):
    book = read_book(source, Reporter())
    return lxml_html.fromstring(single_html(book))


@pytest.fixture(params=["sample", "seed", "mixed"])
def tree(request, seed_source: Path, tmp_path: Path):
    if request.param == "sample":
        return book_tree(PROJECT / "source")
    if request.param == "seed":
        return book_tree(seed_source)
    (tmp_path / "mixed-direction.md").write_bytes((FIXTURES / "readers" / "mixed-direction.md").read_bytes())
    return book_tree(tmp_path)


def test_every_block_has_lang_and_dir(tree) -> None:
    blocks = [e for e in tree.iter(*BLOCK_TAGS)]
    assert blocks
    for element in blocks:
        assert element.get("lang") in ("en", "he"), lxml_html.tostring(element)[:120]
        assert element.get("dir") == {"en": "ltr", "he": "rtl"}[element.get("lang")]


def test_every_language_span_carries_its_direction(tree) -> None:
    for span in tree.iter("span"):
        if span.get("lang"):
            assert span.get("dir") == {"en": "ltr", "he": "rtl"}[span.get("lang")]


def test_hebrew_letters_inside_english_blocks_sit_in_rtl_spans(tree) -> None:
    for paragraph in tree.xpath('//p[@lang="en"]'):
        direct_text = "".join(paragraph.xpath("text()|./em/text()|./strong/text()"))
        assert not any("\u05d0" <= ch <= "\u05ea" for ch in direct_text), lxml_html.tostring(paragraph)


def test_footnotes_carry_their_source_number_and_unique_ids(tree) -> None:
    notes = tree.xpath('//span[@class="footnote"]')
    ids = [n.get("id") for n in notes]
    assert len(ids) == len(set(ids))
    for note in notes:
        assert note.get("id").endswith("-note-" + note.get("data-call"))


def test_sample_notes_are_all_present() -> None:
    tree = book_tree(PROJECT / "source")
    assert len(tree.xpath('//span[@class="footnote"]')) == 4


def test_seed_calls_without_note_text_print_a_placeholder_note(seed_source: Path) -> None:
    """Issue 12: [notes] missing = "mark" (the default): the call and a note saying its text is missing."""
    tree = book_tree(seed_source)
    notes = tree.xpath('//span[@class="footnote missing-note"]')
    assert [n.get("data-call") for n in notes] == [str(n) for n in range(1, 10)]
    assert notes[2].text == "The text of note 3 is missing."


def test_source_markup_is_escaped_never_passed_through(tmp_path: Path) -> None:
    (tmp_path / "01-hostile.md").write_bytes((FIXTURES / "hostile" / "01-hostile.md").read_bytes())
    tree = book_tree(tmp_path)
    markup = "self::img or self::link or self::style or self::iframe or self::script or self::object"
    assert not tree.xpath(f"//body//*[{markup}]")
    # printed with typographic quotes (press/typography.py), but as text, never as markup
    assert '<img src=“file:///etc/passwd”>' in tree.text_content()
