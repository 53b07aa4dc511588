"""One PDF from page ranges of several: a chapter laid out in segments (press/editions/book/segments.py).

Each range's pages are copied in order into the first PDF (its catalogue and
metadata kept, its other pages dropped); the named destinations and outline
items that point at a kept page follow it, the first of a name winning, as
in one WeasyPrint document. A later segment's outline items (its headings,
laid out without the chapter's title) go under the first segment's last
top-level item (the chapter's title), where one document would nest them.
"""

from __future__ import annotations

import io
from typing import Any

from press.engine.join import moved_destination, named_destinations, write_destinations, write_outline


def splice(ranges: list[tuple[bytes, int, int]]) -> bytes:
    """The pages [first, end) of each PDF, in order, as one PDF."""
    import pikepdf

    opened = [pikepdf.open(io.BytesIO(pdf)) for pdf, _, _ in ranges]
    try:
        book = opened[0]
        own_pages = len(book.pages)
        destinations: dict[str, Any] = {}
        outline: list = []
        for number, (pdf, (_, first, end)) in enumerate(zip(opened, ranges, strict=True)):
            moved: dict[tuple[int, int], Any] = {}
            for page in list(pdf.pages[first:end]):
                if number:  # appended after the first PDF's own pages, which stay where they are
                    book.pages.append(page)
                moved[page.obj.objgen] = book.pages[-1].obj if number else page.obj
            for name, destination in named_destinations(pdf).items():
                if destination[0].objgen in moved:
                    destinations.setdefault(name, moved_destination(destination, moved))
            with pdf.open_outline() as tree:
                items = [item for item in (_copy(entry, moved) for entry in tree.root) if item is not None]
            if number and outline:
                outline[-1][1].extend(items)
            else:
                outline.extend(items)
        del book.pages[ranges[0][2]:own_pages]  # the first PDF's pages past its range, then before it
        del book.pages[:ranges[0][1]]
        if destinations:
            write_destinations(book, destinations)
        write_outline(book, outline)
        out = io.BytesIO()
        book.save(out, deterministic_id=True)
        return out.getvalue()
    finally:
        for pdf in reversed(opened):
            pdf.close()


def _copy(item: Any, pages: dict[tuple[int, int], Any]) -> tuple | None:
    """An outline item as (title, destination) and its children, if it points at a kept page."""
    destination = item.destination
    if destination is None or destination[0].objgen not in pages:
        return None
    children = [child for child in (_copy(entry, pages) for entry in item.children) if child is not None]
    return (item.title, moved_destination(destination, pages)), children
