"""API test helpers: the web fixtures, a seeded workspace and a client that sends its bearer token."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlmodel import Session, SQLModel
from werkzeug.test import TestResponse

from tests.web import conftest as web
from tests.web.workspace_data import Seeded, seed_workspace

API = "/api/v1"
app, client = web.app, web.client  # the web tests' fixtures: an app on a fresh database, its test client


class Api:
    """The test client, calling the API as one token."""

    def __init__(self, client: FlaskClient, token: str) -> None:
        self.client, self.token = client, token

    def call(self, method: str, path: str, **kwargs: Any) -> TestResponse:
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return self.client.open(API + path, method=method, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> TestResponse:
        return self.call("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> TestResponse:
        return self.call("PUT", path, **kwargs)


@pytest.fixture
def seeded(app: Flask) -> Seeded:
    return seed_workspace(app, "Alpha")


@pytest.fixture
def api(client: FlaskClient, seeded: Seeded) -> Api:
    return Api(client, seeded.api_token)


def snapshot(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to show that a refused call changed nothing."""
    with Session(app.extensions["assess.engine"]) as session:
        return {
            table.name: sorted(session.execute(text(f'SELECT * FROM "{table.name}"')).all(), key=repr)
            for table in SQLModel.metadata.sorted_tables
        }


def assert_error(response: TestResponse, status: int, code: str | None = None) -> dict[str, Any]:
    """The response is the API's JSON error shape with `status` (and `code`)."""
    assert response.status_code == status, response.data[:500]
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    if code is not None:
        assert body["error"]["code"] == code
    return body["error"]
