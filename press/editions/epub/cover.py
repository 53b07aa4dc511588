"""The cover image: the book's titles set by WeasyPrint, rasterized by PDFium.

Reading systems and shops want a raster cover (JPEG or PNG, at least 1600
px tall). It is made from the book's titles, so the Hebrew must be shaped
and ordered right: Pillow alone cannot do that without libraqm, which
Debian's wheel-less setups often lack, so the cover is laid out as a
one-page PDF with the book's own fonts (templates/epub/cover.html) and
rasterized with pypdfium2, a self-contained wheel. Both steps are
deterministic, so the image's bytes depend on the titles alone.
"""

from __future__ import annotations

import io
from concurrent.futures import Executor, Future

from press.engine.cached_jobs import job_key, submit_cached
from press.engine.render import render
from press.model import Book

EDITION = "epub"
WIDTH_IN, HEIGHT_IN = 5.0, 7.5  # the cover's proportions (2:3)
HEIGHT_PX = 2400  # Amazon and Apple recommend at least 1600 px of height
COVER_FILE = "images/cover.jpg"
MEDIA_TYPE = "image/jpeg"
QUALITY = 85


def cover_image(book: Book, titles: tuple[tuple[str, str], ...]) -> bytes:
    """A JPEG of the cover: both titles, the primary language's first, and the author."""
    import pypdfium2

    from press.engine.fonts import ensure_static_fonts
    from press.engine.pdf import lay_out

    html = render(EDITION, "cover.html", book=book, titles=titles, faces=ensure_static_fonts(),
                  font_url=lambda face: face.path.as_uri(), width=f"{WIDTH_IN}in", height=f"{HEIGHT_IN}in")
    pdf = lay_out(html, EDITION, []).write_pdf()
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=HEIGHT_PX / (HEIGHT_IN * 72)).to_pil().convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=QUALITY, optimize=True, progressive=False)
    return buffer.getvalue()


def cover_job(pool: Executor, book: Book, titles: tuple[tuple[str, str], ...]) -> Future:
    """`cover_image` from the build cache, else made in `pool`: the titles, the book's primary
    language and author are all of the model it shows (the key also holds the templates and fonts)."""
    from press.engine.fonts import ensure_static_fonts

    fonts = tuple(face.path for face in ensure_static_fonts())
    key = job_key("epub-cover", repr(titles), book.primary, book.author, book.settings.author_he,  # type: ignore[attr-defined]
                  font_files=fonts)
    return submit_cached(pool, key, ".jpg", cover_image, book, titles)
