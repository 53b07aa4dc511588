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
        memo: dict[tuple[int, int], str] = {}
        infos = []
        for page in document.pages:
            hashed = hashlib.sha256()
            for key in PAGE_KEYS:
                if key in page.obj:
                    hashed.update(f"{key}={_digest(page.obj[key], memo)};".encode())
            box = [float(v) for v in page.mediabox]
            infos.append(PageInfo(hashed.hexdigest()[:32], box[2] - box[0], box[3] - box[1]))
        return tuple(infos)


def _digest(value: Any, memo: dict[tuple[int, int], str]) -> str:
    """A digest of a PDF object and everything it refers to, each indirect object hashed once."""
    import pikepdf

    objgen = value.objgen if isinstance(value, pikepdf.Object) else (0, 0)
    if objgen != (0, 0) and objgen in memo:
        return memo[objgen]
    if objgen != (0, 0):
        memo[objgen] = "cycle"  # a reference back to an object being hashed
    hashed = hashlib.sha256()
    if isinstance(value, pikepdf.Stream):
        hashed.update(b"stream" + value.read_raw_bytes())
        hashed.update(_dictionary(value.stream_dict, memo, skip={"/Length"}).encode())
    elif isinstance(value, pikepdf.Dictionary):
        hashed.update(_dictionary(value, memo).encode())
    elif isinstance(value, pikepdf.Array):
        hashed.update(("[" + ",".join(_digest(item, memo) for item in value) + "]").encode())
    elif isinstance(value, pikepdf.Object):
        hashed.update(value.unparse())
    else:
        hashed.update(repr(value).encode())
    result = hashed.hexdigest()
    if objgen != (0, 0):
        memo[objgen] = result
    return result


def _dictionary(value: Any, memo: dict[tuple[int, int], str], skip: set[str] = FONT_PROGRAMS) -> str:
    keys = sorted(key for key in value if key not in skip and key not in FONT_PROGRAMS)
    return "{" + ",".join(f"{key}:{_digest(value[key], memo)}" for key in keys) + "}"


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
