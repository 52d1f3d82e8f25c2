"""A follow-up answered on a newer questionnaire version: compared only where the versions compare."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from assess import create_app
from assess.db import repo
from assess.db.models import Assessment
from assess.services import accounts, clients, questionnaires, reports
from tests.conftest import FIXTURES
from tests.web.workspace_data import PASSWORD, login

BEFORE = {"ch.booking": 2, "ch.chat-messenger": 2, "proc.handover": 1, "proc.map": 3, "data.master": 2,
          "data.lists": 1, "lead.skills": 2, "lead.style": 2}
NOW = {"ch.online-booking": 4, "ch.chat": 3, "ch.messenger": 2, "proc.flow": 3, "proc.gates": 1, "proc.status": 1,
       "data.master": 3, "data.privacy": 5, "lead.skills": 3, "lead.style": 5}


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": database_url,
                      "QUESTIONNAIRE_DIR": str(FIXTURES / "versions"), "DEFAULT_QUESTIONNAIRE": "mini-versions"})
    yield app
    app.extensions["assess.engine"].dispose()


def _answered(session: Session, assessment: object, answers: dict[str, int]) -> None:
    invitation = clients.invite(session, assessment, role="executive", name="Frau Chefin")  # type: ignore[arg-type]
    assert invitation.respondent.id is not None
    repo.upsert_answers(session, invitation.respondent.id, [(q, str(v), "", "") for q, v in answers.items()])


def _seed(app: Flask, *, new_version: str = "1.1") -> tuple[int, int]:
    """A client assessed on 1.0 and followed up on `new_version`: (workspace id, the follow-up's id)."""
    catalog = app.extensions["assess.catalog"]
    with Session(app.extensions["assess.engine"]) as session:
        workspace = accounts.create_workspace(session, "Versions Beratung")
        assert workspace.id is not None
        accounts.create_user(session, email="versions@example.com", password=PASSWORD, workspace_id=workspace.id,
                             is_admin=True)
        org = clients.create_organisation(session, workspace.id, name="Autohaus Müller", industry="automotive",
                                          size="50-249")
        assert org.id is not None
        # pinned to 1.0 before 1.1 was shipped (a new assessment starts on the newest version)
        first = Assessment(organisation_id=org.id, title="Erstaufnahme",
                           **questionnaires.pin_fields(catalog.get("mini-versions", "1.0")))
        session.add(first)
        session.flush()
        _answered(session, first, BEFORE)
        if new_version == "1.1":
            second = clients.create_assessment(session, catalog, workspace.id, org.id, questionnaire_id="mini-versions",
                                               title="Nachher", previous_id=first.id)
        else:
            second = Assessment(organisation_id=org.id, title="Nachher", previous_id=first.id,
                                **questionnaires.pin_fields(catalog.get("mini-versions", "1.0")))
            session.add(second)
            session.flush()
        _answered(session, second, NOW if new_version == "1.1" else BEFORE)
        session.commit()
        assert second.id is not None
        return workspace.id, second.id


def _report(app: Flask, assessment_id: int, lang: str) -> dict:
    catalog = app.extensions["assess.catalog"]
    with Session(app.extensions["assess.engine"]) as session:
        row, org = clients.assessment(session, _workspace(session), assessment_id)  # type: ignore[misc]
        return reports.assessment_report(session, catalog, row, org, lang)


def _workspace(session: Session) -> int:
    return accounts.user_by_email(session, "versions@example.com").workspace_id  # type: ignore[union-attr]


def test_the_change_compares_only_what_the_versions_share(app: Flask) -> None:
    _, follow_up = _seed(app)
    change = _report(app, follow_up, "en")["change"]
    dims = change["dimensions"]
    assert dims["channels"] == {**dims["channels"], "status": "comparable", "before": 25.0, "delta": 31.2}
    assert dims["processes"]["status"] == "not_comparable" and dims["processes"]["delta"] is None
    assert dims["processes"]["note"] == "2 questions changed: the questions changed too much to compare the score"
    assert dims["culture"]["status"] == "changed" and dims["culture"]["delta"] is not None  # leadership, renamed
    assert change["overall_before"] is None  # not every dimension compares
    versions = change["versions"]
    assert (versions["before"], versions["now"], versions["overall_comparable"]) == ("1.0", "1.1", False)
    by_kind = {q["kind"]: q for q in versions["questions"] if q["kind"] != "same"}
    assert by_kind["renamed"] == {**by_kind["renamed"], "before": 2.0, "now": 4.0, "delta": 2.0}
    assert by_kind["split"] == {**by_kind["split"], "before": 2.0, "now": 2.5, "delta": 0.5}  # the mean of chat, messenger
    assert by_kind["merged"] == {**by_kind["merged"], "before": 2.0, "now": 3.0, "delta": 1.0}
    reasons = {tuple(q["texts"]): q["reason"] for q in versions["not_comparable"]}
    assert reasons == {("Quality gates?",): "new in version 1.1", ("Status updates?",): "new in version 1.1",
                       ("Data protection?",): "new in version 1.1", ("Lists?",): "no longer asked",
                       ("Leadership style?",): "its level descriptions changed"}


def test_the_report_says_what_does_not_compare_in_the_readers_language(app: Flask) -> None:
    _, follow_up = _seed(app)
    change = _report(app, follow_up, "de")["change"]
    reasons = {q["texts"][0]: q["reason"] for q in change["versions"]["not_comparable"]}
    assert reasons["Quality Gates?"] == "neu in Version 1.1"
    assert reasons["Listen?"] == "nicht mehr gefragt"


def test_the_results_page_of_a_follow_up_on_a_newer_version(app: Flask, client: FlaskClient) -> None:
    _, follow_up = _seed(app)
    login(client, "versions@example.com")
    html = client.get(f"/w/assessment/{follow_up}/results?lang=en", headers={"Accept-Language": "en"}).get_data(
        as_text=True)
    assert 'data-testid="change-versions"' in html and 'data-testid="not-comparable"' in html
    assert "Quality gates?" in html and "Lists?" in html
    assert "version 1.0" in html or "Version 1.0" in html


def test_the_same_version_changes_nothing(app: Flask) -> None:
    _, follow_up = _seed(app, new_version="1.0")
    change = _report(app, follow_up, "en")["change"]
    assert change["versions"] is None and change["overall_before"] is not None
    assert all(d["status"] == "comparable" and d["delta"] == 0 and not d["not_comparable"]
               for d in change["dimensions"].values())


def test_the_word_report_names_what_does_not_compare(app: Flask) -> None:
    import io

    from docx import Document

    from assess.reporting.word import build_docx

    _, follow_up = _seed(app)
    document = Document(io.BytesIO(build_docx({**_report(app, follow_up, "en"), "full": True}, {})))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Not comparable with Erstaufnahme: Quality gates? (new in version 1.1)" in text
    assert "2 questions changed: the questions changed too much to compare the score" in text


def test_the_pdf_report_names_what_does_not_compare(app: Flask) -> None:
    from assess.reporting.compose import sections

    _, follow_up = _seed(app)
    printed = {s.name: s.html for s in sections({**_report(app, follow_up, "en"), "full": True}, set())}
    assert "Not comparable with Erstaufnahme:" in printed["dim-processes"]
    assert "Quality gates? (new in version 1.1)" in printed["dim-processes"]
    assert "Not compared with Erstaufnahme: the questionnaire changed from version 1.0 to 1.1" in printed["summary"]


def test_the_result_json_of_a_follow_up_carries_the_change(app: Flask, client: FlaskClient) -> None:
    _, follow_up = _seed(app)
    login(client, "versions@example.com")
    data = client.get(f"/w/assessment/{follow_up}/export.json").get_json(force=True)
    change = data["change"]
    assert change["label"] == "Erstaufnahme"
    assert set(change["dimensions"]) >= {"channels", "processes"}
    assert any(d["not_comparable"] for d in change["dimensions"].values())  # what does not compare is named


def test_an_uploaded_mapping_is_checked_against_the_older_version_the_workspace_keeps(database_url: str) -> None:
    """A consultant's own questionnaire: 1.0 uploaded first, then 1.1 mapping from it. An old id 1.0 does not have
    is named with its line; the same mapping uploaded where 1.0 was never kept is not checked (nothing to check)."""
    from assess.catalog import QuestionnaireError

    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": database_url})
    catalog = app.extensions["assess.catalog"]
    first = (FIXTURES / "versions" / "mini-1.0.yaml").read_text(encoding="utf-8").replace("mini-versions", "own-check")
    second = (FIXTURES / "versions" / "mini-1.1.yaml").read_text(encoding="utf-8").replace("mini-versions", "own-check")
    typo = second.replace("{kind: dropped, old: data.lists}", "{kind: dropped, old: data.listen}")
    assert typo != second
    try:
        with Session(app.extensions["assess.engine"]) as session:
            keeps, lacks = (accounts.create_workspace(session, name).id or 0 for name in ("Hat 1.0", "Ohne 1.0"))
            questionnaires.import_questionnaire(session, catalog, keeps, first, "own-1.0.yaml", None)
            with pytest.raises(QuestionnaireError) as refused:
                questionnaires.import_questionnaire(session, catalog, keeps, typo, "own-1.1.yaml", None)
            assert [p.code for p in refused.value.problems] == ["mapping_unknown_old"]
            assert "data.listen" in refused.value.problems[0].message
            assert refused.value.problems[0].line == typo.splitlines().index(
                next(line for line in typo.splitlines() if "data.listen" in line)) + 1
            assert questionnaires.import_questionnaire(session, catalog, keeps, second, "own-1.1.yaml", None).version == "1.1"
            assert questionnaires.import_questionnaire(session, catalog, lacks, typo, "own-1.1.yaml", None).version == "1.1"
    finally:
        app.extensions["assess.engine"].dispose()
