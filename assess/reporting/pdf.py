"""The board report as PDF: the report context through `reports/report.html` and WeasyPrint.

Locked down: the document's base URL is inside `reports/`, and the URL fetcher
serves only files under `reports/` and the charts made for this report. Any
other URL (file:// elsewhere, http(s), data:, ftp) is refused and recorded,
so no text in an answer can make the renderer read a file or call a server.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from assess.cache import content_key, shared_cache
from assess.reporting.charts import CHARTS, Figure, charts_for
from assess.reporting.svg import figure_svg, start_server
from assess.reporting.templates import REPORTS_DIR, report_environment, translations

CHART_SCHEME = "assess-chart"
CHART_WIDTH = 660  # CSS px: the A4 text width, so chart text prints at about the body size
PRINT_FONT_SIZE = 11
CHART_WAIT = 120.0  # seconds; covers Chromium's first start
# Charts export in the background while WeasyPrint parses and styles the document (no thread until first use).
_exporter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chart-export")


class ReportFetcher(URLFetcher):
    """Serve only files under `root` and this report's charts; refuse and record anything else."""

    def __init__(self, root: Path, charts: Mapping[str, str | Future[str]]) -> None:
        super().__init__(timeout=1, allowed_protocols=("file", CHART_SCHEME), allow_redirects=False)
        self.root = root.resolve()
        self.charts = dict(charts)
        self.served: list[str] = []
        self.refused: list[str] = []

    def _refuse(self, url: str) -> ValueError:
        self.refused.append(url)
        return ValueError(f"the report may only use its own assets; refused {url[:200]!r}")

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == CHART_SCHEME and parts.path in self.charts:
            self.served.append(url)
            chart = self.charts[parts.path]
            image = chart if isinstance(chart, str) else chart.result(timeout=CHART_WAIT)
            return URLFetcherResponse(url, image.encode(), {"Content-Type": "image/svg+xml"})
        if parts.scheme != "file" or parts.netloc not in ("", "localhost") or parts.query:
            raise self._refuse(url)
        path = Path(url2pathname(unquote(parts.path))).resolve()  # resolves symlinks and ".." too
        if not path.is_relative_to(self.root) or not path.is_file():
            raise self._refuse(url)
        self.served.append(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type})


@dataclass(slots=True)
class RenderedReport:
    pdf: bytes
    served: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def _print_style(figure: Figure) -> Figure:
    """Print tweaks on the web figure: the page width, smaller type, a white polar background."""
    layout = dict(figure["layout"])
    layout["font"] = {**layout.get("font", {}), "size": PRINT_FONT_SIZE}
    layout["width"] = CHART_WIDTH
    if "polar" in layout:
        layout["polar"] = {**layout["polar"], "bgcolor": "white"}
    return {**figure, "layout": layout}


def start_charts(context: dict[str, Any]) -> dict[str, Future[str]]:
    """Start exporting the web page's plotly figures of `context` as print SVGs."""
    start_server()  # in this thread, so a missing Chromium fails here and loudly
    gettext = translations(context["lang"]).gettext
    figures = {name: _print_style(CHARTS[name](context, gettext)) for name in charts_for(context)}
    return {name: _exporter.submit(figure_svg, figure, CHART_WIDTH) for name, figure in figures.items()}


def chart_svgs(context: dict[str, Any]) -> dict[str, str]:
    """The web page's plotly figures of `context`, as SVG for print."""
    return {name: future.result(timeout=CHART_WAIT) for name, future in start_charts(context).items()}


def render_html(context: dict[str, Any], charts: Mapping[str, object]) -> str:
    """The report as print HTML (chart images referenced as assess-chart:NAME)."""
    template = report_environment(context["lang"]).get_template("report.html")
    return template.render(report=context, charts={name: f"{CHART_SCHEME}:{name}" for name in charts})


def html_to_pdf(html: str, charts: Mapping[str, str | Future[str]]) -> RenderedReport:
    """Print `html` with the locked-down fetcher; `charts` are the SVGs it may reference."""
    fetcher = ReportFetcher(REPORTS_DIR, charts)
    document = HTML(string=html, base_url=REPORTS_DIR.as_uri() + "/", url_fetcher=fetcher)
    pdf = document.write_pdf()
    for chart in charts.values():
        if isinstance(chart, Future):
            chart.result(timeout=CHART_WAIT)  # WeasyPrint only logs a failed image; a report without a chart is an error
    return RenderedReport(pdf, fetcher.served, fetcher.refused)


def render_report(context: dict[str, Any]) -> RenderedReport:
    """Render `context` to PDF and tell which URLs the renderer asked for."""
    charts = start_charts(context)
    return html_to_pdf(render_html(context, charts), charts)


def render_pdf(context: dict[str, Any]) -> bytes:
    """The board report of `context` as PDF bytes (rendered once per content, shared by all workers)."""
    key = content_key("report-pdf", _templates_fingerprint(), json.dumps(context, sort_keys=True, default=str))
    cached = shared_cache().get(key)
    if cached is not None:
        return cached
    pdf = render_report(context).pdf
    shared_cache().set(key, pdf, ttl_seconds=86_400)
    return pdf


@lru_cache(maxsize=1)
def _templates_fingerprint() -> str:
    """Changes whenever a shipped report template, style or font changes (a new deployment)."""
    digest = hashlib.sha256()
    for path in sorted(REPORTS_DIR.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(REPORTS_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()
