"""Where things are in a TOML text: the line of an array's items and their keys.

`tomllib` gives values without positions, so a message about the third
item of `items = [...]` has to find that item's line in the text itself.
This is a small scanner, not a parser: the text has already been parsed
by `tomllib`, so it is valid TOML, and the scanner only has to skip
strings and comments and count brackets. It extends `config.key_line`
(a key in a table) to the elements of a top-level array, written inline
(`items = [ {...}, {...} ]`) or as an array of tables (`[[items]]`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from press.config import key_line


@dataclass(frozen=True, slots=True)
class ItemSpan:
    """The lines one array element occupies, first and last (1-based)."""

    first: int
    last: int


def array_items(text: str, key: str) -> list[ItemSpan]:
    """The line span of each element of the top-level array `key`."""
    line = key_line(text, None, key)
    if line is not None and not text.splitlines()[line - 1].lstrip().startswith("["):  # `key = [...]`
        return _inline_items(text, _offset_of_line(text, line))
    return _table_items(text, key)


def item_key_line(text: str, items: list[ItemSpan], index: int, key: str) -> int | None:
    """The line of `key` inside element `index`, else the element's first line."""
    if not 0 <= index < len(items):
        return None
    span = items[index]
    lines = text.splitlines()
    pattern = re.compile(rf"(^|[{{,])\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number in range(span.first, span.last + 1):
        if pattern.search(_without_strings(lines[number - 1])):
            return number
    return span.first


def _offset_of_line(text: str, line: int) -> int:
    offset = 0
    for _ in range(line - 1):
        offset = text.index("\n", offset) + 1
    return text.index("=", offset) + 1


def _inline_items(text: str, start: int) -> list[ItemSpan]:
    items: list[ItemSpan] = []
    depth, expecting = 0, False
    line = text.count("\n", 0, start) + 1
    index = start
    while index < len(text):
        char = text[index]
        if char == "\n":
            line += 1
        elif char == "#":
            index = text.find("\n", index) - 1 if "\n" in text[index:] else len(text)
        elif not char.isspace():
            if depth == 1 and expecting and char not in "],":
                items.append(ItemSpan(line, line))
                expecting = False
            if char in "\"'":
                end = _string_end(text, index)
                line += text.count("\n", index, end)
                index = end
                continue
            if items and depth >= 1 and not (depth == 1 and char in "],"):  # the element reaches this line
                items[-1] = ItemSpan(items[-1].first, line)
            if char in "[{":
                depth += 1
                expecting = expecting or depth == 1
            elif char in "]}":
                depth -= 1
                if depth == 0:
                    break
            elif char == "," and depth == 1:
                expecting = True
        index += 1
    return items


def _string_end(text: str, start: int) -> int:
    """The index just after the string that opens at `start`."""
    quote = text[start]
    if text.startswith(quote * 3, start):
        end = text.find(quote * 3, start + 3)
        while text.startswith(quote, end + 3):  # `""""` : quotes may end the content
            end += 1
        return end + 3
    index = start + 1
    while text[index] != quote:
        index += 2 if quote == '"' and text[index] == "\\" else 1
    return index + 1


def _without_strings(line: str) -> str:
    return re.sub(r'"(?:\\.|[^"\\])*"|\'[^\']*\'', '""', line)


def _table_items(text: str, key: str) -> list[ItemSpan]:
    lines = text.splitlines()
    header = re.compile(rf"^\s*\[\[\s*[\"']?{re.escape(key)}[\"']?\s*\]\]")
    starts = [number for number, line in enumerate(lines, 1) if header.match(line)]
    items = []
    for position, first in enumerate(starts):
        following = starts[position + 1] if position + 1 < len(starts) else _next_table(lines, first)
        items.append(ItemSpan(first, following - 1))
    return items


def _next_table(lines: list[str], after: int) -> int:
    for number in range(after + 1, len(lines) + 1):
        if re.match(r"^\s*\[", lines[number - 1]):
            return number
    return len(lines) + 1
