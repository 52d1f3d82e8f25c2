"""Questionnaires as spreadsheets on the upload page (issue 17, item 5): upload an XLSX like a YAML file, every
problem with its sheet and cell in the consultant's language; download the template and every questionnaire the
workspace can use, never another workspace's own."""

from __future__ import annotations

import io

import openpyxl
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from assess.catalog.sheet_export import write_workbook
from assess.catalog.sheet_import import parse_spreadsheet
from assess.catalog.source import read_yaml
from assess.db.models import StoredQuestionnaire
from tests.conftest import FIXTURES
from tests.web.conftest import csrf_of
from tests.web.workspace_data import login, seed_workspace

PAGE = "/w/settings/questionnaires"
MINI = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook(yaml_text: str, change: object = None) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(write_workbook(read_yaml(yaml_text, "x.yaml")[0])))
    if callable(change):
        change(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(client: FlaskClient, content: bytes, name: str = "own.xlsx") -> tuple[int, str]:
    response = client.post(PAGE, data={"csrf_token": csrf_of(client.get(PAGE).data), "file": (io.BytesIO(content), name)},
                           content_type="multipart/form-data")
    return response.status_code, response.get_data(as_text=True)


def _stored(app: Flask) -> list[tuple[str, str]]:
    with Session(app.extensions["assess.engine"]) as session:
        return [(r.questionnaire_id, r.version) for r in session.exec(select(StoredQuestionnaire))]


def test_an_xlsx_upload_is_stored_as_its_questionnaire(app: Flask, client: FlaskClient) -> None:
    login(client, seed_workspace(app, "Alpha", answers=[]).email)
    status, _ = _upload(client, _workbook(MINI.replace("id: mini", "id: own-q")))
    assert status == 302
    assert _stored(app) == [("own-q", "1.0")]
    assert "own-q" in client.get(PAGE).get_data(as_text=True)


def _weight_cell(book: openpyxl.Workbook) -> str:
    return next(c.column_letter for c in book["Fragen"][1] if c.value == "weight") + "3"


def test_an_xlsx_problem_names_sheet_and_cell_in_german(app: Flask, client: FlaskClient) -> None:
    login(client, seed_workspace(app, "Alpha", answers=[]).email)

    def change(book: openpyxl.Workbook) -> None:
        book["Fragen"][_weight_cell(book)] = "viel"
    content = _workbook(MINI.replace("id: mini", "id: own-q"), change)
    cell = _weight_cell(openpyxl.load_workbook(io.BytesIO(content)))
    status, body = _upload(client, content)
    assert status == 422
    assert f"own.xlsx, Zelle Fragen!{cell} (dimensions[0].questions[0].weight): Erwartet wird hier eine Zahl" in body
    assert _stored(app) == []
    client.get("/lang/en")
    status, body = _upload(client, content)
    assert f"own.xlsx, cell Fragen!{cell} (dimensions[0].questions[0].weight): Expected a number here" in body


def test_a_bad_workbook_is_named_and_nothing_is_stored(app: Flask, client: FlaskClient) -> None:
    login(client, seed_workspace(app, "Alpha", answers=[]).email)
    status, body = _upload(client, b"PK\x03\x04 kaputt")
    assert status == 422 and "own.xlsx: Das ist keine lesbare XLSX-Arbeitsmappe" in body

    def rename(book: openpyxl.Workbook) -> None:
        book["Fragen"].title = "Questions"
    status, body = _upload(client, _workbook(MINI.replace("id: mini", "id: own-q"), rename))
    assert status == 422 and "Fragen" in body and "Vorlage" in body
    status, body = _upload(client, _workbook(MINI))  # a shipped id and version
    assert status == 422 and "Zelle Fragebogen!B5" in body
    assert _stored(app) == []


def test_the_template_and_the_questionnaires_download_as_xlsx(app: Flask, client: FlaskClient) -> None:
    login(client, seed_workspace(app, "Alpha", answers=[]).email)
    page = client.get(PAGE).get_data(as_text=True)
    assert "/w/settings/questionnaire-template.xlsx" in page and "/w/settings/questionnaires/mini.xlsx?version=1.0" in page
    template = client.get("/w/settings/questionnaire-template.xlsx")
    assert template.status_code == 200 and template.mimetype == XLSX
    assert parse_spreadsheet(template.data, "template.xlsx").id == "my-questionnaire"
    shipped = client.get("/w/settings/questionnaires/mini.xlsx?version=1.0")
    assert shipped.status_code == 200 and "attachment" in shipped.headers["Content-Disposition"]
    assert parse_spreadsheet(shipped.data, "mini.xlsx").id == "mini"
    assert client.get("/w/settings/questionnaires/mini.xlsx?version=9.9").status_code == 404
    assert client.get("/w/settings/questionnaires/nope.xlsx").status_code == 404


def test_another_workspaces_own_questionnaire_is_a_404(app: Flask, client: FlaskClient) -> None:
    own = MINI.replace("id: mini", "id: alpha-q").replace("Online-Buchung?", "Alpha: Online-Buchung?")
    alpha = seed_workspace(app, "Alpha", answers=[], own_questionnaire=own)
    beta = seed_workspace(app, "Beta", answers=[])
    login(client, beta.email)
    for url in ("/w/settings/questionnaires/alpha-q.xlsx", "/w/settings/questionnaires/alpha-q.xlsx?version=1.0"):
        response = client.get(url)
        assert response.status_code == 404 and b"Alpha" not in response.data
    client.get("/logout")
    login(client, alpha.email)
    response = client.get("/w/settings/questionnaires/alpha-q.xlsx?version=1.0")
    assert response.status_code == 200
    assert parse_spreadsheet(response.data, "alpha-q.xlsx").question("ch.booking").text.get("de") == "Alpha: Online-Buchung?"


def test_downloads_need_a_sign_in(client: FlaskClient) -> None:
    for url in ("/w/settings/questionnaire-template.xlsx", "/w/settings/questionnaires/mini.xlsx"):
        assert client.get(url).status_code == 302
