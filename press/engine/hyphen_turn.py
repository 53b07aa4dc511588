"""No hyphen across a page turn: a page break inside a paragraph moves above a hyphenated line.

A reader who turns the page on "perform-" holds half a word in mind until the
next page shows "ance". A typesetter (TeX's \\brokenpenalty) breaks the page
one line earlier instead, where the paragraph's orphans and widows still allow,
else one more line earlier, and so on; where no such line exists (orphans
forbid every cut above the hyphen) the paragraph's whole piece moves to the next
page, when something stands above it there to keep the page from being empty:
the page ends with a few lines of white (issue 12 allows two), never a hyphen.
WeasyPrint 70 breaks a paragraph between pages in two places, each left to do
its own work and then corrected:

- `_break_line` (layout/block.py): the page is full in the middle of a
  paragraph; it keeps the lines that fit, less those the widows need. The
  lines it kept become `_linebox_layout`'s `new_children`, whose last line's
  `resume_at` is where the next page resumes (`_linebox_layout` reads it after
  the call), so dropping lines from the end is all a break one line earlier
  takes. The whole piece moves as WeasyPrint moves a paragraph whose orphans do
  not fit: `_break_line` aborts it (`abort`, no lines kept), and the paragraph's
  parent breaks before it.
- `find_earlier_page_break` (its line-box branch): a later block may not
  start the page's last lines (a pair's second paragraph, `break-after:
  avoid`), so the page breaks inside an earlier paragraph, keeping all its
  lines but the widows. Where every cut there ends in a hyphen it answers as
  for a paragraph too short to break (None): the caller then looks for a
  break before the paragraph, as its own search goes on.

Lines dropped go through WeasyPrint's own `remove_placeholders`, which gives
their footnotes back to the waiting list, as for the lines `_break_line`
drops for widows: the notes move with their calls.

A line ends in a hyphen where the last text it shows ends with the
hyphenate-character WeasyPrint added when it broke the word there (U+2010 by
default, never in our sources: "G-d" is set with U+002D and never breaks). A
source's own hyphen at a line's end ("well-" / "known") is avoided too, as TeX
avoids every line ending at a discretionary: the page would still begin with
the rest of a word the reader must join across the turn. `tests/test_hyphen_turn.py`
pins the two functions this corrects.
"""

from __future__ import annotations

from typing import Any

SOURCE_HYPHENS = ("-", "\u2010")  # a hyphen the source wrote, breakable after it (U+2011 never breaks)

_installed = False


def ends_in_hyphen(line: Any) -> bool:
    """Whether a line box ends with a hyphenated word: one WeasyPrint hyphenated, or a source's
    hyphenated compound broken after its hyphen."""
    last = _last_text(line)
    if last is None:
        return False
    text = last.text.rstrip()
    if text.endswith(last.style["hyphenate_character"]):
        return True
    return len(text) > 1 and text.endswith(SOURCE_HYPHENS) and text[-2].isalpha()


def _last_text(box: Any) -> Any:
    """The last text box with visible text in the line, in the tree's (logical) order."""
    for child in reversed(getattr(box, "children", None) or ()):
        found = _last_text(child)
        if found is not None:
            return found
    if type(box).__name__ == "TextBox" and box.text.strip():
        return box
    return None


def lines_to_keep(lines: list[Any], orphans: int) -> int | None:
    """How many of `lines` (a page's share of a paragraph) to keep: all of them, or fewer so that the
    last does not end in a hyphen, never fewer than `orphans`; None when no such line exists (the
    whole piece should move to the next page)."""
    for keep in range(len(lines), orphans - 1, -1):
        if keep and not ends_in_hyphen(lines[keep - 1]):
            return keep
    return None


def _drop_hyphen(context: Any, lines: list[Any], keep: int, absolute_boxes: Any, fixed_boxes: Any) -> None:
    """Drop lines from the end of `lines` (in place), keeping `keep`; their footnotes go back to wait."""
    from weasyprint.layout.block import remove_placeholders

    remove_placeholders(context, lines[keep:], absolute_boxes, fixed_boxes)
    del lines[keep:]


def _break_line(original: Any) -> Any:
    def break_line(context: Any, box: Any, line: Any, new_children: list[Any], needed: int, page_is_empty: bool,
                   index: int, skip_stack: Any, resume_at: Any, absolute_boxes: Any, fixed_boxes: Any) -> Any:
        abort, stop, resume = original(context, box, line, new_children, needed, page_is_empty, index,
                                       skip_stack, resume_at, absolute_boxes, fixed_boxes)
        if abort or not stop:
            return abort, stop, resume
        keep = lines_to_keep(new_children, box.style["orphans"])
        if keep is None and not page_is_empty:
            # As the original does where the orphans do not fit: the paragraph is cancelled on this
            # page (block_container_layout gives its footnotes back) and its parent breaks before it.
            _drop_hyphen(context, new_children, 0, absolute_boxes, fixed_boxes)
            return True, False, resume_at
        if keep is not None:
            _drop_hyphen(context, new_children, keep, absolute_boxes, fixed_boxes)
        return abort, stop, resume

    break_line.__wrapped__ = original  # type: ignore[attr-defined]
    return break_line


def _find_earlier_page_break(original: Any) -> Any:
    def find_earlier_page_break(context: Any, children: list[Any], absolute_boxes: Any, fixed_boxes: Any) -> Any:
        from weasyprint.formatting_structure.boxes import LineBox

        if not children or not isinstance(children[0], LineBox):
            return original(context, children, absolute_boxes, fixed_boxes)
        style = children[0].style
        kept = len(children) - style["widows"]  # what the original keeps, if orphans allow
        if kept < style["orphans"]:
            return original(context, children, absolute_boxes, fixed_boxes)
        keep = lines_to_keep(children[:kept], style["orphans"])
        if keep is None:
            return None  # no cut here: the caller looks for one before this paragraph
        result = original(context, children, absolute_boxes, fixed_boxes)
        lines = list(result[0])
        if keep == len(lines):
            return result
        _drop_hyphen(context, lines, keep, absolute_boxes, fixed_boxes)
        return lines, {0: lines[-1].resume_at}  # as the original's own resume point for its lines

    find_earlier_page_break.__wrapped__ = original  # type: ignore[attr-defined]
    return find_earlier_page_break


def install() -> None:
    """Wrap the two functions (once per process). block.py calls both by their module-level names, and
    table.py imports `find_earlier_page_break` from it at each call, so the wrappers are what they call."""
    global _installed
    if _installed:
        return
    from weasyprint.layout import block

    block._break_line = _break_line(block._break_line)
    block.find_earlier_page_break = _find_earlier_page_break(block.find_earlier_page_break)
    _installed = True
