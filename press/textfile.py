"""Reading a source file (chapter, book.toml, sheet) as text, or a clear error.

Character policy, the same for every source file and every string value:
control characters that XML 1.0 (and so HTML, EPUB and the PDF's text)
cannot hold are an error naming the file and line; the Unicode line and
paragraph separators (U+0085, U+2028, U+2029) are read as spaces, since
the layout engine cannot break a line at them and a source separates
paragraphs with blank lines.

Size policy: a source file holds at most `MAX_SOURCE_BYTES`. Reading costs
grow linearly (a 20 MB chapter reads in about 6 s and 400 MB), so the limit
only stops a file that would take minutes and gigabytes before anything is
printed: a wrong file, not a book. It is judged from the file's size,
before any of it is read.
"""

from __future__ import annotations

import re
from pathlib import Path

from press.diagnostics import error

# XML 1.0 Char excludes these (\t and \n are allowed; \r is gone after reading).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SEPARATORS = str.maketrans({"\u0085": " ", "\u2028": " ", "\u2029": " "})
MAX_SOURCE_BYTES = 64 * 2**20  # 64 MiB; README "Limits"


def read_text(path: Path) -> str:
    """The file's text with `\\n` line ends; errors name the file and, for bad bytes, the line."""
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            raise error("input-size", f"the file holds {size / 2**20:,.1f} MiB; a source file may hold at most "
                        f"{MAX_SOURCE_BYTES // 2**20} MiB: split it into chapters", path)
        data = path.read_bytes()
    except OSError as exc:
        raise error("unreadable", f"cannot read: {exc.strerror}", path) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error("encoding", f"not UTF-8: byte 0x{data[exc.start]:02X} cannot be decoded", path, line) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return checked_text(text, path)


def checked_text(text: str, path: Path | None, line: int | None = None, what: str = "") -> str:
    """`text` with separators read as spaces; an error for a control character.

    `line` None: `text` is a whole file and the line is counted in it;
    otherwise `text` is one value (`what`, e.g. "`title`") set on `line`.
    """
    found = _CONTROL.search(text)
    if found:
        at = text.count("\n", 0, found.start()) + 1 if line is None else line
        holder = f"{what} holds " if what else ""
        raise error("control-character", f"{holder}U+{ord(found.group()):04X}, a control character that cannot "
                    "be printed; remove it", path, at)
    return text.translate(_SEPARATORS)
