"""The short check (issue 17, item 2): a first look at a few questions whose answers carry over into the full
questionnaire; the length promised on the start page is computed from the text read."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assess import create_app
from assess.catalog import Catalog
from assess.domain.reading import reading_minutes
from tests.conftest import FIXTURES
from tests.web.conftest import csrf_of, page_form, stored

SHORT = ("ch.booking", "proc.handover", "data.master")


@pytest.fixture
def short_app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The mini questionnaire with one short-check question per dimension, as the app's default."""
    text = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")
    for question in ("Online-Buchung?", "Übergabe der Buchung?", "Stammdaten?"):
        head = re.search(rf'\n(\s+)text: \{{de: "{re.escape(question)}"[^\n]*', text)
        assert head, question
        text = text.replace(head.group(0), f"{head.group(0)}\n{head.group(1)}short: true", 1)
    (tmp_path / "mini.yaml").write_text(text, encoding="utf-8")
    shutil.copytree(FIXTURES / "engine", tmp_path / "engine") if (FIXTURES / "engine").is_dir() else None
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": database_url,
                      "QUESTIONNAIRE_DIR": str(tmp_path), "DEFAULT_QUESTIONNAIRE": "mini"})
    yield app
    app.extensions["assess.engine"].dispose()


def _start(client: FlaskClient, scope: str) -> str:
    notice = client.get("/start")
    client.post("/start/privacy", data={"csrf_token": csrf_of(notice.data), "accept": "yes"})
    page = client.get(f"/start?scope={scope}")
    response = client.post("/start", data={"csrf_token": csrf_of(page.data), "organisation": "Kurz GmbH",
                                           "industry": "", "size": "", "role": "executive", "language": "de",
                                           "scope": scope})
    assert response.status_code == 302, response.data
    return response.headers["Location"].split("/")[2]


def test_the_start_page_offers_the_short_check_with_its_computed_length(short_app: Flask) -> None:
    client = short_app.test_client()
    home = client.get("/").get_data(as_text=True)
    questionnaire = short_app.extensions["assess.catalog"].get("mini")
    minutes = reading_minutes(questionnaire, "de", frozenset(SHORT))
    assert f"3 Fragen, etwa {minutes} Minuten" in home
    assert 'data-testid="short-check"' in home


def test_the_short_check_asks_its_questions_and_carries_them_into_the_full_questionnaire(short_app: Flask) -> None:
    client = short_app.test_client()
    token = _start(client, "short")
    page = client.get(f"/r/{token}/page/1").get_data(as_text=True)
    assert "Online-Buchung?" in page and "Chat?" not in page
    assert "von 3 Fragen beantwortet" in page
    for number, question in enumerate(SHORT, start=1):
        response = client.post(f"/r/{token}/page/{number}",
                               data={**page_form(client, token, number), f"q-{question}": "3"})
        assert response.status_code == 302
    review = client.get(f"/r/{token}/review").get_data(as_text=True)
    assert "Alle Fragen sind beantwortet." in review
    client.post(f"/r/{token}/review", data={"csrf_token": csrf_of(review)})
    result = client.get(f"/r/{token}/result").get_data(as_text=True)
    assert 'data-testid="short-result"' in result and "3 Fragen des Kurzchecks" in result
    # on to the full questionnaire: the three answers are there, the other questions join them
    response = client.post(f"/r/{token}/full", data={"csrf_token": csrf_of(result)})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/r/{token}/page/1")
    page = client.get(f"/r/{token}/page/1").get_data(as_text=True)
    assert "Chat?" in page and "3 von 5 Fragen beantwortet" in page
    assert {q: v[0] for q, v in stored(short_app).items()} == dict.fromkeys(SHORT, "3")
    assert 'data-testid="short-result"' not in client.get(f"/r/{token}/result").get_data(as_text=True)


def test_without_a_short_check_the_start_page_offers_none(app: Flask, client: FlaskClient) -> None:
    home = client.get("/").get_data(as_text=True)
    assert 'data-testid="short-check"' not in home
    questionnaire: Catalog = app.extensions["assess.catalog"]
    assert f"Etwa {reading_minutes(questionnaire.get('mini'), 'de')} Minuten" in home
