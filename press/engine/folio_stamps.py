"""Folios stamped from a few laid-out samples instead of one WeasyPrint page each.

WeasyPrint spends about 5 ms on every page it makes, even one that only
carries a page number: a thousand-page book's folios cost more than five
seconds. But with tabular figures, folios of the same number of digits on
pages of the same name and side differ only in their glyph codes: the
same font, size, position and width. So for each digit count the build
lays out one small sample document (press/editions/book/worker.py,
`lay_out_folio_samples`): a page showing the ten figures in the folio's
font (so the document's font holds them all), then two pages (an even and
an odd folio) for each page name. Every page of the book is then a copy
of its sample with the codes of its own folio in place of the sample's.

`Samples.read` checks that stamping gives what WeasyPrint would have
drawn: one `TJ` of one code per character in each sample, no kerning,
codes that agree with the figures page, figures of one width, labels as
book.css prints them. When any check fails (a proportional or Hebrew
folio, a layout that draws folios differently) the build falls back to
laying each page's folio out (press.editions.book.worker.lay_out_furniture).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

FIGURES = "0123456789"


@dataclass(frozen=True, slots=True)
class SamplePage:
    """A sample: its page in the samples PDF, and the folio it was laid out with."""

    index: int
    name: str
    folio: int


def first_sample_folio(digits: int) -> int:
    """The figures page's folio in the sample document for `digits`: the first odd one of that length
    (a document's first page is a recto, and the parity of a folio decides its side)."""
    return 1 if digits == 1 else 10 ** (digits - 1) + 1


def sample_names(names: tuple[str, ...], digits: int) -> list[tuple[str, int]] | None:
    """(page name, folio) of each sample page after the figures page, or None when they would not
    all have `digits` digits (more page names than a one-digit document has room for)."""
    first = first_sample_folio(digits) + 1
    pages = [(name, first + 2 * n + side) for n, name in enumerate(names) for side in (0, 1)]
    return pages if all(len(str(folio)) == digits for _, folio in pages) else None


@dataclass(frozen=True, slots=True)
class Samples:
    """The sample pages and what stamping needs from them."""

    pdf: bytes
    pages: tuple[SamplePage, ...]
    codes: dict[str, int]  # a figure -> its glyph code in the samples' folio font

    @classmethod
    def read(cls, pdf: bytes, pages: tuple[SamplePage, ...], figure_pages: tuple[int, ...],
             label: Any) -> Samples | None:
        """The samples, or None when stamping would not give WeasyPrint's folios (see the module)."""
        import pikepdf

        with pikepdf.open(io.BytesIO(pdf)) as document:
            codes: dict[str, int] | None = None
            for index in figure_pages:
                shown = _shown(document.pages[index])
                figures = [run for run in shown if len(run[1]) == len(FIGURES)]
                if len(figures) != 1 or not _tabular(document.pages[index], figures[0]):
                    return None
                found = dict(zip(FIGURES, figures[0][1], strict=True))
                if codes is not None and found != codes:
                    return None
                codes = found
            if codes is None:
                return None
            for page in pages:
                shown = _shown(document.pages[page.index])
                text = label(page.folio)
                if not shown:
                    continue  # a page of this name and side has no folio
                if (len(shown) != 1 or shown[0][2] or any(char not in codes for char in text)
                        or shown[0][1] != [codes[char] for char in text]):
                    return None
        return cls(pdf, pages, codes)


def _shown(page: Any) -> list[tuple[str, list[int], bool]]:
    """Each TJ/Tj of a page: (font resource, its codes, whether it moves between glyphs)."""
    import pikepdf

    runs: list[tuple[str, list[int], bool]] = []
    font = ""
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name == "Tf":
            font = str(operands[0])
        elif name in ("TJ", "Tj"):
            items = list(operands[0]) if name == "TJ" else [operands[0]]
            data = b"".join(bytes(item) for item in items if isinstance(item, pikepdf.String))
            moves = any(not isinstance(item, pikepdf.String) and float(item) != 0 for item in items)
            runs.append((font, [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2)], moves))
        elif name in ("'", '"'):
            runs.append((font, [], True))  # never written by WeasyPrint: not stampable
    return runs


def _tabular(page: Any, run: tuple[str, list[int], bool]) -> bool:
    """The figures' font draws them all one width, two bytes a code, glyph id as code."""
    font = page.Resources.Font.get(run[0])
    if font is None or str(font.get("/Encoding")) != "/Identity-H":
        return False
    descendant = font.DescendantFonts[0]
    if str(descendant.get("/CIDToGIDMap", "/Identity")) != "/Identity":
        return False
    widths = _widths(descendant.get("/W", []))
    return len({widths.get(code) for code in run[1]}) == 1 and None not in {widths.get(c) for c in run[1]}


def _widths(array: Any) -> dict[int, float]:
    """A CIDFont's /W array as code -> width."""
    import pikepdf

    widths: dict[int, float] = {}
    items = list(array)
    index = 0
    while index < len(items):
        first = int(items[index])
        if isinstance(items[index + 1], pikepdf.Array):
            for offset, width in enumerate(items[index + 1]):
                widths[first + offset] = float(width)
            index += 2
        else:
            for code in range(first, int(items[index + 1]) + 1):
                widths[code] = float(items[index + 2])
            index += 3
    return widths


def stamp(samples: Samples, chapters: tuple[tuple[int, tuple[str, ...]], ...], label: Any
          ) -> tuple[bytes, list[tuple[int, list[str]]]]:
    """The folio pages of a run of chapters, each given as (first folio, its pages' @page names),
    stamped from `samples`: the same result as the book worker's lay_out_furniture, without fillers."""
    import pikepdf

    by_class = {(page.name, page.folio % 2, len(str(page.folio))): page for page in samples.pages}
    with pikepdf.open(io.BytesIO(samples.pdf)) as document:
        templates: dict[tuple[str, int, int], tuple[Any, bytes, bytes, bool]] = {}
        ranges: list[tuple[int, list[str]]] = []
        made = 0
        sample_count = len(document.pages)
        for first_folio, names in chapters:
            labels: list[str] = []
            ranges.append((made, labels))
            for offset, name in enumerate(names):
                folio = first_folio + offset
                key = (name, folio % 2, len(str(folio)))
                if key not in templates:
                    templates[key] = _template(document, by_class[key])
                page, before, after, shows = templates[key]
                document.pages.append(page)
                text = label(folio) if shows else ""
                if shows:
                    run = b"".join(b"%04x" % samples.codes[char] for char in text)
                    document.pages[-1].Contents = document.make_stream(before + b"[<" + run + b">] TJ\n" + after)
                labels.append(text)
                made += 1
        for _ in range(sample_count):
            del document.pages[0]
        out = io.BytesIO()
        document.save(out, deterministic_id=True)
    return out.getvalue(), ranges


def _template(document: Any, sample: SamplePage) -> tuple[Any, bytes, bytes, bool]:
    """A sample page, and its content before and after its folio's TJ (whether it has one)."""
    import pikepdf

    page = document.pages[sample.index]
    instructions = list(pikepdf.parse_content_stream(page))
    shows = [i for i, (_, operator) in enumerate(instructions) if str(operator) in ("TJ", "Tj")]
    if not shows:
        return page, b"", b"", False
    at = shows[0]
    return (page, pikepdf.unparse_content_stream(instructions[:at]) + b"\n",
            b"\n" + pikepdf.unparse_content_stream(instructions[at + 1:]), True)
