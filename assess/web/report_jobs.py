"""A board report for a download: from the shared cache, or printed by a worker while the page waits.

With Redis (and `assess worker`) a report that is not printed yet becomes one background task per
content, however many ask for it at once; the caller shows its state (queued, printing, failed) and
asks again. Without Redis it is printed right here, as a task run in this process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from flask import current_app

from assess.cache import shared_cache
from assess.reporting.pdf import cached_pdf, pdf_key
from assess.tasks import REPORT_TIME_LIMIT, celery_of
from assess.tasks.reports import PRINT_REPORT

State = Literal["queued", "printing", "failed"]


@dataclass(frozen=True, slots=True)
class Waiting:
    """The report is not ready: its state, and for a failure what went wrong."""

    state: State
    error: str = ""


def report_pdf(context: dict[str, Any], kind: Literal["respondent", "assessment"], ident: int, lang: str, *,
               retry: bool = False) -> bytes | Waiting:
    """The PDF of `context` (the report the caller may see), or the state of its print job.

    `retry`: a failed job is asked for again.
    """
    found = cached_pdf(context)
    if found is not None:
        return found
    celery = celery_of(current_app)
    task = celery.tasks[PRINT_REPORT]
    if celery.conf.task_always_eager:  # the embedded default: no worker, print here
        task.apply((kind, ident, lang))
        found = cached_pdf(context)
        if found is not None:
            return found
        from assess.reporting.pdf import render_pdf  # not storable (a deletion meanwhile): print for this request

        return render_pdf(context)
    job = "report-" + pdf_key(context).split(":", 1)[1][:48]
    result = celery.AsyncResult(job)
    state = result.state
    if state == "SUCCESS":
        stored = (result.result or {}).get("key")
        pdf = shared_cache().get(stored) if isinstance(stored, str) else None
        if pdf is not None:
            return pdf
        state = "PENDING"  # printed, but gone from the cache since (or the data changed): print again
        _forget(result, job)
    elif state == "FAILURE":
        if not retry:
            return Waiting("failed", type(result.result).__name__)
        _forget(result, job)
        state = "PENDING"
    if state in ("STARTED", "RETRY"):
        return Waiting("printing")
    if shared_cache().claim("claim:" + job, REPORT_TIME_LIMIT * 2):  # one job per content, across all web workers
        task.apply_async((kind, ident, lang), task_id=job)
    return Waiting("queued")


def _forget(result: Any, job: str) -> None:
    result.forget()
    shared_cache().release("claim:" + job)
