"""Deleting a respondent or a client leaves nothing of them in any table, aggregate or export."""

from __future__ import annotations

import io
import json

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlmodel import Session, select

from assess.db.models import AnswerRow, Assessment, AuditEntry, Consensus, Respondent
from assess.services import clients
from tests.trust.conftest import all_rows, leftovers, post_form
from tests.web.workspace_data import Seeded, login, seed_workspace


def _export(client: FlaskClient, assessment_id: int, fmt: str) -> str:
    response = client.get(f"/w/assessment/{assessment_id}/export.{fmt}")
    assert response.status_code == 200
    return response.data.decode("utf-8-sig")


def _audit(app: Flask) -> list[tuple[str, str, int | None]]:
    with Session(app.extensions["assess.engine"]) as session:
        return [(e.action, e.object_type, e.object_id) for e in session.exec(select(AuditEntry))]


def test_deleting_a_respondent_removes_them_from_every_table_aggregate_and_export(
        app: Flask, consultant: FlaskClient, seeded: Seeded) -> None:
    target = seeded.respondent_ids[0]
    page = f"/w/assessment/{seeded.assessment_id}"
    with Session(app.extensions["assess.engine"]) as session:
        token_hash = session.get(Respondent, target).token_hash  # type: ignore[union-attr]
        answer_ids = set(session.exec(select(AnswerRow.id).where(AnswerRow.respondent_id == target)))
    assert "Person 1" in _export(consultant, seeded.assessment_id, "csv")
    before = json.loads(_export(consultant, seeded.assessment_id, "json"))
    assert before["respondents"] == 3

    unconfirmed = post_form(consultant, page, f"/w/respondent/{target}/delete", {})
    assert unconfirmed.status_code == 302 and len(all_rows(app)["respondent"]) == 3  # the box was not ticked
    response = post_form(consultant, page, f"/w/respondent/{target}/delete", {"confirm": "yes"})
    assert response.status_code == 302 and response.headers["Location"] == page

    assert leftovers(app, {"respondent": {target}, "answer": answer_ids},
                     {"Person 1", "Kommentar 1", token_hash}) == []
    csv_text = _export(consultant, seeded.assessment_id, "csv")
    assert "Person 1" not in csv_text and "Kommentar 1" not in csv_text and "Person 2" in csv_text
    after = json.loads(_export(consultant, seeded.assessment_id, "json"))
    assert after["respondents"] == 2 and after != before
    workbook = load_workbook(io.BytesIO(consultant.get(f"/w/assessment/{seeded.assessment_id}/export.xlsx").data))
    cells = {str(c) for row in workbook.active.iter_rows(values_only=True) for c in row}  # type: ignore[union-attr]
    assert "Person 1" not in cells and "Kommentar 1" not in cells and "Person 2" in cells
    results = consultant.get(f"/w/assessment/{seeded.assessment_id}/results").get_data(as_text=True)
    assert "Kommentar 1" not in results and "Person 1" not in results
    assert consultant.get(f"/r/{seeded.tokens[0]}").status_code == 404  # the link is gone too
    assert ("delete", "respondent", target) in _audit(app)


def test_deleting_a_client_removes_everything_under_it_and_nothing_else(
        app: Flask, consultant: FlaskClient, seeded: Seeded) -> None:
    other_workspace = seed_workspace(app, "Sued")
    catalog = app.extensions["assess.catalog"]
    with Session(app.extensions["assess.engine"]) as session:  # a follow-up and a second client of the same workspace
        first = session.get(Assessment, seeded.assessment_id)
        assert first is not None
        follow_up = clients.create_assessment(session, catalog, seeded.workspace_id, seeded.organisation_id,
                                              questionnaire_id="mini", previous_id=first.id)
        neighbour = clients.create_organisation(session, seeded.workspace_id, name="Nachbar AG", industry="retail",
                                                size="1-49")
        session.flush()
        assessment_ids, neighbour_id = {seeded.assessment_id, follow_up.id or 0}, neighbour.id
        session.commit()
        respondents = session.exec(select(Respondent).where(Respondent.assessment_id == seeded.assessment_id)).all()
        respondent_ids = {r.id or 0 for r in respondents}
        hashes = {r.token_hash for r in respondents}
        answer_ids = set(session.exec(select(AnswerRow.id).where(AnswerRow.respondent_id.in_(respondent_ids))))  # type: ignore[union-attr]
        consensus_ids = set(session.exec(select(Consensus.id).where(Consensus.assessment_id == seeded.assessment_id)))
    page = f"/w/org/{seeded.organisation_id}"
    assert "Nord Kunde GmbH" in consultant.get(page).get_data(as_text=True)
    assert post_form(consultant, page, f"{page}/delete", {}).headers["Location"] == page  # not confirmed: kept
    assert len(all_rows(app)["organisation"]) == 3
    response = post_form(consultant, page, f"{page}/delete", {"confirm": "yes"})
    assert response.status_code == 302 and response.headers["Location"] == "/w/"

    deleted = {"organisation": {seeded.organisation_id}, "assessment": assessment_ids, "respondent": respondent_ids,
               "answer": answer_ids, "consensus": consensus_ids}
    assert leftovers(app, deleted, {"Nord Kunde GmbH", *hashes}) == []
    rows = all_rows(app)  # the seed gives both workspaces the same comments: those left are the other one's
    assert {a["respondent_id"] for a in rows["answer"]} == set(other_workspace.respondent_ids)
    assert {r["name"] for r in rows["organisation"]} == {"Nachbar AG", "Sued Kunde GmbH"}
    assert neighbour_id in {r["id"] for r in rows["organisation"]}
    for assessment_id in assessment_ids:
        for url in (f"/w/assessment/{assessment_id}", f"/w/assessment/{assessment_id}/export.csv",
                    f"/w/assessment/{assessment_id}/export.json", f"/w/assessment/{assessment_id}/results"):
            assert consultant.get(url).status_code == 404
    assert ("delete", "organisation", seeded.organisation_id) in _audit(app)
    # The other workspace still has all of its data.
    other = app.test_client()
    login(other, other_workspace.email)
    assert json.loads(_export(other, other_workspace.assessment_id, "json"))["respondents"] == 3


def test_a_consultant_cannot_delete_in_another_workspace(app: Flask, consultant: FlaskClient, seeded: Seeded) -> None:
    other = seed_workspace(app, "Sued")
    page = f"/w/assessment/{seeded.assessment_id}"
    assert post_form(consultant, page, f"/w/respondent/{other.respondent_ids[0]}/delete",
                     {"confirm": "yes"}).status_code == 404
    assert post_form(consultant, page, f"/w/org/{other.organisation_id}/delete", {"confirm": "yes"}).status_code == 404
    assert len(all_rows(app)["respondent"]) == 6
    assert consultant.post(f"/w/org/{seeded.organisation_id}/delete", data={"confirm": "yes"}).status_code == 400  # CSRF


def test_the_delete_buttons_are_on_the_pages(consultant: FlaskClient, seeded: Seeded) -> None:
    assessment = consultant.get(f"/w/assessment/{seeded.assessment_id}").get_data(as_text=True)
    assert f"/w/respondent/{seeded.respondent_ids[0]}/delete" in assessment and 'name="confirm"' in assessment
    organisation = consultant.get(f"/w/org/{seeded.organisation_id}").get_data(as_text=True)
    assert f"/w/org/{seeded.organisation_id}/delete" in organisation and 'name="confirm"' in organisation
