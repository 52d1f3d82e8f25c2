"""The consultant workspace in the Flask test client."""

from __future__ import annotations

import csv
import io
import json
from itertools import pairwise

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import event

from tests.web.conftest import csrf_of
from tests.web.workspace_data import login, seed_workspace


def test_login_is_required_and_wrong_password_fails(app: Flask, client: FlaskClient) -> None:
    seeded = seed_workspace(app, "Alpha")
    response = client.get("/w/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    page = client.get("/login")
    bad = client.post("/login", data={"csrf_token": csrf_of(page.data), "email": seeded.email, "password": "nope nope"})
    assert bad.status_code == 401
    login(client, seeded.email)
    assert "Alpha Kunde GmbH" in client.get("/w/").get_data(as_text=True)


def test_login_is_rate_limited(app: Flask, client: FlaskClient) -> None:
    seed_workspace(app, "Alpha")
    page = client.get("/login")
    codes = [client.post("/login", data={"csrf_token": csrf_of(page.data), "email": "x@example.com",
                                         "password": "wrong password"}).status_code for _ in range(12)]
    assert codes[:10] == [401] * 10 and codes[10:] == [429, 429]


def test_create_client_assessment_and_invite(app: Flask, client: FlaskClient) -> None:
    seeded = seed_workspace(app, "Alpha", answers=[])
    login(client, seeded.email)
    page = client.get("/w/")
    response = client.post("/w/organisations", data={"csrf_token": csrf_of(page.data), "name": "Bäckerei Schmidt",
                                                     "industry": "retail", "size": "1-49"})
    org_url = response.headers["Location"]
    page = client.get(org_url)
    assert "Bäckerei Schmidt" in page.get_data(as_text=True)
    response = client.post(org_url + "/assessments", data={"csrf_token": csrf_of(page.data), "title": "Erstaufnahme",
                                                           "questionnaire": "mini@1.0", "deadline": "2026-12-31"})
    assessment_url = response.headers["Location"]
    page = client.get(assessment_url)
    response = client.post(assessment_url + "/invite", data={"csrf_token": csrf_of(page.data), "role": "it",
                                                             "name": "Frau IT", "language": "de"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Frau IT" in html and "/r/" in html  # the new link is shown once
    assert "Erstaufnahme" in html and "31. Dezember 2026" in html  # the deadline as the page's language writes it


def test_results_show_aggregate_disagreement_and_consensus(app: Flask, client: FlaskClient) -> None:
    seeded = seed_workspace(app, "Alpha")
    login(client, seeded.email)
    html = client.get(f"/w/assessment/{seeded.assessment_id}/results").get_data(as_text=True)
    assert "Online-Buchung?" in html
    assert "Workshop" in html and f"/w/assessment/{seeded.assessment_id}/workshop/1" in html  # agenda link
    workshop = client.get(f"/w/assessment/{seeded.assessment_id}/workshop/1").get_data(as_text=True)
    assert "Kommentar 1" in workshop and 'value="3" checked' in workshop  # distribution, comments, consensus
    response = client.post(f"/w/assessment/{seeded.assessment_id}/workshop/1",
                           data={"csrf_token": csrf_of(workshop), "level": "4", "note": "nach Diskussion", "nav": "next"})
    assert response.headers["Location"].endswith("/workshop/2")
    data = json.loads(client.get(f"/w/assessment/{seeded.assessment_id}/export.json").data)
    booking = next(q for q in data["questions"] if q["id"] == "ch.booking")
    assert booking["consensus"] and booking["level"] == 4.0 and booking["stats"]["spread"] == 3.0


def test_workshop_rejects_tampered_levels(app: Flask, client: FlaskClient) -> None:
    seeded = seed_workspace(app, "Alpha")
    login(client, seeded.email)
    page = client.get(f"/w/assessment/{seeded.assessment_id}/workshop/1")
    for level in ("0", "6", "x"):
        response = client.post(f"/w/assessment/{seeded.assessment_id}/workshop/1",
                               data={"csrf_token": csrf_of(page.data), "level": level})
        assert response.status_code == 400


def test_exports_have_one_row_per_respondent_and_question(app: Flask, client: FlaskClient) -> None:
    seeded = seed_workspace(app, "Alpha")
    login(client, seeded.email)
    body = client.get(f"/w/assessment/{seeded.assessment_id}/export.csv").data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body), delimiter=";"))
    assert len(rows) == 3 * 5
    first = rows[0]  # headers and roles in the reader's language (German here), the level agreed on every row
    assert first["Frage-ID"] == "ch.booking" and first["Stufe"] == "5" and first["Kommentar"] == "Kommentar 1"
    assert first["Rolle"] == "Geschäftsführung / Inhaber/in" and first["Bedeutung der Stufe"]
    assert first["Im Workshop vereinbarte Stufe"] == "3"
    workbook = load_workbook(io.BytesIO(client.get(f"/w/assessment/{seeded.assessment_id}/export.xlsx").data))
    sheet = workbook.active
    assert sheet.max_row == 1 + 15 and sheet["J2"].value == "ch.booking"


