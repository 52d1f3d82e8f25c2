"""Sessions: an expired one or a double submit never loses an answer; a consultant's ends on the server."""

from __future__ import annotations

import datetime as dt
import time
from unittest import mock

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session
from werkzeug.test import TestResponse

from assess import create_app
from assess.config import ConfigError
from assess.db.models import User
from assess.services import accounts
from tests.web.conftest import checked, csrf_of, hidden_fields, page_form, start, stored
from tests.web.workspace_data import PASSWORD, login, seed_workspace


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


# Consultant sessions end on the server: a copied cookie dies with the session it was copied from.

def _copy(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of `client`'s session cookie (same address and User-Agent)."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    return thief


def _signed_in(client: FlaskClient) -> bool:
    return client.get("/w/").status_code == 200


def _post(client: FlaskClient, page: str, action: str, data: dict[str, str] | None = None) -> TestResponse:
    return client.post(action, data={"csrf_token": csrf_of(client.get(page).data), **(data or {})})


def _user(app: Flask, user_id: int) -> User:
    with Session(app.extensions["assess.engine"]) as session:
        user = session.get(User, user_id)
        assert user is not None
        return user


def test_logout_ends_every_session_of_the_account(app: Flask, client: FlaskClient) -> None:
    seeded = seed_workspace(app, "Alpha")
    login(client, seeded.email)
    copied, elsewhere = _copy(app, client), app.test_client()
    login(elsewhere, seeded.email)  # another device
    assert _signed_in(copied) and _signed_in(elsewhere)
    assert _post(client, "/w/", "/logout").status_code == 302
    assert not _signed_in(client) and not _signed_in(copied) and not _signed_in(elsewhere)
    assert "/login" in copied.get("/w/").headers["Location"]
    assert _user(app, seeded.user_id).session_generation == 1
    login(client, seeded.email)  # signing in again works, with a new session
    assert _signed_in(client) and not _signed_in(copied)


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(app: Flask, client: FlaskClient) -> None:
    seeded = seed_workspace(app, "Alpha")
    login(client, seeded.email)
    copied = _copy(app, client)
    response = _post(client, "/w/settings/password", "/w/settings/password",
                     {"current": PASSWORD, "new": "a new long password", "repeat": "a new long password"})
    assert response.status_code == 302
    page = client.get("/w/settings/password")  # still signed in here
    assert page.status_code == 200 and "Ihr Passwort ist geändert" in page.get_data(as_text=True)
    assert _signed_in(client) and not _signed_in(copied)


def test_deactivation_ends_the_sessions_and_reactivation_does_not_revive_them(app: Flask, client: FlaskClient) -> None:
    admin = seed_workspace(app, "Alpha")
    with Session(app.extensions["assess.engine"]) as session:
        colleague = accounts.create_user(session, email="kollege@example.com", password=PASSWORD,
                                         workspace_id=admin.workspace_id)
        session.commit()
        colleague_id = colleague.id
    login(client, admin.email)
    theirs = app.test_client()
    login(theirs, "kollege@example.com")
    copied = _copy(app, theirs)
    assert _post(client, "/w/settings/team", f"/w/settings/team/{colleague_id}/deactivate").status_code == 302
    assert not _signed_in(theirs) and not _signed_in(copied)
    assert _post(client, "/w/settings/team", f"/w/settings/team/{colleague_id}/activate").status_code == 302
    assert not _signed_in(theirs) and not _signed_in(copied)
    login(theirs, "kollege@example.com")
    assert _signed_in(theirs)


def test_a_password_reset_by_an_admin_ends_the_sessions(app: Flask, client: FlaskClient) -> None:
    admin = seed_workspace(app, "Alpha")
    with Session(app.extensions["assess.engine"]) as session:
        colleague = accounts.create_user(session, email="kollege@example.com", password=PASSWORD,
                                         workspace_id=admin.workspace_id)
        session.commit()
        colleague_id = colleague.id
    theirs = app.test_client()
    login(theirs, "kollege@example.com")
    login(client, admin.email)
    response = _post(client, "/w/settings/team", f"/w/settings/team/{colleague_id}/password",
                     {"password": "given by phone 123"})
    assert response.status_code == 302 and _signed_in(client)
    assert not _signed_in(theirs)
    login(theirs, "kollege@example.com", "given by phone 123")


def _resigned(app: Flask, cookie: str, *, age: float = 0, **changes: object) -> str:
    """The session cookie with `changes` applied, signed `age` seconds ago (as a browser could have kept it)."""
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    data = {**serializer.loads(cookie), **changes}
    signed_at = time.time() - age
    with mock.patch("itsdangerous.timed.time.time", return_value=signed_at):
        return str(serializer.dumps(data))


def test_an_idle_session_expires_on_the_server(app: Flask, client: FlaskClient) -> None:
    assert app.permanent_session_lifetime == dt.timedelta(hours=8)
    seeded = seed_workspace(app, "Alpha")
    login(client, seeded.email)
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.expires is not None  # permanent: the browser keeps it for the idle time
    assert cookie.expires - dt.datetime.now(dt.UTC) <= dt.timedelta(hours=8)
    for age, works in ((7.9 * 3600, True), (8 * 3600 + 5, False)):
        later = app.test_client()
        later.set_cookie("session", _resigned(app, cookie.value, age=age))
        assert _signed_in(later) is works, age
    # Each request renews the cookie's signed time: working keeps the session alive.
    working = app.test_client()
    working.set_cookie("session", _resigned(app, cookie.value, age=7.5 * 3600))
    assert _signed_in(working)
    renewed = working.get_cookie("session")
    assert renewed is not None
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    assert serializer.loads(renewed.value, max_age=60)["_user_id"] == f"{seeded.user_id}:0"  # signed just now


def test_an_idle_timeout_from_the_environment(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("ASSESS_SESSION_IDLE_HOURS", "0.5")
    monkeypatch.setenv("ASSESS_SESSION_MAX_HOURS", "2")
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": database_url})
    try:
        assert app.permanent_session_lifetime == dt.timedelta(minutes=30)
        assert app.config["SESSION_MAX_LIFETIME"] == 7200
    finally:
        app.extensions["assess.engine"].dispose()
    for bad in ("0", "-1", "acht", "nan"):
        monkeypatch.setenv("ASSESS_SESSION_IDLE_HOURS", bad)
        with pytest.raises(ConfigError, match="ASSESS_SESSION_IDLE_HOURS"):
            create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": database_url})


def test_a_session_ends_some_hours_after_the_sign_in_however_active(app: Flask, client: FlaskClient) -> None:
    seeded = seed_workspace(app, "Alpha")
    login(client, seeded.email)
    cookie = client.get_cookie("session")
    assert cookie is not None
    limit = app.config["SESSION_MAX_LIFETIME"]
    assert limit == 12 * 3600
    for signed_in_ago, works in ((limit - 60, True), (limit + 60, False)):
        active = app.test_client()  # freshly signed, as if used a second ago
        active.set_cookie("session", _resigned(app, cookie.value, signed_in_at=int(time.time() - signed_in_ago)))
        assert _signed_in(active) is works, signed_in_ago
    for forged in ({"signed_in_at": None}, {"signed_in_at": "0"}, {"_user_id": str(seeded.user_id)},
                   {"_user_id": f"{seeded.user_id}:x"}):  # no time, or an id without (or with a bad) generation
        other = app.test_client()
        other.set_cookie("session", _resigned(app, cookie.value, **forged))
        assert not _signed_in(other), forged


def test_the_language_switch_does_not_lengthen_a_session(app: Flask, client: FlaskClient) -> None:
    response = client.get("/lang/en")
    assert "session=" in response.headers["Set-Cookie"] and "Expires" not in response.headers["Set-Cookie"]
    seeded = seed_workspace(app, "Alpha")
    login(client, seeded.email)
    client.get("/lang/de")
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.expires is not None
    assert cookie.expires - dt.datetime.now(dt.UTC) <= dt.timedelta(hours=8)


def test_a_respondent_past_the_idle_time_gets_the_expired_page_with_the_answers(app: Flask, client: FlaskClient) -> None:
    token = start(client)
    stale = page_form(client, token, 1)
    cookie = client.get_cookie("session")
    assert cookie is not None
    later = app.test_client()
    later.set_cookie("session", _resigned(app, cookie.value, age=8 * 3600 + 60))  # the tab stayed open overnight
    response = later.post(f"/r/{token}/page/1", data={**stale, "q-ch.booking": "4", "nav": "next"})
    assert response.status_code == 400 and "Ihre Sitzung war abgelaufen" in response.get_data(as_text=True)
    assert checked(response.get_data(as_text=True)) == {"q-ch.booking": "4"} and stored(app) == {}
