"""The report's file formats: the board's PDF and the editable DOCX, both from one report context.

Each is built once per content and kept in the shared cache under its own key; the worker task,
the web downloads, the API and `assess report` look a format up here by name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from assess.reporting import pdf, word


@dataclass(frozen=True, slots=True)
class ReportFormat:
    name: str  # the file extension and the URL's suffix (report.pdf, report.docx)
    mimetype: str
    key: Callable[[Mapping[str, Any]], str]  # the shared cache's key of a context's file
    render: Callable[[dict[str, Any]], bytes]  # built (or taken from the cache) and stored


FORMATS: dict[str, ReportFormat] = {
    "pdf": ReportFormat("pdf", "application/pdf", pdf.pdf_key, pdf.render_pdf),
    "docx": ReportFormat("docx", word.MIMETYPE, word.docx_key, word.render_docx),
}


def cached(context: Mapping[str, Any], fmt: str) -> bytes | None:
    """The report of `context` as `fmt` if some worker has built it already."""
    from assess.cache import shared_cache

    return shared_cache().get(FORMATS[fmt].key(context))
