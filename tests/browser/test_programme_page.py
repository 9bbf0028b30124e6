"""The programme page in a real headless Chromium, served over real HTTP from the real routes, store and core.

Accessibility as BITV 2.0 asks (WCAG 2.1 AA, checked by axe-core at desktop and phone width), keyboard-only
and script-free use, hostile titles shown as text, forged forms refused, wrong links answered with a 404.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.unit.webkit import EDS, HOSTILE_TEXT, HOSTILE_TITLE, ME, SECRETS, Site, http

Axe = Callable[[], list[dict[str, object]]]


def viewport(driver: WebDriver, width: int, height: int = 900) -> None:
    """The CSS viewport itself (a window's size would include its frame)."""
    driver.execute_cdp_cmd(  # type: ignore[attr-defined]
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


@pytest.fixture(autouse=True)
def desktop(browser: WebDriver) -> None:
    viewport(browser, 1280)


def session_card(driver: WebDriver, number: int) -> WebElement:
    return driver.find_element(By.ID, f"s-{number}")


def notice(driver: WebDriver) -> str:
    return driver.find_element(By.ID, "hinweis").text


def press(driver: WebDriver, button: WebElement, key: str | None = None) -> str:
    """Click the button (or press `key` on it), wait for the next page and return what it says."""
    old = driver.find_element(By.TAG_NAME, "html")
    if key is None:
        button.click()
    else:
        button.send_keys(key)
    WebDriverWait(driver, 10).until(expected_conditions.staleness_of(old))
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "hinweis"))
    return notice(driver)


def summary(violations: list[dict[str, object]]) -> str:
    lines = []
    for violation in violations:
        nodes = violation.get("nodes") or []
        targets = [node.get("target") for node in nodes[:3]]  # type: ignore[union-attr]
        lines.append(f"{violation.get('id')}: {violation.get('help')} {targets}")
    return "\n".join(lines)


@pytest.mark.parametrize("width", [1280, 360])
def test_axe_finds_no_wcag_21_aa_violation(browser: WebDriver, axe: Axe, site: Site, width: int) -> None:
    """Sessions, a full one, a waiting list, a cancelled one, a hostile title: 0 violations, wide and narrow."""
    viewport(browser, width)
    browser.get(site.page())
    cards = browser.find_elements(By.CSS_SELECTOR, "article.session")
    assert len(cards) == 7
    assert "Ausgebucht" in session_card(browser, site.seeded.full).text
    assert "Abgesagt" in session_card(browser, site.seeded.cancelled).text
    assert "Platz 1 der Warteliste" in session_card(browser, site.seeded.waiting).text
    violations = axe()
    assert violations == [], summary(violations)


def test_axe_finds_no_violation_after_a_sign_up_on_the_english_page(browser: WebDriver, axe: Axe, site: Site) -> None:
    site.kiwi.set_language(SECRETS[EDS], "en")
    browser.get(site.page(EDS))
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    button = session_card(browser, site.seeded.full).find_element(By.TAG_NAME, "button")
    assert button.accessible_name == "Join the waiting list: Barrierefreie PDFs"
    assert "you are number 2 on the waiting list" in press(browser, button).lower()
    assert "hinweis=" in browser.current_url
    violations = axe()
    assert violations == [], summary(violations)


@pytest.mark.parametrize("width", [360, 320])
def test_reflows_on_a_narrow_screen_without_scrolling_sideways(browser: WebDriver, site: Site, width: int) -> None:
    """360 px is a small phone; 320 CSS px is what WCAG 1.4.10 asks (1280 px at 400 %, or 640 px at 200 %)."""
    viewport(browser, width)
    browser.get(site.page())
    scroll_width = browser.execute_script("return document.documentElement.scrollWidth")
    assert scroll_width <= width
    for button in browser.find_elements(By.CSS_SELECTOR, "button"):
        assert button.rect["x"] >= 0 and button.rect["x"] + button.rect["width"] <= width


