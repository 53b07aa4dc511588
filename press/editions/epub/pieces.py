"""The EPUB's chapter files, kept in the build cache by what they depend on.

Rendering 200 chapters through Jinja (typesetting every run) took about
half of an EPUB build, though after a one-chapter edit 199 of them come out
as they were. Each chapter's file, as it goes into the zip (ebooklib's
<html> and <head> around the rendered body, then container.tidy_xhtml), is
a pure function of the chapter's model, the printed pages that begin in it,
the book's metadata and settings, and the environment every build-cache key
holds (templates, the press code, the fonts, the library versions:
buildcache.environment) with the versions of the two libraries that write
it here (ebooklib, lxml). It is looked up under a key of all of them and
rendered only when missing. Beside it the cache keeps the characters the
file uses (for the font subsets) and those of the chapter's model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from press.engine.buildcache import BuildCache, digest, environment
from press.engine.pagetrace import PageStart
from press.model import Book, Chapter

SUFFIX = ".xhtml"
# The libraries that write a chapter's file besides those of every key (buildcache.LIBRARIES).
WRITERS = ("ebooklib", "lxml")


@dataclass(frozen=True, slots=True)
class ChapterFile:
    """One chapter's file as it goes into the zip, and the characters it uses."""

    data: bytes
    characters: str  # of its text, markup left out (webfonts.used_characters)


@dataclass(frozen=True, slots=True)
class ChapterFiles:
    """Every chapter's file, in order, and how many were found in the cache."""

    files: tuple[ChapterFile, ...]
    cached: int


def chapter_files(book: Book, starts: tuple[PageStart, ...],
                  make: Callable[[Chapter, tuple[PageStart, ...]], ChapterFile]) -> ChapterFiles:
    """Each chapter's file from the cache, else `make(chapter, its page starts)` and kept."""
    cache = BuildCache.default()
    shared = _environment(book)
    own: dict[str, list[PageStart]] = {chapter.slug: [] for chapter in book.chapters}
    for start in starts:
        own.setdefault(start.chapter, []).append(start)
    files, cached = [], 0
    for chapter in book.chapters:
        mine = tuple(own[chapter.slug])
        key = digest(shared, "epub-chapter", _relative(repr(chapter), chapter), repr(mine))
        found = _get(cache, key)
        if found is None:
            found = make(chapter, mine)
            cache.put(key, found.data, SUFFIX)
            cache.put_json(key, {"characters": found.characters})
        else:
            cached += 1
        files.append(found)
    return ChapterFiles(tuple(files), cached)


def _get(cache: BuildCache, key: str) -> ChapterFile | None:
    data, meta = cache.get(key, SUFFIX), cache.get_json(key)
    if data is None or not isinstance(meta, dict) or not isinstance(meta.get("characters"), str):
        return None
    return ChapterFile(data, meta["characters"])


def _environment(book: Book) -> str:
    """What every chapter's file depends on besides its own chapter and pages."""
    from press.engine.fonts import ensure_static_fonts

    fields = repr((book.title, book.title_he, book.author, book.primary, book.languages, book.settings,
                   book.credits))
    folder = book.chapters[0].span.path.parent if book.chapters else None
    fonts = tuple(face.path for face in ensure_static_fonts())
    return digest(environment(fields if folder is None else fields.replace(str(folder), "<source>"), "", fonts),
                  _writer_versions())


def _relative(text: str, chapter: Chapter) -> str:
    """`text` without the source folder's path: a moved or copied source finds its entries."""
    return text.replace(str(Path(chapter.span.path).parent), "<source>")


@cache
def _writer_versions() -> str:
    from importlib.metadata import version

    return "\n".join(f"{name}={version(name)}" for name in WRITERS)
