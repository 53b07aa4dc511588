"""Markdown chapters, read with the `markdown` package.

Paragraphs are split here, so every block keeps its line; the `markdown`
package parses only inline markup (emphasis, strong, code, escapes) plus
our footnote calls `[^id]`. Raw HTML, links and images are never parsed:
they stay literal text, which the templates escape, and a warning says so.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

import markdown
from markdown.inlinepatterns import InlineProcessor

from press.bidi import isolate
from press.diagnostics import Reporter, error
from press.hebrew import dominant_lang
from press.model import Chapter, Emphasis, Inline, NoteRef, Paragraph, SourceSpan, Text
from press.readers import common
from press.readers.notes import NoteText, collect

_NOTE_CALL = r"\[\^([^\]\s]+)\]"
_NOTE_DEFINITION = re.compile(r"^\[\^([^\]\s]+)\]:\s*(.*)$", re.DOTALL)
_ROLE_LINE = re.compile(r"^\{:?\s*\.([\w-]+)\s*\}$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_RAW_HTML = re.compile(r"<\s*[A-Za-z!/?]")
_IMAGE = re.compile(r"!\[[^\]]*\]\(")
# Inline patterns that would let a source reach the output as markup.
_UNSAFE_PATTERNS = ("reference", "link", "image_link", "image_reference", "short_reference",
                    "short_image_ref", "autolink", "automail", "linebreak", "html", "entity")


class _NoteCallProcessor(InlineProcessor):
    def handleMatch(self, m, data):  # noqa: N802 - the markdown package's name
        element = ElementTree.Element("noteref")
        element.set("id", m.group(1))
        return element, m.start(0), m.end(0)


@lru_cache(maxsize=1)
def _inline_markdown() -> markdown.Markdown:
    md = markdown.Markdown()
    for name in _UNSAFE_PATTERNS:
        if name in md.inlinePatterns:
            md.inlinePatterns.deregister(name)
    md.inlinePatterns.register(_NoteCallProcessor(_NOTE_CALL, md), "note_call", 175)
    return md


def parse_inline(text: str) -> tuple[Inline, ...]:
    """Emphasis, strong, code and note calls of one paragraph, as runs."""
    md = _inline_markdown()
    root = ElementTree.Element("div")
    ElementTree.SubElement(root, "p").text = text
    md.treeprocessors["inline"].run(root)
    md.treeprocessors["unescape"].run(root)
    return _runs(root[0])


def _runs(element: ElementTree.Element) -> tuple[Inline, ...]:
    runs: list[Inline] = []
    if element.text:
        runs.append(Text(element.text))
    for child in element:
        runs.extend(_element_runs(child))
        if child.tail:
            runs.append(Text(child.tail))
    return tuple(runs)


def _element_runs(child: ElementTree.Element) -> tuple[Inline, ...]:
    if child.tag == "noteref":
        return (NoteRef(child.get("id", "")),)
    if child.tag in ("em", "strong"):
        return (Emphasis(_runs(child), strong=child.tag == "strong"),)
    return _runs(child)  # code and anything else: its text only


def read(path: Path, position: int, reporter: Reporter) -> Chapter:
    fields, lines, first = common.front_matter(common.read_text(path), path)
    parsed: list[common.Parsed] = []
    texts: dict[str, NoteText] = {}
    for raw in common.paragraphs(lines, first):
        _warn_literal_markup(raw, path, reporter)
        definition = _NOTE_DEFINITION.match(raw.text)
        if definition:
            texts[definition.group(1)] = _note_text(definition.group(2), raw.line)
            continue
        heading = _HEADING.match(raw.text) if "\n" not in raw.text else None
        if heading and len(heading.group(1)) == 1 and "title" not in fields and not parsed:
            fields["title"] = heading.group(2)
            continue
        parsed.append(_parsed(raw, heading, path))
    blocks = common.assemble(parsed)
    number = common.chapter_number(fields, path, position)
    return Chapter(
        number=number,
        title=fields.get("title") or f"Chapter {number}",
        title_he=fields.get("title_he", ""),
        blocks=blocks,
        notes=collect(blocks, texts, path, reporter),
        span=SourceSpan(path, 1),
        numbered=fields.get("numbered") == "true",  # written by `build.py import` for a text's verses
    )


def _parsed(raw: common.RawParagraph, heading: re.Match[str] | None, path: Path) -> common.Parsed:
    text, role = _role(raw, path)
    if heading:
        text, role = heading.group(2), "heading"
    runs = parse_inline(" ".join(line.strip() for line in text.split("\n")))
    lang = dominant_lang(text)
    paragraph = Paragraph(lang, isolate(runs, lang), SourceSpan(path, raw.line))  # type: ignore[arg-type]
    return common.Parsed(paragraph, role)


def _role(raw: common.RawParagraph, path: Path) -> tuple[str, str | None]:
    """Strip a trailing `{.commentary}` line and return the role it sets."""
    lines = raw.text.split("\n")
    found = _ROLE_LINE.match(lines[-1].strip())
    if not found:
        return raw.text, None
    role = found.group(1)
    if role not in common.ROLES or role == "heading":
        allowed = ", ".join(f"{{.{r}}}" for r in common.ROLES if r != "heading")
        raise error("role", f"unknown paragraph role `{{.{role}}}` (use {allowed})",
                    path, raw.line + len(lines) - 1)
    if len(lines) == 1:
        raise error("role", "a role line must end a paragraph, not stand alone", path, raw.line)
    return "\n".join(lines[:-1]), role


def _note_text(body: str, line: int) -> NoteText:
    text = " ".join(part.strip() for part in body.split("\n"))
    lang = dominant_lang(text)
    return NoteText(isolate(parse_inline(text), lang), lang, line)  # type: ignore[arg-type]


def _warn_literal_markup(raw: common.RawParagraph, path: Path, reporter: Reporter) -> None:
    for offset, line in enumerate(raw.text.split("\n")):
        if _RAW_HTML.search(line):
            reporter.warn("raw-html", "raw HTML is printed as text, never passed through", path, raw.line + offset)
        elif _IMAGE.search(line):
            reporter.warn("image", "images are not supported; the Markdown is printed as text",
                          path, raw.line + offset)
