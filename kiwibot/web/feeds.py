"""Calendar feeds as bytes, kept until what they show changes, rendered without holding the event loop.

Each session's VEVENT is kept per version, language and waiting mark, so a feed is mostly a join of kept bytes:
after one change to a feed of 10,000 sessions only that one event is rendered again. The programme feed as a
whole is kept per language and checked with one row read (`calendar_version`) and the moment its first session
ends; a personal feed is kept per person until one of its sessions or the person's signups change or a session
drops out by time (`keep.py`), so a poll that finds nothing new costs a few row reads. Rendering yields to the
event loop every few events, so a cold feed never blocks the bot's sync.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cachetools import LRUCache

from kiwibot.core.calendar import Calendars, FeedIndex, Stamp
from kiwibot.core.ports import Clock
from kiwibot.i18n import template
from kiwibot.web.ical import IcalRenderer
from kiwibot.web.keep import Basis, NameChanges, Unchanging, basis, still_holds

BATCH = 8  # events rendered between two yields to the event loop (~1.5 ms)
LOOKUPS = 1_000  # kept events looked up between two yields (~3 ms)
HASH_IN_THREAD = 256 * 1024  # larger bodies are hashed off the loop (hashlib releases the GIL)
GZIP_FROM = 32 * 1024  # larger bodies are also kept compressed, once (zlib releases the GIL too)


@dataclass(frozen=True, slots=True)
class Body:
    """A rendered calendar and its validators. `last_modified` is in whole seconds, as HTTP dates are.
    `gzipped`: the same bytes compressed, for clients that accept it (a large feed shrinks about tenfold)."""

    data: bytes
    etag: str
    last_modified: datetime
    gzipped: bytes | None = None


@dataclass(frozen=True, slots=True)
class _Chunk:
    session_id: int
    version: int
    data: bytes
    year: int
    people: tuple[str, ...] = ()  # whom it names: rendered again once one of their names moves …
    named: int = 0  # … after this names version


@dataclass(frozen=True, slots=True)
class _Kept:
    """The programme feed as built: at which change counts, until when, and its events, to change a few."""

    version: int  # the sessions' change count it was built at
    named: int  # the names version it was built at
    layout: int  # the layout count: unchanged, the same sessions in the same order (but for time)
    until: datetime | None
    body: Body
    chunks: tuple[_Chunk, ...]
    places: dict[int, int]  # session → its place in `chunks`


ChunkKey = tuple[int, str, bool, int, datetime | None]  # session, language, waiting, reader's moves, last move


class Feeds:
    def __init__(
        self,
        calendars: Calendars,
        renderer: IcalRenderer,
        clock: Clock,
        language: str,
        max_events: int = 50_000,
        names: NameChanges | None = None,
    ) -> None:
        """`language`: the network's default, for people without a choice and for the session files; `names`: when
        a name the renderer gave out moved (the events that named that person are rendered again)."""
        self.calendars = calendars
        self.names = names if names is not None else Unchanging()
        self.renderer = renderer
        self.clock = clock
        self.language = language
        self._chunks: LRUCache[ChunkKey, _Chunk] = LRUCache(maxsize=max_events)
        self._programme: dict[str, _Kept] = {}
        self._personal: LRUCache[str, tuple[Basis, Body, int]] = LRUCache(maxsize=2_000)
        self._locks: dict[str, asyncio.Lock] = {}
        # What each feed last looked like, so Last-Modified moves exactly when the bytes do (also when a
        # session drops out by time alone, which no row records).
        self._validators: LRUCache[tuple[str, str], tuple[str, datetime]] = LRUCache(maxsize=20_000)

    def language_of(self, user_id: str) -> str:
        return self.calendars.language_of(user_id) or self.language

    # -- the feeds --------------------------------------------------------------------------------

    async def programme(self, language: str) -> Body:
        """Every upcoming session; rebuilt only when a session changed or the first one ended."""
        kept = self._programme.get(language)
        if kept is not None and self._fresh(kept):
            return kept.body
        lock = self._locks.setdefault(language, asyncio.Lock())
        if lock.locked() and kept is not None:
            return kept.body  # being rebuilt this moment: a poll that came a few milliseconds early gets the last
        async with lock:  # one build per language at a time
            kept = self._programme.get(language)
            if kept is not None and self._fresh(kept):
                return kept.body
            version, _, layout = self.calendars.versions()
            named = self.names.version
            name = template(language, "ical.calname_programme")
            if kept is not None and kept.layout == layout and not self._expired(kept):
                chunks = await self._changed(kept, language)
                until = kept.until
            else:
                index = self.calendars.programme()
                chunks = tuple(await self._events(index.stamps, language))
                until = index.valid_until
            body = await self._pack(("programme", language), name, chunks)
            places = {chunk.session_id: place for place, chunk in enumerate(chunks)}
            self._programme[language] = _Kept(version, named, layout, until, body, chunks, places)
            return body

    async def _changed(self, kept: _Kept, language: str) -> tuple[_Chunk, ...]:
        """The kept events with those of the sessions changed since rendered again: with the layout unchanged,
        the feed holds the same sessions in the same order, and a change to one costs one event, not 10,000. So
        does a renamed person: only the events that name them."""
        changed = {
            session_id: Stamp(session_id, version)
            for session_id, version in self.calendars.changed_since(kept.version).items()
            if session_id in kept.places
        }
        if kept.named != self.names.version:
            for chunk in kept.chunks:
                if chunk.session_id not in changed and self.names.changed_since(chunk.named, chunk.people):
                    changed[chunk.session_id] = Stamp(chunk.session_id, chunk.version)
        chunks = list(kept.chunks)
        for chunk in await self._events(tuple(changed.values()), language):
            chunks[kept.places[chunk.session_id]] = chunk
        return tuple(chunks)

    async def personal(self, user_id: str) -> Body:
        """A person's own sessions, in their language; kept until one of them or the person's signups change, or
        one drops out by time (`keep.py`)."""
        language = self.language_of(user_id)
        kept = self._personal.get(user_id)
        if kept is not None and kept[2] == self.names.version:
            holds = still_holds(self.calendars, user_id, kept[0], language, self.clock.now())
            if holds is not None:
                if holds is not kept[0]:
                    self._personal[user_id] = (holds, kept[1], kept[2])
                return kept[1]
        named = self.names.version
        index = self.calendars.personal(user_id)
        built = basis(self.calendars, user_id, language, (s.session_id for s in index.stamps), index.valid_until)
        name = template(language, "ical.calname_mine")
        body = await self._body(("mine", user_id), name, index, language)
        self._personal[user_id] = (built, body, named)
        return body

    async def session_file(self, file_id: str) -> Body | None:
        """One session's file, in the network's language; None for an unknown id."""
        stamp = self.calendars.session_file(file_id)
        if stamp is None:
            return None
        return await self._body(("file", file_id), None, FeedIndex((stamp,)), self.language)

    async def warm(self) -> None:
        """Render the programme feed once at start, so the first calendar to poll gets it at once."""
        await self.programme(self.language)

    def _expired(self, kept: _Kept) -> bool:
        return kept.until is not None and self.clock.now() >= kept.until

    def _fresh(self, kept: _Kept) -> bool:
        return not self._expired(kept) and kept.version == self.calendars.version() and kept.named == self.names.version

    # -- building ---------------------------------------------------------------------------------

    async def _body(self, key: tuple[str, str], name: str | None, index: FeedIndex, language: str) -> Body:
        return await self._pack(key, name, await self._events(index.stamps, language))

    async def _pack(self, key: tuple[str, str], name: str | None, chunks: Sequence[_Chunk]) -> Body:
        """The calendar of these events with its validators (large ones hashed and compressed off the loop)."""
        years = (min(c.year for c in chunks), max(c.year for c in chunks)) if chunks else None
        data = self.renderer.calendar(name, (c.data for c in chunks), years)
        if len(data) > HASH_IN_THREAD:
            digest = await asyncio.to_thread(_digest, data)
        else:
            digest = _digest(data)
        gzipped = await asyncio.to_thread(gzip.compress, data, 6, mtime=0) if len(data) > GZIP_FROM else None
        etag = f'"{digest}"'
        before = self._validators.get(key)
        if before is not None and before[0] == etag:
            modified = before[1]
        else:
            modified = self.clock.now().replace(microsecond=0)
            self._validators[key] = (etag, modified)
        return Body(data, etag, modified, gzipped)

    async def _events(self, stamps: tuple[Stamp, ...], language: str) -> list[_Chunk]:
        """The events of `stamps` in order: kept ones as they are, the others rendered in batches between
        which the event loop runs (a deleted session is left out)."""
        order: list[_Chunk | ChunkKey] = []  # kept events, and the keys of those still to render
        missing: list[Stamp] = []
        for count, stamp in enumerate(stamps, 1):
            if not count % LOOKUPS:
                await asyncio.sleep(0)
            key = (stamp.session_id, language, stamp.waiting, stamp.moves, stamp.moved_at)
            chunk = self._chunks.get(key)
            if (
                chunk is not None
                and chunk.version == stamp.version
                and not self.names.changed_since(chunk.named, chunk.people)
            ):
                order.append(chunk)
            else:
                missing.append(stamp)
                order.append(key)
        rendered: dict[ChunkKey, _Chunk] = {}
        timezone = self.renderer.timezone
        for start in range(0, len(missing), BATCH):
            if start:
                await asyncio.sleep(0)
            batch = missing[start : start + BATCH]
            entries = self.calendars.entries([stamp.session_id for stamp in batch])
            named = self.names.version
            for stamp in batch:
                entry = entries.get(stamp.session_id)
                if entry is None:
                    continue
                key = (stamp.session_id, language, stamp.waiting, stamp.moves, stamp.moved_at)
                year = entry.session.starts_at.astimezone(timezone).year
                data = self.renderer.event(entry, language, stamp.waiting, stamp.moves, stamp.moved_at)
                people = (entry.session.giver, *entry.session.cogivers)
                chunk = _Chunk(stamp.session_id, entry.version, data, year, people, named)
                self._chunks[key] = rendered[key] = chunk
        chunks: list[_Chunk] = []
        for item in order:
            if isinstance(item, _Chunk):
                chunks.append(item)
            elif item in rendered:  # else the session was deleted meanwhile: left out
                chunks.append(rendered[item])
        return chunks


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:40]
