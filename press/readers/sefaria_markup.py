"""Sefaria's inline HTML to the model's runs, never to HTML.

Sefaria's texts hold a little HTML. Each element this module knows becomes
a run of the model: `<b>`/`<strong>` strong emphasis, `<i>`/`<em>`
emphasis, a footnote (`<sup class="footnote-marker">` then `<i
class="footnote">`) a note call and the note's text; `<br>` a space;
the Masorah edition's section marks (`<span class="mam-spi-pe">{פ}</span>`,
an open section, and `mam-spi-samekh` `{ס}`, a closed one) a SectionBreak,
without their braced text and without the white space before them;
`<small>`, `<big>`, `<sup>`, `<span>` and the Masorah edition's qere/ketiv
classes (`mam-kq`, `mam-kq-k` in parentheses, `mam-kq-q` in brackets) their
text, as that edition prints them. Anything else is its text content with a warning
naming the JSON path. Entities are decoded (`&thinsp;` is U+2009).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from press.model import Emphasis, Inline, NoteRef, SectionBreak, SectionKind, Text

# Elements printed as their text, with no markup of their own: nothing in the model stands for a size.
PLAIN = {"small", "big", "sup", "span", "sub", "p", "div"}
EMPHASIS = {"b": True, "strong": True, "i": False, "em": False}
SPAN_CLASSES = {"mam-spi-pe", "mam-spi-samekh", "mam-kq", "mam-kq-k", "mam-kq-q", "mam-kq-trivial",
                "footnote-marker", "footnote", ""}
VOID = {"br", "img", "hr", "wbr"}
SECTIONS: dict[str, SectionKind] = {"mam-spi-pe": "open", "mam-spi-samekh": "closed"}


@dataclass(slots=True)
class Marked:
    """A verse's runs and the texts of the notes it calls (note id -> runs)."""

    runs: tuple[Inline, ...]
    notes: dict[str, tuple[Inline, ...]] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)  # elements printed as plain text


@dataclass(slots=True)
class _Open:
    tag: str
    strong: bool | None  # None: no emphasis of its own
    children: list[Inline] = field(default_factory=list)
    note: bool = False  # the body of a footnote
    marker: bool = False  # a footnote's call
    section: SectionKind | None = None  # a section mark: its braced letter is not kept


class _Builder(HTMLParser):
    def __init__(self, next_note: int) -> None:
        super().__init__(convert_charrefs=True)
        self.stack = [_Open("", None)]
        self.notes: dict[str, tuple[Inline, ...]] = {}
        self.unknown: list[str] = []
        self.next_note = next_note
        self.pending_call: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set((dict(attrs).get("class") or "").split())
        if tag in VOID:
            self._text(" ") if tag == "br" else self._unknown(tag)
            return
        marker = tag == "sup" and "footnote-marker" in classes
        note = tag == "i" and "footnote" in classes
        if (tag not in EMPHASIS and tag not in PLAIN) or (tag == "span" and not classes <= SPAN_CLASSES):
            self._unknown(tag + "".join(f".{c}" for c in sorted(classes)))
        strong = None if note else EMPHASIS.get(tag)
        section = next((SECTIONS[c] for c in sorted(classes) if c in SECTIONS), None) if tag == "span" else None
        self.stack.append(_Open(tag, strong, note=note, marker=marker, section=section))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)
        else:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or len(self.stack) == 1 or not any(o.tag == tag for o in self.stack[1:]):
            return  # a stray end tag: nothing to close
        while True:
            closed = self.stack.pop()
            self._close(closed)
            if closed.tag == tag:
                return

    def handle_data(self, data: str) -> None:
        self._text(data)

    def _close(self, closed: _Open) -> None:
        if closed.section:
            self._section(closed.section)
        elif closed.marker:
            self.pending_call = str(self.next_note)
            self.next_note += 1
            self.stack[-1].children.append(NoteRef(self.pending_call))
        elif closed.note:
            note_id = self.pending_call or self._new_call()
            self.pending_call = None
            self.notes[note_id] = tuple(_merged(closed.children))
        elif closed.strong is not None:
            self.stack[-1].children.append(Emphasis(tuple(_merged(closed.children)), closed.strong))
        else:
            self.stack[-1].children.extend(closed.children)

    def _section(self, kind: SectionKind) -> None:
        # The mark stands apart by its own spacing (templates/base/base.css), not by the source's `&nbsp;`.
        siblings = self.stack[-1].children
        while siblings and isinstance(siblings[-1], Text) and not siblings[-1].text.rstrip(_SPACES):
            siblings.pop()
        if siblings and isinstance(siblings[-1], Text):
            siblings[-1] = Text(siblings[-1].text.rstrip(_SPACES))
        siblings.append(SectionBreak(kind))

    def _new_call(self) -> str:
        # A footnote body without its marker: give it a call where it stands.
        note_id = str(self.next_note)
        self.next_note += 1
        self.stack[-1].children.append(NoteRef(note_id))
        return note_id

    def _text(self, text: str) -> None:
        if self.stack[-1].marker or self.stack[-1].section:
            return  # the marker's own symbol: the edition numbers its notes itself
        self.stack[-1].children.append(Text(text))

    def _unknown(self, name: str) -> None:
        if name not in self.unknown:
            self.unknown.append(name)

    def finish(self) -> Marked:
        self.close()
        while len(self.stack) > 1:
            self._close(self.stack.pop())
        return Marked(_strip(tuple(_merged(self.stack[0].children))), self.notes, self.unknown)


def parse(text: str, next_note: int = 1) -> Marked:
    """The runs of one of Sefaria's strings; notes are numbered from `next_note`."""
    builder = _Builder(next_note)
    builder.feed(text)
    return builder.finish()


def plain(text: str) -> str:
    """The characters of a Sefaria string with its markup (and its notes' texts) removed."""
    from press.model import plain_text

    return plain_text(parse(text).runs)


def _merged(runs: list[Inline]) -> list[Inline]:
    merged: list[Inline] = []
    for run in runs:
        if isinstance(run, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + run.text)
        elif not (isinstance(run, Text) and not run.text):
            merged.append(run)
    return merged


_SPACES = " \n\t\u00a0\u2009"


def _strip(runs: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """Without the white space (a trailing `<br>`, `&nbsp;`) at either end of the verse."""
    items = list(runs)
    if items and isinstance(items[0], Text):
        items[0] = Text(items[0].text.lstrip(" \n\t\u00a0"))
    if items and isinstance(items[-1], Text):
        items[-1] = Text(items[-1].text.rstrip(" \n\t\u00a0"))
    return tuple(r for r in items if not (isinstance(r, Text) and not r.text))
