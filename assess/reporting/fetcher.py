"""The only way the report's renderer reaches anything: files the report ships, and this report's charts.

The document's base URL is inside `reports/`, and the fetcher serves only files
under `reports/` and the charts made for this report. Any other URL (file://
elsewhere, http(s), data:, ftp) is refused and recorded, so no text in an answer
can make the renderer read a file or call a server.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

CHART_SCHEME = "assess-chart"
IMAGE_SCHEME = "assess-image"  # a PNG the report was given (a consultancy's logo), by name


class ReportFetcher(URLFetcher):
    """Serve only files under `root`, this report's charts (SVG text by name) and its images (PNG bytes by name);
    refuse and record anything else."""

    def __init__(self, root: Path, charts: Mapping[str, str], images: Mapping[str, bytes] | None = None) -> None:
        super().__init__(timeout=1, allowed_protocols=("file", CHART_SCHEME, IMAGE_SCHEME), allow_redirects=False)
        self.root = root.resolve()
        self.charts = dict(charts)
        self.images = dict(images or {})
        self.served: list[str] = []
        self.refused: list[str] = []

    def _refuse(self, url: str) -> ValueError:
        self.refused.append(url)
        return ValueError(f"the report may only use its own assets; refused {url[:200]!r}")

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == CHART_SCHEME and parts.path in self.charts:
            self.served.append(url)
            return URLFetcherResponse(url, self.charts[parts.path].encode(), {"Content-Type": "image/svg+xml"})
        if parts.scheme == IMAGE_SCHEME and parts.path in self.images:
            self.served.append(url)
            return URLFetcherResponse(url, self.images[parts.path], {"Content-Type": "image/png"})
        if parts.scheme != "file" or parts.netloc not in ("", "localhost") or parts.query:
            raise self._refuse(url)
        path = Path(url2pathname(unquote(parts.path))).resolve()  # resolves symlinks and ".." too
        if not path.is_relative_to(self.root) or not path.is_file():
            raise self._refuse(url)
        self.served.append(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})
