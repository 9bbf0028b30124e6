"""A bare matrix-nio client in its own process: the floor the homeserver sets, and the members' hands.

Run by the benchmarks (``python -m bench.peer …``), never by people. It talks JSON lines: commands on
stdin (send one event, send a burst), reports on stdout (``sent`` with monotonic send times, ``seen``
with the monotonic time a synced event became visible). CLOCK_MONOTONIC is system-wide, so these times
compare directly with the bot's in the benchmark process. Its own process keeps its parsing off the bot's
event loop, as a member's client would be.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from typing import Any

from nio import AsyncClient, AsyncClientConfig, RoomSendResponse, SyncResponse

from kiwibot.matrix.sync import SYNC_FILTER

SYNC_TIMEOUT_MS = 30_000


def say(report: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(report) + "\n")
    sys.stdout.flush()


def client_for(homeserver: str, account: str) -> AsyncClient:
    user_id, _, token = account.partition("|")
    client = AsyncClient(homeserver, user_id, config=AsyncClientConfig(max_limit_exceeded=0, max_timeouts=2))
    client.user_id, client.access_token = user_id, token  # not restore_login(): no crypto store wanted
    return client


async def send(client: AsyncClient, tag: Any, room: str, kind: str, content: dict[str, Any]) -> None:
    t0 = time.monotonic_ns()
    response = await client.room_send(room, kind, content)
    t1 = time.monotonic_ns()
    if isinstance(response, RoomSendResponse):
        say({"ev": "sent", "id": tag, "event_id": response.event_id, "t0": t0, "t1": t1})
    else:
        say({"ev": "error", "id": tag, "message": str(response)})


async def burst(clients: list[AsyncClient], items: list[list[Any]]) -> None:
    """Every account sends its share in order, all accounts at once: as fast as the homeserver takes them."""
    per_account: dict[int, list[tuple[int, list[Any]]]] = {}
    for index, item in enumerate(items):
        per_account.setdefault(int(item[0]), []).append((index, item))

    async def one(account: int) -> None:
        for index, (_, room, kind, content) in per_account[account]:
            await send(clients[account], index, room, kind, content)

    await asyncio.gather(*(one(account) for account in per_account))
    say({"ev": "burst_done"})


async def watch(client: AsyncClient, echo_room: str | None) -> None:
    """Long-poll sync like the bot; report each timeline event the moment nio has parsed it."""
    response = await client.sync(timeout=0, sync_filter=SYNC_FILTER, full_state=True)
    assert isinstance(response, SyncResponse), response
    token = response.next_batch
    answered = [0]  # when the homeserver's answer to the last /sync came in (status and headers)
    send = client.send

    async def timed_send(method: str, path: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return await send(method, path, *args, **kwargs)
        finally:
            if "/sync" in path.split("?")[0]:
                answered[0] = time.monotonic_ns()

    client.send = timed_send  # type: ignore[method-assign]
    say({"ev": "ready"})
    while True:
        response = await client.sync(timeout=SYNC_TIMEOUT_MS, since=token, sync_filter=SYNC_FILTER)
        now = time.monotonic_ns()
        synced = answered[0]
        if not isinstance(response, SyncResponse):
            await asyncio.sleep(0.1)
            continue
        token = response.next_batch
        for room_id, info in response.rooms.join.items():
            for event in info.timeline.events:
                source = getattr(event, "source", {})
                content = source.get("content") or {}
                relates = content.get("m.relates_to") or {}
                say(
                    {
                        "ev": "seen",
                        "t": now,
                        "answered": synced,
                        "room": room_id,
                        "event_id": source.get("event_id"),
                        "type": source.get("type"),
                        "sender": source.get("sender"),
                        "reply_to": (relates.get("m.in_reply_to") or {}).get("event_id"),
                        "relates_to": relates.get("event_id"),
                    }
                )
                if (
                    room_id == echo_room
                    and source.get("sender") != client.user_id
                    and content.get("msgtype") == "m.text"
                ):
                    reply = {
                        "msgtype": "m.notice",
                        "body": "pong",
                        "m.relates_to": {"m.in_reply_to": {"event_id": source["event_id"]}},
                    }
                    await client.room_send(room_id, "m.room.message", reply)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("homeserver")
    parser.add_argument("--account", action="append", default=[], help="USER_ID|ACCESS_TOKEN; the first one syncs")
    parser.add_argument("--sync", action="store_true", help="long-poll sync with the first account and report events")
    parser.add_argument("--echo", help="answer every text message in this room at once (a bot with no work)")
    args = parser.parse_args()
    clients = [client_for(args.homeserver, account) for account in args.account]
    tasks: set[asyncio.Task[None]] = set()
    watcher = asyncio.create_task(watch(clients[0], args.echo)) if args.sync or args.echo else None
    if watcher is None:
        say({"ev": "ready"})
    reader = asyncio.StreamReader(limit=1 << 26)  # a burst command carries thousands of events
    await asyncio.get_running_loop().connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    try:
        while line := await reader.readline():
            command = json.loads(line)
            if command["op"] == "quit":
                break
            if command["op"] == "send":
                job = send(
                    clients[command.get("account", 0)],
                    command["id"],
                    command["room"],
                    command["type"],
                    command["content"],
                )
            else:
                job = burst(clients, command["items"])
            task = asyncio.create_task(job)
            tasks.add(task)
            task.add_done_callback(tasks.discard)
    finally:
        if watcher is not None:
            watcher.cancel()
        for task in tasks:
            task.cancel()
        for client in clients:
            await client.close()


if __name__ == "__main__":
    asyncio.run(main())
