"""An assessment's evaluation is computed once per change of its inputs and reused by the page, the API and
the exports; every change of an input shows at once, and nothing computed in a rolled-back transaction is served."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlmodel import Session

from assess import cache
from assess.db import repo
from assess.db.models import Assessment, Organisation, Respondent, User
from assess.domain.evaluation import Evaluation
from assess.services import aggregate, assessments, clients, privacy, questionnaires, reports
from assess.services.privacy import deletion
from tests.web.workspace_data import Seeded, login, seed_workspace


@pytest.fixture
def seeded(app: Flask) -> Seeded:
    return seed_workspace(app, "Memo")


@pytest.fixture
def evaluations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the domain evaluations the result service runs."""
    calls: list[int] = []
    real: Callable[..., Evaluation] = aggregate.evaluate

    def counting(*args: Any, **kwargs: Any) -> Evaluation:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(aggregate, "evaluate", counting)
    return calls


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    with Session(app.extensions["assess.engine"], expire_on_commit=False) as s:
        yield s


def _evaluate(app: Flask, assessment_id: int) -> aggregate.AssessmentResult:
    """What a new request sees: a new session, the assessment loaded afresh."""
    with Session(app.extensions["assess.engine"]) as s:
        row = s.get(Assessment, assessment_id)
        assert row is not None
        return aggregate.evaluate_assessment(s, app.extensions["assess.catalog"], row)


def _level(result: aggregate.AssessmentResult, question_id: str) -> float | None:
    return result.evaluation.card.questions[question_id].level


def test_the_page_the_api_and_the_export_share_one_evaluation(app: Flask, seeded: Seeded,
                                                              evaluations: list[int]) -> None:
    client = app.test_client()
    login(client, seeded.email)
    app.extensions["assess.catalog"].results.clear()
    assert client.get(f"/w/assessment/{seeded.assessment_id}/results").status_code == 200
    assert client.get(f"/w/assessment/{seeded.assessment_id}/export.json").status_code == 200
    api = client.get(f"/api/v1/assessments/{seeded.assessment_id}/result",
                     headers={"Authorization": f"Bearer {seeded.api_token}"})
    assert api.status_code == 200
    assert client.get(f"/w/assessment/{seeded.assessment_id}/workshop/1").status_code == 200
    assert len(evaluations) == 1


def test_every_change_of_an_input_shows_at_once(app: Flask, seeded: Seeded, session: Session) -> None:
    catalog = app.extensions["assess.catalog"]
    assessment_id = seeded.assessment_id
    first = _evaluate(app, assessment_id)
    assert _level(first, "proc.handover") == pytest.approx((1 + 3 + 1) / 3)

    repo.upsert_answers(session, seeded.respondent_ids[0], [("proc.handover", "5", "", "")])
    session.commit()
    assert _level(_evaluate(app, assessment_id), "proc.handover") == pytest.approx((5 + 3 + 1) / 3)

    row = session.get(Assessment, assessment_id)
    assert row is not None
    aggregate.record_consensus(session, catalog, row, "proc.handover", 2, "room agreed", seeded.user_id)
    session.commit()
    assert _level(_evaluate(app, assessment_id), "proc.handover") == 2

    clients.set_targets(session, row, questionnaires.for_assessment(session, catalog, row), {"processes": 5})
    session.commit()
    assert _evaluate(app, assessment_id).evaluation.card.dimension("processes").target == 5

    clients.set_plan(session, row, capacity=1, focus=2)
    session.commit()
    assert len(_evaluate(app, assessment_id).evaluation.roadmap.measures) <= 2

    invitation = clients.invite(session, row, role="it")
    session.commit()
    assert _evaluate(app, assessment_id).evaluation.card.respondents == 4

    deletion.delete_respondents(session, [invitation.respondent.id or 0, seeded.respondent_ids[0]])
    session.commit()
    assert _evaluate(app, assessment_id).evaluation.card.respondents == 2


def test_a_result_computed_in_a_rolled_back_transaction_is_never_served(app: Flask, seeded: Seeded) -> None:
    catalog = app.extensions["assess.catalog"]
    engine = app.extensions["assess.engine"]
    before = _level(_evaluate(app, seeded.assessment_id), "data.master")
    with Session(engine) as s:  # a request that writes, reads its own result, then fails
        repo.upsert_answers(s, seeded.respondent_ids[0], [("data.master", "1", "", "")])
        row = s.get(Assessment, seeded.assessment_id)
        assert row is not None
        assert _level(aggregate.evaluate_assessment(s, catalog, row), "data.master") != before
        s.rollback()
    assert _level(_evaluate(app, seeded.assessment_id), "data.master") == before

    with Session(engine) as s:  # a later change that commits is shown as it is, not as the rolled-back one
        repo.upsert_answers(s, seeded.respondent_ids[0], [("data.master", "5", "", "")])
        s.commit()
    assert _level(_evaluate(app, seeded.assessment_id), "data.master") == pytest.approx((5 + 3) / 2)


