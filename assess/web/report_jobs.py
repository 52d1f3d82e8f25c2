"""A board report for a download: from the shared cache, or printed by a worker while the page waits.

With Redis (and `assess worker`) a report that is not printed yet becomes one background task per
content, however many ask for it at once; the caller shows its state (queued, printing, failed) and
asks again. The state lives next to the PDF in the shared cache, written by the task itself
(assess.tasks.reports), so asking costs two cache reads. Without Redis it is printed right here, as
a task run in this process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from flask import current_app

from assess.cache import shared_cache
from assess.reporting.documents import FORMATS, cached
from assess.tasks import celery_of
from assess.tasks.reports import PRINT_REPORT, QUEUED_KEPT, job_state_key

State = Literal["queued", "printing", "failed"]


@dataclass(frozen=True, slots=True)
class Waiting:
    """The report is not ready: its state, and for a failure what went wrong."""

    state: State
    error: str = ""
    sent: bool = False  # this request queued the job (otherwise it looked at one queued or printing before)


def report_file(context: dict[str, Any], kind: Literal["respondent", "assessment"], ident: int, lang: str, *,
                fmt: str = "pdf", retry: bool = False) -> bytes | Waiting:
    """The report of `context` (the one the caller may see) as `fmt` (pdf, docx), or the state of its job.

    `retry`: a failed job is asked for again.
    """
    found = cached(context, fmt)
    if found is not None:
        return found
    celery = celery_of(current_app)
    task = celery.tasks[PRINT_REPORT]
    if celery.conf.task_always_eager:  # the embedded default: no worker, print here
        task.apply((kind, ident, lang, bool(context.get("full")), fmt))
        found = cached(context, fmt)
        if found is not None:
            return found
        return FORMATS[fmt].render(context)  # not storable (a deletion meanwhile): built for this request
    job = f"report-{fmt}-" + FORMATS[fmt].key(context).split(":", 1)[1][:48]
    state_key = job_state_key(job)
    state = shared_cache().get(state_key)
    if state is not None and state.startswith(b"failed"):
        if not retry:
            return Waiting("failed", state.partition(b":")[2].decode(errors="replace"))
        shared_cache().release(state_key)
        state = None
    if state == b"printing":
        return Waiting("printing")
    if state is None and shared_cache().claim(state_key, QUEUED_KEPT):  # one job per content, all workers
        # A job may have stored the PDF and released its state between our first look and the claim.
        found = cached(context, fmt)
        if found is not None:
            shared_cache().release(state_key)
            return found
        task.apply_async((kind, ident, lang, bool(context.get("full")), fmt), task_id=job)
        return Waiting("queued", sent=True)
    return Waiting("queued")
