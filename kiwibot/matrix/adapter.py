"""The Matrix adapter as one object: its parts (built by `app.py`) and the order they start and stop in.

The parts, one module each: `login` (token, password, lost device), `rooms` (joining, the space),
`sync` (sync loop, read-back, reconciling signups), `events` (commands, edits, reactions, redactions,
invites), `outbox` (sending queued messages; `uploads`: their files), `posts` (news posts, overview, debounced
edits), `render` (messages → Matrix content), `crypto` (end-to-end encryption). Only `matrix/` imports nio.
"""

from __future__ import annotations

import asyncio

from nio import AsyncClient

from kiwibot.config import Config
from kiwibot.matrix.crypto import Crypto
from kiwibot.matrix.events import Events
from kiwibot.matrix.login import Login
from kiwibot.matrix.network import retry
from kiwibot.matrix.outbox import Outbox
from kiwibot.matrix.posts import Posts
from kiwibot.matrix.rooms import Rooms
from kiwibot.matrix.sync import Sync
from kiwibot.scheduling.wakeups import Wakeups
from kiwibot.storage import Store


class MatrixBot:
    def __init__(
        self,
        *,
        config: Config,
        store: Store,
        client: AsyncClient,
        crypto: Crypto,
        login: Login,
        rooms: Rooms,
        posts: Posts,
        outbox: Outbox,
        events: Events,
        sync: Sync,
        wakeups: Wakeups,
        ready: asyncio.Event,
    ) -> None:
        """`ready` is set once the first sync was handled (the one `sync` and `outbox` were given)."""
        self.homeserver = config.homeserver
        self.store = store
        self.client = client
        self.crypto = crypto
        self.login = login
        self.rooms = rooms
        self.posts = posts
        self.outbox = outbox
        self.events = events
        self.sync = sync
        self.wakeups = wakeups
        self.ready = ready

    async def run(self) -> None:
        """Log in, join, then sync until cancelled. Never returns on its own."""
        try:
            await retry(self.homeserver, "login", self.login.login)
            self.sync.mark_first_start()
            await retry(self.homeserver, "joining rooms", self.rooms.join_configured)
            await retry(self.homeserver, "checking the programme overview", self.posts.check_overview)
            await self.outbox.flush()
            if not self.store.get_meta("sync_token"):
                # Without a sync position nothing says what happened while we were away: ask every post.
                await retry(self.homeserver, "comparing signups with reactions", self.sync.reconcile_signups)
            self.posts.mark_all_dirty()
            self.posts.start_ticking()
            self.wakeups.start()
            await self.sync.forever()
        finally:
            await self.wakeups.shutdown()
            await self.outbox.stop()
            await self.posts.stop()
            await self.client.close()
