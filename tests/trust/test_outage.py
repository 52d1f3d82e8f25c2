"""While the database is unreachable, a respondent's page is never lost (issue 11, item 12).

The app answers 503 with the page shown again, every answer ticked and every
comment filled in, and "save again" stores them once the database is back. On
PostgreSQL the outage is real: the app talks to the server through a TCP proxy
that the test cuts, as a server restart does.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import make_url
from sqlmodel import Session, select

from assess import create_app
from assess.catalog import Catalog
from assess.db.models import AnswerRow
from assess.db.session import make_engine
from tests.conftest import FIXTURES
from tests.trust.tcp_proxy import TcpProxy
from tests.web.conftest import checked, hidden_fields, inputs_of, page_form, start

SENT = {"q-ch.booking": "4", "c-ch.booking": "Buchung läuft über das Portal", "q-ch.chat": "na",
        "r-ch.chat": "Wir bieten keinen Chat an"}
NOWHERE = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere"  # nothing listens on port 1


def _stored(app: Flask) -> dict[str, tuple[str | None, str, str]]:
    with Session(app.extensions["assess.engine"]) as session:
        return {r.question_id: (r.value, r.comment, r.reason) for r in session.exec(select(AnswerRow))}


def _resend(page_html: bytes) -> dict[str, str]:
    """What the browser sends when the respondent presses "save" on the page the 503 showed."""
    fields = hidden_fields(page_html)
    fields.update(checked(page_html))
    text = page_html.decode()
    for name in ("c-ch.booking", "r-ch.chat"):
        if f'name="{name}"' in text:
            value = next((i.get("value", "") for i in inputs_of(page_html) if i.get("name") == name), None)
            if value is not None:
                fields[name] = value
    if "c-ch.booking" not in fields:  # the textarea's content
        start_at = text.index('name="c-ch.booking"')
        fields["c-ch.booking"] = text[text.index(">", start_at) + 1:text.index("</textarea>", start_at)]
    return fields


def _assert_shown_again(response_data: bytes) -> None:
    body = response_data.decode()
    assert checked(response_data) == {"q-ch.booking": "4", "q-ch.chat": "na"}
    assert "Buchung läuft über das Portal" in body and "Wir bieten keinen Chat an" in body


def test_a_page_sent_while_the_database_is_down_comes_back_ticked(app: Flask, client: FlaskClient) -> None:
    token = start(client)
    form = page_form(client, token, 1)
    engine = app.extensions["assess.engine"]
    dead = make_engine(NOWHERE)
    app.extensions["assess.engine"] = dead
    try:
        response = client.post(f"/r/{token}/page/1", data={**form, **SENT})
        assert response.status_code == 503 and response.headers["Retry-After"]
        _assert_shown_again(response.data)
        assert client.get(f"/r/{token}/page/1").status_code == 503  # a page view says so too, no 500
    finally:
        app.extensions["assess.engine"] = engine
        dead.dispose()
    again = client.post(f"/r/{token}/page/1", data={**_resend(response.data), "nav": "next"})
    assert again.status_code == 302
    assert _stored(app) == {"ch.booking": ("4", "Buchung läuft über das Portal", ""),
                            "ch.chat": ("na", "", "Wir bieten keinen Chat an")}


def test_without_the_questionnaire_in_memory_the_answers_still_come_back(app: Flask, client: FlaskClient) -> None:
    """Another worker, which never showed this questionnaire, cannot draw the page: it keeps the answers as a form."""
    token = start(client)
    form = page_form(client, token, 1)
    engine = app.extensions["assess.engine"]
    dead = make_engine(NOWHERE)
    app.extensions["assess.engine"], app.extensions["assess.catalog"] = dead, Catalog(FIXTURES / "none")
    try:
        response = client.post(f"/r/{token}/page/1", data={**form, **SENT, "nav": "next"})
        assert response.status_code == 503
        kept = hidden_fields(response.data)
        assert {k: kept[k] for k in SENT} == SENT
    finally:
        app.extensions["assess.engine"], app.extensions["assess.catalog"] = engine, Catalog(FIXTURES)
        dead.dispose()
    assert client.post(f"/r/{token}/page/1", data={**kept, "nav": "next"}).status_code == 302
    assert _stored(app)["ch.booking"] == ("4", "Buchung läuft über das Portal", "")


@pytest.fixture
def proxied(database_url: str) -> Iterator[tuple[Flask, TcpProxy]]:
    """The app with its PostgreSQL server behind a proxy the test can cut."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        pytest.skip("the restart is a PostgreSQL server's")
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
    proxy.start()
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "QUESTIONNAIRE_DIR": str(FIXTURES),
                      "DEFAULT_QUESTIONNAIRE": "mini",
                      "DATABASE_URL": url.set(port=proxy.port).render_as_string(hide_password=False)})
    yield app, proxy
    proxy.stop()
    app.extensions["assess.engine"].dispose()


@pytest.mark.postgres
def test_a_postgresql_restart_loses_nothing(proxied: tuple[Flask, TcpProxy]) -> None:
    app, proxy = proxied
    client = app.test_client()
    token = start(client)
    form = page_form(client, token, 1)  # the pool now holds a live connection through the proxy
    proxy.stop()  # the server "restarts": that connection dies, new ones are refused
    response = client.post(f"/r/{token}/page/1", data={**form, **SENT})
    assert response.status_code == 503
    _assert_shown_again(response.data)
    proxy.start()
    again = client.post(f"/r/{token}/page/1", data={**_resend(response.data), "nav": "next"})
    assert again.status_code == 302
    assert _stored(app)["ch.chat"] == ("na", "", "Wir bieten keinen Chat an")


def test_an_expired_session_during_an_outage_still_keeps_the_answers(app: Flask, client: FlaskClient) -> None:
    token = start(client)
    form = page_form(client, token, 1)
    engine = app.extensions["assess.engine"]
    dead = make_engine(NOWHERE)
    app.extensions["assess.engine"] = dead
    try:
        expired = client.post(f"/r/{token}/page/1", data={**form, **SENT, "csrf_token": "expired"})
        forged = client.post(f"/r/{token}/page/1", data={**form, **SENT, "rid": "0" * 16})
    finally:
        app.extensions["assess.engine"] = engine
        dead.dispose()
    assert expired.status_code == 503
    _assert_shown_again(expired.data)
    assert forged.status_code == 503 and b"Buchung l" not in forged.data  # another tab's form: nothing of it shown
