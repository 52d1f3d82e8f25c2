from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from assess import create_app
from assess.db.models import AnswerRow
from tests.conftest import FIXTURES


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test",
        "DATABASE_URL": database_url,
        "QUESTIONNAIRE_DIR": str(FIXTURES),
        "DEFAULT_QUESTIONNAIRE": "mini",
    })
    yield app
    app.extensions["assess.engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "input":
            self.inputs.append({k: v or "" for k, v in attrs})


def inputs_of(html: bytes | str) -> list[dict[str, str]]:
    parser = _Inputs()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return parser.inputs


def hidden_fields(html: bytes | str) -> dict[str, str]:
    return {i["name"]: i.get("value", "") for i in inputs_of(html) if i.get("type") == "hidden"}


def checked(html: bytes | str) -> dict[str, str]:
    """The checked radio value per question field."""
    return {i["name"]: i["value"] for i in inputs_of(html) if i.get("type") == "radio" and "checked" in i}


def csrf_of(html: bytes | str) -> str:
    token = hidden_fields(html).get("csrf_token")
    assert token, "no CSRF token on the page"
    return token


def start(client: FlaskClient, organisation: str = "Autohaus Müller", language: str = "de") -> str:
    """Start a self-assessment (confirming the privacy notice first); return the resume token."""
    notice = client.get("/start")
    client.post("/start/privacy", data={"csrf_token": csrf_of(notice.data), "accept": "yes"})
    page = client.get("/start")
    response = client.post("/start", data={
        "csrf_token": csrf_of(page.data), "organisation": organisation, "industry": "automotive",
        "size": "50-249", "role": "executive", "language": language,
    })
    assert response.status_code == 302, response.data
    match = re.match(r"/r/([^/]+)/page/1$", response.headers["Location"])
    assert match
    return match.group(1)


def page_form(client: FlaskClient, token: str, number: int) -> dict[str, str]:
    """The hidden fields of a page as rendered now (what a browser tab holds)."""
    response = client.get(f"/r/{token}/page/{number}")
    assert response.status_code == 200
    return hidden_fields(response.data)


def stored(app: Flask) -> dict[str, tuple[str | None, str, str]]:
    with Session(app.extensions["assess.engine"]) as session:
        return {r.question_id: (r.value, r.comment, r.reason) for r in session.exec(select(AnswerRow))}
