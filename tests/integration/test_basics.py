"""The foundation against a real Synapse: help, ping, unknown commands, plain chat, restarts, invites."""

from __future__ import annotations

import pytest

from tests.integration.conftest import World
from tests.integration.matrixkit import body, membership, replied_to

pytestmark = pytest.mark.integration


async def bot_messages(world: World) -> list[dict]:
    history = await world.host.history(world.programme)
    return [e for e in history if e["sender"] == world.bot_id and e["type"] == "m.room.message"]


async def test_ping_round_trip_is_a_rich_reply_notice(world: World) -> None:
    await world.start_bot()
    ping = await world.host.send(world.programme, "!ping")
    reply = await world.host.wait_reply(world.programme, ping, world.bot_id)
    content = reply["content"]
    assert content["msgtype"] == "m.notice"
    assert "Pong" in content["body"]
    assert content["format"] == "org.matrix.custom.html"
    assert "Pong" in content["formatted_body"]
    assert content["m.relates_to"] == {"m.in_reply_to": {"event_id": ping}}
    assert content["m.mentions"] == {}


async def test_hilfe_lists_commands_in_german(world: World) -> None:
    await world.start_bot()
    ask = await world.host.send(world.programme, "!hilfe")
    text = body(await world.host.wait_reply(world.programme, ask, world.bot_id))
    assert "Das kann ich" in text
    assert "`!ping` – prüft, ob ich da bin" in text
    assert "`!sprache <Sprache>`" in text
    assert "`!hilfe [Befehl]`" in text


async def test_help_in_english_when_configured_english(world: World) -> None:
    await world.start_bot(language="en")
    ask = await world.host.send(world.programme, "!help")
    text = body(await world.host.wait_reply(world.programme, ask, world.bot_id))
    assert "Here is what I can do" in text
    assert "`!help [command]`" in text
    assert "`!language <language>`" in text


async def test_help_follows_the_configured_language_until_a_person_chooses(world: World) -> None:
    await world.start_bot()
    ask = await world.host.send(world.programme, "!help")
    assert "Das kann ich" in body(await world.host.wait_reply(world.programme, ask, world.bot_id))
    choose = await world.host.send(world.programme, "!language en")
    assert "English" in body(await world.host.wait_reply(world.programme, choose, world.bot_id))
    ask = await world.host.send(world.programme, "!hilfe")
    assert "Here is what I can do" in body(await world.host.wait_reply(world.programme, ask, world.bot_id))
    detail = await world.host.send(world.programme, "!help ping")
    text = body(await world.host.wait_reply(world.programme, detail, world.bot_id))
    assert "`!ping`" in text and "checks that I am here" in text


async def test_unknown_command_gets_the_closest_name(world: World) -> None:
    await world.start_bot()
    typo = await world.host.send(world.programme, "!hlife")
    text = body(await world.host.wait_reply(world.programme, typo, world.bot_id))
    assert "`!hlife`" in text and "Meintest du `!hilfe`?" in text
    nonsense = await world.host.send(world.programme, "!xyzzyq")
    text = body(await world.host.wait_reply(world.programme, nonsense, world.bot_id))
    assert "`!xyzzyq`" in text and "`!hilfe`" in text and "Meintest" not in text


async def test_bad_arguments_get_the_usage(world: World) -> None:
    await world.start_bot()
    bad = await world.host.send(world.programme, "!sprache klingonisch")
    text = body(await world.host.wait_reply(world.programme, bad, world.bot_id))
    assert "klingonisch" in text and "de (Deutsch), en (English)" in text
    missing = await world.host.send(world.programme, "!sprache")
    assert "`!sprache <Sprache>`" in body(await world.host.wait_reply(world.programme, missing, world.bot_id))


async def test_plain_chat_and_notices_are_ignored(world: World) -> None:
    await world.start_bot()
    chat = await world.host.send(world.programme, "Hallo zusammen, wer kommt morgen?")
    exclaim = await world.host.send(world.programme, "! nur ein Ausrufezeichen")
    notice = await world.host.send(world.programme, "!ping", msgtype="m.notice")
    ping = await world.host.send(world.programme, "!ping")
    await world.host.wait_reply(world.programme, ping, world.bot_id)
    answered = {replied_to(e) for e in await bot_messages(world)}
    assert answered == {ping}
    assert not {chat, exclaim, notice} & answered


