"""What a PDF says about itself: dates, reading direction, page layout, ids.

Everything here is deterministic: with SOURCE_DATE_EPOCH set, the same
sources give the same bytes, PDF/X-4 included (WeasyPrint would put a
random uuid4 in its XMP DocumentID and the current time in its dates).
"""

from __future__ import annotations

import os
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from press.model import Book

_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")


def created() -> str:
    """The build's date for the PDF metadata: SOURCE_DATE_EPOCH, else none (WeasyPrint's default)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch.isdigit():
        return ""
    return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def options(book: Book) -> dict[str, Any]:
    """write_pdf options for the book's [print] settings."""
    variant = book.settings.print.pdf or None
    return {"pdf_variant": variant, "pdf_identifier": True, "finisher": _finisher(book)}


def _finisher(book: Book):
    def finish(document: Any, pdf: Any) -> None:
        import pydyf

        # Every book opens as two-page spreads; Hebrew-led books read right to left.
        pdf.catalog["PageLayout"] = "/TwoPageRight"
        if book.primary == "he":
            preferences = pdf.catalog.get("ViewerPreferences") or pydyf.Dictionary()
            preferences["Direction"] = "/R2L"
            pdf.catalog["ViewerPreferences"] = preferences
        _stable_document_id(pdf, book)

    return finish


def _stable_document_id(pdf: Any, book: Book) -> None:
    """Replace PDF/X-4's random XMP DocumentID with one derived from the book."""
    import pydyf

    stable = uuid.uuid5(uuid.NAMESPACE_URL, f"bilingual-press:{book.title}:{book.author}:{created()}")
    replacement = f"xmp.did:{stable}".encode()
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream) and obj.extra.get("Subtype") == "/XML":
            obj.stream = [_DOCUMENT_ID.sub(replacement, _as_bytes(chunk)) for chunk in obj.stream]


def _as_bytes(chunk: Any) -> bytes:
    return chunk if isinstance(chunk, bytes) else str(chunk).encode()
