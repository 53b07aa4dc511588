"""The outputs, by command name. Imported lazily: `--help` stays fast."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from press.writers.base import Writer


@dataclass(frozen=True, slots=True)
class Option:
    """A command-line option of one output, passed to its writer by name."""

    flag: str
    metavar: str
    help: str

    @property
    def dest(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")


@dataclass(frozen=True, slots=True)
class WriterEntry:
    module: str
    cls: str
    description: str
    options: tuple[Option, ...] = ()


WRITERS: dict[str, WriterEntry] = {
    "pdf": WriterEntry("press.writers.pdf", "BookPdfWriter", "the printable book, output/book.pdf"),
    "booklet": WriterEntry("press.writers.booklet", "BookletWriter",
                           "the book imposed for saddle stitching, output/booklet.pdf"),
    "epub": WriterEntry("press.writers.epub", "EpubWriter", "the e-reader edition, output/book.epub"),
    "sheet": WriterEntry("press.writers.sheet", "SheetWriter", "a study sheet of one passage, output/sheet.pdf", (
        Option("--passage", "REF", "chapter:first-last blocks, e.g. 45:3-8 (default: [sheet] passage in "
               "book.toml, else the first six blocks of the first chapter)"),)),
}


def writer(name: str, **options: object) -> Writer:
    entry = WRITERS[name]
    return getattr(import_module(entry.module), entry.cls)(**options)
