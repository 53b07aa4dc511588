"""Reading Hebrew back out of a PDF as its readers do: PDFium (two builds) and poppler.

The word rule is that of ../shared/tools/hebrew_fidelity.py: a word is a
run of Hebrew letters and points (maqaf included) holding a letter, and it
counts only when it comes back exactly (NFC on both sides), each source
occurrence consuming one extracted occurrence.

PDFium changed how it reads ActualText between builds 7891 and 8076, so
the older build is checked too, through its own interpreter: a virtual
environment with pypdfium2 5.10.1 made once in .cache/ (or named by
PRESS_OLD_PDFIUM_PYTHON).

pdf.js (Firefox's viewer) is read under Node.js from .cache/pdfjs, where
`make test` installs the pdfjs-dist pinned in scripts/pdfjs/: its text
items joined, a newline where it ends a line, as its text layer copies.
"""

from __future__ import annotations

import collections
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from conftest import PROJECT

HEBREW_WORD = re.compile(r"[\u0591-\u05C7\u05D0-\u05EA\u05F0-\u05F2\uFB1D-\uFB4F]+")
HAS_LETTER = re.compile(r"[\u05D0-\u05EA\uFB1D-\uFB4F]")
OLD_PYPDFIUM = "5.10.1"  # PDFium build 7891, before the ActualText change
OLD_BUILD = 7891

_PAGE_TEXTS = """
import json, sys
import pypdfium2 as pdfium
document = pdfium.PdfDocument(sys.argv[1])
print(json.dumps([document[i].get_textpage().get_text_range() for i in range(len(document))]))
"""


PDFJS = PROJECT / ".cache" / "pdfjs"
_PDFJS_TEXT = """
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import fs from "fs";
const data = new Uint8Array(fs.readFileSync(process.argv[1]));
const pdf = await getDocument({ data, disableFontFace: true, verbosity: 0 }).promise;
const pages = [];
for (let number = 1; number <= pdf.numPages; number++) {
  let text = "";
  for (const item of (await (await pdf.getPage(number)).getTextContent()).items) {
    text += item.str + (item.hasEOL ? "\\n" : "");
  }
  pages.push(text);
}
process.stdout.write("\\n" + JSON.stringify(pages));  // its own last line: pdf.js warns on stdout
"""


def hebrew_words(text: str, nfc: bool = True) -> list[str]:
    text = unicodedata.normalize("NFC", text) if nfc else text
    return [w for w in HEBREW_WORD.findall(text) if HAS_LETTER.search(w)]


def score(expected: list[str], extracted: str, nfc: bool = True) -> int:
    """How many of `expected` come back exactly from `extracted`."""
    pool = collections.Counter(hebrew_words(extracted, nfc))
    found = 0
    for word in expected:
        if pool[word] > 0:
            pool[word] -= 1
            found += 1
    return found


def pdfium_text(pdf: Path, python: Path | None = None) -> str:
    """The text PDFium extracts, page by page; `python` another pypdfium2's interpreter."""
    result = subprocess.run([str(python or sys.executable), "-c", _PAGE_TEXTS, str(pdf)],
                            capture_output=True, text=True, check=True)
    return "\n".join(json.loads(result.stdout))


def pdfjs_missing() -> str | None:
    """Why pdf.js cannot be read here, or None."""
    if not shutil.which("node"):
        return "Node.js is not on PATH: pdf.js runs where it is (`make test` installs it as root)"
    if not (PDFJS / "node_modules" / "pdfjs-dist" / "package.json").is_file():
        return f"pdfjs-dist is not installed in {PDFJS}: `make test` installs it (scripts/pdfjs/)"
    return None


def pdfjs_text(pdf: Path) -> str:
    """The text pdf.js extracts, page by page."""
    result = subprocess.run(["node", "--input-type=module", "-e", _PDFJS_TEXT, str(pdf.resolve())], cwd=PDFJS,
                            capture_output=True, text=True, check=True)
    return "\n".join(json.loads(result.stdout.rsplit("\n", 1)[-1]))


def poppler_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


@cache
def old_pdfium_python() -> Path | str:
    """An interpreter with PDFium build 7891, or the reason there is none."""
    named = os.environ.get("PRESS_OLD_PDFIUM_PYTHON")
    venv = PROJECT / ".cache" / f"pypdfium2-{OLD_PYPDFIUM}"
    python = Path(named) if named else venv / "bin" / "python"
    if not python.exists():
        made = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True)
        if made.returncode == 0:
            made = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                                   f"pypdfium2=={OLD_PYPDFIUM}"], capture_output=True, text=True)
        if made.returncode != 0:
            return f"cannot install pypdfium2 {OLD_PYPDFIUM} into {venv}: {made.stderr.strip()[-300:]}"
    probe = subprocess.run([str(python), "-c", "import pypdfium2.version as v; print(v.PDFIUM_INFO.build)"],
                           capture_output=True, text=True)
    if probe.returncode != 0 or probe.stdout.strip() != str(OLD_BUILD):
        return f"{python} does not run PDFium build {OLD_BUILD}: {probe.stdout.strip() or probe.stderr.strip()}"
    return python


@dataclass(frozen=True, slots=True)
class PrintedChar:
    """One character PDFium found on a page, with its box (PDF points, y up)."""

    char: str
    left: float
    bottom: float
    right: float
    top: float
    origin: float  # x where the glyph is drawn from (its pen position plus any offset)

    @property
    def middle(self) -> tuple[float, float]:
        return (self.left + self.right) / 2, (self.bottom + self.top) / 2


def printed_chars(pdf: Path, page: int = 0) -> list[PrintedChar]:
    """The characters of a page with their boxes, in PDFium's reading order."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(str(pdf))
    try:
        text = document[page].get_textpage()
        chars = []
        x, y = ctypes.c_double(), ctypes.c_double()
        for index in range(text.count_chars()):
            raw.FPDFText_GetCharOrigin(text.raw, index, ctypes.byref(x), ctypes.byref(y))
            chars.append(PrintedChar(text.get_text_range(index, 1), *text.get_charbox(index, loose=False), x.value))
        return chars
    finally:
        document.close()
