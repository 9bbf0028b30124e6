"""Turning encryption on in a person's unencrypted direct chat once they have a client that can decrypt.

The bot opens a direct chat unencrypted for a person whose clients published no keys (they could not read it
otherwise). When that person later signs in with a client that does encryption, the chat is switched to
encryption (`m.room.encryption`, megolm) before the next message to them, and that message waits for the sync
that shows nio the change: sent earlier, nio would send it in the clear. Matrix has no way back, so the
chat stays encrypted. Asking the homeserver for a person's devices costs a request, so it is done at most once
an hour per person, or sooner when a sync says their devices changed (a new login) or the last ask failed
(an error answer, or their homeserver did not answer: that is "cannot tell", not "no keys"). Only a 1:1 chat of the bot
with that person is ever switched; if the homeserver refuses (the bot lacks the power level in a chat the
person opened), that is logged once and the chat keeps working unencrypted.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable

from nio import AsyncClient, MatrixRoom, RoomPutStateError

from kiwibot.matrix.crypto import Crypto
from kiwibot.matrix.key_queries import Keys

log = logging.getLogger(__name__)

MEGOLM = "m.megolm.v1.aes-sha2"
RECHECK_SECONDS = 3600.0  # a person's devices are asked of the homeserver at most this often
RETRY_SECONDS = 300.0  # ... but this soon again when the last ask got no usable answer (not "no keys")
REMEMBERED = 10_000  # people whose last check is kept; the one checked longest ago is forgotten first


class Rechecks:
    """When a person's devices may be asked of the homeserver again: at most once per `interval`, sooner when
    a sync said they changed. Memory is bounded: beyond `most` people the oldest check is forgotten (that
    person may be asked a little early, nothing worse)."""

    def __init__(
        self,
        interval: float = RECHECK_SECONDS,
        most: int = REMEMBERED,
        clock: Callable[[], float] = time.monotonic,
        retry: float = RETRY_SECONDS,
    ) -> None:
        self.interval = interval
        self.retry = retry
        self.most = most
        self.clock = clock
        self._asked: OrderedDict[str, float] = OrderedDict()  # person → when last asked, oldest first

    def due(self, user_id: str) -> bool:
        """True (and counted as asked now) if the person was not asked within the interval."""
        last = self._asked.get(user_id)
        if last is not None and self.clock() - last < self.interval:
            return False
        self.asked(user_id)
        return True

    def asked(self, user_id: str, failed: bool = False) -> None:
        """The person's devices were just asked of the homeserver (elsewhere, too); `failed`: without an answer
        that tells, so they are due again after `retry` seconds instead of the whole interval."""
        self._asked[user_id] = self.clock() - (self.interval - min(self.retry, self.interval) if failed else 0.0)
        self._asked.move_to_end(user_id)
        while len(self._asked) > self.most:
            self._asked.popitem(last=False)

    def changed(self, users: Iterable[str]) -> None:
        """Their devices changed (or the last ask got no answer): the next check asks again."""
        for user_id in users:
            self._asked.pop(user_id, None)

    def __len__(self) -> int:
        return len(self._asked)


class DirectEncryption:
    """Switches unencrypted 1:1 direct chats to encryption once the person can decrypt."""

    def __init__(self, client: AsyncClient, crypto: Crypto, rechecks: Rechecks | None = None) -> None:
        self.client = client
        self.crypto = crypto
        self.rechecks = rechecks if rechecks is not None else Rechecks()  # an empty one is falsy (`__len__`)
        self._turning_on: set[str] = set()  # rooms switched to encryption that no sync has shown nio yet
        self._refused: set[str] = set()  # rooms where the homeserver refused the switch (logged once)

    def devices_changed(self, users: Iterable[str]) -> None:
        """A sync's `device_lists.changed`: someone may have signed in with a client that can decrypt."""
        self.rechecks.changed(users)

    async def must_wait(self, room_id: str, user_id: str) -> bool:
        """Before a message to `user_id`'s direct chat: switch it to encryption if it is unencrypted and the
        person now has a device that can decrypt. True while the message must wait for the sync that shows nio
        the room encrypted (sent before, it would go out in the clear)."""
        if not self.crypto.active:
            return False
        room = self.client.rooms.get(room_id)
        if room is None:
            return False  # a room nio has not seen yet: sending it waits for the sync anyway
        if room.encrypted:
            self._turning_on.discard(room_id)
            return False
        if room_id in self._turning_on:
            return True
        if room_id in self._refused or not self._one_to_one(room, user_id) or not self.rechecks.due(user_id):
            return False
        try:
            keys = await self.crypto.keys(user_id, fresh=True)
            if keys is Keys.UNKNOWN:
                self.rechecks.asked(user_id, failed=True)  # cannot tell now: ask again sooner than in an hour
            if keys is not Keys.READABLE:
                return False
            response = await self.client.room_put_state(room_id, "m.room.encryption", {"algorithm": MEGOLM})
        except BaseException:
            self.rechecks.changed([user_id])  # no answer (network): ask again on the next message
            raise
        if isinstance(response, RoomPutStateError):
            self._refused.add(room_id)
            log.warning(
                "cannot turn on encryption in the direct chat %s with %s (%s %s): it stays unencrypted",
                room_id,
                user_id,
                response.status_code,
                response.message,
            )
            return False
        self._turning_on.add(room_id)
        log.info("%s can decrypt now: turned on encryption in their direct chat %s", user_id, room_id)
        return True

    def _one_to_one(self, room: MatrixRoom, user_id: str) -> bool:
        """Only the bot and this person are (or are invited) in the room: no one else's chat is ever switched."""
        members = set(room.users)
        return room.member_count <= 2 and members <= {self.client.user_id, user_id}
