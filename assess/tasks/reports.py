"""The board report as a background task: printed once per content, stored in the shared cache.

The task holds ids, never a respondent's secret link; the web and the API checked access before they
asked for it. The printed PDF is stored under its content key with its assessment's tag, so deleting
the assessment, respondent or organisation (or `assess purge`) deletes it too.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from flask import current_app
from sqlmodel import Session

from assess.cache import Cache, shared_cache
from assess.reporting.documents import FORMATS
from assess.reporting.svg import ChartExportError
from assess.services import reports
from assess.tasks import REPORT_SOFT_TIME_LIMIT, REPORT_TIME_LIMIT

if TYPE_CHECKING:
    from celery import Celery, Task

PRINT_REPORT = "assess.print_report"
MAX_RETRIES = 2
FAILED_KEPT = 600  # seconds a failure is shown before the next request prints again
# A printing task says so every HEARTBEAT seconds; a worker killed outright (SIGKILL, a lost machine) stops
# saying it, its "printing" expires after PRINTING_KEPT and the next request queues the report again.
HEARTBEAT = 3.0
PRINTING_KEPT = 10


def job_state_key(job: str) -> str:
    """Where a print job's state is kept: b"1" queued (the claim), b"printing", b"failed:<error>"; gone when done."""
    return f"report-job:{job}"


QUEUED_KEPT = REPORT_TIME_LIMIT * 2  # a queued job no worker took is queued again after this long


@contextmanager
def _printing(cache: Cache, state: str) -> Iterator[None]:
    """Say "printing" while the block runs, renewed every HEARTBEAT seconds; stop saying it when it ends."""
    done = threading.Event()

    def beat() -> None:
        while not done.wait(HEARTBEAT):
            cache.set(state, b"printing", ttl_seconds=PRINTING_KEPT)

    cache.set(state, b"printing", ttl_seconds=PRINTING_KEPT)
    thread = threading.Thread(target=beat, name="report-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def print_report(self: Task, kind: str, ident: int, lang: str, full: bool = False, fmt: str = "pdf") -> dict[str, Any]:
    """Print the report of a respondent or an assessment (`full`: with the appendix) as `fmt` (pdf, docx); return
    its cache key."""
    state = job_state_key(self.request.id or "")
    cache = shared_cache()
    try:
        with _printing(cache, state):
            key = _print(kind, ident, lang, full, fmt)
    except ChartExportError as error:
        if self.request.retries >= MAX_RETRIES:
            cache.set(state, f"failed:{type(error).__name__}".encode(), ttl_seconds=FAILED_KEPT)
        else:  # Celery sends it again in a moment
            cache.set(state, b"1", ttl_seconds=QUEUED_KEPT)
        raise
    except Exception as error:
        cache.set(state, f"failed:{type(error).__name__}".encode(), ttl_seconds=FAILED_KEPT)
        raise
    cache.release(state)  # done: the PDF is in the cache under its content key
    return {"key": key}


def _print(kind: str, ident: int, lang: str, full: bool, fmt: str) -> str | None:
    catalog = current_app.extensions["assess.catalog"]
    with Session(current_app.extensions["assess.engine"]) as session:
        if kind == "respondent":
            context = reports.respondent_report_by_id(session, catalog, ident, lang)
        else:
            context = reports.assessment_report_by_id(session, catalog, ident, lang)
    if context is None:  # deleted since it was asked for
        return None
    context["full"] = full
    FORMATS[fmt].render(context)
    return FORMATS[fmt].key(context)


def register(celery: Celery) -> None:
    # A chart that timed out is retried twice (a new Chromium may answer), then the task fails and says so.
    celery.task(name=PRINT_REPORT, bind=True, autoretry_for=(ChartExportError,), max_retries=MAX_RETRIES,
                retry_backoff=2, time_limit=REPORT_TIME_LIMIT, soft_time_limit=REPORT_SOFT_TIME_LIMIT)(print_report)
