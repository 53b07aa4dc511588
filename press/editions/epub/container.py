"""Re-packing ebooklib's zip into a valid, reproducible EPUB.

`mimetype` comes first and is stored uncompressed (the EPUB container
requires it); every other entry follows in a fixed order, compressed at a
fixed level, with a fixed date and fixed permissions (zipwriter.py writes
them, each compressed once and then kept in the build cache). Each XHTML
file gets `xml:lang` beside every `lang` (ebooklib writes only the root's)
and loses any repeated id (a note called twice would otherwise repeat its
call's id): `tidy_xhtml`, applied by the writer to the files it makes.
"""

from __future__ import annotations

import os
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from press.diagnostics import error
from press.editions.epub.zipwriter import Entry, write_zip

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FIRST = ("mimetype", "META-INF/container.xml")
ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=UTC)  # the earliest date a zip can hold
PERMISSIONS = 0o100644 << 16  # a regular file, rw-r--r--


def build_time() -> datetime:
    """SOURCE_DATE_EPOCH's instant when it is set, else now."""
    epoch = _source_date_epoch()
    return epoch if epoch is not None else datetime.now(UTC).replace(microsecond=0)


def _source_date_epoch() -> datetime | None:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise error("environment", f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {value!r}") from None


def repack(raw: BinaryIO, target: Path, files: dict[str, bytes]) -> None:
    """Write `raw`'s entries to `target`, each of `files` (as it is to be written) taking the place of
    ebooklib's (an empty item's: package.build_package)."""
    epoch = _source_date_epoch()
    stamp = max(epoch, ZIP_EPOCH) if epoch is not None else ZIP_EPOCH
    with zipfile.ZipFile(raw) as source:
        names = source.namelist()
        missing = set(files) - set(names)
        if missing:
            raise ValueError(f"nothing to replace at {sorted(missing)}")
        entries = []
        for name in _ordered(names):
            data = files[name] if name in files else source.read(name)
            if name not in files and name.endswith(".xhtml"):
                data = tidy_xhtml(data)
            entries.append(Entry(name, data, compressed=name != "mimetype"))
    write_zip(target, entries, stamp.timetuple()[:6], PERMISSIONS)


def _ordered(names: list[str]) -> list[str]:
    """mimetype, the container, the package document, then the rest by name."""
    package = [n for n in names if n.endswith(".opf")]
    rest = sorted(n for n in names if n not in FIRST and n not in package)
    return [n for n in FIRST if n in names] + sorted(package) + rest


def tidy_xhtml(data: bytes) -> bytes:
    """Add xml:lang beside every lang, and drop ids already used in the file."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    tree = etree.fromstring(data, parser).getroottree()
    seen: set[str] = set()
    for element in tree.iter(etree.Element):
        if element.get("lang"):
            element.set(XML_LANG, element.get("lang"))
        if element.get("id") in seen:
            del element.attrib["id"]
        elif element.get("id"):
            seen.add(element.get("id"))
    return etree.tostring(tree, xml_declaration=True, encoding="utf-8")


def tag_package(raw: BinaryIO, lang: str, direction: str) -> dict[str, bytes]:
    """The package document with the book's language and direction on <package>.

    ebooklib leaves them off; accessibility checkers (DAISY Ace) and
    reading systems read the publication's default language there.
    """
    from lxml import etree

    with zipfile.ZipFile(raw) as source:
        name = next(n for n in source.namelist() if n.endswith(".opf"))
        root = etree.fromstring(source.read(name), etree.XMLParser(resolve_entities=False, no_network=True))
    root.set(XML_LANG, lang)
    root.set("dir", direction)
    return {name: etree.tostring(root, xml_declaration=True, encoding="utf-8")}
