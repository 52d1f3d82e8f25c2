"""Seed data for workspace tests: a workspace with a consultant, a client, an assessment, respondents."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from assess.db import repo
from assess.services import accounts, aggregate, clients, questionnaires
from tests.web.conftest import csrf_of

PASSWORD = "correct horse battery"


@dataclass
class Seeded:
    email: str
    workspace_id: int
    user_id: int
    organisation_id: int
    assessment_id: int
    respondent_ids: list[int]
    tokens: list[str]
    api_token: str
    api_token_id: int


def seed_workspace(app: Flask, name: str, answers: list[dict[str, int | str]] | None = None, *,
                   own_questionnaire: str | None = None) -> Seeded:
    """A workspace whose assessment (mini questionnaire) has one respondent per answer set.

    `own_questionnaire`: YAML the workspace uploads and assesses with instead (the mini questions' ids).
    """
    answers = answers if answers is not None else [
        {"ch.booking": 5, "ch.chat": 2, "proc.handover": 1, "proc.map": 2, "data.master": 3},
        {"ch.booking": 2, "ch.chat": 2, "proc.handover": 3, "proc.map": 2, "data.master": 3},
        {"ch.booking": 4, "ch.chat": "na", "proc.handover": 1, "proc.map": 1, "data.master": "dont_know"},
    ]
    catalog = app.extensions["assess.catalog"]
    with Session(app.extensions["assess.engine"]) as session:
        workspace = accounts.create_workspace(session, f"{name} Beratung")
        assert workspace.id is not None
        user = accounts.create_user(session, email=f"{name.lower()}@example.com", password=PASSWORD,
                                    workspace_id=workspace.id, is_admin=True)
        org = clients.create_organisation(session, workspace.id, name=f"{name} Kunde GmbH", industry="retail", size="50-249")
        assert org.id is not None and user.id is not None
        questionnaire_id = "mini"
        if own_questionnaire is not None:
            questionnaire_id = questionnaires.import_questionnaire(session, catalog, workspace.id, own_questionnaire,
                                                                   "own.yaml", user.id).id
        assessment = clients.create_assessment(session, catalog, workspace.id, org.id, questionnaire_id=questionnaire_id)
        ids, tokens = [], []
        for index, answer_set in enumerate(answers):
            invitation = clients.invite(session, assessment, role=("executive", "service_staff", "it")[index % 3],
                                        name=f"Person {index + 1}")
            assert invitation.respondent.id is not None
            repo.upsert_answers(session, invitation.respondent.id, [
                (q, str(v), f"Kommentar {index + 1}" if q == "ch.booking" else "", "passt nicht" if v == "na" else "")
                for q, v in answer_set.items()])
            ids.append(invitation.respondent.id)
            tokens.append(invitation.token)
        aggregate.record_consensus(session, catalog, assessment, "ch.booking", 3, "agreed", user.id)
        token = accounts.create_api_token(session, user, "ci")
        session.commit()
        return Seeded(user.email, workspace.id, user.id, org.id, assessment.id or 0, ids, tokens, token.secret,
                      token.token.id or 0)


def login(client: FlaskClient, email: str, password: str = PASSWORD) -> None:
    page = client.get("/login")
    response = client.post("/login", data={"csrf_token": csrf_of(page.data), "email": email, "password": password})
    assert response.status_code == 302, response.data[:500]
