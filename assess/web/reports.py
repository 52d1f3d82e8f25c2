"""Downloads: an export as an attachment, and one respondent's board report as PDF (data from
`assess.services.reports`, formats from `assess.services.exports`)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, current_app, send_file
from werkzeug.wrappers import Response

from assess.services.exports import Exported, report_file_name
from assess.web.i18n import current_language
from assess.web.results import respondent_context

bp = Blueprint("reports", __name__)


def attachment(exported: Exported) -> Response:
    """An export as a download that no cache keeps (it shows client data)."""
    response = send_file(io.BytesIO(exported.body), mimetype=exported.mimetype, as_attachment=True,
                         download_name=exported.file_name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def pdf_download(context: Mapping[str, Any]) -> Response:
    """Render the report context as a PDF attachment."""
    from assess.reporting.pdf import render_pdf  # WeasyPrint and kaleido load on the first download

    pdf = render_pdf(dict(context))
    meta = context["meta"]
    current_app.logger.info("board report rendered: %d bytes", len(pdf))
    return attachment(Exported(pdf, "application/pdf", report_file_name(meta["organisation"], meta["date"])))


@bp.get("/r/<token>/report.pdf")
def respondent_pdf(token: str) -> Response:
    return pdf_download(respondent_context(token, current_language()))  # 404 for an unknown token
