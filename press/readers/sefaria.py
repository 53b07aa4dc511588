"""Sefaria-Export texts (`json/` format): one version of one text in one language per file.

Every `.json` file of the source folder is a version: `language`, `title`,
`heTitle`, `versionTitle`, `versionSource`, `license`, and `text` as nested
lists (chapters of verses, or deeper). A Hebrew and an English version of
the same `title` make one bilingual text, verse by verse: each verse one
pair, in the source's order; a verse present in one language only is a block
of that language. A file may hold a list of versions; `[sefaria] version`
picks one by its versionTitle. `[sefaria] chapters` picks chapters ("1-2").
Messages name the file and the JSON path (`en.json: text[0][5]`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from press import bidi
from press.config import Settings
from press.diagnostics import Reporter, error
from press.hebrew import hebrew_numeral
from press.model import Block, Chapter, Credit, Inline, Lang, Note, Paragraph, SourceSpan
from press.readers import sefaria_markup
from press.textfile import read_text

SUFFIX = ".json"
REQUIRED = ("language", "title", "text")


@dataclass(frozen=True, slots=True)
class Version:
    path: Path
    pointer: str  # "" for a file of one version, "[2]" for the third of a list
    lang: Lang
    title: str
    title_he: str
    credit: Credit
    text: list[Any]


def text_files(source: Path) -> list[Path]:
    return sorted(p for p in source.iterdir() if p.suffix == SUFFIX and p.is_file())


def read(paths: list[Path], settings: Settings, reporter: Reporter) -> tuple[tuple[Chapter, ...], tuple[Credit, ...]]:
    """The chapters of the Sefaria text in `paths`, and the versions to credit."""
    versions = [_chosen(path, settings.sefaria.version) for path in paths]
    by_lang = _one_per_language(versions)
    first = next(iter(by_lang.values()))
    for version in by_lang.values():
        if version.title != first.title:
            raise error("sefaria-title", f'its title "{version.title}" is not "{first.title}" of {first.path.name}: '
                        "a Hebrew and an English version of the same text make a book", version.path,
                        pointer=version.pointer + "title")
    count = max(len(v.text) for v in by_lang.values())
    wanted = _chapters(settings.sefaria.chapters, count, settings.path)
    chapters = tuple(_chapter(number, by_lang, reporter) for number in wanted)
    return chapters, tuple(v.credit for v in by_lang.values())


def load(path: Path) -> list[Version]:
    """Every version in a Sefaria-Export file (one, or a list of them)."""
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise error("sefaria-format", f"not valid JSON: {exc.msg}", path, exc.lineno) from None
    items = data if isinstance(data, list) else [data]
    return [_version(path, f"[{i}]" if isinstance(data, list) else "", item) for i, item in enumerate(items)]


def _version(path: Path, pointer: str, data: Any) -> Version:
    if not isinstance(data, dict) or any(key not in data for key in REQUIRED):
        missing = ", ".join(f"`{k}`" for k in REQUIRED if not isinstance(data, dict) or k not in data)
        raise error("sefaria-format", f"not a Sefaria-Export text: no {missing}", path, pointer=pointer or None)
    for key in ("language", "title", "heTitle", "versionTitle", "versionSource", "license"):
        if key in data and not isinstance(data[key], str):
            raise error("sefaria-format", f"`{key}` must be a string", path, pointer=pointer + key)
    if data["language"] not in ("en", "he"):
        raise error("sefaria-format", f'`language` must be "en" or "he", not "{data["language"]}"', path,
                    pointer=pointer + "language")
    if not isinstance(data["text"], list):
        raise error("sefaria-format", "`text` must be a list of chapters", path, pointer=pointer + "text")
    credit = Credit(data["title"], data["language"], data.get("versionTitle", ""),
                    data.get("versionSource", ""), data.get("license", ""))
    return Version(path, pointer, data["language"], data["title"], data.get("heTitle", ""), credit, data["text"])


def _chosen(path: Path, wanted: str) -> Version:
    versions = load(path)
    if len(versions) == 1 and not wanted:
        return versions[0]
    matching = [v for v in versions if v.credit.version == wanted] if wanted else []
    if len(matching) != 1:
        titles = "; ".join(f'"{v.credit.version}"' for v in versions)
        raise error("sefaria-version", f"holds {len(versions)} versions: choose one with `[sefaria] version` "
                    f"({titles})" if not wanted else f'no version "{wanted}" here ({titles})', path)
    return matching[0]


def _one_per_language(versions: list[Version]) -> dict[str, Version]:
    by_lang: dict[str, Version] = {}
    for version in versions:
        if version.lang in by_lang:
            other = by_lang[version.lang].path.name
            raise error("sefaria-version", f'a second "{version.lang}" version besides {other}: a book reads one '
                        "Hebrew and one English version", version.path, pointer="language")
        by_lang[version.lang] = version
    return dict(sorted(by_lang.items()))  # "en" first, then "he"


_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")


def _chapters(text: str, count: int, path: Path | None) -> list[int]:
    """The chapter numbers `[sefaria] chapters` asks for ("1-2", "3", "1,3-4"), all by default."""
    if not text:
        return list(range(1, count + 1))
    numbers: list[int] = []
    for part in text.split(","):
        found = _RANGE.match(part)
        first, last = (int(found.group(1)), int(found.group(2) or found.group(1))) if found else (0, 0)
        if not found or not 1 <= first <= last <= count:
            from press.config import key_line

            line = key_line(read_text(path), "sefaria", "chapters") if path else None
            raise error("config-value", f'`[sefaria] chapters` must be chapters of 1-{count} such as "1-2", '
                        f'not "{text}"', path, line)
        numbers += [n for n in range(first, last + 1) if n not in numbers]
    return numbers


def _chapter(number: int, by_lang: dict[str, Version], reporter: Reporter) -> Chapter:
    first = next(iter(by_lang.values()))
    texts = {lang: v.text[number - 1] if number <= len(v.text) else [] for lang, v in by_lang.items()}
    blocks: list[Block] = []
    notes: list[Note] = []
    segments = {lang: dict(_segments(texts[lang], by_lang[lang], f"text[{number - 1}]")) for lang in by_lang}
    for verse in sorted({key for found in segments.values() for key in found}):
        paragraphs: dict[str, Paragraph] = {}
        for lang, found in segments.items():
            if verse in found and found[verse].strip():
                paragraphs[lang], new_notes = _paragraph(found[verse], by_lang[lang], verse, number, len(notes),
                                                         reporter)
                notes += new_notes
        if paragraphs:
            span = next(iter(paragraphs.values())).span
            # A verse keeps its number (a verse missing in both versions leaves a gap); deeper texts count.
            block_number = verse[0] + 1 if len(verse) == 1 else len(blocks) + 1
            blocks.append(Block("pair", block_number, paragraphs.get("en"), paragraphs.get("he"), span))
    title = f"{first.title} {number}"
    title_he = f"{first.title_he} {hebrew_numeral(number)}" if first.title_he else ""
    return Chapter(number, title, title_he, tuple(blocks), tuple(notes), SourceSpan(first.path, 1), numbered=True)


def _segments(text: Any, version: Version, pointer: str) -> Iterator[tuple[tuple[int, ...], str]]:
    """(position, string) of every verse of a chapter, depth first: (5,) for a verse, (5, 2) deeper."""
    if not isinstance(text, list):
        raise error("sefaria-format", "a chapter must be a list of verses", version.path,
                    pointer=version.pointer + pointer)
    for index, item in enumerate(text):
        where = f"{pointer}[{index}]"
        if isinstance(item, str):
            yield (index,), item
        elif isinstance(item, list):
            yield from (((index, *rest), s) for rest, s in _segments(item, version, where))
        else:
            raise error("sefaria-format", f"a verse must be a string, not {_json_kind(item)}", version.path,
                        pointer=version.pointer + where)


def _json_kind(value: Any) -> str:
    return {dict: "an object", bool: "true or false", int: "a number", float: "a number"}.get(type(value), "null")


def _paragraph(text: str, version: Version, verse: tuple[int, ...], chapter: int, notes_before: int,
               reporter: Reporter) -> tuple[Paragraph, list[Note]]:
    pointer = version.pointer + f"text[{chapter - 1}]" + "".join(f"[{i}]" for i in verse)
    marked = sefaria_markup.parse(text, notes_before + 1)
    for name in marked.unknown:
        reporter.warn("sefaria-markup", f"<{name}> is not an element this reader knows: printed as its text",
                      version.path, pointer=pointer)
    span = SourceSpan(version.path, 1)
    lang = version.lang
    notes = [Note(note_id, lang, _isolated(runs, lang), span) for note_id, runs in marked.notes.items()]
    return Paragraph(lang, _isolated(marked.runs, lang), span), notes


def _isolated(runs: tuple[Inline, ...], lang: Lang) -> tuple[Inline, ...]:
    return bidi.isolate(runs, lang)
