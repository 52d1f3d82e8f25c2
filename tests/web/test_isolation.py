"""Workspace isolation, systematically: every workspace route, given another workspace's ids, is a 404."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from tests.conftest import FIXTURES
from tests.web.conftest import csrf_of
from tests.web.workspace_data import Seeded, login, seed_workspace

ID_ARGUMENTS = {"organisation_id", "assessment_id", "respondent_id", "token_id", "user_id"}


def _id_rules(app: Flask) -> list[Rule]:
    return [r for r in app.url_map.iter_rules() if r.arguments & ID_ARGUMENTS]


def _ids(seeded: Seeded) -> dict[str, object]:
    return {"organisation_id": seeded.organisation_id, "assessment_id": seeded.assessment_id,
            "respondent_id": seeded.respondent_ids[0], "token_id": seeded.api_token_id, "user_id": seeded.user_id,
            "number": 1, "index": 0, "fmt": "csv"}


def _build(rule: Rule, values: dict[str, object]) -> str:
    """`rule` with `values`; an argument limited to some words (`<any(pdf, docx):fmt>`) gets the first."""
    url = rule.rule
    for name in rule.arguments:
        choices = re.search(rf"<any\(([^)]*)\):{name}>", url)
        value = choices.group(1).split(",")[0].strip() if choices else values[name]
        url = re.sub(rf"<(?:\w+(?:\([^)]*\))?:)?{name}>", str(value), url)
    assert "<" not in url, url
    return url


def test_every_route_with_an_id_is_covered(app: Flask) -> None:
    rules = _id_rules(app)
    assert len(rules) >= 13  # if this drops, routes lost their ids; new ones are covered below automatically
    assert all(r.rule.startswith(("/w/", "/api/")) for r in rules)


def _clashing(name: str) -> str:
    """The mini questionnaire as both workspaces' own `same-q` 1.0.0, each with its own texts."""
    return (FIXTURES / "mini.yaml").read_text(encoding="utf-8").replace("id: mini", "id: same-q").replace(
        'version: "1.0"', 'version: "1.0.0"').replace("Online-Buchung?", f"{name}: Online-Buchung?")


@pytest.mark.parametrize("uploaded", [False, True], ids=["shipped questionnaire", "uploads with the same id and version"])
def test_another_workspaces_ids_give_404_everywhere(app: Flask, client: FlaskClient, uploaded: bool) -> None:
    alpha = seed_workspace(app, "Alpha", own_questionnaire=_clashing("Alpha") if uploaded else None)
    beta = seed_workspace(app, "Beta", own_questionnaire=_clashing("Beta") if uploaded else None)
    login(client, beta.email)
    csrf = csrf_of(client.get("/w/").data)
    checked = []
    for rule in _id_rules(app):
        if rule.rule.startswith("/api/"):
            continue  # the API has its own isolation test with tokens
        url = _build(rule, _ids(alpha))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, data={"csrf_token": csrf} if method == "POST" else None)
            assert response.status_code == 404, (method, url, response.status_code)
            body = response.get_data(as_text=True)
            assert "Alpha" not in body
            checked.append((method, rule.rule))
        # The same URL with Beta's own ids works, so the 404 above is about ownership, not a broken route.
        own = _build(rule, _ids(beta))
        if "GET" in rule.methods and "/report." not in rule.rule:  # reports: tests/reporting and tests/shared_state
            response = client.get(own)
            assert response.status_code == 200, own
            assert "Alpha" not in response.get_data(as_text=True), own  # not even Alpha's questionnaire text
    assert len(checked) >= 13


def test_exports_contain_only_the_own_workspace(app: Flask, client: FlaskClient) -> None:
    alpha = seed_workspace(app, "Alpha")
    beta = seed_workspace(app, "Beta")
    login(client, beta.email)
    for fmt in ("csv", "json"):
        body = client.get(f"/w/assessment/{beta.assessment_id}/export.{fmt}").get_data(as_text=True)
        assert "Beta Kunde GmbH" in body or fmt == "json"
        assert "Alpha" not in body
    dashboard = client.get("/w/").get_data(as_text=True)
    assert "Beta Kunde GmbH" in dashboard and "Alpha Kunde GmbH" not in dashboard
    assert alpha.organisation_id != beta.organisation_id
