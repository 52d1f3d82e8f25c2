"""Many respondents saving at once, and one respondent saving from two tabs at once: no answer is lost.

Each thread has its own test client (its own cookies) against one app, as a
threaded server would run them: every request gets its own session and
connection from the engine's pool. A barrier releases the saves together.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from sqlalchemy import func
from sqlmodel import Session, col, select

from assess import create_app
from assess.db.models import AnswerRow
from tests.conftest import FIXTURES
from tests.web.conftest import page_form, start, stored

PAGES = {1: {"q-ch.booking": "4", "q-ch.chat": "2"}, 2: {"q-proc.handover": "3", "q-proc.map": "1"},
         3: {"q-data.master": "5"}}
QUESTIONS = sum(len(answers) for answers in PAGES.values())


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "DATABASE_URL": database_url,
                      "QUESTIONNAIRE_DIR": str(FIXTURES), "DEFAULT_QUESTIONNAIRE": "mini"})
    yield app
    app.extensions["assess.engine"].dispose()


def run_together(tasks: list[Callable[[threading.Barrier], list[int]]]) -> list[int]:
    """Run each task in its own thread; each waits at the barrier before its saves. Return all status codes."""
    barrier = threading.Barrier(len(tasks), timeout=60)
    with ThreadPoolExecutor(max_workers=len(tasks)) as pool:
        futures = [pool.submit(task, barrier) for task in tasks]
        return [code for future in futures for code in future.result(timeout=120)]


def answer_counts(app: Flask) -> dict[int, int]:
    with Session(app.extensions["assess.engine"]) as session:
        rows = session.exec(select(AnswerRow.respondent_id, func.count()).group_by(col(AnswerRow.respondent_id)))
        return {respondent_id: count for respondent_id, count in rows}


def test_many_respondents_saving_at_once_lose_no_answer(app: Flask) -> None:
    respondents = 16

    def respondent(barrier: threading.Barrier) -> list[int]:
        client = app.test_client()
        token = start(client)
        forms = {number: page_form(client, token, number) for number in PAGES}
        barrier.wait()
        return [client.post(f"/r/{token}/page/{number}", data={**forms[number], **answers, "nav": "next"}).status_code
                for number, answers in PAGES.items()]

    codes = run_together([respondent] * respondents)
    assert codes == [302] * respondents * len(PAGES)
    assert answer_counts(app) == {rid: QUESTIONS for rid in range(1, respondents + 1)}


def test_one_respondent_saving_two_pages_at_once_loses_nothing(app: Flask) -> None:
    token = start(app.test_client())
    rounds = 10

    def tab(number: int) -> Callable[[threading.Barrier], list[int]]:
        def save(barrier: threading.Barrier) -> list[int]:
            client = app.test_client()
            form = page_form(client, token, number)
            codes = []
            for level in range(rounds):
                barrier.wait()
                answers = {name: str(level % 5 + 1) for name in PAGES[number]}
                codes.append(client.post(f"/r/{token}/page/{number}", data={**form, **answers, "nav": "next"}).status_code)
            return codes
        return save

    codes = run_together([tab(1), tab(2)])
    assert codes == [302] * 2 * rounds
    last = str((rounds - 1) % 5 + 1)
    assert stored(app) == {name[2:]: (last, "", "") for number in (1, 2) for name in PAGES[number]}


def test_two_tabs_saving_the_same_question_at_once_keep_one_answer(app: Flask) -> None:
    token = start(app.test_client())

    def tab(level: str) -> Callable[[threading.Barrier], list[int]]:
        def save(barrier: threading.Barrier) -> list[int]:
            client = app.test_client()
            form = page_form(client, token, 1)
            barrier.wait()
            return [client.post(f"/r/{token}/page/1", data={**form, "q-ch.booking": level, "nav": "next"}).status_code]
        return save

    codes = run_together([tab(str(level)) for level in range(1, 6)])
    assert codes == [302] * 5
    answers = stored(app)
    assert list(answers) == ["ch.booking"] and answers["ch.booking"][0] in {"1", "2", "3", "4", "5"}


def _finish_slowly(app: Flask, respondent_id: int, hold: float, start_after: float) -> None:
    """Finish a respondent (peer figures are written in the same transaction) and keep the transaction open."""
    import time

    from assess.db.models import Respondent
    from assess.services import assessments

    time.sleep(start_after)
    with Session(app.extensions["assess.engine"]) as session:
        respondent = session.get(Respondent, respondent_id)
        assert respondent is not None
        assessments.finish(session, app.extensions["assess.catalog"], respondent)
        time.sleep(hold)  # the other transaction arrives while this one holds its peer rows
        session.commit()


@pytest.mark.postgres
@pytest.mark.parametrize("same_assessment", [False, True], ids=["two clients of one workspace", "one assessment"])
def test_respondents_finishing_at_once_both_count_in_the_peer_figures(app: Flask, same_assessment: bool) -> None:
    """The review found the second of two simultaneous finishes failing on the peer tables' keys (a 500)."""
    from assess.db.models import AssessmentScore, PeerAggregate
    from assess.services import accounts, assessments, clients
    from assess.services.assessments import PageChange

    catalog = app.extensions["assess.catalog"]
    with Session(app.extensions["assess.engine"], expire_on_commit=False) as session:
        workspace = accounts.create_workspace(session, "Nord")
        orgs = [clients.create_organisation(session, workspace.id or 0, name=f"Kunde {n}", industry="energy",
                                            size="50-249") for n in range(2)]
        first = clients.create_assessment(session, catalog, workspace.id or 0, orgs[0].id or 0, questionnaire_id="mini")
        second = first if same_assessment else clients.create_assessment(
            session, catalog, workspace.id or 0, orgs[1].id or 0, questionnaire_id="mini")
        ids = []
        for assessment in (first, second):
            respondent = clients.invite(session, assessment, role="executive").respondent
            assessments.save_answers(session, catalog, respondent, [PageChange("ch.booking", "3", "", "")])
            ids.append(respondent.id or 0)
        session.commit()
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = [pool.submit(_finish_slowly, app, ids[0], 0.6, 0.0), pool.submit(_finish_slowly, app, ids[1], 0.0, 0.2)]
        for future in done:
            future.result(timeout=60)  # neither raises
    with Session(app.extensions["assess.engine"]) as session:
        scored = {row.assessment_id for row in session.exec(select(AssessmentScore))}
        assert scored == {first.id, second.id}
        counts = {row.organisations for row in session.exec(select(PeerAggregate)) if row.dimension_id == "channels"}
        assert counts == {1 if same_assessment else 2}
