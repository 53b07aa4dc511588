"""The layout engine: what more than one edition lays out, stamps or packs with.

WeasyPrint and its safe setting (pdf.py, fetcher.py), the Jinja templates
(render.py), the fonts and their subsets (fonts.py, webfonts.py,
font_programs.py), the Hebrew text layer of every PDF (pdftext/), the
build cache and the worker pool (buildcache.py, pool.py), joining laid-out
pieces and stamping their folios (join.py, folio_stamps.py), PDF/A and
PDF/X options (finish.py), the page trace (pagetrace.py) and progress
lines (progress.py).

The engine knows the model and nothing of any edition: no module here
imports press.editions or press.readers (tests/test_architecture.py).
"""
