"""A whole self-assessment with the keyboard alone: no click, no mouse, from the start page to the result."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser
MAX_TABS = 60  # from one control to the next on a page; more means something is not reachable


def tab_to(page: Page, test: str) -> None:
    """Press Tab until the focused element passes the JavaScript predicate `test` (given `e`)."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const e = document.activeElement; return !!e && ({test}); }})()"):
            return
    raise AssertionError(f"no element reached with Tab: {test}")


def focus_is_visible(page: Page) -> bool:
    return bool(page.evaluate("getComputedStyle(document.activeElement).outlineStyle !== 'none'"))


def test_a_whole_assessment_with_the_keyboard_alone(browser: Browser, live_server: str) -> None:
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server + "/")
    tab_to(page, "e.tagName === 'A' && e.textContent.includes('Assessment starten')")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("checkbox")).to_be_visible()
    tab_to(page, "e.type === 'checkbox'")
    page.keyboard.press("Space")
    tab_to(page, "e.tagName === 'BUTTON' && e.textContent.includes('Weiter')")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Organisation")).to_be_visible()
    tab_to(page, "e.name === 'organisation'")
    page.keyboard.type("Tastatur GmbH")
    page.keyboard.press("Enter")
    for number in range(1, 6):
        expect(page.get_by_text(f"Dimension {number} von 5")).to_be_visible()
        groups = page.locator("fieldset.question").count()
        for index in range(groups):
            # the first radio of the next question's group: Tab enters a radio group at its first option
            tab_to(page, f"e.type === 'radio' && e.closest('fieldset.question') === "
                         f"document.querySelectorAll('fieldset.question')[{index}]")
            assert focus_is_visible(page)
            page.keyboard.press("ArrowDown")  # level 2
            page.keyboard.press("ArrowDown")  # level 3
        expect(page.locator("fieldset.question input[type=radio]:checked")).to_have_count(groups)
        chosen = page.eval_on_selector_all("fieldset.question input[type=radio]:checked", "els => els.map(e => e.value)")
        assert set(chosen) == {"3"}
        tab_to(page, "e.name === 'nav' && (e.value === 'next' || e.value === 'review')")
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/{'review' if number == 5 else 'page/' + str(number + 1)}")
    expect(page.get_by_role("heading", name="Vor dem Abschluss überprüfen")).to_be_visible()
    expect(page.get_by_text("Alle Fragen sind beantwortet.")).to_be_visible()
    tab_to(page, "e.tagName === 'BUTTON' && e.textContent.includes('Abschließen')")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Ihr Ergebnis")).to_be_visible()
    expect(page.get_by_test_id("overall")).to_have_text("50,0")  # level 3 everywhere: half way (what was shown is stored)
    # the detail behind disclosure opens from the keyboard too
    tab_to(page, "e.tagName === 'SUMMARY' && e.closest('.measure') !== null")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.parentElement.open") is True
    context.close()
