"""Hebrew that copies out of our PDFs: two text channels per right-to-left line.

PDF readers rebuild text from glyph codes, and WeasyPrint 70 maps each
glyph to the characters of the first cluster it drew (a letter keeps the
points it first came with), so pointed Hebrew copies out garbled. The three
engines that matter read text differently
(../shared/research/pdf-hebrew-text.md, /work/notes/pdfjs-findings.md):

- PDFium (Chrome, Edge) reads the glyphs: it wants them in visual order,
  each point before its letter, every code mapped to its own characters,
  no rightward moves inside a TJ (a move reads as a space), and no comma
  or digit just before a point (it would read them as one run: an RLM
  blank parts them);
- poppler (pdftotext, most Linux viewers) cannot rebuild points from
  glyphs at all, but honours `/ActualText` on a `/Span`; it then reorders
  each line by the page's direction (more Latin or more Hebrew letters), so
  the text is given in the order that this turns back into reading order
  (plan.poppler_order), which is known once the page is painted;
- pdf.js (Firefox) ignores ActualText and reads the glyphs too, as one
  right-to-left run per text item, reversed whole; it counts no width for a
  point, skips a glyph whose text ends in a format character, starts a new
  item when a letter is drawn a fifth of an em left of where the last one
  ended, and makes spaces from gaps rather than from space glyphs. So the
  points' widths are chosen for it (plan._widths), and blanks reading as a
  word joiner keep it on the pen and keep the spaces at a box's edges.

So every right-to-left text box WeasyPrint draws is written here instead:

    /Span <</ActualText (text)>> BDC            poppler's channel
      /P <</ActualText ()>> BDC                 empty: PDFium reads the glyphs
        [codes with leftward moves only] TJ     PDFium's and pdf.js's channel
      EMC
    EMC
    /Span <</ActualText <FEFF0000>>> BDC ... EMC  each raised point, ignored by all three

The glyphs are painted where WeasyPrint paints them (to 1/1000 em); only
the codes, their widths and the marked content differ. Left-to-right boxes
are left entirely to WeasyPrint.

The one entry point is `write_pdf`, used by press.engine.pdf for every
PDF. It wraps `weasyprint.draw.text.draw_first_line` (and `Page.paint`, for
a record of each page's letters) while writing; the
wrapper refuses to install on any WeasyPrint but the version it was
written against (tests/test_pdftext.py pins its behaviour too).
"""

from __future__ import annotations

from press.engine.pdftext.hook import SUPPORTED_WEASYPRINT, write_pdf

__all__ = ["SUPPORTED_WEASYPRINT", "write_pdf"]
