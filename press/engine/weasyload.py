"""Importing WeasyPrint without running a compiler to find its libraries.

WeasyPrint opens GObject, Pango, HarfBuzz, fontconfig and PangoFT2 through
cffi, trying several names for each (`libpango-1.0-0`, `pango-1.0-0`,
`pango-1.0`, `libpango-1.0.so.0`, ...). For a name without a dot cffi asks
ctypes.util.find_library, which on Linux, when ldconfig's cache has no
library of that name, runs gcc and then ld to look for one: 17 runs for
the names WeasyPrint 66 tries, about 0.2 s of every process that imports it
(0.25 s of a 0.75 s import, measured on the benchmark machine). A name with
a dot is opened by the dynamic loader directly, which finds a library as
any program does (its cache, LD_LIBRARY_PATH). So WeasyPrint is first
imported with find_library answering "none" to every name: each library is
then opened by its versioned file name (`libpango-1.0.so.0`). Should that
fail (a system where the libraries have other names), the import is made
again the usual way; WeasyPrint's message about the failed attempt is
swallowed.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import importlib
import io
import sys


def import_weasyprint() -> None:
    """Import WeasyPrint, its libraries opened by their file names if that works, else as usual."""
    if "weasyprint" in sys.modules:
        return
    original = ctypes.util.find_library
    ctypes.util.find_library = _none
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # WeasyPrint prints why a library failed
            importlib.import_module("weasyprint")
    except Exception:
        for name in [name for name in sys.modules if name == "weasyprint" or name.startswith("weasyprint.")]:
            del sys.modules[name]
        ctypes.util.find_library = original
        importlib.import_module("weasyprint")
    finally:
        ctypes.util.find_library = original


def _none(name: str) -> None:
    return None