def test_every_registered_export_format_is_offered_and_downloads(app: Flask, client: FlaskClient) -> None:
    from assess.services import exports

    @exports.export_format("txt", "Plain text", "text/plain", lambda source: f"{source.assessment.id}.txt")
    def _plain(source: exports.Source) -> bytes:
        return f"{source.organisation.name} {source.lang}".encode()

    try:
        _download_every_format(app, client)
    finally:
        del exports.FORMATS["txt"]  # a new format is one entry: it is offered and downloads like the others


def _download_every_format(app: Flask, client: FlaskClient) -> None:
    from assess.services import exports

    seeded = seed_workspace(app, "Alpha")
    login(client, seeded.email)
    page = client.get(f"/w/assessment/{seeded.assessment_id}").get_data(as_text=True)
    for name, entry in exports.FORMATS.items():
        url = f"/w/assessment/{seeded.assessment_id}/export.{name}"
        assert f'href="{url}"' in page, name
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == entry.mimetype, name
        assert response.headers["Cache-Control"] == "private, no-store"
        assert response.headers["Content-Disposition"].startswith("attachment;") and response.data, name
    assert client.get(f"/w/assessment/{seeded.assessment_id}/export.txt").data == b"Alpha Kunde GmbH de"
    assert client.get(f"/w/assessment/{seeded.assessment_id}/export.docm").status_code == 404
    with pytest.raises(ValueError, match="registered twice"):
        exports.export_format("csv", "again", "text/csv", lambda source: "x.csv")(bytes)


def test_follow_up_shows_the_change(app: Flask, client: FlaskClient) -> None:
    seeded = seed_workspace(app, "Alpha")
    login(client, seeded.email)
    page = client.get(f"/w/assessment/{seeded.assessment_id}")
    response = client.post(f"/w/assessment/{seeded.assessment_id}/follow-up", data={"csrf_token": csrf_of(page.data)})
    new_url = response.headers["Location"]
    page = client.get(new_url)
    invite = client.post(new_url + "/invite", data={"csrf_token": csrf_of(page.data), "role": "executive",
                                                    "name": "", "language": "de"}, follow_redirects=True)
    assert invite.status_code == 200
    html = client.get(new_url + "/results").get_data(as_text=True)
    assert "Change since" in html or "Veränderung seit" in html
    assert 'data-testid="delta-channels"' in html


