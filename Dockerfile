# assess: production image. Its steps mirror .ci/run (scripts/system-packages, pip install),
# so CI exercises what this image does (no Docker engine runs in CI).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ASSESS_ENV=production \
    WEB_CONCURRENCY=2 \
    PORT=8000

# Debian's Chromium renders the report charts (kaleido), pango/fonts serve WeasyPrint: the same
# packages scripts/system-packages installs for CI.
COPY scripts/system-packages /tmp/system-packages
RUN bash /tmp/system-packages \
    && apt-get install -y -qq --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/* /tmp/system-packages

WORKDIR /app
COPY pyproject.toml README.md ./
COPY assess ./assess
COPY questionnaires ./questionnaires
COPY reports ./reports
COPY examples ./examples
RUN pip install -e . \
    && useradd --create-home --uid 10001 assess \
    && mkdir -p /app/instance && chown assess:assess /app/instance

USER assess
EXPOSE 8000

# /healthz answers 200 only when the database is reachable.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\", \"8000\")}/healthz', timeout=4)"

# Configuration comes only from the environment: DATABASE_URL, SECRET_KEY (required), REDIS_URL,
# WEB_CONCURRENCY, REPORT_WORKERS (PDF helper processes per web worker; default one per core, at most
# two). The schema is brought up to date first (idempotent), then gunicorn serves.
CMD ["sh", "-c", "assess db upgrade && exec assess serve --host 0.0.0.0 --port ${PORT} --workers ${WEB_CONCURRENCY}"]
