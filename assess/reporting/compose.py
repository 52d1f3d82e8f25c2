"""The board report composed from sections, each printed while the charts of the others are drawn.

Every major part of the report starts on a new page, so each prints as its own
document (`reports/section.html`), each as soon as the charts it shows are
exported (Chromium draws them meanwhile); the method pages, the same in every
report of a language, come from the shared cache. Each section prints its own running header. The frame
(`reports/frame.html`) then prints what spans the whole report: the cover, the
contents with page numbers, and a blank sheet per section page carrying "page X
of Y", the bookmarks and the link targets (and the running header of the cached
method pages). pikepdf lays every section page under its sheet.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import asdict, dataclass
from io import BytesIO
from typing import Any

import pikepdf

from assess.cache import content_key, shared_cache
from assess.reporting.catalogs import translations
from assess.reporting.fetcher import CHART_SCHEME
from assess.reporting.printing import Mark, Printed, PrintedPage, print_html
from assess.reporting.templates import report_environment

SECTION_TTL = 7 * 86_400


@dataclass(frozen=True, slots=True)
class Section:
    """One part of the report as a document of its own, and the charts it shows.

    `static` sections show nothing of the assessment (the method pages): printed
    without the running header (the frame adds it) once per language, and kept in
    the shared cache; the others are printed for each report (the whole report is
    cached as a PDF).
    """

    name: str
    html: str
    charts: tuple[str, ...]
    static: bool = False


def sections(context: dict[str, Any], chart_names: set[str] | Mapping[str, object]) -> list[Section]:
    """The report's sections in reading order, as HTML; charts are referenced as assess-chart:NAME."""
    env = report_environment(context["lang"])
    template = env.get_template("section.html")
    links = {name: f"{CHART_SCHEME}:{name}" for name in chart_names}

    def section(name: str, part: str, shows: tuple[str, ...] = (), static: bool = False, **extra: Any) -> Section:
        html = template.render(report=context, charts=links, part=part, running=not static,
                               **{"running_section": "", **extra})
        return Section(name, html, tuple(chart for chart in shows if chart in links), static)

    roadmap_title = translations(context["lang"]).gettext("Roadmap")  # the running header's section on later pages
    parts = [section("summary", "_glance.html"), section("standing", "_standing.html", ("roles",)),
             section("charts", "_charts.html", ("radar", "bars")),
             # the phases follow the roadmap's chart on the same page and each other: no page is left a quarter full
             section("roadmap", "_roadmap.html", ("timeline",), running_section=roadmap_title)]
    if context.get("full"):  # the appendix: the workshop agenda, every question with its answers
        if context["multi"]:
            parts.append(section("respondents", "_respondents.html", ("spread",)))
        parts += [section(f"dim-{d['id']}", "_dimension.html", d=d) for d in context["dimensions"]]
    parts.append(section("method", "_method.html", static=True))
    return parts


def frame_html(context: dict[str, Any], printed: list[Printed], headed: list[bool] | None = None) -> str:
    """The cover, the contents and one sheet per page of `printed`, with each page's marks and anchors.

    `headed` tells, per document, whether its sheets carry the running header (static sections print none).
    """
    headed = headed or [False] * len(printed)
    sheets: list[dict[str, Any]] = [{"page": page, "headed": head} for document, head in zip(printed, headed, strict=True)
                                    for page in document.pages]
    seen: set[str] = set()
    for sheet in sheets:  # an element that runs over several pages is a link target once, on its first page
        shown: PrintedPage = sheet["page"]
        sheet["page"] = PrintedPage(shown.marks, [a for a in shown.anchors if a not in seen])
        seen.update(shown.anchors)
    first_dimension = f"dim-{context['dimensions'][0]['id']}" if context["dimensions"] else None
    for sheet in sheets:  # the contents' group entry points at the first dimension's page
        page: PrintedPage = sheet["page"]
        if first_dimension in page.anchors:
            sheet["page"] = PrintedPage(page.marks, [*page.anchors, "dimensions"])
            break
    template = report_environment(context["lang"]).get_template("frame.html")
    return template.render(report=context, sheets=sheets)


def compose(frame: bytes, printed: list[Printed]) -> bytes:
    """Lay every page of `printed`, in order, under the last sheets of `frame`."""
    total = sum(len(document.pages) for document in printed)
    with pikepdf.open(BytesIO(frame)) as pdf:
        sheet = len(pdf.pages) - total
        for document in printed:
            with pikepdf.open(BytesIO(document.pdf)) as part:
                for page in part.pages:
                    pdf.pages[sheet].add_underlay(page, None)  # None: the whole page, unscaled
                    sheet += 1
        out = BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


def print_sections(parts: list[Section], charts: Mapping[str, Future[str]], fingerprint: str) -> list[Printed]:
    """Print every section, each once its charts are in (the others' are drawn meanwhile); static ones come
    from the cache."""
    results: dict[str, Printed] = {}
    waiting = [part for part in parts if not _from_cache(part, fingerprint, results)]
    while waiting:
        ready = [p for p in waiting if all(charts[c].done() for c in p.charts)]
        if not ready:
            wait([charts[c] for p in waiting for c in p.charts], return_when=FIRST_COMPLETED)
            continue
        part = ready[0]
        waiting.remove(part)
        printed = print_html(part.html, {name: charts[name].result() for name in part.charts})  # raises a failed export
        results[part.name] = printed
        if part.static:
            _store(part, fingerprint, printed)
    return [results[part.name] for part in parts]


def _from_cache(part: Section, fingerprint: str, results: dict[str, Printed]) -> bool:
    """A static section printed before: taken from the cache into `results`."""
    if part.static and (hit := _cached(part, fingerprint)) is not None:
        results[part.name] = hit
        return True
    return False


def _key(part: Section, fingerprint: str) -> str:
    return content_key("report-section", fingerprint, part.html)


def _cached(part: Section, fingerprint: str) -> Printed | None:
    data = shared_cache().get(_key(part, fingerprint))
    if data is None:
        return None
    head, _, pdf = data.partition(b"\n")
    meta = json.loads(head)
    pages = [PrintedPage([Mark(**m) for m in page["marks"]], page["anchors"]) for page in meta["pages"]]
    return Printed(pdf, pages, meta["served"], meta["refused"])


def _store(part: Section, fingerprint: str, printed: Printed) -> None:
    meta = {"pages": [asdict(page) for page in printed.pages], "served": printed.served, "refused": printed.refused}
    head = json.dumps(meta, ensure_ascii=True).encode()  # ASCII: no newline can hide in it
    shared_cache().set(_key(part, fingerprint), head + b"\n" + printed.pdf, ttl_seconds=SECTION_TTL)
