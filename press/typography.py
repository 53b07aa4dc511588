"""How a paragraph's text is set in print: its quotation marks and where its lines may break.

A rendering step, like [hebrew] points: the model keeps the source's
characters, and `typeset` returns the runs an edition prints.

- Quotation marks follow the language of the text they stand in: English
  straight quotes become “ ” ‘ ’ (apostrophes too); in Hebrew a `"` before a
  word's last letter is gershayim and a `'` after a word's last letter is
  geresh (`[hebrew] geresh`), any other quote is a Hebrew quotation mark in
  the book's style (`[hebrew] quotes`). A `"` after a one-letter prefix
  (בְּ"מַשְׁכָּא) opens a quotation.
- `Keep(whole=True)` never breaks across lines: G-d and L-rd, words joined by
  a maqaf, a transliteration of several words, and a Hebrew paragraph's short
  last word with the word before it.
- `Keep(whole=False)` is never hyphenated: capitalised words, the
  transliterations of TRANSLITERATIONS and `[hyphenation] never`, and a
  paragraph's last word (so no last line is the tail of a hyphenated word).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from press.hebrew import HEBREW_LETTER
from press.model import Emphasis, Inline, Span, Text

# Transliterations that are never hyphenated: a split "lish-/mah" or "Ein / Sof" misleads
# a reader who does not know the word. A book adds its own in `[hyphenation] never`.
TRANSLITERATIONS = (
    "ahavah", "avodah", "bittul", "binah", "chesed", "chassid", "chassidim", "chassidut", "chochmah",
    "daat", "emunah", "gevurah", "halachah", "kavanah", "kavanot", "kelipah", "kelipot", "lishmah",
    "malchut", "mitzvah", "mitzvot", "mitzvos", "nefesh", "neshamah", "netzach", "rachamim", "sefirah",
    "sefirot", "shechinah", "teshuvah", "tefillah", "tiferet", "tzedakah", "yechidah", "yichud",
    "yirah", "yesod", "Ein Sof", "Sitra Achra", "yetzer hara", "yetzer tov", "Or Ein Sof",
)
# Hyphenation needs at least this many letters in a word (book.css: hyphenate-limit-chars 6 3 3).
MIN_HYPHENATED = 6
WORD_JOINER = "\u2060"  # after a maqaf: no line break there
NO_BREAK_SPACE = "\u00a0"  # between a Hebrew paragraph's last two words


@dataclass(frozen=True, slots=True)
class Keep:
    """Printed characters kept together: on one line (`whole`) or at least never hyphenated."""

    text: str
    whole: bool
    lang: str  # an element of its own, so it says its language (every element does)


@dataclass(frozen=True, slots=True)
class Rules:
    """What a book says about its typesetting (book.toml [hebrew] and [hyphenation])."""

    hebrew_quotes: str = "„”"  # opening, closing
    geresh: bool = True
    never_hyphenated: tuple[str, ...] = ()


def typeset(runs: tuple[Inline, ...], lang: str, rules: Rules) -> tuple[Inline, ...]:
    """The runs of a paragraph in `lang` as printed: typographic quotes, kept words."""
    quoted = _Quotes(rules).runs(runs, lang)
    return _Breaks(rules, _last_text(quoted)).runs(quoted, lang)


# Quotation marks --------------------------------------------------------------

_OPENS_AFTER = set(" \t\n\u00a0([{\u2014\u2013-/=\u05be") | set("“‘„‚")
_PREFIXES = "בהוכלמש"  # the one-letter prefixes a quotation may follow: בְּ"מַשְׁכָּא
_MARK = re.compile("[\u0591-\u05c7]")  # points and accents (maqaf, sof pasuq, paseq are not letters' marks)


def _is_mark(char: str) -> bool:
    return bool(_MARK.match(char)) and char not in "\u05be\u05c0\u05c3\u05c6"


class _Quotes:
    """Walks a paragraph's text in reading order, one character of context across runs."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.before = ""  # the paragraph's text so far

    def runs(self, runs: tuple[Inline, ...], lang: str) -> tuple[Inline, ...]:
        return tuple(self.run(run, lang) for run in runs)

    def run(self, run: Inline, lang: str) -> Inline:
        if isinstance(run, Text):
            return Text(self.text(run.text, lang))
        if isinstance(run, Span):
            return replace(run, children=self.runs(run.children, run.lang))
        if isinstance(run, Emphasis):
            return replace(run, children=self.runs(run.children, lang))
        return run

    def text(self, text: str, lang: str) -> str:
        out = []
        for index, char in enumerate(text):
            if char in "\"'":
                after = text[index + 1:]
                char = self.hebrew(char, after) if lang == "he" else self.english(char, after)
            out.append(char)
            self.before += char
        return "".join(out)

    def english(self, char: str, after: str) -> str:
        opening = not self.before or self.before[-1] in _OPENS_AFTER
        if char == '"':
            return "“" if opening else "”"
        if opening and after[:1].isdigit():
            return "’"  # ’90s
        return "‘" if opening else "’"

    def hebrew(self, char: str, after: str) -> str:
        letters_before, letters_after = _letters_before(self.before), _letters_after(after)
        prefix = _prefix(self.before, letters_before)
        if char == '"' and letters_before and letters_after and (letters_after == 1 or not prefix):
            return "\u05f4" if self.rules.geresh else char  # gershayim inside a word: רז"ל, ב"ה
        if char == "'" and letters_before and (letters_after or not self._single_open()):
            return "\u05f3" if self.rules.geresh else char  # geresh: ה', ג'ירפה
        open_mark, close_mark = self.rules.hebrew_quotes
        if char == "'":
            open_mark, close_mark = _SINGLE.get(open_mark, open_mark), _SINGLE.get(close_mark, close_mark)
        opening = not self.before or self.before[-1] in _OPENS_AFTER or prefix
        return open_mark if opening else close_mark

    def _single_open(self) -> bool:
        """Whether a Hebrew single quotation opened in this word's phrase is still open."""
        open_mark = _SINGLE.get(self.rules.hebrew_quotes[0], "'")
        last_open = self.before.rfind(open_mark)
        return last_open >= 0 and _SINGLE.get(self.rules.hebrew_quotes[1], "'") not in self.before[last_open:]


