"""The programme page's routes over real HTTP: the buttons call the core as the chat commands do, hand on its
effects, then redirect to the page that says what happened; forged forms and wrong links change nothing."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiwibot.core.effects import Notify, Refresh
from kiwibot.web.programme import PRESSES_PER_MINUTE
from tests.unit.webkit import ANNAS, CSRF, EDS, ME, MIA, SECRETS, Site, http


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    served = Site.start(tmp_path)
    try:
        yield served
    finally:
        served.stop()


def press(site: Site, secret: str, action: str, number: int | str, token: str | None = None) -> str:
    """POST a button's form and follow the redirect: the page's notice."""
    answer = http(
        f"{site.page(secret)}/{action}",
        {"csrf": CSRF.token(secret) if token is None else token, "session": str(number)},
    )
    assert answer.status == 200, answer.text
    return notice_of(answer.text)


def notice_of(page: str) -> str:
    start = page.find('<div id="hinweis"')
    return html.unescape(page[start : page.find("</div>", start)]) if start >= 0 else ""


def test_the_page_is_private_and_names_its_person(site: Site) -> None:
    answer = http(site.page())
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
    assert answer.headers["Cache-Control"] == "private, no-store"
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    assert "Deine persönliche Programmseite, Mia Muster." in answer.text
    assert f'value="{CSRF.token(MIA)}"' in answer.text and CSRF.token(EDS) not in answer.text


@pytest.mark.parametrize(
    "path",
    ["/p/nope", "/p/" + "x" * 500, "/p/%C3%A4%C3%B6", "/p/former-99887766554433221100ffeeddcc", "/p/"],
)
def test_wrong_malformed_and_former_members_links_get_a_plain_404(site: Site, path: str) -> None:
    answer = http(site.url + path)
    assert answer.status == 404 and answer.text == "404: Not Found"
    assert "private" not in answer.headers.get("Cache-Control", "")  # nothing about a person


def test_a_post_to_a_wrong_link_changes_nothing(site: Site) -> None:
    before = site.attendees(site.seeded.intro)
    answer = http(f"{site.url}/p/nope/anmelden", {"csrf": CSRF.token("nope"), "session": str(site.seeded.intro)})
    assert answer.status == 404 and site.attendees(site.seeded.intro) == before and site.effects == []


def test_sign_up_as_the_command_does_then_see_the_page_say_so(site: Site) -> None:
    number = site.seeded.intro
    redirect = http(f"{site.page()}/anmelden", {"csrf": CSRF.token(MIA), "session": str(number)}, follow=False)
    assert redirect.status == 303 and redirect.headers["Cache-Control"] == "private, no-store"
    location = redirect.headers["Location"]
    assert location.startswith(f"../{MIA}?hinweis=") and location.endswith("#hinweis")
    assert site.attendees(number)[-1] == ME
    assert site.effects == [(Refresh(number),)] and len(site.commits) == 1
    query = location.removeprefix(f"../{MIA}")
    assert notice_of(http(site.page(EDS) + query).text) == ""  # someone else's notice shows nothing
    told = notice_of(http(site.page() + query).text)
    assert 'class="notice ok"' in told and "Du bist für Session 1 „Einführung in die E-Akte“ angemeldet" in told
    assert notice_of(http(site.page() + query).text) == ""  # told once


def test_a_full_session_gives_a_waiting_list_place(site: Site) -> None:
    told = press(site, MIA, "anmelden", site.seeded.full)
    assert "ausgebucht – du stehst auf Platz 2 der Warteliste" in told


def test_signing_off_hands_on_every_effect_and_the_next_person_moves_up(site: Site) -> None:
    number = site.seeded.waiting  # Anna has the one seat, Mia waits
    told = press(site, ANNAS, "abmelden", number)
    assert "Du bist von Session 3 „Agile Verwaltung“ abgemeldet" in told
    assert site.attendees(number) == [ME]
    (effects,) = site.effects
    assert effects[0] == Refresh(number)
    promoted = [e for e in effects if isinstance(e, Notify)]
    assert [e.users for e in promoted] == [(ME,)]


def test_english_for_those_who_chose_it(site: Site) -> None:
    site.kiwi.set_language(SECRETS[EDS], "en")
    page = http(site.page(EDS)).text
    assert '<html lang="en">' in page and 'aria-label="Sign up: Einführung in die E-Akte"' in page
    assert 'You are signed up for session 1 "Einführung in die E-Akte"' in press(site, EDS, "anmelden", 1)


@pytest.mark.parametrize(
    ("action", "which", "says"),
    [
        ("anmelden", "mine", "gibst du selbst"),
        ("anmelden", "cancelled", "ist abgesagt"),
        ("abmelden", "intro", "warst du nicht angemeldet"),
        ("anmelden", "999", "Eine Session Nr. 999 gibt es nicht"),
        ("anmelden", "abc", "„abc“ ist keine gültige Nummer"),
        ("anmelden", "", "„“ ist keine gültige Nummer"),
    ],
)
def test_refusals_are_told_kindly_and_change_nothing(site: Site, action: str, which: str, says: str) -> None:
    number = getattr(site.seeded, which, which)
    told = press(site, MIA, action, number)
    assert 'class="notice error"' in told and 'role="alert"' in told and says in told
    assert site.effects == [] and site.commits == []


@pytest.mark.parametrize("token", ["", "0" * 64, CSRF.token(EDS)])
def test_a_forged_form_is_refused_with_a_friendly_page(site: Site, token: str) -> None:
    number = site.seeded.intro
    before = site.attendees(number)
    answer = http(f"{site.page()}/anmelden", {"csrf": token, "session": str(number)})
    assert answer.status == 403
    assert "Das Formular war veraltet oder unvollständig, deshalb wurde nichts geändert" in notice_of(answer.text)
    assert site.attendees(number) == before and site.effects == []


def test_a_form_without_any_fields_is_refused(site: Site) -> None:
    answer = http(f"{site.page()}/abmelden", {})
    assert answer.status == 403 and site.effects == []


def test_the_buttons_have_their_own_higher_limit_in_their_own_words(site: Site) -> None:
    for _ in range(PRESSES_PER_MINUTE):  # more than the chat's 10 commands a minute: a dozen signups is plausible
        assert "sehr viele" not in press(site, MIA, "anmelden", site.seeded.intro)
    told = press(site, MIA, "anmelden", site.seeded.intro)
    assert "sehr viele Klicks" in told and "Bitte versuch es ab 11:01 Uhr noch einmal." in told
    assert "Befehl" not in told and "schick" not in told  # nobody sent a command
    assert site.kiwi.admit(ME) is True  # and the chat's commands are not held because of the buttons


def test_a_trailing_slash_on_the_page_link_leads_to_the_page(site: Site) -> None:
    answer = http(site.page() + "/")
    assert answer.status == 200 and "Deine persönliche Programmseite" in answer.text


def test_a_failure_while_handing_on_the_effects_rolls_the_sign_up_back(site: Site) -> None:
    site.broken = True
    told = press(site, MIA, "anmelden", site.seeded.intro)
    assert "etwas schiefgelaufen" in told and "Referenz" in told
    assert ME not in site.attendees(site.seeded.intro) and site.commits == []


def test_the_stylesheet_and_icon_are_served(site: Site) -> None:
    css, icon = http(f"{site.url}/static/kiwi.css"), http(f"{site.url}/static/kiwi.svg")
    assert css.status == 200 and css.headers["Content-Type"].startswith("text/css") and ":focus-visible" in css.text
    assert icon.status == 200 and icon.headers["Content-Type"].startswith("image/svg+xml")
