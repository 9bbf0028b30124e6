"""Logging in: the nio client, a stored or configured token, a password login, and a lost crypto device.

The bot keeps one device for its whole life (its id and token live in the database): a restart reuses it,
so no device piles up per start, and the crypto store stays the one that belongs to that device.
"""

from __future__ import annotations

import logging

from nio import AsyncClient, AsyncClientConfig, LoginResponse, LogoutError, WhoamiResponse
from nio.store import SqliteStore

from kiwibot.config import Config
from kiwibot.matrix.crypto import Crypto, StoreState, inspect_store, move_aside, server_has_device_keys
from kiwibot.storage import Store

log = logging.getLogger(__name__)


def new_client(config: Config) -> AsyncClient:
    """The one nio client of the bot (built by the composition root, shared by the Matrix adapter's parts)."""
    return AsyncClient(
        config.homeserver,
        config.user_id,
        config=AsyncClientConfig(
            max_timeouts=0,
            request_timeout=40,
            store_sync_tokens=False,
            encryption_enabled=config.encryption.enabled,
            store=SqliteStore,  # one file per device, trust state included: one thing to back up
        ),
    )


class Login:
    def __init__(self, config: Config, client: AsyncClient, store: Store, crypto: Crypto) -> None:
        self.config = config
        self.client = client
        self.store = store
        self.crypto = crypto

    async def login(self) -> None:
        """With the configured or stored token if it still works, else with the password, on the same device."""
        user_id = self.config.user_id
        device_id = self.store.get_meta("device_id")
        token = self.config.access_token or self.store.get_meta("access_token")
        if token:
            # Not restore_login(): with encryption it would open a crypto store before we know the device.
            self.client.user_id, self.client.device_id, self.client.access_token = user_id, device_id or "", token
            who = await self.client.whoami()
            if isinstance(who, WhoamiResponse):
                if who.device_id and who.device_id != device_id:
                    self.store.set_meta("device_id", who.device_id)
                    self.client.device_id = who.device_id
                log.info("logged in as %s (device %s, stored token)", who.user_id, self.client.device_id)
                await self._open_crypto(fresh_device=not device_id)
                return
            if self.config.access_token:
                raise SystemExit(f"the configured access token was refused: {who.message}")
            log.warning("stored access token no longer valid (%s); logging in again", who.message)
            self.client.access_token = ""
        if not self.config.password:
            raise SystemExit("no valid access token and no password configured: cannot log in")
        if device_id:
            self.client.device_id = device_id  # reuse the device: no new device per start
        response = await self._password_login()
        log.info("logged in as %s (device %s)", response.user_id, response.device_id)
        await self._open_crypto(fresh_device=response.device_id != device_id)

    def token_refused(self) -> None:
        """The homeserver no longer knows the stored token: the next login uses the password."""
        self.store.set_meta("access_token", "")

    async def _password_login(self) -> LoginResponse:
        """Log in with the password (on the client's device, if it has one) and keep the token and device."""
        response = await self.client.login(self.config.password, device_name=self.config.device_name)
        if not isinstance(response, LoginResponse):
            raise SystemExit(f"login as {self.config.user_id} failed: {response.message}")
        with self.store.transaction():
            self.store.set_meta("access_token", response.access_token)
            self.store.set_meta("device_id", response.device_id)
        return response

    # -- encryption -----------------------------------------------------------------------------

    async def _open_crypto(self, fresh_device: bool) -> None:
        """Open the crypto store of the logged-in device; a lost one is said loudly and never crash-loops."""
        if not self.config.encryption.enabled or self.crypto.active:
            return
        device_id = self.client.device_id or ""
        state, line = inspect_store(self.config, device_id)
        if state is StoreState.CORRUPT or (
            state is StoreState.MISSING
            and not fresh_device
            and await server_has_device_keys(self.client, self.config.user_id, device_id)
        ):
            if not await self._replace_lost_device(state, line):
                return
        elif state is StoreState.MISSING:
            log.info("creating the crypto store for device %s", device_id)
        try:
            self.crypto.load()
        except Exception:
            log.exception("cannot open the crypto store: running WITHOUT encryption (see README, 'Encryption')")
            self.client.olm, self.client.store = None, None
            return
        await self.crypto.upkeep()

    async def _replace_lost_device(self, state: StoreState, line: str) -> bool:
        """The device's keys are gone: continue as a new device if we can, else run unencrypted. False: no crypto."""
        old = self.client.device_id or ""
        log.error(
            "ENCRYPTION: %s. Messages encrypted for device %s can no longer be read. Recovery: README, 'Encryption'.",
            line,
            old,
        )
        if state is StoreState.CORRUPT:
            log.error("the damaged crypto store was moved aside to %s", move_aside(self.config, old))
        if self.config.access_token or not self.config.password:
            log.error(
                "ENCRYPTION OFF for this run: a new device needs a password login (the configured access token "
                "belongs to device %s). Encrypted rooms are not read until this is fixed.",
                old,
            )
            return False
        logout = await self.client.logout()  # removes the old device and its published keys
        if isinstance(logout, LogoutError):
            log.warning("could not remove the old device %s: %s", old, logout.message)
        self.client.device_id, self.client.access_token = "", ""
        response = await self._password_login()
        log.error("ENCRYPTION: continuing as the new device %s (old device %s removed)", response.device_id, old)
        return True
