"""The book's fonts: static instances of packaged fonts, and coverage.

The fonts come from PyPI packages pinned in requirements.txt, and the one
face those lack, from a Debian package scripts/system-deps.sh installs: Keter
YG (culmus), a Frank-Ruehl-style face that draws every cantillation mark
(README: Fonts). The PyPI faces ship as variable fonts; WeasyPrint would
instantiate every weight with fontTools for every document (about 0.35 s a
face), so each face is instantiated (or copied) once into the font cache.

A book whose printed Hebrew has a mark Frank Ruhl Libre cannot draw (the
ta'amim, the upper and lower dots, nun hafukha) sets all its Hebrew in
Keter YG: one Hebrew face for the whole book, never a mark in one font on a
letter of another (HarfBuzz could not place it). `stacks_for(book)` says which.

Every font stack names a Hebrew and a Latin face; `covered` says whether
a stack can draw a character (press/checks.py refuses a book with one it
cannot: a fallback to a system font, or a `.notdef` box, is a defect).
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from press.hebrew import with_points
from press.model import Book, Lang, plain_text
from press.paths import font_cache


@dataclass(frozen=True, slots=True)
class Face:
    family: str  # the CSS font-family name
    package: str  # the fontpkg family name
    weight: int
    style: str  # "normal" or "italic"
    system_file: str = ""  # a font a Debian package installs (then `package` names it), copied to the cache

    @property
    def file_name(self) -> str:
        version = _file_version(self.system_file) if self.system_file else _package_version(self.package)
        slug = self.family.replace(" ", "")
        return f"{slug}-{version}-{self.weight}-{self.style}.ttf"

    @property
    def path(self) -> Path:
        return font_cache() / self.file_name


HEBREW_FAMILY = "Frank Ruhl Libre"
LATIN_FAMILY = "EB Garamond"
CANTILLATION_FAMILY = "Keter YG"
_CULMUS = "/usr/share/fonts/truetype/culmus/"
CANTILLATION_FACES = (
    Face(CANTILLATION_FAMILY, "culmus", 400, "normal", _CULMUS + "KeterYG-Medium.ttf"),
    Face(CANTILLATION_FAMILY, "culmus", 700, "normal", _CULMUS + "KeterYG-Bold.ttf"),
)
FACES = (
    Face(HEBREW_FAMILY, "Frank Ruhl Libre", 400, "normal"),
    Face(HEBREW_FAMILY, "Frank Ruhl Libre", 700, "normal"),
    Face(LATIN_FAMILY, "EB Garamond", 400, "normal"),
    Face(LATIN_FAMILY, "EB Garamond", 700, "normal"),
    Face(LATIN_FAMILY, "EB Garamond", 400, "italic"),
    Face(LATIN_FAMILY, "EB Garamond", 700, "italic"),
    *CANTILLATION_FACES,
)
# The order a language's text looks for a glyph in; the stylesheets use
# the same order (templates/base/fonts.css).
STACKS: dict[str, tuple[str, ...]] = {
    "he": (HEBREW_FAMILY, LATIN_FAMILY),
    "en": (LATIN_FAMILY, HEBREW_FAMILY),
}
# A book that prints cantillation: Keter YG first; Frank Ruhl Libre and EB Garamond draw what it lacks
# (no-break space, dashes), never a mark.
CANTILLATION_STACKS: dict[str, tuple[str, ...]] = {
    "he": (CANTILLATION_FAMILY, HEBREW_FAMILY, LATIN_FAMILY),
    "en": STACKS["en"],
}
# PDF font names that belong to the book's faces (the rest is a fallback).
EMBEDDED_NAMES = ("FrankRuhlLibre", "EBGaramond", "KeterYG")


def _package_version(family: str) -> str:
    from importlib.metadata import version

    return version("fontpkg-" + family.lower().replace(" ", "-"))


@cache
def _file_version(path: str) -> str:
    """A system font's cache name follows its bytes: a new Debian release is a new file."""
    import hashlib

    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
    except OSError:
        raise _missing_system_font(path) from None


