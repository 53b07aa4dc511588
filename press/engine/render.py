"""The one Jinja environment: templates/ only, autoescape on.

An edition is a folder of templates/ that overrides what it changes and
inherits the rest from templates/base/ (a ChoiceLoader, as Pelican's
themes do). Source text reaches the HTML only through autoescaped
expressions; the stylesheets (.css) receive validated settings only.
"""

from __future__ import annotations

import contextlib
import hashlib
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    select_autoescape,
)

from press.hebrew import hebrew_numeral, with_points
from press.model import (
    DIRECTION,
    SECTION_LETTERS,
    Emphasis,
    Inline,
    NoteRef,
    PageBreak,
    SectionBreak,
    Span,
    Text,
    pair_runs,
)
from press.paths import PROJECT, TEMPLATES
from press.typography import Keep, Rules, typeset


def run_kind(run: Inline) -> str:
    """What a template needs to know to render a run."""
    if isinstance(run, Text):
        return "text"
    if isinstance(run, NoteRef):
        return "note"
    if isinstance(run, Span):
        return "span"
    if isinstance(run, Emphasis):
        return "strong" if run.strong else "em"
    if isinstance(run, PageBreak):
        return "pagebreak"
    if isinstance(run, SectionBreak):
        return "section"
    if isinstance(run, Keep):
        return "keep" if run.whole else "unhyphenated"
    raise TypeError(f"not an inline run: {run!r}")


Edition = str | tuple[str, ...]


@cache
def environment(edition: Edition) -> Environment:
    """The environment of an edition: its folders first, then templates/base.

    `edition` is a folder of templates/ (`"epub"`) or a chain of folders,
    most specific first (`("layouts/columns", "book")`): a print layout
    overrides only the blocks and stylesheet it changes.
    """
    folders = (edition,) if isinstance(edition, str) else edition
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(TEMPLATES / f) for f in (*folders, "base")]),
        autoescape=select_autoescape(disabled_extensions=("css",), default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters["run_kind"] = run_kind
    env.filters["direction"] = DIRECTION.__getitem__
    env.filters["hebrew_numeral"] = hebrew_numeral
    env.filters["section_letter"] = SECTION_LETTERS.__getitem__
    env.filters["paragraph_of"] = lambda lang, block: block.paragraph(lang)
    env.filters["printed"] = printed
    env.filters["pair_runs"] = pair_runs
    env.filters["typeset"] = typeset_runs
    env.globals["missing_note"] = missing_note
    return env


class _Compiled(FileSystemBytecodeCache):
    """Jinja's compiled templates kept on disk: compiling the two dozen templates a build uses cost
    about 0.15 s of every process that renders (the build and each worker). Jinja keys each by the
    template's file and checks its source's checksum; the folder is named by this module's code and
    Jinja's version, which the compiled code also depends on (the environment's options). Jinja
    writes each atomically; a folder that cannot be written only means compiling again."""

    def dump_bytecode(self, bucket: Any) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


@cache
def _bytecode_cache() -> FileSystemBytecodeCache | None:
    code = hashlib.sha256(Path(__file__).read_bytes() + jinja2.__version__.encode()).hexdigest()[:16]
    folder = PROJECT / ".cache" / "jinja" / code
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _Compiled(str(folder))


# The book's settings while one of its templates renders: macros are imported
# without context, so the `printed` and `typeset` filters cannot see the book.
_SETTINGS: ContextVar[Any] = ContextVar("press_book_settings", default=None)


def printed(text: str) -> str:
    """Source text as the edition prints it: its [hebrew] points (the model is untouched)."""
    hebrew = getattr(_SETTINGS.get(), "hebrew", None)
    return text if hebrew is None else with_points(text, hebrew.points)


def typeset_runs(runs: tuple[Inline, ...] | None, lang: str) -> tuple[Inline, ...] | None:
    """A paragraph's runs as printed: its quotation marks and kept words (press/typography.py)."""
    return None if runs is None else typeset(runs, lang, typesetting_rules(_SETTINGS.get()))


# What a note called without text prints ([notes] missing = "mark"), in the book's language.
MISSING_NOTE = {"en": "The text of note {id} is missing.", "he": "נוסח הערה {id} חסר."}


def missing_note(note_id: str) -> tuple[str, str]:
    """(language, placeholder text) for a note without text, or ("", "") with [notes] missing = "omit"."""
    settings = _SETTINGS.get()
    if settings is not None and settings.notes.missing == "omit":
        return "", ""
    lang = getattr(settings, "primary", "en")
    return lang, MISSING_NOTE[lang].format(id=note_id)


def typesetting_rules(settings: Any) -> Rules:
    """The book's [hebrew] quotes and geresh and its [hyphenation] words (defaults without a book)."""
    if settings is None:
        return Rules()
    return Rules(hebrew_quotes=settings.hebrew.quotes, geresh=settings.hebrew.geresh,
                 never_hyphenated=settings.hyphenation.never)


def render(edition: Edition, template: str, **context: Any) -> str:
    token = _SETTINGS.set(getattr(context.get("book"), "settings", None))
    try:
        return environment(edition).get_template(template).render(**context)
    finally:
        _SETTINGS.reset(token)
