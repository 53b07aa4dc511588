"""One book.pdf from the pieces of the parallel build, with pikepdf.

Each chapter's pages are appended, each with its furniture page (the
folio) drawn over it as a form XObject; a blank page goes before a chapter
that would open on a verso; the front matter's pages go first. Then what
WeasyPrint would have made of one document is rebuilt across the pieces:
one tree of named destinations (the paragraph anchors, and the chapters
the contents link to), one outline, and one embedded program per font face
(press/engine/font_programs.py). See BookJoin for the order of the work.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from press.engine.font_programs import consolidate_fonts, face_names
from press.engine.fonts import ensure_static_fonts

_FURNITURE = "/PressFurniture"
NAME_TREE_FAN = 64  # names in a leaf of the name tree, kids in a node above them


@dataclass(frozen=True, slots=True)
class JoinPiece:
    body: bytes  # the chapter's PDF, without folios
    furniture: bytes  # the folios: one page per body page, from `furniture_first` on
    furniture_first: int  # the chapter's first page in `furniture` (a batch of chapters' folios)
    blank_before: bool  # the chapter would open on a verso


class BookJoin:
    """The book, joined in two steps:

    - `BookJoin(blank, pieces)` appends every chapter (its folios drawn over it) and blank page to a
      book whose catalogue and metadata are the first chapter's (every piece is written from
      book.html's head, with the same finishing: the same as the front matter's);
    - `finish(front, target)` puts the front matter's pages first and rebuilds what WeasyPrint would
      have made of one document: the named destinations, the outline, one program per font face.

    The body does not need the front matter, which waits for every chapter's first folio: the two
    could overlap, at the price of the workers' memory and the join's at once (see pdf_build).
    """

    def __init__(self, blank: bytes, pieces: list[JoinPiece]) -> None:
        if not pieces:
            raise ValueError("a book has at least one chapter")
        self._opened: list[Any] = []  # pikepdf copies lazily: sources stay open until the book is saved
        self.book = self._open(pieces[0].body)
        try:
            del self.book.pages[:]  # only its catalogue is kept: every chapter is appended the same way
            self.destinations: dict[str, Any] = {}
            self.outline: list[tuple[Any, Any]] = []
            furniture: dict[int, Any] = {}  # a batch of folios is opened once for all its chapters
            blank_at: int | None = None
            for piece in pieces:
                if piece.blank_before:  # a page object goes into a book once: later blanks are copies
                    self.book.pages.append(self._open(blank).pages[0] if blank_at is None
                                           else self.book.pages[blank_at])
                    blank_at = len(self.book.pages) - 1 if blank_at is None else blank_at
                if id(piece.furniture) not in furniture:
                    furniture[id(piece.furniture)] = self._open(piece.furniture)
                _append(self.book, self._open(piece.body), furniture[id(piece.furniture)].pages,
                        piece.furniture_first, self.destinations, self.outline)
        except BaseException:
            self.close()
            raise

    def finish(self, front: bytes, target: Path) -> int:
        """Write the book, `front` first, to `target`; return its page count."""
        import pikepdf

        try:
            front_pdf = self._open(front)
            pages: dict[tuple[int, int], Any] = {}
            for index, page in enumerate(front_pdf.pages):
                self.book.pages.insert(index, page)
                pages[page.obj.objgen] = self.book.pages[index].obj
            # The front matter's own anchors; its placeholders for the chapters give way to the chapters.
            for name, destination in named_destinations(front_pdf).items():
                if name not in self.destinations:
                    self.destinations[name] = moved_destination(destination, pages)
            with front_pdf.open_outline() as front_outline:
                outline = [_copy_item(item, pages) for item in front_outline.root] + self.outline
            write_destinations(self.book, self.destinations)
            write_outline(self.book, outline)
            consolidate_fonts(self.book, face_names(ensure_static_fonts()))
            self.book.save(target, deterministic_id=True, compress_streams=True,
                           object_stream_mode=pikepdf.ObjectStreamMode.generate)
            return len(self.book.pages)
        finally:
            self.close()

    def close(self) -> None:
        for pdf in reversed(self._opened):
            pdf.close()
        self._opened.clear()

    def _open(self, data: bytes) -> Any:
        import pikepdf

        self._opened.append(pikepdf.open(io.BytesIO(data)))
        return self._opened[-1]


def join(front: bytes, blank: bytes, pieces: list[JoinPiece], target: Path) -> int:
    """Write the book to `target` in one go; return its page count."""
    return BookJoin(blank, pieces).finish(front, target)


def join_pages(pieces: list[JoinPiece], target: Path) -> int:
    """Some chapters' pages alone, drawn as the book draws them (each with its folios over it),
    written to `target`: the preview shows an edited chapter's pages before the whole book is
    joined. No front matter, blank pages, destinations or outline, and each piece keeps its own
    font programs (consolidate_fonts would cost a quarter of the time, for pages that render the
    same: tests/test_preview_proof.py). Returns the page count."""
    import pikepdf

    part = BookJoin(b"", [replace(piece, blank_before=False) for piece in pieces])
    try:
        part.book.save(target, deterministic_id=True, compress_streams=True,
                       object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return len(part.book.pages)
    finally:
        part.close()


def _append(book: Any, body: Any, folios: Any, first: int, destinations: dict[str, Any], outline: list) -> None:
    if first + len(body.pages) > len(folios):
        raise RuntimeError("a chapter runs past the end of its furniture")
    pages: dict[tuple[int, int], Any] = {}  # the chapter's page objects -> the book's
    for number, page in enumerate(body.pages):
        furniture_page = folios[first + number]
        book.pages.append(page)
        pages[page.obj.objgen] = book.pages[-1].obj
        _overlay(book, book.pages[-1], furniture_page)
    for name, destination in named_destinations(body).items():  # the first of a name wins, as in WeasyPrint
        destinations.setdefault(name, moved_destination(destination, pages))
    with body.open_outline() as chapter_outline:
        outline.extend(_copy_item(item, pages) for item in chapter_outline.root)


def moved_destination(destination: Any, pages: dict[tuple[int, int], Any]) -> Any:
    """An explicit destination `[page /XYZ x y zoom]` pointing at the book's copy of its page."""
    import pikepdf

    moved = pikepdf.Array(destination)  # a copy: the source's array is left as it is
    moved[0] = pages[destination[0].objgen]
    return moved


