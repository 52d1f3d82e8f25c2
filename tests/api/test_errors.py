"""Authentication and the error shape: every failure under /api is JSON, never an HTML page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from assess.db.models import ApiToken, User
from assess.services import accounts
from tests.api.conftest import API, Api, assert_error
from tests.web.conftest import csrf_of
from tests.web.workspace_data import Seeded, login


def _unauthorized(response: object, code: str) -> None:
    error = assert_error(response, 401, code)  # type: ignore[arg-type]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")  # type: ignore[attr-defined]
    assert error["details"] == []


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer ", "Basic YWxpY2U6c2VjcmV0", "asst_nothing"])
def test_no_token_is_401(client: FlaskClient, seeded: Seeded, header: str | None) -> None:
    headers = {} if header is None else {"Authorization": header}
    _unauthorized(client.get(f"{API}/organisations", headers=headers), "unauthorized")


def test_a_wrong_token_is_401(client: FlaskClient, seeded: Seeded) -> None:
    for secret in ("asst_wrong", seeded.api_token + "x", seeded.api_token.upper(), "x" * 500):
        _unauthorized(client.get(f"{API}/organisations", headers={"Authorization": f"Bearer {secret}"}), "invalid_token")


def test_a_revoked_token_is_401(app: Flask, client: FlaskClient, seeded: Seeded) -> None:
    api = Api(client, seeded.api_token)
    assert api.get("/organisations").status_code == 200
    with Session(app.extensions["assess.engine"]) as session:  # revoked in the UI at /w/settings/tokens
        user = session.get(User, seeded.user_id)
        assert user is not None and accounts.revoke_api_token(session, user, seeded.api_token_id)
        session.commit()
    _unauthorized(api.get("/organisations"), "invalid_token")
    _unauthorized(api.post("/organisations", json={"name": "X", "industry": "retail", "size": "1-49"}), "invalid_token")


def test_the_token_of_a_deactivated_account_is_401(app: Flask, client: FlaskClient, seeded: Seeded) -> None:
    with Session(app.extensions["assess.engine"]) as session:
        user = session.get(User, seeded.user_id)
        assert user is not None
        user.active = False
        session.add(user)
        session.commit()
    _unauthorized(Api(client, seeded.api_token).get("/organisations"), "invalid_token")


def test_a_token_revoked_in_the_ui_stops_working(client: FlaskClient, seeded: Seeded) -> None:
    login(client, seeded.email)
    page = client.get("/w/settings/tokens")
    response = client.post(f"/w/settings/tokens/{seeded.api_token_id}/revoke", data={"csrf_token": csrf_of(page.data)})
    assert response.status_code == 302
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/w/").data)})
    _unauthorized(Api(client, seeded.api_token).get("/organisations"), "invalid_token")


def test_use_is_recorded_on_the_token(app: Flask, api: Api, seeded: Seeded) -> None:
    api.get("/organisations")
    with Session(app.extensions["assess.engine"]) as session:
        token = session.get(ApiToken, seeded.api_token_id)
        assert token is not None and token.last_used_at is not None


def test_a_browser_session_is_not_enough(client: FlaskClient, seeded: Seeded) -> None:
    login(client, seeded.email)
    _unauthorized(client.get(f"{API}/organisations"), "unauthorized")


def test_unknown_paths_and_methods_are_json(api: Api) -> None:
    assert_error(api.get("/nothing"), 404, "not_found")
    assert_error(api.post("/nothing/else"), 404, "not_found")
    assert_error(api.get("/assessments/0"), 404, "not_found")
    assert_error(api.get("/assessments/-1"), 404, "not_found")
    assert_error(api.get("/assessments/99999999999999999999999"), 404, "not_found")
    not_allowed = api.call("DELETE", "/organisations")
    assert_error(not_allowed, 405, "method_not_allowed")
    assert "POST" in not_allowed.headers["Allow"]


def test_bodies_that_are_not_json(api: Api) -> None:
    assert_error(api.post("/organisations", data="name=X", content_type="application/x-www-form-urlencoded"), 415)
    assert_error(api.post("/organisations"), 415)
    assert_error(api.post("/organisations", data="{not json", content_type="application/json"), 400, "invalid_json")
    assert_error(api.post("/organisations", data="[" * 100_000, content_type="application/json"), 400, "invalid_json")
    assert_error(api.post("/organisations", data=b"\xff\xfe", content_type="application/json"), 400, "invalid_json")


def test_a_body_too_large_is_413(api: Api) -> None:
    big = {"name": "X" * 300_000, "industry": "retail", "size": "1-49"}
    assert_error(api.post("/organisations", json=big), 413, "too_large")


def test_csrf_does_not_apply_to_the_api(api: Api) -> None:
    """No cookie authenticates an API call, so there is nothing to forge; the token is the proof."""
    assert api.post("/organisations", json={"name": "Ohne CSRF", "industry": "retail", "size": "1-49"}).status_code == 201


@pytest.fixture
def limited_app(app: Flask) -> Iterator[Flask]:
    app.config["API_RATE_LIMIT"] = "3 per minute"
    yield app


def test_rate_limit_is_json(limited_app: Flask, seeded: Seeded) -> None:
    api = Api(limited_app.test_client(), seeded.api_token)
    statuses = [api.get("/organisations").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    limited = api.get("/organisations")
    assert_error(limited, 429, "rate_limited")
    assert "Retry-After" in limited.headers


def test_server_errors_are_json_without_details(app: Flask, api: Api, seeded: Seeded,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from assess.services import clients

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("database on fire: secret detail")

    monkeypatch.setattr(clients, "organisations", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = api.get("/organisations")
    error = assert_error(response, 500, "server_error")
    assert "secret" not in response.get_data(as_text=True) and error["details"] == []


def test_other_pages_keep_their_html_errors(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_a_waiting_report_says_its_own_retry_after_not_the_rate_limit_window(
        limited_app: Flask, seeded: Seeded, monkeypatch: pytest.MonkeyPatch) -> None:
    """Flask-Limiter writes the end of its window (up to a minute here) into Retry-After on every limited
    response; a client that follows it must ask for its report again after the view's 2 s, not a minute later."""
    from assess.web.api import results
    from assess.web.report_jobs import Waiting
    from assess.web.reports import REFRESH_SECONDS

    monkeypatch.setattr(results, "report_file", lambda *args, **kwargs: Waiting("queued", sent=True))
    api = Api(limited_app.test_client(), seeded.api_token)
    waiting = api.get(f"/assessments/{seeded.assessment_id}/report.pdf")
    assert waiting.status_code == 202
    assert waiting.headers["Retry-After"] == str(REFRESH_SECONDS)
    assert waiting.headers["X-RateLimit-Remaining"] == "2"  # the limit's own headers stay
    listed = api.get("/organisations")
    assert listed.status_code == 200 and "Retry-After" not in listed.headers  # nothing to wait for
    limited = next(r for r in (api.get("/organisations") for _ in range(5)) if r.status_code == 429)
    assert int(limited.headers["Retry-After"]) > REFRESH_SECONDS


