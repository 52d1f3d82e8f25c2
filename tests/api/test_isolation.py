"""Workspace isolation through the API: every route, given another workspace's ids, is a 404 that reveals nothing."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session
from werkzeug.routing import Rule

from assess.services import questionnaires
from tests.api.conftest import Api, assert_error, snapshot
from tests.conftest import FIXTURES
from tests.web.workspace_data import Seeded, seed_workspace

ID_ARGUMENTS = {"organisation_id", "assessment_id", "respondent_id"}
# A valid body per route, so that a 404 is about ownership and not about the body.
BODIES = {
    "api.invite": {"role": "it"},
    "api.put_answers": {"answers": {"ch.booking": 1}},
}


def _api_rules(app: Flask) -> list[Rule]:
    return [r for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1/") and r.arguments & ID_ARGUMENTS]


def _url(rule: Rule, seeded: Seeded) -> str:
    ids = {"organisation_id": seeded.organisation_id, "assessment_id": seeded.assessment_id,
           "respondent_id": seeded.respondent_ids[0]}
    url = rule.rule
    for name in rule.arguments:
        url = url.replace(f"<int:{name}>", str(ids[name]))
    return url.removeprefix("/api/v1")


def test_every_api_route_with_an_id_is_covered(app: Flask) -> None:
    rules = _api_rules(app)
    assert len(rules) >= 12  # if this drops, routes lost their ids; new ones are covered below automatically
    assert all(set(r.arguments) <= ID_ARGUMENTS for r in rules)


def test_another_workspaces_ids_give_404_everywhere(app: Flask, client: FlaskClient) -> None:
    alpha = seed_workspace(app, "Alpha")
    beta = seed_workspace(app, "Beta")
    as_beta = Api(client, beta.api_token)
    before = snapshot(app)
    checked = []
    for rule in _api_rules(app):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            body = BODIES.get(rule.endpoint or "")
            response = as_beta.call(method, _url(rule, alpha), json=body)
            error = assert_error(response, 404, "not_found")
            assert error["details"] == [] and error["message"] == "Not found."
            assert "Alpha" not in response.get_data(as_text=True)
            checked.append((method, rule.rule))
    assert snapshot(app) == before  # nothing written, nothing revoked, nothing audited
    # The same calls with Beta's own ids work, so the 404s above are about ownership, not broken routes.
    for rule in _api_rules(app):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            own = as_beta.call(method, _url(rule, beta), json=BODIES.get(rule.endpoint or ""))
            assert own.status_code in (200, 201), (method, rule.rule, own.data[:300])
    assert len(checked) >= 12


def test_an_unknown_id_and_a_foreign_id_look_the_same(app: Flask, client: FlaskClient) -> None:
    alpha = seed_workspace(app, "Alpha")
    beta = seed_workspace(app, "Beta")
    as_beta = Api(client, beta.api_token)
    foreign = as_beta.get(f"/assessments/{alpha.assessment_id}")
    unknown = as_beta.get("/assessments/999999")
    assert (foreign.status_code, foreign.get_json()) == (unknown.status_code, unknown.get_json())


def test_ids_of_another_workspace_in_a_body_are_404(app: Flask, client: FlaskClient) -> None:
    alpha = seed_workspace(app, "Alpha")
    beta = seed_workspace(app, "Beta")
    as_beta = Api(client, beta.api_token)
    before = snapshot(app)
    foreign_org = as_beta.post("/assessments", json={"organisation_id": alpha.organisation_id, "questionnaire_id": "mini"})
    assert assert_error(foreign_org, 404)["details"] == [{"field": "body.organisation_id", "message": "unknown organisation"}]
    foreign_previous = as_beta.post("/assessments", json={
        "organisation_id": beta.organisation_id, "questionnaire_id": "mini", "previous_id": alpha.assessment_id})
    assert assert_error(foreign_previous, 404)["details"] == [{"field": "body.previous_id", "message": "unknown assessment"}]
    assert snapshot(app) == before


def test_lists_contain_only_the_own_workspace(app: Flask, client: FlaskClient) -> None:
    seed_workspace(app, "Alpha")
    beta = seed_workspace(app, "Beta")
    as_beta = Api(client, beta.api_token)
    organisations = as_beta.get("/organisations").get_json()["organisations"]
    assert [o["name"] for o in organisations] == ["Beta Kunde GmbH"]


def test_uploaded_questionnaires_stay_in_their_workspace(app: Flask, client: FlaskClient) -> None:
    alpha = seed_workspace(app, "Alpha")
    beta = seed_workspace(app, "Beta")
    source = (FIXTURES / "mini.yaml").read_text(encoding="utf-8").replace("id: mini", "id: alpha-only", 1)
    with Session(app.extensions["assess.engine"]) as session:
        questionnaires.import_questionnaire(session, app.extensions["assess.catalog"], alpha.workspace_id, source,
                                            "alpha-only.yaml", alpha.user_id)
        session.commit()
    as_alpha, as_beta = Api(client, alpha.api_token), Api(client, beta.api_token)
    assert "alpha-only" in [q["id"] for q in as_alpha.get("/questionnaires").get_json()["questionnaires"]]
    assert as_alpha.get("/questionnaires/alpha-only").status_code == 200
    assert "alpha-only" not in [q["id"] for q in as_beta.get("/questionnaires").get_json()["questionnaires"]]
    assert_error(as_beta.get("/questionnaires/alpha-only"), 404)
    assert_error(as_beta.get("/questionnaires/alpha-only", query_string={"version": "1.0"}), 404)
    refused = as_beta.post("/assessments", json={"organisation_id": beta.organisation_id, "questionnaire_id": "alpha-only"})
    assert_error(refused, 422)
