# assess: production image, in two stages. Its steps mirror scripts/check-wheel and .ci/run (build
# the wheel, install it with constraints.txt, serve and print from the installed package), so CI
# exercises what this image does (no Docker engine runs in CI).

# --- build: the dependencies' wheels (a layer that changes only with pyproject.toml or constraints.txt),
# then the app's wheel (questionnaires, report templates and examples inside) ---
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /src/runtime.txt \
    && pip wheel --wheel-dir /wheels -r /src/runtime.txt -c constraints.txt \
    && cp /src/runtime.txt /wheels/runtime.txt
COPY README.md ./
COPY assess ./assess
COPY questionnaires ./questionnaires
COPY reports ./reports
COPY examples ./examples
RUN pip wheel --no-deps --wheel-dir /dist .

# --- runtime: Chromium and fonts for the report, the pinned dependencies, the wheel; no test tools ---
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

# The dependencies first, in a layer of their own (unchanged unless their wheels are), then the app.
COPY --from=build /wheels /wheels
RUN pip install --no-index --find-links /wheels -r /wheels/runtime.txt && rm -rf /wheels
COPY --from=build /dist /dist
RUN pip install --no-deps /dist/*.whl && pip check && rm -rf /dist \
    && useradd --create-home --uid 10001 assess

USER assess
WORKDIR /home/assess
EXPOSE 8000

# /healthz answers 200 only when the database is reachable.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\", \"8000\")}/healthz', timeout=4)"

# Configuration comes only from the environment: DATABASE_URL, SECRET_KEY (required), REDIS_URL,
# WEB_CONCURRENCY, WORKER_CONCURRENCY, ASSESS_REQUEST_TIMEOUT. Migrations run once, as their own
# one-off container (`assess db upgrade`, see compose.yaml), not on every start of a web container.
CMD ["sh", "-c", "exec assess serve --host 0.0.0.0 --port ${PORT} --workers ${WEB_CONCURRENCY}"]
