"""Readers turn source files into the Book, chosen by file suffix (as in Pelican)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from press import config
from press.diagnostics import Reporter, error, processing
from press.hebrew import hebrew_numeral
from press.model import Book, Chapter
from press.readers import markdown, plaintext, sefaria
from press.readers.sourcepath import check_sources

ChapterReader = Callable[[Path, int, Reporter], Chapter]
READERS: dict[str, ChapterReader] = {".md": markdown.read, ".txt": plaintext.read}


def chapter_files(source: Path) -> list[Path]:
    return sorted(p for p in source.iterdir() if p.suffix in READERS and p.is_file())


def read_book(source: Path, reporter: Reporter) -> Book:
    """Read every chapter of `source` into one Book, checking as it goes."""
    if not source.is_dir():
        raise error("source", "source folder not found", source)
    files = chapter_files(source)
    texts = sefaria.text_files(source)  # a Sefaria text: its chapters come first
    if not files and not texts:
        raise error("source", "no chapters (.md or .txt files) in the source folder", source)
    toml = source / "book.toml"
    check_sources(source, (*files, *texts, toml))  # before anything is read: links out are errors
    with processing(toml):
        settings = config.load(toml) if toml.is_file() else config.Settings()
    read, credits = sefaria.read(texts, settings, reporter) if texts else ((), ())
    chapters = read + tuple(_read_chapter(path, position, reporter) for position, path in enumerate(files, 1))
    _check_numbers(chapters)
    title = settings.title or (chapters[0].title if len(chapters) == 1 else _humanise(source.resolve().name))
    if credits and not settings.title:
        title = credits[0].title
    return Book(
        title=title,
        title_he=settings.title_he or (chapters[0].title_he if len(chapters) == 1 else _text_title_he(read)),
        author=settings.author,
        primary=settings.primary,  # type: ignore[arg-type]
        chapters=tuple(_with_hebrew_title(c) for c in chapters),
        settings=settings,
        credits=credits,
    )


def _text_title_he(read: tuple[Chapter, ...]) -> str:
    # A Sefaria chapter's Hebrew title is the text's, then the chapter's numeral: רות א
    return read[0].title_he.rsplit(" ", 1)[0] if read and read[0].title_he else ""


def _read_chapter(path: Path, position: int, reporter: Reporter) -> Chapter:
    with processing(path):
        chapter = READERS[path.suffix](path, position, reporter)
    if not chapter.blocks:
        raise error("empty-chapter", "chapter has no paragraphs", path, 1)
    return chapter


def _with_hebrew_title(chapter: Chapter) -> Chapter:
    if chapter.title_he:
        return chapter
    return replace(chapter, title_he=f"פרק {hebrew_numeral(chapter.number)}")


def _check_numbers(chapters: tuple[Chapter, ...]) -> None:
    seen: dict[int, Chapter] = {}
    for chapter in chapters:
        if chapter.number in seen:
            other = seen[chapter.number].span.path.name
            raise error("chapter-number", f"chapter number {chapter.number} is also used by {other}",
                        chapter.span.path, 1)
        seen[chapter.number] = chapter


def _humanise(name: str) -> str:
    words = re.sub(r"[-_]+", " ", name).strip()
    return words[:1].upper() + words[1:]
