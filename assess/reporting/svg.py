"""Plotly figures as SVG (the PDF) or PNG (the DOCX), through kaleido and one persistent headless Chromium per process.

Starting Chromium costs seconds, so the first export starts kaleido's sync
server and every later one reuses it. Exports are cached by the figure's JSON:
the same chart of the same result is rendered once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import shutil
import signal
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assess import processes
from assess.cache import content_key, shared_cache, use_cache

if TYPE_CHECKING:
    import plotly.graph_objects as go

log = logging.getLogger(__name__)
INSTALL_HINT = (
    "The PDF report draws its charts with Chromium (through kaleido), and no Chromium was found. "
    "Install it with `apt-get install chromium` (Debian/Ubuntu; or run `bash scripts/system-packages`), "
    "or set BROWSER_PATH to a Chrome/Chromium executable."
)
PLOTLY_BUNDLE = Path(__file__).resolve().parent.parent / "web" / "static" / "vendor" / "plotly-assess.min.js"
EXPORT_TIMEOUT = 60.0  # seconds; a wedged browser must not hang a web worker for ever
NAVIGATION_TIMEOUT = 30.0  # seconds for kaleido's page to load in a new Chromium tab
_BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


class ChromiumMissingError(RuntimeError):
    """No Chrome/Chromium to render charts with."""

    def __init__(self) -> None:
        super().__init__(INSTALL_HINT)


class ChartExportError(RuntimeError):
    """Kaleido could not render a chart."""


class _Server:
    """kaleido's sync server, started once; it pairs requests and answers by order, so one call at a time.

    A chart that takes longer than EXPORT_TIMEOUT means Chromium stopped answering: its processes are
    killed and the next chart starts a new one (a stale answer must never reach the next caller)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.started = False
        self.wedged = False  # a Chromium that could not be replaced: refuse further calls

    def start(self) -> None:
        with self.lock:
            if self.started:
                return
            path = browser_path()
            if path is None:
                raise ChromiumMissingError()
            import kaleido

            _fix_kaleido_navigation()
            # mathjax=False: kaleido would otherwise load MathJax from a CDN. plotlyjs: the web
            # pages' bundle, a quarter of the full plotly.js, so Chromium starts about a second sooner.
            kaleido.start_sync_server(path=path, mathjax=False, plotlyjs=str(PLOTLY_BUNDLE), silence_warnings=True)
            self.started = True

    def svg(self, figure: dict[str, object], width: int, height: int) -> bytes:
        return self.image(figure, width, height, "svg")

    def image(self, figure: dict[str, object], width: int, height: int, fmt: str, scale: float = 1) -> bytes:
        self.start()
        with self.lock:
            if self.wedged:
                raise ChartExportError("Chromium stopped answering earlier; restart the process")
            _yield_cores()
            outcome: Future[bytes] = Future()
            threading.Thread(target=_export, args=(figure, width, height, fmt, scale, outcome), daemon=True).start()
            try:
                return outcome.result(timeout=EXPORT_TIMEOUT)
            except TimeoutError:
                self.wedged = not _abandon_browser()
                self.started = False
                raise ChartExportError(f"Chromium did not render a chart within {EXPORT_TIMEOUT:.0f} s") from None


def _chromium() -> set[int]:
    """kaleido's Chromium: this process's only children are Chromium and choreographer's wrapper around it."""
    return {pid for pid in processes.tree(os.getpid()) if "chrom" in processes.command(pid)}


def _yield_cores() -> None:
    """Chromium draws at the niceness of the process that asked (a report worker's 10), whatever it set itself.
    Only root can raise a priority, so only a process run as root has anything to undo (a few ms a chart)."""
    if os.geteuid() == 0 and os.getpriority(os.PRIO_PROCESS, 0) > 0:
        processes.share_niceness(_chromium())


def _abandon_browser() -> bool:
    """Kill kaleido's Chromium and give kaleido a new, unstarted server; False where kaleido's insides changed.

    kaleido's server is a singleton whose thread reads its queues through `self`: it gets a new instance
    (new queues), and the old thread, its browser gone, ends on the None it is sent."""
    import kaleido
    from kaleido import _sync_server

    old = getattr(kaleido, "_global_server", None)
    server_class = getattr(_sync_server, "GlobalKaleidoServer", None)
    if old is None or server_class is None or not hasattr(old, "_task_queue"):
        log.error("kaleido's server has changed; a Chromium that stopped answering cannot be replaced (see svg.py)")
        return False
    browsers = _chromium()
    for pid in browsers:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    log.warning("Chromium stopped answering; killed %d of its processes, the next chart starts a new one", len(browsers))
    old._task_queue.put(None)
    server_class._instance = None
    kaleido._global_server = server_class()
    return True


