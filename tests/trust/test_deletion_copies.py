"""A deletion also removes the copies: cached PDFs and charts, SQLite's free pages and write-ahead log (item 11).

After deleting a respondent and then the client, the review still found the
board PDF with every comment of the deleted respondent in Redis for 24 h, and
names and comments in `instance/assess.db-wal`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import make_url
from sqlmodel import Session

from assess.cache import MemoryCache, RedisCache, use_cache
from assess.db.models import utcnow
from assess.services import privacy
from tests.conftest import postgres_server_url
from tests.trust.conftest import post_form, respondent_row
from tests.web.workspace_data import Seeded

GONE = ("Kommentar 1", "Person 1")  # the first respondent's comment and name, in every copy before the deletion


@pytest.fixture
def cache() -> Iterator[MemoryCache]:
    """The process's cache, empty, as the app uses it without REDIS_URL."""
    fresh = MemoryCache()
    use_cache(fresh)
    yield fresh
    use_cache(None)


def _report_text(consultant: FlaskClient, assessment_id: int) -> str:
    """The full report's text (its appendix prints every comment)."""
    response = consultant.get(f"/w/assessment/{assessment_id}/report.pdf?full=1")
    assert response.status_code == 200
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


def test_deleting_a_respondent_deletes_the_cached_reports_and_charts_that_show_them(
        consultant: FlaskClient, seeded: Seeded, cache: MemoryCache) -> None:
    assert "Kommentar 1" in _report_text(consultant, seeded.assessment_id)
    copies = set(cache._items)
    assert any(key.startswith("report-pdf:") for key in copies) and any(key.startswith("chart-svg:") for key in copies)
    page = f"/w/assessment/{seeded.assessment_id}"
    assert post_form(consultant, page, f"/w/respondent/{seeded.respondent_ids[0]}/delete",
                     {"confirm": "yes"}).status_code == 302
    shown = {key for key in copies if not key.startswith("report-section:")}  # the method pages show no client data
    assert shown and not shown & set(cache._items)
    assert "Kommentar 1" not in _report_text(consultant, seeded.assessment_id)


def test_deleting_a_client_deletes_its_cached_reports(
        consultant: FlaskClient, seeded: Seeded, cache: MemoryCache) -> None:
    _report_text(consultant, seeded.assessment_id)
    assert any(key.startswith("report-pdf:") for key in cache._items)
    page = f"/w/org/{seeded.organisation_id}"
    assert post_form(consultant, page, f"{page}/delete", {"confirm": "yes"}).status_code == 302
    assert not [key for key in cache._items if key.startswith(("report-pdf:", "chart-svg:"))]


@pytest.mark.skipif(postgres_server_url() is not None, reason="reads the SQLite files; PostgreSQL keeps its own")
def test_the_sqlite_files_keep_nothing_of_a_deleted_respondent(
        app: Flask, consultant: FlaskClient, seeded: Seeded) -> None:
    database = Path(make_url(app.config["DATABASE_URL"]).database or "")
    files = [database, database.with_name(database.name + "-wal")]

    def found() -> list[str]:
        return [f"{path.name}: {text}" for path in files if path.exists()
                for text in GONE if text.encode() in path.read_bytes()]

    assert found()  # before: the name and the comment are in the database or its log
    page = f"/w/assessment/{seeded.assessment_id}"
    assert post_form(consultant, page, f"/w/respondent/{seeded.respondent_ids[0]}/delete",
                     {"confirm": "yes"}).status_code == 302
    assert found() == []


def test_a_deletion_that_cannot_reach_the_cache_deletes_nothing(
        app: Flask, consultant: FlaskClient, seeded: Seeded) -> None:
    use_cache(RedisCache("redis://127.0.0.1:1/0"))  # Redis configured, but down
    try:
        page = f"/w/assessment/{seeded.assessment_id}"
        response = post_form(consultant, page, f"/w/respondent/{seeded.respondent_ids[0]}/delete", {"confirm": "yes"})
    finally:
        use_cache(None)
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert respondent_row(app, seeded.respondent_ids[0]) is not None  # rolled back: try again once Redis is back


def test_purge_deletes_the_cached_copies_of_what_it_deletes(
        app: Flask, consultant: FlaskClient, seeded: Seeded, cache: MemoryCache) -> None:
    _report_text(consultant, seeded.assessment_id)
    with Session(app.extensions["assess.engine"]) as session:
        privacy.purge(session, now=utcnow() + dt.timedelta(days=5000))
        session.commit()
    assert not [key for key in cache._items if key.startswith(("report-pdf:", "chart-svg:"))]


def test_a_report_rendered_across_a_deletion_is_not_kept(
        app: Flask, consultant: FlaskClient, seeded: Seeded, cache: MemoryCache) -> None:
    """The review's race: a download began, the respondent was deleted, and the finished PDF was cached for a day."""
    from assess.reporting.pdf import render_pdf
    from assess.services import clients
    from assess.services.reports import assessment_report

    catalog = app.extensions["assess.catalog"]
    with app.test_request_context(), Session(app.extensions["assess.engine"]) as session:
        row, org = clients.assessment(session, seeded.workspace_id, seeded.assessment_id) or (None, None)
        assert row is not None and org is not None
        context = assessment_report(session, catalog, row, org, "de")  # the download has read the data...
    page = f"/w/assessment/{seeded.assessment_id}"
    assert post_form(consultant, page, f"/w/respondent/{seeded.respondent_ids[0]}/delete",
                     {"confirm": "yes"}).status_code == 302  # ...when the deletion comes in
    render_pdf(context)  # the download still gets its file
    assert not [key for key in cache._items if key.startswith(("report-pdf:", "chart-svg:"))]
