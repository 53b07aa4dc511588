"""Markdown chapters, read with the `markdown` package.

Paragraphs are split here, so every block keeps its line; the `markdown`
package parses only inline markup (emphasis, strong, code, escapes) plus
our footnote calls `[^id]` and section marks `{פ}` (an open section) and
`{ס}` (a closed one), written so by `build.py import` for the Masorah
edition's marks (a brace escaped with a backslash is text). Raw HTML, links and images are never parsed:
they stay literal text, which the templates escape, and a warning says so.

Nothing is lost: code spans keep the characters written (the package would
escape them for HTML), and every paragraph is checked after parsing: its
characters other than markup (`*`, `_`, backticks, backslashes, spaces)
must all be in the model, in order. Where the package's emphasis rules
drop or move text, the paragraph is read again without emphasis, and a
warning says so. Emphasis nests at most MAX_NESTING levels deep.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

import markdown
from markdown.inlinepatterns import BACKTICK_RE, BacktickInlineProcessor, InlineProcessor
from markdown.util import AtomicString

from press.bidi import isolate
from press.diagnostics import Reporter, error, processing
from press.hebrew import dominant_lang
from press.model import SECTION_LETTERS, Chapter, Emphasis, Inline, NoteRef, Paragraph, SectionBreak, SourceSpan, Text
from press.readers import common
from press.readers.notes import NoteText, collect

_NOTE_CALL = r"\[\^([^\]\s]+)\]"
_KINDS = {letter: kind for kind, letter in SECTION_LETTERS.items()}
_SECTION_MARK = "\\{([" + "".join(_KINDS) + "])\\}"
_SPACES = " \t\n\u00a0"
_NOTE_DEFINITION = re.compile(r"^\[\^([^\]\s]+)\]:\s*(.*)$", re.DOTALL)
_ROLE_LINE = re.compile(r"^\{:?\s*\.([\w-]+)\s*\}$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")  # `## C#` keeps its `#`
_RAW_HTML = re.compile(r"<\s*[A-Za-z!/?]")
_IMAGE = re.compile(r"!\[[^\]]*\]\(")
# Inline patterns that would let a source reach the output as markup.
_UNSAFE_PATTERNS = ("reference", "link", "image_link", "image_reference", "short_reference",
                    "short_image_ref", "autolink", "automail", "linebreak", "html", "entity")
_EMPHASIS_PATTERNS = ("em_strong", "em_strong2")
MAX_NESTING = 20  # levels of emphasis inside emphasis; the model and templates recurse once per level
_MARKUP = re.compile(r"[\s*_`\\]")  # what inline parsing may rightly remove from a paragraph
_CODE_ESCAPES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))  # markdown.util.code_escape, undone


class _NoteCallProcessor(InlineProcessor):
    def handleMatch(self, m, data):  # noqa: N802 - the markdown package's name
        element = ElementTree.Element("noteref")
        element.set("id", m.group(1))
        return element, m.start(0), m.end(0)


class _SectionProcessor(InlineProcessor):
    def handleMatch(self, m, data):  # noqa: N802 - the markdown package's name
        element = ElementTree.Element("section")
        element.set("kind", _KINDS[m.group(1)])
        return element, m.start(0), m.end(0)


class _CodeSpanProcessor(BacktickInlineProcessor):
    """A code span holding the characters written: the package escapes `&`, `<` and `>` for HTML,
    and the templates escape again, which printed `a &amp; b`."""

    def handleMatch(self, m, data):  # noqa: N802 - the markdown package's name
        element, start, end = super().handleMatch(m, data)
        if isinstance(element, ElementTree.Element) and element.text:
            text = str(element.text)
            for escaped, char in _CODE_ESCAPES:
                text = text.replace(escaped, char)
            element.text = AtomicString(text)
        return element, start, end


@lru_cache(maxsize=2)
def _inline_markdown(emphasis: bool = True) -> markdown.Markdown:
    md = markdown.Markdown()
    for name in _UNSAFE_PATTERNS + (() if emphasis else _EMPHASIS_PATTERNS):
        if name in md.inlinePatterns:
            md.inlinePatterns.deregister(name)
    md.inlinePatterns.register(_CodeSpanProcessor(BACKTICK_RE), "backtick", 190)
    md.inlinePatterns.register(_NoteCallProcessor(_NOTE_CALL, md), "note_call", 175)
    md.inlinePatterns.register(_SectionProcessor(_SECTION_MARK, md), "section_mark", 174)
    return md


class MarkupLossError(Exception):
    """The inline parser dropped or moved characters of the paragraph."""


def _parse(text: str, emphasis: bool = True) -> tuple[Inline, ...]:
    """Emphasis, strong, code and note calls of one paragraph, as runs.

    Raises MarkupLossError when the runs do not hold every character of `text`
    but markup, TooDeepError when emphasis nests deeper than MAX_NESTING.
    """
    md = _inline_markdown(emphasis)
    root = ElementTree.Element("div")
    ElementTree.SubElement(root, "p").text = text
    try:
        md.treeprocessors["inline"].run(root)
        md.treeprocessors["unescape"].run(root)
    except RecursionError:
        raise TooDeepError(None) from None
    depth = nesting_depth(root[0])
    if depth > MAX_NESTING:
        raise TooDeepError(depth)
    runs = _runs(root[0])
    if _MARKUP.sub("", text) != _MARKUP.sub("", _as_written(runs)):
        raise MarkupLossError(text)
    return runs


class TooDeepError(Exception):
    """Emphasis nested deeper than MAX_NESTING."""

    def __init__(self, depth: int | None) -> None:
        super().__init__(depth)
        self.depth = depth  # None: too deep to count


def nesting_depth(element: ElementTree.Element) -> int:
    """How many elements deep the tree under `element` goes (counted without recursion)."""
    deepest, stack = 0, [(element, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node)
    return deepest


def _as_written(runs: tuple[Inline, ...]) -> str:
    """The runs' characters with each note call as its `[^id]`, for the no-loss check."""
    return "".join(f"[^{r.id}]" if isinstance(r, NoteRef) else r.text if isinstance(r, Text)
                   else r.braced if isinstance(r, SectionBreak)
                   else _as_written(r.children) for r in runs)  # type: ignore[union-attr]