def test_a_follow_up_evaluates_its_previous_run_not_the_whole_chain(app: Flask, seeded: Seeded, session: Session,
                                                                   evaluations: list[int]) -> None:
    catalog = app.extensions["assess.catalog"]
    previous = seeded.assessment_id
    for _ in range(3):  # four runs of the same client, each following the one before
        follow_up = clients.create_assessment(session, catalog, seeded.workspace_id, seeded.organisation_id,
                                              questionnaire_id="mini", previous_id=previous)
        assert follow_up.id is not None
        previous = follow_up.id
    session.commit()
    catalog.results.clear()
    evaluations.clear()
    result = _evaluate(app, previous)
    assert result.previous is not None and result.previous_assessment is not None
    assert len(evaluations) == 2  # the run and the one before it, not all four


def test_answers_of_another_assessment_do_not_change_this_one(app: Flask, seeded: Seeded, session: Session,
                                                             evaluations: list[int]) -> None:
    other = seed_workspace(app, "Other")
    _evaluate(app, seeded.assessment_id)
    evaluations.clear()
    repo.upsert_answers(session, other.respondent_ids[0], [("proc.handover", "5", "", "")])
    session.commit()
    _evaluate(app, seeded.assessment_id)
    assert evaluations == []
    assert session.get(Respondent, other.respondent_ids[0]) is not None


def test_the_workshop_shows_of_a_question_what_the_report_shows(app: Flask, seeded: Seeded, session: Session) -> None:
    catalog = app.extensions["assess.catalog"]
    row = session.get(Assessment, seeded.assessment_id)
    organisation = session.get(Organisation, seeded.organisation_id)
    assert row is not None and organisation is not None
    for lang in ("de", "en"):
        report = reports.assessment_report(session, catalog, row, organisation, lang)
        details = [q for d in report["dimensions"] for q in d["question_details"]]
        assert len(details) == 5
        for detail in details:
            assert reports.workshop_question(session, catalog, row, detail["id"], lang) == detail


def test_a_respondents_own_result_follows_their_answers(app: Flask, seeded: Seeded, session: Session,
                                                        evaluations: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = assessments.evaluate
    monkeypatch.setattr(assessments, "evaluate", lambda *a, **k: calls.append(1) or real(*a, **k))
    catalog = app.extensions["assess.catalog"]
    token = seeded.tokens[0]

    def level() -> float | None:
        with Session(app.extensions["assess.engine"]) as s:
            report = reports.respondent_report(s, catalog, token, "de")
        assert report is not None
        return next(q["level"] for d in report["dimensions"] for q in d["question_details"] if q["id"] == "ch.chat")

    assert level() == 2 and level() == 2
    assert len(calls) == 1
    repo.upsert_answers(session, seeded.respondent_ids[0], [("ch.chat", "4", "", "")])
    session.commit()
    assert level() == 4
    other = seeded.tokens[1]  # another respondent of the same assessment has their own result
    with Session(app.extensions["assess.engine"]) as s:
        report = reports.respondent_report(s, catalog, other, "de")
    assert report is not None and report["respondents"] == 1
    assert next(q["level"] for d in report["dimensions"] for q in d["question_details"] if q["id"] == "ch.booking") == 2


def test_the_memo_forgets_the_least_recently_used_and_what_is_too_old(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(cache.time, "monotonic", lambda: now[0])
    memo = cache.LocalMemo(max_items=2, max_age=60)
    memo.set("a", 1)
    memo.set("b", 2)
    assert memo.get("a") == 1
    memo.set("c", 3)  # b was used least recently
    assert (memo.get("a"), memo.get("b"), memo.get("c")) == (1, None, 3)
    now[0] += 61
    assert memo.get("a") is None and memo.get("c") is None and len(memo) == 0


def test_deleting_a_respondent_or_a_client_takes_its_results_out_of_memory(app: Flask, seeded: Seeded) -> None:
    catalog = app.extensions["assess.catalog"]
    engine = app.extensions["assess.engine"]
    kept = seed_workspace(app, "Kept")
    _evaluate(app, seeded.assessment_id)
    _evaluate(app, kept.assessment_id)

    def remembered(assessment_id: int) -> bool:
        return any(key[1] == assessment_id for key in catalog.results.stored_keys())  # type: ignore[index]

    assert remembered(seeded.assessment_id) and remembered(kept.assessment_id)
    with Session(engine) as s:
        respondent = s.get(Respondent, seeded.respondent_ids[0])
        assert respondent is not None
        privacy.delete_respondent(s, catalog, _actor(s, seeded), respondent)
        s.commit()
    assert not remembered(seeded.assessment_id) and remembered(kept.assessment_id)
    _evaluate(app, seeded.assessment_id)
    with Session(engine) as s:
        organisation = s.get(Organisation, seeded.organisation_id)
        assert organisation is not None
        privacy.delete_organisation(s, catalog, _actor(s, seeded), organisation)
        s.commit()
    assert not remembered(seeded.assessment_id) and remembered(kept.assessment_id)


def _actor(session: Session, seeded: Seeded) -> User:
    user = session.get(User, seeded.user_id)
    assert user is not None
    return user