def _missing_system_font(path: str) -> Exception:
    from press.diagnostics import error

    return error("font", "the cantillation face is not installed; `make` installs it (Debian package "
                 "culmus, scripts/system-deps.sh)", Path(path))


def ensure_static_fonts() -> tuple[Face, ...]:
    """Make any missing static instance; return every face."""
    for face in FACES:
        if not face.path.exists():
            _instantiate(face)
    return FACES


def _instantiate(face: Face) -> None:
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = TTFont(_source(face), recalcTimestamp=False)  # the source's own date: the same bytes on every machine
    if "FFTM" in font:  # FontForge's timestamps: nothing draws with them, and fontTools cannot subset them
        del font["FFTM"]
    if "fvar" in font:
        font = instancer.instantiateVariableFont(font, {"wght": face.weight}, updateFontNames=False)
    face.path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=face.path.parent, suffix=".tmp")
    os.close(handle)
    font.save(temporary)
    os.replace(temporary, face.path)


def _source(face: Face) -> str:
    if face.system_file:
        return face.system_file
    import fontpkg

    return str(fontpkg.path(face.package, weight=face.weight, style=face.style, nearest=True))


@cache
def _cmap(family: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    ensure_static_fonts()
    face = next(f for f in FACES if f.family == family and f.weight == 400 and f.style == "normal")
    return frozenset(TTFont(face.path, lazy=True).getBestCmap())


@cache
def covered(char: str, lang: Lang, stacks: tuple[tuple[str, tuple[str, ...]], ...] | None = None) -> bool:
    """Whether a face of the stack of `lang` (in `stacks`, else STACKS) has a glyph for `char`."""
    stack = dict(stacks)[lang] if stacks else STACKS[lang]
    return any(ord(char) in _cmap(family) for family in stack)


# Hebrew marks (accents, points, punctuation between U+0591 and U+05C7).
_HEBREW_MARKS = re.compile("[\u0591-\u05c7]")


def stacks_for(book: Book) -> dict[str, tuple[str, ...]]:
    """The font stacks `book` is set in: CANTILLATION_STACKS when its printed Hebrew has a mark
    Frank Ruhl Libre has no glyph for, else STACKS."""
    known = _STACKS_OF.get(id(book))
    if known is not None and known[0] is book:
        return known[1]
    points = getattr(getattr(book.settings, "hebrew", None), "points", "all")
    marks = set(_HEBREW_MARKS.findall(with_points(_all_text(book), points)))
    stacks = CANTILLATION_STACKS if any(ord(m) not in _cmap(HEBREW_FAMILY) for m in marks) else STACKS
    if len(_STACKS_OF) > 16:
        _STACKS_OF.clear()
    _STACKS_OF[id(book)] = (book, stacks)  # the book is kept, so its id is not reused
    return stacks


_STACKS_OF: dict[int, tuple[Book, dict[str, tuple[str, ...]]]] = {}


def css_stack(stack: tuple[str, ...]) -> str:
    """A stack as a CSS `font-family` value (family names are ours, never source text)."""
    return ", ".join(f'"{family}"' for family in stack)


def faces_for(book: Book) -> tuple[Face, ...]:
    """The faces of the families `book` is set in (what an EPUB or a standalone page embeds)."""
    families = {family for stack in stacks_for(book).values() for family in stack}
    return tuple(face for face in FACES if face.family in families)


def _all_text(book: Book) -> str:
    parts = [book.title_he]
    for chapter in book.chapters:
        parts.append(chapter.title_he)
        parts.extend(plain_text(p.runs) for block in chapter.blocks for p in block.paragraphs)
        parts.extend(plain_text(note.runs) for note in chapter.notes)
    return "\n".join(parts)
