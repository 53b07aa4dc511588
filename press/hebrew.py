"""Script detection and Hebrew numerals."""

from __future__ import annotations

import re
import unicodedata

HEBREW_LETTER = re.compile(r"[\u05D0-\u05EA\u05F0-\u05F2\uFB1D-\uFB4F]")
LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")

# Letters and points/cantillation: anything that is strongly right-to-left.
_HEBREW_CHARS = "\u0591-\u05C7\u05D0-\u05EA\u05F0-\u05F4\uFB1D-\uFB4F"


_HEBREW_CHAR = re.compile(f"[{_HEBREW_CHARS}]")


def is_hebrew(char: str) -> bool:
    return bool(_HEBREW_CHAR.match(char))


def is_latin(char: str) -> bool:
    return bool(LATIN_LETTER.match(char))


def dominant_lang(text: str) -> str:
    """`he` when Hebrew letters outnumber Latin ones, else `en`."""
    hebrew = len(HEBREW_LETTER.findall(text))
    latin = len(LATIN_LETTER.findall(text))
    return "he" if hebrew > latin else "en"


_ONES = "אבגדהוזחט"
_TENS = "יכלמנסעפצ"
_HUNDREDS = "קרשת"


def hebrew_numeral(number: int) -> str:
    """Traditional Hebrew numeral: 15 is טו and 16 is טז, not יה and יו."""
    if number <= 0:
        raise ValueError("Hebrew numerals start at 1")
    letters = ""
    thousands, number = divmod(number, 1000)
    if thousands:
        letters += hebrew_numeral(thousands) + "׳"
    while number >= 400:
        letters += "ת"
        number -= 400
    if number >= 100:
        letters += _HUNDREDS[number // 100 - 1]
        number %= 100
    if number in (15, 16):
        return letters + ("טו" if number == 15 else "טז")
    if number >= 10:
        letters += _TENS[number // 10 - 1]
        number %= 10
    if number:
        letters += _ONES[number - 1]
    return letters


def char_name(char: str) -> str:
    return unicodedata.name(char, "UNNAMED CHARACTER")


def describe(char: str) -> str:
    """`U+05B0 HEBREW POINT SHEVA`: how messages name a character."""
    return f"U+{ord(char):04X} {char_name(char)}"


# How an edition prints Hebrew marks: a rendering choice, the model keeps every mark.
POINT_MODES = ("all", "vowels", "none")
_CANTILLATION = "\u0591-\u05af\u05c0"  # accents (te'amim) and paseq, their divider
_VOWEL_POINTS = "\u05b0-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"  # vowels, dagesh, meteg, rafe, dots
# Never stripped: maqaf U+05BE, sof pasuq U+05C3, nun hafukha U+05C6, geresh U+05F3, gershayim U+05F4.
_STRIPPED = {
    "all": None,
    "vowels": re.compile(f"[{_CANTILLATION}]"),
    "none": re.compile(f"[{_CANTILLATION}{_VOWEL_POINTS}]"),
}
_PRESENTATION_FORM = re.compile("[\ufb1d-\ufb4f]")  # letters precomposed with a point (שׁ as one character)


def with_points(text: str, mode: str) -> str:
    """`text` with the marks that `mode` ("all", "vowels", "none") does not print removed."""
    stripped = _STRIPPED[mode]
    if stripped is None:
        return text
    text = _PRESENTATION_FORM.sub(lambda m: unicodedata.normalize("NFD", m.group()), text)
    return stripped.sub("", text)


def with_geresh(text: str) -> str:
    """ASCII ' and " in Hebrew abbreviations as geresh and gershayim: ה' -> ה׳, רז"ל -> רז״ל.

    A " counts only between two Hebrew letters (points allowed), so
    quotation marks around a Hebrew phrase stay. A ' counts after a Hebrew
    letter, unless it closes a single quotation it opened before that letter.
    """
    out: list[str] = []
    quoted = False
    for index, char in enumerate(text):
        after_letter = _after_letter(text, index)
        before_letter = index + 1 < len(text) and bool(HEBREW_LETTER.match(text[index + 1]))
        if char == '"' and after_letter and before_letter:
            char = "\u05f4"
        elif char == "'" and not after_letter and before_letter:
            quoted = True
        elif char == "'" and after_letter:
            char, quoted = ("'" if quoted else "\u05f3"), False
        out.append(char)
    return "".join(out)


def _after_letter(text: str, index: int) -> bool:
    """Whether text[index] follows a Hebrew letter, points and accents between allowed."""
    before = index - 1
    while before >= 0 and "\u0591" <= text[before] <= "\u05c7" and text[before] not in "\u05be\u05c0\u05c3\u05c6":
        before -= 1
    return before >= 0 and bool(HEBREW_LETTER.match(text[before]))
