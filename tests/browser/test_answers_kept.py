"""Nothing ticked is lost: answers saved as they are chosen, the language switch saves first (also without
JavaScript), and leaving with unsaved input asks first (issue 16, item 1)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Dialog, Page, expect

from tests.browser.test_self_assessment import PHONE, start

pytestmark = pytest.mark.browser


def tick(page: Page, count: int, level: int) -> None:
    groups = page.locator("fieldset.question")
    for index in range(count):
        groups.nth(index).locator("input[type=radio]").nth(level - 1).check()


def ticked(page: Page) -> list[str]:
    return list(page.eval_on_selector_all("fieldset.question input[type=radio]:checked", "els => els.map(e => e.value)"))


def test_answers_are_saved_as_they_are_chosen(browser: Browser, live_server: str) -> None:
    context = browser.new_context(locale="de-DE", **PHONE)
    page = context.new_page()
    start(page, live_server, "Autosave GmbH")
    tick(page, 5, 4)
    expect(page.locator("#save-state")).to_have_text("Gespeichert")
    expect(page.locator("#answered-count")).to_contain_text("5 von")
    page.reload()  # as if the phone dropped the tab: everything ticked is there
    assert ticked(page) == ["4"] * 5
    context.close()


def test_switching_the_language_keeps_what_was_ticked(browser: Browser, live_server: str) -> None:
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    start(page, live_server, "Sprachwechsel GmbH")
    tick(page, 5, 2)
    page.get_by_role("button", name="EN", exact=True).click()
    expect(page.get_by_text("Dimension 1 of 5")).to_be_visible()
    assert ticked(page) == ["2"] * 5
    context.close()


def test_without_javascript_the_language_button_saves_the_page_first(browser: Browser, live_server: str) -> None:
    context = browser.new_context(locale="de-DE", java_script_enabled=False)
    page = context.new_page()
    start(page, live_server, "Ohne Skript GmbH")
    tick(page, 5, 3)
    page.get_by_role("button", name="EN", exact=True).click()
    expect(page.get_by_text("Dimension 1 of 5")).to_be_visible()
    assert ticked(page) == ["3"] * 5
    context.close()


def test_leaving_with_a_comment_not_yet_saved_asks_first(browser: Browser, live_server: str) -> None:
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    start(page, live_server, "Abschied GmbH")
    page.locator("details.comment summary").first.click()
    page.locator("details.comment textarea").first.type("Wir telefonieren noch viel")
    asked: list[str] = []

    def stay(dialog: Dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.evaluate("window.location.href = '/'")  # away before the comment's save (1.5 s after typing stops)
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    expect(page.get_by_text("Dimension 1 von 5")).to_be_visible()  # still here, the comment too
    expect(page.locator("details.comment textarea").first).to_have_value("Wir telefonieren noch viel")
    context.close()
