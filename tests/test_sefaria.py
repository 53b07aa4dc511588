"""Sefaria-Export texts as a book: the reader, its markup, the credits, bad input.

The Ruth files of ../shared/corpus/sefaria/ are copied into a temporary
source folder at test time (never into the repository); without them the
tests that need them skip, saying so. Small fixtures written here exercise
what the corpus does not (footnotes, unknown elements, bad input).
"""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
from conftest import CORPUS, build

from press.diagnostics import BuildError, Reporter
from press.model import Emphasis, NoteRef, SectionBreak, Text, plain_text, section_breaks
from press.readers import read_book, sefaria_markup

RUTH = CORPUS / "sefaria" / "ruth"
TAAMIM, MASORAH, JPS = "he-taamei-hamikra.json", "he-miqra-masorah.json", "en-jps-1917.json"
VERSES = [22, 23, 18, 22]


def _ruth(folder: Path, *names: str, toml: str = "") -> Path:
    if not RUTH.is_dir():
        pytest.skip(f"skipped: the shared corpus is absent ({RUTH} not found)")
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copyfile(RUTH / name, folder / name)
    if toml:
        (folder / "book.toml").write_text(toml, encoding="utf-8")
    return folder


def _read(folder: Path) -> tuple:
    stream = io.StringIO()
    return read_book(folder, Reporter(stream)), stream.getvalue()


def _source_verses(name: str) -> list[list[str]]:
    return json.loads((RUTH / name).read_text(encoding="utf-8"))["text"]


_SECTION_SPAN = re.compile(r'<span class="mam-spi-(pe|samekh)">[^<]*</span>')


def _without_markup(text: str) -> str:
    """A verse as a reader sees it: the section marks (and the space before them) and the tags dropped,
    the entities decoded, the ends trimmed."""
    text = re.sub(r"(?:\s|&nbsp;|&thinsp;)*" + _SECTION_SPAN.pattern, "", text)
    return html.unescape(re.sub(r"<br\s*/?>", " ", re.sub(r"<(?!br)[^>]+>", "", text))).strip(" \u00a0")


# --- the Ruth text ------------------------------------------------------------------------

@pytest.mark.parametrize("hebrew", [TAAMIM, MASORAH])
def test_ruth_is_four_chapters_of_verse_pairs(tmp_path: Path, hebrew: str) -> None:
    book, _ = _read(_ruth(tmp_path / "src", hebrew, JPS))
    assert [len(c.blocks) for c in book.chapters] == VERSES
    assert all(b.kind == "pair" and b.en and b.he for c in book.chapters for b in c.blocks)
    assert [b.number for b in book.chapters[0].blocks] == list(range(1, 23))  # the verse numbers
    assert (book.title, book.title_he, book.chapters[1].title, book.chapters[1].title_he) == (
        "Ruth", "רות", "Ruth 2", "רות ב")


@pytest.mark.parametrize("hebrew", [TAAMIM, MASORAH])
def test_every_verse_is_the_source_verse_without_its_markup(tmp_path: Path, hebrew: str) -> None:
    book, _ = _read(_ruth(tmp_path / "src", hebrew, JPS))
    for lang, name in (("he", hebrew), ("en", JPS)):
        source = _source_verses(name)
        for chapter, verses in zip(book.chapters, source, strict=True):
            printed = [plain_text(b.paragraph(lang).runs) for b in chapter.blocks]
            assert printed == [_without_markup(v) for v in verses], f"{name} chapter {chapter.number}"


def test_no_source_markup_reaches_the_model(tmp_path: Path) -> None:
    book, _ = _read(_ruth(tmp_path / "src", MASORAH, JPS))
    text = " ".join(plain_text(p.runs) for c in book.chapters for b in c.blocks for p in b.paragraphs)
    assert "<" not in text and "&" not in text and "mam-" not in text


