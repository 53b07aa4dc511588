"""Print layouts: folders of templates/layouts/ described by a layout.toml.

A layout is templates and a stylesheet; what the PDF writer must know of
it is data in its layout.toml (as a Sphinx theme's theme.toml), never a
Python branch on its name.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache

from press.hebrew import hebrew_numeral
from press.paths import TEMPLATES

# How folios are counted ([print] folio): the CSS counter style, and the same in Python
# (the contents and the parallel build print folios themselves).
FOLIO_STYLES = {"arabic": ("decimal", str), "hebrew": ("hebrew", hebrew_numeral)}


@dataclass(frozen=True, slots=True)
class View:
    """What one laid-out document shows of a chapter, and how its pages count."""

    languages: tuple[str, ...]
    blocks: frozenset[int] | None = None  # block numbers shown; None: all
    heading: bool = True  # the chapter's title block
    spread_starts: frozenset[int] = frozenset()  # blocks that open a new spread
    pads_after: dict[int, int] = field(default_factory=dict)  # blank pages after a block
    page_class: str = ""  # a class naming the pages' side, for one side of a spread
    page_step: int = 1  # 2 for one side of a spread: its folios skip the facing pages
    # A layout that places paragraph pieces itself (facing: press/editions/book/spreads.py): the
    # pieces in the order they are set.
    pieces: tuple | None = None
    run_on: bool = False  # consecutive pairs set as one paragraph (a one-language layout's `run_on`)
    furniture: tuple[str, ...] = ()  # the languages of the front matter and openers; empty: the book's

    def counter_reset(self, first_folio: int) -> int:
        # WeasyPrint applies an explicit `counter-increment` on the first
        # page after the reset, the implicit one before it.
        return first_folio - self.page_step if self.page_step > 1 else first_folio


@dataclass(frozen=True, slots=True)
class PrintLayout:
    name: str
    description: str
    languages: tuple[str, ...]
    spread: dict[str, str] = field(default_factory=dict)  # {"left": lang, "right": lang}; empty: one flow
    run_on: bool = False  # consecutive pairs run on as one paragraph (templates/book/runon.html)
    # The languages of the book's furniture (title page, colophon, contents, chapter openers); empty: both.
    furniture: tuple[str, ...] = ()

    @property
    def edition(self) -> tuple[str, ...]:
        """The template folders, most specific first."""
        return (f"layouts/{self.name}", "book")

    def view(self, book_languages: tuple[str, ...]) -> View:
        """The languages in the book's order that this layout prints."""
        return View(tuple(lang for lang in book_languages if lang in self.languages), run_on=self.run_on,
                    furniture=self.furniture)


@cache
def load(name: str) -> PrintLayout:
    data = tomllib.loads((TEMPLATES / "layouts" / name / "layout.toml").read_text(encoding="utf-8"))
    return PrintLayout(name=name, description=data.get("description", ""),
                       languages=tuple(data.get("languages", ("en", "he"))),
                       spread=dict(data.get("spread", {})), run_on=bool(data.get("run_on", False)),
                       furniture=tuple(data.get("furniture", ())))
