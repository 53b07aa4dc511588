"""`build.py import --source DIR --out NEW`: a text read from elsewhere (a Sefaria text) written as
this project's Markdown chapters, so a publisher can go on in the project's own format.

Each chapter becomes `NN-slug.md` with its title, Hebrew title, number and `numbered: true` (its
blocks are the source's verses, printed with their numbers) in the front matter, then each verse as an
English paragraph followed by its Hebrew; notes become footnotes (`[^1]` and `[^1]: text`), emphasis
`*…*` and `**…**`, a section break `{פ}` (open) or `{ס}` (closed) after a space, as the
Markdown reader reads it (a brace of the text itself is escaped with a backslash). A `book.toml`
carries the titles and credits the versions in `rights`. Reading the
written folder gives the same chapters, blocks, runs and notes as reading the original.
"""

from __future__ import annotations

import re
from pathlib import Path

from press.diagnostics import Reporter, error
from press.editions.base import atomic_path
from press.model import (
    Block,
    Book,
    Chapter,
    Emphasis,
    Inline,
    Note,
    NoteRef,
    Paragraph,
    SectionBreak,
    Span,
    Text,
)

# What the Markdown reader would take for markup: backslash-escaped (Markdown unescapes these).
_SPECIAL = re.compile(r"([\\`*_\[\]{])")
_LINE_START = re.compile(r"^([#{>+-]|\d+\.)", re.MULTILINE)


class MarkdownWriter:
    name = "import"
    description = "the text as this project's Markdown chapters and book.toml, into --out (not in `all`)"

    def check_target(self, out_dir: Path) -> None:
        """Before anything is written (the cli writes into a staging folder): never over a book's chapters."""
        if out_dir.exists() and any(out_dir.glob("*.md")):
            raise error("import", "the folder already holds Markdown chapters: import into a new folder", out_dir)

    def write(self, book: Book, out_dir: Path, reporter: Reporter) -> list[Path]:
        self.check_target(out_dir)
        written = [self._write(out_dir / f"{c.number:02d}-{_slug(c.title)}.md", chapter_markdown(c))
                   for c in book.chapters]
        return [*written, self._write(out_dir / "book.toml", book_toml(book))]

    @staticmethod
    def _write(target: Path, text: str) -> Path:
        with atomic_path(target) as temporary:
            temporary.write_text(text, encoding="utf-8")
        return target


def chapter_markdown(chapter: Chapter) -> str:
    lines = ["---", f"title: {chapter.title}", f"title_he: {chapter.title_he}", f"number: {chapter.number}"]
    if chapter.numbered:
        lines.append("numbered: true")
    lines += ["---", ""]
    for block in chapter.blocks:
        lines += [_paragraph(p) + "\n" for p in _in_order(block)]
    lines += [f"[^{note.id}]: {_note(note)}\n" for note in chapter.notes]
    return "\n".join(lines).rstrip("\n") + "\n"


def _in_order(block: Block) -> list[Paragraph]:
    return [p for p in (block.en, block.he) if p is not None]


def _paragraph(paragraph: Paragraph) -> str:
    return _LINE_START.sub(r"\\\1", _runs(paragraph.runs))


def _note(note: Note) -> str:
    return _runs(note.runs or ())


def _runs(runs: tuple[Inline, ...]) -> str:
    return "".join(_run(run) for run in runs)


def _run(run: Inline) -> str:
    if isinstance(run, Text):
        return _SPECIAL.sub(r"\\\1", run.text)
    if isinstance(run, NoteRef):
        return f"[^{run.id}]"
    if isinstance(run, Emphasis):
        mark = "**" if run.strong else "*"
        return f"{mark}{_runs(run.children)}{mark}"
    if isinstance(run, Span):
        return _runs(run.children)  # the reader isolates the phrase again
    if isinstance(run, SectionBreak):
        return " " + run.braced
    return ""


def book_toml(book: Book) -> str:
    rights = "; ".join(f"{c.line}: {c.source}" if c.source else c.line for c in book.credits)
    values = {"title": book.title, "title_he": book.title_he, "rights": rights, "primary": book.primary}
    return "".join(f"{key} = {_toml_string(value)}\n" for key, value in values.items() if value)


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "chapter"
