"""Script detection and Hebrew numerals."""

from __future__ import annotations

import re
import unicodedata

HEBREW_LETTER = re.compile(r"[\u05D0-\u05EA\u05F0-\u05F2\uFB1D-\uFB4F]")
LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")

# Letters and points/cantillation: anything that is strongly right-to-left.
_HEBREW_CHARS = "\u0591-\u05C7\u05D0-\u05EA\u05F0-\u05F4\uFB1D-\uFB4F"


def is_hebrew(char: str) -> bool:
    return bool(re.match(f"[{_HEBREW_CHARS}]", char))


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
