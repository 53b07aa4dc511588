"""The book's name tree of destinations (press/engine/join.py's write_destinations), built whole:
every name is found by a reader's lookup, in any number of leaves, names outside ASCII included."""

from __future__ import annotations

import io

import pikepdf
import pytest

from press.engine.join import NAME_TREE_FAN, named_destinations, write_destinations


@pytest.mark.parametrize("count", [0, 1, NAME_TREE_FAN, NAME_TREE_FAN + 1, NAME_TREE_FAN ** 2 + 1])
def test_every_destination_is_found_by_name(count: int) -> None:
    book = pikepdf.new()
    book.add_blank_page()
    page = book.pages[0].obj
    # Names outside ASCII are UTF-16 strings, which sort after the others by their bytes.
    names = [f"chapter-1-note-{n}" if n % 5 else f"chapter-1-note-הערה{n}" for n in range(count)]
    write_destinations(book, {name: pikepdf.Array([page, pikepdf.Name.XYZ, 0, n, 0]) for n, name in enumerate(names)})
    saved = io.BytesIO()
    book.save(saved)
    reopened = pikepdf.open(io.BytesIO(saved.getvalue()))
    assert set(named_destinations(reopened)) == set(names)
    tree = pikepdf.NameTree(reopened.Root.Names.Dests)  # QPDF's lookup: a binary search over the limits
    for n, name in enumerate(names):
        assert name in tree and tree[name][3] == n
    root = reopened.Root.Names.Dests
    assert "/Limits" not in root
    assert ("/Kids" in root) == (count > NAME_TREE_FAN)
