"""The one Jinja environment: templates/ only, autoescape on.

An edition is a folder of templates/ that overrides what it changes and
inherits the rest from templates/base/ (a ChoiceLoader, as Pelican's
themes do). Source text reaches the HTML only through autoescaped
expressions; the stylesheets (.css) receive validated settings only.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape

from press.hebrew import hebrew_numeral
from press.model import DIRECTION, Emphasis, Inline, NoteRef, Span, Text
from press.paths import TEMPLATES


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
    raise TypeError(f"not an inline run: {run!r}")


@cache
def environment(edition: str) -> Environment:
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(TEMPLATES / edition), FileSystemLoader(TEMPLATES / "base")]),
        autoescape=select_autoescape(disabled_extensions=("css",), default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["run_kind"] = run_kind
    env.filters["direction"] = DIRECTION.__getitem__
    env.filters["hebrew_numeral"] = hebrew_numeral
    return env


def render(edition: str, template: str, **context: Any) -> str:
    return environment(edition).get_template(template).render(**context)