def test_looking_again_at_a_report_under_way_does_not_use_up_the_limit_but_sending_one_does(
        limited_app: Flask, seeded: Seeded, monkeypatch: pytest.MonkeyPatch) -> None:
    """Twenty reports asked for at once are polled as Retry-After says: a look at a job another request sent is not
    counted against the API's 3 a minute; a request that sends a job is; the report routes' own limit counts all."""
    from assess.web.api import results
    from assess.web.report_jobs import Waiting

    sent = {"now": True}
    monkeypatch.setattr(results, "report_file", lambda *args, **kwargs: Waiting("queued", sent=sent["now"]))
    limited_app.config["REPORT_POLL_RATE_LIMIT"] = "20 per minute"
    api = Api(limited_app.test_client(), seeded.api_token)
    url = f"/assessments/{seeded.assessment_id}/report.pdf"
    assert api.get(url).status_code == 202  # sends: 1 of 3
    sent["now"] = False
    assert [api.get(url).status_code for _ in range(5)] == [202] * 5  # looks: not counted
    sent["now"] = True
    assert [api.get(url).status_code for _ in range(3)] == [202, 202, 429]  # sends: 2 and 3 of 3, then refused
    sent["now"] = False
    assert api.get(url).status_code == 429  # the API's limit is used up: a look is refused too
