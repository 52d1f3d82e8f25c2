"""The Excel export a consultant works with: raw answers, scores by dimension, question and role, the roadmap
and the agreed levels, each sheet headed in the reader's language, read back with openpyxl."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from openpyxl.workbook import Workbook
from sqlmodel import Session

from assess.db import repo
from assess.db.models import Assessment, Organisation
from assess.services import aggregate
from tests.web.workspace_data import Seeded, login, seed_workspace

SHEETS_DE = ["Antworten", "Dimensionen", "Fragen", "Nach Rolle", "Roadmap", "Vereinbarte Stufen"]
SHEETS_EN = ["Answers", "Dimensions", "Questions", "By role", "Roadmap", "Agreed levels"]


def _workbook(client: FlaskClient, seeded: Seeded, **headers: str) -> Workbook:
    response = client.get(f"/w/assessment/{seeded.assessment_id}/export.xlsx", headers=headers)
    assert response.status_code == 200 and response.headers["Content-Disposition"].endswith("results.xlsx")
    return load_workbook(io.BytesIO(response.data))


def _rows(workbook: Workbook, title: str) -> list[dict[str, Any]]:
    """A sheet as records keyed by its headers."""
    values = list(workbook[title].iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def _json(client: FlaskClient, seeded: Seeded) -> dict[str, Any]:
    return json.loads(client.get(f"/w/assessment/{seeded.assessment_id}/export.json").data)


def test_the_workbook_has_a_sheet_for_each_view_with_german_headers(app: Flask, client: FlaskClient) -> None:
    seeded = seed_workspace(app, "Alpha")
    login(client, seeded.email)
    workbook = _workbook(client, seeded)
    assert workbook.sheetnames == SHEETS_DE and workbook.active.title == "Antworten"  # type: ignore[union-attr]
    header = {title: [c.value for c in workbook[title][1]] for title in SHEETS_DE}
    assert header["Antworten"][:6] == ["Organisation", "Erhebung Nr.", "Fragebogen", "Version", "Teilnehmende/r Nr.",
                                       "Rolle"]
    assert header["Antworten"][-1] == "Im Workshop vereinbarte Stufe"
    assert header["Dimensionen"][:3] == ["Dimension", "Punktwert (0–100)", "Stufe"]
    assert "Grundlage der Stufe" in header["Fragen"] and "Spannweite" in header["Fragen"]
    assert header["Nach Rolle"][:4] == ["Dimension", "Geschäftsführung / Inhaber/in (1)",
                                        "Mitarbeitende im Kundenservice (1)", "IT (1)"]
    assert header["Roadmap"][:4] == ["Nr.", "Phase", "Maßnahme", "Dimension"]
    assert header["Vereinbarte Stufen"][:5] == ["Nr.", "Dimension", "Frage-ID", "Frage", "Im Workshop vereinbarte Stufe"]
    for title, cells in header.items():  # no header left untranslated (an English word or a code)
        assert not {"question_id", "role", "level", "Level", "Question", "Answer"} & set(cells), title


def test_the_sheets_hold_the_results_figures(app: Flask, client: FlaskClient) -> None:
    seeded = seed_workspace(app, "Alpha")
    login(client, seeded.email)
    workbook, result = _workbook(client, seeded), _json(client, seeded)

    answers = _rows(workbook, "Antworten")
    assert len(answers) == 3 * 5 and {a["Rolle"] for a in answers} == {
        "Geschäftsführung / Inhaber/in", "Mitarbeitende im Kundenservice", "IT"}  # role labels, never codes
    assert {a["Antwort"] for a in answers} >= {"Weiß nicht", "Nicht zutreffend", "5"}
    assert {a["Im Workshop vereinbarte Stufe"] for a in answers if a["Frage-ID"] == "ch.booking"} == {3}
    assert {a["Im Workshop vereinbarte Stufe"] for a in answers if a["Frage-ID"] != "ch.booking"} == {None}

    dimensions = _rows(workbook, "Dimensionen")
    assert dimensions[0]["Dimension"] == "Gesamtindex" and dimensions[0]["Punktwert (0–100)"] == result["overall"]["score"]
    assert [(d["Dimension"], d["Punktwert (0–100)"]) for d in dimensions[1:]] == [
        (d["title"], d["score"]) for d in result["dimensions"]]
    assert dimensions[1]["Im Workshop vereinbarte Fragen"] == 1  # ch.booking in the channels
    assert workbook["Dimensionen"]["H2"].number_format == "0%"

    questions = _rows(workbook, "Fragen")
    assert [q["Frage-ID"] for q in questions] == ["ch.booking", "ch.chat", "proc.handover", "proc.map", "data.master"]
    booking = questions[0]
    assert booking["Stufe"] == 3 and booking["Grundlage der Stufe"] == "im Workshop vereinbart"
    assert booking["Mittelwert der Teilnehmenden"] == 3.67 and booking["Spannweite"] == 3
    assert {q["Grundlage der Stufe"] for q in questions[1:]} <= {"Mittelwert der Teilnehmenden", "gespalten: zwei Lager"}

    by_role = _rows(workbook, "Nach Rolle")
    roles = {r["role"]: r["scores"] for r in result["roles"]}
    assert [r["IT (1)"] for r in by_role] == [roles["it"].get(d["id"]) for d in result["dimensions"]]
    assert "Wahrnehmungslücke (Führung minus Servicemitarbeitende)" in by_role[0]

    roadmap = _rows(workbook, "Roadmap")
    plan = result["roadmap"]
    expected = ([("Sofortmaßnahmen", m["title"]) for m in plan["quick_wins"]]
                + [(f"Phase {p['number']}", m["title"]) for p in plan["phases"] for m in p["measures"]]
                + [("Weitere Maßnahmen (noch nicht eingeplant)", m["title"]) for m in plan["backlog"]])
    assert expected and [(r["Phase"], r["Maßnahme"]) for r in roadmap] == expected  # in the roadmap's order
    assert [r["Nr."] for r in roadmap] == list(range(1, len(expected) + 1))
    first = next(m for p in plan["phases"] for m in p["measures"])
    row = next(r for r in roadmap if r["Maßnahme"] == first["title"])
    assert row["Ab Woche"] == first["start_week"] + 1 and row["Bis Woche"] == first["end_week"]
    assert row["Aufwand"] in {"gering", "mittel", "hoch"}

    agreed = _rows(workbook, "Vereinbarte Stufen")
    assert len(agreed) == 1 and agreed[0]["Frage-ID"] == "ch.booking"
    assert agreed[0]["Im Workshop vereinbarte Stufe"] == 3 and agreed[0]["Notiz"] == "agreed"
    assert agreed[0]["Mittelwert der Teilnehmenden"] == 3.67 and agreed[0]["Bedeutung der Stufe"]


def test_english_readers_get_english_headers(app: Flask, client: FlaskClient) -> None:
    seeded = seed_workspace(app, "Alpha")
    login(client, seeded.email)
    workbook = _workbook(client, seeded, **{"Accept-Language": "en"})
    assert workbook.sheetnames == SHEETS_EN
    answers = _rows(workbook, "Answers")
    assert "Question ID" in answers[0] and answers[0]["Role"] == "Executive / owner"
    assert _rows(workbook, "Questions")[0]["Basis of the level"] == "agreed in the workshop"


def test_the_csv_is_headed_in_german_with_role_labels(app: Flask, client: FlaskClient) -> None:
    seeded = seed_workspace(app, "Alpha")
    login(client, seeded.email)
    body = client.get(f"/w/assessment/{seeded.assessment_id}/export.csv").data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body), delimiter=";"))
    assert list(rows[0])[:3] == ["Organisation", "Erhebung Nr.", "Fragebogen"]
    assert {r["Rolle"] for r in rows} == {"Geschäftsführung / Inhaber/in", "Mitarbeitende im Kundenservice", "IT"}
    assert {r["Im Workshop vereinbarte Stufe"] for r in rows if r["Frage-ID"] == "ch.booking"} == {"3"}


def test_no_sheet_carries_a_formula(app: Flask, client: FlaskClient) -> None:
    seeded = seed_workspace(app, "Alpha")
    catalog = app.extensions["assess.catalog"]
    with Session(app.extensions["assess.engine"]) as session:
        organisation = session.get(Organisation, seeded.organisation_id)
        assessment = session.get(Assessment, seeded.assessment_id)
        assert organisation is not None and assessment is not None
        organisation.name = "=HYPERLINK(\"http://evil.example\")"
        session.add(organisation)
        repo.upsert_answers(session, seeded.respondent_ids[0], [("ch.chat", "2", "+SUM(A1:A9)", "")])
        aggregate.record_consensus(session, catalog, assessment, "proc.map", 2, "@cmd|' /C calc'!A0", seeded.user_id)
        session.commit()
    login(client, seeded.email)
    workbook = _workbook(client, seeded)
    cells = [c for title in workbook.sheetnames for row in workbook[title].iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # nothing Excel would compute
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert "'=HYPERLINK(\"http://evil.example\")" in texts and "'+SUM(A1:A9)" in texts
    assert "'@cmd|' /C calc'!A0" in texts  # the workshop's note, on the agreed levels' sheet
