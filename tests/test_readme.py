"""The README's pictures exist: each image it shows is a PNG in the repository (made by
`make readme-images` or, for the preview's screenshot, by bench/preview.py)."""

from __future__ import annotations

import re

from conftest import PROJECT

PNG = b"\x89PNG\r\n\x1a\n"


def test_every_image_the_readme_shows_is_in_the_repository() -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]+\]\(([^)\s]+)\)", readme)
    assert len(images) >= 10, images  # the title pages, a spread of each layout, the preview
    for image in images:
        path = PROJECT / image
        assert path.is_file(), f"README shows {image}, which is not in the repository"
        assert path.read_bytes()[:8] == PNG, f"{image} is not a PNG"
