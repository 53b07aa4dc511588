"""A PDF's pages as the preview needs them: a digest of what each page draws, and a PNG of one page.

The digest decides which page images are made again after a rebuild. It
hashes what a page paints (its boxes, content streams and resources,
form XObjects included) but not the embedded font programs: the book's
join subsets each face again from the whole book's glyphs, so one new
letter anywhere changes every font program while the glyphs a page draws,
at the same ids, look the same. Links, outlines and the page tree are not
painted and are left out too.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
from dataclasses import dataclass
from typing import Any

# What a page paints; the rest of a page dictionary (/Parent, /Annots, /StructParents...) is not.
PAGE_KEYS = ("/MediaBox", "/CropBox", "/TrimBox", "/BleedBox", "/Rotate", "/Contents", "/Resources")
FONT_PROGRAMS = {"/FontFile", "/FontFile2", "/FontFile3"}
# The CSS pixels of a page image per PDF point, at 2 device pixels per CSS pixel for a 300px-wide page.
SCALE = 1.5


@dataclass(frozen=True, slots=True)
class PageInfo:
    digest: str  # of what the page paints
    width: float  # points (its MediaBox)
    height: float


def page_infos(pdf: bytes) -> tuple[PageInfo, ...]:
    """Every page's digest and size."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        digests = _Digests(document)
        infos = []
        for page in document.pages:
            hashed = hashlib.sha256()
            for key in PAGE_KEYS:
                if key in page.obj:
                    hashed.update(f"{key}={digests.of(page.obj[key])};".encode())
            box = [float(v) for v in page.mediabox]
            infos.append(PageInfo(hashed.hexdigest()[:32], box[2] - box[0], box[3] - box[1]))
        return tuple(infos)


# An indirect reference in unparsed PDF syntax, and a font descriptor's reference to its font program.
REFERENCE = re.compile(rb"(\d+) (\d+) R\b")
FONT_PROGRAM = re.compile(rb"/FontFile[23]?\s+\d+ \d+ R\b")


class _Digests:
    """Digests of PDF objects, each indirect object hashed once. An object is hashed as its PDF
    syntax (one call into qpdf, not one Python object per number of a widths array) with each
    reference replaced by the digest of what it refers to, so the numbering of objects, which
    changes from one join to the next, does not count."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.memo: dict[tuple[int, int], str] = {}

    def of(self, value: Any) -> str:
        objgen = value.objgen if hasattr(value, "objgen") else (0, 0)
        if objgen == (0, 0):  # direct
            syntax = value.unparse() if hasattr(value, "unparse") else repr(value).encode()
            return self._hash(syntax, b"")
        return self._indirect(objgen)

    def _indirect(self, objgen: tuple[int, int]) -> str:
        if objgen in self.memo:
            return self.memo[objgen]
        self.memo[objgen] = "cycle"  # a reference back to an object being hashed
        import pikepdf

        value = self.document.get_object(objgen)
        if isinstance(value, pikepdf.Stream):
            result = self._hash(value.stream_dict.unparse(), value.read_raw_bytes())
        else:
            result = self._hash(value.unparse(resolved=True), b"")
        self.memo[objgen] = result
        return result

    def _hash(self, syntax: bytes, data: bytes) -> str:
        syntax = FONT_PROGRAM.sub(b"/FontFile", syntax)
        hashed = hashlib.sha256(data)
        hashed.update(REFERENCE.sub(lambda m: self._indirect((int(m[1]), int(m[2]))).encode(), syntax))
        return hashed.hexdigest()


# PDFium is not thread-safe: one page is rendered at a time, whichever request asks.
_PDFIUM = threading.Lock()


class Rasterizer:
    """PNG images of one PDF's pages (PDFium, the engine of Chrome's PDF viewer)."""

    def __init__(self, pdf: bytes) -> None:
        import pypdfium2

        with _PDFIUM:
            self._document = pypdfium2.PdfDocument(pdf)
        self.closed = False

    def png(self, index: int) -> bytes | None:
        """Page `index` as a PNG; None once closed (a newer build replaced it)."""
        with _PDFIUM:
            if self.closed:
                return None
            page = self._document[index]
            try:
                image = page.render(scale=SCALE, may_draw_forms=False).to_pil()
            finally:
                page.close()
        out = io.BytesIO()
        image.save(out, "PNG", compress_level=1)  # fast: a page is made while the reader waits
        return out.getvalue()

    def close(self) -> None:
        with _PDFIUM:
            self.closed = True
            self._document.close()
