"""Printing HTML documents with WeasyPrint, in the calling process.

Reports print in the process that asks (a Celery worker's, `assess report`'s, or without Redis the
web worker's); running several at once is the worker pool's job. Helper processes that printed a
report's sections side by side saved 0.1–0.25 s of a 1–1.4 s report on two cores, left orphans
behind a killed web worker, and are gone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from assess.reporting.fetcher import ReportFetcher
from assess.reporting.templates import REPORTS_DIR


@dataclass(slots=True)
class Mark:
    """A heading on a printed page: a bookmark of the finished PDF (level 1 also names the running header)."""

    level: int
    label: str


@dataclass(slots=True)
class PrintedPage:
    marks: list[Mark] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)  # element ids on this page (link targets)


@dataclass(slots=True)
class Printed:
    """One printed document: the PDF, what is on each page, and which URLs the renderer asked for."""

    pdf: bytes
    pages: list[PrintedPage]
    served: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


_fonts: FontConfiguration | None = None
_styles: dict[str, CSS] = {}


def _stylesheets(names: tuple[str, ...]) -> list[CSS]:
    """The report's own style sheets, parsed once per process (parsing costs more than a small section's layout)."""
    global _fonts
    if _fonts is None:
        _fonts = FontConfiguration()
    for name in names:
        if name not in _styles:
            path = REPORTS_DIR / name
            fetcher = ReportFetcher(REPORTS_DIR, {})
            _styles[name] = CSS(string=path.read_text(encoding="utf-8"), base_url=path.as_uri(),
                                url_fetcher=fetcher, font_config=_fonts)
    return [_styles[name] for name in names]


def print_html(html: str, charts: Mapping[str, str], styles: tuple[str, ...] = ("report.css",),
               images: Mapping[str, bytes] | None = None) -> Printed:
    """Print `html` with the locked-down fetcher and the report's `styles` (files in reports/).

    `charts` are the SVGs the document may reference as assess-chart:NAME, `images` the PNGs as assess-image:NAME.
    """
    sheets = _stylesheets(styles)
    fetcher = ReportFetcher(REPORTS_DIR, charts, images)
    document = HTML(string=html, base_url=REPORTS_DIR.as_uri() + "/", url_fetcher=fetcher).render(
        stylesheets=sheets, font_config=_fonts)
    pages = [
        PrintedPage([Mark(level, label) for level, label, _, _ in page.bookmarks], list(page.anchors))
        for page in document.pages
    ]
    return Printed(document.write_pdf(), pages, fetcher.served, fetcher.refused)


__all__ = ["Mark", "Printed", "PrintedPage", "print_html"]
