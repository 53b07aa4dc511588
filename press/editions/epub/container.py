"""Re-packing ebooklib's zip into a valid, reproducible EPUB.

`mimetype` comes first and is stored uncompressed (the EPUB container
requires it); every other entry follows in a fixed order, compressed at a
fixed level, with a fixed date and fixed permissions. Each XHTML file gets
`xml:lang` beside every `lang` (ebooklib writes only the root's) and loses
any repeated id (a note called twice would otherwise repeat its call's id).
"""

from __future__ import annotations

import os
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from press.diagnostics import error

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


def repack(raw: BinaryIO, target: Path, replacements: dict[str, bytes]) -> None:
    """Write `raw`'s entries to `target`, `replacements` taking the place of theirs."""
    epoch = _source_date_epoch()
    stamp = max(epoch, ZIP_EPOCH) if epoch is not None else ZIP_EPOCH
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(target, "w") as out:
        missing = set(replacements) - set(source.namelist())
        if missing:
            raise ValueError(f"nothing to replace at {sorted(missing)}")
        for name in _ordered(source.namelist()):
            data = replacements.get(name) or source.read(name)
            if name.endswith(".xhtml"):
                data = tidy_xhtml(data)
            out.writestr(_entry(name, stamp), data, compresslevel=9)


def _ordered(names: list[str]) -> list[str]:
    """mimetype, the container, the package document, then the rest by name."""
    package = [n for n in names if n.endswith(".opf")]
    rest = sorted(n for n in names if n not in FIRST and n not in package)
    return [n for n in FIRST if n in names] + sorted(package) + rest


def _entry(name: str, stamp: datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, stamp.timetuple()[:6])
    info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
    info.create_system = 3  # unix, so the permissions below are read
    info.external_attr = PERMISSIONS
    return info


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
