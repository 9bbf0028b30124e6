"""The programme page of the running bot, in headless Chromium, against the real Synapse: the link from the
`!kalender` direct message opens the member's page, axe finds no WCAG 2.1 AA violation on real data, and the
buttons change the signup exactly as `!anmelden`/`!abmelden` do: the news post's count is edited in the room."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.browser.conftest import axe_source, browser  # noqa: F401  (fixtures shared with the browser tests)
from tests.integration.conftest import World
from tests.integration.matrixkit import body, is_edit_of
from tests.integration.sessionkit import offer
from tests.integration.test_calendar_live import ask_for_links

pytestmark = pytest.mark.integration

AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
   .then(r => done(r.violations.map(v => v.id + ": " + v.help)));
"""


def load(driver: WebDriver, url: str) -> None:
    driver.get(url)
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.TAG_NAME, "main"))


def press_enter_on_button(driver: WebDriver, number: int) -> str:
    """Keyboard only: Tab until the focus is on the session's button, then Enter; the next page's notice."""
    old = driver.find_element(By.TAG_NAME, "html")
    target = driver.find_element(By.ID, f"s-{number}").find_element(By.TAG_NAME, "button")
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    for _ in range(60):
        if driver.switch_to.active_element == target:
            break
        driver.switch_to.active_element.send_keys(Keys.TAB)
    assert driver.switch_to.active_element == target, "the button cannot be reached with Tab"
    target.send_keys(Keys.ENTER)
    WebDriverWait(driver, 10).until(expected_conditions.staleness_of(old))
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "hinweis"))
    return str(driver.find_element(By.ID, "hinweis").text)


def axe_violations(driver: WebDriver, source: str) -> list[str]:
    driver.execute_script(source)
    driver.set_script_timeout(30)
    return list(driver.execute_async_script(AXE_RUN))


async def in_thread(work: Callable[..., object], *args: object) -> object:
    """Selenium blocks; the bot serves the page from this test's event loop, so the browser waits in a thread."""
    return await asyncio.to_thread(work, *args)


async def test_page_from_the_dm_link_signs_up_and_off_and_the_news_post_follows(
    world: World,
    browser: WebDriver,  # noqa: F811
    axe_source: str,  # noqa: F811
) -> None:
    await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    number, post = await offer(world, giver, title="Aktenplan <b>digital</b>", seats=3)
    links, _, _ = await ask_for_links(world, anna, world.programme)

    await in_thread(load, browser, links["page"])
    card = browser.find_element(By.ID, f"s-{number}")
    assert "Aktenplan <b>digital</b>" in card.text  # hostile markup shown as text
    assert card.find_element(By.TAG_NAME, "button").accessible_name == "Anmelden: Aktenplan <b>digital</b>"
    violations = await in_thread(axe_violations, browser, axe_source)
    assert violations == []

    said = await in_thread(press_enter_on_button, browser, number)
    assert "angemeldet" in str(said).lower()
    await giver.wait_for(world.programme, lambda e: is_edit_of(e, post) and "1 teilnehmende Person" in body(e))
    assert world.apps[-1].store.attendees(number) == [anna.user_id]

    said = await in_thread(press_enter_on_button, browser, number)
    assert "abgemeldet" in str(said).lower()
    await giver.wait_for(world.programme, lambda e: is_edit_of(e, post) and "0 Teilnehmende" in body(e))
    assert world.apps[-1].store.attendees(number) == []
