"""The build cache: laid-out pieces of a book, kept by a key of everything they depend on.

A key hashes the piece's own input (a chapter's model, a run of folios)
with the environment: the templates, the press package's code, the fonts,
the library versions, the book's settings and metadata, the
SOURCE_DATE_EPOCH date and the environment variables that change the
output (PRESS_PDFTEXT). A stale entry therefore can never be found: any
change that could change the output changes the key. Entries are written
atomically and end with a checksum: a damaged one (truncated, overwritten)
counts as missing and is laid out again. The folder (`.cache/build/`, or
PRESS_BUILD_CACHE) can be deleted at any time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from press.engine.cache_limit import touch
from press.paths import PROJECT, TEMPLATES

# Python libraries whose versions can change a laid-out page or its PDF.
LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "cssselect2", "tinyhtml5", "html5lib", "pyphen", "fonttools",
             "pikepdf", "jinja2", "brotli", "pillow", "fontpkg-frank-ruhl-libre", "fontpkg-eb-garamond")
# Environment variables that change what is written (press.engine.pdftext's switch).
ENVIRONMENT = ("PRESS_PDFTEXT",)
# System libraries WeasyPrint lays text out with: (library, its version function).
SYSTEM_LIBRARIES = (("pango-1.0", "pango_version_string"), ("harfbuzz", "hb_version_string"))
# Each entry ends with the SHA-256 of what precedes it: a truncated or damaged entry is never used.
CHECKSUM_BYTES = 32


def digest(*parts: str | bytes) -> str:
    hashed = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        hashed.update(len(data).to_bytes(8, "big") + data)
    return hashed.hexdigest()


@dataclass(frozen=True, slots=True)
class BuildCache:
    root: Path

    @classmethod
    def default(cls) -> BuildCache:
        return cls(Path(os.environ.get("PRESS_BUILD_CACHE", PROJECT / ".cache" / "build")))

    def path(self, key: str, suffix: str) -> Path:
        return self.root / key[:2] / f"{key}{suffix}"

    def get(self, key: str, suffix: str = ".pdf") -> bytes | None:
        """The entry, or None if it is missing or damaged (its checksum does not match: laid out again)."""
        try:
            stored = touch(self.path(key, suffix)).read_bytes()  # a hit is a use: kept longest when pruning
        except OSError:
            return None
        data, checksum = stored[:-CHECKSUM_BYTES], stored[-CHECKSUM_BYTES:]
        return data if hashlib.sha256(data).digest() == checksum else None

    def get_json(self, key: str) -> object | None:
        data = self.get(key, ".json")
        return None if data is None else json.loads(data)

    def put(self, key: str, data: bytes, suffix: str = ".pdf") -> None:
        target = self.path(key, suffix)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")  # press/engine/litter.py's pattern
        temporary.write_bytes(data + hashlib.sha256(data).digest())
        with contextlib.suppress(FileNotFoundError):  # removed meanwhile (the cache cleared): not kept
            os.replace(temporary, target)

    def put_json(self, key: str, value: object) -> None:
        self.put(key, json.dumps(value).encode(), ".json")


def environment(book_fields: str, created: str, font_files: tuple[Path, ...]) -> str:
    """The part of every key that is not a piece's own input."""
    variables = "\n".join(f"{name}={os.environ.get(name, '')}" for name in ENVIRONMENT)
    return digest(_tree(TEMPLATES), _tree(PROJECT / "press", "*.py"), *(_file(p) for p in font_files),
                  _versions(), book_fields, created, variables)


@cache
def _tree(folder: Path, pattern: str = "*") -> str:
    files = sorted(p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts)
    return digest(*(f"{p.relative_to(folder)}\0{_file(p)}" for p in files))


@cache
def _file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def _versions() -> str:
    import ctypes
    import ctypes.util
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=-")
    for library, function in SYSTEM_LIBRARIES:
        located = ctypes.util.find_library(library)
        call = getattr(ctypes.CDLL(located), function) if located else None
        if call is not None:
            call.restype = ctypes.c_char_p
        found.append(f"{library}={call().decode() if call else '-'}")
    return "\n".join(found)
