"""A long chapter laid out in segments (press/editions/book/segments.py) gives the pages it gets laid out
whole: the same page breaks, text, glyph positions, anchors and outline, at a threshold lowered so that a
chapter of a couple of hundred notes is split; and when the segments' predicted starts are wrong, the
segment laid out again from the page where the one before it starts a page still gives them."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from conftest import PROJECT
from pdftools import anchors, drawn_glyphs, outline, page_texts

NOTES = 220
THRESHOLD = "60"  # blocks: the chapter's 221 are cut into four segments


def notes_source(folder: Path, notes: int = NOTES) -> Path:
    """One chapter of `notes` pairs, each English paragraph calling one note (the shape of bench/scale.py's
    notes axis), in our own filler words."""
    body = [f"An opening paragraph of a chapter of {notes} notes."]
    for number in range(1, notes + 1):
        body += [f"The teacher asks what the soul gains in the body, and answers slowly (pair {number}).{number}",
                 "שִׁיר לַמַּעֲלוֹת אֶשָּׂא עֵינַי אֶל־הֶהָרִים"]
    texts = [f"{number}. A note on pair {number}, with a reference (Isaiah 41:8)." for number in range(1, notes + 1)]
    folder.mkdir(parents=True)
    (folder / "chapter-1.txt").write_text("\n\n".join([*body, "Notes", *texts]) + "\n", encoding="utf-8")
    (folder / "book.toml").write_text('title = "Segments"\ntitle_he = "חֲלָקִים"\nauthor = "Tester"\n',
                                      encoding="utf-8")
    return folder


def build_pdf(source: Path, out: Path, threshold: str) -> Path:
    env = {**os.environ, "PRESS_BUILD_CACHE": str(out.parent / f"cache-{out.name}"),
           "SOURCE_DATE_EPOCH": "1700000000", "PRESS_SPLIT_BLOCKS": threshold}
    result = subprocess.run([sys.executable, str(PROJECT / "build.py"), "pdf", "--source", str(source), "--out",
                             str(out)], env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return out / "book.pdf"








@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("segments")
    source = notes_source(folder / "source")
    return {"source": source, "whole": build_pdf(source, folder / "whole", "0"),
            "split": build_pdf(source, folder / "split", THRESHOLD),
            "again": build_pdf(source, folder / "again", THRESHOLD)}


def test_a_split_chapter_has_the_pages_of_the_whole_chapter(books) -> None:
    whole, split = page_texts(books["whole"]), page_texts(books["split"])
    assert len(whole) == len(split) > 30
    assert [page.split() for page in split] == [page.split() for page in whole]
    assert drawn_glyphs(books["split"]) == drawn_glyphs(books["whole"]), "every glyph where the whole layout has it"
    assert anchors(books["split"]) == anchors(books["whole"])
    assert outline(books["split"]) == outline(books["whole"])


def test_a_split_chapter_is_reproducible_byte_for_byte(books) -> None:
    assert books["split"].read_bytes() == books["again"].read_bytes()


def test_segments_that_do_not_meet_are_laid_out_again_where_the_one_before_starts_a_page(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every predicted start one block late: no segment meets the one before (its pages hold the same
    number of blocks each, out of step), so each is laid out again from a page start of the one before."""
    from press.diagnostics import Reporter
    from press.editions.book import layouts, segments, worker
    from press.engine.pool import InProcess
    from press.engine.splice import splice
    from press.readers import read_book

    book = read_book(notes_source(tmp_path / "source", 160), Reporter())
    worker.start(book)
    chapter = book.chapters[0]
    whole = worker.lay_out_chapter(0)
    cuts = segments.cuts(chapter, layouts.load(book.settings.print.layout), 50)
    assert len(cuts) == 3
    predicted = segments.predict
    monkeypatch.setattr(segments, "predict", lambda pilot, targets: tuple(s + 1 for s in predicted(pilot, targets)))
    met: list[bool] = []
    meeting = segments.meeting
    monkeypatch.setattr(segments, "meeting", lambda *args: met.append(meeting(*args) is not None) or meeting(*args))
    spliced = segments.lay_out_split(InProcess(), 0, chapter, cuts)
    assert spliced is not None
    assert met == [False, True] * 3, "each segment missed, and its second layout met"
    assert spliced.names == whole.names and spliced.starts == whole.starts
    pdf = splice([(segment.pdf, first, end) for segment, first, end in spliced.ranges])
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == whole.pages
    assert drawn_glyphs(pdf) == drawn_glyphs(whole.pdf)


def test_only_a_long_chapter_of_a_layout_of_one_flow_is_split() -> None:
    from press.diagnostics import Reporter
    from press.editions.book import layouts, segments
    from press.readers import read_book

    chapter = read_book(PROJECT / "source", Reporter()).chapters[0]
    blocks = len(chapter.blocks)
    stacked, facing, english = (layouts.load(name) for name in ("stacked", "facing", "english"))
    assert segments.cuts(chapter, stacked, blocks) == ()
    assert segments.cuts(chapter, stacked, 0) == (), "0: never split"
    assert len(segments.cuts(chapter, stacked, max(1, blocks // 3))) % 2 == 1, "an even number of segments"
    assert segments.cuts(chapter, facing, 1) == () and segments.cuts(chapter, english, 1) == ()


def test_segments_meet_only_where_both_start_a_page_cleanly_on_the_same_side() -> None:
    from press.editions.book.segments import Segment, meeting, restart

    def segment(clean: list[int | None], trusted: int | None = None) -> Segment:
        pages = len(clean)
        return Segment(0, b"", ("chapter",) * pages, (None,) * pages, tuple(clean),
                       pages if trusted is None else trusted)

    before = segment([None, 6, 12, 18, 24, 30, 36], trusted=5)  # its last two pages saw the cut
    assert meeting(before, 0, segment([12, 18, 24])) == (3, 1), "block 18 on an odd page of both"
    assert meeting(before, 0, segment([18, 24, 30])) is None, "the same blocks, on the other side"
    assert meeting(before, 0, segment([13, 19, 25])) is None, "out of step"
    assert meeting(before, 0, segment([30, 36, 42])) is None, "only past the pages of `before` it trusts"
    assert meeting(before, 3, segment([12, 18, 24])) == (4, 2), "the first meeting past the page taken from"
    assert restart(before, 0, 100) == 4, "the last even clean page with a clean page after it"
    assert restart(before, 0, 24) == 2, "before the next segment starts"
    assert restart(segment([None, None, 12, None, None]), 0, 100) is None
