"""The outputs, by command name. Imported lazily: `--help` stays fast."""

from __future__ import annotations

from importlib import import_module

from press.writers.base import Writer

# command -> (module, class, one-line description for --help)
WRITERS: dict[str, tuple[str, str, str]] = {
    "pdf": ("press.writers.pdf", "BookPdfWriter", "the printable book, output/book.pdf"),
    "epub": ("press.writers.epub", "EpubWriter", "the e-reader edition, output/book.epub"),
    "sheet": ("press.writers.sheet", "SheetWriter", "a study sheet of one passage, output/sheet.pdf"),
}


def writer(name: str, **options: object) -> Writer:
    module, cls, _ = WRITERS[name]
    return getattr(import_module(module), cls)(**options)
