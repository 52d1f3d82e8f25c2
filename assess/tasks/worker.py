"""The Celery app `assess worker` runs: `celery -A assess.tasks.worker:celery worker`."""

import logging
from typing import Any

from celery.signals import worker_process_init

from assess import create_app
from assess.tasks import celery_of

for _noisy in ("weasyprint", "fontTools"):  # a line per page and font at INFO: keep the worker's log readable
    logging.getLogger(_noisy).setLevel(logging.WARNING)

app = create_app()
celery = celery_of(app)
# create_app checked the schema over a pooled connection; the pool's processes are forked from this one, and
# two processes talking over one inherited socket corrupt each other's queries ("connection in transaction
# status INTRANS", "server closed the connection"). The main process needs no connection: close it here.
app.extensions["assess.engine"].dispose()


@worker_process_init.connect
def _own_connections(**_kwargs: Any) -> None:
    """A forked pool process opens connections of its own, never one its parent holds (SQLAlchemy's rule for fork)."""
    app.extensions["assess.engine"].dispose(close=False)
