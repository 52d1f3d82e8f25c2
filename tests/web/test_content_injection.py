"""Markup in an uploaded questionnaire is text on every page, also inside the charts' JSON (issue 11, item 7)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from assess.db import repo
from assess.services import accounts, clients, questionnaires
from tests.conftest import FIXTURES
from tests.web.workspace_data import PASSWORD, login

DIMENSION = "</script><svg onload=alert(1)>"
MEASURE = "</script><h1 id=inj>X</h1>"


def _hostile() -> str:
    text = (FIXTURES / "mini.yaml").read_text(encoding="utf-8").replace("id: mini", "id: hostile")
    text = text.replace("title: {de: Kanäle, en: Channels}", f"title: {{de: '{DIMENSION}', en: '{DIMENSION}'}}")
    return text.replace("title: {de: Prozesse aufnehmen, en: Map processes}", f"title: {{de: '{MEASURE}', en: '{MEASURE}'}}")


def test_markup_in_titles_never_reaches_a_page_raw(app: Flask, client: FlaskClient) -> None:
    catalog = app.extensions["assess.catalog"]
    with Session(app.extensions["assess.engine"]) as session:
        workspace = accounts.create_workspace(session, "Alpha")
        assert workspace.id is not None
        accounts.create_user(session, email="alpha@example.com", password=PASSWORD, workspace_id=workspace.id)
        questionnaires.import_questionnaire(session, catalog, workspace.id, _hostile(), "hostile.yaml", None)
        org = clients.create_organisation(session, workspace.id, name="Kunde", industry="retail", size="50-249")
        assessment = clients.create_assessment(session, catalog, workspace.id, org.id or 0, questionnaire_id="hostile")
        invitation = clients.invite(session, assessment, role="executive")
        repo.upsert_answers(session, invitation.respondent.id or 0, [
            ("ch.booking", "5", "", ""), ("ch.chat", "3", "", ""), ("proc.handover", "1", "", ""),
            ("proc.map", "1", "", ""), ("data.master", "2", "", "")])
        session.commit()
        assessment_id, token = assessment.id, invitation.token
    login(client, "alpha@example.com")
    pages = [client.get(f"/w/assessment/{assessment_id}/results"), app.test_client().get(f"/r/{token}/result")]
    for response in pages:
        body = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "<svg onload" not in body and "<h1 id=inj>" not in body
        assert body.count("</script>") == body.count("<script")  # no script element ends early
        assert "\\u003csvg onload=alert(1)\\u003e" in body or "&lt;svg onload=alert(1)&gt;" in body


def test_chart_labels_are_text_for_plotly_too() -> None:
    """plotly.js draws <a href> and <span style> in labels: a title is escaped before it becomes one."""
    from assess.reporting.charts import _short

    assert _short("</script><a href='x'>Kanäle</a>", 200) == "&lt;/script&gt;&lt;a href='x'&gt;Kanäle&lt;/a&gt;"
    assert "<" not in _short("a" * 40 + "<b>")
