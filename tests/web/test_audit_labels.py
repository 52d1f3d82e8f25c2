"""The audit log reads as sentences in the page's language (issue 16, item 8): actions and what they concern by
name, never raw codes such as "export_pdf" or "assessment_results 6"."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import csrf_of
from tests.web.workspace_data import login, seed_workspace


def _rows(html: str) -> list[list[str]]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)]


def test_the_audit_log_names_actions_and_objects(app: Flask, client: FlaskClient) -> None:
    seeded = seed_workspace(app, "Alpha")
    login(client, seeded.email)
    page = f"/w/assessment/{seeded.assessment_id}"
    assert client.get(f"{page}/results").status_code == 200
    assert client.get(f"{page}/export.csv").status_code == 200
    csrf = csrf_of(client.get(page).data)
    assert client.post(f"{page}/rename", data={"csrf_token": csrf, "title": "Service-Check 2027"}).status_code == 302
    assert client.post(f"{page}/close", data={"csrf_token": csrf}).status_code == 302
    client.post(f"/w/respondent/{seeded.respondent_ids[0]}/delete", data={"csrf_token": csrf, "confirm": "yes"})
    client.post(f"{page}/invite-list", data={"csrf_token": csrf, "bulk-lines": "IT; Ida", "bulk-language": "de"})
    html = client.get("/w/settings/audit").get_data(as_text=True)
    rows = _rows(html)
    whats = [r[2] for r in rows]
    targets = [r[3] for r in rows]
    assert "Ergebnisse angesehen" in whats
    assert "Heruntergeladen: Antworten (CSV)" in whats
    assert "Umbenannt" in whats and "Für Änderungen geschlossen" in whats and "Gelöscht" in whats
    assert "Eingeladen (persönlicher Link erstellt)" in whats
    assert "Assessment „Service-Check 2027“" in targets  # the name it has now
    assert f"Teilnehmende Person Nr. {seeded.respondent_ids[0]} (inzwischen gelöscht)" in targets
    assert "Ida im Assessment „Service-Check 2027“" in targets
    assert all(r[1] == "alpha@example.com" for r in rows)
    assert re.fullmatch(r"\d{1,2}\. \w+ \d{4}, \d\d:\d\d", rows[0][0])  # "3. Dezember 2026, 09:30"
    for code in ("assessment_results", "export_csv", "close_assessment", ">rename<", ">delete<"):
        assert code not in html
    client.get("/lang/en")
    english = _rows(client.get("/w/settings/audit").get_data(as_text=True))
    assert "Viewed the results" in [r[2] for r in english]
    assert "Assessment “Service-Check 2027”" in [r[3] for r in english]


def test_the_audit_log_shows_only_its_own_workspace(app: Flask, client: FlaskClient) -> None:
    alpha = seed_workspace(app, "Alpha")
    beta = seed_workspace(app, "Beta")
    login(client, alpha.email)
    client.get(f"/w/assessment/{alpha.assessment_id}/results")
    client.get("/logout")
    login(client, beta.email)
    html = client.get("/w/settings/audit").get_data(as_text=True)
    assert "Alpha" not in html and "alpha@example.com" not in html