_SINGLE = {"„": "‚", "”": "’", "“": "‘", "«": "‹", "»": "›"}


def _letters_before(before: str) -> int:
    """How many Hebrew letters end `before` (points between them allowed)."""
    count, index = 0, len(before) - 1
    while index >= 0 and (_is_mark(before[index]) or HEBREW_LETTER.match(before[index])):
        count += 0 if _is_mark(before[index]) else 1
        index -= 1
    return count


def _letters_after(after: str) -> int:
    count = 0
    for char in after:
        if HEBREW_LETTER.match(char):
            count += 1
        elif not _is_mark(char):
            break
    return count


def _prefix(before: str, letters: int) -> bool:
    """Whether `before` ends in a word of one letter that is a prefix (ב ה ו כ ל מ ש)."""
    if letters != 1:
        return False
    index = len(before) - 1
    while index >= 0 and _is_mark(before[index]):
        index -= 1
    return before[index] in _PREFIXES


# Line breaks and hyphenation --------------------------------------------------

_DIVINE_NAMES = r"\b(?:G[-\u2011]d|L[-\u2011]rd)\w*"
_CAPITALISED = r"\b[A-Z][\w\u2019']*"


def _last_text(runs: Iterable[Inline]) -> Text | None:
    """The paragraph's last Text with words in it (note calls may follow it)."""
    found = None
    for run in runs:
        if isinstance(run, Text) and run.text.strip():
            found = run
        elif isinstance(run, (Span, Emphasis)):
            found = _last_text(run.children) or found
    return found


class _Breaks:
    def __init__(self, rules: Rules, last: Text | None) -> None:
        self.last = last
        words = sorted((*TRANSLITERATIONS, *rules.never_hyphenated), key=len, reverse=True)
        several = "|".join(_word_pattern(w) for w in words if " " in w) or "(?!)"
        listed = "|".join(_word_pattern(w) for w in words)
        self.whole = re.compile(f"{_DIVINE_NAMES}|(?i:\\b(?:{several})\\b)")
        self.pattern = re.compile(f"(?P<whole>{self.whole.pattern})|(?P<listed>(?i:\\b(?:{listed})\\b))"
                                  f"|(?P<capital>{_CAPITALISED})")

    def runs(self, runs: tuple[Inline, ...], lang: str) -> tuple[Inline, ...]:
        out: list[Inline] = []
        for run in runs:
            if isinstance(run, Text):
                out.extend(self.text(run, lang))
            elif isinstance(run, Span):
                out.append(replace(run, children=self.runs(run.children, run.lang)))
            elif isinstance(run, Emphasis):
                out.append(replace(run, children=self.runs(run.children, lang)))
            else:
                out.append(run)
        return tuple(out)

    def text(self, run: Text, lang: str) -> list[Inline]:
        if lang == "he":
            return [Text(self._hebrew(run))]
        text, tail = run.text, None
        if run is self.last:
            text, tail = self._tail(text, lang)
        pieces: list[Inline] = []
        at = 0
        for found in self.pattern.finditer(text):
            whole = found.lastgroup == "whole"
            if whole or _long(found.group()):
                pieces += [Text(text[at:found.start()]), Keep(found.group(), whole, lang)]
                at = found.end()
        pieces.append(Text(text[at:]))
        return _merged(pieces + list(tail or ()))

    def _hebrew(self, run: Text) -> str:
        """Hebrew keeps its words together with characters, not elements: a right-to-left line of
        several boxes would copy out of PDFium out of order (press/pdftext draws box by box)."""
        text = run.text.replace("\u05be", "\u05be" + WORD_JOINER)
        if run is self.last:
            body = text.rstrip()
            words = body.split(" ")
            if len(words) >= 3:
                cut = len(body) - len(words[-1]) - 1
                text = text[:cut] + NO_BREAK_SPACE + text[cut + 1:]
        return text

    def _tail(self, text: str, lang: str) -> tuple[str, tuple[Inline, ...] | None]:
        """English `text` without its last word, and that word kept: never hyphenated."""
        body = text.rstrip()
        words = body.split(" ")
        if not _long(words[-1]):
            return text, None
        cut = len(body) - len(words[-1])
        kept = Keep(body[cut:], bool(self.whole.search(body[cut:])), lang)
        return text[:cut], (kept, Text(text[len(body):]))


def _word_pattern(word: str) -> str:
    return re.escape(word).replace(r"\ ", r"\s+")


def _long(word: str) -> bool:
    return sum(char.isalpha() for char in word) >= MIN_HYPHENATED


def _merged(pieces: list[Inline]) -> list[Inline]:
    """Adjacent Text pieces joined again, so a paragraph has as few boxes as before."""
    out: list[Inline] = []
    for piece in pieces:
        if out and isinstance(piece, Text) and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + piece.text)
        elif not (isinstance(piece, Text) and not piece.text):
            out.append(piece)
    return out
