"""`build.py serve`: a live preview of the printed pages in the browser.

The preview is not an edition: it asks the editions for their PDFs through
the registry (press/editions/__init__.py) and the book package's exported
functions, shows each page as an image made from that PDF, and rebuilds
when a source file is saved.

- `builder.py`: the builds, in one long-lived process of its own (its own
  process group, so its layout workers stop with it); it sends back each
  edition's PDF, its folios and a digest of each page's content.
- `proof.py`: after an edit that moves no page, the edited chapters' new
  pages, made before the book is joined and shown first.
- `pages.py`: what the browser is shown: the editions, their pages, the
  diagnostics of the last build; page images rendered with PDFium as they
  arrive or on first request, and kept by their content digest, so only
  changed pages are rendered again.
- `watch.py`: which saved files mean which rebuild (watchfiles).
- `server.py`: loopback HTTP (the standard library's ThreadingHTTPServer),
  a fixed set of routes, server-sent events to the open tabs.
"""
