"""WeasyPrint's waiting footnotes found by a set (press/engine/footnote_index.py): same list, same pages."""

from __future__ import annotations

import hashlib
import inspect

import pytest

from press.engine.footnote_index import IndexedList, install

# sha256 of every WeasyPrint function that uses LayoutContext.footnotes (append, remove, `in`,
# copy, truthiness, reassignment): IndexedList answers each as a list would. A change to any of
# them must be read before updating this pin.
PINNED = {
    "weasyprint.layout.block._linebox_layout": "e07bbe000974787ee370be1f419a01a21b327a1a1e3025a65afd47589060883d",
    "weasyprint.layout.layout_document": "a5cbf437e99caf7293e7ed2289278048bca734f7ead2e947b4e24e4a3a536dbc",
    "weasyprint.layout.LayoutContext.layout_footnote":
        "5075f64aaae4a32d2ad552f8cc2e73e0bb833b79f9d586d7e23ab041b5fe83bd",
    "weasyprint.layout.LayoutContext.unlayout_footnote":
        "c7c223cf4a0fda5451c7da9f5a95603c21dda3f8286000c989b942ca71d58bfc",
    "weasyprint.layout.page.make_page": "656f183328e8b1b56311a342621442056c067422958dcaf6730acdfb6c7b8971",
    "weasyprint.formatting_structure.build.element_to_box":
        "2d0a37e45b7f3e0cd83ed341842860df538fe113c67ab083d482764970849a95",
}


def _source_hash(dotted: str) -> str:
    import importlib

    parts = dotted.split(".")
    for split in range(len(parts) - 1, 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for name in parts[split:]:
            target = getattr(target, name)
        return hashlib.sha256(inspect.getsource(inspect.unwrap(target)).encode()).hexdigest()
    raise AssertionError(dotted)


def test_weasyprint_uses_the_footnote_list_as_pinned() -> None:
    changed = sorted(name for name, digest in PINNED.items() if _source_hash(name) != digest)
    assert not changed, f"WeasyPrint's use of LayoutContext.footnotes changed: {changed}; re-check IndexedList"


class Box:  # like WeasyPrint's boxes: no __eq__, equal to itself only
    pass


def test_indexed_list_answers_as_a_list() -> None:
    a, b, c = Box(), Box(), Box()
    items = IndexedList([a, b])
    assert a in items and b in items and c not in items and None not in items
    items.append(c)
    items.remove(a)
    assert list(items) == [b, c] and a not in items and c in items
    copied = items.copy()
    assert isinstance(copied, IndexedList) and list(copied) == [b, c]
    copied.remove(b)
    assert b in items and b not in copied  # the copy has its own index
    items.append(b)  # twice: in until both are gone
    items.remove(b)
    assert b in items and list(items) == [c, b]
    assert items.pop() is b and b not in items
    del items[0]
    assert not items and c not in items
    with pytest.raises(ValueError):
        items.remove(a)
    with pytest.raises(TypeError):
        items.insert(0, a)


def test_every_layout_gets_an_indexed_list_and_footnotes_still_print() -> None:
    from weasyprint import HTML
    from weasyprint.layout import LayoutContext

    install()
    install()  # once only
    assert inspect.unwrap(LayoutContext.__init__) is not LayoutContext.__init__
    html = "".join(f"<p>Call {n}<span style='float: footnote'>Note {n}</span></p>" for n in range(1, 40))
    document = HTML(string=f"<style>@page {{ size: A6 }}</style>{html}").render()
    from press.engine.pagetrace import _texts, _Where  # the page's text boxes, as the tracer reads them

    texts = [text for page in document.pages for _, text in _texts(page._page_box, _Where(), frozenset())]
    assert all(f"Note {n}" in texts for n in range(1, 40))
