"""The self-assessment in headless Chromium: desktop, phone, resume on another device."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def start(page: Page, base: str, organisation: str) -> None:
    page.goto(base + "/")
    page.get_by_role("link", name="Assessment starten").click()
    page.get_by_label("Ich habe die Datenschutzhinweise gelesen.").check()  # the privacy notice comes first
    page.get_by_role("button", name="Weiter").click()
    page.get_by_label("Organisation").fill(organisation)
    page.get_by_label("Branche").select_option("automotive")
    page.get_by_role("button", name="Beginnen").click()
    expect(page.get_by_text("Dimension 1 von 5")).to_be_visible()


def answer_page(page: Page, level: int) -> None:
    """Pick level `level` in every question of the page (by clicking the description, as a person would)."""
    groups = page.locator("fieldset.question")
    for index in range(groups.count()):
        groups.nth(index).locator("input[type=radio]").nth(level - 1).check()


def no_horizontal_scroll(page: Page) -> bool:
    return bool(page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth + 1"))


def run_through(page: Page, base: str, artifacts: Path, name: str) -> None:
    start(page, base, f"Autohaus {name}")
    levels = [2, 4, 1, 2, 2]  # strong channels, weak processes
    for number, level in enumerate(levels, start=1):
        expect(page.get_by_text(f"Dimension {number} von 5")).to_be_visible()
        answer_page(page, level)
        assert no_horizontal_scroll(page)
        if number == 1:
            page.screenshot(path=str(artifacts / f"{name}-page-1.png"), full_page=True)
        page.locator("button[name=nav][value=next], button[name=nav][value=review]").last.click()
    expect(page.get_by_role("heading", name="Vor dem Abschluss überprüfen")).to_be_visible()
    expect(page.get_by_text("Alle Fragen sind beantwortet.")).to_be_visible()
    page.get_by_role("button", name="Abschließen und Ergebnis anzeigen").click()
    expect(page.get_by_role("heading", name="Ihr Ergebnis")).to_be_visible()
    radar = page.locator("#chart-radar")
    expect(radar).to_have_attribute("data-drawn", "1", timeout=15_000)
    assert radar.locator("svg.main-svg").count() >= 1  # plotly drew the radar
    assert page.locator("#chart-radar .scatterlayer .trace").count() >= 2  # actual and target
    booking_island = "Online gebuchte oder gemeldete Anliegen"
    expect(page.locator(".flags li").filter(has_text=booking_island).first).to_be_visible()
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(artifacts / f"{name}-result.png"), full_page=True)


def test_full_run_on_a_desktop(browser: Browser, live_server: str, artifacts: Path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    run_through(context.new_page(), live_server, artifacts, "desktop")
    context.close()


def test_full_run_on_a_phone(browser: Browser, live_server: str, artifacts: Path) -> None:
    context = browser.new_context(**PHONE, locale="de-DE")
    run_through(context.new_page(), live_server, artifacts, "phone")
    context.close()


def test_resume_from_the_link_in_a_new_browser(browser: Browser, live_server: str) -> None:
    first = browser.new_context(locale="de-DE")
    page = first.new_page()
    start(page, live_server, "Stadtwerke Resume")
    answer_page(page, 3)
    page.locator("button[name=nav][value=next]").click()
    expect(page.get_by_text("Dimension 2 von 5")).to_be_visible()
    link = page.locator("#resume-link").input_value()
    first.close()

    other_device = browser.new_context(locale="de-DE", **PHONE)
    page = other_device.new_page()
    page.goto(link)
    expect(page.get_by_text("Dimension 2 von 5")).to_be_visible()
    page.locator("button[name=nav][value=back]").click()
    checked = page.locator("fieldset.question input[type=radio]:checked")
    expect(checked.first).to_have_value("3")
    assert checked.count() == page.locator("fieldset.question").count()
    other_device.close()


def test_keyboard_and_screen_reader_basics(browser: Browser, live_server: str) -> None:
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(live_server + "/lang/en?next=/start")
    page.get_by_label("I have read the privacy notice.").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Organisation").fill("Keyboard GmbH")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Dimension 1 of 5")).to_be_visible()
    first_group = page.locator("fieldset.question").first
    legend = first_group.locator("legend").inner_text()
    expect(page.get_by_role("group", name=legend.strip())).to_be_visible()  # labelled radio group
    first_group.locator("input[type=radio]").first.focus()
    page.keyboard.press("ArrowDown")
    expect(first_group.locator("input[type=radio]").nth(1)).to_be_checked()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    levels = page.evaluate("[...document.querySelectorAll('h1,h2,h3')].map(h => +h.tagName[1])")
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels))
    context.close()
