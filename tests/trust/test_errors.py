"""Error pages in both languages, never a stack trace; oversized input is refused with a clear 4xx."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session
from werkzeug.test import TestResponse

from assess import create_app
from assess.services import accounts
from tests.conftest import FIXTURES
from tests.trust.conftest import all_rows, post_form
from tests.web.conftest import csrf_of, page_form, start, stored
from tests.web.workspace_data import PASSWORD, Seeded, login

TITLES = {
    400: ("Ungültige Anfrage", "Bad request"),
    403: ("Nicht erlaubt", "Not allowed"),
    404: ("Nicht gefunden", "Not found"),
    413: ("Zu groß", "Too large"),
    429: ("Zu viele Anfragen", "Too many requests"),
    500: ("Etwas ist schiefgelaufen", "Something went wrong"),
}
SECRET = "Geheimer Kommentar 4711"


class Boom(RuntimeError):
    pass


def _add_failing_route(app: Flask) -> None:
    def fail() -> str:
        raise Boom(f"the message quotes input: {SECRET}")

    app.add_url_rule("/boom", "boom", fail, methods=["GET", "POST"])


def _provoke(code: int, app: Flask, client: FlaskClient, headers: dict[str, str]) -> TestResponse:
    """Cause `code` the way a visitor would."""
    if code == 400:
        return client.post("/start/privacy", data={"accept": "yes"}, headers=headers)  # no CSRF token
    if code == 403:
        with Session(app.extensions["assess.engine"]) as session:
            workspace = accounts.create_workspace(session, "W")
            accounts.create_user(session, email="junior@example.com", password=PASSWORD, workspace_id=workspace.id or 0)
            session.commit()
        login(client, "junior@example.com")
        return client.get("/w/settings/audit", headers=headers)  # admins only
    if code == 404:
        return client.get("/r/no-such-link", headers=headers)
    if code == 413:
        return client.post("/start", data={"organisation": "x" * 300_000}, headers=headers)
    if code == 429:
        csrf = csrf_of(client.get("/login").data)
        for _ in range(60):
            response = client.post("/login", data={"csrf_token": csrf, "email": "a@b.c", "password": "wrong"},
                                   headers=headers)
            if response.status_code == 429:
                return response
        raise AssertionError("the login is not rate limited")
    return client.get("/boom", query_string={"comment": SECRET}, headers=headers)


@pytest.mark.parametrize("code", sorted(TITLES))
@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_error_page_in_both_languages_without_a_trace(app: Flask, client: FlaskClient, code: int, lang: str) -> None:
    _add_failing_route(app)
    response = _provoke(code, app, client, {"Accept-Language": lang})
    html = response.get_data(as_text=True)
    assert response.status_code == code
    german, english = TITLES[code]
    assert (german if lang == "de" else english) in html and f'lang="{lang}"' in html
    assert (english if lang == "de" else german) not in html
    assert "Traceback" not in html and SECRET not in html and "Boom" not in html


@pytest.fixture
def production_app(monkeypatch: pytest.MonkeyPatch, database_url: str) -> Iterator[Flask]:
    monkeypatch.setenv("ASSESS_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "production-test-key")
    monkeypatch.setenv("FLASK_DEBUG", "1")  # even asked for, the debugger stays off in production
    monkeypatch.setenv("ASSESS_SECURE_COOKIES", "0")  # the test client speaks plain HTTP
    app = create_app({"DATABASE_URL": database_url, "QUESTIONNAIRE_DIR": str(FIXTURES), "DEFAULT_QUESTIONNAIRE": "mini"})
    app.debug = True  # as `flask run --debug` would set it ...
    yield app
    app.extensions["assess.engine"].dispose()


def test_production_never_shows_a_stack_trace(production_app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    from assess.web import errors

    errors.init_app(production_app)  # ... and the error setup switches it off again
    assert production_app.debug is False
    _add_failing_route(production_app)
    client = production_app.test_client()
    for code in sorted(TITLES):
        response = _provoke(code, production_app, client, {"Accept-Language": "en"})
        html = response.get_data(as_text=True)
        assert response.status_code == code and TITLES[code][1] in html
        assert "Traceback" not in html and 'File "' not in html and SECRET not in html
    assert "unhandled error: Boom on GET /boom" in caplog.text
    assert SECRET not in caplog.text  # the log keeps the frames, not the message or the form


def _page_post(client: FlaskClient, token: str, **fields: str) -> Callable[[], TestResponse]:
    return lambda: client.post(f"/r/{token}/page/1", data={**page_form(client, token, 1), **fields})


def test_every_form_refuses_an_oversized_request(app: Flask, client: FlaskClient, seeded: Seeded) -> None:
    token = start(client)
    big = "x" * (300 * 1024)
    csrf = csrf_of(client.get(f"/r/{token}/page/1").data)
    public = ["/start", "/start/privacy", "/login", f"/r/{token}/page/1", f"/r/{token}/privacy", f"/r/{token}/review",
              f"/r/{seeded.tokens[0]}/privacy"]
    for url in public:
        response = client.post(url, data={"csrf_token": csrf, "c-ch.booking": big})
        assert response.status_code == 413, url
        assert "Zu groß" in response.get_data(as_text=True)
    login(client, seeded.email)
    csrf = csrf_of(client.get("/w/").data)
    workspace = ["/w/organisations", f"/w/org/{seeded.organisation_id}/assessments",
                 f"/w/assessment/{seeded.assessment_id}/invite", f"/w/assessment/{seeded.assessment_id}/targets",
                 f"/w/assessment/{seeded.assessment_id}/workshop/1", f"/w/respondent/{seeded.respondent_ids[0]}/delete",
                 f"/w/org/{seeded.organisation_id}/delete", "/w/settings/team", "/w/settings/retention",
                 "/w/settings/tokens", "/w/settings/questionnaires"]
    for url in workspace:
        response = client.post(url, data={"csrf_token": csrf, "name": big})
        assert response.status_code == 413, url
    upload = {"csrf_token": csrf, "file": (io.BytesIO(big.encode()), "q.yaml")}
    assert client.post("/w/settings/questionnaires", data=upload, content_type="multipart/form-data").status_code == 413
    assert len(all_rows(app)["answer"]) == 15 and len(all_rows(app)["organisation"]) == 2  # nothing was written


def test_the_api_refuses_an_oversized_body_with_json(app: Flask, client: FlaskClient, seeded: Seeded) -> None:
    rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/api/") and "POST" in (r.methods or ())]
    assert len(rules) >= 5  # the API is registered; every POST route is checked below
    body = '{"name": "' + "x" * (300 * 1024) + '"}'
    for rule in rules:
        url = rule.rule.replace("<int:", "<").replace("<organisation_id>", str(seeded.organisation_id)).replace(
            "<assessment_id>", str(seeded.assessment_id))
        url = re.sub(r"<[^>]+>", "1", url)
        response = client.post(url, data=body, content_type="application/json",
                               headers={"Authorization": f"Bearer {seeded.api_token}"})
        assert response.status_code == 413, url
        assert response.is_json and response.get_json()["error"]["code"] == "too_large"


def test_a_comment_longer_than_2000_characters_is_refused(app: Flask, client: FlaskClient) -> None:
    token = start(client)
    too_long = _page_post(client, token, **{"q-ch.booking": "3", "c-ch.booking": "x" * 2001})()
    assert too_long.status_code == 400 and stored(app) == {}
    fits = _page_post(client, token, **{"q-ch.booking": "3", "c-ch.booking": "x" * 2000})()
    assert fits.status_code == 302 and stored(app)["ch.booking"] == ("3", "x" * 2000, "")


def test_a_workshop_note_longer_than_2000_characters_is_refused(consultant: FlaskClient, seeded: Seeded) -> None:
    url = f"/w/assessment/{seeded.assessment_id}/workshop/1"
    assert post_form(consultant, url, url, {"level": "3", "note": "n" * 2001}).status_code == 400
    assert post_form(consultant, url, url, {"level": "3", "note": "n" * 2000}).status_code == 302