def test_masorah_marks_are_printed_as_that_edition_prints_them(tmp_path: Path) -> None:
    book, warnings = _read(_ruth(tmp_path / "src", MASORAH, JPS))
    hebrew = [plain_text(b.he.runs) for c in book.chapters for b in c.blocks]
    assert "(יעשה) [יַ֣עַשׂ]" in hebrew[7]  # ketiv in parentheses, qere in brackets (1:8)
    end = book.chapters[3].blocks[16].he.runs[-2:]  # 4:17: its last words, then the open section
    assert isinstance(end[0], Text) and end[0].text.endswith("אֲבִ֥י דָוִֽד׃") and end[1] == SectionBreak("open")
    assert "\u2009׀" in hebrew[1]  # &thinsp; before a paseq
    paseq = book.chapters[0].blocks[1].he.runs
    assert any(isinstance(r, Emphasis) and r.strong and plain_text(r.children) == "׀" for r in paseq)
    assert warnings == ""  # every element of the Masorah edition is known


def test_every_section_mark_is_a_section_break(tmp_path: Path) -> None:
    book, _ = _read(_ruth(tmp_path / "src", MASORAH, JPS))
    in_model = [(c.number, b.number, s.kind) for c in book.chapters for b in c.blocks
                for s in section_breaks(b.he.runs)]
    kinds = {"pe": "open", "samekh": "closed"}
    in_json = [(c + 1, v + 1, kinds[m.group(1)]) for c, verses in enumerate(_source_verses(MASORAH))
               for v, verse in enumerate(verses) for m in _SECTION_SPAN.finditer(verse)]
    assert in_model == in_json == [(4, 17, "open")]  # Ruth has one, a petuchah after 4:17
    text = " ".join(plain_text(p.runs) for c in book.chapters for b in c.blocks for p in b.paragraphs)
    assert "{" not in text and "}" not in text


def test_a_closed_section_within_a_verse() -> None:
    marked = sefaria_markup.parse('אחת&thinsp;<span class="mam-spi-samekh">{ס}</span> שתיים'
                                  '&nbsp;<span class="mam-spi-pe">{פ}</span><br>')
    assert marked.runs == (Text("אחת"), SectionBreak("closed"), Text(" שתיים"), SectionBreak("open"))
    assert marked.unknown == []


def test_the_model_lists_the_section_breaks(tmp_path: Path) -> None:
    source = _ruth(tmp_path / "src", MASORAH, JPS, toml='[sefaria]\nchapters = "4"\n')
    result = build("model", "--source", str(source))
    assert result.returncode == 0, result.stderr
    blocks = json.loads(result.stdout)["chapters"][0]["blocks"]
    assert [(b["number"], b.get("sections")) for b in blocks if "sections" in b] == [
        (17, [{"lang": "he", "kind": "open"}])]
    assert blocks[16]["he"].endswith("דָוִֽד׃")  # no braced letter in the text


def test_chapters_are_chosen_in_book_toml(tmp_path: Path) -> None:
    book, _ = _read(_ruth(tmp_path / "src", TAAMIM, JPS, toml='[sefaria]\nchapters = "2-3"\n'))
    assert [(c.number, len(c.blocks)) for c in book.chapters] == [(2, 23), (3, 18)]


def test_the_versions_are_credited(tmp_path: Path) -> None:
    book, _ = _read(_ruth(tmp_path / "src", TAAMIM, JPS))
    assert [(c.lang, c.version, c.license) for c in book.credits] == [
        ("en", "The Holy Scriptures: A New Translation (JPS 1917)", "Public Domain"),
        ("he", "Tanach with Ta'amei Hamikra", "Public Domain")]


# --- markup, from fixtures -----------------------------------------------------------------

def test_a_footnote_becomes_a_note_call_and_its_note() -> None:
    marked = sefaria_markup.parse('And he said<sup class="footnote-marker">*</sup>'
                                  '<i class="footnote">Heb. <i>spake</i>.</i> unto her.')
    assert marked.runs == (Text("And he said"), NoteRef("1"), Text(" unto her."))
    assert marked.notes == {"1": (Text("Heb. "), Emphasis((Text("spake"),)), Text("."))}


def test_entities_and_emphasis() -> None:
    marked = sefaria_markup.parse("<b>bold</b>&nbsp;<i>it</i>&thinsp;x<br>")
    assert marked.runs == (Emphasis((Text("bold"),), True), Text("\u00a0"), Emphasis((Text("it"),)),
                           Text("\u2009x"))
    assert marked.unknown == []


