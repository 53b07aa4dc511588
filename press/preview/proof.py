"""An edited chapter's new pages, shown before book.pdf is joined.

Joining a long book is most of a rebuild's time (1,211 pages: about 2 s
of pikepdf, then the folios and page digests), but after an edit that
keeps a chapter's page count and page names nothing moves: the other
chapters keep their pages, and the edited one keeps its places and its
folios. So the builder first lays out (or finds in the build cache) just
the edited chapters and draws their pages as book.pdf will, their folios
over them (press/editions/book `chapter_proof`); the preview shows those
(a `Proof`), then the whole book when it is joined. The proof's pages
are the book's, pixel for pixel, and have the same digests
(tests/test_preview_proof.py): the font programs, which the book subsets
from all its chapters, are left out of a digest, and the rest of a page
is the same objects. So the browser does not load them again when the
book comes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

PROOF_CHAPTERS = 3  # more chapters changed at once (a search and replace): the whole book, at once


@dataclass(frozen=True, slots=True)
class Proof:
    """Some pages of an edition before the whole of it: their PDF and where they stand in it."""

    key: str
    pdf: bytes
    indices: tuple[int, ...]  # each page's index (0-based) in the edition
    labels: tuple[str, ...]  # each page's folio as printed
    infos: tuple[Any, ...]  # pdfpages.PageInfo of each page


@dataclass(slots=True)
class LastBook:
    """What the builder keeps of the book's last good build, for the next edit's proof."""

    book: Any = None
    pieces: Any = None  # press.editions.book.build.Pieces
    labels: tuple[str, ...] = ()

    def changed(self, book: Any) -> list[int] | None:
        """The chapters of `book` that differ from the last good one's, or None when more than the
        chapters changed (book.toml, a chapter added or removed, a title: the contents move)."""
        old = self.book
        if old is None or self.pieces is None or len(book.chapters) != len(old.chapters):
            return None
        if replace(book, chapters=()) != replace(old, chapters=()) or book.settings != old.settings:
            return None
        changed = [i for i, (new, was) in enumerate(zip(book.chapters, old.chapters, strict=True))
                   if new is not was and new != was]
        if any((book.chapters[i].title, book.chapters[i].title_he) != (old.chapters[i].title, old.chapters[i].title_he)
               for i in changed):
            return None  # the contents page changes
        return changed

    def keep(self, book: Any, pieces: Any, labels: tuple[str, ...]) -> None:
        """This build, for the next edit's proof."""
        self.book, self.pieces, self.labels = book, pieces, labels


def proof(book: Any, last: LastBook, key: str, scratch: Path) -> Proof | None:
    """The new pages of the chapters an edit changed, or None (nothing to show before the book)."""
    from press.editions.book import chapter_proof
    from press.preview.pdfpages import page_infos

    changed = last.changed(book)
    if not changed or len(changed) > PROOF_CHAPTERS:
        return None
    target = scratch / "proof.pdf"
    indices = chapter_proof(book, last.pieces, changed, target)
    if indices is None:
        return None
    pdf = target.read_bytes()
    return Proof(key, pdf, tuple(indices), tuple(last.labels[i] for i in indices), page_infos(pdf))
