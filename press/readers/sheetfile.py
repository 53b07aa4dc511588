"""source/sheets/NAME.toml -> a validated SheetSpec.

A sheet file is a teacher's plan: a title, options, and an ordered list of
items (passages of the book and the teacher's own text). Every problem is
an error naming the file and the line of the key or item at fault, in the
same codes as book.toml (`toml`, `config-key`, `config-type`,
`config-value`); passage references are parsed here (`passage`) and
checked against the book when the sheet is built.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from press.bidi import isolate
from press.config import key_line, parse_toml
from press.diagnostics import error
from press.model import Inline, Lang, NoteRef, Paragraph, SourceSpan, Text
from press.passage import Passage, parse
from press.readers.markdown import parse_inline
from press.textfile import checked_text, read_text
from press.tomlpos import ItemSpan, array_items, item_key_line

PAPERS = ("letter", "a4")
LAYOUTS = ("columns", "stacked")
# language option -> the languages printed, in the order a pair is read
LANGUAGES: dict[str, tuple[str, ...]] = {"both": ("en", "he"), "english": ("en",), "hebrew": ("he",)}
TEXT_KINDS = ("text", "question", "heading", "note")  # `{ question = "…", question_he = "…" }`
MAX_LINES = 40
MAX_FIT = 10


@dataclass(frozen=True, slots=True)
class PassageItem:
    """Blocks of the book, with the reference as written and its source line."""

    reference: str
    passages: tuple[Passage, ...]
    lines: int = 0
    line: int | None = None
    heading: str = ""  # printed instead of the cited reference (a Sefaria sheet's own `ref`)


@dataclass(frozen=True, slots=True)
class TextItem:
    """The teacher's own words: English, Hebrew or both, in one of TEXT_KINDS."""

    kind: str
    en: str = ""
    he: str = ""
    lines: int = 0
    line: int | None = None


Item = PassageItem | TextItem


@dataclass(frozen=True, slots=True)
class SheetSpec:
    """Everything a sheet file can say, with the defaults it does not say."""

    name: str
    items: tuple[Item, ...]
    path: Path | None = None
    title: str = ""
    title_he: str = ""
    subtitle: str = ""
    date: str = ""
    cite: str | None = None  # the name passages are cited by; None: the book's title
    paper: str | None = None  # None: [sheet] paper of book.toml
    layout: str = "columns"
    language: str = "both"
    numbers: bool = True
    fit: int | None = None
    output: str = ""  # the output file's stem; "" means `sheet` in the output folder itself

    @property
    def languages(self) -> tuple[str, ...]:
        return LANGUAGES[self.language]

    def line_of(self, key: str) -> int | None:
        """The line of a top-level key in the sheet file (for warnings)."""
        if self.path is None or not self.path.is_file():
            return None
        return key_line(self.path.read_text(encoding="utf-8"), None, key)


def load(path: Path, name: str) -> SheetSpec:
    """Read and validate a sheet file; BuildError naming file and line."""
    text = read_text(path)
    data = parse_toml(text, path)
    where = _Where(path, text)
    values = {key: _top_value(key, value, where) for key, value in data.items()}
    if "items" not in values:
        raise error("config-key", "a sheet needs `items`, a list of passages and texts", path, 1)
    return SheetSpec(name=name, path=path, output=name, **values)


@dataclass(frozen=True, slots=True)
class _Where:
    """The file and its text, for finding the line of a key or an item."""

    path: Path
    text: str

    def fail(self, code: str, message: str, key: str) -> Exception:
        return error(code, message, self.path, key_line(self.text, None, key))


def _top_value(key: str, value: Any, where: _Where) -> Any:
    check = _TOP_KEYS.get(key)
    if check is None:
        known = ", ".join(_TOP_KEYS)
        raise where.fail("config-key", f"unknown key `{key}` (a sheet knows: {known})", key)
    return check(key, value, where)


def _string(key: str, value: Any, where: _Where) -> str:
    if isinstance(value, datetime.date):  # `date = 2025-05-04` is a TOML date: print it as written
        return value.isoformat()
    if not isinstance(value, str):
        raise where.fail("config-type", f"`{key}` must be a string", key)
    return checked_text(value, where.path, key_line(where.text, None, key), f"`{key}`")


def _choice(options: tuple[str, ...]) -> Callable[[str, Any, _Where], str]:
    def check(key: str, value: Any, where: _Where) -> str:
        if not isinstance(value, str) or value.lower() not in options:
            allowed = " or ".join(f'"{o}"' for o in options)
            raise where.fail("config-value", f"`{key}` must be {allowed}, not {_shown(value)}", key)
        return value.lower()

    return check


