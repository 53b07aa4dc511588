"""The editions, one package each, by command name (`build.py pdf`, `epub`...).

Each package holds one edition's writer (a class on `base.Writer`) and
everything only it uses; its templates are a folder of templates/. An
edition uses the model, the checks and the engine (press/engine/), never
another edition's modules: where it needs another's product it calls a
function that edition's package exports (the booklet asks
`press.editions.book.book_pdf`, the EPUB `press.editions.book.page_starts`).
The writers are imported when their command runs: `--help` stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from press.editions.base import Writer


@dataclass(frozen=True, slots=True)
class Option:
    """A command-line option of one output, passed to its writer by name.

    A `flag` without leading dashes is a positional argument; `nargs="?"`
    makes it optional (`build.py sheet NAME`).
    """

    flag: str
    metavar: str
    help: str
    nargs: str | None = None

    @property
    def dest(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")

    @property
    def argparse_options(self) -> dict[str, object]:
        """The keyword arguments of `ArgumentParser.add_argument` for this option."""
        given = {"metavar": self.metavar, "help": self.help, "nargs": self.nargs}
        return {key: value for key, value in given.items() if value is not None}


@dataclass(frozen=True, slots=True)
class WriterEntry:
    module: str
    cls: str
    description: str
    options: tuple[Option, ...] = ()
    in_all: bool = True  # built by `build.py` / `build.py all`


WRITERS: dict[str, WriterEntry] = {
    "pdf": WriterEntry("press.editions.book.writer", "BookPdfWriter", "the printable book, output/book.pdf"),
    "booklet": WriterEntry("press.editions.booklet.writer", "BookletWriter",
                           "the book imposed for saddle stitching, output/booklet.pdf"),
    "epub": WriterEntry("press.editions.epub.writer", "EpubWriter", "the e-reader edition, output/book.epub"),
    "sheet": WriterEntry("press.editions.sheet.writer", "SheetWriter", "study sheets: output/sheets/NAME.pdf and .html "
                         "from source/sheets/NAME.toml, or output/sheet.pdf of one passage", (
        Option("sheet", "NAME", "the sheet file source/sheets/NAME.toml, a path to a .toml file, or a "
               "Sefaria source sheet's JSON "
               "(default: output/sheet.pdf and every sheet in source/sheets/)", nargs="?"),
        Option("--passage", "REF", "a passage for output/sheet.pdf, e.g. 45:3-8 or 45:40-46:2, 47:1 (default: "
               "[sheet] passage in book.toml, else the first six blocks of the first chapter)"),
        Option("--fit", "N", "fit a Sefaria source sheet (NAME.json) to N pages"))),
    "import": WriterEntry("press.editions.markdown.writer", "MarkdownWriter", "a Sefaria text as this "
                          "project's Markdown chapters and book.toml, into --out (not in `all`)", in_all=False),
    "html": WriterEntry("press.editions.html.writer", "BookHtmlWriter", "the printed book as one HTML document "
                        "for plain WeasyPrint and the web, output/book.html (not in `all`)", in_all=False),
}


def writer(name: str, **options: object) -> Writer:
    entry = WRITERS[name]
    return getattr(import_module(entry.module), entry.cls)(**options)


def cache_command(source: Path, prune: bool = False, clear: bool = False) -> str:
    """`build.py cache`, and (neither flag) the prune after a build: the build cache holds the book
    edition's pieces, so its package does it (imported by name, like a writer)."""
    cache = import_module("press.editions.book.cache")
    return cache.command(source, prune, clear) if prune or clear else cache.after_build(source)
