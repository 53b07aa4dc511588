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
from press.hebrew import POINT_MODES
from press.textfile import checked_text, read_text

PAGE_SIZES = {
    "a4": "210mm 297mm",
    "a5": "148mm 210mm",
    "a6": "105mm 148mm",
    "b5": "176mm 250mm",
    "letter": "8.5in 11in",
    "legal": "8.5in 14in",
}
_LENGTH = re.compile(r"^\d+(\.\d+)?(in|mm|cm|pt)$")
_SIZE = re.compile(r"^\s*\d+(\.\d+)?\s*[KMGT]?(I?B)?\s*$", re.IGNORECASE)  # as press/engine/cache_limit.py reads
SHEET_PAPERS = ("letter", "a4")


@dataclass(frozen=True, slots=True)
class PrintSettings:
    trim: str = "5.5in 8.5in"
    layout: str = "stacked"  # a folder of templates/layouts/
    folio: str = "arabic"  # or "hebrew": page numbers in Hebrew letters
    english_folio: str = ""  # facing: the English page's page numbers ("arabic" or "hebrew"; "": as folio)
    bleed: str = "0mm"
    marks: bool = False  # crop marks
    pdf: str = ""  # "", "pdf/a-2b" (archive) or "pdf/x-4" (press)
    output_profile: str = ""  # pdf/x-4: a CMYK output profile (.icc), relative to book.toml; default FOGRA39L
    output_condition: str = ""  # its printing condition's registered name, e.g. "FOGRA51"


@dataclass(frozen=True, slots=True)
class SheetSettings:
    paper: str = "letter"
    passage: str = ""


@dataclass(frozen=True, slots=True)
class BookletSettings:
    sheet: str = "letter"  # "letter" or "a4", printed landscape
    creep: str = "0mm"  # shift toward the spine per sheet of depth
    marks: bool = False  # fold marks at the spine, outside the pages


@dataclass(frozen=True, slots=True)
class EpubSettings:
    identifier: str = ""
    layout: str = "stacked"  # a layout of templates/epub/layouts/


@dataclass(frozen=True, slots=True)
class HebrewSettings:
    points: str = "all"  # "all", "vowels" (no cantillation) or "none": what the editions print
    geresh: bool = True  # print ASCII ' and " in Hebrew abbreviations as geresh and gershayim
    quotes: str = "„”"  # the Hebrew quotation marks, opening then closing (press/typography.py)


@dataclass(frozen=True, slots=True)
class NotesSettings:
    missing: str = "mark"  # a note called without text: "mark" prints a placeholder note, "omit" nothing


@dataclass(frozen=True, slots=True)
class HyphenationSettings:
    never: tuple[str, ...] = ()  # words (and names of several words) never hyphenated nor split


@dataclass(frozen=True, slots=True)
class SefariaSettings:
    chapters: str = ""  # "1-2", "3" or "1,3-4": which chapters of a Sefaria text (default: all)
    version: str = ""  # the versionTitle to read from a file holding several versions


