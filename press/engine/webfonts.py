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
from concurrent.futures import Executor
from dataclasses import dataclass, fields, is_dataclass
from functools import cache
from posixpath import relpath

from press.engine.cached_jobs import job_key, submit_cached
from press.engine.fonts import Face

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


# What the templates add to the model's text, as far as known: ASCII, line breaks, the middle dot
# between a title's two languages, and the Hebrew letters and geresh of Hebrew page numbers.
_TEMPLATE_CHARACTERS = "".join(map(chr, range(0x20, 0x7F))) + "\n\u00b7" + "".join(
    map(chr, range(0x05D0, 0x05EB))) + "\u05f3\u05f4" + "“”‘’„‚\u00a0\u2060"  # press/typography.py prints these


class Subsetting:
    """The faces subset in the background, from characters known before the documents are rendered
    (`model_characters`): started early, the subsets are made while the book is rendered.
    `result(used)` gives them when they hold every character the rendered documents use, and
    otherwise subsets again with both sets (the same characters always give the same bytes)."""

    def __init__(self, pool: Executor, faces: Iterable[Face], characters: str) -> None:
        self.pool, self.faces, self.characters = pool, tuple(faces), characters
        self.futures = [_submit(pool, face, characters) for face in self.faces]

    def result(self, used: str) -> tuple[FontFile, ...]:
        if not set(used) <= set(self.characters):
            for future in self.futures:
                future.cancel()
            wanted = "".join(sorted(set(self.characters) | set(used)))
            self.futures = [_submit(self.pool, face, wanted) for face in self.faces]
        return tuple(FontFile(face, future.result()) for face, future in zip(self.faces, self.futures, strict=True))


def _submit(pool: Executor, face: Face, characters: str):
    """The face's subset to `characters`: from the build cache (the same characters always give the
    same bytes), else made in `pool`."""
    key = job_key("font-subset", face.file_name, characters, font_files=(face.path,))
    return submit_cached(pool, key, ".font", subset_face, face, characters)


def model_characters(book: object) -> str:
    """Every character of the book's model (its texts and metadata) and of _TEMPLATE_CHARACTERS,
    sorted: what the rendered documents use, unless a template adds another (Subsetting checks)."""
    texts = [_TEMPLATE_CHARACTERS]
    stack = [book]
    while stack:  # a walk of the model's dataclasses and containers, gathering its strings
        value = stack.pop()
        kind = type(value)
        if kind is str:
            texts.append(value)
        elif kind in _CONTAINERS:
            stack.extend(value.values() if kind is dict else value)
        elif (names := _field_names(kind)) is not None:
            stack.extend(getattr(value, name) for name in names)
        elif isinstance(value, str):  # a str subclass (an enum's value...)
            texts.append(value)
        elif isinstance(value, tuple | list | frozenset | set):
            stack.extend(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
    return "".join(sorted(set("".join(texts))))


_CONTAINERS = (tuple, list, frozenset, set, dict)


@cache
def _field_names(kind: type) -> tuple[str, ...] | None:
    """A dataclass's field names (the walk asks once per type, not once per object), else None."""
    return tuple(item.name for item in fields(kind)) if is_dataclass(kind) else None


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