def _fix_kaleido_navigation() -> None:
    """Make kaleido (1.x) enable page events before it loads its page, not after.

    kaleido's tab navigates first and enables the Page domain afterwards; when the
    page has loaded in between, the load event is never sent and kaleido waits for
    it for ever: every chart export, and the process's exit, hang. A small
    plotly.js bundle loads fast enough to hit this often. This is kaleido's own
    method with its commands in a safe order.
    """
    try:
        from kaleido._kaleido_tab import _tab

        tab_class = _tab._KaleidoTab
        _tab._subscribe_new, _tab._raise_error, _tab._dtools  # noqa: B018  (what the fix uses)
    except (ImportError, AttributeError):  # another kaleido: its own navigation, unfixed
        log.warning("kaleido's tab class has changed; its page load is not patched (see svg.py)")
        return
    if getattr(tab_class.navigate, "assess_fixed", False):
        return

    async def load(self: Any, url: str | Path) -> None:
        page_ready = _tab._subscribe_new(self.tab, "Page.loadEventFired")
        await self._apply_headers()
        _tab._raise_error(await self.tab.send_command("Page.enable"))  # before navigating: no load event lost
        _tab._raise_error(await self.tab.send_command("Page.navigate", params={"url": url}))
        await page_ready  # about:blank's or kaleido's page: which one, the probe below tells
        contexts: list[int] = []

        async def created(event: dict[str, Any]) -> None:
            contexts.append(event.get("params", {}).get("context", {}).get("id"))

        self.tab.subscribe("Runtime.executionContextCreated", created, repeating=True)
        try:
            _tab._raise_error(await self.tab.send_command("Runtime.enable"))  # reports the contexts there are
            while True:  # until kaleido's script has run in one of them (a context exists before its scripts run)
                for context in reversed(contexts):
                    probe = await self.tab.send_command("Runtime.evaluate", params={
                        "expression": "typeof kaleido_scopes", "contextId": context, "returnByValue": True})
                    if probe.get("result", {}).get("result", {}).get("value") == "object":
                        self._current_js_id = context
                        self.js_logger.reset()
                        return
                await asyncio.sleep(0.02)
        finally:
            self.tab.unsubscribe("Runtime.executionContextCreated")

    async def navigate(self: Any, url: str | Path = "") -> None:
        await asyncio.wait_for(load(self, url), timeout=NAVIGATION_TIMEOUT)  # fail, never hang

    navigate.assess_fixed = True  # type: ignore[attr-defined]
    tab_class.navigate = navigate


def _export(figure: dict[str, object], width: int, height: int, fmt: str, scale: float, outcome: Future[bytes]) -> None:
    import kaleido

    try:
        opts = {"format": fmt, "width": width, "height": height, "scale": scale}
        outcome.set_result(kaleido.calc_fig_sync(figure, opts=opts))
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


def _svg_of_json(figure_json: str, width: int, height: int, tags: tuple[str, ...],
                 expect: tuple[int, ...] | None) -> str:
    # Shared between workers (Redis when REDIS_URL is set): a chart is exported once per content. No
    # in-process copy besides: deleting an assessment must be able to delete its charts (the tags).
    key = content_key("chart-svg", figure_json, str(width), str(height))
    cached = shared_cache().get(key)
    if cached is not None:
        return cached.decode("utf-8")
    svg = _server.svg(json.loads(figure_json), width, height)
    shared_cache().set(key, svg, ttl_seconds=7 * 86_400, tags=tags, expect=expect)
    return svg.decode("utf-8")


def figure_svg(figure: go.Figure | dict[str, Any], width: int, height: int | None = None,
               tags: tuple[str, ...] = (), expect: tuple[int, ...] | None = None) -> str:
    """`figure` (a plotly Figure or its JSON dict) as an SVG document, `width` x `height` CSS pixels.

    `tags`: what the chart shows (see assess.cache.assessment_tag), so that its cached copy can be deleted with it;
    `expect`: their generations when the data was read (a copy is kept only if no deletion came in between).
    """
    if isinstance(figure, dict):
        figure_json = json.dumps(figure, sort_keys=True)
        size = height or figure.get("layout", {}).get("height") or 450
    else:
        figure_json = figure.to_json()
        size = height or figure.layout.height or 450
    return _svg_of_json(figure_json, width, int(size), tags, expect)


def figure_png(figure: dict[str, Any], width: int, height: int | None = None, scale: float = 2,
               tags: tuple[str, ...] = (), expect: tuple[int, ...] | None = None) -> bytes:
    """`figure` as a PNG of `width` x `height` CSS pixels at `scale` (2: sharp in print), cached like the SVGs."""
    figure_json = json.dumps(figure, sort_keys=True)
    size = int(height or figure.get("layout", {}).get("height") or 450)
    key = content_key("chart-png", figure_json, str(width), str(size), str(scale))
    cached = shared_cache().get(key)
    if cached is not None:
        return cached
    png = _server.image(json.loads(figure_json), width, size, "png", scale)
    shared_cache().set(key, png, ttl_seconds=7 * 86_400, tags=tags, expect=expect)
    return png


def cache_clear() -> None:
    """Forget cached charts and reports of this process (benchmarks; a shared Redis cache is left alone)."""
    use_cache(None)
