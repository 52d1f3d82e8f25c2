"""Peer figures never reveal one organisation's scores (issue 11, item 2), and are stored, not recomputed (item 3).

The attacks from the security reviews: B has a single client in a group; A creates
four organisations there with every answer at level 1 plus a fifth to look from,
and reads 5 x mean - 4 x 0 off its results page (anonymous self-assessments from
/start were usable the same way, by anyone); a client hidden in one grouping was
the difference of two others' sums; a client's change was the difference of two
views before and after; uploads with a shipped id fed its peers.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from assess.db.models import Assessment, AssessmentScore, Organisation, PeerAggregate, PeerPublished
from assess.services import accounts, assessments, clients, peers, privacy, questionnaires
from assess.services.assessments import PageChange
from tests.conftest import FIXTURES
from tests.web.conftest import csrf_of, page_form, start
from tests.web.workspace_data import PASSWORD, login

QUESTIONS = ("ch.booking", "ch.chat", "proc.handover", "proc.map", "data.master")


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
            industry: str = "energy", size: str = "5000+", version: str | None = None) -> tuple[int, int]:
    """An organisation with one assessment whose respondent answered every question at `level`; (org, assessment)."""
    catalog = app.extensions["assess.catalog"]
    with _session(app) as session:
        org = clients.create_organisation(session, workspace_id, name=name, industry=industry, size=size)
        assessment = clients.create_assessment(session, catalog, workspace_id, org.id or 0, questionnaire_id="mini",
                                               version=version)
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
    others = [_workspace(app, f"Andere{index}") for index in range(5)]
    for index, workspace_id in enumerate(others[:4]):
        _client(app, workspace_id, 1 + index)  # levels 1..4
        _client(app, workspace_id, 1 + index, name="Zweiter Kunde")  # rows, not sources: still 4
    viewer_ws = _workspace(app, "Viewer")
    _org, viewer = _client(app, viewer_ws, 2, name="Ich")  # the fifth workspace with a change: published
    assert _groups(app, viewer) == {}  # the viewer's own workspace never counts
    _client(app, others[4], 5)
    for workspace_id in others[:4]:  # published again once five workspaces changed since
        _client(app, workspace_id, 1, name="Dritter Kunde")
    login(client, "viewer@example.com")
    assert 'id="h-peers"' in client.get(f"/w/assessment/{viewer}/results").get_data(as_text=True)
    groups = _groups(app, viewer)
    assert set(groups) == {"industry"}  # one grouping only: see the next test
    # Two clients each at levels 1..4 and a third at 1, one at 5: as a 0-100 score.
    expected = (2 * (0 + 25 + 50 + 75) + 4 * 0 + 100) / 13
    assert groups["industry"].organisations == 13
    assert groups["industry"].scores == {d: expected for d in ("channels", "processes", "data")}


def test_no_second_grouping_reveals_a_hidden_cell(app: Flask) -> None:
    """The review's attack: a client alone in its industry, hidden there, was the difference between the size
    groups' and the industry groups' sums. With one grouping there is no second sum to subtract from."""
    _client(app, _workspace(app, "Opfer"), 4, industry="public", name="Einzig AG")
    for index in range(5):
        workspace_id = _workspace(app, f"Andere{index}")
        for industry in ("energy", "retail"):
            _client(app, workspace_id, 1 + index % 3, industry=industry)
    attacker = _workspace(app, "Angreifer")
    seen = {}
    for industry in ("energy", "retail", "public"):
        for size in ("50-249", "5000+"):
            _org, viewer = _client(app, attacker, 1, industry=industry, size=size, name=f"Blick {industry} {size}")
            seen[(industry, size)] = _groups(app, viewer)
    assert all(set(groups) <= {"industry"} for groups in seen.values())
    assert seen[("public", "5000+")] == {} and seen[("public", "50-249")] == {}
    assert seen[("energy", "50-249")] == seen[("energy", "5000+")]  # the size tells nothing


def test_one_clients_change_never_shows_as_the_difference_of_two_views(app: Flask) -> None:
    """The review's second attack: 6 x after - 5 x before gave a new client's exact scores. Published figures
    change only after clients of five workspaces changed, so a difference mixes five of them."""
    others = [_workspace(app, f"Andere{index}") for index in range(5)]
    for workspace_id in others:
        _client(app, workspace_id, 2)
    viewer_ws = _workspace(app, "Viewer")
    _org, viewer = _client(app, viewer_ws, 1, name="Ich")
    before = _groups(app, viewer)["industry"]
    victim_ws = _workspace(app, "Opfer")
    _client(app, victim_ws, 5, name="Neuer Kunde")  # a sixth source joins
    assert _groups(app, viewer)["industry"] == before  # nothing to subtract
    for workspace_id in others[:2]:  # more changes: four workspaces (viewer, victim, two others) so far
        _client(app, workspace_id, 3, name="Noch ein Kunde")
    assert _groups(app, viewer)["industry"] == before
    _client(app, others[2], 3, name="Noch ein Kunde")  # the fifth: published, mixing four other workspaces' changes
    after = _groups(app, viewer)["industry"]
    assert after.organisations == 5 + 1 + 3 and after != before


def test_uploads_with_a_shipped_id_never_feed_its_peers(app: Flask) -> None:
    """Five workspaces upload their own `mini` 9.0 with everything at 5: the shipped mini's peers stay empty."""
    catalog = app.extensions["assess.catalog"]
    own = (FIXTURES / "mini.yaml").read_text(encoding="utf-8").replace('version: "1.0"', 'version: "9.0"')
    for index in range(5):
        workspace_id = _workspace(app, f"Upload{index}")
        with _session(app) as session:
            questionnaires.import_questionnaire(session, catalog, workspace_id, own, "own.yaml", None)
            session.commit()
        _client(app, workspace_id, 5, version="9.0")
    _org, viewer = _client(app, _workspace(app, "Viewer"), 2)
    assert _groups(app, viewer) == {}
    with _session(app) as session:
        scored = {row.assessment_id for row in session.exec(select(AssessmentScore))}
        assert scored == {viewer}  # the uploads' assessments have no peer scores at all


