"""Where the project's own files live: templates, the font cache and the colour profiles."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
TEMPLATES = PROJECT / "templates"


def profile_cache() -> Path:
    """Colour profiles the PDFs embed (press/engine/preflight.py): made or copied there once."""
    return PROJECT / ".cache" / "icc"


def font_cache() -> Path:
    """Static font instances made from the packaged variable fonts.

    `PRESS_FONT_CACHE` moves it (tests use a shared one); by default it
    sits in the project, next to `.venv/`, and `make` fills it.
    """
    return Path(os.environ.get("PRESS_FONT_CACHE", PROJECT / ".cache" / "fonts")).resolve()