async def test_restart_answers_each_command_exactly_once(world: World) -> None:
    app = await world.start_bot()
    first = await world.host.send(world.programme, "!ping")
    await world.host.wait_reply(world.programme, first, world.bot_id)
    await world.stop_bot(app)

    while_away = await world.host.send(world.programme, "!ping")
    await world.start_bot()
    await world.host.wait_reply(world.programme, while_away, world.bot_id)
    marker = await world.host.send(world.programme, "!ping")
    await world.host.wait_reply(world.programme, marker, world.bot_id)

    replies = [replied_to(e) for e in await bot_messages(world)]
    assert replies.count(first) == 1
    assert replies.count(while_away) == 1
    assert replies.count(marker) == 1


async def test_command_buried_under_a_long_backlog_is_still_answered(world: World) -> None:
    """More events than one sync returns: the bot must read back with /messages."""
    app = await world.start_bot()
    await world.stop_bot(app)
    buried = await world.host.send(world.programme, "!ping")
    for n in range(130):
        await world.host.send(world.programme, f"Nachricht {n}")
    await world.start_bot()
    await world.host.wait_reply(world.programme, buried, world.bot_id)


async def test_commands_from_before_the_first_start_are_history(world: World) -> None:
    await world.host.join(world.programme)
    old = await world.host.send(world.programme, "!ping")
    await world.start_bot()
    new = await world.host.send(world.programme, "!ping")
    await world.host.wait_reply(world.programme, new, world.bot_id)
    answered = {replied_to(e) for e in await bot_messages(world)}
    assert old not in answered


async def test_device_is_kept_across_restarts(world: World) -> None:
    app = await world.start_bot()
    device = app.bot.client.device_id
    before = {d.id for d in (await app.bot.client.devices()).devices}
    await world.stop_bot(app)
    app = await world.start_bot()
    assert app.bot.client.device_id == device
    assert {d.id for d in (await app.bot.client.devices()).devices} == before


async def test_invites_only_from_network_members_are_accepted(world: World) -> None:
    await world.start_bot(access={"allowed_servers": ["kiwi.example"]}, roles={"admins": [world.host.user_id]})
    stranger = await world.user("stranger")
    theirs = await stranger.create_room("Fremder Raum", invite=[world.bot_id])
    ours = await world.host.create_room("Raum der Admins", invite=[world.bot_id])
    await world.host.wait_for(
        ours,
        membership(world.bot_id, "join"),
        within=30,
    )
    await stranger.wait_for(
        theirs,
        membership(world.bot_id, "leave"),
        within=30,
    )


async def test_space_members_are_network_members_and_the_space_is_reread(world: World) -> None:
    space_response = await world.host.client.room_create(name=f"Verwaltungsnetz {world.tag}", space=True)
    space = space_response.room_id
    member = await world.user("member", join=(space,))
    outsider = await world.user("outsider")
    await world.host.client.room_invite(space, world.bot_id)
    await world.start_bot(access={"space": space})

    welcome = await member.create_room("Mitgliederraum", invite=[world.bot_id])
    await member.wait_for(welcome, membership(world.bot_id, "join"))
    refused = await outsider.create_room("Außenraum", invite=[world.bot_id])
    await outsider.wait_for(refused, membership(world.bot_id, "leave"))

    await world.host.client.room_invite(space, outsider.user_id)
    await outsider.join(space)
    later = await outsider.create_room("Jetzt dabei", invite=[world.bot_id])
    await outsider.wait_for(later, membership(world.bot_id, "join"))


async def test_hilfe_in_an_english_configured_bot_answers_in_english(world: World) -> None:
    await world.start_bot(language="en")
    ask = await world.host.send(world.programme, "!hilfe")
    assert "Here is what I can do" in body(await world.host.wait_reply(world.programme, ask, world.bot_id))
