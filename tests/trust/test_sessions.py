"""An expired session or a double submit never loses an answer."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import checked, hidden_fields, page_form, start, stored


def test_an_expired_session_shows_the_page_again_with_what_was_entered(app: Flask, client: FlaskClient) -> None:
    token = start(client)
    form = page_form(client, token, 1)
    client.post(f"/r/{token}/page/1", data={**form, "q-ch.booking": "5", "c-ch.booking": "schon gespeichert",
                                            "nav": "next"})
    stale = page_form(client, token, 2)  # the tab holds page 2 ... and then the session cookie is gone
    later = app.test_client()
    entered = {"q-proc.handover": "2", "c-proc.handover": "Zeile eins\r\nZeile <zwei>", "q-proc.map": "dont_know"}
    response = later.post(f"/r/{token}/page/2", data={**stale, **entered, "nav": "next"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Ihre Sitzung war abgelaufen" in html
    assert checked(html) == {"q-proc.handover": "2", "q-proc.map": "dont_know"}
    assert "Zeile eins\nZeile &lt;zwei&gt;</textarea>" in html
    assert stored(app) == {"ch.booking": ("5", "schon gespeichert", "")}  # kept, not stored
    # Saving again in the new session stores page 2; page 1 is still there.
    again = hidden_fields(html)
    assert again["csrf_token"] != stale["csrf_token"]
    response = later.post(f"/r/{token}/page/2", data={**again, **entered, "nav": "next"})
    assert response.status_code == 302
    assert stored(app) == {"ch.booking": ("5", "schon gespeichert", ""),
                           "proc.handover": ("2", "Zeile eins\nZeile <zwei>", ""), "proc.map": ("dont_know", "", "")}
    assert checked(later.get(f"/r/{token}/page/1").get_data(as_text=True)) == {"q-ch.booking": "5"}


def test_an_untouched_question_of_an_expired_page_is_not_overwritten(app: Flask, client: FlaskClient) -> None:
    """The state fingerprints of the stale tab travel through the re-rendered page."""
    token = start(client)
    stale = page_form(client, token, 1)  # tab A, opened before anything was saved
    other_tab = page_form(client, token, 1)
    client.post(f"/r/{token}/page/1", data={**other_tab, "q-ch.chat": "4", "nav": "next"})  # tab B saves ch.chat
    later = app.test_client()
    response = later.post(f"/r/{token}/page/1", data={**stale, "q-ch.booking": "3", "nav": "next"})
    assert response.status_code == 400
    response = later.post(f"/r/{token}/page/1", data={**hidden_fields(response.data), "q-ch.booking": "3", "nav": "next"})
    assert response.status_code == 302
    assert stored(app) == {"ch.booking": ("3", "", ""), "ch.chat": ("4", "", "")}  # tab B's answer survived


def test_a_forged_or_foreign_form_is_not_echoed(app: Flask, client: FlaskClient) -> None:
    mine, theirs = start(client), start(client, organisation="Andere GmbH")
    foreign = page_form(client, theirs, 1)
    later = app.test_client()
    response = later.post(f"/r/{mine}/page/1", data={**foreign, "q-ch.booking": "1", "c-ch.booking": "fremd"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "fremd" not in html and checked(html) == {}
    response = later.post(f"/r/{mine}/page/1", data={"q-ch.booking": "9", "x-evil": "1"})
    assert response.status_code == 400 and checked(response.get_data(as_text=True)) == {}
    own = page_form(client, mine, 1)
    response = later.post(f"/r/{mine}/page/1", data={**own, "q-ch.booking": "9", "q-ch.chat": "na"})
    assert checked(response.get_data(as_text=True)) == {"q-ch.chat": "na"}  # only valid choices are shown again
    assert later.post(f"/r/{mine}/page/99", data={}).status_code == 400
    assert stored(app) == {}


def test_other_forms_with_an_expired_session_get_the_plain_error_page(app: Flask, client: FlaskClient) -> None:
    token = start(client)
    response = app.test_client().post(f"/r/{token}/review", data={"csrf_token": "stale"})
    assert response.status_code == 400 and "Ungültige Anfrage" in response.get_data(as_text=True)


def test_a_double_submit_keeps_every_answer(app: Flask, client: FlaskClient) -> None:
    token = start(client)
    form = {**page_form(client, token, 1), "q-ch.booking": "4", "c-ch.booking": "einmal", "nav": "next"}
    first = client.post(f"/r/{token}/page/1", data=form)
    second = client.post(f"/r/{token}/page/1", data=form)  # the same form sent twice (double click, reload)
    assert first.status_code == second.status_code == 302
    assert stored(app) == {"ch.booking": ("4", "einmal", "")}
    page = page_form(client, token, 1)
    client.post(f"/r/{token}/page/1", data={**page, "q-ch.chat": "2", "nav": "next"})
    client.post(f"/r/{token}/page/1", data={**form})  # a late duplicate of the first submit
    assert stored(app) == {"ch.booking": ("4", "einmal", ""), "ch.chat": ("2", "", "")}
