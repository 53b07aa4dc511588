"""The preview's proof: an edited chapter's pages before book.pdf is joined (press/preview/proof.py).

The proof must be the book's own pages: the same pixels as the same pages
rendered from the finished book.pdf, with the same folios, for folios
stamped from samples and for folios laid out (Hebrew ones, a facing
layout), with crop marks.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pikepdf
import pypdfium2
import pytest

from press.preview.builder import BOOK, Built, Failed, Kept, Plan, build
from press.preview.pages import Preview
from press.preview.pdfpages import SCALE, page_infos
from press.preview.proof import Proof

PROJECT = Path(__file__).resolve().parent.parent


def bitmaps(pdf: bytes, indices: tuple[int, ...] | range) -> list[bytes]:
    """The pages' pixels, rendered as the preview renders them."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        out = []
        for index in indices:
            page = document[index]
            out.append(bytes(page.render(scale=SCALE, may_draw_forms=False).buffer))
            page.close()
        return out
    finally:
        document.close()


def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, table: str = "") -> Path:
    monkeypatch.setenv("PRESS_BUILD_CACHE", str(tmp_path / "cache"))
    source = tmp_path / "source"
    shutil.copytree(PROJECT / "source", source)
    toml = source / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[print]\n", f"[print]\n{table}"), encoding="utf-8")
    return source


def book_results(source: Path, scratch: Path, kept: Kept) -> list:
    return [r for r in build(Plan(book=True), source, scratch, kept) if isinstance(r, Proof | Built | Failed)]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert re.search(rf"\b{old}\b", text)
    path.write_text(re.sub(rf"\b{old}\b", new, text, count=1), encoding="utf-8")


@pytest.mark.parametrize("table", ["", 'folio = "hebrew"\nlayout = "facing"\nmarks = true\n'],
                         ids=["stamped folios", "hebrew folios, facing, crop marks"])
def test_a_proof_is_the_books_pages_pixel_for_pixel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    table: str) -> None:
    source = sample(tmp_path, monkeypatch, table)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    kept = Kept()
    [first] = book_results(source, scratch, kept)
    assert isinstance(first, Built) and len(first.labels) == len(first.infos)

    edit(source / "02-avot-1.txt", "the", "thy")
    proof, book = book_results(source, scratch, kept)
    assert isinstance(proof, Proof) and isinstance(book, Built), (proof, book)
    assert proof.key == BOOK
    with pikepdf.open(io.BytesIO(proof.pdf)) as proof_pdf, pikepdf.open(io.BytesIO(book.pdf)) as book_pdf:
        assert len(proof_pdf.pages) == len(proof.indices)
        assert [list(p.mediabox) for p in proof_pdf.pages] == [list(book_pdf.pages[i].mediabox) for i in proof.indices]
    # The second chapter's pages: the last of the book, each with its folio as printed.
    assert proof.indices == tuple(range(len(book.infos) - len(proof.indices), len(book.infos)))
    assert proof.labels == tuple(book.labels[i] for i in proof.indices) and all(proof.labels)
    assert bitmaps(proof.pdf, range(len(proof.indices))) == bitmaps(book.pdf, proof.indices)
    # The edit shows, and the browser keeps the proof's images: the book's pages have their digests.
    assert bitmaps(proof.pdf, [0]) != bitmaps(first.pdf, [proof.indices[0]])
    assert [book.infos[i].digest for i in proof.indices] == [info.digest for info in proof.infos]
    assert [info.digest for info in book.infos[:proof.indices[0]]] == [
        info.digest for info in first.infos[:proof.indices[0]]]

    edit(source / "02-avot-1.txt", "thy", "the")  # back: the chapter is in the build cache
    proof_back, back = book_results(source, scratch, kept)
    assert isinstance(proof_back, Proof) and isinstance(back, Built)
    assert bitmaps(proof_back.pdf, range(len(proof_back.indices))) == bitmaps(first.pdf, proof_back.indices)
    assert bitmaps(back.pdf, range(len(back.infos))) == bitmaps(first.pdf, range(len(first.infos)))


def test_no_proof_when_the_pages_move_or_the_book_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = sample(tmp_path, monkeypatch)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    kept = Kept()
    [first] = book_results(source, scratch, kept)
    chapter = source / "01-psalm-121.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text + "\n\nA new paragraph at the end of the psalm's chapter. " * 40, encoding="utf-8")
    [longer] = book_results(source, scratch, kept)  # more pages: the second chapter moves
    assert isinstance(longer, Built) and len(longer.infos) > len(first.infos)
    toml = source / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[print]\n", '[print]\nfolio = "hebrew"\n'),
                    encoding="utf-8")
    [hebrew] = book_results(source, scratch, kept)  # book.toml: every folio
    assert isinstance(hebrew, Built) and hebrew.labels != longer.labels


def test_a_proof_stands_in_the_preview_until_the_book_comes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = sample(tmp_path, monkeypatch)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    kept, preview = Kept(), Preview()
    for result in build(Plan(book=True), source, scratch, kept):
        preview.apply(result)
    before = preview.snapshot()["editions"][0]["pages"]
    edit(source / "02-avot-1.txt", "the", "thy")
    results = [r for r in build(Plan(book=True), source, scratch, kept)]
    proof = next(r for r in results if isinstance(r, Proof))
    for result in results[:results.index(proof) + 1]:
        preview.apply(result)
    state = preview.snapshot()
    assert state["status"] == "building"
    shown = state["editions"][0]["pages"]
    changed = [n for n, (was, now) in enumerate(zip(before, shown, strict=True)) if was["src"] != now["src"]]
    assert changed and set(changed) <= set(proof.indices)
    png = preview.image(shown[changed[0]]["src"][6:-4])
    assert png is not None and png.startswith(b"\x89PNG")

    preview.apply(Failed(BOOK, ("x.md:1: error [x] the join failed",)))  # the pages of before come back
    assert [p["src"] for p in preview.snapshot()["editions"][0]["pages"]] == [p["src"] for p in before]
    preview.apply(proof)
    for result in results[results.index(proof) + 1:]:
        preview.apply(result)
    state = preview.snapshot()
    assert state["status"] == "ready" and [p["src"] for p in state["editions"][0]["pages"]] == [p["src"] for p in shown]
    assert all(preview.image(p["src"][6:-4]) is not None for p in state["editions"][0]["pages"])
    assert page_infos(proof.pdf)  # still a PDF the preview can read
    preview.close()


def test_a_proofs_failed_check_is_the_books_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A character no font draws: the edited chapter's check fails as book.pdf's would, and nothing is
    laid out or joined."""
    source = sample(tmp_path, monkeypatch)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    kept = Kept()
    book_results(source, scratch, kept)
    edit(source / "02-avot-1.txt", "the", "\u0915")
    [failed] = book_results(source, scratch, kept)
    assert isinstance(failed, Failed) and failed.key == BOOK
    assert "error [font-coverage] U+0915 DEVANAGARI LETTER KA" in failed.errors[0], failed.errors
