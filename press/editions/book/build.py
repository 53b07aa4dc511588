"""book.pdf in parallel: chapters on every core, cached, folios laid out last.

1. Each chapter's body is laid out without folios (its running heads do
   not depend on where it falls: every chapter opens on a recto), by a
   pool of worker processes that load the stylesheets and fonts once
   (press/editions/book/worker.py; or the workers of an executor shared
   by a library's books or on a Dask cluster, each task carrying the
   book: press/engine/shared_pool.py). A chapter found in the build cache
   is not laid out at all.
2. With every chapter's page count known, the folios follow: a blank page
   before a chapter that would open on a verso, the first folio of each
   chapter, the contents. The front matter and a few folio samples are
   laid out in the pool; every page's folio is stamped from its sample
   (press/engine/folio_stamps.py), or, where stamping cannot reproduce
   the folio (a Hebrew or proportional one), laid out as "furniture"
   pages by the @page names of the pages, one document per run of
   consecutive chapters. The folios are cached per chapter as a page range
   of the PDF they were made in: a chapter's folios depend only on its
   first folio and its pages' names, so after an edit that keeps the page
   count they are found in the cache.
3. pikepdf joins the pieces into one book (press/engine/join.py).

No chapter is ever laid out twice to fix its folios.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from press.checks import check_chapter_sizes, check_coverage
from press.editions.base import atomic_path
from press.editions.book import layouts, segments, worker
from press.editions.book.worker import ChapterPiece
from press.engine import finish, folio_stamps, preflight
from press.engine.buildcache import BuildCache, digest, environment
from press.engine.join import JoinPiece, join, join_pages
from press.engine.pool import book_pool, completed
from press.engine.progress import Progress, note
from press.model import Book


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a chapter falls in the book."""

    first_folio: int
    blank_before: bool


# Pages of folios per WeasyPrint document. A document costs about 7 ms plus about 5 ms a page (bench,
# 2 cores): one per chapter (6 pages) pays 6.5 ms a page, 60 pages 4.9 ms; past that the cost per page
# grows again (WeasyPrint re-walks the styles of every page type laid out so far: 7.1 ms at 600 pages).
FURNITURE_BATCH_PAGES = 60


@dataclass(frozen=True, slots=True)
class Furniture:
    """A chapter's folio pages: a page range of a furniture batch's PDF, and the folios as printed."""

    pdf: bytes  # the batch: the folios of a run of chapters
    offset: int  # the chapter's first page in it
    labels: list[str]  # each page's folio as printed ("" for none)


@dataclass(frozen=True, slots=True)
class Summary:
    pages: int
    seconds: float
    chapters: int
    cached: int  # chapters found in the cache
    pieces_laid_out: int  # furniture and front matter laid out (not found)

    def __str__(self) -> str:
        return (f"book.pdf: {self.pages} pages in {self.seconds:.1f} s; chapters: {self.chapters}, "
                f"{self.cached} from the cache, {self.chapters - self.cached} laid out; "
                f"folio and front pieces laid out: {self.pieces_laid_out}")


@dataclass(frozen=True, slots=True)
class Pieces:
    """Every piece of the book, laid out or from the cache, not yet joined."""

    chapters: list[ChapterPiece]
    places: list[Placement]
    furniture: list[Furniture]  # each chapter's folio pages, and the folios as printed
    front: tuple[bytes, int]  # the front matter and its page count
    blank: bytes
    cached: int  # chapters found in the cache
    laid: int  # furniture and front pieces laid out


def pieces(book: Book, jobs: int | None = None) -> Pieces:
    """Every piece of the book, laid out or from the cache; the workers are gone when it returns."""
    check_chapter_sizes(book)  # before a worker starts on a chapter it cannot finish in reasonable time
    build = _Build(book, BuildCache.default(), jobs or os.cpu_count() or 1)
    try:
        chapters, cached = build.chapters()
        places = place(chapters)
        furniture, front, blank, laid = build.furniture_and_front(chapters, places)
    finally:
        build.close()
    return Pieces(chapters, places, furniture, front, blank, cached, laid)


def printed_pages(book: Book) -> Iterator[tuple[int, str, str, Any]]:
    """(physical page, folio as printed, chapter slug, where its first text starts) of each body page
    that belongs to a chapter, in order: the EPUB's page-list, from the same pieces as book.pdf."""
    built = pieces(book)
    front_pages = built.front[1]
    for chapter, piece, where, furniture in zip(book.chapters, built.chapters, built.places, built.furniture,
                                                 strict=True):
        for offset, (label, start) in enumerate(zip(furniture.labels, piece.starts, strict=True)):
            yield front_pages + where.first_folio + offset, label, chapter.slug, start


