"""One embedded program per font face in a PDF joined from pieces.

Each piece of the parallel build embeds its own subset of each face, and
the subsets cannot simply be merged glyph by glyph: WeasyPrint keeps the
glyph ids of the glyphs a piece uses, but renumbers the components of a
composite glyph that lie past the last of them (EB Garamond's "6" is a
composite of "six.lf", ten ids further on), so the same id can
hold another glyph in another piece. So each face is subset once more,
from the font file itself, with every glyph any piece of the book uses,
at its own id; all the face's font dictionaries then share that program.
Their widths, ToUnicode maps and CIDToGIDMaps stay their own.

Before a face's program replaces the pieces' own, every glyph of the
piece that uses the most is checked against it (glyph header: contour
count and bounding box): a face that cannot be matched to one of the
book's font files, or that disagrees, keeps its pieces' programs (a
larger file, the same book).
"""

from __future__ import annotations

import io
import struct
from collections import defaultdict
from pathlib import Path
from typing import Any

# What WeasyPrint 70 drops from the fonts it embeds (weasyprint/pdf/fonts.py).
_DROPPED_TABLES = ["BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH", "PCLT", "SVG "]


def consolidate_fonts(pdf: Any, faces: dict[str, Path]) -> None:
    """Give every CIDFont of one face the same program, subset from the face's file.

    `faces` maps a face's name as WeasyPrint writes it ("EB-Garamond-Bold") to its font file.
    """
    import pikepdf

    groups: dict[str, list[Any]] = defaultdict(list)
    for obj in pdf.objects:
        if (isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/CIDFontType2"
                and "/FontFile2" in obj.get("/FontDescriptor", {})):
            groups[_face(obj.FontDescriptor)].append(obj)
    for name, fonts in groups.items():
        programs = {font.FontDescriptor.FontFile2.objgen: font.FontDescriptor.FontFile2 for font in fonts}
        if len(programs) < 2 or name not in faces:
            continue
        used = [_used_glyphs(font) for font in fonts]
        program = subset_face(faces[name], set().union(*used))
        # The check is of the face's file: every piece of a face comes from that one file, so the piece
        # that uses the most glyphs is enough to tell the right file from another.
        headers = _glyph_headers(program)
        widest = max(range(len(fonts)), key=lambda i: (len(used[i]), -i))
        if not _agrees(headers, fonts[widest].FontDescriptor.FontFile2.read_bytes(), used[widest]):
            continue
        stream = pdf.make_stream(program)
        stream.Length1 = len(program)
        for font in fonts:
            font.FontDescriptor.FontFile2 = stream


def _face(descriptor: Any) -> str:
    """The face of a descriptor: its FontName without the subset tag (`ABCDEF+`)."""
    return str(descriptor.FontName).lstrip("/").split("+", 1)[-1]


def _used_glyphs(font: Any) -> set[int]:
    """The glyph ids a CIDFont shows: its codes (the keys of /W) through its CIDToGIDMap."""
    import pikepdf

    codes: set[int] = set()
    widths = list(font.get("/W", []))
    index = 0
    while index < len(widths):
        first = int(widths[index])
        if isinstance(widths[index + 1], pikepdf.Array):
            codes.update(range(first, first + len(widths[index + 1])))
            index += 2
        else:
            codes.update(range(first, int(widths[index + 1]) + 1))
            index += 3
    mapping = font.get("/CIDToGIDMap")
    if isinstance(mapping, pikepdf.Stream):
        table = mapping.read_bytes()
        return {int.from_bytes(table[2 * code:2 * code + 2], "big") for code in codes if 2 * code + 2 <= len(table)}
    return codes


def subset_face(path: Path, glyphs: set[int]) -> bytes:
    """The font at `path` with only `glyphs` (and the components they are made of), each at its own id;
    no hinting and the tables WeasyPrint drops dropped, as WeasyPrint embeds it."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True, recalcTimestamp=False, recalcBBoxes=False)
    for tag in _DROPPED_TABLES:  # before the subsetter reads them (GSUB and GPOS: most of its time)
        if tag in font:
            del font[tag]
    options = subset.Options(retain_gids=True, passthrough_tables=True, hinting=False, desubroutinize=True,
                             notdef_outline=False, glyph_names=False, ignore_missing_glyphs=True,
                             recalc_timestamp=False, recalc_bounds=False)
    options.drop_tables += _DROPPED_TABLES
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=sorted(glyphs | {0}))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out, reorderTables=False)
    return out.getvalue()


def _agrees(headers: list[bytes], own: bytes, glyphs: set[int]) -> bool:
    """Every glyph of `glyphs` has the same header in `own` as in `headers` (_glyph_headers)."""
    old = _glyph_headers(own, glyphs)
    return all(gid < len(headers) and headers[gid] == old.get(gid) for gid in glyphs)


def _glyph_headers(program: bytes, glyphs: set[int] | None = None) -> Any:
    """Glyphs' first ten bytes (contour count and bounding box; b"" when empty), read from glyf and
    loca directly: a list by glyph id, or a dict of `glyphs` only."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(program), lazy=True)
    head, maxp = font.reader["head"], font.reader["maxp"]
    long_offsets = struct.unpack(">h", head[50:52])[0] == 1
    count = struct.unpack(">H", maxp[4:6])[0]
    loca, glyf = font.reader["loca"], font.reader["glyf"]
    if long_offsets:
        offsets = struct.unpack(f">{count + 1}L", loca[:4 * (count + 1)])
    else:
        offsets = [2 * o for o in struct.unpack(f">{count + 1}H", loca[:2 * (count + 1)])]

    def header(gid: int) -> bytes:
        return bytes(glyf[offsets[gid]:min(offsets[gid + 1], offsets[gid] + 10)])

    if glyphs is None:
        return [header(gid) for gid in range(count)]
    return {gid: header(gid) for gid in glyphs if gid < count}


def face_names(faces: Any) -> dict[str, Path]:
    """The book's font files by the name WeasyPrint gives their faces in a PDF: the family, then
    "Bold" and "Italic" as Pango describes a weight of 700 and an italic style, spaces as hyphens."""
    names = {}
    for face in faces:
        words = [face.family, *(["Bold"] if face.weight == 700 else []),
                 *(["Italic"] if face.style == "italic" else [])]
        names[" ".join(words).replace(" ", "-")] = face.path
    return names
