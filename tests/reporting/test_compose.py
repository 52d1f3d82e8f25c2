"""The report printed in sections and composed under one frame."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pypdf import PdfReader

from assess.reporting import compose
from assess.reporting.pdf import render_report
from assess.reporting.printing import Printed
from tests.reporting.conftest import Pdf


def _sections_printed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every section printed."""
    printed: list[str] = []
    here = compose.print_html

    def print_here(html: str, charts: dict[str, str], *args: Any, **kwargs: Any) -> Printed:
        printed.append(html)
        return here(html, charts, *args, **kwargs)

    monkeypatch.setattr(compose, "print_html", print_here)
    return printed


def test_the_method_pages_are_printed_once(monkeypatch: pytest.MonkeyPatch, single_context: dict[str, Any],
                                           multi_context: dict[str, Any]) -> None:
    from assess.cache import MemoryCache, use_cache

    use_cache(MemoryCache())
    try:
        printed = _sections_printed(monkeypatch)
        render_report({**single_context, "full": True, "meta": {**single_context["meta"], "organisation": "Erste GmbH"}})
        assert sum('class="method"' in html for html in printed) == 1
        printed.clear()
        render_report({**single_context, "full": True, "meta": {**single_context["meta"], "organisation": "Zweite GmbH"}})
        assert not any('class="method"' in html for html in printed)
        assert sum('class="dimension"' in html for html in printed) == len(single_context["dimensions"])
        render_report({**multi_context, "full": True})  # another language: its own method pages
        assert sum('class="method"' in html for html in printed) == 1
    finally:
        use_cache(None)


def test_bookmarks_and_contents_lead_to_the_same_pages(single_pdf: Pdf, single_context: dict[str, Any]) -> None:
    reader: PdfReader = single_pdf.reader
    outline = {item.title: reader.get_destination_page_number(item) + 1
               for item in reader.outline if not isinstance(item, list)}
    for title in [d["title"] for d in single_context["dimensions"]] + ["Roadmap", "Methode und Glossar"]:
        assert outline[title] == single_pdf.section_page(title), title
    phases = [item for group in reader.outline if isinstance(group, list) for item in group
              if not isinstance(item, list) and item.title.startswith("Phase ")]
    assert len(phases) == len(single_context["roadmap"]["phases"])


def test_every_section_page_lies_under_its_own_sheet(single_pdf: Pdf) -> None:
    reader: PdfReader = single_pdf.reader
    drawn = []
    for page in reader.pages:
        xobjects = page["/Resources"].get_object().get("/XObject", {})
        names = re.findall(rb"/([^\s/]+)\s+Do\b", page.get_contents().get_data())
        forms = [xobjects[f"/{n.decode()}"].get_object() for n in names]
        drawn.append([form.indirect_reference for form in forms if form.get("/Subtype") == "/Form"])
    assert drawn[0] == drawn[1] == []  # cover and contents are the frame's own
    assert all(len(forms) == 1 for forms in drawn[2:])
    assert len({forms[0].idnum for forms in drawn[2:]}) == len(drawn) - 2  # a different section page on each
