"""The standalone HTML of a sheet: one file that prints well from a browser.

A teacher mails the sheet, opens it from a USB stick or a school
intranet, or prints it from any browser, so the file must carry
everything: the stylesheet is inlined and the fonts are embedded as
`data:` URIs. Referencing the font files relatively would break the
moment the HTML is moved without its folder, and a browser's own Hebrew
font may lack mark positioning for the points. Each face is subset to the
characters the sheet prints (and the stylesheet's generated text), with
fontTools' default layout features (they include `mark`/`mkmk` for the
points, `kern` and `liga`) and compressed as WOFF2: about 100 kB for all
six faces, where the EPUB's every-feature TrueType subsets come to 600 kB.

Subsetting and WOFF2's compression take about half a second a face, the most of a sheet's build; a
subset is a pure function of the face and the characters, so it is kept in the build cache under a
key of both (and of the environment every key holds: press/engine/cached_jobs.py), and a sheet
rebuilt with no new character, or another sheet with the same ones, subsets nothing.
"""

from __future__ import annotations

import base64
import io

from press.engine.buildcache import BuildCache
from press.engine.cached_jobs import job_key
from press.engine.fonts import FACES, Face, ensure_static_fonts
from press.engine.render import render
from press.engine.webfonts import used_characters

# Text the stylesheet generates (the page footer, separators) and digits for page numbers.
GENERATED = "page of · 0123456789"


def standalone_css(edition: str, html: str, faces: tuple[Face, ...] = FACES, **context: object) -> str:
    """The edition's stylesheet with each of `faces` inside it, subset to what `html` prints."""
    ensure_static_fonts()
    characters = used_characters([html]) + GENERATED
    urls = {face: _data_uri(face, characters) for face in faces}
    return render(edition, f"{edition}.css", faces=faces, font_url=urls.__getitem__, **context)


def _data_uri(face: Face, characters: str) -> str:
    data = base64.b64encode(_cached_subset(face, characters)).decode("ascii")
    return f"data:font/woff2;base64,{data}"


def _cached_subset(face: Face, characters: str) -> bytes:
    cache = BuildCache.default()
    key = job_key("sheet-woff2", "".join(sorted(set(characters))), font_files=(face.path,))
    found = cache.get(key, ".woff2")
    if found is None:
        found = _subset(face, characters)
        cache.put(key, found, ".woff2")
    return found


def _subset(face: Face, characters: str) -> bytes:
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    options.name_IDs = ["*"]  # keep the licence and the names
    options.notdef_outline = True
    font = subset.load_font(str(face.path), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted({ord(char) for char in characters}))
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    return buffer.getvalue()
