"""A withdrawn personal link says so and whom to ask (410), instead of a bare "not found" (issue 16, item 10)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import csrf_of
from tests.web.workspace_data import login, seed_workspace


def _withdraw(client: FlaskClient, assessment_id: int, respondent_id: int, path: str = "revoke") -> None:
    page = client.get(f"/w/assessment/{assessment_id}")
    response = client.post(f"/w/respondent/{respondent_id}/{path}", data={"csrf_token": csrf_of(page.data), "confirm": "yes"})
    assert response.status_code in (200, 302)


def test_a_withdrawn_link_says_who_withdrew_it_on_every_page_of_the_link(app: Flask, client: FlaskClient) -> None:
    seeded = seed_workspace(app, "Alpha")
    token = seeded.tokens[0]
    login(client, seeded.email)
    _withdraw(client, seeded.assessment_id, seeded.respondent_ids[0])
    visitor = app.test_client()
    for path in (f"/r/{token}", f"/r/{token}/page/1", f"/r/{token}/result", f"/r/{token}/report.pdf"):
        response = visitor.get(path)
        assert response.status_code == 410, path
        text = response.get_data(as_text=True)
        assert "Dieser Link wurde zurückgezogen" in text
        assert "Alpha Beratung" in text  # whom to ask
    page = visitor.post(f"/r/{token}/page/1", data={"q-ch.booking": "1"})
    assert page.status_code in (400, 410)  # nothing stored either way (no CSRF token of this link exists)
    assert visitor.get("/r/never-was-a-link").status_code == 404  # a link that never existed is just not found


def test_a_new_link_works_and_the_withdrawn_one_stays_withdrawn(app: Flask, client: FlaskClient) -> None:
    seeded = seed_workspace(app, "Beta")
    login(client, seeded.email)
    _withdraw(client, seeded.assessment_id, seeded.respondent_ids[1])
    _withdraw(client, seeded.assessment_id, seeded.respondent_ids[1])  # withdrawn twice: still recognised
    assert app.test_client().get(f"/r/{seeded.tokens[1]}").status_code == 410
    _withdraw(client, seeded.assessment_id, seeded.respondent_ids[1], "reissue")
    assert app.test_client().get(f"/r/{seeded.tokens[1]}").status_code == 404  # the old link: no longer known at all
    assert app.test_client().get(f"/r/{seeded.tokens[0]}").status_code in (200, 302)  # the others are untouched
