"""Plotly figures as SVG, through kaleido and one persistent headless Chromium per process.

Starting Chromium costs seconds, so the first export starts kaleido's sync
server and every later one reuses it. Exports are cached by the figure's JSON:
the same chart of the same result is rendered once.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from concurrent.futures import Future
from functools import lru_cache
from typing import Any

import plotly.graph_objects as go

from assess.cache import content_key, shared_cache

INSTALL_HINT = (
    "The PDF report draws its charts with Chromium (through kaleido), and no Chromium was found. "
    "Install it with `apt-get install chromium` (Debian/Ubuntu; or run `bash scripts/system-packages`), "
    "or set BROWSER_PATH to a Chrome/Chromium executable."
)
EXPORT_TIMEOUT = 60.0  # seconds; a wedged browser must not hang a web worker for ever
_BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


class ChromiumMissingError(RuntimeError):
    """No Chrome/Chromium to render charts with."""

    def __init__(self) -> None:
        super().__init__(INSTALL_HINT)


class ChartExportError(RuntimeError):
    """Kaleido could not render a chart."""


class _Server:
    """kaleido's sync server, started once; it pairs requests and answers by order, so one call at a time."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.started = False
        self.wedged = False  # after a timeout the queue may hold a stale answer: refuse further calls

    def start(self) -> None:
        with self.lock:
            if self.started:
                return
            path = browser_path()
            if path is None:
                raise ChromiumMissingError()
            import kaleido

            # mathjax=False: kaleido would otherwise load MathJax from a CDN.
            kaleido.start_sync_server(path=path, mathjax=False, silence_warnings=True)
            self.started = True

    def svg(self, figure: dict[str, object], width: int, height: int) -> bytes:
        self.start()
        with self.lock:
            if self.wedged:
                raise ChartExportError("Chromium stopped answering earlier; restart the process")
            outcome: Future[bytes] = Future()
            threading.Thread(target=_export, args=(figure, width, height, outcome), daemon=True).start()
            try:
                return outcome.result(timeout=EXPORT_TIMEOUT)
            except TimeoutError:
                self.wedged = True
                raise ChartExportError(f"Chromium did not render a chart within {EXPORT_TIMEOUT:.0f} s") from None


def _export(figure: dict[str, object], width: int, height: int, outcome: Future[bytes]) -> None:
    import kaleido

    try:
        outcome.set_result(kaleido.calc_fig_sync(figure, opts={"format": "svg", "width": width, "height": height}))
    except BaseException as error:
        outcome.set_exception(error)


_server = _Server()


def browser_path() -> str | None:
    """The Chromium kaleido will use: $BROWSER_PATH, else the first Chrome/Chromium on PATH."""
    explicit = os.environ.get("BROWSER_PATH")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    for name in _BROWSER_NAMES:
        if found := shutil.which(name):
            return found
    return None


def start_server() -> None:
    """Start kaleido's persistent browser once per process; returns at once, Chromium boots in the background."""
    _server.start()


@lru_cache(maxsize=256)
def _svg_of_json(figure_json: str, width: int, height: int) -> str:
    # Shared between workers (Redis when REDIS_URL is set): a chart is exported once per content.
    key = content_key("chart-svg", figure_json, str(width), str(height))
    cached = shared_cache().get(key)
    if cached is not None:
        return cached.decode("utf-8")
    svg = _server.svg(json.loads(figure_json), width, height)
    shared_cache().set(key, svg, ttl_seconds=7 * 86_400)
    return svg.decode("utf-8")


def figure_svg(figure: go.Figure | dict[str, Any], width: int, height: int | None = None) -> str:
    """`figure` (a plotly Figure or its JSON dict) as an SVG document, `width` x `height` CSS pixels."""
    if isinstance(figure, dict):
        figure_json = json.dumps(figure, sort_keys=True)
        size = height or figure.get("layout", {}).get("height") or 450
    else:
        figure_json = figure.to_json()
        size = height or figure.layout.height or 450
    return _svg_of_json(figure_json, width, int(size))


def cache_clear() -> None:
    """Forget cached charts (tests, benchmarks)."""
    _svg_of_json.cache_clear()
