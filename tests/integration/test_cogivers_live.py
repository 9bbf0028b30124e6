"""Co-givers (#13.10) against a real Synapse: named by pill or id in an offer or `!ändern`, shown, told, and
allowed what the giver is allowed."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.integration.chatkit import command, direct_chat, from_bot, settle
from tests.integration.conftest import World
from tests.integration.matrixkit import User, body, current_content, in_thread_of, is_edit_of, mentions, react
from tests.integration.sessionkit import day, linked_post, offer_text

pytestmark = pytest.mark.integration


def pill(user: User, name: str) -> str:
    return f'<a href="https://matrix.to/#/{user.user_id}">{name}</a>'


async def offer_with_cohost(world: World, giver: User, cohost: User) -> tuple[int, str]:
    """An offer as Element sends it when the co-giver is picked from the suggestions: the plain body shows only the
    display name, the HTML holds the pill."""
    text = offer_text(when=day(2, "10:00"))
    lines = text.splitlines()
    lines.insert(-1, "Co-Geber:in: Ben Beispiel")
    html = "<br>".join(lines).replace("Ben Beispiel", pill(cohost, "Ben Beispiel"))
    sent = await giver.send(world.programme, "\n".join(lines), html=html)
    reply = await giver.wait_reply(world.programme, sent, world.bot_id)
    match = re.search(r"Nummer (\d+)", body(reply))
    assert match, body(reply)
    return int(match[1]), await linked_post(user=giver, bot_id=world.bot_id, room=world.programme, answer=reply)


async def test_a_co_giver_named_by_pill_is_told_shown_reminded_and_may_do_what_the_giver_may(world: World) -> None:
    app = await world.start_bot(reminders=[60])
    giver = await world.user("giver", join=(world.programme,))
    ben = await world.user("ben", join=(world.programme,))
    anna = await world.user("anna", join=(world.programme,))
    number, news = await offer_with_cohost(world, giver, ben)
    assert app.store.get_session(number).cogivers == (ben.user_id,)
    ben_dm = await direct_chat(ben)
    named = await ben.wait_for(ben_dm, from_bot(world, "als Co-Geber:in von Session", f"!ändern {number}"))
    assert giver.user_id.removeprefix("@").split(":")[0] in body(named)
    post = await current_content(giver, world.programme, news)
    assert f"Co-Geber:in: {ben.user_id.removeprefix('@').split(':')[0]}" in post["body"]
    assert f"https://matrix.to/#/{ben.user_id}" in post["formatted_body"]

    mine = await command(world, ben, "!meine")
    assert "Sessions, die du gibst" in mine and "(als Co-Geber:in)" in mine
    giver_name, ben_name = (user.user_id.removeprefix("@").split(":")[0] for user in (giver, ben))
    assert f"{giver_name} mit {ben_name}" in await command(world, ben, "!programm")
    assert "gibst du selbst" in await command(world, ben, f"!anmelden {number}")
    await react(ben, world.programme, news)  # a co-giver's 👍 is no signup
    await react(anna, world.programme, news)
    assert "Teilnehmende von Session" in await command(world, ben, f"!teilnehmende {number}", room=ben_dm)
    assert "ist geändert" in await command(world, ben, f"!ändern {number}\nPlätze: 5")
    giver_dm = await direct_chat(giver)
    await giver.wait_for(giver_dm, from_bot(world, "hat deine Session", "geändert (Plätze)"))
    await settle(world, anna)
    assert app.store.attendees(number) == [anna.user_id]

    world.clock.set(app.store.get_session(number).starts_at - timedelta(minutes=59))
    reminder = await anna.wait_for(world.programme, lambda e: in_thread_of(e, news) and "Erinnerung" in body(e))
    assert mentions(reminder) == sorted([giver.user_id, ben.user_id, anna.user_id])

    assert "ist geändert" in await command(world, giver, f"!ändern {number}\nCo-Geber:in: -")
    await ben.wait_for(ben_dm, from_bot(world, "als Co-Geber:in von Session", "ausgetragen"))
    assert "dürfen nur" in await command(world, ben, f"!absagen {number}")
    await giver.wait_for(world.programme, lambda e: is_edit_of(e, news) and "Co-Geber" not in body(e))


async def test_every_problem_with_co_givers_is_named_in_one_answer(world: World) -> None:
    giver = await world.user("giver", join=(world.programme,))
    server = giver.user_id.partition(":")[2]
    await world.start_bot(access={"allowed_servers": [server]})
    others = [await world.user(n, join=(world.programme,)) for n in ("ben", "cem", "dia", "eva")]
    named = ", ".join(u.user_id for u in others)
    answer = await command(
        world, giver, offer_text() + f"\nCo-Geber:in: Ben, {giver.user_id}, @fremd:elsewhere.example, {named}"
    )
    assert "Dein Angebot ist noch nicht ganz richtig" in answer
    assert "Wen meinst du mit „Ben“?" in answer
    assert "gibt die Session schon als Session-Geber:in" in answer
    assert "gehört nicht zu unserem Netzwerk" in answer
    assert "Das sind 5 Co-Geber:innen – möglich sind höchstens 3." in answer
    await command(world, giver, "!sprache en")
    answer = await command(world, giver, offer_text() + "\nCo-host: Ben")
    assert 'Whom do you mean by "Ben"?' in answer


async def test_a_participant_named_co_giver_is_told_their_seat_is_freed(world: World) -> None:
    app = await world.start_bot()
    giver = await world.user("giver", join=(world.programme,))
    ben = await world.user("ben", join=(world.programme,))
    sent = await giver.send(world.programme, offer_text(when=day(3, "10:00")))
    number = int(re.findall(r"Nummer (\d+)", body(await giver.wait_reply(world.programme, sent, world.bot_id)))[0])
    assert "angemeldet" in await command(world, ben, f"!anmelden {number}")
    assert "geändert" in await command(world, giver, f"!ändern {number}\nCo-Geber:in: {ben.user_id}")
    told = await ben.wait_for(await direct_chat(ben), from_bot(world, "als Co-Geber:in von Session", "keinen Platz"))
    assert "Deine Anmeldung dazu habe ich gelöscht" in body(told)
    assert app.store.attendees(number) == []
