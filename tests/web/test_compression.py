"""The chart bundle and the static files go out compressed; pages with secrets never do (BREACH)."""

from __future__ import annotations

import gzip

import brotli
from flask.testing import FlaskClient

from assess.reporting.svg import PLOTLY_BUNDLE


def test_the_chart_bundle_is_sent_compressed_and_arrives_whole(client: FlaskClient) -> None:
    with client.get("/static/vendor/plotly-assess.min.js", headers={"Accept-Encoding": "gzip, deflate, br"}) as response:
        body = response.get_data()
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert brotli.decompress(body) == PLOTLY_BUNDLE.read_bytes()
    assert len(body) < PLOTLY_BUNDLE.stat().st_size / 3  # 1.2 MB → 366 kB


def test_style_and_script_are_compressed_for_a_browser_without_brotli(client: FlaskClient) -> None:
    with client.get("/static/app.css", headers={"Accept-Encoding": "gzip"}) as response:
        raw = response.get_data()
    assert response.headers.get("Content-Encoding") == "gzip"
    assert b".panel" in gzip.decompress(raw)


def test_pages_are_never_compressed(client: FlaskClient) -> None:
    """A page holds the CSRF token and reflects its URL in the language links: compressed, its size would leak it."""
    response = client.get("/start?next=x", headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert b"<html" in response.get_data()


def test_nothing_is_compressed_for_a_client_that_did_not_ask(client: FlaskClient) -> None:
    with client.get("/static/app.js") as response:
        assert "Content-Encoding" not in response.headers


def test_the_chart_bundle_answers_a_revalidation_with_304(client: FlaskClient) -> None:
    first = client.get("/static/vendor/plotly-assess.min.js")
    assert first.headers["Cache-Control"] == "public, max-age=31536000"
    again = client.get("/static/vendor/plotly-assess.min.js", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
