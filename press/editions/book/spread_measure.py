"""Reading the laid-out boxes of the facing layout: what the plan is made of, and what it became.

`measure` reads each paragraph of a side laid out on a page too tall to break (its lines, their
baselines, where each line begins in the model's text, the notes it calls and their heights);
`placed` reads where each paragraph piece of a laid-out side document stands, so that the plan can
be checked against the pages it produced.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from press.editions.book.spread_plan import Line, Measured
from press.engine.hyphen_turn import ends_in_hyphen
from press.model import Chapter, Emphasis, Inline, NoteRef, Paragraph, Span, Text


@dataclass(frozen=True, slots=True)
class Notes:
    heights: dict[str, float]  # a note's id -> its footnote's height
    overhead: float  # the footnote area's rule and padding


def paragraph_boxes(page_box: Any) -> Iterator[tuple[int, Any, Any]]:
    """(block number, the block's box, its paragraph's box) for each paragraph piece on a page."""
    from weasyprint.formatting_structure import boxes

    def walk(box: Any) -> Iterator[tuple[int, Any, Any]]:
        element = getattr(box, "element", None)
        if isinstance(box, boxes.BlockBox) and element is not None and element.get("data-block"):
            for child in box.children:
                if isinstance(child, boxes.BlockBox) and child.element is not None and child.element.get("lang"):
                    yield int(element.get("data-block")), box, child
            return
        if type(box).__name__ in ("MarginBox", "FootnoteAreaBox"):
            return
        for child in getattr(box, "children", ()) or ():
            yield from walk(child)

    yield from walk(page_box)


def lines_of(paragraph_box: Any) -> list[Any]:
    from weasyprint.formatting_structure import boxes

    return [child for child in paragraph_box.children if isinstance(child, boxes.LineBox)]


def measure(document: Any, chapter: Chapter, lang: str) -> tuple[dict[int, Measured], Notes]:
    """Each block's paragraph in `lang`, measured on the document's one tall page."""
    if len(document.pages) != 1:
        raise RuntimeError(f"{chapter.slug}: the measuring page broke into {len(document.pages)} pages")
    page_box = document.pages[0]._page_box
    notes = _notes(page_box, chapter)
    found: dict[int, Measured] = {}
    for number, block_box, box in paragraph_boxes(page_box):
        paragraph = chapter.blocks[_index(chapter, number)].paragraph(lang)
        if paragraph is None:
            continue
        found[number] = Measured(number, lang, _lines(box, paragraph), block_box.margin_bottom,
                                 tuple((at, notes.heights.get(ref, 0.0)) for at, ref in note_offsets(paragraph.runs)))
    return found, notes


def _index(chapter: Chapter, number: int) -> int:
    return next(i for i, block in enumerate(chapter.blocks) if block.number == number)


def _notes(page_box: Any, chapter: Chapter) -> Notes:
    area = next((child for child in page_box.children if type(child).__name__ == "FootnoteAreaBox"), None)
    if area is None or not area.children:
        return Notes({}, 0.0)
    prefix = f"{chapter.slug}-note-"
    heights = {}
    for child in area.children:
        element_id = (child.element.get("id") or "") if child.element is not None else ""
        if element_id.startswith(prefix):
            heights[element_id.removeprefix(prefix)] = child.margin_height()
    return Notes(heights, area.margin_height() - sum(c.margin_height() for c in area.children))


def _lines(box: Any, paragraph: Paragraph) -> tuple[Line, ...]:
    top = box.border_box_y()
    text = text_of(paragraph.runs)
    significant = [(i, ch) for i, ch in enumerate(text) if _significant(ch)]
    cursor = 0
    lines = []
    hyphenated = False  # the line before ends with the hyphen of a word broken there
    after_hyphen = False  # the line before ends in any hyphen, the source's too: no page should begin here
    for index, line in enumerate(lines_of(box)):
        offset, inside = (0, False) if index == 0 else (None, False)
        if index:
            found = _find(significant, _line_text(line), cursor)
            if found is not None:
                cursor, (offset, inside) = found[0], _word_start(text, found[1])
            if inside and not hyphenated:  # inside a word, but no hyphen before: not a place to cut
                offset, inside = None, False
        lines.append(Line(line.position_y - top, line.position_y + line.height - top,
                          line.position_y + line.baseline - top, offset, inside, after_hyphen))
        hyphenated, after_hyphen = _ends_with_hyphen(line), ends_in_hyphen(line)
    return tuple(lines)


def _ends_with_hyphen(line: Any) -> bool:
    """Whether the line ends with the hyphen the layout adds where it breaks a word."""
    last = None

    def walk(box: Any) -> None:
        nonlocal last
        if type(box).__name__ == "TextBox" and box.text.strip():
            last = box
        for child in getattr(box, "children", None) or ():
            walk(child)

    walk(line)
    return last is not None and last.text.endswith(last.style["hyphenate_character"])


def _significant(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LN"


def _line_text(line: Any) -> str:
    """The letters and digits a line shows (not a note call's number: generated content)."""
    parts: list[str] = []

    def walk(box: Any) -> None:
        if "::" in (box.element_tag or ""):
            return
        if type(box).__name__ == "TextBox":
            parts.append(box.text)
        for child in getattr(box, "children", None) or ():
            walk(child)

    walk(line)
    return "".join(ch for ch in "".join(parts) if _significant(ch))


def _find(significant: list[tuple[int, str]], shown: str, cursor: int) -> tuple[int, int] | None:
    """Where the line's first letters are, from `cursor` on: (significant index, text offset)."""
    probe = shown[:12]
    if not probe:
        return None
    letters = "".join(ch for _, ch in significant)
    at = letters.find(probe, cursor)
    return None if at < 0 else (at + 1, significant[at][0])


def _word_start(text: str, offset: int) -> tuple[int, bool]:
    """The line's start before the punctuation that opens it, and whether that is inside a word (a
    hyphenated line: it begins at its first letter)."""
    start = offset
    while offset > 0 and not text[offset - 1].isspace() and not _significant(text[offset - 1]):
        if text[offset - 1] in "—–-/\u2010":
            return offset, False  # a line may begin after a dash
        offset -= 1
    if offset > 0 and _significant(text[offset - 1]):
        return start, True
    return offset, False


def text_of(runs: tuple[Inline, ...]) -> str:
    """The runs' text as `split_runs` counts it: text runs only."""
    return "".join(_text(run) for run in runs)


def _text(run: Inline) -> str:
    if isinstance(run, Text):
        return run.text
    if isinstance(run, (Emphasis, Span)):
        return text_of(run.children)
    return ""


def note_offsets(runs: tuple[Inline, ...], at: int = 0) -> list[tuple[int, str]]:
    """(text offset, note id) of each note call in the runs."""
    found: list[tuple[int, str]] = []
    for run in runs:
        if isinstance(run, Text):
            at += len(run.text)
        elif isinstance(run, (Emphasis, Span)):
            found.extend(note_offsets(run.children, at))
            at += len(text_of(run.children))
        elif isinstance(run, NoteRef):
            found.append((at, run.id))
    return found


def split_runs(runs: tuple[Inline, ...], offset: int, at: int = 0
               ) -> tuple[tuple[Inline, ...], tuple[Inline, ...]]:
    """The runs before and from `offset` into their text; a note call at the offset stays before."""
    head: list[Inline] = []
    tail: list[Inline] = []
    for run in runs:
        if isinstance(run, Text):
            cut = min(max(offset - at, 0), len(run.text))
            if run.text[:cut]:
                head.append(Text(run.text[:cut]))
            if run.text[cut:]:
                tail.append(Text(run.text[cut:]))
            at += len(run.text)
        elif isinstance(run, (Emphasis, Span)):
            before, after = split_runs(run.children, offset, at)
            head.extend([type(run)(**{**_fields(run), "children": before})] if before else [])
            tail.extend([type(run)(**{**_fields(run), "children": after})] if after else [])
            at += len(text_of(run.children))
        else:
            (head if at <= offset else tail).append(run)
    return tuple(head), tuple(tail)


def _fields(run: Any) -> dict[str, Any]:
    from dataclasses import fields

    return {f.name: getattr(run, f.name) for f in fields(run)}


def placed(document: Any) -> list[list[tuple[int, str, float, float]]]:
    """Per page: (block, lang, first baseline, last line's bottom) of each paragraph piece, in px from the
    top of the page area."""
    pages = []
    for page in document.pages:
        page_box = page._page_box
        top = page_box.content_box_y()
        found = []
        for number, _, box in paragraph_boxes(page_box):
            lines = lines_of(box)
            if lines:
                found.append((number, box.element.get("lang"), lines[0].position_y + lines[0].baseline - top,
                              lines[-1].position_y + lines[-1].height - top))
        pages.append(found)
    return pages
