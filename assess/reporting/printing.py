"""Printing HTML documents with WeasyPrint, in helper processes so several print at once.

WeasyPrint lays out and draws on one core, and that is most of a report's time.
The report is split into documents that print independently (its sections), and
a small pool of helper processes prints them side by side. In a server the
helpers are spawned (the process runs threads and a Chromium), load WeasyPrint
and print a warm-up page once, and then serve every later report; until they are
warm, sections print in the calling process. `assess report` forks a single
helper before it starts any thread, and prints beside it.

REPORT_WORKERS sets the number of helpers: unset means one per core (at most two,
none on a single core); 0 prints in the calling process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Mapping
from concurrent.futures import Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from assess.reporting.fetcher import ReportFetcher
from assess.reporting.templates import REPORTS_DIR

log = logging.getLogger(__name__)
MAX_WORKERS = 2


@dataclass(slots=True)
class Mark:
    """A heading on a printed page: a bookmark of the finished PDF (level 1 also names the running header)."""

    level: int
    label: str


@dataclass(slots=True)
class PrintedPage:
    marks: list[Mark] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)  # element ids on this page (link targets)


@dataclass(slots=True)
class Printed:
    """One printed document: the PDF, what is on each page, and which URLs the renderer asked for."""

    pdf: bytes
    pages: list[PrintedPage]
    served: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


_fonts: FontConfiguration | None = None
_styles: dict[str, CSS] = {}


def _stylesheets(names: tuple[str, ...]) -> list[CSS]:
    """The report's own style sheets, parsed once per process (parsing costs more than a small section's layout)."""
    global _fonts
    if _fonts is None:
        _fonts = FontConfiguration()
    for name in names:
        if name not in _styles:
            path = REPORTS_DIR / name
            fetcher = ReportFetcher(REPORTS_DIR, {})
            _styles[name] = CSS(string=path.read_text(encoding="utf-8"), base_url=path.as_uri(),
                                url_fetcher=fetcher, font_config=_fonts)
    return [_styles[name] for name in names]


def print_html(html: str, charts: Mapping[str, str], styles: tuple[str, ...] = ("report.css",)) -> Printed:
    """Print `html` with the locked-down fetcher and the report's `styles` (files in reports/).

    `charts` are the SVGs the document may reference as assess-chart:NAME.
    """
    sheets = _stylesheets(styles)
    fetcher = ReportFetcher(REPORTS_DIR, charts)
    document = HTML(string=html, base_url=REPORTS_DIR.as_uri() + "/", url_fetcher=fetcher).render(
        stylesheets=sheets, font_config=_fonts)
    pages = [
        PrintedPage([Mark(level, label) for level, label, _, _ in page.bookmarks], list(page.anchors))
        for page in document.pages
    ]
    return Printed(document.write_pdf(), pages, fetcher.served, fetcher.refused)


def worker_count() -> int:
    """Helpers to print with: $REPORT_WORKERS, else one per core up to MAX_WORKERS (none on one core)."""
    raw = os.environ.get("REPORT_WORKERS", "").strip()
    if raw:
        try:
            return max(0, int(raw))
        except ValueError:
            raise ValueError(f"REPORT_WORKERS must be a whole number of processes, not {raw!r}") from None
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(MAX_WORKERS, cores) if cores > 1 else 0


def _warm_up() -> None:
    """In a new helper: load WeasyPrint, the fonts and the styles once, before the first report needs them."""
    print_html("<!doctype html><html><body><p>Ä</p></body></html>", {})


class _Pool:
    """The helper processes of this process: started in the background, used once they are warm.

    Until the helpers have loaded WeasyPrint (about a second of CPU each), sections
    print in the calling process: a helper that is still starting would only
    compete for the cores. If a helper dies (killed, out of memory, or a main
    module without the `if __name__ == "__main__":` guard that spawned processes
    need), this process prints in-process from then on rather than spawning again.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._warming: list[Future[object]] = []
        self._pid = 0
        self.count = 0
        self.broken = False

    def start(self, *, fork: bool = False, count: int | None = None) -> None:
        count = worker_count() if count is None else min(count, worker_count())
        if count == 0 or self.broken:
            return
        with self._lock:
            if self._executor is None or self._pid != os.getpid():
                # spawned: a fresh interpreter, safe whatever threads this process runs (a server's,
                # kaleido's); forked only by a command that has not started a thread yet
                context = multiprocessing.get_context("fork" if fork else "spawn")
                self._executor = ProcessPoolExecutor(count, mp_context=context, initializer=_warm_up)
                self._pid = os.getpid()
                self.count = count
                # one task per helper makes the pool spawn them all now; each runs _warm_up first
                self._warming = [self._executor.submit(os.getpid) for _ in range(count)]

    def ready(self) -> Executor | None:
        """The helpers, if they are started and warm; else None (print in this process)."""
        with self._lock:
            executor = self._executor
            if executor is None or self.broken or self._pid != os.getpid():
                return None
            if not all(future.done() for future in self._warming):
                return None
            if any(future.exception() is not None for future in self._warming):
                return None
            return executor

    def wait_ready(self, timeout: float = 60.0) -> bool:
        """Block until the helpers are warm (benchmarks measure warm reports); False without helpers."""
        self.start()
        with self._lock:
            warming = list(self._warming)
        if not warming:
            return False
        wait(warming, timeout=timeout)
        return self.ready() is not None

    def close(self) -> None:
        """Stop the helpers and forget that one died (tests; the next report starts new ones)."""
        with self._lock:
            executor, self._executor, self._warming, self.broken = self._executor, None, [], False
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

    def discard_current(self) -> None:
        if self._executor is not None:
            self.discard(self._executor)

    def discard(self, broken: Executor) -> None:
        with self._lock:
            if self._executor is broken:
                self._executor = None
                self.broken = True
                log.warning("a report helper process died; reports print in this process from now on")
        broken.shutdown(wait=False, cancel_futures=True)


pool = _Pool()


def start_workers() -> None:
    """Start the helpers in the background; reports use them once they are warm."""
    pool.start()


def fork_helper() -> bool:
    """For a command that prints one report: fork one helper now, while no other thread runs.

    Forking costs next to nothing, and the helper loads WeasyPrint while this
    process reads the answers and starts Chromium; it then prints half of the
    sections. In a process that already runs threads (a test runner, say) a fork
    could inherit a held lock, so nothing is forked and the report prints here.
    """
    if threading.active_count() != 1:
        return False
    pool.start(fork=True, count=1)
    return pool.count == 1


def helper_slots() -> int:
    """How many sections the warm helpers take at once (0: none are warm)."""
    return 0 if pool.ready() is None else pool.count


def submit(html: str, charts: Mapping[str, str]) -> Future[Printed] | None:
    """Hand a section's `html` to a warm helper; None when there is none (print it here)."""
    executor = pool.ready()
    if executor is None:
        return None
    try:
        return executor.submit(print_html, html, dict(charts))
    except BrokenProcessPool:
        pool.discard(executor)
        return None


__all__ = ["Mark", "Printed", "PrintedPage", "fork_helper", "helper_slots", "pool", "print_html", "start_workers",
           "submit", "worker_count"]
