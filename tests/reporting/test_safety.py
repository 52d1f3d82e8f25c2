"""Respondent text is text: no markup, no file or network access from inside a report."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

import pytest

from assess.catalog import Catalog
from assess.reporting.compose import frame_html, sections
from assess.reporting.pdf import ReportFetcher, html_to_pdf, render_report
from assess.reporting.templates import REPORTS_DIR
from assess.services.answer_files import read_answer_file
from tests.reporting.conftest import EXAMPLES, context_of, read_pdf

MALICIOUS = (
    '<img src="file:///etc/passwd"> <script>alert(1)</script> '
    '<link rel="stylesheet" href="http://127.0.0.1:9/x.css"> <b>bold</b> ]]> {{ 7*7 }}'
)


@pytest.fixture(scope="module")
def malicious_context(catalog: Catalog) -> dict[str, Any]:
    parsed = read_answer_file(str(EXAMPLES / "strong-channels-weak-processes.json"), catalog)
    response = parsed.responses[0]
    first = next(iter(response.answers))
    answers = {**response.answers, first: dataclasses.replace(response.answers[first], comment=MALICIOUS)}
    parsed = dataclasses.replace(parsed, organisation='Evil <img src="http://127.0.0.1:9/o.png"> "GmbH" </style>',
                                 responses=(dataclasses.replace(response, answers=answers),))
    return {**context_of(parsed, "en", title="<script>document.write(1)</script>"), "full": True}  # every text


def test_malicious_comment_is_printed_as_text_and_nothing_is_fetched(malicious_context: dict[str, Any]) -> None:
    rendered = render_report(malicious_context)
    assert rendered.refused == []  # nothing even asked for a foreign URL
    assert all(url.startswith((REPORTS_DIR.as_uri() + "/", "assess-chart:")) for url in rendered.served)
    text = read_pdf(rendered.pdf).text
    assert '<img src="file:///etc/passwd">' in text
    assert "<script>alert(1)</script>" in text
    assert 'href="http://127.0.0.1:9/x.css"' in text
    assert "<b>bold</b>" in text and "{{ 7*7 }}" in text
    assert 'Evil <img src="http://127.0.0.1:9/o.png"> "GmbH" </style>' in text  # cover and running header
    assert "root:x:0:0" not in text


def test_html_escapes_every_respondent_text(malicious_context: dict[str, Any]) -> None:
    documents = [part.html for part in sections(malicious_context, {"radar", "bars", "timeline"})]
    documents.append(frame_html(malicious_context, []))
    for html in documents:
        assert "<img src=\"file" not in html and "<script>alert" not in html and "<b>bold" not in html
        assert "<img src=\"http" not in html and "<script>document" not in html
    assert any("&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html for html in documents)  # the comment is there
    frame_style = documents[-1].split("</head>")[0].split("<style>")[1]
    assert "</style>" not in frame_style.replace("</style>", "", 1)


def test_fetcher_refuses_files_outside_reports_and_the_network(malicious_context: dict[str, Any]) -> None:
    """Even markup that slipped through would reach nothing: the renderer's fetcher is the lock."""
    html = sections(malicious_context, set())[0].html.replace(
        "<body>",
        '<body><img src="file:///etc/passwd"><img src="../pyproject.toml"><img src="http://127.0.0.1:9/x.png">'
        '<img src="data:image/svg+xml,%3Csvg%20xmlns=%22http://www.w3.org/2000/svg%22/%3E">'
        '<link rel="stylesheet" href="https://example.invalid/x.css">', 1)
    rendered = html_to_pdf(html, {})
    assert rendered.pdf.startswith(b"%PDF")
    assert "file:///etc/passwd" in rendered.refused
    assert "http://127.0.0.1:9/x.png" in rendered.refused
    assert "https://example.invalid/x.css" in rendered.refused
    assert any(url.endswith("/pyproject.toml") for url in rendered.refused)
    assert any(url.startswith("data:") for url in rendered.refused)
    assert not any("pyproject" in url or "passwd" in url for url in rendered.served)


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    f"{REPORTS_DIR.as_uri()}/../pyproject.toml",
    f"{REPORTS_DIR.as_uri()}/%2e%2e/pyproject.toml",
    "file://otherhost" + str(REPORTS_DIR / "report.css"),
    f"{REPORTS_DIR.as_uri()}/report.css?x=1",
    "http://127.0.0.1:9/",
    "https://example.invalid/",
    "ftp://example.invalid/x",
    "data:text/plain,hello",
    "assess-chart:unknown",
])
def test_fetcher_refuses(url: str) -> None:
    fetcher = ReportFetcher(REPORTS_DIR, {"radar": "<svg/>"})
    with pytest.raises(ValueError, match="only use its own assets"):
        fetcher.fetch(url)
    assert fetcher.refused == [url] and fetcher.served == []


def test_fetcher_refuses_a_symlink_that_leaves_reports(tmp_path: Path) -> None:
    root = tmp_path / "reports"
    root.mkdir()
    (root / "ok.css").write_text("p {}")
    os.symlink("/etc/hostname", root / "escape.css")
    fetcher = ReportFetcher(root, {})
    assert fetcher.fetch((root / "ok.css").as_uri()).read() == b"p {}"
    with pytest.raises(ValueError):
        fetcher.fetch((root / "escape.css").as_uri())


def test_fetcher_serves_shipped_assets_and_this_reports_charts() -> None:
    fetcher = ReportFetcher(REPORTS_DIR, {"radar": "<svg/>"})
    css = fetcher.fetch((REPORTS_DIR / "report.css").as_uri())
    assert css.content_type == "text/css" and b"@page" in css.read()
    chart = fetcher.fetch("assess-chart:radar")
    assert chart.content_type == "image/svg+xml" and chart.read() == b"<svg/>"
