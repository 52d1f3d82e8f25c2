"""Trust tests use the web fixtures (SQLite, or PostgreSQL with TEST_DATABASE_URL) and a seeded workspace."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from assess.db.models import Respondent
from tests.web.conftest import app, client, csrf_of  # noqa: F401  (fixtures shared with the web tests)
from tests.web.workspace_data import Seeded, login, seed_workspace


@pytest.fixture
def seeded(app: Flask) -> Seeded:  # noqa: F811
    """A workspace 'Nord' with a consultant (admin), a client, an assessment and three respondents."""
    return seed_workspace(app, "Nord")


@pytest.fixture
def consultant(client: FlaskClient, seeded: Seeded) -> FlaskClient:  # noqa: F811
    """The test client, signed in as Nord's consultant."""
    login(client, seeded.email)
    return client


def all_rows(app: Flask) -> dict[str, list[dict[str, Any]]]:  # noqa: F811
    """Every row of every table the models declare."""
    return rows_of(app.extensions["assess.engine"])


def rows_of(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table the models declare that exists in the database."""
    with engine.connect() as connection:
        present = set(inspect(connection).get_table_names())
        return {table.name: [dict(row) for row in connection.execute(
                    table.select().order_by(*table.primary_key.columns)).mappings()]
                for table in SQLModel.metadata.sorted_tables if table.name in present}


def respondent_row(app: Flask, respondent_id: int) -> Respondent | None:  # noqa: F811
    with Session(app.extensions["assess.engine"]) as session:
        return session.exec(select(Respondent).where(Respondent.id == respondent_id)).first()


def post_form(client: FlaskClient, page_url: str, action: str, data: dict[str, str]) -> Any:  # noqa: F811
    """POST `data` to `action` with the CSRF token of the page at `page_url`."""
    token = csrf_of(client.get(page_url).data)
    return client.post(action, data={"csrf_token": token, **data})


def leftovers(app: Flask, ids: dict[str, set[int]], values: set[str]) -> list[str]:  # noqa: F811
    """Where any of the deleted rows (`ids` per table) or `values` (names, comments, token hashes) is still found.

    Walks every table in SQLModel.metadata: primary keys, every foreign key column, every text or JSON value.
    The audit log's `object_id` is no foreign key: it keeps that a deletion happened (kind and id only).
    """
    found = []
    tables = {table.name: table for table in SQLModel.metadata.sorted_tables}
    for name, rows in all_rows(app).items():
        for row in rows:
            if row.get("id") in ids.get(name, set()):
                found.append(f"{name}.id={row['id']}")
            for column in tables[name].columns:
                value = row[column.name]
                for key in column.foreign_keys:
                    if value in ids.get(key.column.table.name, set()):
                        found.append(f"{name}.{column.name}={value}")
                text = value if isinstance(value, str) else json.dumps(value) if isinstance(value, dict | list) else ""
                found += [f"{name}.{column.name} contains {v!r}" for v in values if v and v in text]
    return found
