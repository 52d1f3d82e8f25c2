"""Each answer saved as it is chosen (the page's script posts the form with nav=autosave), and the language
buttons that save the page before switching, so nothing ticked is lost (issue 16, item 1)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import checked, page_form, start, stored


def test_an_autosave_stores_the_answer_and_stays_on_the_page(app: Flask, client: FlaskClient) -> None:
    token = start(client)
    form = page_form(client, token, 1)
    response = client.post(f"/r/{token}/page/1", data={**form, "q-ch.booking": "4", "nav": "autosave"},
                           headers={"Accept": "application/json"})
    assert response.status_code == 200
    reply = response.get_json()
    assert reply["saved"] is True and reply["answered"] == 1
    assert stored(app)["ch.booking"] == ("4", "", "")
    assert reply["states"]["s-ch.booking"] != form["s-ch.booking"]  # the page now compares against what is stored
    assert reply["states"]["s-ch.chat"] == form["s-ch.chat"]  # untouched
    assert client.get(f"/r/{token}").headers["Location"].endswith("/page/1")  # still resumes at this page


def test_an_autosave_with_the_new_state_does_not_overwrite_another_tabs_later_answer(app: Flask, client: FlaskClient) -> None:
    token = start(client)
    form = page_form(client, token, 1)
    reply = client.post(f"/r/{token}/page/1", data={**form, "q-ch.booking": "4", "nav": "autosave"}).get_json()
    other_tab = page_form(client, token, 1)
    client.post(f"/r/{token}/page/1", data={**other_tab, "q-ch.chat": "2", "nav": "autosave"})
    # the first tab saves again with the states its script received: its untouched chat question stays as stored
    client.post(f"/r/{token}/page/1", data={**form, **reply["states"], "q-ch.booking": "5", "nav": "autosave"})
    assert stored(app)["ch.booking"][0] == "5"
    assert stored(app)["ch.chat"][0] == "2"


def test_an_autosave_that_needs_a_correction_stores_nothing(app: Flask, client: FlaskClient) -> None:
    token = start(client)
    form = page_form(client, token, 1)
    response = client.post(f"/r/{token}/page/1", data={**form, "q-ch.booking": "3", "q-ch.chat": "na",
                                                       "nav": "autosave"})
    assert response.status_code == 422
    assert response.get_json() == {"saved": False}
    assert stored(app) == {}


def test_a_tampered_autosave_is_refused(app: Flask, client: FlaskClient) -> None:
    token = start(client)
    form = page_form(client, token, 1)
    assert client.post(f"/r/{token}/page/1", data={**form, "q-ch.booking": "9", "nav": "autosave"}).status_code == 400
    assert stored(app) == {}


def test_the_language_button_saves_the_page_first_and_then_shows_it_in_that_language(app: Flask, client: FlaskClient) -> None:
    token = start(client)
    page = client.get(f"/r/{token}/page/1")
    assert b'name="nav" value="lang-en"' in page.data  # a submit button of the page's form, not a bare link
    response = client.post(f"/r/{token}/page/1", data={**page_form(client, token, 1), "q-ch.booking": "2",
                                                       "nav": "lang-en"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/r/{token}/page/1")
    assert stored(app)["ch.booking"][0] == "2"
    shown = client.get(f"/r/{token}/page/1")
    assert b'<html lang="en">' in shown.data
    assert checked(shown.data)["q-ch.booking"] == "2"


def test_an_unknown_language_button_is_just_a_save(app: Flask, client: FlaskClient) -> None:
    token = start(client)
    response = client.post(f"/r/{token}/page/1", data={**page_form(client, token, 1), "q-ch.booking": "2",
                                                       "nav": "lang-xx"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/page/2")
    assert b'<html lang="de">' in client.get(f"/r/{token}/page/1").data
