"""The Celery app `assess worker` runs: `celery -A assess.tasks.worker:celery worker`."""

import logging
from typing import Any

from celery.signals import worker_process_init

from assess import create_app
from assess.cache import RedisCache, use_cache
from assess.tasks import celery_of

for _noisy in ("weasyprint", "fontTools"):  # a line per page and font at INFO: keep the worker's log readable
    logging.getLogger(_noisy).setLevel(logging.WARNING)

app = create_app()
celery = celery_of(app)
# A worker stores reports that took seconds to print, 0.1–1 MB each: a write that timed out after the web's
# 0.5 s would throw the print away, release the job and make the next request print it again.
WORKER_CACHE_TIMEOUT = 5.0
if app.config.get("REDIS_URL"):
    use_cache(RedisCache(app.config["REDIS_URL"], timeout=WORKER_CACHE_TIMEOUT))
# create_app checked the schema over a pooled connection; the pool's processes are forked from this one, and
# two processes talking over one inherited socket corrupt each other's queries ("connection in transaction
# status INTRANS", "server closed the connection"). The main process needs no connection: close it here.
app.extensions["assess.engine"].dispose()


@worker_process_init.connect
def _own_connections(**_kwargs: Any) -> None:
    """A forked pool process opens connections of its own, never one its parent holds (SQLAlchemy's rule for fork)."""
    app.extensions["assess.engine"].dispose(close=False)