def test_keyboard_only_sign_up(browser: WebDriver, site: Site) -> None:
    """Tab from the top to the session's button, Enter: signed up in the store, and the page says so."""
    number = site.seeded.intro
    assert ME not in site.attendees(number)
    browser.get(site.page())
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    first = browser.switch_to.active_element
    assert first.get_attribute("class") == "skip" and first.is_displayed()
    assert first.accessible_name == "Zum Inhalt springen"
    target = "Anmelden: Einführung in die E-Akte"
    for _ in range(80):
        focused = browser.switch_to.active_element
        if focused.tag_name == "button" and focused.accessible_name == target:
            break
        focused.send_keys(Keys.TAB)
    else:
        pytest.fail(f"Tab never reached the button {target!r}")
    outline = browser.execute_script(
        "const s = getComputedStyle(arguments[0]); return [s.outlineStyle, parseFloat(s.outlineWidth)];", focused
    )
    assert outline[0] != "none" and outline[1] >= 2, f"no visible focus: {outline}"
    told = press(browser, focused, Keys.ENTER)
    assert "Du bist für Session 1 „Einführung in die E-Akte“ angemeldet" in told
    assert ME in site.attendees(number)
    assert "Du bist angemeldet." in session_card(browser, number).text
    assert site.commits, "the effects of the sign-up were not handed on"


def test_works_without_javascript(browser_without_js: WebDriver, site: Site) -> None:
    """Sign off from the waiting list and sign up again, with scripts switched off."""
    driver = browser_without_js
    number = site.seeded.waiting
    driver.get("data:text/html,<title>off</title><script>document.title = 'on'</script>")
    assert driver.title == "off", "this browser runs scripts"
    driver.get(site.page())
    button = session_card(driver, number).find_element(By.TAG_NAME, "button")
    assert button.accessible_name == "Von der Warteliste abmelden: Agile Verwaltung"
    assert "nicht mehr auf der Warteliste für Session 3 „Agile Verwaltung“" in press(driver, button)
    assert ME not in site.attendees(number)
    again = session_card(driver, number).find_element(By.TAG_NAME, "button")
    assert again.accessible_name == "Auf die Warteliste: Agile Verwaltung"
    assert "Platz 1 der Warteliste" in press(driver, again)
    assert site.attendees(number)[-1] == ME


def test_hostile_title_and_description_are_shown_as_text(browser: WebDriver, site: Site) -> None:
    browser.get(site.page())
    card = session_card(browser, site.seeded.hostile)
    assert card.find_element(By.CSS_SELECTOR, "h4 .title").text == HOSTILE_TITLE
    assert card.find_element(By.CSS_SELECTOR, ".description").text == HOSTILE_TEXT
    assert browser.find_elements(By.CSS_SELECTOR, "main script, main img, main b") == []
    assert browser.execute_script("return window.kiwiPwned === undefined")
    # A javascript: "link" is not a link.
    assert card.find_elements(By.CSS_SELECTOR, "a.url") == []
    assert "javascript:alert(1)" in card.text
    button = card.find_element(By.TAG_NAME, "button")
    assert button.accessible_name == f"Anmelden: {HOSTILE_TITLE}"


@pytest.mark.parametrize("forgery", ["wrong", "missing"])
def test_a_form_without_its_token_is_refused_and_changes_nothing(browser: WebDriver, site: Site, forgery: str) -> None:
    number = site.seeded.intro
    before = site.attendees(number)
    browser.get(site.page())
    card = session_card(browser, number)
    token = card.find_element(By.CSS_SELECTOR, "input[name=csrf]")
    if forgery == "wrong":
        browser.execute_script("arguments[0].value = 'f' + arguments[0].value.slice(1)", token)
    else:
        browser.execute_script("arguments[0].remove()", token)
    assert "nichts geändert" in press(browser, card.find_element(By.TAG_NAME, "button"))
    assert site.attendees(number) == before
    assert site.effects == []


def test_the_page_keeps_to_the_content_security_policy(browser: WebDriver, site: Site) -> None:
    """Under the server's CSP (no inline script or style) nothing on the page is blocked: the console stays clean."""
    browser.get_log("browser")  # empty what earlier tests left
    browser.get(site.page())
    assert (
        browser.execute_script("return getComputedStyle(document.querySelector('.banner')).backgroundColor")
        == "rgb(13, 59, 46)"
    ), "the stylesheet did not load"
    problems = [entry["message"] for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
    assert problems == []


def test_a_wrong_link_gets_a_plain_404(browser: WebDriver, site: Site) -> None:
    browser.get(f"{site.url}/p/not-a-link")
    assert browser.find_element(By.TAG_NAME, "body").text == "404: Not Found"
    answer = http(f"{site.url}/p/not-a-link")
    assert answer.status == 404 and "not-a-link" not in answer.text
