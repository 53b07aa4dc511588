"""Synthetic sources for the scaling run (bench/scale.py): sizes, never the corpus's text.

Each maker writes one source folder of the shape a publisher could hand in, grown along one
axis only, so that the ratio between two sizes shows how a cost grows with that axis:

- `notes_chapter(n)`: one plain-text chapter of n pairs, each English paragraph calling one
  note (the running sequence 1, 2, 3…), with the n note texts after a `Notes` line;
- `text_chapter(mb)`: one plain-text chapter of about `mb` megabytes of pairs and commentary;
- `chapters_book(n)`: n copies of a chapter (the seed chapter when given, else the sample's).

The words are our own filler (a pointed Hebrew sentence of the sample's kind and an English one).
"""

from __future__ import annotations

from pathlib import Path

ENGLISH = ("The soul descends from its source to dwell in a body, and the teacher asks the class "
           "what it gains there")
HEBREW = "שִׁיר לַמַּעֲלוֹת אֶשָּׂא עֵינַי אֶל־הֶהָרִים מֵאַיִן יָבֹא עֶזְרִי"
COMMENTARY = ("A word of commentary follows each pair, with a reference (Isaiah 41:8) and a number, "
              "ch. 36, that stay text.")
BOOK_TOML = 'title = "Scale"\ntitle_he = "מִדָּה"\nauthor = "Bench"\n'


def notes_chapter(folder: Path, notes: int) -> Path:
    """One chapter calling `notes` notes, one per pair, each with its text."""
    body = [f"An introduction to a chapter of {notes} notes."]
    for number in range(1, notes + 1):
        body += [f"{ENGLISH} (pair {number}).{number}", HEBREW]
    texts = [f"{number}. A note on pair {number}: {COMMENTARY}" for number in range(1, notes + 1)]
    return _write(folder, "chapter-1.txt", "\n\n".join([*body, "Notes", *texts]) + "\n")


def text_chapter(folder: Path, megabytes: float) -> Path:
    """One chapter of about `megabytes` MB (UTF-8) of pairs and commentary, no notes."""
    unit = "\n\n".join([ENGLISH + ".", HEBREW, COMMENTARY]) + "\n\n"
    copies = max(1, round(megabytes * 1e6 / len(unit.encode())))
    return _write(folder, "chapter-1.txt", "An introduction.\n\n" + unit * copies)


def chapters_book(folder: Path, chapters: int, chapter: Path) -> Path:
    """`chapters` copies of `chapter`, each with its own number and titles."""
    folder.mkdir(parents=True, exist_ok=True)
    text = chapter.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        text = text.split("\n---\n", 1)[1]
    for number in range(1, chapters + 1):
        front = f"---\ntitle: Chapter {number}\ntitle_he: פֶּרֶק {number}\nnumber: {number}\n---\n\n"
        (folder / f"chapter-{number:04d}{chapter.suffix}").write_text(front + text, encoding="utf-8")
    (folder / "book.toml").write_text(BOOK_TOML, encoding="utf-8")
    return folder


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    (folder / "book.toml").write_text(BOOK_TOML, encoding="utf-8")
    return folder
