"""The privacy notice comes before any answer; it is confirmed once; a respondent can download their answers."""

from __future__ import annotations

import json
import re

from flask import Flask
from flask.testing import FlaskClient

from tests.trust.conftest import respondent_row
from tests.web.conftest import csrf_of, page_form, start
from tests.web.workspace_data import Seeded


def test_the_public_start_shows_the_notice_first_and_needs_the_confirmation(client: FlaskClient) -> None:
    notice = client.get("/start", headers={"Accept-Language": "de"})
    html = notice.get_data(as_text=True)
    assert notice.status_code == 200 and "Datenschutzhinweise" in html
    assert "365 Tage nach der letzten Aktivität" in html and 'name="organisation"' not in html
    token = csrf_of(notice.data)
    assert client.post("/start/privacy", data={"accept": "yes"}).status_code == 400  # CSRF-protected
    unconfirmed = client.post("/start/privacy", data={"csrf_token": token})
    assert unconfirmed.status_code == 422 and "Bitte bestätigen Sie" in unconfirmed.get_data(as_text=True)
    # A valid start form without the confirmation goes back to the notice; nothing is created.
    form = {"csrf_token": token, "organisation": "Ohne Hinweis GmbH", "industry": "retail", "size": "1-49",
            "role": "it", "language": "de"}
    assert client.post("/start", data=form).headers["Location"] == "/start"
    assert client.post("/start/privacy", data={"csrf_token": token, "accept": "yes"}).status_code == 302
    assert 'name="organisation"' in client.get("/start").get_data(as_text=True)  # now the start form
    response = client.post("/start", data=form)
    assert response.status_code == 302 and "/page/1" in response.headers["Location"]


def test_a_started_self_assessment_stores_the_time_and_never_asks_again(app: Flask, client: FlaskClient) -> None:
    token = start(client)
    assert client.get(f"/r/{token}").headers["Location"] == f"/r/{token}/page/1"
    other_device = app.test_client()
    assert other_device.get(f"/r/{token}").headers["Location"] == f"/r/{token}/page/1"
    assert other_device.get(f"/r/{token}/page/1").status_code == 200


def test_an_invited_respondent_confirms_once_on_first_opening(app: Flask, client: FlaskClient, seeded: Seeded) -> None:
    token = seeded.tokens[0]
    assert client.get(f"/r/{token}").headers["Location"] == f"/r/{token}/privacy"
    for blocked in (f"/r/{token}/page/1", f"/r/{token}/review"):
        assert client.get(blocked).headers["Location"] == f"/r/{token}/privacy"  # no answering around the notice
    notice = client.get(f"/r/{token}/privacy", headers={"Accept-Language": "en"})
    html = notice.get_data(as_text=True)
    assert "Privacy notice" in html and "Nord Beratung runs this assessment" in html and "730 days" in html
    assert client.post(f"/r/{token}/privacy", data={"accept": "yes"}).status_code == 400  # no CSRF token
    assert respondent_row(app, seeded.respondent_ids[0]).privacy_accepted_at is None  # type: ignore[union-attr]
    response = client.post(f"/r/{token}/privacy", data={"csrf_token": csrf_of(notice.data), "accept": "yes"})
    assert response.headers["Location"] == f"/r/{token}"
    accepted = respondent_row(app, seeded.respondent_ids[0]).privacy_accepted_at  # type: ignore[union-attr]
    assert accepted is not None
    fresh = app.test_client()  # another device, another session: not asked again
    assert fresh.get(f"/r/{token}").headers["Location"] == f"/r/{token}/page/1"
    again = fresh.get(f"/r/{token}/privacy").get_data(as_text=True)
    assert 'name="accept"' not in again and "my-answers.json" in again
    fresh.post(f"/r/{token}/privacy", data={"csrf_token": page_form(fresh, token, 1)["csrf_token"], "accept": "yes"})
    assert respondent_row(app, seeded.respondent_ids[0]).privacy_accepted_at == accepted  # the first time counts


def test_the_public_notice_page_has_no_form(client: FlaskClient) -> None:
    html = client.get("/privacy", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Privacy notice" in html and "365 days" in html and "<form" not in html.split("<main")[1]


def test_a_respondent_downloads_everything_stored_about_them(app: Flask, client: FlaskClient) -> None:
    token = start(client, organisation="Export GmbH")
    form = page_form(client, token, 1)
    client.post(f"/r/{token}/page/1", data={**form, "q-ch.booking": "4", "c-ch.booking": "Nur per Telefon",
                                            "q-ch.chat": "na", "r-ch.chat": "kein Chat", "nav": "next"})
    response = client.get(f"/r/{token}/my-answers.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "no-store" in response.headers["Cache-Control"]
    data = json.loads(response.data)
    assert data["format"] == "assess-respondent-export" and data["version"] == 1
    assert data["respondent"]["role"] == "executive" and data["respondent"]["privacy_accepted_at"]
    assert data["assessment"]["organisation"] == "Export GmbH"
    answers = {a["question_id"]: a for a in data["answers"]}
    assert answers["ch.booking"]["value"] == "4" and answers["ch.booking"]["comment"] == "Nur per Telefon"
    assert answers["ch.chat"]["reason"] == "kein Chat" and answers["ch.booking"]["question"]
    assert app.test_client().get("/r/not-a-token/my-answers.json").status_code == 404


def test_the_notice_is_translated(client: FlaskClient) -> None:
    german = client.get("/privacy", headers={"Accept-Language": "de"}).get_data(as_text=True)
    english = client.get("/privacy", headers={"Accept-Language": "en"}).get_data(as_text=True)
    for html, words in ((german, ("Was gespeichert wird", "Ihre Rechte", "Wie lange")),
                        (english, ("What is stored", "Your rights", "How long"))):
        for word in words:
            assert word in html
    assert not re.search(r"What is stored|Your rights", german)
