"""The only way WeasyPrint reaches a file: templates and fonts, nothing else.

WeasyPrint's default fetcher opens any `file://` URL and follows network
redirects. Ours serves `file:` URLs that resolve inside the allowed
folders and refuses everything else, so neither a template mistake nor a
hostile source can pull another file, or the network, into a book.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from press.engine.weasyload import import_weasyprint

import_weasyprint()  # the first import of WeasyPrint in a build: without gcc runs (weasyload.py)

from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402


class ProjectFetcher(URLFetcher):
    def __init__(self, roots: tuple[Path, ...]) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False, fail_on_errors=True)
        self.roots = tuple(root.resolve() for root in roots)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        path = self.allowed_path(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    def allowed_path(self, url: str) -> Path:
        """The file `url` names, or ValueError when it is not ours to serve."""
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError(f"refused {url}: only the project's templates and fonts are served")
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots) or not path.is_file():
            raise ValueError(f"refused {url}: outside the project's templates and fonts")
        return path
