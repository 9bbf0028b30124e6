"""Co-givers (#13.10): reading the `Co-Geber:in:` line, who may be named, and what co-givers may do and are told."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiwibot.core.clock import FixedClock
from kiwibot.core.cogivers import choose_cogivers
from kiwibot.core.effects import Direct, Notify
from kiwibot.core.errors import UserError
from kiwibot.core.offer import OfferFields, parse_offer
from kiwibot.core.offer.people import cogiver_refs
from kiwibot.core.present import news_post, programme_line
from kiwibot.core.service import Kiwi, Settings
from kiwibot.matrix.platform import MatrixPlatform
from kiwibot.matrix.render import Renderer
from kiwibot.storage import Store
from tests.unit.test_service import ADMIN, GIVER, NOW, PATRON, fields

BERLIN = ZoneInfo("Europe/Berlin")
BEN, CEM, DIA, EVA = "@ben:kiwi.example", "@cem:kiwi.example", "@dia:kiwi.example", "@eva:kiwi.example"
PILL = '<a href="https://matrix.to/#/{user}">{name}</a>'


@pytest.fixture
def kiwi(tmp_path: Path) -> Kiwi:
    settings = Settings(
        timezone=BERLIN,
        allowed_servers=frozenset({"kiwi.example", "x"}),
        admins=frozenset({ADMIN}),
        patrons=frozenset({PATRON}),
    )
    return Kiwi(Store.open(tmp_path / "k.db"), FixedClock(NOW), settings, MatrixPlatform())


def cogivers(*refs: str) -> OfferFields:
    return fields(cogivers=refs, given=frozenset({"cogivers"}))


def render(message: object, language: str = "de") -> str:
    return Renderer(BERLIN).render(message, language).body  # type: ignore[arg-type]


# -- reading the line -----------------------------------------------------------------------------


OFFER = "Titel: E-Akte\nTermin: 3.12.2026 14:00\nDauer: 60\nFormat: impuls\n"


@pytest.mark.parametrize(
    "key", ["Co-Geber:in", "Co-Geber*in", "Co-GeberIn", "Co-Geberinnen", "Co-Geber", "**Co-Geber:in:**", "Co-host"]
)
def test_the_field_is_read_in_its_spellings(key: str) -> None:
    line = f"{key} @ben:kiwi.example" if key.endswith(":**") else f"{key}: @ben:kiwi.example"
    parsed = parse_offer(OFFER + line, None, NOW, BERLIN)
    assert "cogivers" in parsed.given and parsed.cogivers == ("@ben:kiwi.example",)


def test_a_gender_colon_inside_a_value_is_still_the_value() -> None:
    parsed = parse_offer("Titel:in der Praxis\nDauer: 60", None, NOW, BERLIN, partial=True)
    assert parsed.title == "in der Praxis"


def test_pills_are_taken_from_the_line_in_the_html_and_written_ids_from_the_text() -> None:
    html = (
        f"<p>Co-Geber:in: {PILL.format(user=BEN, name='Müller, Ben')} und @cem:kiwi.example</p>"
        f"<p>Beschreibung: Danke an {PILL.format(user=EVA, name='Eva')}</p>"
    )
    refs = cogiver_refs("Müller, Ben und @cem:kiwi.example", html)
    assert refs == (f"https://matrix.to/#/{BEN}", "@cem:kiwi.example")  # Eva, named in the description, is not
    assert cogiver_refs("Ben", None) == ("Ben",)  # a display name without its pill names nobody (refused below)


@pytest.mark.parametrize(
    ("value", "refs"),
    [
        ("Ben Müller", ("Ben Müller",)),
        ("Ben Müller, @cem:kiwi.example Eva  Schmidt", ("Ben Müller", "@cem:kiwi.example", "Eva Schmidt")),
        ("@ben:kiwi.example @cem:kiwi.example", ("@ben:kiwi.example", "@cem:kiwi.example")),
        ("Müller, Ben", ("Müller", "Ben")),
    ],
)
def test_a_name_typed_without_its_pill_is_one_reference_as_typed(value: str, refs: tuple[str, ...]) -> None:
    assert cogiver_refs(value, None) == refs


def test_a_name_typed_without_its_pill_is_quoted_as_typed() -> None:
    parsed = parse_offer("Co-Geber:in: Ben Müller", None, NOW, BERLIN, partial=True)
    found = problems(*parsed.cogivers)
    assert found == [("cogivers.unknown", {"names": ("Ben Müller",), "count": 1})]


@pytest.mark.parametrize("value", ["-", "keine", "Keine", "none", "", "(freiwillig: z. B. @name)"])
def test_nobody_removes_every_co_giver(value: str) -> None:
    parsed = parse_offer(f"Co-Geber:in: {value}", None, NOW, BERLIN, partial=True)
    assert "cogivers" in parsed.given and parsed.cogivers == ()


# -- who may be named -----------------------------------------------------------------------------


def choose(*refs: str) -> tuple[str, ...]:
    platform = MatrixPlatform()
    return choose_cogivers(refs, GIVER, platform.person, lambda u: u.endswith(":kiwi.example"), "offer.invalid")


def problems(*refs: str) -> list[tuple[str, dict[str, object]]]:
    with pytest.raises(UserError) as err:
        choose(*refs)
    assert err.value.key == "offer.invalid"
    return [(p.key, dict(p.params)) for p in err.value.problems]


def test_co_givers_are_people_named_once_in_order() -> None:
    assert choose(f"https://matrix.to/#/{CEM}", BEN + ",", CEM) == (CEM, BEN)


def test_every_problem_with_co_givers_is_named_at_once() -> None:
    found = problems("Ben", "https://example.org", GIVER, "@out:elsewhere.org")
    assert [key for key, _ in found] == ["cogivers.unknown", "cogivers.giver", "cogivers.not_member"]
    assert found[0][1] == {"names": ("Ben", "https://example.org"), "count": 2}
    assert [key for key, _ in problems(BEN, CEM, DIA, EVA)] == ["cogivers.too_many"]


def test_a_co_giver_whose_account_does_not_exist_is_named_as_a_likely_typo() -> None:
    typo = "@bne:kiwi.example"
    with pytest.raises(UserError) as err:
        choose_cogivers(
            [typo, BEN, "@nix:elsewhere.org"],
            GIVER,
            MatrixPlatform().person,
            lambda u: u != "@nix:elsewhere.org",
            "offer.invalid",
            {typo, "@nix:elsewhere.org"}.__contains__,
        )
    found = [(p.key, dict(p.params)) for p in err.value.problems]
    # Not also "not a member": whoever does not exist is told so once.
    assert found == [("cogivers.no_account", {"ids": (typo, "@nix:elsewhere.org"), "count": 2})]
    assert MatrixPlatform(lambda user: user == typo).no_account(typo) and not MatrixPlatform().no_account(typo)


# -- what co-givers may do and hear ----------------------------------------------------------------


def test_co_givers_are_told_when_named_and_removed_and_may_do_what_the_giver_may(kiwi: Kiwi) -> None:
    named = kiwi.offer(GIVER, fields(cogivers=(BEN,), given=frozenset({"cogivers"})), None, None)
    assert [e.user_id for e in named.effects if isinstance(e, Direct)] == [BEN]
    session = kiwi.session(1)
    assert session.cogivers == (BEN,) and session.hosts == (GIVER, BEN)
    assert kiwi.may_manage(BEN, session) and not kiwi.may_manage(CEM, session)
    assert kiwi.participants(BEN, 1)[0].id == 1
    changed = kiwi.edit(BEN, 1, fields(title="Neu", given=frozenset({"title"})))
    assert [e.user_id for e in changed.effects if isinstance(e, Direct)] == [GIVER]  # the giver hears of it
    swapped = kiwi.edit(GIVER, 1, cogivers(CEM))
    told = {e.user_id: e.message.key for e in swapped.effects if isinstance(e, Direct)}  # type: ignore[union-attr]
    assert told == {CEM: "cogivers.named", BEN: "cogivers.removed"}
    with pytest.raises(UserError) as err:
        kiwi.edit(BEN, 1, fields(title="Nochmal", given=frozenset({"title"})))
    assert err.value.key == "manage.forbidden"
    kiwi.repeat(CEM, 1, NOW + timedelta(days=10), None, None)
    assert kiwi.session(2).cogivers == (CEM,)  # the repeat is given together again
    kiwi.cancel(CEM, 1, None)
    assert kiwi.session(1).cancelled


def test_a_co_giver_holds_no_seat(kiwi: Kiwi) -> None:
    kiwi.offer(GIVER, fields(seats=1), None, None)
    kiwi.sign_up(BEN, 1, "$ben", "reaction")
    kiwi.sign_up(CEM, 1, "$cem", "reaction")  # waits
    outcome = kiwi.edit(GIVER, 1, cogivers(BEN))
    assert kiwi.store.attendees(1) == [CEM]  # ben gives it now; cem moved up and is told
    assert [n.users for n in outcome.effects if isinstance(n, Notify)] == [(CEM,)]
    with pytest.raises(UserError) as err:
        kiwi.sign_up(BEN, 1, "cmd", "command")
    assert err.value.key == "signup.own"
    assert kiwi.sign_up(BEN, 1, "$ben2", "reaction").effects == ()  # a 👍 of a co-giver does not count


def test_only_co_givers_change_leaves_the_session_as_it_was(kiwi: Kiwi) -> None:
    kiwi.offer(GIVER, fields(), None, None)
    kiwi.edit(GIVER, 1, cogivers(BEN, CEM))
    assert kiwi.session(1).cogivers == (BEN, CEM) and kiwi.session(1).title == "E-Akte"
    outcome = kiwi.edit(PATRON, 1, cogivers())
    assert kiwi.session(1).cogivers == ()
    told = sorted((e.user_id, e.message.key) for e in outcome.effects if isinstance(e, Direct))  # type: ignore[union-attr]
    assert told == [(BEN, "cogivers.removed"), (CEM, "cogivers.removed"), (GIVER, "edit.giver_told")]
    with pytest.raises(UserError) as err:
        kiwi.edit(GIVER, 1, cogivers(GIVER))
    assert err.value.key == "edit.invalid" and err.value.problems[0].key == "cogivers.giver"


def test_co_givers_are_reminded_listed_as_theirs_and_shown(kiwi: Kiwi) -> None:
    kiwi.offer(GIVER, fields(cogivers=(BEN, CEM), given=frozenset({"cogivers"})), None, None)
    kiwi.sign_up(DIA, 1, "$dia", "reaction")
    assert isinstance(kiwi.clock, FixedClock)
    kiwi.clock.moment = kiwi.session(1).starts_at - timedelta(minutes=10)
    reminders = [e for e in kiwi.due_reminders() if isinstance(e, Notify)]
    assert reminders and {n.users for n in reminders} == {(GIVER, BEN, CEM, DIA)}
    given, _ = kiwi.mine(BEN)
    assert [s.id for s in given] == [1]
    session = kiwi.session(1)
    headcount = kiwi.attendance(session).headcount(session.seats)
    post = render(news_post(session, headcount, "!anmelden", "👍"))
    assert "Co-Geber:innen: ben, cem" in post
    assert "giver mit ben, cem" in render(programme_line(session, headcount, ""))
    assert "with ben, cem" in render(programme_line(session, headcount, ""), "en")
