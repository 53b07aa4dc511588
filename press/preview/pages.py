"""What the browser is shown: each edition's pages, the build's state and its diagnostics.

A page is known by the digest of what it paints (pdfpages.py), and its
image URL is that digest: after a rebuild an unchanged page keeps its URL,
so neither the server nor the browser makes it again, and only a page
whose digest is new is rendered (with PDFium, when the browser first asks
for it). A failed build changes nothing but the diagnostics: the last
good pages stay. A proof (an edited chapter's pages before the book is
joined: proof.py) replaces those pages until the book comes, and is
taken back if the book's build fails.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from press.preview.builder import BOOK, Built, Failed, Finished, Started, sheet_key
from press.preview.pdfpages import Rasterizer
from press.preview.proof import Proof

# Warnings listed in the page; the terminal has them all (a long book may have thousands).
WARNINGS_SHOWN = 40
IMAGES_KEPT = 4000  # page images in memory (about 60 kB each), the least recently asked dropped first
# New pages made before the browser asks (it asks once it has drawn the new state): a proof's, a
# sheet's, the first of a book's.
WARM_PAGES = 16
RENDER_WAIT = 30.0  # seconds a request waits for the page another is making


@dataclass(frozen=True, slots=True)
class Page:
    digest: str
    label: str  # the folio as printed, "" for none
    width: float  # points
    height: float


@dataclass(frozen=True, slots=True)
class Edition:
    key: str
    kind: str  # "book" or "sheet"
    title: str
    pages: tuple[Page, ...]
    right_bound: bool
    warnings: tuple[str, ...]
    fit: int | None
    errors: tuple[str, ...] = ()  # the last build of it failed: these pages are the last good ones

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "kind": self.kind, "title": self.title, "direction": "rtl" if self.right_bound
                else "ltr", "errors": list(self.errors), "fit": self.fit_text,
                "fits": self.fits, "pages": [{"src": f"/page/{p.digest}.png", "label": p.label, "number": n,
                                             "width": p.width, "height": p.height}
                                            for n, p in enumerate(self.pages, 1)]}

    @property
    def fits(self) -> bool | None:
        return None if self.fit is None else len(self.pages) <= self.fit

    @property
    def fit_text(self) -> str:
        """A sheet's fit, as the build's sheet-fit warning says it."""
        count = len(self.pages)
        pages = f"{count} page" + ("" if count == 1 else "s")
        if self.kind != "sheet":
            return ""
        if self.fit is None:
            return f"{pages} (no `fit`: as many as it needs)"
        wanted = f"{self.fit} page" + ("" if self.fit == 1 else "s")
        return f"fits its {wanted}" if self.fits else f"needs {pages}, but `fit` asks for {wanted}"


class Preview:
    """The state every open tab is shown, changed by the build results; thread-safe."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self.version = 0
        self.status = "starting"  # starting, building, ready, failed
        self.message = "first build"
        self.errors: tuple[str, ...] = ()  # the book could not be read
        self._read_failed = False
        self.warnings: tuple[str, ...] = ()
        self.editions: dict[str, Edition] = {}
        self._pages: dict[str, tuple[Rasterizer, int]] = {}  # digest -> where to render it from
        self._rasterizers: dict[str, Rasterizer] = {}
        self._proofs: dict[str, tuple[Edition, list[Rasterizer]]] = {}  # key -> the edition before, the proofs
        self._images: OrderedDict[str, bytes] = OrderedDict()
        self._images_lock = threading.Lock()
        self._making: dict[str, threading.Event] = {}  # digest -> set when its image is made

    def apply(self, result: Started | Proof | Built | Failed | Finished) -> None:
        with self._changed:
            if isinstance(result, Started):
                self.status, self.message = "building", f"building: {result.plan.reason or 'everything'}"
                self._read_failed = False
            elif isinstance(result, Proof):
                self._proof(result)
                self._warm(info.digest for info in result.infos)
            elif isinstance(result, Built):
                self._built(result)
                self._warm(info.digest for info in result.infos)
            elif isinstance(result, Failed):
                self._failed(result)
            else:
                self._finished(result)
            self.version += 1
            self._changed.notify_all()

    def _built(self, result: Built) -> None:
        rasterizer = Rasterizer(result.pdf)
        old = self._rasterizers.pop(result.key, None)
        self._rasterizers[result.key] = rasterizer
        pages = tuple(Page(info.digest, label, info.width, info.height)
                      for info, label in zip(result.infos, result.labels, strict=True))
        for index, page in enumerate(pages):
            self._pages[page.digest] = (rasterizer, index)
        live = {p.digest for e in self.editions.values() if e.key != result.key for p in e.pages}
        live |= {p.digest for p in pages}
        self._pages = {d: where for d, where in self._pages.items() if d in live}
        kind = "book" if result.key == BOOK else "sheet"
        self.editions[result.key] = Edition(result.key, kind, result.title, pages, result.right_bound,
                                            result.warnings, result.fit)
        if old is not None:
            old.close()
        self._drop_proofs(result.key)

    def _warm(self, digests: Any) -> None:
        """Make the first WARM_PAGES new images in a thread of their own, while the tabs draw."""
        with self._images_lock:
            new = [d for d in dict.fromkeys(digests) if d not in self._images and d not in self._making]
        if new:
            threading.Thread(target=lambda: [self.image(d) for d in new[:WARM_PAGES]], daemon=True,
                             name="press-preview-warm").start()

    def _proof(self, result: Proof) -> None:
        """The proof's pages in place of the edition's, until the edition itself comes."""
        edition = self.editions.get(result.key)
        if edition is None or not result.indices or max(result.indices) >= len(edition.pages):
            return
        rasterizer = Rasterizer(result.pdf)
        _, proofs = self._proofs.setdefault(result.key, (edition, []))
        proofs.append(rasterizer)
        pages = list(edition.pages)
        for local, (index, info, label) in enumerate(zip(result.indices, result.infos, result.labels, strict=True)):
            pages[index] = Page(info.digest, label, info.width, info.height)
            self._pages[info.digest] = (rasterizer, local)
        self.editions[result.key] = Edition(edition.key, edition.kind, edition.title, tuple(pages),
                                            edition.right_bound, edition.warnings, edition.fit, edition.errors)
        self.message = f"{self.message}; the new pages shown, joining the rest"

    def _drop_proofs(self, key: str) -> None:
        """The proofs of `key` closed, their pages forgotten unless the edition's own PDF has them."""
        _, proofs = self._proofs.pop(key, (None, []))
        for rasterizer in proofs:
            self._pages = {d: where for d, where in self._pages.items() if where[0] is not rasterizer}
            rasterizer.close()

    def _failed(self, result: Failed) -> None:
        if result.key is None:
            self.errors, self._read_failed = result.errors, True
            return
        if result.key in self._proofs:  # the last good pages are those of before the proof
            self.editions[result.key] = self._proofs[result.key][0]
            self._drop_proofs(result.key)
        if result.key in self.editions:
            edition = self.editions[result.key]
            self.editions[result.key] = Edition(edition.key, edition.kind, edition.title, edition.pages,
                                                edition.right_bound, edition.warnings, edition.fit, result.errors)
        else:
            kind = "book" if result.key == BOOK else "sheet"
            self.editions[result.key] = Edition(result.key, kind, result.key.partition(":")[2] or "book", (),
                                                False, (), None, result.errors)

    def _finished(self, result: Finished) -> None:
        if not self._read_failed:  # the book was read: its errors are gone, its warnings are these
            self.errors, self.warnings = (), result.warnings
        known = {BOOK, *(sheet_key(name) for name in result.sheets)}
        for key in [k for k in self.editions if k not in known]:
            del self.editions[key]  # a sheet file removed
            rasterizer = self._rasterizers.pop(key, None)
            if rasterizer is not None:
                self._pages = {d: w for d, w in self._pages.items() if w[0] is not rasterizer}
                rasterizer.close()
        failed = self.errors or any(e.errors for e in self.editions.values())
        self.status = "failed" if failed else "ready"
        self.message = f"built in {result.seconds:.1f} s" if not failed else "the last build failed"

    def stopped(self, message: str) -> None:
        """The builder is gone: said in the page; the last pages stay."""
        with self._changed:
            self.status, self.message, self.errors = "failed", message, (message,)
            self.version += 1
            self._changed.notify_all()

    def snapshot(self) -> dict[str, Any]:
        with self._changed:
            return self._snapshot()

    def _snapshot(self) -> dict[str, Any]:
        order = sorted(self.editions.values(), key=lambda e: (e.kind != "book", e.key))
        return {"version": self.version, "status": self.status, "message": self.message,
                "errors": list(self.errors), **_warnings(self.warnings, *(e.warnings for e in order)),
                "editions": [e.as_json() for e in order]}

    def wait(self, version: int, timeout: float) -> dict[str, Any] | None:
        """The state once it is newer than `version`, or None after `timeout` seconds."""
        with self._changed:
            if self._changed.wait_for(lambda: self.version > version, timeout):
                return self._snapshot()
            return None

    def image(self, digest: str) -> bytes | None:
        """The PNG of the page with this digest: made on first request (or ahead of it: `_warm`), then
        kept. A request for a page being made waits for it rather than making it twice."""
        with self._images_lock:
            if digest in self._images:
                self._images.move_to_end(digest)
                return self._images[digest]
            making = self._making.get(digest)
            if making is None:
                self._making[digest] = threading.Event()
        if making is not None:
            making.wait(RENDER_WAIT)
            with self._images_lock:
                return self._images.get(digest)
        try:
            return self._render(digest)
        finally:
            with self._images_lock:
                self._making.pop(digest).set()

    def _render(self, digest: str) -> bytes | None:
        png = None
        for _ in range(2):  # a rebuild may close the PDF it was to come from: then from the new one
            with self._changed:
                where = self._pages.get(digest)
            if where is None:
                return None
            if (png := where[0].png(where[1])) is not None:
                break
        if png is None:
            return None
        with self._images_lock:
            self._images[digest] = png
            while len(self._images) > IMAGES_KEPT:
                self._images.popitem(last=False)
        return png

    def close(self) -> None:
        with self._changed:
            for rasterizer in self._rasterizers.values():
                rasterizer.close()
            self._rasterizers.clear()
            for key in list(self._proofs):
                self._drop_proofs(key)
            self._pages.clear()


def _warnings(*groups: tuple[str, ...]) -> dict[str, Any]:
    every = [line for group in groups for line in group]
    return {"warnings": every[:WARNINGS_SHOWN], "more_warnings": max(0, len(every) - WARNINGS_SHOWN)}