def test_markup_is_never_passed_through() -> None:
    marked = sefaria_markup.parse('<script>alert(1)</script><a href="x">link</a> <u>under</u>')
    assert plain_text(marked.runs) == "alert(1)link under"
    assert marked.unknown == ["script", "a", "u"]


def _version(lang: str, text: object, title: str = "Tiny") -> dict:
    return {"language": lang, "title": title, "heTitle": "קטן", "versionTitle": f"{lang} version",
            "versionSource": "https://example.org", "license": "CC0", "text": text}


def _write(folder: Path, **files: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / f"{name}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


def test_an_unknown_element_warns_with_its_json_path(tmp_path: Path) -> None:
    source = _write(tmp_path, en=_version("en", [["One.", 'Two <u>marked</u> <span class="x">y</span>.']]),
                    he=_version("he", [["אחת.", "שתיים."]]))
    book, warnings = _read(source)
    assert plain_text(book.chapters[0].blocks[1].en.runs) == "Two marked y."
    assert f"{source / 'en.json'}: text[0][1]: warning [sefaria-markup] <u> is not an element" in warnings
    assert f"{source / 'en.json'}: text[0][1]: warning [sefaria-markup] <span.x> is not an element" in warnings


def test_a_verse_in_one_language_only_is_kept(tmp_path: Path) -> None:
    source = _write(tmp_path, en=_version("en", [["One.", "Two.", "Three."]]), he=_version("he", [["אחת.", ""]]))
    blocks = _read(source)[0].chapters[0].blocks
    assert [(b.number, b.en is not None, b.he is not None) for b in blocks] == [(1, True, True), (2, True, False),
                                                                             (3, True, False)]


# --- bad input ------------------------------------------------------------------------------

BAD = {
    "not Sefaria's format": ({"en": {"chapters": []}}, "en.json: error [sefaria-format] not a Sefaria-Export "
                             "text: no `language`, `title`, `text`"),
    "mismatched titles": ({"en": _version("en", [["One."]]), "he": _version("he", [["אחת."]], title="Other")},
                          'he.json: title: error [sefaria-title] its title "Other" is not "Tiny" of en.json'),
    "a verse that is not a string": ({"en": _version("en", [["One.", 5]])},
                                     "en.json: text[0][1]: error [sefaria-format] a verse must be a string, "
                                     "not a number"),
    "a chapter that is not a list": ({"en": _version("en", ["One."])},
                                     "en.json: text[0]: error [sefaria-format] a chapter must be a list of verses"),
    "not JSON": ({"en": None}, "en.json:1: error [sefaria-format] not valid JSON"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_input_is_an_error_naming_file_and_json_path(tmp_path: Path, case: str) -> None:
    files, message = BAD[case]
    source = tmp_path / "src"
    source.mkdir()
    for name, data in files.items():
        text = "{not json" if data is None else json.dumps(data, ensure_ascii=False)
        (source / f"{name}.json").write_text(text, encoding="utf-8")
    result = build("pdf", "--source", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert f"{source}/{message}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_chapters_out_of_range_is_an_error_naming_the_line(tmp_path: Path) -> None:
    source = _write(tmp_path / "src", en=_version("en", [["One."]]))
    (source / "book.toml").write_text('[sefaria]\nchapters = "2"\n', encoding="utf-8")
    with pytest.raises(BuildError) as raised:
        _read(source)
    assert str(raised.value) == (f'{source / "book.toml"}:2: error [config-value] `[sefaria] chapters` must be '
                                 'chapters of 1-1 such as "1-2", not "2"')


# --- the acceptance build ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def ruth_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ruth")
    source = _ruth(root / "src", TAAMIM, JPS, toml='[sefaria]\nchapters = "1-2"\n\n[sheet]\npassage = "1:16-17"\n')
    result = build("--source", str(source), "--out", str(root / "out"))
    assert result.returncode == 0, result.stderr
    return root / "out"


def test_ruth_builds_every_edition(ruth_build: Path) -> None:
    for name in ("book.pdf", "booklet.pdf", "book.epub", "sheet.pdf"):
        assert (ruth_build / name).stat().st_size > 0, name


def test_the_front_matter_credits_the_versions(ruth_build: Path) -> None:
    text = subprocess.run(["pdftotext", "-l", "3", str(ruth_build / "book.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Hebrew text: Tanach with Ta'amei Hamikra (Public Domain), from Sefaria" in text
    assert "English text: The Holy Scriptures: A New Translation (JPS 1917) (Public Domain)" in text


def test_the_epub_metadata_credits_the_versions(ruth_build: Path) -> None:
    with zipfile.ZipFile(ruth_build / "book.epub") as epub:
        opf = next(epub.read(n).decode() for n in epub.namelist() if n.endswith(".opf"))
    assert "<dc:source>http://www.tanach.us/Tanach.xml</dc:source>" in opf
    assert "Hebrew text: Tanach with Ta&apos;amei Hamikra (Public Domain)" in opf or \
        "Hebrew text: Tanach with Ta'amei Hamikra (Public Domain)" in opf


def test_the_sheet_is_ruth_1_16_17(ruth_build: Path) -> None:
    text = subprocess.run(["pdftotext", str(ruth_build / "sheet.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Entreat me not to leave thee" in text and "thy sister-in-law is gone back" not in text


def test_the_epub_passes_epubcheck(ruth_build: Path) -> None:
    from test_epub import _epubcheck

    result = subprocess.run([*_epubcheck(), str(ruth_build / "book.epub"), "--failonwarnings"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_file_of_several_versions_needs_one_chosen(tmp_path: Path) -> None:
    one, other = _version("he", [["אחת."]]), _version("he", [["שתיים."]])
    other["versionTitle"] = "second"
    source = _write(tmp_path / "src", he=[one, other])
    with pytest.raises(BuildError) as raised:
        _read(source)
    assert "holds 2 versions: choose one with `[sefaria] version`" in str(raised.value)
    (source / "book.toml").write_text('[sefaria]\nversion = "second"\n', encoding="utf-8")
    book, _ = _read(source)
    assert plain_text(book.chapters[0].blocks[0].he.runs) == "שתיים."


# --- the Masorah edition's section marks, printed -------------------------------------------------

@pytest.fixture(scope="module")
def masorah_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("masorah")
    toml = '[sefaria]\nchapters = "4"\n\n[sheet]\npassage = "4:16-18"\n\n[print]\npdf = "pdf/x-4"\n'
    source = _ruth(root / "src", MASORAH, JPS, toml=toml)
    result = build("--source", str(source), "--out", str(root / "out"))
    assert result.returncode == 0, result.stderr
    return root / "out"


def _pdf_words(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(c for c in text if unicodedata.category(c) != "Cf").split()


@pytest.mark.parametrize("name", ["book.pdf", "sheet.pdf"])
def test_the_open_section_is_printed_as_its_letter_without_braces(masorah_build: Path, name: str) -> None:
    words = _pdf_words(masorah_build / name)
    assert not [w for w in words if "{" in w or "}" in w]
    assert words.count("פ") == 1  # the mark after 4:17, its letter alone
    assert words[words.index("פ") - 1].startswith("דָוִֽד")


def test_the_epub_prints_the_section_mark_in_hebrew(masorah_build: Path) -> None:
    with zipfile.ZipFile(masorah_build / "book.epub") as epub:
        chapter = next(epub.read(n).decode() for n in epub.namelist() if n.endswith("chapter-4.xhtml"))
    marks = re.findall(r"<span class=\"section section-(\w+)\"([^>]*)>([^<]*)</span>", chapter)
    assert [(kind, text) for kind, _, text in marks] == [("open", "פ")]
    assert 'lang="he"' in marks[0][1] and 'dir="rtl"' in marks[0][1]
    assert "{פ}" not in chapter


def test_the_section_mark_grey_is_k_only_in_a_pdf_x_book(masorah_build: Path) -> None:
    import pikepdf

    greys = set()
    with pikepdf.open(masorah_build / "book.pdf") as pdf:
        for page in pdf.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                assert str(operator) not in ("rg", "RG"), "an RGB colour in a PDF/X book"
                if str(operator) in ("scn", "sc") and len(operands) == 4:
                    greys.add(tuple(float(v) for v in operands))
    assert (0, 0, 0, 0.53) in greys  # the mark's grey (book.css .section), the only grey of Ruth 4
