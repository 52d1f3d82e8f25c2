"""Downloads: an export as an attachment, and one respondent's board report as PDF (data from
`assess.services.reports`, formats from `assess.services.exports`)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any, Literal

from flask import Blueprint, current_app, jsonify, render_template, request, send_file, url_for
from werkzeug.wrappers import Response

from assess.reporting.documents import FORMATS
from assess.services.assessments import respondent_by_token
from assess.services.exports import Exported, report_file_name
from assess.web.database import db
from assess.web.i18n import current_language
from assess.web.report_jobs import Waiting, report_file
from assess.web.results import respondent_context

bp = Blueprint("reports", __name__)


def attachment(exported: Exported) -> Response:
    """An export as a download that no cache keeps (it shows client data)."""
    response = send_file(io.BytesIO(exported.body), mimetype=exported.mimetype, as_attachment=True,
                         download_name=exported.file_name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


REFRESH_SECONDS = 2


def _report_attachment(context: Mapping[str, Any], data: bytes, fmt: str) -> Response:
    meta = context["meta"]
    current_app.logger.info("board report delivered: %s, %d bytes", fmt, len(data))
    return attachment(Exported(data, FORMATS[fmt].mimetype, report_file_name(meta["organisation"], meta["date"], fmt)))


def printed_report(context: dict[str, Any], kind: Literal["respondent", "assessment"], ident: int, lang: str, *,
                   back_url: str, fmt: str = "pdf") -> Response | tuple[str, int, dict[str, str]]:
    """The report as a download (`fmt`: pdf, docx) once it is built; until then a page that says how far it is
    and asks again.

    `?full=1` asks for the full report (with the appendix) instead of the board's short one."""
    full = request.args.get("full") == "1"
    context = {**context, "full": full}
    found = report_file(context, kind, ident, lang, fmt=fmt, retry=request.args.get("retry") == "1")
    if request.args.get("state") == "1":  # the waiting page's script asks how far it is, without the file
        answer = jsonify({"state": found.state if isinstance(found, Waiting) else "ready"})
        answer.headers["Cache-Control"] = "no-store"
        return answer
    if not isinstance(found, Waiting):
        return _report_attachment(context, found, fmt)
    pdf_url = request.base_url + ("?full=1" if full else "")
    more = "&" if full else "?"
    html = render_template("results/printing.html", waiting=found, fmt=fmt, refresh=REFRESH_SECONDS, pdf_url=pdf_url,
                           state_url=f"{pdf_url}{more}state=1", retry_url=f"{pdf_url}{more}retry=1", back_url=back_url)
    status = 503 if found.state == "failed" else 202
    return html, status, {"Retry-After": str(REFRESH_SECONDS), "Cache-Control": "no-store"}


@bp.get("/r/<token>/report.<any(pdf, docx):fmt>")
def respondent_report(token: str, fmt: str) -> Response | tuple[str, int, dict[str, str]]:
    lang = current_language()
    context = respondent_context(token, lang)  # 404 for an unknown token
    respondent = respondent_by_token(db(), token)
    assert respondent is not None and respondent.id is not None
    return printed_report(context, "respondent", respondent.id, context["lang"], fmt=fmt,
                          back_url=url_for("results.respondent", token=token))
