"""Where the project's own files live: templates and the font cache."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
TEMPLATES = PROJECT / "templates"


def font_cache() -> Path:
    """Static font instances made from the packaged variable fonts.

    `PRESS_FONT_CACHE` moves it (tests use a shared one); by default it
    sits in the project, next to `.venv/`, and `make` fills it.
    """
    return Path(os.environ.get("PRESS_FONT_CACHE", PROJECT / ".cache" / "fonts")).resolve()
