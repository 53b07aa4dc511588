"""The model as JSON, for people and tools (`build.py model`)."""

from __future__ import annotations

import json
import re
from typing import Any

from press.model import Block, Book, Chapter, Paragraph, note_refs, plain_text, section_breaks


def _folded(paragraph: Paragraph | None) -> str | None:
    if paragraph is None:
        return None
    return re.sub(r"\s+", " ", plain_text(paragraph.runs)).strip()


def block_json(block: Block) -> dict[str, Any]:
    refs = [ref for p in block.paragraphs for ref in note_refs(p.runs)]
    data = {"kind": block.kind, "number": block.number, "line": block.span.line,
            "en": _folded(block.en), "he": _folded(block.he), "notes": refs}
    # A section break has no characters: listed on its own ("open", "closed"), in reading order.
    sections = [{"lang": p.lang, "kind": s.kind} for p in block.paragraphs for s in section_breaks(p.runs)]
    return {**data, "sections": sections} if sections else data


def chapter_json(chapter: Chapter) -> dict[str, Any]:
    return {
        "number": chapter.number,
        "title": chapter.title,
        "title_he": chapter.title_he,
        "source": str(chapter.span.path),
        "blocks": [block_json(b) for b in chapter.blocks],
        "notes": [{"id": n.id, "line": n.span.line,
                   "text": None if n.runs is None else plain_text(n.runs).strip()} for n in chapter.notes],
    }


def book_json(book: Book) -> str:
    data = {"title": book.title, "title_he": book.title_he, "author": book.author,
            "primary": book.primary, "chapters": [chapter_json(c) for c in book.chapters]}
    return json.dumps(data, ensure_ascii=False, indent=2)