@dataclass(frozen=True, slots=True)
class CacheSettings:
    limit: str = ""  # the build cache's size limit, e.g. "500M" (press/engine/cache_limit.py)


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything book.toml can say, with the defaults it does not say."""

    title: str = ""
    title_he: str = ""
    author: str = ""
    translator: str = ""
    publisher: str = ""
    rights: str = ""
    # The same in Hebrew, for a book whose furniture is Hebrew only (the `hebrew` layout); each falls
    # back to the English.
    author_he: str = ""
    publisher_he: str = ""
    rights_he: str = ""
    description: str = ""
    date: str = ""  # publication date: YYYY, YYYY-MM or YYYY-MM-DD (default: the build's date)
    edition: int = 0  # which edition the colophon names: 1 = "First edition" (0: none named)
    isbn: str = ""  # the colophon's ISBN: 13 digits (or 10), hyphens or spaces between groups allowed
    primary: str = "en"
    print: PrintSettings = field(default_factory=PrintSettings)
    sheet: SheetSettings = field(default_factory=SheetSettings)
    epub: EpubSettings = field(default_factory=EpubSettings)
    booklet: BookletSettings = field(default_factory=BookletSettings)
    hebrew: HebrewSettings = field(default_factory=HebrewSettings)
    sefaria: SefariaSettings = field(default_factory=SefariaSettings)
    # Not part of any output, so not of the build cache's keys (they hold the settings' repr).
    cache: CacheSettings = field(default_factory=CacheSettings, repr=False, compare=False)
    hyphenation: HyphenationSettings = field(default_factory=HyphenationSettings)
    notes: NotesSettings = field(default_factory=NotesSettings)
    path: Path | None = None

    @property
    def trim_css(self) -> str:
        return page_size(self.print.trim, self.path, "print", "trim")

    @property
    def sheet_paper_css(self) -> str:
        return PAGE_SIZES[self.sheet.paper.lower()]


_TABLES = {"print": PrintSettings, "sheet": SheetSettings, "epub": EpubSettings, "booklet": BookletSettings,
           "hebrew": HebrewSettings, "sefaria": SefariaSettings, "cache": CacheSettings,
           "hyphenation": HyphenationSettings, "notes": NotesSettings}


def load(path: Path) -> Settings:
    """Read and validate book.toml; raise BuildError naming file and line."""
    text = read_text(path)
    data = parse_toml(text, path)
    settings = _settings_from(data, text, path)
    _validate(settings, text, path)
    return settings


def _settings_from(data: dict[str, Any], text: str, path: Path) -> Settings:
    top: dict[str, Any] = {"path": path}
    for key, value in data.items():
        if key in _TABLES:
            if not isinstance(value, dict):
                raise error("config-type", f"`{key}` must be a table", path, key_line(text, None, key))
            top[key] = _table(_TABLES[key], key, value, text, path)
        elif key in _scalar_keys(Settings):
            top[key] = _checked(value, type(_DEFAULTS[key]), None, key, text, path)
        else:
            raise error("config-key", f"unknown key `{key}`", path, key_line(text, None, key))
    return Settings(**top)


def _table(cls: type, table: str, values: dict[str, Any], text: str, path: Path) -> Any:
    known = _scalar_keys(cls)
    for key in values:
        if key not in known:
            raise error("config-key", f"unknown key `{key}` in [{table}]", path, key_line(text, table, key))
    defaults = {f.name: f.default for f in fields(cls)}
    return cls(**{k: _checked(v, type(defaults[k]), table, k, text, path) for k, v in values.items()})


_DEFAULTS = {f.name: f.default for f in fields(Settings)}


def _scalar_keys(cls: type) -> set[str]:
    # Only the top level holds tables: `[booklet] sheet` is a plain key, not the [sheet] table.
    return {f.name for f in fields(cls) if not (cls is Settings and f.name in _TABLES) and f.name != "path"}


_TYPE_NAMES = {str: "a string", bool: "true or false", int: "a whole number", tuple: "a list of strings"}


def _checked(value: Any, expected: type, table: str | None, key: str, text: str, path: Path) -> Any:
    if expected is tuple and isinstance(value, list) and all(isinstance(item, str) for item in value):
        value = tuple(value)
    # bool is an int in Python: compare exact types so `fit = true` is not a page count.
    name = f"[{table}] {key}" if table else key
    if type(value) is not expected:
        raise error("config-type", f"`{name}` must be {_TYPE_NAMES.get(expected, expected.__name__)}",
                    path, key_line(text, table, key))
    if isinstance(value, str):  # a TOML escape such as \u0000 passes the file's own check
        return checked_text(value, path, key_line(text, table, key), f"`{name}`")
    return value


def _validate(settings: Settings, text: str, path: Path) -> None:
    if settings.primary not in ("en", "he"):
        raise error("config-value", f'`primary` must be "en" or "he", not "{settings.primary}"',
                    path, key_line(text, None, "primary"))
    page_size(settings.print.trim, path, "print", "trim", text)
    _validate_print(settings.print, text, path)
    _validate_booklet(settings.booklet, text, path)
    paper = settings.sheet.paper.lower()
    if paper not in SHEET_PAPERS:
        raise error("config-value", f'`[sheet] paper` must be "letter" or "a4", not "{settings.sheet.paper}"',
                    path, key_line(text, "sheet", "paper"))
    _validate_epub(settings, text, path)
    _validate_colophon(settings, text, path)
    if settings.cache.limit and not _SIZE.match(settings.cache.limit):
        raise error("config-value", f'`[cache] limit` must be a size such as "500M" or "2G", '
                    f'not "{settings.cache.limit}"', path, key_line(text, "cache", "limit"))
    if settings.notes.missing not in ("mark", "omit"):
        raise error("config-value", f'`[notes] missing` must be "mark" or "omit", not "{settings.notes.missing}"',
                    path, key_line(text, "notes", "missing"))
    if len(settings.hebrew.quotes) != 2:
        raise error("config-value", f'`[hebrew] quotes` must be two characters, opening and closing, '
                    f'such as "„”" or "”“", not "{settings.hebrew.quotes}"', path, key_line(text, "hebrew", "quotes"))
    if settings.hebrew.points not in POINT_MODES:
        names = ", ".join(f'"{mode}"' for mode in POINT_MODES)
        raise error("config-value", f'`[hebrew] points` must be one of {names}, not "{settings.hebrew.points}"',
                    path, key_line(text, "hebrew", "points"))


PDF_VARIANTS = ("", "pdf/a-2b", "pdf/x-4")
FOLIOS = ("arabic", "hebrew")


def print_layouts() -> tuple[str, ...]:
    """The print layouts: the folders of templates/layouts/."""
    from press.paths import TEMPLATES

    return tuple(sorted(p.name for p in (TEMPLATES / "layouts").iterdir() if (p / "layout.toml").is_file()))


def _validate_print(settings: PrintSettings, text: str, path: Path) -> None:
    _choice(settings.layout, print_layouts(), "layout", text, path)
    _choice(settings.folio, FOLIOS, "folio", text, path)
    _choice(settings.english_folio, ("", *FOLIOS), "english_folio", text, path)
    _choice(settings.pdf, PDF_VARIANTS, "pdf", text, path)
    if settings.output_profile:
        _validate_profile(settings.output_profile, text, path)
    if not _LENGTH.match(settings.bleed) and settings.bleed != "0":
        raise error("config-value", f'`[print] bleed` must be a length such as "3mm" or "0.125in", '
                    f'not "{settings.bleed}"', path, key_line(text, "print", "bleed"))


def is_cmyk_output_profile(data: bytes) -> bool:
    """A 4-channel profile for a printer (ICC header: device class `prtr`, colour space `CMYK`)."""
    return len(data) >= 128 and data[36:40] == b"acsp" and data[12:16] == b"prtr" and data[16:20] == b"CMYK"


def _validate_profile(name: str, text: str, path: Path) -> None:
    profile = path.parent / name
    line = key_line(text, "print", "output_profile")
    if not profile.is_file():
        raise error("config-value", f'`[print] output_profile`: no file "{name}" beside book.toml', path, line)
    if not is_cmyk_output_profile(profile.read_bytes()[:128]):
        raise error("config-value", f'`[print] output_profile`: "{name}" is not a CMYK output (printer) '
                    "ICC profile", path, line)


def _validate_booklet(settings: BookletSettings, text: str, path: Path) -> None:
    if settings.sheet.lower() not in SHEET_PAPERS:
        raise error("config-value", f'`[booklet] sheet` must be "letter" or "a4", not "{settings.sheet}"',
                    path, key_line(text, "booklet", "sheet"))
    if not _LENGTH.match(settings.creep) and settings.creep != "0":
        raise error("config-value", f'`[booklet] creep` must be a length such as "0.1mm" or "0.3pt", '
                    f'not "{settings.creep}"', path, key_line(text, "booklet", "creep"))


def _choice(value: str, allowed: tuple[str, ...], key: str, text: str, path: Path) -> None:
    if value not in allowed:
        names = ", ".join(f'"{a}"' for a in allowed if a)
        raise error("config-value", f'`[print] {key}` must be one of {names}, not "{value}"',
                    path, key_line(text, "print", key))


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


_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
_ASSIGNMENT = re.compile(rf"^({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*=")


def key_line(text: str, table: str | None, key: str) -> int | None:
    """The line where `key` is set inside `[table]` (None: top level).

    Found however it is written: under a `[table]` or `[[table]]` header,
    as a dotted key (`print.trim = …`), or inside an inline table
    (`print = { trim = … }`: that line). A top-level `key` that is a table
    is found at its header or at its first dotted key.
    """
    target = [key] if table is None else [table, key]
    current: list[str] = []
    holder: int | None = None  # an inline table or header that holds the target
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        header = re.match(r"^\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$", stripped)
        if header:
            current = _dotted(header.group(1))
            full = current
        else:
            assigned = _ASSIGNMENT.match(stripped)
            if not assigned:
                continue
            full = current + _dotted(assigned.group(1))
        if full[:len(target)] == target:
            return number
        if holder is None and not header and target[:len(full)] == full:
            holder = number
    return holder


def _dotted(name: str) -> list[str]:
    """`a."b.c" . d` -> ["a", "b.c", "d"]."""
    return [part.strip().strip("\"'") for part in re.findall(r"\"[^\"]*\"|'[^']*'|[^.]+", name)]


def parse_toml(text: str, path: Path) -> dict[str, Any]:
    """`tomllib.loads`, every failure an error [toml] naming the file and, where known, the line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error("toml", f"not valid TOML: {exc}", path, _line_from_toml_error(str(exc))) from None
    except ValueError as exc:  # an integer of thousands of digits: Python's int() refuses it
        raise error("toml", f"not valid TOML: {exc}", path) from None
    except RecursionError:
        raise error("toml", "not valid TOML here: arrays or tables nested too deeply", path) from None


