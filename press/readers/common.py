"""What the readers share: reading a text file, front matter, paragraphs,
and the rules that turn a sequence of paragraphs into blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from press.diagnostics import error
from press.model import Block, BlockKind, Paragraph, SourceSpan
from press.textfile import read_text  # noqa: F401 - the readers' entry point for files

ROLES = ("intro", "commentary", "pair", "heading")
FRONT_MATTER_KEYS = ("title", "title_he", "number", "numbered")  # numbered: true prints verse numbers
MAX_CHAPTER_DIGITS = 6  # chapter numbers run from 1 to 999999


class FrontMatter(dict[str, str]):
    """The front matter's fields, and the line each was set on (`lines`)."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[str, int] = {}


@dataclass(frozen=True, slots=True)
class RawParagraph:
    """A paragraph's text and first line, before inline parsing."""

    text: str
    line: int
    new_paragraph: bool = False  # two or more blank lines before it: the source's prose paragraph begins


@dataclass(frozen=True, slots=True)
class Parsed:
    """A paragraph after inline parsing, with the role its author gave it."""

    paragraph: Paragraph
    role: str | None = None
    new_paragraph: bool = False


def front_matter(text: str, path: Path) -> tuple[FrontMatter, list[str], int]:
    """Split `---` front matter off; return (fields, body lines, first body line number)."""
    lines = text.split("\n")
    fields = FrontMatter()
    if not lines or lines[0].strip() != "---":
        return fields, lines, 1
    for index, line in enumerate(lines[1:], 2):
        if line.strip() == "---":
            return fields, lines[index:], index + 1
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        key = key.strip()
        if not sep or key not in FRONT_MATTER_KEYS:
            known = ", ".join(FRONT_MATTER_KEYS)
            raise error("front-matter", f"unknown front-matter line `{line.strip()}` (keys: {known})", path, index)
        fields[key] = value.strip()
        fields.lines[key] = index
    raise error("front-matter", "front matter opened with `---` is never closed", path, 1)


def paragraphs(lines: list[str], first_line: int) -> list[RawParagraph]:
    """Blank-line separated paragraphs, each with its first line number. Two or more blank lines
    before one (not before the first) mark a paragraph break of the text's prose."""
    found: list[RawParagraph] = []
    current: list[str] = []
    start = first_line
    blanks, broken = 0, False
    for number, line in enumerate(lines, first_line):
        if line.strip():
            if not current:
                start = number
                broken = blanks >= 2 and bool(found)
            current.append(line)
            blanks = 0
            continue
        blanks += 1
        if current:
            found.append(RawParagraph("\n".join(current), start, broken))
            current = []
    if current:
        found.append(RawParagraph("\n".join(current), start, broken))
    return found


def chapter_number(fields: dict[str, str], path: Path, position: int) -> int:
    """Front matter, else the number in the file name, else the position.

    Checked before use: ASCII digits only (`²` is not a number here), at
    most MAX_CHAPTER_DIGITS of them, and at least 1 (Hebrew numerals have no 0).
    """
    if "number" in fields:
        line = fields.lines.get("number") if isinstance(fields, FrontMatter) else None
        value = fields["number"]
        if not re.fullmatch(r"[0-9]+", value):
            raise error("chapter-number", f"`number` must be a whole number, not `{_short(value)}`", path, line)
        return _checked_number(value, "`number`", path, line)
    digits = re.findall(r"[0-9]+", path.stem)
    if not digits:
        return position
    return _checked_number(digits[-1], "the number in the file name", path, 1,
                           " (rename the file or set `number:` in its front matter)")


def _checked_number(digits: str, what: str, path: Path, line: int | None, hint: str = "") -> int:
    if len(digits) > MAX_CHAPTER_DIGITS:
        raise error("chapter-number", f"{what} has {len(digits)} digits; a chapter number has at most "
                    f"{MAX_CHAPTER_DIGITS}{hint}", path, line)
    if int(digits) < 1:
        raise error("chapter-number", f"chapter numbers start at 1, but {what} is {digits}{hint}", path, line)
    return int(digits)


def _short(value: str) -> str:
    return value if len(value) <= 40 else value[:40] + "…"


def assemble(parsed: list[Parsed]) -> tuple[Block, ...]:
    """Turn paragraphs into blocks by the pairing rules.

    An English paragraph directly followed by a Hebrew one is that Hebrew's
    translation: one pair. English before the first pair is introduction,
    other English is commentary. An explicit role overrides the rule.
    """
    blocks: list[Block] = []
    seen_pair = False
    index = 0
    while index < len(parsed):
        item = parsed[index]
        following = parsed[index + 1] if index + 1 < len(parsed) else None
        if _pairs_with(item, following):
            assert following is not None
            blocks.append(_block("pair", len(blocks) + 1, item.paragraph, following.paragraph,
                                 new_paragraph=item.new_paragraph))
            seen_pair = True
            index += 2
            continue
        kind = item.role or ("commentary" if seen_pair or item.paragraph.lang == "he" else "intro")
        blocks.append(_block(_kind(kind), len(blocks) + 1, item.paragraph, new_paragraph=item.new_paragraph))
        index += 1
    return tuple(blocks)


def _pairs_with(item: Parsed, following: Parsed | None) -> bool:
    if following is None or item.paragraph.lang != "en" or following.paragraph.lang != "he":
        return False
    return item.role in (None, "pair") and following.role in (None, "pair")


def _kind(role: str) -> BlockKind:
    return role if role in ("intro", "commentary", "heading") else "commentary"  # type: ignore[return-value]


def _block(kind: BlockKind, number: int, first: Paragraph, second: Paragraph | None = None,
           new_paragraph: bool = False) -> Block:
    english = first if first.lang == "en" else second
    hebrew = first if first.lang == "he" else second
    return Block(kind, number, english, hebrew, SourceSpan(first.span.path, first.span.line), new_paragraph)
