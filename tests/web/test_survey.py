"""The self-assessment flow in the Flask test client."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import checked, csrf_of, page_form, start, stored


def test_start_page_in_both_languages_and_the_choice_is_remembered(client: FlaskClient) -> None:
    assert "Fragen in" in client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    response = client.get("/lang/en?next=/start")
    assert response.status_code == 302 and response.headers["Location"] == "/start"
    assert "questions in" in client.get("/").get_data(as_text=True)
    assert 'lang="en"' in client.get("/start").get_data(as_text=True)


def test_language_switch_is_not_an_open_redirect(client: FlaskClient) -> None:
    for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        assert client.get(f"/lang/de?next={target}").headers["Location"] == "/"


def test_start_requires_only_the_organisation(client: FlaskClient) -> None:
    page = client.get("/start")
    response = client.post("/start", data={"csrf_token": csrf_of(page.data), "organisation": "",
                                           "industry": "retail", "size": "1-49", "role": "it", "language": "en"})
    assert response.status_code == 200 and "aria-invalid" in response.get_data(as_text=True)
    response = client.post("/start", data={"csrf_token": csrf_of(page.data), "organisation": "X",
                                           "industry": "bakery", "size": "1-49", "role": "it", "language": "en"})
    assert response.status_code == 400  # not one of the fixed choices: tampered


def test_whole_flow_back_and_forward_keep_answers(app: Flask, client: FlaskClient) -> None:
    token = start(client)
    form = page_form(client, token, 1)
    page1 = client.get(f"/r/{token}/page/1").get_data(as_text=True)
    assert "Dimension 1 von 3" in page1 and f"/r/{token}" in page1  # progress and resume link
    response = client.post(f"/r/{token}/page/1", data={**form, "q-ch.booking": "5", "q-ch.chat": "na",
                                                       "r-ch.chat": "Wir haben keinen Chat", "nav": "next"})
    assert response.headers["Location"] == f"/r/{token}/page/2"
    form = page_form(client, token, 2)
    response = client.post(f"/r/{token}/page/2", data={**form, "q-proc.handover": "1",
                                                       "c-proc.handover": "Alles wird abgetippt", "nav": "back"})
    assert response.headers["Location"] == f"/r/{token}/page/1"
    page1 = client.get(f"/r/{token}/page/1").get_data(as_text=True)
    assert checked(page1) == {"q-ch.booking": "5", "q-ch.chat": "na"}
    assert stored(app) == {"ch.booking": ("5", "", ""), "ch.chat": ("na", "", "Wir haben keinen Chat"),
                           "proc.handover": ("1", "Alles wird abgetippt", "")}
    review = client.get(f"/r/{token}/review").get_data(as_text=True)
    assert "Prozesslandkarte?" in review and "Stammdaten?" in review  # unanswered are listed
    response = client.post(f"/r/{token}/review", data={"csrf_token": csrf_of(review)})
    assert response.headers["Location"] == f"/r/{token}/result"
    result = client.get(f"/r/{token}/result").get_data(as_text=True)
    assert "Buchungen erreichen den Service nicht." in result  # the isolated-solution flag
    assert "Buchung integrieren" in result and "Quality Gate" in result
    assert "Alles wird abgetippt" in result


def test_resume_on_another_device_continues_where_stopped(app: Flask, client: FlaskClient) -> None:
    token = start(client)
    form = page_form(client, token, 1)
    client.post(f"/r/{token}/page/1", data={**form, "q-ch.booking": "3", "nav": "next"})
    other_device = app.test_client()
    response = other_device.get(f"/r/{token}")
    assert response.status_code == 302 and response.headers["Location"] == f"/r/{token}/page/2"
    response = client.post(f"/r/{token}/page/2", data={**page_form(client, token, 2), "nav": "stop"})
    assert response.headers["Location"] == f"/r/{token}/paused"
    assert f"/r/{token}" in client.get(f"/r/{token}/paused").get_data(as_text=True)


def test_an_unanswered_question_can_be_skipped(app: Flask, client: FlaskClient) -> None:
    token = start(client)
    response = client.post(f"/r/{token}/page/1", data={**page_form(client, token, 1), "nav": "next"})
    assert response.status_code == 302 and stored(app) == {}


def test_not_applicable_needs_a_reason_and_keeps_the_input(app: Flask, client: FlaskClient) -> None:
    token = start(client)
    response = client.post(f"/r/{token}/page/1", data={**page_form(client, token, 1), "q-ch.booking": "4",
                                                       "q-ch.chat": "na", "nav": "next"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Bitte sagen Sie in wenigen Worten, warum das nicht zutrifft." in html
    assert checked(html) == {"q-ch.booking": "4", "q-ch.chat": "na"}  # input kept
    assert stored(app) == {}


def test_result_page_has_charts_with_tables_and_local_plotly(client: FlaskClient) -> None:
    token = start(client, language="en")
    client.post(f"/r/{token}/page/1", data={**page_form(client, token, 1), "q-ch.booking": "4", "q-ch.chat": "2"})
    html = client.get(f"/r/{token}/result").get_data(as_text=True)
    assert 'id="chart-radar"' in html and 'id="chart-data-radar"' in html
    assert "<table" in html and "Scores per dimension" in html
    src = re.search(r'<script src="(/static/vendor/plotly-assess\.min\.js\?v=\w+)"', html)
    assert src and "cdn" not in html.lower()
    js = client.get(src.group(1))
    assert js.status_code == 200 and js.mimetype == "text/javascript" and len(js.data) > 500_000
    assert js.cache_control.max_age == 365 * 24 * 3600
    js.close()


def test_result_page_opens_with_the_reports_key_messages_and_first_90_days(app: Flask, client: FlaskClient) -> None:
    """The web result's top and the PDF's first page come from one report context: the same words."""
    import html as markup

    from sqlmodel import Session

    from assess.services import reports

    token = start(client)
    client.post(f"/r/{token}/page/1", data={**page_form(client, token, 1), "q-ch.booking": "4", "q-ch.chat": "1"})
    page = client.get(f"/r/{token}/result").get_data(as_text=True)
    with Session(app.extensions["assess.engine"]) as session:
        context = reports.respondent_report(session, app.extensions["assess.catalog"], token, "de")
    assert context is not None
    glance = context["glance"]
    assert len(glance["messages"]) == 3
    section = page[page.index('data-testid="glance"'):]
    for message in glance["messages"] + glance["decisions"]:
        assert markup.escape(message) in section, message
    for row in glance["plan"]:
        assert markup.escape(row["title"]) in section
    assert page.index('data-testid="glance"') < page.index('id="chart-radar"')  # the summary comes first


def test_the_result_page_offers_the_short_report_and_the_full_one(client: FlaskClient) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    token = start(client)
    client.post(f"/r/{token}/page/1", data={**page_form(client, token, 1), "q-ch.booking": "4", "q-ch.chat": "1"})
    page = client.get(f"/r/{token}/result").get_data(as_text=True)
    short_url = re.search(r'href="([^"]+)" data-testid="pdf-short"', page)
    full_url = re.search(r'href="([^"]+)" data-testid="pdf-full"', page)
    assert short_url and full_url
    short, full = (PdfReader(BytesIO(client.get(url.group(1).replace("&amp;", "&")).data)) for url in (short_url, full_url))
    assert len(full.pages) > len(short.pages)
    assert "Inhalt" in (full.pages[1].extract_text() or "") and "Inhalt" not in (short.pages[1].extract_text() or "")


def test_the_review_warns_which_dimension_dont_know_leaves_unscored(app: Flask, client: FlaskClient) -> None:
    """Every question answered, but only with "don't know" on one page: that dimension will get no score."""
    token = start(client)
    answers = {1: {"q-ch.booking": "3", "q-ch.chat": "2"}, 2: {"q-proc.handover": "dont_know", "q-proc.map": "dont_know"},
               3: {"q-data.master": "4"}}
    for number, values in answers.items():
        client.post(f"/r/{token}/page/{number}", data={**page_form(client, token, number), **values, "nav": "next"})
    review = client.get(f"/r/{token}/review").get_data(as_text=True)
    assert 'data-testid="unscored"' in review
    warning = review.split('data-testid="unscored"')[1].split("</div>")[0]
    assert "1 Dimension wird nicht verlässlich bewertet" in warning
    assert f'href="/r/{token}/page/2">Prozesse</a>' in warning and "Kanäle" not in warning
    assert "0 von 2 Fragen haben eine Stufe (2-mal „weiß nicht“)" in warning
    assert "Alle Fragen sind beantwortet, einige mit „weiß nicht“." in review
    client.post(f"/r/{token}/page/2", data={**page_form(client, token, 2), "q-proc.handover": "2", "q-proc.map": "1",
                                            "nav": "next"})
    review = client.get(f"/r/{token}/review").get_data(as_text=True)
    assert 'data-testid="unscored"' not in review and "Alle Fragen sind beantwortet." in review
