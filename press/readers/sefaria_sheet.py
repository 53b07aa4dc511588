"""A Sefaria source sheet (the JSON its sheet API returns) -> the sheet model: a SheetSpec and
the Book its passages come from.

The texts come from the sheet itself (`sources[i].text.en/he`), so no
network is needed: each source with a `ref` becomes one chapter of a small
Book, cited by its `ref`; `outsideText`, `outsideBiText` and `comment`
become the teacher's text; `media` is left out, with a warning and a
printed note saying so. `options` map onto a sheet file's: `language`
(bilingual, english, hebrew), `layout` (sideBySide: columns, stacked);
`langLayout: heLeft` is warned (Hebrew stands on the right); `numbered` is
not needed (each source is headed by its ref); `fit` comes from `--fit`. Messages name
the file and the JSON path (`sheet.json: sources[3]`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from press import bidi
from press.diagnostics import Reporter, error
from press.hebrew import dominant_lang
from press.model import (
    Block,
    Book,
    Chapter,
    Emphasis,
    Inline,
    Note,
    Paragraph,
    SectionBreak,
    SourceSpan,
    Span,
    Text,
)
from press.passage import Passage
from press.readers import sefaria_markup
from press.readers.sheetfile import MAX_FIT, Item, PassageItem, SheetSpec, TextItem
from press.textfile import read_text

LANGUAGES = {"bilingual": "both", "english": "english", "hebrew": "hebrew", "en": "english", "he": "hebrew"}
LAYOUTS = {"sideBySide": "columns", "stacked": "stacked", "": "columns"}


def load(path: Path, base: Book, reporter: Reporter, fit: int | None = None) -> tuple[Book, SheetSpec]:
    """The sheet at `path` and the Book of its sources (`base` lends its settings)."""
    data = _json(path)
    sources = data.get("sources")
    if not isinstance(data, dict) or not isinstance(sources, list) or not isinstance(data.get("title", ""), str):
        raise error("sefaria-format", "not a Sefaria source sheet: no `sources` list", path)
    chapters: list[Chapter] = []
    items: list[Item] = []
    for index, source in enumerate(sources):
        item = _item(path, index, source, chapters, reporter)
        if item is not None:
            items.append(item)
    options = data.get("options") if isinstance(data.get("options"), dict) else {}
    spec = SheetSpec(name=path.stem, items=tuple(items), path=path, title=_plain(data.get("title", "")) or path.stem,
                     subtitle=_plain(data.get("summary", "")), cite="", output=path.stem,
                     **_options(options, path, reporter), fit=_fit(fit, path))
    book = Book(title=spec.title, title_he="", author="", primary=base.primary, chapters=tuple(chapters),
                settings=base.settings)
    return book, spec


def _json(path: Path) -> Any:
    try:
        return json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise error("sefaria-format", f"not valid JSON: {exc.msg}", path, exc.lineno) from None


def _item(path: Path, index: int, source: Any, chapters: list[Chapter], reporter: Reporter) -> Item | None:
    pointer = f"sources[{index}]"
    if not isinstance(source, dict):
        raise error("sefaria-format", "a source must be an object", path, pointer=pointer)
    if "ref" in source:
        return _passage(path, pointer, source, chapters)
    if "outsideBiText" in source:
        texts = _texts(path, pointer + ".outsideBiText", source["outsideBiText"])
        return TextItem("text", en=_markdown(texts.get("en", "")), he=_markdown(texts.get("he", "")))
    for key in ("outsideText", "comment"):
        if key in source:
            text = _string(path, f"{pointer}.{key}", source[key])
            lang = dominant_lang(sefaria_markup.plain(text))
            return TextItem("text", **{lang: _markdown(text)})
    if "media" in source:
        reporter.warn("sefaria-media", f"a media item ({_plain(str(source['media']))}) cannot be printed: "
                      "left out, with a note saying so", path, pointer=pointer)
        return TextItem("note", en=_markdown(f"A media item was left out here: {source['media']}"))
    raise error("sefaria-format", "a source must hold `ref`, `outsideText`, `outsideBiText`, `comment` or `media`",
                path, pointer=pointer)


def _passage(path: Path, pointer: str, source: dict[str, Any], chapters: list[Chapter]) -> PassageItem:
    ref = _string(path, pointer + ".ref", source["ref"])
    texts = _texts(path, pointer + ".text", source.get("text", {}))
    number = len(chapters) + 1
    notes: list[Note] = []
    paragraphs: dict[str, Paragraph] = {}
    span = SourceSpan(path, 1)
    for lang in ("en", "he"):
        if texts.get(lang, "").strip():
            marked = sefaria_markup.parse(texts[lang], len(notes) + 1)
            paragraphs[lang] = Paragraph(lang, bidi.isolate(marked.runs, lang), span)  # type: ignore[arg-type]
            notes += [Note(i, lang, bidi.isolate(r, lang), span) for i, r in marked.notes.items()]  # type: ignore
    if not paragraphs:
        raise error("sefaria-format", "a source's `text` has neither `en` nor `he`", path, pointer=pointer + ".text")
    block = Block("pair", 1, paragraphs.get("en"), paragraphs.get("he"), span)
    he_ref = source.get("heRef", "") if isinstance(source.get("heRef"), str) else ""
    chapters.append(Chapter(number, "", he_ref, (block,), tuple(notes), span))  # headed by its ref
    return PassageItem(ref, (Passage(number),), 0, None, heading=ref)


def _texts(path: Path, pointer: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise error("sefaria-format", "must be an object with `en` and `he`", path, pointer=pointer)
    texts = {}
    for lang in ("en", "he"):
        found = value.get(lang, "")
        if isinstance(found, list):  # a range of verses: one string each
            found = " ".join(s for s in found if isinstance(s, str))
        texts[lang] = _string(path, f"{pointer}.{lang}", found)
    return texts


def _string(path: Path, pointer: str, value: Any) -> str:
    if not isinstance(value, str):
        raise error("sefaria-format", "must be a string", path, pointer=pointer)
    return value


def _options(options: dict[str, Any], path: Path, reporter: Reporter) -> dict[str, Any]:
    language = LANGUAGES.get(str(options.get("language", "bilingual")), "both")
    layout = LAYOUTS.get(str(options.get("layout", "")), "columns")
    if options.get("langLayout") == "heLeft":
        reporter.warn("sefaria-option", "`langLayout: heLeft` is not printed: Hebrew stands on the right",
                      path, pointer="options.langLayout")
    # A source is one block of its own, so the sheet's block numbers would all be 1: none are printed
    # (`numbered` numbers Sefaria's sources, which their refs already name).
    return {"language": language, "layout": layout, "numbers": False}


def _fit(fit: int | None, path: Path) -> int | None:
    if fit is not None and not 1 <= fit <= MAX_FIT:
        raise error("sheet", f"--fit must be a number of pages from 1 to {MAX_FIT}, not {fit}", path)
    return fit


def _plain(text: str) -> str:
    return sefaria_markup.plain(text) if isinstance(text, str) else ""


def _markdown(text: str) -> str:
    """Sefaria's HTML as the teacher's Markdown the sheet files use: emphasis kept, the rest plain text
    with every Markdown character escaped (nothing in it can become markup)."""
    return "".join(_md(run) for run in sefaria_markup.parse(text).runs).strip()


def _md(run: Inline) -> str:
    if isinstance(run, Text):
        return re.sub(r"([\\`*_{}\[\]()>#+\-.!])", r"\\\1", run.text)  # what Markdown can escape
    if isinstance(run, Emphasis):
        inner = "".join(_md(r) for r in run.children).strip()
        return f"**{inner}**" if run.strong else f"*{inner}*"
    if isinstance(run, Span):
        return "".join(_md(r) for r in run.children)
    if isinstance(run, SectionBreak):
        return " " + run.braced  # the Markdown reader's section mark
    return ""  # a note call: the teacher's text has no notes

