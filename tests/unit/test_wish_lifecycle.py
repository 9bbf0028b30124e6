"""A wish's life after it was fulfilled (the session cancelled, or a change names another wish or none: it is
open again and the wishers are told), taking wishes back in the words people use, and the wish texts' wording."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiwibot.commands import loop
from kiwibot.commands.builtin import build_registry
from kiwibot.commands.registry import Context
from kiwibot.core.clock import FixedClock
from kiwibot.core.effects import Direct, NotifyWish, Outcome, RefreshWish
from kiwibot.core.errors import UserError
from kiwibot.core.learning import WishStatus
from kiwibot.core.messages import Msg, PostLink
from kiwibot.core.model import Format
from kiwibot.core.offer import OfferFields, parse_offer
from kiwibot.core.present_loop import wish_line, wish_post
from kiwibot.core.pseudonyms import former_member
from kiwibot.core.service import Kiwi, Settings
from kiwibot.core.wishnumbers import close_request, names_wishes_only
from kiwibot.matrix.platform import MatrixPlatform
from kiwibot.matrix.render import Renderer
from kiwibot.storage import Store

NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
TZ = ZoneInfo("Europe/Berlin")
GIVER, ANNA, BERT, CARO, DORA = "@giver:x", "@anna:x", "@bert:x", "@caro:x", "@dora:x"
REGISTRY = build_registry("!")


@pytest.fixture
def kiwi(tmp_path: Path) -> Kiwi:
    return Kiwi(Store.open(tmp_path / "k.db"), FixedClock(NOW), Settings(timezone=TZ), MatrixPlatform())


def offer(kiwi: Kiwi, wish: int | None = None, days: int = 3) -> int:
    """An offer (naming `wish`), its news post sent; returns its number."""
    fields = OfferFields(
        title=f"Session in {days} Tagen",
        starts_at=NOW + timedelta(days=days),
        duration=60,
        format=Format.TALK,
        wish=wish,
        given=frozenset({"title", "when", "duration", "format"}),
    )
    kiwi.offer(GIVER, fields, None, None)
    number = max(s.id for s in kiwi.store.upcoming(NOW))
    kiwi.store.update_session(number, NOW, news_room="!programme:x", news_event=f"$news{number}")
    return number


def keys(effects: tuple[object, ...] | list[object]) -> list[tuple[str, object]]:
    """(kind, key) of the notices among the effects: who hears what, and how."""
    found: list[tuple[str, object]] = []
    for effect in effects:
        if isinstance(effect, Direct) and isinstance(effect.message, Msg):
            found.append((f"dm {effect.user_id}", effect.message.key))
        elif isinstance(effect, NotifyWish) and isinstance(effect.message, Msg):
            text = effect.message.params["text"]
            found.append((f"thread {' '.join(effect.users)}", text.key if isinstance(text, Msg) else text))
    return found


def interested_wish(kiwi: Kiwi) -> None:
    """W1 by Anna; Bert (thread), Caro (direct message) and Dora ("off") show interest."""
    kiwi.make_wish(ANNA, "Barrierefreie Word-Dokumente")
    for person, reaction in ((BERT, "$b"), (CARO, "$c"), (DORA, "$d")):
        kiwi.show_interest(person, 1, reaction)
    kiwi.set_reminder_pref(CARO, "dm")
    kiwi.set_reminder_pref(DORA, "aus")


# -- fulfilled: told once the session's post is out, with its link -----------------------------------------


def test_an_offer_naming_a_wish_tells_the_wishers_once_its_post_is_out_with_the_link(kiwi: Kiwi) -> None:
    interested_wish(kiwi)
    fields = OfferFields(
        title="Word barrierefrei",
        starts_at=NOW + timedelta(days=3),
        duration=60,
        format=Format.TALK,
        wish=1,
        given=frozenset({"title", "when", "duration", "format"}),
    )
    outcome = kiwi.offer(GIVER, fields, None, None)
    assert kiwi.wish(1).status is WishStatus.FULFILLED
    assert keys(outcome.effects) == []  # no post yet, so nothing to link to: told once it is out
    kiwi.store.update_session(1, NOW, news_room="!programme:x", news_event="$news1")
    told = kiwi.wish_news(1)
    assert keys(told) == [
        (f"dm {CARO}", "wish.fulfilled_notice"),
        (f"thread {ANNA} {BERT}", "wish.fulfilled_notice"),
    ]
    direct = next(e for e in told if isinstance(e, Direct))
    assert isinstance(direct.message, Msg) and direct.message.params["post"] == PostLink("!programme:x", "$news1")
    text = Renderer(TZ).render(direct.message, "de").body
    assert "mit 👍 auf die Ankündigung (https://matrix.to/#/!programme:x/$news1) oder" in text


def test_a_change_naming_a_wish_of_a_posted_session_tells_at_once_with_the_link(kiwi: Kiwi) -> None:
    interested_wish(kiwi)
    number = offer(kiwi)
    outcome = kiwi.edit(GIVER, number, OfferFields(wish=1, given=frozenset({"wish"})))
    direct = next(e for e in outcome.effects if isinstance(e, Direct))
    assert isinstance(direct.message, Msg) and direct.message.params["post"] == PostLink("!programme:x", "$news1")


# -- cancelled or no longer named: the wish is open again -------------------------------------------------


def test_cancelling_the_session_reopens_its_wish_with_its_interest_and_tells_the_wishers(kiwi: Kiwi) -> None:
    interested_wish(kiwi)
    number = offer(kiwi, wish=1)
    outcome = kiwi.cancel(GIVER, number, "Krankheit")
    wish = kiwi.wish(1)
    assert wish.status is WishStatus.OPEN and wish.session_id is None
    assert kiwi.wish_post_facts(1)[1] == 4  # Anna, Bert, Caro, Dora: nobody's interest is lost
    assert [w.id for w, _ in kiwi.open_wishes()[0]] == [1]
    assert RefreshWish(1) in outcome.effects
    assert keys(outcome.effects) == [
        (f"dm {CARO}", "wish.reopened_cancelled"),
        (f"thread {ANNA} {BERT}", "wish.reopened_cancelled"),
    ]
    assert kiwi.store.wish_of_session(number) is None  # the cancelled session's post names no wish any more
    assert kiwi.wish_news(number) == []
    again = offer(kiwi, wish=1, days=5)  # and another session can take it up
    assert kiwi.wish(1).session_id == again


def test_a_change_naming_another_wish_or_none_reopens_the_one_named_before(kiwi: Kiwi) -> None:
    interested_wish(kiwi)
    kiwi.make_wish(BERT, "E-Akte")
    number = offer(kiwi, wish=1)
    same = kiwi.edit(GIVER, number, OfferFields(wish=1, given=frozenset({"wish"})))
    assert isinstance(same.reply, Msg) and same.reply.key == "edit.unchanged"  # not "already fulfilled"

    other = kiwi.edit(GIVER, number, OfferFields(wish=2, given=frozenset({"wish"})))
    assert kiwi.wish(1).status is WishStatus.OPEN and kiwi.wish(2).session_id == number
    assert (f"thread {ANNA} {BERT}", "wish.reopened_changed") in keys(other.effects)
    assert (f"thread {BERT}", "wish.fulfilled_notice") in keys(other.effects)

    none = parse_offer("Wunsch: keiner", None, NOW, TZ, partial=True)
    assert none.wish is None and "wish" in none.given
    kiwi.edit(GIVER, number, none)
    assert kiwi.wish(2).status is WishStatus.OPEN and kiwi.store.wishes_of_session(number) == []
    nothing = kiwi.edit(GIVER, number, none)
    assert isinstance(nothing.reply, Msg) and nothing.reply.key == "edit.unchanged"


# -- taking wishes back ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "numbers"),
    [
        ("schließen W7", ("W7",)),
        ("löschen W2", ("W2",)),
        ("zurücknehmen W2", ("W2",)),
        ("zurueckziehen W2", ("W2",)),
        ("entfernen 2", ("2",)),
        ("schließen W4 W5", ("W4", "W5")),
        ("löschen W4, W5 und W6", ("W4", "W5", "W6")),
        ("bitte meinen Wunsch W3 löschen", ("W3",)),
        ("W3 erledigt", ("W3",)),
        ("withdraw W2", ("W2",)),
        ("take back W2", ("W2",)),
        ("delete W 2", ("W 2",)),
        ("done #W2", ("#W2",)),
        ("löschen Nr. 7", ("Nr. 7",)),  # a session's number: told so, never taken for W7
        ("löschen", ()),
    ],
)
def test_taking_wishes_back_in_the_words_people_use(line: str, numbers: tuple[str, ...]) -> None:
    assert close_request(line) == numbers


@pytest.mark.parametrize(
    "topic", ["Löschfristen im DMS", "Schließen von Wissenslücken", "Daten löschen nach DSGVO", "5 Tipps für Excel"]
)
def test_topics_with_such_words_stay_topics(topic: str) -> None:
    assert close_request(topic) is None and not names_wishes_only(topic)


@pytest.mark.parametrize("topic", ["W2 W3", "streiche W2", "W2, W3"])
def test_a_topic_of_wish_numbers_is_a_command_gone_wrong(topic: str) -> None:
    assert names_wishes_only(topic)


def ctx(kiwi: Kiwi, sender: str = ANNA, language: str = "de") -> Context:
    return Context(kiwi=kiwi, registry=REGISTRY, sender=sender, room_id="!r:x", language=language, now=NOW)


def test_several_wishes_are_closed_each_and_the_rest_named(kiwi: Kiwi) -> None:
    for topic in ("Eins", "Zwei", "Drei"):
        kiwi.make_wish(ANNA, topic)
    kiwi.make_wish(BERT, "Vier")
    outcome = loop.wish(ctx(kiwi), "löschen W1 W2 W4 W9")
    assert isinstance(outcome, Outcome)
    assert [w.id for w, _ in kiwi.open_wishes()[0]] == [3, 4]
    lines = [m.key for m in outcome.reply.items if isinstance(m, Msg)]  # type: ignore[union-attr]
    assert lines == ["wish.closed", "wish.closed", "wish.close_some_failed", "wish.close_forbidden", "wish.unknown"]
    assert set(outcome.effects) == {RefreshWish(1), RefreshWish(2)}
    assert kiwi.store.count_open_wishes() == 2  # nothing was posted as a wish


@pytest.mark.parametrize("text", ["löschen W3", "zurücknehmen W3", "W3 zurückziehen", "schließen W3 W3"])
def test_a_take_back_wording_closes_and_never_posts_a_wish(kiwi: Kiwi, text: str) -> None:
    kiwi.make_wish(ANNA, "Eins")
    kiwi.make_wish(ANNA, "Zwei")
    kiwi.make_wish(ANNA, "Drei")
    loop.wish(ctx(kiwi), text)
    assert [w.topic for w, _ in kiwi.open_wishes()[0]] == ["Eins", "Zwei"]


def test_a_wish_number_with_an_unknown_verb_is_refused_not_posted(kiwi: Kiwi) -> None:
    with pytest.raises(UserError) as info:
        loop.wish(ctx(kiwi), "streiche W2")
    assert info.value.key == "wish.command_as_topic"
    text = Renderer(TZ).render(info.value.as_msg(), "de").body
    assert "`!wunsch schließen W2`" in text
    with pytest.raises(UserError) as lone:
        loop.wish(ctx(kiwi), "W2")
    assert lone.value.key == "wish.number_as_topic"  # a lone number keeps its own answer
    assert kiwi.store.count_open_wishes() == 0


# -- wording -------------------------------------------------------------------------------------------


def test_a_former_members_wish_reads_von_einem_ehemaligen_mitglied(kiwi: Kiwi) -> None:
    wish = kiwi.store.create_wish(former_member(), "E-Akte", "", NOW)
    renderer = Renderer(TZ)
    post = renderer.render(wish_post(wish, 1, None, "!anbieten", "👍"), "de").body
    line = renderer.render(wish_line(wish, 1), "de").body
    assert "Gewünscht von einem ehemaligen Mitglied" in post and "von einem ehemaligen Mitglied am" in line
    assert "Wished for by a former member" in renderer.render(wish_post(wish, 1, None, "!offer", "👍"), "en").body
    assert "by a former member on" in renderer.render(wish_line(wish, 1), "en").body


def test_the_alike_wishes_answer_asks_whether_one_fits_the_topic(kiwi: Kiwi) -> None:
    kiwi.make_wish(BERT, "Pivot-Tabellen in Excel")
    reply = kiwi.make_wish(ANNA, "Excel Pivot").reply
    renderer = Renderer(TZ)
    assert "passt einer davon zu deinem Thema?" in renderer.render(reply, "de").body  # type: ignore[arg-type]
    assert "does one of them fit your topic?" in renderer.render(reply, "en").body  # type: ignore[arg-type]
