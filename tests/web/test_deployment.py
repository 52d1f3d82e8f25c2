"""Running behind reverse proxies and through a Redis outage (no Redis server needed)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, request
from flask.testing import FlaskClient
from sqlalchemy import create_engine

from assess import create_app
from assess.config import ConfigError
from tests.conftest import FIXTURES
from tests.web.conftest import csrf_of
from tests.web.workspace_data import login, seed_workspace

NOBODY_LISTENS = "redis://127.0.0.1:1/0"


def _app(database_url: str, **config: object) -> Flask:
    return create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": database_url,
                       "QUESTIONNAIRE_DIR": str(FIXTURES), "DEFAULT_QUESTIONNAIRE": "mini", **config})


@pytest.fixture
def redis_down(database_url: str) -> Iterator[Flask]:
    app = _app(database_url, REDIS_URL=NOBODY_LISTENS)
    yield app
    app.extensions["assess.engine"].dispose()


def _failed_logins(client: FlaskClient, count: int, **headers: str) -> list[int]:
    csrf = csrf_of(client.get("/login", headers=headers).data)
    return [client.post("/login", headers=headers, data={"csrf_token": csrf, "email": "x@example.com",
                                                          "password": "wrong password"}).status_code
            for _ in range(count)]


def test_without_redis_the_sign_in_works_and_is_limited_in_memory(redis_down: Flask,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    seeded = seed_workspace(redis_down, "Alpha")
    with caplog.at_level(logging.WARNING, logger="flask-limiter"):
        login(redis_down.test_client(), seeded.email)
    assert "falling back to in-memory storage" in caplog.text
    codes = _failed_logins(redis_down.test_client(), 12)
    assert codes[:9] == [401] * 9 and codes[9:] == [429] * 3  # the sign-in above counted too


def test_without_redis_the_api_answers(redis_down: Flask) -> None:
    seeded = seed_workspace(redis_down, "Alpha")
    client = redis_down.test_client()
    assert client.get("/api/v1/openapi.json").status_code == 200
    response = client.get("/api/v1/organisations", headers={"Authorization": f"Bearer {seeded.api_token}"})
    assert response.status_code == 200 and response.get_json()


def test_health_reports_redis_as_degraded_not_the_app_as_dead(redis_down: Flask, app: Flask) -> None:
    response = redis_down.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True).splitlines() == ["database ok", "redis unavailable"]
    assert app.test_client().get("/healthz").get_data(as_text=True).splitlines() == ["database ok",
                                                                                     "redis not configured"]


def test_health_is_503_when_the_database_is_down(tmp_path: Path, database_url: str) -> None:
    app = _app(database_url, REDIS_URL=NOBODY_LISTENS)
    try:
        app.extensions["assess.engine"].dispose()
        app.extensions["assess.engine"] = create_engine(f"sqlite:///{tmp_path / 'gone' / 'assess.db'}")
        response = app.test_client().get("/healthz")
        assert response.status_code == 503
        assert response.get_data(as_text=True).splitlines() == ["database unavailable", "redis unavailable"]
    finally:
        app.extensions["assess.engine"].dispose()


def test_with_one_trusted_proxy_each_client_has_its_own_sign_in_limit(database_url: str,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSESS_TRUSTED_PROXIES", "1")
    app = _app(database_url)
    app.add_url_rule("/_seen", "seen", lambda: f"{request.url} {request.remote_addr}")
    try:
        assert app.config["TRUSTED_PROXIES"] == 1
        proxy = app.test_client()  # every request arrives from the proxy's address
        first = _failed_logins(proxy, 11, **{"X-Forwarded-For": "203.0.113.7"})
        second = _failed_logins(proxy, 3, **{"X-Forwarded-For": "198.51.100.9"})
        assert first == [401] * 10 + [429] and second == [401] * 3
        # Only the hop the proxy added counts: a client cannot escape its limit by sending its own header.
        spoofed = _failed_logins(proxy, 1, **{"X-Forwarded-For": "10.9.9.9, 203.0.113.7"})
        assert spoofed == [429]
        seen = proxy.get("/_seen", headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https",
                                            "X-Forwarded-Host": "assess.example.com"})
        assert seen.get_data(as_text=True) == "https://assess.example.com/_seen 203.0.113.7"
    finally:
        app.extensions["assess.engine"].dispose()


def test_without_trusted_proxies_the_forwarded_header_is_ignored(app: Flask) -> None:
    assert app.config["TRUSTED_PROXIES"] == 0
    client = app.test_client()
    first = _failed_logins(client, 10, **{"X-Forwarded-For": "203.0.113.7"})
    second = _failed_logins(client, 2, **{"X-Forwarded-For": "198.51.100.9"})
    assert first == [401] * 10 and second == [429, 429]  # one bucket: the header is not believed


@pytest.mark.parametrize("bad", ["-1", "eins", "11", "1.5"])
def test_a_mistyped_proxy_count_stops_the_start(bad: str, database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSESS_TRUSTED_PROXIES", bad)
    with pytest.raises(ConfigError, match="ASSESS_TRUSTED_PROXIES"):
        _app(database_url)


def test_gunicorn_waits_longer_than_the_apps_own_timeouts(monkeypatch: pytest.MonkeyPatch) -> None:
    import click

    from assess.cli.server import gunicorn_command
    from assess.reporting.pdf import CHART_WAIT
    from assess.reporting.svg import EXPORT_TIMEOUT, NAVIGATION_TIMEOUT

    monkeypatch.delenv("ASSESS_REQUEST_TIMEOUT", raising=False)
    command = gunicorn_command("gunicorn", "127.0.0.1", 5000, 2)
    timeout = int(command[command.index("--timeout") + 1])
    assert timeout > CHART_WAIT >= EXPORT_TIMEOUT > NAVIGATION_TIMEOUT  # the app answers before gunicorn kills
    monkeypatch.setenv("ASSESS_REQUEST_TIMEOUT", "300")
    command = gunicorn_command("gunicorn", "127.0.0.1", 5000, 2)
    assert command[command.index("--timeout") + 1] == "300"
    for wrong in ("30", "abc", "-5"):
        monkeypatch.setenv("ASSESS_REQUEST_TIMEOUT", wrong)
        with pytest.raises(click.UsageError, match="ASSESS_REQUEST_TIMEOUT"):
            gunicorn_command("gunicorn", "127.0.0.1", 5000, 2)