def parse_inline(text: str, path: Path | None = None, line: int | None = None,
                 reporter: Reporter | None = None) -> tuple[Inline, ...]:
    """Emphasis, strong, code and note calls of one paragraph, as runs, every character kept.

    Where the emphasis rules would lose text, the paragraph is read again with fewer rules
    (a warning when a `reporter` is given); nesting past MAX_NESTING is an error [nesting].
    """
    warn = reporter.warn if reporter is not None else lambda *args: None
    try:
        return _parse(text)
    except TooDeepError as deep:
        levels = f"{deep.depth} levels" if deep.depth else f"more than {MAX_NESTING} levels"
        raise error("nesting", f"emphasis is nested {levels} deep; at most {MAX_NESTING} are supported",
                    path, line) from None
    except MarkupLossError:
        pass
    try:
        runs = _parse(text, emphasis=False)
        warn("markup", "this paragraph's emphasis cannot be read without losing or moving text: "
             "its `*` and `_` are printed as written", path, line)
        return runs
    except MarkupLossError:
        warn("markup", "this paragraph's Markdown cannot be read without losing text: "
             "it is printed as written", path, line)
        return _note_calls_only(text)


def _note_calls_only(text: str) -> tuple[Inline, ...]:
    runs: list[Inline] = []
    position = 0
    for call in re.finditer(_NOTE_CALL, text):
        runs += [Text(text[position:call.start()]), NoteRef(call.group(1))]
        position = call.end()
    runs.append(Text(text[position:]))
    return tuple(r for r in runs if not (isinstance(r, Text) and not r.text))


def _runs(element: ElementTree.Element) -> tuple[Inline, ...]:
    runs: list[Inline] = []
    if element.text:
        runs.append(Text(element.text))
    for child in element:
        if child.tag == "section" and runs and isinstance(runs[-1], Text):
            # No white space before a section break, as the Sefaria reader gives it: the mark has its own gap.
            runs[-1] = Text(runs[-1].text.rstrip(_SPACES))
            if not runs[-1].text:
                runs.pop()
        runs.extend(_element_runs(child))
        if child.tail:
            runs.append(Text(child.tail))
    return tuple(runs)


