"""End-to-end encryption for the bot's one device: crypto store, key upkeep, trust, undecryptable events.

nio does the cryptography (vodozemac); this module decides what the bot does around it:
- the crypto store (nio's SqliteStore, one file per device) must belong to the device id kept in the database;
  a lost or corrupt store is said loudly, never papered over with a second account on the same device;
- keys are uploaded, queried and claimed after every sync, as nio's own sync_forever would do;
- trust: `tofu` marks every device verified the first time the bot sees it (nio refuses a changed key for a
  known device), `all` sends to every device without marking it;
- an event that cannot be decrypted is logged with sender and room, its keys are requested, and it is kept
  and tried again after each sync, so a key that arrives late still gets the event handled.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import time
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from nio import (
    AsyncClient,
    EncryptionError,
    KeysClaimError,
    KeysQueryError,
    KeysUploadError,
    LocalProtocolError,
    MegolmEvent,
    ToDeviceError,
)
from nio.api import Api

from kiwibot.config import Config
from kiwibot.matrix.key_queries import Keys, QueryFailures

log = logging.getLogger(__name__)

PENDING_LIMIT = 1000  # undecryptable events kept for a retry; the oldest go first (with a log line)
PENDING_HOURS = 24  # after this an undecryptable event is given up (with a log line)
WARN_EVERY = 3600.0  # a failure of the key upkeep is warned about at most this often (then DEBUG)


class StoreState(Enum):
    DISABLED = "disabled"
    NO_DEVICE = "no device yet"  # first start: the store is created with the device
    READY = "ready"
    MISSING = "missing"
    CORRUPT = "corrupt"


def store_path(config: Config) -> Path:
    """Where the crypto store lives: configured, or `crypto/` beside the database."""
    return config.encryption.store_path or config.database.parent / "crypto"


def store_file(config: Config, device_id: str) -> Path:
    """nio's SqliteStore names its file after the user and the device."""
    return store_path(config) / f"{config.user_id}_{device_id}.db"


def inspect_store(config: Config, device_id: str | None) -> tuple[StoreState, str]:
    """The state of the crypto store for `device_id`, with a line that says what it means."""
    if not config.encryption.enabled:
        return StoreState.DISABLED, "encryption disabled (encryption.enabled: false)"
    if not device_id:
        return StoreState.NO_DEVICE, f"crypto store will be created at the first start in {store_path(config)}"
    path = store_file(config, device_id)
    if not path.exists():
        return StoreState.MISSING, f"crypto store for device {device_id} missing: {path}"
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                return StoreState.CORRUPT, f"crypto store {path} is damaged (integrity check failed)"
            row = db.execute(
                "SELECT count(*) FROM accounts WHERE user_id = ? AND device_id = ?", (config.user_id, device_id)
            ).fetchone()
    except sqlite3.Error as exc:
        return StoreState.CORRUPT, f"crypto store {path} cannot be read: {exc}"
    if not row or not row[0]:
        return StoreState.MISSING, f"crypto store {path} holds no keys for device {device_id}"
    return StoreState.READY, f"crypto store for device {device_id} in {path}"


async def server_has_device_keys(client: AsyncClient, user_id: str, device_id: str) -> bool:
    """Did this device already publish keys? Then a new account on it would clash with them."""
    method, path, data = Api.keys_query(client.access_token, {user_id})
    response = await client.send(method, path, data, headers={"Content-Type": "application/json"})
    body = await response.json()
    return device_id in ((body.get("device_keys") or {}).get(user_id) or {})


def move_aside(config: Config, device_id: str) -> Path | None:
    """Keep a damaged store for inspection instead of deleting it; nio starts a fresh one in its place."""
    path = store_file(config, device_id)
    if not path.exists():
        return None
    target = path.with_name(f"{path.name}.broken-{int(time.time())}")
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    return target


def _skip_empty_saves(client: AsyncClient) -> None:
    """nio saves the encrypted rooms a sync revealed in a transaction of its crypto store after every sync, even
    when there are none: ~0.8 ms between the homeserver's answer and our handler (#15). Only save some."""
    store = client.store
    save = getattr(store, "save_encrypted_rooms", None)
    if save is None:
        return

    def save_some(rooms: Any) -> None:
        if rooms:
            save(rooms)

    store.save_encrypted_rooms = save_some