def test_only_finished_results_count(app: Flask) -> None:
    viewer_ws = _workspace(app, "Viewer")
    _org, viewer = _client(app, viewer_ws, 2, name="Ich")
    for index in range(4):
        _client(app, _workspace(app, f"Andere{index}"), 3)
    _org, unfinished = _client(app, _workspace(app, "Letzte"), 5, finish=False)
    assert _groups(app, viewer) == {}  # four other workspaces have a result of record
    with _session(app) as session:
        assert [row.assessment_id for row in session.exec(select(AssessmentScore))
                if row.assessment_id == unfinished] == []


def test_an_organisation_counts_once_with_its_latest_result(app: Flask) -> None:
    catalog = app.extensions["assess.catalog"]
    workspaces = [_workspace(app, f"Andere{index}") for index in range(5)]
    orgs = [_client(app, workspace_id, 1)[0] for workspace_id in workspaces]
    with _session(app) as session:  # each client is re-assessed, the first at level 5
        for workspace_id, org_id in zip(workspaces, orgs, strict=True):
            follow_up = clients.create_assessment(session, catalog, workspace_id, org_id, questionnaire_id="mini")
            respondent = clients.invite(session, follow_up, role="executive").respondent
            level = "5" if org_id == orgs[0] else "1"
            assessments.save_answers(session, catalog, respondent, [PageChange(q, level, "", "") for q in QUESTIONS])
            assessments.finish(session, catalog, respondent)
        session.commit()
    _org, viewer = _client(app, _workspace(app, "Viewer"), 2, name="Ich")
    group = _groups(app, viewer)["industry"]
    assert group.organisations == 5 and group.scores["channels"] == 100 / 5


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


def test_deleting_a_client_takes_it_out_of_the_figures_at_the_next_publication(app: Flask) -> None:
    workspaces = [_workspace(app, f"Andere{index}") for index in range(5)]
    orgs = [_client(app, workspace_id, 3)[0] for workspace_id in workspaces]
    viewer_ws = _workspace(app, "Viewer")
    _org, viewer = _client(app, viewer_ws, 2, name="Ich")
    assert _groups(app, viewer)["industry"].organisations == 5
    with _session(app) as session:
        organisation = session.get(Organisation, orgs[1])
        assert organisation is not None
        admin = accounts.users_of(session, workspaces[1])[0]
        privacy.delete_organisation(session, app.extensions["assess.catalog"], admin, organisation)
        session.commit()
    with _session(app) as session:  # the current contributions no longer hold it
        assert all(row.workspace_id != workspaces[1] for row in session.exec(select(PeerAggregate)))
    for workspace_id in [workspaces[0], *workspaces[2:], viewer_ws]:  # five workspaces change: published anew
        _client(app, workspace_id, 3, name="Weiterer Kunde")
    assert _groups(app, viewer) == {}  # four other workspaces left
    with _session(app) as session:
        assert all(row.workspace_id != workspaces[1] for row in session.exec(select(PeerPublished)))


def test_an_industry_not_given_puts_a_client_in_no_peer_group(app: Flask, client: FlaskClient) -> None:
    """The start form no longer preselects an industry; unset is stored as "" and never forms a group of its own."""
    notice = client.get("/start")
    client.post("/start/privacy", data={"csrf_token": csrf_of(notice.data), "accept": "yes"})
    form = client.get("/start").get_data(as_text=True)
    industry = form[form.index('name="industry"'):form.index("</select>", form.index('name="industry"'))]
    assert industry.split("<option")[1].startswith(' value="">Bitte wählen</option>')  # first, and nothing preselected
    assert "selected" not in industry
    for index in range(6):
        _client(app, _workspace(app, f"Ohne{index}"), 3, industry="", size="")
    viewer = _client(app, _workspace(app, "OhneViewer"), 3, industry="")[1]
    with _session(app) as session:
        assert session.exec(select(PeerAggregate).where(PeerAggregate.value == "")).all() == []
    assert _groups(app, viewer) == {}