def _overlay(book: Any, page: Any, furniture_page: Any) -> None:
    """Draw `furniture_page` over `page`, unscaled: both have the same boxes."""
    import pikepdf

    form = book.copy_foreign(furniture_page.as_form_xobject())
    form.BBox = pikepdf.Array([float(v) for v in furniture_page.mediabox])
    form.Matrix = pikepdf.Array([1, 0, 0, 1, 0, 0])
    # WeasyPrint shares one resource dictionary between pages: each page gets its own copy.
    resources = pikepdf.Dictionary(dict(page.obj.get("/Resources", pikepdf.Dictionary()).items()))
    xobjects = pikepdf.Dictionary(dict(resources.get("/XObject", pikepdf.Dictionary()).items()))
    xobjects[_FURNITURE] = form
    resources.XObject = xobjects
    page.obj.Resources = resources
    page.contents_add(book.make_stream(b"q\n"), prepend=True)
    page.contents_add(book.make_stream(f"\nQ q {_FURNITURE} Do Q\n".encode()))


def _child(dictionary: Any, key: str) -> Any:
    """`dictionary[key]`, made an empty dictionary first if missing."""
    import pikepdf

    if key not in dictionary:
        dictionary[key] = pikepdf.Dictionary()
    return dictionary[key]


def named_destinations(pdf: Any) -> dict[str, Any]:
    """A PDF's named destinations (WeasyPrint's anchors), by name."""
    import pikepdf

    names = pdf.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return {}
    return dict(pikepdf.NameTree(names.Dests).items())


def write_destinations(book: Any, destinations: dict[str, Any]) -> None:
    """`destinations` as the book's name tree (press/engine/splice.py uses it too), built whole: leaves
    of NAME_TREE_FAN names in order, under as many levels of kids as they need. Inserting the names one
    by one into a pikepdf NameTree costs 0.7 s for the 40,000 anchors of a 10,000-note chapter."""
    import pikepdf

    names = sorted(destinations, key=lambda name: bytes(pikepdf.String(name)))  # a name tree's order
    level = [_name_node(book, "/Names", [item for name in leaf for item in (pikepdf.String(name), destinations[name])],
                        leaf[0], leaf[-1]) for leaf in _runs(names)]
    while len(level) > NAME_TREE_FAN:
        level = [_name_node(book, "/Kids", [node for node, _, _ in kids], kids[0][1], kids[-1][2])
                 for kids in _runs(level)]
    if len(level) > 1:
        root = book.make_indirect(pikepdf.Dictionary(Kids=pikepdf.Array([node for node, _, _ in level])))
    elif level:  # one leaf is the root itself, which has no limits
        root = level[0][0]
        del root.Limits
    else:
        root = book.make_indirect(pikepdf.Dictionary(Names=pikepdf.Array()))
    _child(book.Root, "/Names").Dests = root


def _runs(items: list[Any]) -> list[list[Any]]:
    """`items` in runs of NAME_TREE_FAN."""
    return [items[i:i + NAME_TREE_FAN] for i in range(0, len(items), NAME_TREE_FAN)]


def _name_node(book: Any, key: str, entries: list[Any], first: str, last: str) -> tuple[Any, str, str]:
    """(a name tree node holding `entries` under `key`, the first and the last name under it)."""
    import pikepdf

    limits = pikepdf.Array([pikepdf.String(first), pikepdf.String(last)])
    return book.make_indirect(pikepdf.Dictionary({key: pikepdf.Array(entries), "/Limits": limits})), first, last


def _copy_item(item: Any, pages: dict[tuple[int, int], Any]) -> tuple[Any, Any]:
    destination = moved_destination(item.destination, pages) if item.destination is not None else None
    return (item.title, destination), [_copy_item(child, pages) for child in item.children]


def write_outline(book: Any, items: list) -> None:
    """The book's outline from `items`: ((title, destination), children), nested."""
    import pikepdf

    def build(entry: tuple) -> Any:
        (title, destination), children = entry
        made = pikepdf.OutlineItem(title, destination)
        made.children.extend(build(child) for child in children)
        return made

    with book.open_outline() as outline:
        outline.root.clear()
        outline.root.extend(build(item) for item in items)
