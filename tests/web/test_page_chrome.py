"""What frames every page: the footer that fits who reads it, the way in for consultants, the icon, a focus ring
that can be seen (issue 16, item 10)."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import ROOT
from tests.web.workspace_data import login, seed_workspace

CSS = (ROOT / "assess/web/static/app.css").read_text(encoding="utf-8")


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _var(name: str) -> str:
    match = re.search(rf"--{name}:\s*(#[0-9a-fA-F]{{6}})", CSS)
    assert match, name
    return match.group(1)


def test_the_focus_ring_has_three_to_one_on_the_page_and_on_the_header() -> None:
    assert _contrast(_var("focus"), "#ffffff") >= 3
    assert _contrast(_var("focus"), _var("bg")) >= 3
    header = re.search(r"\.top :focus-visible \{ outline-color: (#[0-9a-fA-F]{6}); \}", CSS)
    assert header, "the header needs its own focus colour"
    assert _contrast(header.group(1), _var("accent")) >= 3


def test_the_start_page_leads_consultants_to_their_sign_in(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert 'href="/login"' in page and "Für Beraterinnen und Berater: Anmelden" in page


def test_consultant_pages_do_not_carry_the_respondents_footer(app: Flask, client: FlaskClient) -> None:
    seeded = seed_workspace(app, "Alpha")
    respondent_footer = "Geben Sie Ihren persönlichen Link nicht weiter"
    assert respondent_footer in client.get("/").get_data(as_text=True)
    login(client, seeded.email)
    page = client.get(f"/w/assessment/{seeded.assessment_id}").get_data(as_text=True)
    assert respondent_footer not in page
    assert "Angemeldet im Beratungsbereich" in page


def test_every_page_names_its_icon_and_the_icon_is_there(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert icon
    with client.get(icon.group(1)) as response:
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"


def test_the_assessment_page_names_the_dimensions_in_the_pages_language(app: Flask, client: FlaskClient) -> None:
    """An English interface in a German browser: the target fields said “Kanäle”, the browser's language."""
    seeded = seed_workspace(app, "Alpha")
    login(client, seeded.email)
    client.get("/lang/en")
    page = client.get(f"/w/assessment/{seeded.assessment_id}", headers={"Accept-Language": "de-DE,de;q=0.9"})
    text = page.get_data(as_text=True)
    assert '<label for="target-channels">Channels</label>' in text
    assert ">Kanäle<" not in text
