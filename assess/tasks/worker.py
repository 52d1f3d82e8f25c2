"""The Celery app `assess worker` runs: `celery -A assess.tasks.worker:celery worker`."""

import logging

from assess import create_app
from assess.tasks import celery_of

for _noisy in ("weasyprint", "fontTools"):  # a line per page and font at INFO: keep the worker's log readable
    logging.getLogger(_noisy).setLevel(logging.WARNING)

app = create_app()
celery = celery_of(app)
