"""WeasyPrint's waiting footnotes, looked up by a set instead of a list scan.

WeasyPrint 70 keeps the footnotes not yet placed in one list per document
(`LayoutContext.footnotes`) and asks, for every descendant of every line it
lays out, `descendant.footnote in context.footnotes` (layout/block.py,
`_linebox_layout`): most descendants have no footnote, so each question scans
the whole list. A chapter's cost thus grew with lines × notes: 1,000 notes
spent a few seconds there, 10,000 (ten times the lines, ten times the list)
never finished. The list is replaced by `IndexedList`, a list that also keeps
the identities of its items, so `in` is one set lookup; the order, the
contents and every other answer are the list's own, so the pages are the
same. Boxes compare by identity (they define no `__eq__`), so identity is
what `in` meant already. `tests/test_footnote_index.py` pins the functions
whose use of the list this relies on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

_installed = False


class IndexedList(list):
    """A list whose `in` looks the item's identity up in a counter kept beside it."""

    def __init__(self, items: Iterable[Any] = ()) -> None:
        super().__init__(items)
        self._ids = Counter(map(id, self))

    def __contains__(self, item: object) -> bool:
        return id(item) in self._ids

    def append(self, item: Any) -> None:
        super().append(item)
        self._ids[id(item)] += 1

    def extend(self, items: Iterable[Any]) -> None:
        for item in items:
            self.append(item)

    def remove(self, item: Any) -> None:
        super().remove(item)  # what WeasyPrint asked for: the first equal item (a box is equal to itself only)
        self._forget(item)

    def __delitem__(self, index: Any) -> None:
        removed = self[index] if isinstance(index, slice) else [self[index]]
        super().__delitem__(index)
        for item in removed:
            self._forget(item)

    def pop(self, index: int = -1) -> Any:
        item = super().pop(index)
        self._forget(item)
        return item

    def clear(self) -> None:
        super().clear()
        self._ids.clear()

    def copy(self) -> IndexedList:
        return IndexedList(self)

    def _forget(self, item: Any) -> None:
        self._ids[id(item)] -= 1
        if not self._ids[id(item)]:
            del self._ids[id(item)]

    # Mutations WeasyPrint never makes on this list: refused, so the index cannot drift silently.
    def _refused(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("IndexedList supports append, extend, remove, del, pop, clear and copy only")

    insert = __setitem__ = __iadd__ = __imul__ = sort = reverse = _refused  # type: ignore[assignment]


def install() -> None:
    """Give every WeasyPrint LayoutContext an IndexedList of footnotes (once per process)."""
    global _installed
    if _installed:
        return
    from weasyprint.layout import LayoutContext

    original = LayoutContext.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:  # noqa: N807 - the method it wraps
        original(self, *args, **kwargs)
        self.footnotes = IndexedList(self.footnotes)

    __init__.__wrapped__ = original  # type: ignore[attr-defined]
    LayoutContext.__init__ = __init__
    _installed = True