def _bool(key: str, value: Any, where: _Where) -> bool:
    if not isinstance(value, bool):
        raise where.fail("config-type", f"`{key}` must be true or false, not {_shown(value)}", key)
    return value


def _fit(key: str, value: Any, where: _Where) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_FIT:
        raise where.fail("config-value", f"`fit` must be a number of pages from 1 to {MAX_FIT}, "
                         f"not {_shown(value)}", key)
    return value


def _shown(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)


def _items(key: str, value: Any, where: _Where) -> tuple[Item, ...]:
    if not isinstance(value, list) or not value:
        raise where.fail("config-type", "`items` must be a non-empty list of tables such as "
                         '{ passage = "45:3-8" } or { text = "…" }', key)
    spans = array_items(where.text, "items")
    return tuple(_item(index, item, spans, where) for index, item in enumerate(value))


def _item(index: int, item: Any, spans: list[ItemSpan], where: _Where) -> Item:
    def line(key: str | None = None) -> int | None:
        return item_key_line(where.text, spans, index, key) if key else (spans[index].first if spans else None)

    label = f"item {index + 1}"
    if not isinstance(item, dict):
        raise error("config-type", f'{label} must be a table such as {{ passage = "45:3-8" }}', where.path, line())
    for key in item:
        if key not in _ITEM_KEYS:
            known = ", ".join(_ITEM_KEYS)
            raise error("config-key", f"unknown key `{key}` in {label} (an item knows: {known})",
                        where.path, line(key))
    for key, value in item.items():
        expected = int if key == "lines" else str
        if isinstance(value, bool) or not isinstance(value, expected):
            kind = "a number" if expected is int else "a string"
            raise error("config-type", f"`{key}` in {label} must be {kind}", where.path, line(key))
        if isinstance(value, str):
            item[key] = checked_text(value, where.path, line(key), f"`{key}` in {label}")
    lines = item.get("lines", 0)
    if not 0 <= lines <= MAX_LINES:
        raise error("config-value", f"`lines` in {label} must be from 0 to {MAX_LINES}, not {lines}",
                    where.path, line("lines"))
    return _passage_or_text(item, label, lines, where.path, line)


def _passage_or_text(item: dict[str, Any], label: str, lines: int, path: Path,
                     line: Callable[[str | None], int | None]) -> Item:
    kinds = [kind for kind in ("passage", *TEXT_KINDS) if kind in item or f"{kind}_he" in item]
    if len(kinds) != 1:
        what = "has none" if not kinds else f"has {' and '.join(f'`{k}`' for k in kinds)}"
        raise error("config-key", f"{label} needs exactly one of `passage`, "
                    + ", ".join(f"`{k}`/`{k}_he`" for k in TEXT_KINDS) + f"; it {what}", path, line(None))
    (kind,) = kinds
    if kind == "passage":
        if "passage_he" in item:
            raise error("config-key", f"unknown key `passage_he` in {label}", path, line("passage_he"))
        reference = item["passage"]
        at = line("passage")
        return PassageItem(reference, parse(reference, path, at), lines, at)
    en, he = item.get(kind, "").strip(), item.get(f"{kind}_he", "").strip()
    if not en and not he:
        raise error("config-value", f"{label}: `{kind}` is empty", path, line(kind if kind in item else f"{kind}_he"))
    return TextItem(kind, en, he, lines, line(kind if kind in item else f"{kind}_he"))


_TOP_KEYS: dict[str, Callable[[str, Any, _Where], Any]] = {
    "title": _string, "title_he": _string, "subtitle": _string, "date": _string, "cite": _string,
    "paper": _choice(PAPERS), "layout": _choice(LAYOUTS), "language": _choice(tuple(LANGUAGES)),
    "numbers": _bool, "fit": _fit, "items": _items,
}
_ITEM_KEYS = ("passage", *(k for kind in TEXT_KINDS for k in (kind, f"{kind}_he")), "lines")


# The teacher's words in the model ------------------------------------------

def teacher_paragraph(text: str, lang: Lang, where: SourceSpan) -> Paragraph:
    """The teacher's words as a paragraph: *emphasis*, and each other-language phrase isolated."""
    runs = tuple(_literal_note_calls(parse_inline(text, where.path, where.line)))
    return Paragraph(lang, isolate(runs, lang), where)


def _literal_note_calls(runs: tuple[Inline, ...]) -> Iterator[Inline]:
    for run in runs:  # a sheet's own text has no notes: `[^1]` stays as written
        yield Text(f"[^{run.id}]") if isinstance(run, NoteRef) else run