def _line_from_toml_error(message: str) -> int | None:
    found = re.search(r"line (\d+)", message)
    return int(found.group(1)) if found else None


def isbn_ok(isbn: str) -> bool:
    """An ISBN-13 (978 or 979) or ISBN-10 whose check digit is right; hyphens or spaces may part its groups."""
    digits = re.sub(r"[-\s]", "", isbn.strip()).upper()
    if re.fullmatch(r"97[89]\d{10}", digits):
        return sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits)) % 10 == 0
    if re.fullmatch(r"\d{9}[\dX]", digits):
        return sum((10 - i) * (10 if d == "X" else int(d)) for i, d in enumerate(digits)) % 11 == 0
    return False


def _validate_colophon(settings: Settings, text: str, path: Path) -> None:
    line = key_line(text, None, "edition")
    if line is not None and not 1 <= settings.edition <= 99:
        raise error("config-value", f"`edition` must be a whole number from 1 (the first edition) to 99, "
                    f"not {settings.edition}", path, line)
    if settings.isbn and not isbn_ok(settings.isbn):
        raise error("config-value", f'`isbn` must be an ISBN-13 (or ISBN-10) with its check digit, such as '
                    f'"978-3-16-148410-0", not "{settings.isbn}"', path, key_line(text, None, "isbn"))


def epub_layouts() -> tuple[str, ...]:
    """The e-book layouts: each is a template and a stylesheet in templates/epub/layouts/."""
    from press.paths import TEMPLATES

    folder = TEMPLATES / "epub" / "layouts"
    return tuple(sorted(p.stem for p in folder.glob("*.html") if p.with_suffix(".css").is_file()))


def _validate_epub(settings: Settings, text: str, path: Path) -> None:
    layouts = epub_layouts()
    if settings.epub.layout not in layouts:
        names = ", ".join(f'"{name}"' for name in layouts)
        raise error("config-value", f'`[epub] layout` must be one of {names}, not "{settings.epub.layout}"',
                    path, key_line(text, "epub", "layout"))
    if settings.date and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", settings.date):
        raise error("config-value", f'`date` must be YYYY, YYYY-MM or YYYY-MM-DD, not "{settings.date}"',
                    path, key_line(text, None, "date"))
