"""book.toml -> typed, validated settings.

Unknown keys are errors that name the key and its line: a misspelt
setting silently ignored is worse than a build that stops.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from press.diagnostics import error

PAGE_SIZES = {
    "a4": "210mm 297mm",
    "a5": "148mm 210mm",
    "a6": "105mm 148mm",
    "b5": "176mm 250mm",
    "letter": "8.5in 11in",
    "legal": "8.5in 14in",
}
_LENGTH = re.compile(r"^\d+(\.\d+)?(in|mm|cm|pt)$")
SHEET_PAPERS = ("letter", "a4")


@dataclass(frozen=True, slots=True)
class PrintSettings:
    trim: str = "5.5in 8.5in"


@dataclass(frozen=True, slots=True)
class SheetSettings:
    paper: str = "letter"
    passage: str = ""


@dataclass(frozen=True, slots=True)
class EpubSettings:
    identifier: str = ""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything book.toml can say, with the defaults it does not say."""

    title: str = ""
    title_he: str = ""
    author: str = ""
    translator: str = ""
    publisher: str = ""
    rights: str = ""
    description: str = ""
    primary: str = "en"
    print: PrintSettings = field(default_factory=PrintSettings)
    sheet: SheetSettings = field(default_factory=SheetSettings)
    epub: EpubSettings = field(default_factory=EpubSettings)
    path: Path | None = None

    @property
    def trim_css(self) -> str:
        return page_size(self.print.trim, self.path, "print", "trim")

    @property
    def sheet_paper_css(self) -> str:
        return PAGE_SIZES[self.sheet.paper.lower()]


_TABLES = {"print": PrintSettings, "sheet": SheetSettings, "epub": EpubSettings}


def load(path: Path) -> Settings:
    """Read and validate book.toml; raise BuildError naming file and line."""
    text = _read(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = _line_from_toml_error(str(exc))
        raise error("toml", f"not valid TOML: {exc}", path, line) from None
    settings = _settings_from(data, text, path)
    _validate(settings, text, path)
    return settings


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error("encoding", f"not UTF-8 ({exc.reason})", path) from None
    except OSError as exc:
        raise error("unreadable", f"cannot read: {exc.strerror}", path) from None


def _settings_from(data: dict[str, Any], text: str, path: Path) -> Settings:
    top: dict[str, Any] = {"path": path}
    for key, value in data.items():
        if key in _TABLES:
            if not isinstance(value, dict):
                raise error("config-type", f"`{key}` must be a table", path, key_line(text, None, key))
            top[key] = _table(_TABLES[key], key, value, text, path)
        elif key in _scalar_keys(Settings):
            top[key] = _checked_str(value, None, key, text, path)
        else:
            raise error("config-key", f"unknown key `{key}`", path, key_line(text, None, key))
    return Settings(**top)


def _table(cls: type, table: str, values: dict[str, Any], text: str, path: Path) -> Any:
    known = _scalar_keys(cls)
    for key in values:
        if key not in known:
            raise error("config-key", f"unknown key `{key}` in [{table}]", path, key_line(text, table, key))
    return cls(**{k: _checked_str(v, table, k, text, path) for k, v in values.items()})


def _scalar_keys(cls: type) -> set[str]:
    return {f.name for f in fields(cls) if f.name not in _TABLES and f.name != "path"}


def _checked_str(value: Any, table: str | None, key: str, text: str, path: Path) -> str:
    if not isinstance(value, str):
        name = f"[{table}] {key}" if table else key
        raise error("config-type", f"`{name}` must be a string", path, key_line(text, table, key))
    return value


def _validate(settings: Settings, text: str, path: Path) -> None:
    if settings.primary not in ("en", "he"):
        raise error("config-value", f'`primary` must be "en" or "he", not "{settings.primary}"',
                    path, key_line(text, None, "primary"))
    page_size(settings.print.trim, path, "print", "trim", text)
    paper = settings.sheet.paper.lower()
    if paper not in SHEET_PAPERS:
        raise error("config-value", f'`[sheet] paper` must be "letter" or "a4", not "{settings.sheet.paper}"',
                    path, key_line(text, "sheet", "paper"))


def page_size(value: str, path: Path | None, table: str, key: str, text: str = "") -> str:
    """A CSS `size` for a named size (`A5`, `Letter`) or `W H` with units."""
    named = PAGE_SIZES.get(value.strip().lower())
    if named:
        return named
    parts = value.split()
    if len(parts) == 2 and all(_LENGTH.match(p) for p in parts):
        return " ".join(parts)
    message = f'`[{table}] {key}` must be a named size (A4, A5, Letter, ...) or "W H" such as "6in 9in", not "{value}"'
    raise error("config-value", message, path, key_line(text, table, key) if text else None)


def key_line(text: str, table: str | None, key: str) -> int | None:
    """The line where `key` is set inside `[table]` (None: top level)."""
    current: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        header = re.match(r"^\[\s*([^\]]+?)\s*\]$", stripped)
        if header:
            current = header.group(1)
            if table is None and current == key:
                return number
            continue
        if current == table and re.match(rf"^[\"']?{re.escape(key)}[\"']?\s*=", stripped):
            return number
    return None


def _line_from_toml_error(message: str) -> int | None:
    found = re.search(r"line (\d+)", message)
    return int(found.group(1)) if found else None