def test_results_page_query_count_does_not_grow_with_questions(app: Flask, client: FlaskClient) -> None:
    small = seed_workspace(app, "Small", answers=[{"ch.booking": 3}] * 3)
    large = seed_workspace(app, "Large", answers=[
        {"ch.booking": 3, "ch.chat": 2, "proc.handover": 1, "proc.map": 2, "data.master": 3}] * 3)
    counts = []
    engine = app.extensions["assess.engine"]
    for seeded in (small, large):
        other = app.test_client()
        login(other, seeded.email)
        statements: list[str] = []

        def count(*args: object, statements: list[str] = statements) -> None:
            statements.append(str(args[2]))

        event.listen(engine, "before_cursor_execute", count)
        try:
            assert other.get(f"/w/assessment/{seeded.assessment_id}/results").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_questionnaire_upload_lists_every_problem_and_stores_nothing(app: Flask, client: FlaskClient) -> None:
    from tests.conftest import FIXTURES

    seeded = seed_workspace(app, "Alpha", answers=[])
    login(client, seeded.email)
    good = (FIXTURES / "mini.yaml").read_text().replace("id: mini\n", "id: own\n")
    broken = good.replace("weight: 2\n", "wieght: 2\n", 1).replace("{measure: m.map}", "{measure: m.nope}")
    page = client.get("/w/settings/questionnaires")
    response = client.post("/w/settings/questionnaires", data={
        "csrf_token": csrf_of(page.data), "file": (io.BytesIO(broken.encode()), "own.yaml")},
        content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "own.yaml, Zeile" in html and "„wieght“ ist hier kein bekannter Schlüssel" in html and "m.nope" in html
    assert "own" not in client.get("/w/settings/questionnaires").get_data(as_text=True).split("<tbody>")[1].split("</tbody>")[0]
    response = client.post("/w/settings/questionnaires", data={
        "csrf_token": csrf_of(page.data), "file": (io.BytesIO(good.encode()), "own.yaml")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(f"/w/org/{seeded.organisation_id}")
    assert "own@1.0" in page.get_data(as_text=True)
    changed = good.replace("Online-Buchung?", "Online-Buchung heute?")
    response = client.post("/w/settings/questionnaires", data={
        "csrf_token": csrf_of(page.data), "file": (io.BytesIO(changed.encode()), "own.yaml")},
        content_type="multipart/form-data")
    assert response.status_code == 422 and "Erhöhen Sie die Versionsnummer" in response.get_data(as_text=True)


def test_the_plan_settings_shape_the_roadmap(app: Flask, client: FlaskClient) -> None:
    """"How many initiatives can you run in parallel": set per assessment, kept by a follow-up, used by the plan."""
    seeded = seed_workspace(app, "Plan")
    login(client, seeded.email)
    page = f"/w/assessment/{seeded.assessment_id}"
    csrf = csrf_of(client.get(page).data)
    assert client.post(f"{page}/plan", data={"csrf_token": csrf, "capacity": "99999", "focus": "5"}).status_code == 400
    assert client.post(f"{page}/plan", data={"csrf_token": csrf, "capacity": "1", "focus": "2"}).status_code == 302
    result = json.loads(client.get(f"{page}/export.json").data)
    assert result["roadmap"]["settings"]["capacity"] == 1 and result["roadmap"]["settings"]["focus"] == 2
    measures = [m for p in result["roadmap"]["phases"] for m in p["measures"]]
    assert measures and result["roadmap"]["backlog"]  # the mini questionnaire's weak spots need more than two
    weeks = [(m["start_week"], m["end_week"]) for m in measures]
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in pairwise(weeks))  # one at a time
    follow = client.post(f"{page}/follow-up", data={"csrf_token": csrf})
    follow_up = follow.headers["Location"]
    assert json.loads(client.get(f"{follow_up}/export.json").data)["roadmap"]["settings"]["capacity"] == 1


def test_a_follow_up_has_its_own_title_and_its_change_table_says_who_answered(app: Flask, client: FlaskClient) -> None:
    import datetime as dt

    from flask_babel import format_date

    seeded = seed_workspace(app, "Folge")
    login(client, seeded.email)
    page = f"/w/assessment/{seeded.assessment_id}"
    csrf = csrf_of(client.get(page).data)
    first = client.post(f"{page}/follow-up", data={"csrf_token": csrf}).headers["Location"]
    with app.test_request_context():
        month = format_date(dt.datetime.now(dt.UTC), "MMMM yyyy")
    shown = client.get(first).get_data(as_text=True)
    assert f"Folgeerhebung {month}" in shown
    second = client.post(f"{first}/follow-up", data={"csrf_token": csrf}).headers["Location"]
    title = client.get(second).get_data(as_text=True).split("<h1>")[1].split("</h1>")[0]
    assert title.count("Folgeerhebung") == 1  # the first one's title and this follow-up's label, once
    organisation = client.get(f"/w/org/{seeded.organisation_id}").get_data(as_text=True)
    assert organisation.count(f"Folgeerhebung {month}") >= 1
    results = client.get(f"{first}/results").get_data(as_text=True)
    assert "Vorher (3 befragte Personen)" in results and "Jetzt (0 befragte Personen)" in results
    assert 'data-testid="change-basis"' in results


def test_an_empty_client_name_says_what_is_missing_in_the_users_language(app: Flask, client: FlaskClient) -> None:
    seeded = seed_workspace(app, "Leer")
    login(client, seeded.email)
    for lang, message in (("de", "Bitte füllen Sie dieses Feld aus."), ("en", "Please fill in this field.")):
        client.get(f"/lang/{lang}")
        csrf = csrf_of(client.get("/w/").data)
        response = client.post("/w/organisations", data={"csrf_token": csrf, "name": "  ", "industry": "retail",
                                                         "size": "50-249"})
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and f'id="name-error">{message}</p>' in page
        assert "This field is required" not in page
