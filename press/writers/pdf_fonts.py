"""One embedded program per font face in a PDF joined from pieces.

Each piece of the parallel build embeds its own subset of each face.
WeasyPrint subsets with HarfBuzz keeping the glyph ids (RETAIN_GIDS) and
writes `/CIDToGIDMap` (Identity, or press.pdftext's map) per font
dictionary, so a glyph id means the same glyph in every piece: the
subsets of one face merge into one program holding every glyph any of
them holds, which all their font dictionaries then share. Their widths,
ToUnicode maps and CIDToGIDMaps stay their own. Deterministic: the
programs merge in the order they appear in the book.
"""

from __future__ import annotations

import io
import struct
from collections import defaultdict
from typing import Any

_MAXP_FIELDS = ("maxPoints", "maxContours", "maxCompositePoints", "maxCompositeContours", "maxZones",
                "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs", "maxStackElements",
                "maxSizeOfInstructions", "maxComponentElements", "maxComponentDepth")


def consolidate_fonts(pdf: Any) -> None:
    """Give every font descriptor of one face the same merged FontFile2."""
    import pikepdf

    groups: dict[str, list[Any]] = defaultdict(list)
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor" and "/FontFile2" in obj:
            groups[_face(obj)].append(obj)
    for descriptors in groups.values():
        programs: dict[bytes, None] = {}
        for descriptor in descriptors:
            programs.setdefault(descriptor.FontFile2.read_bytes(), None)
        merged = merge_programs(list(programs)) if len(programs) > 1 else next(iter(programs))
        stream = pdf.make_stream(merged)
        stream.Length1 = len(merged)
        for descriptor in descriptors:
            descriptor.FontFile2 = stream


def _face(descriptor: Any) -> str:
    """The face of a descriptor: its FontName without the subset tag (`ABCDEF+`)."""
    return str(descriptor.FontName).lstrip("/").split("+", 1)[-1]


def merge_programs(programs: list[bytes]) -> bytes:
    """One TrueType program with every glyph of `programs` (subsets of one font, same glyph ids)."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables.DefaultTable import DefaultTable

    fonts = [TTFont(io.BytesIO(p), lazy=True, recalcBBoxes=False, recalcTimestamp=False) for p in programs]
    glyphs = [_glyphs(font) for font in fonts]
    base = max(range(len(fonts)), key=lambda i: (len(glyphs[i]), -i))
    count = len(glyphs[base])
    data, offsets = bytearray(), [0]
    for gid in range(count):
        found = next((g[gid] for g in [glyphs[base], *glyphs] if gid < len(g) and g[gid]), b"")
        data += found + b"\0" * (-len(found) % 4)
        offsets.append(len(data))
    font = fonts[base]
    font["head"].indexToLocFormat = 1
    for field in _MAXP_FIELDS:
        if hasattr(font["maxp"], field):
            setattr(font["maxp"], field, max(getattr(f["maxp"], field, 0) for f in fonts))
    # Raw tables: written as they are, never recompiled from glyph objects.
    font["glyf"], font["loca"] = DefaultTable("glyf"), DefaultTable("loca")
    font["glyf"].data, font["loca"].data = bytes(data), struct.pack(f">{len(offsets)}L", *offsets)
    out = io.BytesIO()
    font.save(out, reorderTables=False)
    return out.getvalue()


def _glyphs(font: Any) -> list[bytes]:
    """Each glyph's bytes, by glyph id (b"" for an empty glyph), read from glyf and loca directly."""
    head, maxp = font.reader["head"], font.reader["maxp"]
    long_offsets = struct.unpack(">h", head[50:52])[0] == 1
    count = struct.unpack(">H", maxp[4:6])[0]
    loca, glyf = font.reader["loca"], font.reader["glyf"]
    if long_offsets:
        offsets = struct.unpack(f">{count + 1}L", loca[:4 * (count + 1)])
    else:
        offsets = [2 * o for o in struct.unpack(f">{count + 1}H", loca[:2 * (count + 1)])]
    return [bytes(glyf[offsets[i]:offsets[i + 1]]) for i in range(count)]

