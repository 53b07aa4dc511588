"""The preview's pages: digests that follow what a page paints, and the state the browser is shown."""

from __future__ import annotations

import io

import pikepdf

from press.preview.builder import BOOK, Built, Failed, Finished, Plan, Started, sheet_key
from press.preview.pages import Preview
from press.preview.pdfpages import page_infos


def pdf(*contents: bytes, font_program: bytes = b"glyphs", padding: int = 0) -> bytes:
    """Pages drawing `contents` with one font whose embedded program is `font_program`; `padding`
    unused objects first, so that every object is numbered differently."""
    document = pikepdf.new()
    for n in range(padding):
        document.make_indirect(pikepdf.Dictionary(Unused=n))
    program = pikepdf.Stream(document, font_program)
    descriptor = document.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.FontDescriptor, FontFile2=program))
    font = document.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.TrueType,
                                                     BaseFont=pikepdf.Name.Face, FontDescriptor=descriptor,
                                                     Widths=pikepdf.Array([500] * 50)))
    for content in contents:
        page = pikepdf.Page(pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, 396, 612],
                                               Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
                                               Contents=pikepdf.Stream(document, content)))
        document.pages.append(page)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


PAGE_A = b"BT /F1 12 Tf 72 500 Td (Aleph) Tj ET"
PAGE_B = b"BT /F1 12 Tf 72 500 Td (Bet) Tj ET"


def digests(data: bytes) -> list[str]:
    return [info.digest for info in page_infos(data)]


def test_a_page_is_known_by_what_it_paints() -> None:
    first = digests(pdf(PAGE_A, PAGE_B))
    assert len(set(first)) == 2
    assert digests(pdf(PAGE_A, PAGE_B.replace(b"Bet", b"Gimel")))[0] == first[0]
    assert digests(pdf(PAGE_A, PAGE_B.replace(b"Bet", b"Gimel")))[1] != first[1]
    assert page_infos(pdf(PAGE_A))[0].width == 396


def test_renumbered_objects_and_a_new_font_program_keep_the_digest() -> None:
    """The join numbers objects anew and subsets each face from the whole book each time."""
    first = digests(pdf(PAGE_A, PAGE_B))
    assert digests(pdf(PAGE_A, PAGE_B, padding=7)) == first
    assert digests(pdf(PAGE_A, PAGE_B, font_program=b"more glyphs")) == first


def built(key: str, data: bytes, labels: tuple[str, ...]) -> Built:
    return Built(key, key, data, labels, False, (), 1 if key != BOOK else None, page_infos(data))


def test_a_failed_build_keeps_the_last_good_pages() -> None:
    preview = Preview()
    book = pdf(PAGE_A, PAGE_B)
    for result in (Started(Plan(book=True)), built(BOOK, book, ("", "1")), built(sheet_key("week"), book, ("1", "2")),
                   Finished(1.0, ("x.md:3: warning [note-missing] …",), ("week",))):
        preview.apply(result)
    state = preview.snapshot()
    assert state["status"] == "ready" and state["warnings"] == ["x.md:3: warning [note-missing] …"]
    pages = state["editions"][0]["pages"]
    assert [p["label"] for p in pages] == ["", "1"]
    assert state["editions"][1]["fit"] == "needs 2 pages, but `fit` asks for 1 page"
    png = preview.image(pages[0]["src"].removeprefix("/page/").removesuffix(".png"))
    assert png is not None and png.startswith(b"\x89PNG")
    assert preview.image("0" * 32) is None

    error = "x.md:5: error [front-matter] unknown front-matter line `colour: blue`"
    for result in (Started(Plan(book=True)), Failed(None, (error,)), Finished(0.1, (), ("week",))):
        preview.apply(result)
    state = preview.snapshot()
    assert state["status"] == "failed" and state["errors"] == [error]
    assert state["editions"][0]["pages"] == pages  # the last good pages

    for result in (Started(Plan(book=True)), built(BOOK, pdf(PAGE_A, PAGE_A), ("", "1")), Finished(1.0, (), ())):
        preview.apply(result)
    state = preview.snapshot()
    assert state["status"] == "ready" and state["errors"] == [] and state["warnings"] == []
    assert [e["key"] for e in state["editions"]] == [BOOK]  # the sheet file was removed
    assert state["editions"][0]["pages"][0] == pages[0]  # the unchanged page keeps its image
    preview.close()
