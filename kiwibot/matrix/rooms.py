"""The rooms the bot works in: the configured ones joined at start, and the space whose members are the network."""

from __future__ import annotations

import logging

from nio import AsyncClient, JoinedMembersResponse, JoinError, RoomResolveAliasError

from kiwibot.config import Config
from kiwibot.core.service import Kiwi

log = logging.getLogger(__name__)


class Rooms:
    """The room ids of the configured rooms, known once joined (None before, or if an alias does not resolve)."""

    def __init__(self, config: Config, client: AsyncClient, kiwi: Kiwi) -> None:
        self.config = config
        self.client = client
        self.kiwi = kiwi
        self.programme: str | None = None
        self.digest: str | None = None
        self.reports: str | None = None  # where the monthly statistics go (`reports.room`), if configured
        self.space: str | None = None

    def configured(self) -> set[str]:
        return {room for room in (self.programme, self.digest, self.reports, self.space) if room}

    async def join_configured(self) -> None:
        wanted = {"programme": self.config.rooms.programme, "digest": self.config.rooms.digest}
        if self.config.reports.room:
            wanted["reports"] = self.config.reports.room
        if self.config.access.space:
            wanted["space"] = self.config.access.space
        for role, room in wanted.items():
            room_id = await self._resolve(room)
            if room_id is None:
                continue
            setattr(self, role, room_id)
            if room_id in self.client.rooms:
                continue
            response = await self.client.join(room_id)
            if isinstance(response, JoinError):
                log.error("cannot join the %s room %s: %s (invite the bot there)", role, room, response.message)
            else:
                log.info("joined the %s room %s", role, room)
        await self.refresh_space()

    async def refresh_space(self) -> None:
        """Space members are network members; re-read whenever the space's membership changes."""
        if self.space is None:
            return
        response = await self.client.joined_members(self.space)
        if isinstance(response, JoinedMembersResponse):
            self.kiwi.space_members = frozenset(member.user_id for member in response.members)
            log.info("the network space has %d members", len(self.kiwi.space_members))
        else:
            log.error("cannot read the members of the space %s: %s", self.config.access.space, response.message)

    async def _resolve(self, room: str) -> str | None:
        if not room.startswith("#"):
            return room
        response = await self.client.room_resolve_alias(room)
        if isinstance(response, RoomResolveAliasError):
            log.error("room alias %s cannot be resolved: %s", room, response.message)
            return None
        return str(response.room_id)
