"""Background work on Celery, as the Flask documentation sets it up: each task runs inside the app.

With REDIS_URL set, Redis is the broker and the result backend and `assess worker` runs the tasks;
without it (the embedded default) a task runs in the process that asks for it, so `scripts/run`
needs nothing else. One Celery app per Flask app (`app.extensions`), made on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Flask

if TYPE_CHECKING:
    from celery import Celery

# A report's task: at most this long (Chromium's first start included), then it fails and says so.
REPORT_TIME_LIMIT = 150
REPORT_SOFT_TIME_LIMIT = 120
MAX_TASKS_PER_CHILD = 50  # a worker process is replaced after this many tasks: nothing piles up in it
# A task whose worker died unacknowledged goes back to the queue after this long (Redis' visibility timeout).
REDELIVER_AFTER = 300


def celery_of(app: Flask) -> Celery:
    """The app's Celery (made once per app, with its tasks registered on it, never as module globals)."""
    found: Celery | None = app.extensions.get("assess.celery")
    if found is None:
        found = app.extensions["assess.celery"] = _make(app)
    return found


def _make(app: Flask) -> Celery:
    from celery import Celery, Task

    class AppTask(Task):  # type: ignore[misc,unused-ignore]  # Task is untyped in some celery releases
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return self.run(*args, **kwargs)

    url = app.config.get("REDIS_URL")
    celery = Celery(app.import_name, task_cls=AppTask, set_as_current=False)
    celery.conf.update(
        broker_url=url or "memory://",
        result_backend=url,
        task_always_eager=not url,  # the embedded default: run where asked
        task_eager_propagates=True,
        task_acks_late=True,  # a task is acknowledged when done: a worker killed mid-task does not lose it
        task_reject_on_worker_lost=True,
        task_track_started=True,
        worker_prefetch_multiplier=1,
        worker_max_tasks_per_child=MAX_TASKS_PER_CHILD,
        broker_transport_options={"visibility_timeout": REDELIVER_AFTER},
        result_expires=3600,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
    )
    from assess.tasks import reports

    reports.register(celery)
    return celery
