"""Reading a source file (chapter, book.toml, sheet) as text, or a clear error."""

from __future__ import annotations

from pathlib import Path

from press.diagnostics import error


def read_text(path: Path) -> str:
    """The file's text with `\\n` line ends; errors name the file and, for bad bytes, the line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise error("unreadable", f"cannot read: {exc.strerror}", path) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error("encoding", f"not UTF-8: byte 0x{data[exc.start]:02X} cannot be decoded", path, line) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
