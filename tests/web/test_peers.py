"""Peer figures never reveal one organisation's scores (issue 11, item 2), and are stored, not recomputed (item 3).

The attack from the security review: B has a single client in a group; A creates
four organisations there with every answer at level 1 plus a fifth to look from,
and reads 5 x mean - 4 x 0 off its results page. Anonymous self-assessments from
/start were usable the same way, by anyone.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from assess.db.models import Assessment, AssessmentScore, Organisation, PeerAggregate
from assess.services import accounts, assessments, clients, peers, privacy
from assess.services.assessments import PageChange
from tests.web.conftest import csrf_of, page_form, start
from tests.web.workspace_data import PASSWORD, login

QUESTIONS = ("ch.booking", "ch.chat", "proc.handover", "proc.map", "data.master")
GROUP = {"industry": "energy", "size": "5000+"}


def _session(app: Flask) -> Session:
    return Session(app.extensions["assess.engine"], expire_on_commit=False)


def _workspace(app: Flask, name: str) -> int:
    with _session(app) as session:
        workspace = accounts.create_workspace(session, name)
        assert workspace.id is not None
        accounts.create_user(session, email=f"{name.lower()}@example.com", password=PASSWORD, workspace_id=workspace.id)
        session.commit()
        return workspace.id


def _client(app: Flask, workspace_id: int, level: int, *, finish: bool = True, name: str = "Kunde",
            industry: str = "energy", size: str = "5000+") -> tuple[int, int]:
    """An organisation with one assessment whose respondent answered every question at `level`; (org, assessment)."""
    catalog = app.extensions["assess.catalog"]
    with _session(app) as session:
        org = clients.create_organisation(session, workspace_id, name=name, industry=industry, size=size)
        assessment = clients.create_assessment(session, catalog, workspace_id, org.id or 0, questionnaire_id="mini")
        respondent = clients.invite(session, assessment, role="executive").respondent
        assessments.save_answers(session, catalog, respondent, [PageChange(q, str(level), "", "") for q in QUESTIONS])
        if finish:
            assessments.finish(session, catalog, respondent)
        session.commit()
        return org.id or 0, assessment.id or 0


def _groups(app: Flask, assessment_id: int) -> dict[str, peers.PeerGroup]:
    with _session(app) as session:
        assessment = session.get(Assessment, assessment_id)
        assert assessment is not None
        organisation = session.get(Organisation, assessment.organisation_id)
        assert organisation is not None
        return {g.label: g for g in peers.peer_groups(session, assessment, organisation)}


def test_organisations_of_ones_own_workspace_never_isolate_another_client(app: Flask, client: FlaskClient) -> None:
    beta = _workspace(app, "Beta")
    _client(app, beta, 4, name="Opfer AG")
    alpha = _workspace(app, "Alpha")
    for index in range(4):
        _client(app, alpha, 1, name=f"Attrappe {index}")
    _org, viewer = _client(app, alpha, 1, name="Beobachter")
    assert _groups(app, viewer) == {}
    login(client, "alpha@example.com")
    page = client.get(f"/w/assessment/{viewer}/results").get_data(as_text=True)
    assert 'id="h-peers"' not in page


def test_anonymous_self_assessments_are_never_peers(app: Flask) -> None:
    """Anyone can start any number of them: not one of them counts, however many finish."""
    for index in range(6):
        browser = app.test_client()
        token = start(browser, organisation=f"Anonym {index}")
        browser.post(f"/r/{token}/page/1", data={**page_form(browser, token, 1), "q-ch.booking": "1", "q-ch.chat": "1"})
        review = browser.get(f"/r/{token}/review")
        browser.post(f"/r/{token}/review", data={"csrf_token": csrf_of(review.data)})
    with _session(app) as session:
        assert session.exec(select(AssessmentScore)).all() == []
        assert all(o.workspace_id is None for o in session.exec(select(Organisation)))


def test_a_group_needs_five_other_workspaces(app: Flask, client: FlaskClient) -> None:
    viewer_ws = _workspace(app, "Viewer")
    _org, viewer = _client(app, viewer_ws, 2, name="Ich")
    others = [_workspace(app, f"Andere{index}") for index in range(5)]
    for index, workspace_id in enumerate(others[:4]):
        _client(app, workspace_id, 1 + index)  # levels 1..4
        _client(app, workspace_id, 1 + index, name="Zweiter Kunde")  # rows, not sources: still 4
    assert _groups(app, viewer) == {}
    _client(app, others[4], 5)
    login(client, "viewer@example.com")
    assert 'id="h-peers"' in client.get(f"/w/assessment/{viewer}/results").get_data(as_text=True)
    groups = _groups(app, viewer)
    assert set(groups) == {"industry", "size"}
    # Two clients each at levels 1..4, one at 5: mean level 2.78, as a 0-100 score.
    expected = (2 * (0 + 25 + 50 + 75) + 100) / 9
    assert groups["industry"].organisations == 9
    assert groups["industry"].scores == {d: expected for d in ("channels", "processes", "data")}


def test_ones_own_other_clients_do_not_move_the_figures(app: Flask) -> None:
    viewer_ws = _workspace(app, "Viewer")
    for index in range(5):
        _client(app, _workspace(app, f"Andere{index}"), 3)
    _org, viewer = _client(app, viewer_ws, 2, name="Ich")
    before = _groups(app, viewer)["industry"]
    for index in range(3):
        _client(app, viewer_ws, 5, name=f"Eigener Kunde {index}")
    assert _groups(app, viewer)["industry"] == before
    assert before.scores["channels"] == 50.0 and before.organisations == 5


def test_only_finished_results_count_and_deletion_takes_them_out(app: Flask) -> None:
    viewer_ws = _workspace(app, "Viewer")
    _org, viewer = _client(app, viewer_ws, 2, name="Ich")
    for index in range(4):
        _client(app, _workspace(app, f"Andere{index}"), 3)
    last_ws = _workspace(app, "Letzte")
    _org, unfinished = _client(app, last_ws, 5, finish=False)
    assert _groups(app, viewer) == {}  # nobody finished there yet
    catalog = app.extensions["assess.catalog"]
    with _session(app) as session:
        respondent = clients.respondents_of(session, unfinished)[0]
        assessments.finish(session, catalog, respondent)
        session.commit()
    assert _groups(app, viewer)["industry"].scores["channels"] == (4 * 50 + 100) / 5
    with _session(app) as session:
        respondent = clients.respondents_of(session, unfinished)[0]
        actor = accounts.users_of(session, last_ws)[0]
        privacy.delete_respondent(session, catalog, actor, respondent)
        session.commit()
    assert _groups(app, viewer) == {}


def test_an_organisation_counts_once_with_its_latest_result(app: Flask) -> None:
    viewer_ws = _workspace(app, "Viewer")
    _org, viewer = _client(app, viewer_ws, 2, name="Ich")
    catalog = app.extensions["assess.catalog"]
    workspaces = [_workspace(app, f"Andere{index}") for index in range(5)]
    orgs = [_client(app, workspace_id, 1)[0] for workspace_id in workspaces]
    with _session(app) as session:  # the first client is re-assessed at level 5
        follow_up = clients.create_assessment(session, catalog, workspaces[0], orgs[0], questionnaire_id="mini")
        respondent = clients.invite(session, follow_up, role="executive").respondent
        assessments.save_answers(session, catalog, respondent, [PageChange(q, "5", "", "") for q in QUESTIONS])
        assessments.finish(session, catalog, respondent)
        session.commit()
    group = _groups(app, viewer)["industry"]
    assert group.organisations == 5 and group.scores["channels"] == 100 / 5


def test_a_finished_respondents_later_change_moves_the_figures(app: Flask) -> None:
    viewer_ws = _workspace(app, "Viewer")
    _org, viewer = _client(app, viewer_ws, 2, name="Ich")
    assessment_ids = [_client(app, _workspace(app, f"Andere{index}"), 1)[1] for index in range(5)]
    assert _groups(app, viewer)["industry"].scores["channels"] == 0.0
    catalog = app.extensions["assess.catalog"]
    with _session(app) as session:
        respondent = clients.respondents_of(session, assessment_ids[0])[0]
        assessments.save_answers(session, catalog, respondent, [PageChange(q, "5", "", "") for q in QUESTIONS])
        session.commit()
    assert _groups(app, viewer)["industry"].scores["channels"] == 100 / 5


def test_starting_self_assessments_is_rate_limited(app: Flask) -> None:
    """One address cannot flood the database with self-assessments (the review created 1,226 in 10 s)."""
    app.config["START_RATE_LIMIT"] = "3 per minute"
    browser = app.test_client()
    for index in range(3):
        start(browser, organisation=f"Firma {index}")
    page = browser.get("/start")
    response = browser.post("/start", data={"csrf_token": csrf_of(page.data), "organisation": "Noch eine",
                                            "industry": "energy", "size": "5000+", "role": "executive", "language": "de"})
    assert response.status_code == 429
    with _session(app) as session:
        assert len(session.exec(select(Organisation)).all()) == 3


def test_deleting_a_client_takes_it_out_of_the_figures(app: Flask) -> None:
    viewer_ws = _workspace(app, "Viewer")
    _org, viewer = _client(app, viewer_ws, 2, name="Ich")
    workspaces = [_workspace(app, f"Andere{index}") for index in range(5)]
    orgs = [_client(app, workspace_id, 3)[0] for workspace_id in workspaces]
    _client(app, workspaces[0], 5, name="Zweiter")
    assert _groups(app, viewer)["size"].organisations == 6
    with _session(app) as session:
        organisation = session.get(Organisation, orgs[1])
        assert organisation is not None
        privacy.delete_organisation(session, accounts.users_of(session, workspaces[1])[0], organisation)
        session.commit()
    assert _groups(app, viewer) == {}  # four workspaces left
    with _session(app) as session:
        assert all(row.workspace_id != workspaces[1] for row in session.exec(select(PeerAggregate)))
