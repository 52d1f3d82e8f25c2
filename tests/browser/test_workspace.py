"""The consultant workspace in headless Chromium: invite, three respondents, results, workshop, PDF, follow-up."""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader
from sqlmodel import Session
from werkzeug.serving import make_server

from assess import create_app
from assess.services import accounts
from tests.conftest import new_database

pytestmark = pytest.mark.browser
EMAIL, PASSWORD = "berater@example.com", "sicheres passwort 42"


@pytest.fixture(scope="module")
def workspace_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Flask]]:
    with new_database(tmp_path_factory.mktemp("workspace-browser")) as database_url:
        app = create_app({"SECRET_KEY": "browser-workspace", "DATABASE_URL": database_url})
        with Session(app.extensions["assess.engine"]) as session:
            workspace = accounts.create_workspace(session, "Beratung Nord")
            accounts.create_user(session, email=EMAIL, password=PASSWORD, workspace_id=workspace.id or 0, is_admin=True)
            session.commit()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_port}", app
        server.shutdown()
        thread.join(timeout=5)
        app.extensions["assess.engine"].dispose()


def sign_in(page: Page, base: str) -> None:
    page.goto(base + "/login")
    page.get_by_label("E-Mail").fill(EMAIL)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", name="Kunden", exact=True)).to_be_visible()


def invite(page: Page, role: str, name: str) -> str:
    page.get_by_label("Rolle", exact=True).select_option(role)
    page.get_by_label("Name (optional)").fill(name)
    page.get_by_role("button", name="Persönlichen Link erstellen").click()
    link = page.locator(".flash.link input").input_value()
    assert "/r/" in link
    return link


def accept_privacy_if_shown(page: Page) -> None:
    checkbox = page.locator("input[type=checkbox][name=accept]")
    if checkbox.count():
        checkbox.check()
        page.locator("button[type=submit]").first.click()


def answer_all(browser: Browser, link: str, levels: list[int]) -> None:
    """A respondent answers every page; `levels` gives the level per dimension."""
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    page.goto(link)
    accept_privacy_if_shown(page)
    for number, level in enumerate(levels, start=1):
        expect(page.get_by_text(f"Dimension {number} von {len(levels)}")).to_be_visible()
        groups = page.locator("fieldset.question")
        for index in range(groups.count()):
            groups.nth(index).locator("input[type=radio]").nth(level - 1).check()
        page.locator("button[name=nav][value=next], button[name=nav][value=review]").last.click()
    page.get_by_role("button", name="Abschließen und Ergebnis anzeigen").click()
    expect(page.get_by_role("heading", name="Ihr Ergebnis")).to_be_visible()
    context.close()


def test_assessment_with_three_respondents_end_to_end(browser: Browser, workspace_server: tuple[str, Flask],
                                                       tmp_path: Path) -> None:
    base, _app = workspace_server
    context = browser.new_context(locale="de-DE", accept_downloads=True)
    page = context.new_page()
    sign_in(page, base)
    page.get_by_label("Organisation").fill("Autohaus Nord GmbH")
    page.get_by_label("Branche").select_option("automotive")
    page.get_by_role("button", name="Kunde anlegen").click()
    expect(page.get_by_role("heading", name="Autohaus Nord GmbH")).to_be_visible()
    page.get_by_label("Titel").fill("Erstaufnahme 2026")
    page.get_by_role("button", name="Assessment anlegen").click()
    expect(page.get_by_role("heading", name="Erstaufnahme 2026")).to_be_visible()
    assessment_url = page.url
    links = [invite(page, "executive", "Frau Chefin"), invite(page, "service_staff", "Herr Service"),
             invite(page, "it", "")]

    answer_all(browser, links[0], [4, 5, 4, 4, 4])  # the board sees a mature company
    answer_all(browser, links[1], [2, 3, 1, 2, 2])  # the front line does not
    answer_all(browser, links[2], [3, 4, 2, 3, 3])

    page.goto(assessment_url)
    expect(page.get_by_text("abgeschlossen")).to_have_count(3)
    page.get_by_role("link", name="Ergebnisse", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("Ergebnisse über 3 Teilnehmende"))).to_be_visible()
    expect(page.locator("#chart-spread")).to_have_attribute("data-drawn", "1", timeout=15_000)
    agenda = page.locator("ol.agenda li")
    assert agenda.count() >= 10  # the board and the front line are 3 levels apart everywhere
    page.screenshot(path=str(Path("test-artifacts") / "workspace-results.png"), full_page=True)

    # Workshop: agree on level 3 for the first disputed question.
    agenda.first.locator("a").click()
    expect(page.get_by_text("Was die Teilnehmenden geantwortet haben")).to_be_visible()
    page.locator("input[name=level][value='3']").check()
    page.get_by_label("Notiz").fill("Einigung im Workshop")
    page.locator("button[name=nav][value=next]").click()
    exported = context.request.get(assessment_url + "/export.json").json()  # the signed-in session's cookies
    assert sum(q["consensus"] for q in exported["questions"]) == 1

    # The board report of the whole assessment.
    page.goto(assessment_url + "/results")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF-Bericht herunterladen").click()
    pdf_path = tmp_path / "report.pdf"
    download_info.value.save_as(pdf_path)
    reader = PdfReader(io.BytesIO(pdf_path.read_bytes()))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Autohaus Nord GmbH" in text and len(reader.pages) > 5

    # A follow-up: one respondent, clearly better; the change per dimension is shown.
    page.goto(assessment_url)
    page.get_by_role("button", name="Folgeassessment starten").click()
    expect(page.get_by_role("heading", name="Erstaufnahme 2026")).to_be_visible()
    follow_up_url = page.url
    assert follow_up_url != assessment_url
    answer_all(browser, invite(page, "executive", "Frau Chefin"), [5, 5, 5, 5, 5])
    page.goto(follow_up_url + "/results")
    expect(page.get_by_role("heading", name=re.compile("Veränderung seit"))).to_be_visible()
    delta = page.locator("[data-testid=delta-processes]").inner_text()
    assert delta.startswith("+") and float(delta.replace(",", ".")) > 0
    context.close()
