"""What an executive can do with their own self-assessment without anyone's help (issue 16, item 12): a calendar
reminder with the resume link, their answers as CSV, and deleting the whole self-assessment."""

from __future__ import annotations

import csv
import io

from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar
from sqlmodel import Session, select

from assess.db.models import AnswerRow, Assessment, Organisation, Respondent
from tests.web.conftest import csrf_of, page_form, start
from tests.web.workspace_data import seed_workspace


def _answer_first_page(client: FlaskClient, token: str) -> None:
    form = page_form(client, token, 1)
    client.post(f"/r/{token}/page/1", data={**form, "q-ch.booking": "4", "c-ch.booking": "=HYPERLINK(\"x\")"})


def test_the_reminder_is_a_calendar_entry_for_tomorrow_with_the_private_link(client: FlaskClient) -> None:
    token = start(client)
    page = client.get(f"/r/{token}/page/1").get_data(as_text=True)
    assert f"/r/{token}/reminder.ics" in page  # offered beside the link to copy
    response = client.get(f"/r/{token}/reminder.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    [event] = calendar.walk("VEVENT")
    assert str(event["url"]) == f"http://localhost/r/{token}"
    assert f"http://localhost/r/{token}" in str(event["description"])
    assert str(event["summary"]) == "Digital-Readiness-Check fortsetzen"
    start_time = event.decoded("dtstart")
    assert start_time.hour == 9 and start_time.tzinfo is None  # 9 o'clock wherever the reader's calendar is
    assert calendar.walk("VALARM")
    assert client.get("/r/unknown/reminder.ics").status_code == 404


def test_own_answers_as_csv_in_the_pages_language_and_safe_for_excel(client: FlaskClient) -> None:
    token = start(client)
    _answer_first_page(client, token)
    response = client.get(f"/r/{token}/my-answers.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    assert "Frage" in header and "Antwort" in header and "Kommentar" in header
    booking = next(r for r in rows[1:] if "ch.booking" in r)
    assert booking[header.index("Antwort")] == "4"
    assert booking[header.index("Kommentar")] == "'=HYPERLINK(\"x\")"  # a formula stays text
    assert len(rows) == 1 + 5  # every question of the mini questionnaire, answered or not


def test_an_executive_deletes_their_self_assessment_after_confirming(app: Flask, client: FlaskClient) -> None:
    token = start(client, organisation="Löschmich GmbH")
    _answer_first_page(client, token)
    page = client.get(f"/r/{token}/delete")
    assert page.status_code == 200
    refused = client.post(f"/r/{token}/delete", data={"csrf_token": csrf_of(page.data)})
    assert refused.status_code == 422  # not confirmed: nothing deleted
    with Session(app.extensions["assess.engine"]) as session:
        assert session.exec(select(Organisation).where(Organisation.name == "Löschmich GmbH")).first() is not None
    done = client.post(f"/r/{token}/delete", data={"csrf_token": csrf_of(page.data), "confirm": "yes"})
    assert done.status_code == 200 and "gelöscht" in done.get_data(as_text=True)
    with Session(app.extensions["assess.engine"]) as session:
        assert session.exec(select(Organisation).where(Organisation.name == "Löschmich GmbH")).first() is None
        assert session.exec(select(Assessment)).all() == []
        assert session.exec(select(Respondent)).all() == []
        assert session.exec(select(AnswerRow)).all() == []
    assert client.get(f"/r/{token}").status_code == 404


def test_an_invited_respondent_cannot_delete_the_consultants_assessment(app: Flask, client: FlaskClient) -> None:
    seeded = seed_workspace(app, "Alpha")
    token = seeded.tokens[0]
    page = client.get(f"/r/{token}/delete")
    assert page.status_code == 403
    assert "Person, die Sie eingeladen hat" in page.get_data(as_text=True)
    assert 'name="confirm"' not in page.get_data(as_text=True)
    notice = client.get(f"/r/{token}/privacy")  # a page of this link with a form: a valid CSRF token
    response = client.post(f"/r/{token}/delete", data={"csrf_token": csrf_of(notice.data), "confirm": "yes"})
    assert response.status_code == 403
    with Session(app.extensions["assess.engine"]) as session:
        assert len(session.exec(select(Respondent)).all()) == 3  # nothing deleted
    result = client.get(f"/r/{seeded.tokens[0]}/result").get_data(as_text=True)
    assert 'data-testid="delete-own"' not in result