def build_pdf(book: Book, target: Path, jobs: int | None = None) -> Summary:
    started = time.monotonic()
    return join_pieces(book, pieces(book, jobs), target, started)


def join_pieces(book: Book, built: Pieces, target: Path, started: float | None = None) -> Summary:
    """book.pdf joined from `built` into `target` (build_pdf's second half: the preview keeps the pieces)."""
    from press.engine.pdf import check_embedded_fonts

    started = time.monotonic() if started is None else started
    front = built.front[0]
    # Joined once the workers are gone: joining the body while they lay out the front matter saved
    # about a second but held both workers' memory and the join's at once (500 MB for 1,200 pages).
    places = built.places
    parts = [JoinPiece(piece.pdf, built.furniture[i].pdf, built.furniture[i].offset, places[i].blank_before)
             for i, piece in enumerate(built.chapters)]
    with atomic_path(target) as temporary:
        pages = join(front, built.blank, parts, temporary)
        preflight.finish_for_press(temporary, book.settings)  # crop marks, the output intent's names
        check_embedded_fonts(temporary, target)
    summary = Summary(pages, time.monotonic() - started, len(parts), built.cached, built.laid)
    note(str(summary))
    return summary


def page_labels(built: Pieces) -> tuple[str, ...]:
    """Each page of the book joined from `built`, its folio as printed ("" for none: the front
    matter, the blank pages)."""
    labels = [""] * built.front[1]
    for where, furniture in zip(built.places, built.furniture, strict=True):
        labels += [""] * where.blank_before + list(furniture.labels)
    return tuple(labels)


def chapter_proof(book: Book, before: Pieces, indices: list[int], target: Path) -> list[int] | None:
    """The pages of the chapters at `indices` (0-based) as book.pdf will print them, written to
    `target` before the book is joined: the preview's first look after an edit. Each chapter comes
    from the cache or is laid out in this process (and cached: the book's build then finds it), and
    is drawn with its folios of `before`, the book's last pieces. None when a chapter's pages are no
    longer those of `before` (another page count or page names: its folios, and the places of the
    chapters after it, change). Returns each page's index (0-based) in book.pdf."""
    from dataclasses import replace

    if any(i >= len(before.chapters) for i in indices):
        return None
    edited = replace(book, chapters=tuple(book.chapters[i] for i in indices))
    check_coverage(edited)  # the checks of book.pdf, of the chapters laid out here
    check_chapter_sizes(edited)
    build = _Build(book, BuildCache.default(), 1)
    try:
        laid, _ = build.chapters(indices)
    finally:
        build.close()
    if any(piece.names != before.chapters[i].names for piece, i in zip(laid, indices, strict=True)):
        return None
    parts = [JoinPiece(piece.pdf, before.furniture[i].pdf, before.furniture[i].offset, False)
             for piece, i in zip(laid, indices, strict=True)]
    with atomic_path(target) as temporary:
        join_pages(parts, temporary)
        preflight.finish_for_press(temporary, book.settings)
    first = before.front[1]
    return [first + before.places[i].first_folio - 1 + n for i in indices for n in range(before.chapters[i].pages)]


def place(pieces: list[ChapterPiece]) -> list[Placement]:
    """Each chapter's first folio: page 1 opens the body, every chapter opens on a recto (odd)."""
    places, folio = [], 1
    for piece in pieces:
        blank = folio % 2 == 0
        folio += blank
        places.append(Placement(folio, blank))
        folio += piece.pages
    return places


