"""Finished is finished: a respondent who finished reads their answers and changes them only by reopening them, and
only while the consultant has not closed the assessment; every reopen and close is in the audit log."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from assess.db.models import AuditEntry, Respondent
from tests.api.conftest import Api
from tests.web.conftest import csrf_of, page_form, start, stored
from tests.web.workspace_data import Seeded, login, seed_workspace


def _finish(client: FlaskClient, token: str) -> None:
    for number, values in {1: {"q-ch.booking": "2", "q-ch.chat": "1"}, 2: {"q-proc.handover": "1", "q-proc.map": "1"},
                           3: {"q-data.master": "2"}}.items():
        client.post(f"/r/{token}/page/{number}", data={**page_form(client, token, number), **values, "nav": "next"})
    review = client.get(f"/r/{token}/review")
    assert client.post(f"/r/{token}/review", data={"csrf_token": csrf_of(review.data)}).status_code == 302


def test_a_finished_self_assessment_is_read_only_until_its_answers_are_reopened(app: Flask, client: FlaskClient) -> None:
    token = start(client)
    _finish(client, token)
    form = client.get(f"/r/{token}/page/1")
    assert form.status_code == 302 and form.headers["Location"] == f"/r/{token}/answers"
    answers = client.get(f"/r/{token}/answers").get_data(as_text=True)
    assert 'data-testid="change-answers"' in answers and "Stufe 2" in answers and "Formular" in answers
    before = stored(app)
    late = client.post(f"/r/{token}/page/1", data={"csrf_token": csrf_of(answers.encode()), "q-ch.booking": "5",
                                                   "nav": "next"})
    assert late.status_code == 409 and 'data-testid="refused"' in late.get_data(as_text=True)
    assert stored(app) == before  # nothing changed
    reopened = client.post(f"/r/{token}/reopen", data={"csrf_token": csrf_of(answers.encode())})
    assert reopened.headers["Location"] == f"/r/{token}/page/1"
    with Session(app.extensions["assess.engine"]) as session:
        assert all(r.finished_at is None for r in session.exec(select(Respondent)))  # out of the result until finished
    client.post(f"/r/{token}/page/1", data={**page_form(client, token, 1), "q-ch.booking": "5", "nav": "next"})
    assert stored(app)["ch.booking"][0] == "5"


def test_a_closed_assessment_takes_no_change_and_its_reopen_and_close_are_audited(
        app: Flask, client: FlaskClient) -> None:
    seeded: Seeded = seed_workspace(app, "Alpha")
    consultant = app.test_client()
    login(consultant, seeded.email)
    respondent = app.test_client()
    token = seeded.tokens[0]
    page = respondent.get(f"/r/{token}/privacy")  # the privacy notice first
    respondent.post(f"/r/{token}/privacy", data={"csrf_token": csrf_of(page.data), "accept": "yes"})
    _finish(respondent, token)
    answers = respondent.get(f"/r/{token}/answers")
    assert respondent.post(f"/r/{token}/reopen", data={"csrf_token": csrf_of(answers.data)}).status_code == 302
    _finish(respondent, token)

    shown_page = consultant.get(f"/w/assessment/{seeded.assessment_id}")
    assert shown_page.status_code == 200, (shown_page.status_code, shown_page.headers.get("Location"))
    csrf = csrf_of(shown_page.data)
    assert consultant.post(f"/w/assessment/{seeded.assessment_id}/close", data={"csrf_token": csrf}).status_code == 302
    assert 'data-testid="closed"' in consultant.get(f"/w/assessment/{seeded.assessment_id}").get_data(as_text=True)
    before = stored(app)
    shown = respondent.get(f"/r/{token}/answers").get_data(as_text=True)
    assert 'data-testid="closed"' in shown and 'data-testid="change-answers"' not in shown
    refused = respondent.post(f"/r/{token}/reopen", data={"csrf_token": csrf_of(answers.data)})  # a tab opened before
    assert refused.status_code == 409
    api = Api(app.test_client(), seeded.api_token)
    through_api = api.call("PUT", f"/respondents/{seeded.respondent_ids[1]}/answers", json={"answers": {"ch.booking": 5}})
    assert through_api.status_code == 409 and through_api.get_json()["error"]["code"] == "assessment_closed"
    assert stored(app) == before

    assert consultant.post(f"/w/assessment/{seeded.assessment_id}/close",
                           data={"csrf_token": csrf, "reopen": "1"}).status_code == 302
    shown = respondent.get(f"/r/{token}/answers").get_data(as_text=True)
    assert 'data-testid="change-answers"' in shown
    with Session(app.extensions["assess.engine"]) as session:
        actions = [(e.action, e.object_type) for e in session.exec(
            select(AuditEntry).where(AuditEntry.workspace_id == seeded.workspace_id).order_by(AuditEntry.id))]
    assert ("reopen_answers", "respondent") in actions
    assert actions.index(("close_assessment", "assessment")) < actions.index(("reopen_assessment", "assessment"))
