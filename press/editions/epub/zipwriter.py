"""The EPUB's zip, each entry compressed once and then kept in the build cache.

Compressing the book's 5 MB of XHTML, fonts and cover at level 9 took
about 0.16 s of every build, though after an edit nearly every entry is
what it was. `zipfile` compresses whatever it is given and cannot take
bytes already compressed, so the zip is written here, with the layout
zipfile gives the same entries (tests/test_epub_cache.py compares the two
byte for byte): a local header, the data, and at the end the central
directory, no data descriptors, no extra fields, no zip64. An entry's
compressed bytes are those of zlib's raw deflate at LEVEL (zipfile's
ZIP_DEFLATED), kept under a key of the uncompressed bytes, the level and
zlib's version.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from press.engine.buildcache import BuildCache, digest

LEVEL = 9
SUFFIX = ".deflate"
VERSION = 20  # "version needed to extract" and "made by": 2.0, deflate (zipfile's DEFAULT_VERSION)
UNIX = 3  # "made by" a unix system: the permissions in the external attributes are read
STORED, DEFLATED = 0, 8
UTF8_NAME = 0x800  # general purpose flag: the name is UTF-8
LIMIT = (1 << 31) - 1  # past this a zip needs zip64 (zipfile's ZIP64_LIMIT)
LOCAL = struct.Struct("<4s2B4HL2L2H")
CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
END = struct.Struct("<4s4H2LH")


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    data: bytes
    compressed: bool = True


def write_zip(target: Path, entries: Iterable[Entry], date_time: tuple[int, ...], attributes: int) -> None:
    """`entries` in order into a new zip at `target`, each dated `date_time` (year, month, day, hour,
    minute, second) with external attributes `attributes`."""
    cache = BuildCache.default()
    year, month, day, hour, minute, second = date_time
    date, time = (year - 1980) << 9 | month << 5 | day, hour << 11 | minute << 5 | second // 2
    central, offset = [], 0
    with target.open("wb") as out:
        for entry in entries:
            name, flags = _name(entry.name)
            data = deflated(entry.data, cache) if entry.compressed else entry.data
            method = DEFLATED if entry.compressed else STORED
            crc = zlib.crc32(entry.data)
            if max(len(entry.data), len(data), offset) > LIMIT:
                raise ValueError(f"{entry.name}: too large for a zip without zip64")
            sizes = (crc, len(data), len(entry.data), len(name))
            out.write(LOCAL.pack(b"PK\x03\x04", VERSION, 0, flags, method, time, date, *sizes, 0) + name)
            out.write(data)
            central.append(CENTRAL.pack(b"PK\x01\x02", VERSION, UNIX, VERSION, 0, flags, method, time, date,
                                        *sizes, 0, 0, 0, 0, attributes, offset) + name)
            offset += LOCAL.size + len(name) + len(data)
        directory = b"".join(central)
        out.write(directory)
        out.write(END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0))


def deflated(data: bytes, cache: BuildCache) -> bytes:
    """`data` compressed as zipfile's ZIP_DEFLATED at LEVEL: from the cache, else compressed and kept."""
    key = digest("zip-deflate", zlib.ZLIB_RUNTIME_VERSION, str(LEVEL), data)
    found = cache.get(key, SUFFIX)
    if found is None:
        compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
        found = compressor.compress(data) + compressor.flush()
        cache.put(key, found, SUFFIX)
    return found


def _name(name: str) -> tuple[bytes, int]:
    """The entry's name as stored, and the flag saying it is UTF-8 when it is not ASCII (as zipfile)."""
    return (name.encode("ascii"), 0) if name.isascii() else (name.encode("utf-8"), UTF8_NAME)
