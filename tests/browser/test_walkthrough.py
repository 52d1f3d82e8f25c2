"""Every page type in headless Chromium at phone and desktop size: no page wider than the screen, no serious or
critical accessibility violation (axe-core), a keyboard-only run through a whole assessment."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlmodel import Session
from werkzeug.serving import make_server

from assess import create_app
from assess.db import repo
from assess.services import accounts, aggregate, clients, privacy
from assess.services import assessments as svc
from tests.conftest import ROOT, new_database

pytestmark = pytest.mark.browser
EMAIL, PASSWORD = "walk@example.com", "ein langes passwort 7"
AXE = ROOT / "tests/browser/axe/node_modules/axe-core/axe.min.js"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}


@dataclass
class Walk:
    base: str
    app: Flask
    assessment_id: int
    organisation_id: int
    self_token: str  # a finished self-assessment
    open_token: str  # an invited respondent half-way through
    pages: dict[str, str]  # page type -> path


def _levels(questionnaire_ids: list[str], pattern: list[int]) -> list[tuple[str, str | None, str, str]]:
    return [(q, str(pattern[i % len(pattern)]), "", "") for i, q in enumerate(questionnaire_ids)]


@pytest.fixture(scope="module")
def walk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Walk]:
    with new_database(tmp_path_factory.mktemp("walk")) as database_url:
        app = create_app({"SECRET_KEY": "browser-walk", "DATABASE_URL": database_url})
        catalog = app.extensions["assess.catalog"]
        questionnaire = catalog.get(app.config["DEFAULT_QUESTIONNAIRE"])
        ids = [q.id for q in questionnaire.questions()]
        with Session(app.extensions["assess.engine"]) as session:
            workspace = accounts.create_workspace(session, "Beratung Rundgang")
            assert workspace.id is not None
            user = accounts.create_user(session, email=EMAIL, password=PASSWORD, workspace_id=workspace.id, is_admin=True)
            org = clients.create_organisation(session, workspace.id, name="Stadtwerke Rundgang GmbH", industry="energy",
                                              size="250-999")
            assert org.id is not None
            assessment = clients.create_assessment(session, catalog, workspace.id, org.id, questionnaire_id=questionnaire.id,
                                                   title="Erhebung Herbst")
            patterns = [[4, 3, 2], [2, 2, 1, 3], [5, 4, 4, 2], [1, 2]]
            for index, (role, pattern) in enumerate(zip(("executive", "service_staff", "it", "management"), patterns,
                                                        strict=True)):
                invitation = clients.invite(session, assessment, role=role, name=f"Person {index + 1}")
                respondent = invitation.respondent
                assert respondent.id is not None
                privacy.accept_notice(session, respondent)
                repo.upsert_answers(session, respondent.id, _levels(ids, pattern))
                svc.finish(session, catalog, respondent)
            half = clients.invite(session, assessment, role="executive", name="Halb Fertig")
            privacy.accept_notice(session, half.respondent)
            assert half.respondent.id is not None
            repo.upsert_answers(session, half.respondent.id, _levels(ids[:9], [3]))
            aggregate.record_consensus(session, catalog, assessment, ids[0], 3, "im Raum vereinbart", user.id)
            started = svc.start_self_assessment(session, questionnaire, organisation="Autohaus Rundgang", industry="automotive",
                                                size="50-249", role="executive", language="de")
            privacy.accept_notice(session, started.respondent)
            assert started.respondent.id is not None
            repo.upsert_answers(session, started.respondent.id, _levels(ids, [2, 4, 1, 3, 2]))
            svc.finish(session, catalog, started.respondent)
            session.commit()
            assessment_id, organisation_id = assessment.id or 0, org.id
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        a, t, o = assessment_id, started.token, half.token
        pages = {
            "home": "/", "privacy": "/privacy", "start": "/start", "login": "/login", "not-found": "/r/no-such-link",
            "survey-page": f"/r/{o}/page/2", "review": f"/r/{o}/review", "paused": f"/r/{o}/paused",
            "result": f"/r/{t}/result", "answers": f"/r/{t}/answers", "delete-own": f"/r/{t}/delete",
            "dashboard": "/w/", "organisation": f"/w/org/{organisation_id}", "assessment": f"/w/assessment/{a}",
            "results": f"/w/assessment/{a}/results", "workshop": f"/w/assessment/{a}/workshop/1",
            "agenda": f"/w/assessment/{a}/agenda", "agenda-item": f"/w/assessment/{a}/agenda/1", "team": "/w/team",
            "plan": f"/w/assessment/{a}/plan",
            "audit": "/w/audit", "questionnaires": "/w/questionnaires", "tokens": "/w/tokens", "password": "/w/password",
        }
        yield Walk(f"http://127.0.0.1:{server.server_port}", app, a, organisation_id, t, o, pages)
        server.shutdown()
        thread.join(timeout=5)
        app.extensions["assess.engine"].dispose()


def signed_in(browser: Browser, walk: Walk, **options: object) -> BrowserContext:
    context = browser.new_context(locale="de-DE", bypass_csp=True, **options)  # type: ignore[arg-type]  # axe is injected
    page = context.new_page()
    page.goto(walk.base + "/login")
    page.get_by_label("E-Mail").fill(EMAIL)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", name="Kunden", exact=True)).to_be_visible()
    page.close()
    return context


def settle(page: Page) -> None:
    """Wait until every chart on the page is drawn (they resize the page when they are)."""
    charts = page.locator("[data-chart]")
    for index in range(charts.count()):
        if charts.nth(index).is_visible():
            expect(charts.nth(index)).to_have_attribute("data-drawn", "1", timeout=15_000)


def wider_than_screen(page: Page, width: int) -> list[str]:
    """The elements that stick out to the right of a screen `width` px wide (empty: the page fits).

    Not the layout viewport's width: on a phone that grows with content that sticks out."""
    return list(page.evaluate("""(width) => {
        if (document.scrollingElement.scrollWidth <= width + 1) return [];
        return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > width + 1)
            .slice(0, 8).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + [...e.classList].join('.')
                + ' ' + Math.round(e.getBoundingClientRect().right));
    }""", width))


def axe_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
    }""")
    return list(result)


PUBLIC = ["home", "privacy", "start", "login", "not-found", "survey-page", "review", "paused", "result", "answers",
          "delete-own"]
WORKSPACE = ["dashboard", "organisation", "assessment", "results", "workshop", "agenda", "agenda-item", "plan", "team", "audit",
             "questionnaires", "tokens", "password"]


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_no_page_is_wider_than_the_screen_and_none_has_a_serious_accessibility_violation(
        browser: Browser, walk: Walk, artifacts: Path, size: str) -> None:
    options = PHONE if size == "phone" else DESKTOP
    context = signed_in(browser, walk, **options)
    page = context.new_page()
    found: dict[str, object] = {}
    for name in PUBLIC + WORKSPACE:
        page.goto(walk.base + walk.pages[name])
        settle(page)
        problems: dict[str, object] = {}
        if wide := wider_than_screen(page, options["viewport"]["width"]):  # type: ignore[index]
            problems["wider than the screen"] = wide
        if violations := axe_violations(page):
            problems["axe"] = violations
        if problems:
            found[name] = problems
        if name in ("result", "results", "agenda-item", "survey-page", "plan"):
            page.screenshot(path=str(artifacts / f"walk-{size}-{name}.png"), full_page=True)
    context.close()
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)
