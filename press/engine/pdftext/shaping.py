"""Reading a text box's first line out of Pango, as WeasyPrint 70 draws it.

`weasyprint.draw.text.draw_first_line` turns Pango's glyphs into a TJ with
its own arithmetic (x offsets divided by the font size, widths through
FROM_UNITS, kerning truncated to an integer). `read_line` replays that
arithmetic to find where each glyph is painted, so the glyphs can be
written differently but land where WeasyPrint would have put them. Tests
pin it against WeasyPrint's own output (tests/test_pdftext.py).
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass

from press.engine.pdftext.plan import Glyph, cluster_texts, is_point


@dataclass(frozen=True, slots=True)
class Line:
    """A box's first line: one font, its glyphs, its runs' logical text."""

    font: object  # weasyprint.pdf.fonts.Font
    font_size: float
    glyphs: list[Glyph]
    runs: list[tuple[str, bool]]  # (logical text, right-to-left), in visual order
    blank_gid: int


def read_line(stream, textbox) -> Line | None:
    """The first line of `textbox`, or None when it is not one right-to-left,
    single-font line of ordinary glyphs, numbers aside (then WeasyPrint draws
    it itself)."""
    from weasyprint.text.ffi import ffi

    first_line, _ = textbox.pango_layout.get_first_line()
    items = []
    run = first_line.runs[0]
    while run != ffi.NULL:
        items.append(run.data)
        run = run.next
    fonts = {item.item.analysis.font for item in items}
    if len(fonts) != 1 or not any(_rtl(item) for item in items) or not all(
            _rtl(item) or _number(item, textbox) for item in items):
        return None
    font, font_size = _font(stream, textbox, items[0].item.analysis.font)
    if font is None:
        return None
    return _glyphs(stream, textbox, items, font, font_size)


def _rtl(glyph_item) -> bool:
    # Pango's `level` is a guint8 that WeasyPrint's cdef reads as a guint.
    return bool(glyph_item.item.analysis.level & 0xFF & 1)


def _number(glyph_item, textbox) -> bool:
    """A left-to-right item of a right-to-left line holding no letter: a number ("מהדורה שנייה,
    2025"). Its glyphs are in visual order like the rest, and every reader orders it as the
    line's bidi wants; a Latin word would not fare so well in PDFium, so it is left out."""
    if textbox.style["direction"] != "rtl":
        return False
    utf8 = textbox.pango_layout.text.encode()
    text = utf8[glyph_item.item.offset:glyph_item.item.offset + glyph_item.item.length].decode()
    return not any(unicodedata.bidirectional(char) == "L" for char in text)


def _font(stream, textbox, pango_font):
    from weasyprint.text.ffi import pango

    font, font_size = stream.add_font(pango_font)
    if font.bitmap or font.png or font.svg or font.colr or font.type != "ttf":
        return None, 0.0
    if pango.pango_version() < 14802:  # as WeasyPrint: Pango issue 530
        font_size = textbox.style["font_size"]
    return font, font_size


def _glyphs(stream, textbox, items, font, font_size) -> Line | None:
    from weasyprint.text.ffi import FROM_UNITS, pango

    utf8 = textbox.pango_layout.text.encode()
    codes = cmap(font.hash, font.file_content, font.index)
    blank = codes.get(0x20)
    spaces = frozenset(codes[c] for c in range(0x2000, 0x200C) if c in codes)
    glyphs: list[Glyph] = []
    runs: list[tuple[str, bool]] = []
    pen = 0.0
    for item in items:
        texts = _item_texts(item, utf8, spaces)
        if texts is None or blank is None:
            return None
        runs.append((utf8[item.item.offset:item.item.offset + item.item.length].decode(), _rtl(item)))
        string = item.glyphs
        for index in range(string.num_glyphs):
            info = string.glyphs[index]
            width = info.geometry.width
            if info.glyph == pango.PANGO_GLYPH_EMPTY or (info.glyph in spaces and texts[index] == ("", "")):
                pen += width / font_size  # nothing to paint (a space the font inserted stands for nothing)
                continue
            if info.glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG:
                return None
            offset = info.geometry.x_offset / font_size
            logical = _logical_width(stream, font, item.item.analysis.font, info.glyph, font_size)
            kerning = logical + offset - width * 1000 * FROM_UNITS / font_size
            text, extra = texts[index]
            if extra:  # points the letter's glyph also shows: a blank stands for them
                glyphs.append(Glyph(blank, pen + offset, 0, 0, extra))
            glyphs.append(Glyph(info.glyph, pen + offset, logical - int(kerning), info.geometry.y_offset / 1000, text))
            pen += offset + logical - int(kerning)
    return Line(font, font_size, glyphs, runs, blank)


def _logical_width(stream, font, pango_font, gid: int, font_size: float) -> int:
    """The glyph's width in the PDF's W array, filled as WeasyPrint fills it."""
    from weasyprint.text.ffi import FROM_UNITS, pango

    if gid not in font.widths:
        pango.pango_font_get_glyph_extents(pango_font, gid, stream.ink_rect, stream.logical_rect)
        font.widths[gid] = round(stream.logical_rect.width * 1000 * FROM_UNITS / font_size)
    return font.widths[gid]


def _item_texts(item, utf8: bytes, spaces: frozenset[int] = frozenset()) -> list[tuple[str, str]] | None:
    """(characters, points for a placeholder) of each glyph of a Pango glyph
    item, by glyph index (None: cannot tell)."""
    texts = [("", "")] * item.glyphs.num_glyphs
    for chars, painted in _letter_clusters(item, utf8):
        # A spacing glyph the font inserts into a cluster (Keter YG puts a hair space before some
        # pointed letters) stands for no character.
        members = [i for i in painted if not (item.glyphs.glyphs[i].glyph in spaces and not chars.isspace())]
        found = cluster_texts(chars, len(members))
        if found is None:
            return None
        shown, extra = found
        for index, text in zip(members, shown, strict=True):
            texts[index] = (text, extra if index == members[-1] else "")
    return texts


def _letter_clusters(item, utf8: bytes) -> list[tuple[str, list[int]]]:
    """The item's clusters as (characters, painted glyph indices in visual order).

    HarfBuzz sometimes makes a point its own cluster (a meteg after a
    vowel); it belongs to its letter's cluster, or PDFium would read the
    points of the two clusters in the wrong order.
    """
    from weasyprint.text.ffi import pango

    string, offset = item.glyphs, item.item.offset
    painted: dict[int, list[int]] = {}  # cluster start -> its painted glyphs, in visual order
    for index in range(string.num_glyphs):
        members = painted.setdefault(string.log_clusters[index], [])
        if string.glyphs[index].glyph != pango.PANGO_GLYPH_EMPTY:
            members.append(index)
    starts = sorted(painted)
    ends = dict(zip(starts, [*starts[1:], item.item.length], strict=True))
    merged: list[tuple[str, list[int]]] = []
    for start in starts:
        chars = utf8[offset + start:offset + ends[start]].decode()
        members = painted[start]
        if merged and is_point(chars):
            chars, members = merged[-1][0] + chars, sorted(merged.pop()[1] + members)
        if members:
            merged.append((chars, members))
    return merged


def cmap(font_hash: str, content: bytes, index: int) -> dict[int, int]:
    """Code point -> glyph id of a font (its best cmap), read once per face."""
    key = (font_hash, len(content), index)
    if key not in _CMAPS:
        from fontTools.ttLib import TTFont

        font = TTFont(io.BytesIO(content), fontNumber=index, lazy=True)
        order = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
        _CMAPS[key] = {code: order[name] for code, name in font.getBestCmap().items()}
    return _CMAPS[key]


_CMAPS: dict[tuple[str, int, int], dict[int, int]] = {}