def _element_runs(child: ElementTree.Element) -> tuple[Inline, ...]:
    if child.tag == "noteref":
        return (NoteRef(child.get("id", "")),)
    if child.tag == "section":
        return (SectionBreak(child.get("kind", "open")),)  # type: ignore[arg-type]
    if child.tag in ("em", "strong"):
        return (Emphasis(_runs(child), strong=child.tag == "strong"),)
    return _runs(child)  # code and anything else: its text only


def read(path: Path, position: int, reporter: Reporter) -> Chapter:
    fields, lines, first = common.front_matter(common.read_text(path), path)
    parsed: list[common.Parsed] = []
    texts: dict[str, NoteText] = {}
    for raw in common.paragraphs(lines, first):
        with processing(path, raw.line):
            _read_paragraph(raw, path, reporter, fields, parsed, texts)
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


def _read_paragraph(raw: common.RawParagraph, path: Path, reporter: Reporter, fields: dict[str, str],
                    parsed: list[common.Parsed], texts: dict[str, NoteText]) -> None:
    """One paragraph: a note's text, the title, or a paragraph of the chapter."""
    _warn_literal_markup(raw, path, reporter)
    definition = _NOTE_DEFINITION.match(raw.text)
    if definition:
        note_id = definition.group(1)
        if note_id in texts:
            reporter.warn("note-duplicate", f"note {note_id} already has its text (line {texts[note_id].line}); "
                          "this text is not used", path, raw.line)
            return
        texts[note_id] = _note_text(definition.group(2), raw.line, path, reporter)
        return
    heading = _HEADING.match(raw.text) if "\n" not in raw.text else None
    if heading and len(heading.group(1)) == 1 and "title" not in fields and not parsed:
        fields["title"] = heading.group(2)
        return
    parsed.append(_parsed(raw, heading, path, reporter))


def _parsed(raw: common.RawParagraph, heading: re.Match[str] | None, path: Path,
            reporter: Reporter) -> common.Parsed:
    text, role = _role(raw, path)
    if heading:
        text, role = heading.group(2), "heading"
    runs = parse_inline(" ".join(line.strip() for line in text.split("\n")), path, raw.line, reporter)
    lang = dominant_lang(text)
    paragraph = Paragraph(lang, isolate(runs, lang), SourceSpan(path, raw.line))  # type: ignore[arg-type]
    return common.Parsed(paragraph, role, raw.new_paragraph)


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


def _note_text(body: str, line: int, path: Path, reporter: Reporter) -> NoteText:
    text = " ".join(part.strip() for part in body.split("\n"))
    lang = dominant_lang(text)
    runs = _calls_as_text(parse_inline(text, path, line, reporter), path, line, reporter)
    return NoteText(isolate(runs, lang), lang, line)  # type: ignore[arg-type]


def _calls_as_text(runs: tuple[Inline, ...], path: Path, line: int, reporter: Reporter) -> tuple[Inline, ...]:
    """A note cannot have a note: a call inside a note's text is printed as written, with a warning."""
    kept: list[Inline] = []
    for run in runs:
        if isinstance(run, NoteRef):
            reporter.warn("note-in-note", f"a note's text cannot call a note: `[^{run.id}]` is printed as written",
                          path, line)
            kept.append(Text(f"[^{run.id}]"))
        elif isinstance(run, Emphasis):
            kept.append(Emphasis(_calls_as_text(run.children, path, line, reporter), run.strong))
        else:
            kept.append(run)
    return tuple(kept)


def _warn_literal_markup(raw: common.RawParagraph, path: Path, reporter: Reporter) -> None:
    for offset, line in enumerate(raw.text.split("\n")):
        if _RAW_HTML.search(line):
            reporter.warn("raw-html", "raw HTML is printed as text, never passed through", path, raw.line + offset)
        elif _IMAGE.search(line):
            reporter.warn("image", "images are not supported; the Markdown is printed as text",
                          path, raw.line + offset)
