"""Every endpoint's happy path, called as a consultant with a bearer token."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from assess.db.models import AuditEntry
from assess.reporting.serialize import evaluation_to_dict
from assess.services import aggregate, clients
from tests.api.conftest import Api
from tests.web.workspace_data import Seeded


def _audit(app: Flask) -> list[tuple[str, str, int | None]]:
    with Session(app.extensions["assess.engine"]) as session:
        return [(e.action, e.object_type, e.object_id) for e in session.exec(select(AuditEntry))]


def test_questionnaires(api: Api) -> None:
    listing = api.get("/questionnaires")
    assert listing.status_code == 200
    assert listing.get_json() == {"questionnaires": [
        {"id": "mini", "versions": ["1.0"], "latest": "1.0", "title": {"de": "Mini-Check", "en": "Mini check"}}]}
    document = api.get("/questionnaires/mini", query_string={"version": "1.0"}).get_json()
    assert document["id"] == "mini" and document["version"] == "1.0"
    assert [d["id"] for d in document["dimensions"]][:2] == ["channels", "processes"]
    assert api.get("/questionnaires/mini").get_json() == document
    assert api.get("/questionnaires/mini", query_string={"version": "9.9"}).status_code == 404
    assert api.get("/questionnaires/nope").status_code == 404


def test_organisations(api: Api, seeded: Seeded) -> None:
    listing = api.get("/organisations").get_json()["organisations"]
    assert [(o["id"], o["name"]) for o in listing] == [(seeded.organisation_id, "Alpha Kunde GmbH")]
    created = api.post("/organisations", json={"name": "  Autohaus Müller ", "industry": "automotive", "size": "50-249"})
    assert created.status_code == 201
    body = created.get_json()
    assert body["name"] == "Autohaus Müller" and body["industry"] == "automotive"
    assert created.headers["Location"] == f"/api/v1/organisations/{body['id']}"
    assert api.get(f"/organisations/{body['id']}").get_json() == body
    assert len(api.get("/organisations").get_json()["organisations"]) == 2
    assessments = api.get(f"/organisations/{seeded.organisation_id}/assessments").get_json()["assessments"]
    assert [a["id"] for a in assessments] == [seeded.assessment_id]
    assert api.get(f"/organisations/{body['id']}/assessments").get_json() == {"assessments": []}


def test_create_and_read_an_assessment(api: Api, seeded: Seeded) -> None:
    created = api.post("/assessments", json={
        "organisation_id": seeded.organisation_id, "questionnaire_id": "mini", "version": "1.0",
        "title": "Zweiter Durchlauf", "targets": {"channels": 5}, "deadline": "2027-03-31",
        "previous_id": seeded.assessment_id})
    assert created.status_code == 201, created.data
    body = created.get_json()
    assert body["title"] == "Zweiter Durchlauf" and body["targets"] == {"channels": 5}
    assert body["deadline"] == "2027-03-31" and body["previous_id"] == seeded.assessment_id
    assert body["questionnaire_version"] == "1.0"
    assert created.headers["Location"] == f"/api/v1/assessments/{body['id']}"
    detail = api.get(f"/assessments/{body['id']}").get_json()
    assert detail == {**body, "respondents": []}
    minimal = api.post("/assessments", json={"organisation_id": seeded.organisation_id, "questionnaire_id": "mini"})
    assert minimal.status_code == 201 and minimal.get_json()["title"] == "Mini-Check"


def test_assessment_shows_progress_per_respondent(api: Api, seeded: Seeded) -> None:
    detail = api.get(f"/assessments/{seeded.assessment_id}").get_json()
    progress = [(r["id"], r["role"], r["status"], r["answered"], r["total"]) for r in detail["respondents"]]
    assert progress == [(seeded.respondent_ids[0], "executive", "started", 5, 5),
                        (seeded.respondent_ids[1], "service_staff", "started", 5, 5),
                        (seeded.respondent_ids[2], "it", "started", 5, 5)]
    listing = api.get(f"/assessments/{seeded.assessment_id}/respondents").get_json()
    assert listing == {"respondents": detail["respondents"]}


def test_invite_revoke_reissue(api: Api, client: FlaskClient, seeded: Seeded) -> None:
    invited = api.post(f"/assessments/{seeded.assessment_id}/respondents",
                       json={"role": "management", "name": "Frau Schmidt", "language": "en"})
    assert invited.status_code == 201, invited.data
    body = invited.get_json()
    respondent = body["respondent"]
    assert (respondent["role"], respondent["name"], respondent["language"], respondent["status"]) == (
        "management", "Frau Schmidt", "en", "invited")
    assert invited.headers["Location"] == f"/api/v1/respondents/{respondent['id']}"
    link = body["link"]
    assert link.startswith("http://localhost/r/")
    assert client.get(link).status_code in (200, 302)  # the personal link works
    assert api.get(f"/respondents/{respondent['id']}").get_json() == respondent

    revoked = api.post(f"/respondents/{respondent['id']}/revoke")
    assert revoked.status_code == 200 and revoked.get_json()["status"] == "revoked"
    assert client.get(link).status_code == 410  # withdrawn, and the page says so

    reissued = api.post(f"/respondents/{respondent['id']}/reissue")
    assert reissued.status_code == 200
    new_link = reissued.get_json()["link"]
    assert new_link != link and reissued.get_json()["respondent"]["status"] == "invited"
    assert client.get(new_link).status_code in (200, 302)
    assert client.get(link).status_code == 404


def test_answers_round_trip(app: Flask, api: Api, seeded: Seeded) -> None:
    respondent_id = seeded.respondent_ids[0]
    before = api.get(f"/respondents/{respondent_id}/answers").get_json()
    assert before["answers"]["ch.booking"] == {"value": 5, "comment": "Kommentar 1", "reason": ""}
    assert (before["questionnaire_id"], before["questionnaire_version"]) == ("mini", "1.0")
    sent = {"ch.booking": 3, "ch.chat": {"value": "na", "reason": "kein Chat"},
            "proc.map": {"value": 4, "comment": "aus dem Workshop"}, "data.master": "dont_know"}
    written = api.put(f"/respondents/{respondent_id}/answers", json={"answers": sent})
    assert written.status_code == 200, written.data
    after = api.get(f"/respondents/{respondent_id}/answers").get_json()
    assert written.get_json() == after
    assert after["answers"] == {
        "ch.booking": {"value": 3, "comment": "", "reason": ""},
        "ch.chat": {"value": "na", "comment": "", "reason": "kein Chat"},
        "proc.handover": {"value": 1, "comment": "", "reason": ""},  # not sent: kept
        "proc.map": {"value": 4, "comment": "aus dem Workshop", "reason": ""},
        "data.master": {"value": "dont_know", "comment": "", "reason": ""},
    }
    again = api.put(f"/respondents/{respondent_id}/answers", json={"answers": {"ch.booking": 2}})
    assert again.get_json()["answers"]["ch.booking"]["value"] == 2  # the last write wins
    assert ("write", "respondent_answers", respondent_id) in _audit(app)
    assert ("read", "respondent_answers", respondent_id) in _audit(app)


def test_answers_of_a_new_respondent(api: Api, seeded: Seeded) -> None:
    invited = api.post(f"/assessments/{seeded.assessment_id}/respondents", json={"role": "it"}).get_json()
    respondent_id = invited["respondent"]["id"]
    assert api.get(f"/respondents/{respondent_id}/answers").get_json()["answers"] == {}
    api.put(f"/respondents/{respondent_id}/answers", json={"answers": {"ch.booking": 4, "ch.chat": 4}})
    progress = api.get(f"/respondents/{respondent_id}").get_json()
    assert (progress["status"], progress["answered"], progress["total"]) == ("started", 2, 5)


def test_result_equals_the_result_json_of_the_same_data(app: Flask, api: Api, seeded: Seeded) -> None:
    for lang in ("de", "en"):
        response = api.get(f"/assessments/{seeded.assessment_id}/result", query_string={"lang": lang})
        assert response.status_code == 200
        assert response.headers["Content-Language"] == lang
        with Session(app.extensions["assess.engine"]) as session:
            found = clients.assessment(session, seeded.workspace_id, seeded.assessment_id)
            assert found is not None
            result = aggregate.evaluate_assessment(session, app.extensions["assess.catalog"], found[0])
            expected = evaluation_to_dict(result.evaluation, lang)
        assert response.get_json() == expected
    body = api.get(f"/assessments/{seeded.assessment_id}/result").get_json()
    assert body["language"] == "de" and body["respondents"] == 3
    booking = next(q for q in body["questions"] if q["id"] == "ch.booking")
    assert booking["consensus"] is not None  # the workshop's agreed level is part of the result, as in the UI
    assert ("read", "assessment_results", seeded.assessment_id) in _audit(app)


def test_report_pdf(app: Flask, api: Api, seeded: Seeded) -> None:
    response = api.get(f"/assessments/{seeded.assessment_id}/report.pdf", query_string={"lang": "en"})
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"].startswith("attachment; filename=report-alpha-kunde-gmbh-")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert ("export_pdf", "assessment", seeded.assessment_id) in _audit(app)


def test_report_docx(app: Flask, api: Api, seeded: Seeded) -> None:
    from io import BytesIO

    from docx import Document

    response = api.get(f"/assessments/{seeded.assessment_id}/report.docx", query_string={"lang": "en"})
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert re.match(r"attachment; filename=report-alpha-kunde-gmbh-[\d-]+\.docx$", response.headers["Content-Disposition"])
    doc = Document(BytesIO(response.data))
    assert next(p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 1") == "At a glance"
    assert ("export_docx", "assessment", seeded.assessment_id) in _audit(app)


def test_report_pdf_without_chromium_is_a_503_that_says_why(api: Api, seeded: Seeded,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from assess.cache import MemoryCache, use_cache
    from assess.reporting import svg

    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    monkeypatch.setattr(svg, "_server", svg._Server())
    use_cache(MemoryCache())
    try:
        response = api.get(f"/assessments/{seeded.assessment_id}/report.pdf")
    finally:
        use_cache(None)
    assert response.status_code == 503
    assert "Chromium is not installed" in response.get_json()["error"]["message"]


def test_openapi_document_is_public(client: FlaskClient) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.get_json()["openapi"].startswith("3.1")


def test_an_assessment_carries_its_plan_settings(api: Api, seeded: Seeded) -> None:
    created = api.post("/assessments", json={"organisation_id": seeded.organisation_id, "questionnaire_id": "mini",
                                             "capacity": 2, "focus": 4})
    assert created.status_code == 201
    assert (created.get_json()["capacity"], created.get_json()["focus"]) == (2, 4)
    result = api.get(f"/assessments/{created.get_json()['id']}/result").get_json()
    assert result["roadmap"]["settings"]["capacity"] == 2 and result["roadmap"]["settings"]["focus"] == 4
    for bad in ({"capacity": 0}, {"capacity": 11}, {"focus": "5"}, {"capacity": True}):
        response = api.post("/assessments", json={"organisation_id": seeded.organisation_id, "questionnaire_id": "mini",
                                                  **bad})
        assert response.status_code in (400, 422), bad


def test_report_pdf_full_adds_the_appendix(api: Api, seeded: Seeded) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    def text(**query: str) -> str:
        response = api.get(f"/assessments/{seeded.assessment_id}/report.pdf", query_string={"lang": "en", **query})
        assert response.status_code == 200
        return " ".join(page.extract_text() or "" for page in PdfReader(BytesIO(response.data)).pages)

    short, full = text(), text(full="true")
    assert "Contents" not in short and "Contents" in full  # the appendix has a contents page and every question
    assert len(full) > len(short)