@dataclass
class Pending:
    room_id: str
    event: MegolmEvent
    since: float


class Crypto:
    """What the bot does around nio's encryption. Inactive (every method a no-op) while `client.olm` is None."""

    def __init__(self, config: Config, client: AsyncClient) -> None:
        self.config = config
        self.client = client
        self.pending: dict[str, Pending] = {}
        self._known_users: set[str] = set()
        self._trust_applied = False
        self._warned: set[str] = set()
        self._warned_at: dict[str, float] = {}  # key upkeep failure → when last warned
        self.failures = QueryFailures()  # people whose devices could not be asked

    @property
    def active(self) -> bool:
        return self.client.olm is not None

    def load(self) -> None:
        """Open the crypto store for the client's device (the caller checked that it belongs to it)."""
        path = store_path(self.config)
        path.mkdir(parents=True, exist_ok=True)
        self.client.store_path = str(path)
        self.client.load_store()
        assert self.client.olm is not None
        _skip_empty_saves(self.client)
        self._known_users = {device.user_id for device in self.client.device_store}
        log.info(
            "end-to-end encryption on: device %s, identity key %s, trust %s, store %s",
            self.client.device_id,
            self.client.olm.account.identity_keys["ed25519"],
            self.config.encryption.trust,
            path,
        )

    # -- keys around sync -----------------------------------------------------------------------

    async def upkeep(self) -> None:
        """Upload our keys, learn others' devices, open Olm sessions, send queued to-device messages."""
        if not self.active:
            return
        client = self.client
        if client.outgoing_to_device_messages:
            for response in await client.send_to_device_messages():
                if isinstance(response, ToDeviceError):
                    self._warn("to-device", "sending encryption messages failed: %s", response.message)
        if client.should_upload_keys:
            upload = await client.keys_upload()
            if isinstance(upload, KeysUploadError):
                # A homeserver without encryption support lands here: unencrypted rooms keep working.
                self._warn("upload", "cannot upload the encryption keys: %s", upload.message)
        if client.should_query_keys or not self._trust_applied:
            if client.should_query_keys:
                query = await client.keys_query()
                if isinstance(query, KeysQueryError):
                    self._warn("query", "cannot fetch the devices of others: %s %s", query.status_code, query.message)
            self.apply_trust()  # only new devices need it: not on every sync (it walks all devices)
            self._trust_applied = True
        if client.should_claim_keys:
            claim = await client.keys_claim(client.get_users_for_key_claiming())
            if isinstance(claim, KeysClaimError):
                self._warn("claim", "cannot claim one-time keys: %s", claim.message)

    def _warn(self, what: str, text: str, *args: Any) -> None:
        """At most one warning an hour per kind: a failure that lasts is seen in the log, not repeated per sync."""
        now = time.monotonic()
        last = self._warned_at.get(what)
        level = logging.WARNING if last is None or now - last >= WARN_EVERY else logging.DEBUG
        if level == logging.WARNING:
            self._warned_at[what] = now
        log.log(level, text, *args)

    def apply_trust(self) -> None:
        """`tofu`: a device not seen before is verified now; blacklisted or already decided devices stay."""
        if not self.active or self.config.encryption.trust != "tofu":
            return
        for device in self.client.device_store:
            if device.deleted or device.verified or device.blacklisted or device.ignored:
                continue
            if device.user_id == self.client.user_id and device.device_id == self.client.device_id:
                continue
            self.client.verify_device(device)
            first = device.user_id not in self._known_users
            log.info(
                "trusting %s device %s of %s on first sight (key %s)",
                "the" if first else "a new",
                device.device_id,
                device.user_id,
                device.ed25519,
            )
        self._known_users = {device.user_id for device in self.client.device_store}

    async def keys(self, user_id: str, fresh: bool = False) -> Keys:
        """Has the person a device with published encryption keys? Without one (a client that cannot do
        encryption) an encrypted direct chat would show them nothing readable. A person nio does not follow
        yet is asked of the homeserver now, which also lets the first message share its key with them;
        `fresh` asks even for one it follows (nio only learns new devices of people in encrypted rooms).
        `UNKNOWN` when the query failed or their homeserver did not answer it: not the same as no keys."""
        olm = self.client.olm
        if olm is None:
            return Keys.NONE
        if fresh or user_id not in olm.tracked_users:
            olm.add_changed_users({user_id})
            query = await self.client.keys_query()
            if isinstance(query, KeysQueryError):
                self.failures.failed(user_id, f"the keys query failed: {query.status_code} {query.message}")
                return Keys.UNKNOWN
            self.apply_trust()
            server = user_id.partition(":")[2]
            if server in query.failures or user_id not in olm.tracked_users:
                # nio keeps them in its next query: `upkeep` asks again after each sync, too.
                self.failures.failed(user_id, f"their homeserver {server} did not answer the keys query")
                return Keys.UNKNOWN
            self.failures.succeeded(user_id)
        if any(True for _ in self.client.device_store.active_user_devices(user_id)):
            return Keys.READABLE
        return Keys.NONE

    @property
    def ignore_unverified(self) -> bool:
        """`all` sends to devices nobody verified; `tofu` verified them already, so a stranger is an error."""
        return self.config.encryption.trust == "all"

    # -- events we cannot read ------------------------------------------------------------------

    async def undecryptable(self, room_id: str, event: MegolmEvent) -> None:
        """Never drop silently: log, ask for the keys, keep the event for a retry."""
        event.room_id = room_id
        if not self.active:
            if room_id not in self._warned:
                self._warned.add(room_id)
                log.warning(
                    "encrypted messages in %s (first from %s) are not read: encryption is off", room_id, event.sender
                )
            return
        if event.event_id in self.pending:
            return
        log.warning(
            "cannot decrypt event %s from %s in %s (session %s, device %s): asking for the keys, will retry",
            event.event_id,
            event.sender,
            room_id,
            event.session_id,
            event.device_id,
        )
        self.pending[event.event_id] = Pending(room_id, event, time.monotonic())
        while len(self.pending) > PENDING_LIMIT:
            oldest = next(iter(self.pending))
            gone = self.pending.pop(oldest)
            log.error("giving up on undecryptable event %s from %s in %s", oldest, gone.event.sender, gone.room_id)
        await self._request_keys(event)

    async def _request_keys(self, event: MegolmEvent) -> None:
        """Ask our own other devices (nio's request) and the sender's device for the missing session."""
        if not self.active or not event.session_id:
            return
        with contextlib.suppress(LocalProtocolError):  # raised when this session was asked for already
            await self.client.request_room_key(event)
        if event.sender and event.device_id and self.client.device_id:
            request = event.as_key_request(event.sender, self.client.device_id, device_id=event.device_id)
            response = await self.client.to_device(request)
            if isinstance(response, ToDeviceError):
                log.warning("cannot ask %s for the keys: %s", event.sender, response.message)

    def retry(self) -> list[tuple[str, dict[str, Any]]]:
        """Events that decrypt now that more keys arrived: (room id, decrypted source), oldest first."""
        if not self.active or not self.pending:
            return []
        ready: list[tuple[str, dict[str, Any]]] = []
        now = time.monotonic()
        for event_id, item in list(self.pending.items()):
            try:
                decrypted = self.client.decrypt_event(item.event)
            except EncryptionError:
                if now - item.since > PENDING_HOURS * 3600:
                    del self.pending[event_id]
                    log.error(
                        "giving up on event %s from %s in %s: its keys never arrived",
                        event_id,
                        item.event.sender,
                        item.room_id,
                    )
                continue
            del self.pending[event_id]
            source = getattr(decrypted, "source", None)
            if isinstance(source, dict):
                log.info(
                    "event %s from %s in %s decrypted after its keys arrived", event_id, item.event.sender, item.room_id
                )
                ready.append((item.room_id, source))
            else:
                log.error(
                    "event %s from %s in %s decrypted to nothing usable", event_id, item.event.sender, item.room_id
                )
        return ready

    def decrypt(self, room_id: str, event: Any) -> dict[str, Any] | None:
        """The readable source of an event from /relations or /messages; None if it stays encrypted."""
        if not isinstance(event, MegolmEvent):
            return getattr(event, "source", None)
        if not self.active:
            return None
        event.room_id = room_id
        try:
            source = getattr(self.client.decrypt_event(event), "source", None)
        except EncryptionError:
            return None
        return source if isinstance(source, dict) else None
