"""The board report as PDF: the report context through the templates in `reports/` and WeasyPrint.

The report's sections print one after another while Chromium exports the charts (see
compose.py and printing.py); every document is printed with the
locked-down fetcher of fetcher.py, so no text in an answer can make the renderer
read a file or call a server.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from assess.cache import shared_cache
from assess.reporting.catalogs import translations
from assess.reporting.charts import PRINT_WIDTH, charts_for, print_figure
from assess.reporting.compose import compose, frame_html, print_sections, sections
from assess.reporting.fetcher import CHART_SCHEME, ReportFetcher
from assess.reporting.printing import print_html
from assess.reporting.stored import built_once, cache_generations, cache_tags, report_key
from assess.reporting.svg import figure_svg, start_server
from assess.reporting.templates import REPORTS_DIR

CHART_WIDTH = PRINT_WIDTH
CHART_WAIT = 120.0  # seconds; covers Chromium's first start
# Charts export in the background while the sections without charts print (no thread until first use).
_exporter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chart-export")
# In the order the sections print them.
_CHART_ORDER = ("roles", "radar", "bars", "timeline", "spread")


@dataclass(slots=True)
class RenderedReport:
    pdf: bytes
    served: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def start_charts(context: dict[str, Any]) -> dict[str, Future[str]]:
    """Start exporting the web page's plotly figures of `context` as print SVGs."""
    start_server()  # in this thread, so a missing Chromium fails here and loudly
    gettext = translations(context["lang"]).gettext
    names = sorted(charts_for(context), key=lambda name: _CHART_ORDER.index(name) if name in _CHART_ORDER else 99)
    figures = {name: print_figure(name, context, gettext) for name in names}
    tags, expect = cache_tags(context), cache_generations(context)
    return {name: _exporter.submit(figure_svg, figure, CHART_WIDTH, None, tags, expect) for name, figure in figures.items()}


def chart_svgs(context: dict[str, Any]) -> dict[str, str]:
    """The web page's plotly figures of `context`, as SVG for print."""
    return {name: future.result(timeout=CHART_WAIT) for name, future in start_charts(context).items()}


def html_to_pdf(html: str, charts: Mapping[str, str]) -> RenderedReport:
    """Print one HTML document with the locked-down fetcher; `charts` are the SVGs it may reference."""
    printed = print_html(html, charts)
    return RenderedReport(printed.pdf, printed.served, printed.refused)


def render_report(context: dict[str, Any]) -> RenderedReport:
    """Render `context` to PDF and tell which URLs the renderers asked for."""
    charts = start_charts(context)
    parts = sections(context, charts)
    printed = print_sections(parts, charts, _templates_fingerprint())
    frame = print_html(frame_html(context, printed, [part.static for part in parts]), {},
                       styles=("report.css", "frame.css"), images=brand_images(context))
    every = [frame, *printed]
    return RenderedReport(compose(frame.pdf, printed),
                          [url for p in every for url in p.served], [url for p in every for url in p.refused])


def brand_images(context: Mapping[str, Any]) -> dict[str, bytes]:
    """The consultancy's logo of `context` (a PNG, see assess.services.branding), by the name the cover uses."""
    brand = context.get("brand") or {}
    return {"logo": base64.b64decode(brand["logo"])} if brand.get("logo") else {}


def pdf_key(context: Mapping[str, Any]) -> str:
    """The shared cache's key of the board report of `context`: its content and the shipped templates."""
    return report_key("report-pdf", _templates_fingerprint(), context)


def cached_pdf(context: Mapping[str, Any]) -> bytes | None:
    """The board report of `context` if some worker has printed it already."""
    return shared_cache().get(pdf_key(context))


def render_pdf(context: dict[str, Any]) -> bytes:
    """The board report of `context` as PDF bytes (rendered once per content, shared by all workers)."""
    return built_once(pdf_key(context), context, lambda: render_report(context).pdf)


@lru_cache(maxsize=1)
def _templates_fingerprint() -> str:
    """Changes whenever a shipped report template, style or font changes (a new deployment)."""
    digest = hashlib.sha256()
    for path in sorted(REPORTS_DIR.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(REPORTS_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


__all__ = ["CHART_SCHEME", "RenderedReport", "ReportFetcher", "cached_pdf", "chart_svgs", "html_to_pdf", "pdf_key",
           "render_pdf", "render_report", "start_charts"]
