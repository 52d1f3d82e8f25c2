"""The printed report's layout, read back from the PDF's word boxes (pdfplumber): nothing outside the text box,
no two words on top of each other (header cells, chart labels), no page left nearly empty inside a section."""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from typing import Any

import pdfplumber
import pytest

from tests.reporting.conftest import Pdf

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM
LEFT = RIGHT = 18 * MM  # reports/report.css @page margins
TOP, BOTTOM = 24 * MM, 20 * MM
SLACK = 1.0  # pt: rounding in the PDF's coordinates


@dataclass
class Page:
    number: int
    words: list[dict[str, Any]]  # in the text box (the running header and footer left out)
    margin_words: list[dict[str, Any]]
    starts_section: bool  # its first line is a part's title (a level-1 heading)


def _pages(pdf: Pdf) -> list[Page]:
    pages = []
    with pdfplumber.open(io.BytesIO(pdf.data)) as document:
        for number, page in enumerate(document.pages, start=1):
            words = page.extract_words(extra_attrs=["size"], keep_blank_chars=False, use_text_flow=False)
            body = [w for w in words if w["top"] >= TOP - SLACK and w["bottom"] <= PAGE_H - BOTTOM + SLACK]
            margin = [w for w in words if w not in body]
            first = min(body, key=lambda w: (round(w["top"]), w["x0"])) if body else None
            pages.append(Page(number, body, margin, first is not None and first["size"] >= 16))
    return pages


REPORTS = ["short_single_pdf", "short_multi_pdf", "single_pdf", "multi_pdf"]


@pytest.fixture(params=REPORTS)
def report(request: pytest.FixtureRequest) -> list[Page]:
    return _pages(request.getfixturevalue(request.param))


def test_no_word_leaves_the_text_box(report: list[Page]) -> None:
    for page in report[1:]:  # the cover has its own geometry
        for word in page.words:
            assert word["x0"] >= LEFT - SLACK and word["x1"] <= PAGE_W - RIGHT + SLACK, (page.number, word["text"])
        for word in page.margin_words:  # the running header and footer stay inside the page
            assert word["x0"] > 0 and word["x1"] < PAGE_W and word["top"] > 0 and word["bottom"] < PAGE_H


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> float:
    """The area two word boxes share, in pt²."""
    width = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
    height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return max(0.0, width) * max(0.0, height)


def test_no_two_words_are_printed_on_top_of_each_other(report: list[Page]) -> None:
    """Catches header cells running into each other, a legend over an axis title, a value on a label."""
    for page in report:
        words = sorted(page.words + page.margin_words, key=lambda w: w["top"])
        for i, word in enumerate(words):
            for other in words[i + 1:]:
                if other["top"] > word["bottom"]:
                    break
                shared = _overlap(word, other)
                smaller = min((w["x1"] - w["x0"]) * (w["bottom"] - w["top"]) for w in (word, other))
                assert shared <= 0.02 * smaller, (page.number, word["text"], other["text"])


def test_no_page_inside_a_section_is_less_than_a_quarter_full(report: list[Page]) -> None:
    """A page may be short where a part ends (the next page starts a new one, or the report ends), never in between."""
    box = PAGE_H - TOP - BOTTOM
    for page, following in itertools.pairwise(report[1:]):
        if following.starts_section:
            continue
        filled = (max(w["bottom"] for w in page.words) - TOP) / box if page.words else 0
        assert filled >= 0.25, (page.number, f"{filled:.0%}")


def test_every_link_target_is_defined_once(multi_context: dict[str, Any], caplog: pytest.LogCaptureFixture) -> None:
    """A part that runs over several pages (a phase, a dimension) is one bookmark and one link target."""
    from assess.reporting.pdf import render_report

    with caplog.at_level("WARNING", logger="weasyprint"):
        render_report({**multi_context, "full": True})
    assert not [r.getMessage() for r in caplog.records if "defined twice" in r.getMessage()]
