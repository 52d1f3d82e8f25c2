"""The board report as a background task: printed once per content, stored in the shared cache.

The task holds ids, never a respondent's secret link; the web and the API checked access before they
asked for it. The printed PDF is stored under its content key with its assessment's tag, so deleting
the assessment, respondent or organisation (or `assess purge`) deletes it too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import current_app
from sqlmodel import Session

from assess.reporting.pdf import pdf_key, render_pdf
from assess.reporting.svg import ChartExportError
from assess.services import reports

if TYPE_CHECKING:
    from celery import Celery

PRINT_REPORT = "assess.print_report"


def print_report(kind: str, ident: int, lang: str) -> dict[str, Any]:
    """Print the report of a respondent or an assessment; return its key in the shared cache."""
    catalog = current_app.extensions["assess.catalog"]
    with Session(current_app.extensions["assess.engine"]) as session:
        if kind == "respondent":
            context = reports.respondent_report_by_id(session, catalog, ident, lang)
        else:
            context = reports.assessment_report_by_id(session, catalog, ident, lang)
    if context is None:  # deleted since it was asked for
        return {"key": None}
    pdf = render_pdf(context)
    return {"key": pdf_key(context), "bytes": len(pdf)}


def register(celery: Celery) -> None:
    from assess.tasks import REPORT_SOFT_TIME_LIMIT, REPORT_TIME_LIMIT

    # A chart that timed out is retried twice (a new Chromium may answer), then the task fails and says so.
    celery.task(name=PRINT_REPORT, autoretry_for=(ChartExportError,), max_retries=2, retry_backoff=2,
                time_limit=REPORT_TIME_LIMIT, soft_time_limit=REPORT_SOFT_TIME_LIMIT)(print_report)