class _Build:
    def __init__(self, book: Book, cache: BuildCache, jobs: int) -> None:
        from press.engine.fonts import ensure_static_fonts

        self.book, self.cache, self.jobs = book, cache, jobs
        fonts = tuple(face.path for face in ensure_static_fonts())
        self.environment = environment(_book_fields(book), finish.created(), fonts)
        self._pool = book_pool(jobs, worker.start, worker.start_process, (book,))

    def pool(self, tasks: int) -> Executor:
        """Worker processes, no more than there are tasks; in this process for a single task."""
        return self._pool.executor(tasks)

    def close(self) -> None:
        self._pool.close()

    def chapters(self, indices: list[int] | None = None) -> tuple[list[ChapterPiece], int]:
        """The chapters (those at `indices`, else all), and how many were found in the cache."""
        chapters = self.book.chapters
        wanted = list(range(len(chapters))) if indices is None else indices
        layout = layouts.load(self.book.settings.print.layout)
        cuts = {i: segments.cuts(chapters[i], layout) for i in wanted}
        # A chapter laid out in segments has the same pages, not the same bytes (segments.py): its key
        # names its cuts. A chapter laid out whole keeps the key it always had.
        keys = {i: digest(self.environment, "chapter", _relative(repr(chapters[i]), chapters[i].span.path.parent),
                          *([f"segments {cuts[i]}"] if cuts[i] else [])) for i in wanted}
        found: dict[int, ChapterPiece] = {}
        for index, key in keys.items():
            pdf, meta = self.cache.get(key), self.cache.get_json(key)
            if pdf is not None and isinstance(meta, dict):
                starts = tuple(None if s is None else tuple(s) for s in meta["starts"])
                found[index] = ChapterPiece(pdf, tuple(meta["names"]), starts)
        missing = [i for i in wanted if i not in found]
        progress = Progress("laying out chapters", len(missing))
        split = [i for i in missing if cuts[i]]
        if missing:
            pool = self.pool(len(missing) + sum(len(cuts[i]) + 1 for i in split))
            for index in split:  # first: each uses every worker
                piece = self._split_chapter(pool, index, cuts[index])
                self.cache.put(keys[index], piece.pdf)
                self.cache.put_json(keys[index], {"names": piece.names, "starts": piece.starts})
                found[index] = piece
                progress.step(f"{chapters[index].slug}, {piece.pages} pages, in segments")
            futures = {pool.submit(worker.lay_out_chapter, i): i for i in missing if i not in found}
            for future in completed(futures):
                index = futures[future]
                piece = future.result()
                self.cache.put(keys[index], piece.pdf)
                self.cache.put_json(keys[index], {"names": piece.names, "starts": piece.starts})
                found[index] = piece
                progress.step(f"{chapters[index].slug}, {piece.pages} pages")
        progress.close()
        return [found[i] for i in wanted], len(wanted) - len(missing)

    def _split_chapter(self, pool: Executor, index: int, cuts: tuple[int, ...]) -> ChapterPiece:
        """A long chapter laid out in segments on every worker and spliced (segments.py); laid out whole
        when its segments cannot be made to meet."""
        from press.engine.splice import splice

        spliced = segments.lay_out_split(pool, index, self.book.chapters[index], cuts)
        if spliced is None:
            return pool.submit(worker.lay_out_chapter, index).result()
        pdf = splice([(segment.pdf, first, end) for segment, first, end in spliced.ranges])
        return ChapterPiece(pdf, spliced.names, spliced.starts)

    def furniture_and_front(self, pieces: list[ChapterPiece], places: list[Placement]
                            ) -> tuple[list[Furniture], Any, bytes, int]:
        from press.editions.book.layouts import FOLIO_STYLES

        folio_text = FOLIO_STYLES[self.book.settings.print.folio][1]
        contents = tuple((i, folio_text(p.first_folio)) for i, p in enumerate(places))
        # Each chapter's folios are kept under a key of their own (its first folio and page names), as
        # a page range of the batch they were laid out in: after an edit that keeps the page count all
        # are found; otherwise only the chapters that moved are laid out again.
        keys = [digest(self.environment, "furniture", str(where.first_folio), *piece.names)
                for piece, where in zip(pieces, places, strict=True)]
        furniture: dict[int, Furniture] = {}
        batches: dict[str, bytes | None] = {}
        for index, key in enumerate(keys):
            meta = self.cache.get_json(key)
            if isinstance(meta, dict) and "batch" in meta:
                if meta["batch"] not in batches:
                    batches[meta["batch"]] = self.cache.get(meta["batch"])
                if (pdf := batches[meta["batch"]]) is not None:
                    furniture[index] = Furniture(pdf, meta["offset"], meta["labels"])
        missing = [i for i in range(len(pieces)) if i not in furniture]
        titles = [(chapter.slug, chapter.title, chapter.title_he) for chapter in self.book.chapters]
        front_key = digest(self.environment, "front", repr(contents), repr(titles))
        blank_key = digest(self.environment, "blank")
        # The front matter first: the longest task (its contents grow with the book).
        tasks: dict[str, tuple[Any, ...]] = {front_key: (worker.lay_out_front, contents),
                                             blank_key: (worker.lay_out_blank,)}
        runs = {digest(self.environment, "folio-stamps", *(keys[i] for i in missing)): missing} if missing else {}
        samples_task = self._samples_task(missing, pieces, places)
        if samples_task is not None:
            tasks[samples_task[0]] = samples_task[1]
        results = self._run(tasks)
        laid = sum(1 for key in tasks if key not in self._found_before)
        samples = None if samples_task is None else self._samples(results[samples_task[0]])
        if samples is not None:
            for batch_key, run in runs.items():
                results[batch_key] = folio_stamps.stamp(samples, self._run_of(run, pieces, places), self._label)
                self.cache.put(batch_key, results[batch_key][0])
        else:  # folios that cannot be stamped: each page laid out, in batches of runs of chapters
            runs = {digest(self.environment, "furniture-batch", *(keys[i] for i in run)): run
                    for run in self._batches(missing, pieces)}
            batches = self._run({key: (worker.lay_out_furniture, self._run_of(run, pieces, places))
                                 for key, run in runs.items()})
            laid += sum(1 for key in batches if key not in self._found_before)
            results.update(batches)
        for batch_key, run in runs.items():
            pdf, ranges = results[batch_key]
            for index, (offset, labels) in zip(run, ranges, strict=True):
                furniture[index] = Furniture(pdf, offset, labels)
                self.cache.put_json(keys[index], {"batch": batch_key, "offset": offset, "labels": labels})
        return [furniture[i] for i in range(len(pieces))], results[front_key], results[blank_key][0], laid

    @staticmethod
    def _run_of(run: list[int], pieces: list[ChapterPiece], places: list[Placement]
                ) -> tuple[tuple[int, tuple[str, ...]], ...]:
        return tuple((places[i].first_folio, pieces[i].names) for i in run)

    def _samples_task(self, missing: list[int], pieces: list[ChapterPiece], places: list[Placement]
                      ) -> tuple[str, tuple[Any, ...]] | None:
        """The task laying out the folio samples the missing chapters' folios are stamped from."""
        if not missing:
            return None
        names = tuple(sorted({name for i in missing for name in pieces[i].names}))
        last = max(places[i].first_folio + pieces[i].pages - 1 for i in missing)
        digit_counts = tuple(range(1, len(str(last)) + 1))
        return (digest(self.environment, "folio-samples", *names, *map(str, digit_counts)),
                (worker.lay_out_folio_samples, names, digit_counts))

    def _samples(self, result: tuple[bytes, Any]) -> folio_stamps.Samples | None:
        pdf, meta = result
        if not pdf:
            return None
        pages = tuple(folio_stamps.SamplePage(*page) for page in meta["pages"])
        return folio_stamps.Samples.read(pdf, pages, tuple(meta["figures"]), self._label)

    def _label(self, folio: int) -> str:
        from press.editions.book.layouts import FOLIO_STYLES

        return FOLIO_STYLES[self.book.settings.print.folio][1](folio)

    def _batches(self, missing: list[int], pieces: list[ChapterPiece]) -> list[list[int]]:
        """The chapters whose folios are to be laid out, as runs of consecutive chapters of about
        FURNITURE_BATCH_PAGES pages (fewer when there are fewer per worker)."""
        runs: list[list[int]] = []
        for index in missing:
            if runs and runs[-1][-1] == index - 1:
                runs[-1].append(index)
            else:
                runs.append([index])
        total = sum(pieces[i].pages for i in missing)
        share = max(1, min(FURNITURE_BATCH_PAGES, -(-total // max(1, self.jobs))))
        batches: list[list[int]] = []
        for run in runs:
            batch: list[int] = []
            pages = 0
            for index in run:
                if batch and pages + pieces[index].pages > share:
                    batches.append(batch)
                    batch, pages = [], 0
                batch.append(index)
                pages += pieces[index].pages
            batches.append(batch)
        return batches

    def _run(self, tasks: dict[str, tuple[Any, ...]]) -> dict[str, tuple[bytes, Any]]:
        """Each task's (PDF, what else it reports), from the cache or laid out in the pool."""
        results = {key: found for key in tasks if (found := self._cached(key)) is not None}
        self._found_before = set(results)
        missing = [key for key in tasks if key not in results]
        if missing:
            progress = Progress("laying out folios and front matter", len(missing))
            pool = self.pool(len(missing))
            futures = {pool.submit(*tasks[key]): key for key in missing}
            for future in completed(futures):
                key = futures[future]
                results[key] = future.result()
                self.cache.put(key, results[key][0])
                self.cache.put_json(key, {"meta": results[key][1]})
                progress.step(tasks[key][0].__name__.removeprefix("lay_out_"))
            progress.close()
        return results

    def _cached(self, key: str) -> tuple[bytes, Any] | None:
        pdf, meta = self.cache.get(key), self.cache.get_json(key)
        return (pdf, meta["meta"]) if pdf is not None and isinstance(meta, dict) else None


def _book_fields(book: Book) -> str:
    """What every piece depends on besides its own input: the book's metadata and settings."""
    fields = repr((book.title, book.title_he, book.author, book.primary, book.languages, book.settings))
    return _relative(fields, book.chapters[0].span.path.parent) if book.chapters else fields


def _relative(text: str, folder: Path) -> str:
    """`text` without the source folder's path: a moved or copied source finds its cache entries."""
    return text.replace(str(folder), "<source>")
