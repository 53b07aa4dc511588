"""The book's faces, embedded in the EPUB and subset to what it uses.

A reading system may lack Hebrew points' mark positioning or have no
Hebrew font at all, so the EPUB carries its own. Each face is cut down to
the characters of the rendered documents and to the OpenType features a
reading system applies by default (LAYOUT_FEATURES: GPOS `mark`/`mkmk`
place Hebrew points, `kern`, ligatures...), keeping every name record (the
licence). Keeping every feature instead kept EB Garamond's small capitals,
old-style and swash alternates for each character: 90 KB a face against
22 KB for the sample, and the stylesheets ask for none of them. The output
is deterministic: `head.modified` is set to the font's creation date, so
the bytes depend on the characters alone.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from posixpath import relpath

from press.fonts import Face

FONT_FOLDER = "fonts"
# The features browsers and e-readers turn on by themselves for Latin and
# Hebrew text; add one here if a stylesheet asks for it (font-variant...).
LAYOUT_FEATURES = ("ccmp", "locl", "rlig", "liga", "clig", "calt", "kern", "mark", "mkmk", "rvrn", "curs")


@dataclass(frozen=True, slots=True)
class FontFile:
    face: Face
    data: bytes

    @property
    def file_name(self) -> str:
        """The font's path inside the package folder."""
        return f"{FONT_FOLDER}/{self.face.file_name}"

    @property
    def uid(self) -> str:
        return "font-" + self.face.file_name.rsplit(".", 1)[0].replace(".", "-")


def font_url(stylesheet: str) -> Callable[[Face], str]:
    """The `font_url` of fonts.css: each face's file relative to the stylesheet."""
    folder = stylesheet.rpartition("/")[0] or "."
    return lambda face: relpath(f"{FONT_FOLDER}/{face.file_name}", folder)


def used_characters(documents: Iterable[str]) -> str:
    """Every character of the documents' text, sorted (markup left out)."""
    from lxml import html

    parser = html.HTMLParser(encoding="utf-8")  # else lxml guesses the bytes' encoding
    found: set[str] = set()
    for document in documents:
        found.update(html.document_fromstring(document.encode("utf-8"), parser=parser).text_content())
    return "".join(sorted(found))


def subset_fonts(faces: Iterable[Face], characters: str) -> tuple[FontFile, ...]:
    """Every face subset, on all cores: fontTools takes most of a second per face, whatever the book's length."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    faces = tuple(faces)
    jobs = min(len(faces), os.cpu_count() or 1)
    if jobs < 2 or os.name != "posix":
        return tuple(FontFile(face, subset_face(face, characters)) for face in faces)
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        programs = pool.map(subset_face, faces, [characters] * len(faces))  # in order: deterministic
        return tuple(FontFile(face, program) for face, program in zip(faces, programs, strict=True))


def subset_face(face: Face, characters: str) -> bytes:
    from fontTools import subset

    options = _options()
    font = subset.load_font(str(face.path), options, lazy=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted({ord(char) for char in characters}))
    subsetter.subset(font)
    font["head"].modified = font["head"].created
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    return buffer.getvalue()


def _options():
    from fontTools import subset

    options = subset.Options()
    options.layout_features = list(LAYOUT_FEATURES)
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    return options
