"""Two workspaces' own questionnaires with the same id and version never mix (issue 11, item 1).

Every cache of questionnaire-derived things (form classes, radio buttons, page
frames) and every assessment's pin carries the questionnaire's source and
content hash, so a respondent always sees, and answers, their own workspace's text.
"""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from assess.catalog import digest_of
from assess.db.models import AnswerRow, Assessment
from assess.services import accounts, clients, questionnaires
from tests.conftest import FIXTURES
from tests.web.conftest import csrf_of, page_form
from tests.web.workspace_data import PASSWORD, login

MINI = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")


def _same_q(question_texts: tuple[str, str], question_ids: tuple[str, str] = ("ch.booking", "ch.chat")) -> str:
    """The mini questionnaire as `same-q` 1.0.0 with other first-page question texts (and ids)."""
    text = MINI.replace("id: mini", "id: same-q").replace('version: "1.0"', 'version: "1.0.0"')
    text = text.replace('"Online-Buchung?"', f'"{question_texts[0]}"').replace('"Online booking?"', f'"{question_texts[0]}"')
    text = text.replace('text: {de: "Chat?", en: "Chat?"}', f'text: {{de: "{question_texts[1]}", en: "{question_texts[1]}"}}')
    for old, new in zip(("ch.booking", "ch.chat"), question_ids, strict=True):
        text = re.sub(rf"\b{re.escape(old)}\b", new, text)
    return text


def _workspace_with(app: Flask, name: str, source: str) -> tuple[str, str]:
    """A workspace that uploaded `source` and started an assessment with it; (consultant e-mail, respondent token)."""
    catalog = app.extensions["assess.catalog"]
    with Session(app.extensions["assess.engine"]) as session:
        workspace = accounts.create_workspace(session, name)
        assert workspace.id is not None
        email = f"{name.lower()}@example.com"
        accounts.create_user(session, email=email, password=PASSWORD, workspace_id=workspace.id, is_admin=True)
        questionnaires.import_questionnaire(session, catalog, workspace.id, source, "same-q.yaml", None)
        org = clients.create_organisation(session, workspace.id, name=f"{name} GmbH", industry="retail", size="50-249")
        assessment = clients.create_assessment(session, catalog, workspace.id, org.id or 0, questionnaire_id="same-q")
        token = clients.invite(session, assessment, role="executive").token
        session.commit()
    return email, token


def _open(client: FlaskClient, token: str) -> str:
    """Accept the privacy notice and open page 1 (as a respondent following the link)."""
    notice = client.get(f"/r/{token}/privacy")
    if b'name="accept"' in notice.data:
        client.post(f"/r/{token}/privacy", data={"csrf_token": csrf_of(notice.data), "accept": "yes"})
    response = client.get(f"/r/{token}/page/1")
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_each_respondent_sees_their_own_workspaces_text(app: Flask) -> None:
    _, alpha_token = _workspace_with(app, "Alpha", _same_q(("Alpha-Frage eins", "Alpha-Frage zwei")))
    _, beta_token = _workspace_with(app, "Beta", _same_q(("Beta-Frage eins", "Beta-Frage zwei")))
    alpha, beta = app.test_client(), app.test_client()
    for _ in range(4):  # every request, whichever workspace's page was built first
        alpha_page, beta_page = _open(alpha, alpha_token), _open(beta, beta_token)
        assert "Alpha-Frage eins" in alpha_page and "Beta" not in alpha_page
        assert "Beta-Frage eins" in beta_page and "Alpha" not in beta_page


def test_other_question_ids_under_the_same_id_and_version_work(app: Flask) -> None:
    _, alpha_token = _workspace_with(app, "Alpha", _same_q(("Alpha eins", "Alpha zwei")))
    _, beta_token = _workspace_with(app, "Beta", _same_q(("Beta eins", "Beta zwei"), ("ch.portal", "ch.phone")))
    alpha, beta = app.test_client(), app.test_client()
    assert "Alpha eins" in _open(alpha, alpha_token)
    page = _open(beta, beta_token)
    assert "Beta eins" in page and 'name="q-ch.portal"' in page and "q-ch.booking" not in page
    response = beta.post(f"/r/{beta_token}/page/1", data={**page_form(beta, beta_token, 1), "q-ch.portal": "4"})
    assert response.status_code == 302
    with Session(app.extensions["assess.engine"]) as session:
        stored = {(row.question_id, row.value) for row in session.exec(select(AnswerRow))}
    assert stored == {("ch.portal", "4")}


def test_the_pin_carries_source_and_content_hash(app: Flask) -> None:
    source = _same_q(("Alpha eins", "Alpha zwei"))
    _workspace_with(app, "Alpha", source)
    with Session(app.extensions["assess.engine"]) as session:
        row = session.exec(select(Assessment)).one()
        ref = questionnaires.pinned_ref(row)
    assert ref.workspace_id is not None and (ref.id, ref.version) == ("same-q", "1.0.0")
    assert ref.digest == digest_of(source)


def test_an_upload_that_would_shadow_a_shipped_questionnaire_is_refused(app: Flask, client: FlaskClient) -> None:
    _workspace_with(app, "Alpha", _same_q(("eins", "zwei")))
    login(client, "alpha@example.com")
    page = client.get("/w/settings/questionnaires")
    shadow = MINI.replace("Online-Buchung?", "Eigene Frage")  # id mini, version 1.0: the shipped one
    response = client.post("/w/settings/questionnaires", data={"csrf_token": csrf_of(page.data), "text": shadow})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "wird mit der Anwendung ausgeliefert" in body and "upload.yaml, Zeile 4" in body  # file, line of `version:`, fix
    assert client.get("/w/settings/questionnaires").get_data(as_text=True).count("Eigene Frage") == 0


def test_a_question_text_like_a_placeholder_is_shown_as_text(app: Flask) -> None:
    _, token = _workspace_with(app, "Alpha", _same_q(("Was heißt QQslot999QQ und QQslot0QQ?", "zwei")))
    page = _open(app.test_client(), token)
    assert "Was heißt QQslot999QQ und QQslot0QQ?" in page
