"""The model of the shared seed chapter, through `build.py model` (issue #2 acceptance)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import build


@pytest.fixture(scope="module")
def seed_model(seed_source: Path) -> dict:
    result = build("model", "--source", str(seed_source))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def file_paragraphs(path: Path) -> list[tuple[int, str]]:
    """The chapter file's paragraphs, independently of the readers: (first line, folded text)."""
    found, current, start = [], [], 0
    for number, line in enumerate([*path.read_text(encoding="utf-8").split("\n"), ""], 1):
        if line.strip():
            start = start if current else number
            current.append(line.strip())
        elif current:
            found.append((start, " ".join(current)))
            current = []
    return found


def test_block_kinds(seed_model: dict) -> None:
    (chapter,) = seed_model["chapters"]
    kinds = Counter(block["kind"] for block in chapter["blocks"])
    assert kinds == {"intro": 3, "pair": 16, "commentary": 8}
    pairs = [b for b in chapter["blocks"] if b["kind"] == "pair"]
    assert all(b["en"] and b["he"] for b in pairs)
    assert chapter["number"] == 45


def test_note_references_are_exactly_one_to_nine(seed_model: dict) -> None:
    (chapter,) = seed_model["chapters"]
    refs = [ref for block in chapter["blocks"] for ref in block["notes"]]
    assert refs == [str(n) for n in range(1, 10)]
    assert [n["id"] for n in chapter["notes"]] == refs
    assert all(n["text"] is None for n in chapter["notes"]), "the seed chapter has no note texts"


def test_every_paragraph_survives_without_its_note_numbers(seed_model: dict, seed_chapter: Path) -> None:
    (chapter,) = seed_model["chapters"]
    model_texts = [t for b in chapter["blocks"] for t in (b["en"], b["he"]) if t]
    expected = []
    notes = iter(str(n) for n in range(1, 10))
    pending = next(notes)
    for _, text in file_paragraphs(seed_chapter):
        # Remove the glued note numbers, in sequence, the way a reader of the book sees them.
        while pending and (found := re.search(rf"(?<=[^\s\d]){pending}(?=[\s;,.]|$)", text)):
            if text[found.start() - 1] == ":":
                break
            text = text[: found.start()] + text[found.end():]
            pending = next(notes, None)
        expected.append(re.sub(r"\s+", " ", text).strip())
    assert model_texts == expected


def test_blocks_know_their_lines(seed_model: dict, seed_chapter: Path) -> None:
    (chapter,) = seed_model["chapters"]
    starts = [line for line, _ in file_paragraphs(seed_chapter)]
    assert all(block["line"] in starts for block in chapter["blocks"])
    assert chapter["blocks"][0]["line"] == 1
