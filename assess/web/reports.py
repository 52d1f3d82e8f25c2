"""The board report as a PDF download (its data comes from `assess.services.reports`)."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, current_app, send_file
from werkzeug.wrappers import Response

from assess.web.i18n import current_language
from assess.web.results import respondent_context

bp = Blueprint("reports", __name__)


def download_name(organisation: str, date: str) -> str:
    """A file name like report-autohaus-muller-2026-11-23.pdf (ASCII, safe in any header)."""
    ascii_name = unicodedata.normalize("NFKD", organisation).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60]
    return f"report-{slug + '-' if slug else ''}{date}.pdf"


def pdf_download(context: Mapping[str, Any]) -> Response:
    """Render the report context as a PDF attachment."""
    from assess.reporting.pdf import render_pdf  # WeasyPrint and kaleido load on the first download

    pdf = render_pdf(dict(context))
    meta = context["meta"]
    current_app.logger.info("board report rendered: %d bytes", len(pdf))
    response = send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                         download_name=download_name(meta["organisation"], meta["date"]), max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/r/<token>/report.pdf")
def respondent_pdf(token: str) -> Response:
    return pdf_download(respondent_context(token, current_language()))  # 404 for an unknown token
