"""Character codes of the glyph channel, and the CIDToGIDMap that draws them.

WeasyPrint writes each font with code = glyph id (`/CIDToGIDMap
/Identity`) and one ToUnicode entry per glyph. The glyph channel needs one
code per (glyph, characters, width), so codes are allocated above the
font's glyph ids. They go into WeasyPrint's own `font.to_unicode` and
`font.widths`, which it writes into ToUnicode and /W as usual; the one
thing it cannot write, a CIDToGIDMap sending each code to its glyph, is
added by `add_cid_maps` from write_pdf's finisher.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from press.engine.pdftext.plan import Code

# Codes start this far above the glyph ids: WeasyPrint numbers its
# replacement glyphs for missing characters just after them.
_HEADROOM = 256


@dataclass(slots=True)
class CodeBook:
    """The codes allocated in one font during one write_pdf."""

    font: object  # weasyprint.pdf.fonts.Font
    gids: dict[int, int] = field(default_factory=dict)  # code -> glyph id
    _codes: dict[Code, int] = field(default_factory=dict)

    def code(self, wanted: Code, glyph_text: str = "") -> int:
        """The code for a glyph, its text and its width (allocated once); `glyph_text` what the
        glyph stands for when the code reads otherwise."""
        found = self._codes.get(wanted)
        if found is None:
            found = self.font.glyph_count + _HEADROOM + len(self._codes)
            if found > 0xFFFF:
                raise OverflowError("more than 65536 codes in one font")
            self._codes[wanted] = found
            self.gids[found] = wanted.gid
            self.font.to_unicode[found] = wanted.text
            self.font.widths[found] = wanted.width
            # The glyph itself must survive subsetting, which keeps the
            # glyph ids among to_unicode's keys.
            self.font.to_unicode.setdefault(wanted.gid, glyph_text or wanted.text)
        return found

    def cid_to_gid(self) -> bytes:
        """The CIDToGIDMap stream: identity below our codes, then our glyphs."""
        last = max(self.gids)
        table = bytearray()
        for cid in range(last + 1):
            gid = self.gids.get(cid, cid if cid < self.font.glyph_count else 0)
            table += gid.to_bytes(2, "big")
        return bytes(table)


def add_cid_maps(pdf, books: list[CodeBook]) -> None:
    """Point each used font's CIDFont at its CIDToGIDMap (a pydyf PDF, before writing)."""
    import pydyf

    for book in books:
        if not book.gids:
            continue
        subfonts = _cid_fonts(pdf, book.font.name)
        if book.font.used_in_forms or not subfonts:
            raise RuntimeError(f"cannot attach the Hebrew text codes to font {book.font.name!r}")
        stream = pydyf.Stream([book.cid_to_gid()], compress=True)
        pdf.add_object(stream)
        for subfont in subfonts:
            subfont["CIDToGIDMap"] = stream.reference


def _cid_fonts(pdf, base_font: bytes) -> list:
    """The descendant CIDFont dictionaries of the Type 0 fonts named `base_font`."""
    found = []
    for obj in pdf.objects:
        if isinstance(obj, dict) and obj.get("Type") == "/Font" and obj.get("BaseFont") == base_font:
            for reference in obj.get("DescendantFonts") or ():
                found.append(pdf.objects[int(bytes(reference).split()[0])])
    return found
