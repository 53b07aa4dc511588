"""The book's fonts: static instances of packaged fonts, and coverage.

The fonts come from PyPI packages pinned in requirements.txt, never from
the system. Both ship as variable fonts; WeasyPrint would instantiate every
weight with fontTools for every document (about 0.35 s a face), so each
face is instantiated once into the font cache and reused.

Every font stack names a Hebrew and a Latin face; `covered` says whether
a stack can draw a character (press/checks.py refuses a book with one it
cannot: a fallback to a system font, or a `.notdef` box, is a defect).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from press.model import Lang
from press.paths import font_cache


@dataclass(frozen=True, slots=True)
class Face:
    family: str  # the CSS font-family name
    package: str  # the fontpkg family name
    weight: int
    style: str  # "normal" or "italic"

    @property
    def file_name(self) -> str:
        version = _package_version(self.package)
        slug = self.family.replace(" ", "")
        return f"{slug}-{version}-{self.weight}-{self.style}.ttf"

    @property
    def path(self) -> Path:
        return font_cache() / self.file_name


HEBREW_FAMILY = "Frank Ruhl Libre"
LATIN_FAMILY = "EB Garamond"
FACES = (
    Face(HEBREW_FAMILY, "Frank Ruhl Libre", 400, "normal"),
    Face(HEBREW_FAMILY, "Frank Ruhl Libre", 700, "normal"),
    Face(LATIN_FAMILY, "EB Garamond", 400, "normal"),
    Face(LATIN_FAMILY, "EB Garamond", 700, "normal"),
    Face(LATIN_FAMILY, "EB Garamond", 400, "italic"),
    Face(LATIN_FAMILY, "EB Garamond", 700, "italic"),
)
# The order a language's text looks for a glyph in; the stylesheets use
# the same order (templates/base/fonts.css).
STACKS: dict[str, tuple[str, ...]] = {
    "he": (HEBREW_FAMILY, LATIN_FAMILY),
    "en": (LATIN_FAMILY, HEBREW_FAMILY),
}
# PDF font names that belong to the book's faces (the rest is a fallback).
EMBEDDED_NAMES = ("FrankRuhlLibre", "EBGaramond")


def _package_version(family: str) -> str:
    from importlib.metadata import version

    return version("fontpkg-" + family.lower().replace(" ", "-"))


def ensure_static_fonts() -> tuple[Face, ...]:
    """Make any missing static instance; return every face."""
    for face in FACES:
        if not face.path.exists():
            _instantiate(face)
    return FACES


def _instantiate(face: Face) -> None:
    import fontpkg
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    source = fontpkg.path(face.package, weight=face.weight, style=face.style, nearest=True)
    font = TTFont(source)
    if "fvar" in font:
        font = instancer.instantiateVariableFont(font, {"wght": face.weight}, updateFontNames=False)
    face.path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=face.path.parent, suffix=".tmp")
    os.close(handle)
    font.save(temporary)
    os.replace(temporary, face.path)


@cache
def _cmap(family: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    face = next(f for f in FACES if f.family == family and f.weight == 400 and f.style == "normal")
    return frozenset(TTFont(face.path, lazy=True).getBestCmap())


@cache
def covered(char: str, lang: Lang) -> bool:
    """Whether a face of the stack of `lang` has a glyph for `char`."""
    return any(ord(char) in _cmap(family) for family in STACKS[lang])
