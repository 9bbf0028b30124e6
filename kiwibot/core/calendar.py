"""The programme outside the chat: personal calendar links, what each calendar feed holds, `!kalender`.

Platform-neutral use cases. A link carries a random secret (`secrets`, 192 bits) that is stored only as its
SHA-256 hash and compared in constant time; it names a person, who must still be a network member when the
link is used. Feeds are described by stamps (session id and the number of its last change), so an
adapter can keep what it rendered and render again only what changed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from kiwibot.core.effects import Direct, Outcome
from kiwibot.core.errors import UserError
from kiwibot.core.messages import Code, Link, Msg
from kiwibot.core.model import Session

if TYPE_CHECKING:
    from kiwibot.core.ports import CalendarStore, Clock

KEEP = timedelta(days=30)  # past sessions stay in personal feeds, cancelled ones in every feed, this long
SECRET_BYTES = 24  # 192 bits; token_urlsafe gives 32 characters
MAX_LINKS = 10  # live links per person: each `!kalender` adds one, `!kalender neu` replaces all
REVOKED_KEEP = timedelta(days=90)  # revoked links are known (by hash) this long: their calendars keep polling
_SECRET = re.compile(r"[A-Za-z0-9_-]{32}")
_FILE_ID = re.compile(r"[0-9a-f]{32}")

# The web side's paths. `/p/<secret>` is the programme page (kiwibot/web/page.py).
FEED_PATH = "/feed/{secret}/mine.ics"
PROGRAMME_FEED_PATH = "/feed/{secret}/programme.ics"
SESSION_FILE_PATH = "/session/{file_id}.ics"
PAGE_PATH = "/p/{secret}"


@dataclass(frozen=True, slots=True)
class Stamp:
    """One session in a feed: its id, the number of its last change, and whether the reader only waits. In a
    person's own feed also how often and when they last moved between the waiting list and a seat: their event
    changed then (title, status), so it takes a higher SEQUENCE and a new LAST-MODIFIED."""

    session_id: int
    version: int
    waiting: bool = False
    moves: int = 0
    moved_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class FeedIndex:
    """What a feed holds, in order; `valid_until`: when it changes by time alone (None: not by time)."""

    stamps: tuple[Stamp, ...]
    valid_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """A session with what a calendar needs beyond it. `version` is the stamp it was read at."""

    session: Session
    sequence: int
    modified: datetime
    cancelled_at: datetime | None
    file_id: str
    version: int


@dataclass(frozen=True, slots=True)
class CalendarLinks:
    """The public addresses of the web side, from `web.base_url` (no trailing slash)."""

    base_url: str

    def feed(self, secret: str) -> str:
        """A person's own feed: their sessions and signups, for a calendar to subscribe to."""
        return self.base_url + FEED_PATH.format(secret=secret)

    def programme_feed(self, secret: str) -> str:
        """Every upcoming session, behind the person's secret: members only, like the room."""
        return self.base_url + PROGRAMME_FEED_PATH.format(secret=secret)

    def page(self, secret: str) -> str:
        """The person's programme page, where they can sign up without the chat."""
        return self.base_url + PAGE_PATH.format(secret=secret)

    def session_file(self, file_id: str) -> str:
        """One session as a calendar file, linked from its news post."""
        return self.base_url + SESSION_FILE_PATH.format(file_id=file_id)

    @staticmethod
    def webcal(url: str) -> str:
        """The same feed as a webcal:// link, which phones and Outlook open as "subscribe"."""
        return "webcal://" + url.split("://", 1)[1]


def link_hash(secret: str) -> str:
    """Only the hash is stored: a copy of the database gives no working link."""
    return hashlib.sha256(secret.encode()).hexdigest()


def is_secret(text: str) -> bool:
    """The shape of a link secret: anything else is refused before the database is asked."""
    return _SECRET.fullmatch(text) is not None


def is_file_id(text: str) -> bool:
    """The shape of a calendar-file id: anything else is refused before the database is asked."""
    return _FILE_ID.fullmatch(text) is not None


class Calendars:
    """Calendar links and feeds. `links` None: the web side is off (`web.enabled: false`)."""

    def __init__(
        self,
        store: CalendarStore,
        clock: Clock,
        is_member: Callable[[str], bool],
        links: CalendarLinks | None,
    ) -> None:
        """`is_member`: the network's access rules (Kiwi.is_member), asked each time a link is used."""
        self.store = store
        self.clock = clock
        self.is_member = is_member
        self.links = links

    # -- links ------------------------------------------------------------------------------------

    def issue(self, user_id: str, *, renew: bool) -> str:
        """A new link secret for a person. `renew`: all earlier ones stop working at once (in the same
        transaction); else it is added beside them."""
        secret = secrets.token_urlsafe(SECRET_BYTES)
        self.store.add_calendar_link(user_id, link_hash(secret), self.clock.now(), replace=renew)
        return secret

    def resolve(self, secret: str) -> str | None:
        """The member a link belongs to; None for a malformed, unknown or revoked secret and for a person who is
        no longer a network member (the web side answers all of them with the same plain 404)."""
        if not is_secret(secret):
            return None
        digest = link_hash(secret)
        found = self.store.calendar_link_owner(digest)
        if found is None or not hmac.compare_digest(found[0], digest):
            return None
        return found[1] if self.is_member(found[1]) else None

    def was_valid(self, secret: str) -> bool:
        """Whether a secret `resolve` refused was a real link once: revoked by `!kalender neu` less than
        REVOKED_KEEP ago, or of a person who is no longer a member. Such a link is a calendar still polling, not
        someone guessing, so the web side does not count it against the address it comes from."""
        if not is_secret(secret):
            return False
        digest = link_hash(secret)
        if self.store.calendar_link_owner(digest) is not None:
            return True  # resolve refused it: its owner left the network
        return self.store.revoked_link(digest, self.clock.now() - REVOKED_KEEP)

    def command(self, user_id: str, room_id: str, *, renew: bool, renew_command: str) -> Outcome:
        """`!kalender [neu]`: the links go only by direct message; elsewhere the room hears only that one was
        sent, since the links let anyone read the person's calendar.

        Only hashes are kept, so a link cannot be shown twice: each `!kalender` adds a link beside the earlier
        ones (up to MAX_LINKS, so a calendar already subscribed keeps working), `!kalender neu` replaces them all.
        """
        if self.links is None:
            raise UserError("calendar.off")
        renew_code = Code(renew_command)
        earlier = self.store.calendar_link_count(user_id)  # what is said about "the old links" needs some
        if not renew and earlier >= MAX_LINKS:
            raise UserError("calendar.too_many", max=MAX_LINKS, renew=renew_code)
        secret = self.issue(user_id, renew=renew)
        links = self.links
        feed, programme = links.feed(secret), links.programme_feed(secret)
        outro = "calendar.outro_renewed" if renew else "calendar.outro" if earlier else "calendar.outro_first"
        message = Msg.of(
            "calendar.links",
            intro=Msg.of("calendar.renewed" if renew and earlier else "calendar.intro"),
            mine=Link(feed),
            mine_webcal=Link(links.webcal(feed)),
            programme=Link(programme),
            programme_webcal=Link(links.webcal(programme)),
            page=Link(links.page(secret)),
            outro=Msg.of(outro, renew=renew_code),
        )
        if self.store.direct_room(user_id) == room_id:
            return Outcome(message)
        return Outcome(Msg.of("calendar.sent_dm"), (Direct(user_id, message),))

    def file_link(self, session_id: int) -> Link | None:
        """The link to a session's calendar file (for its news post); None while the web side is off."""
        if self.links is None:
            return None
        file_id = self.store.calendar_file_id(session_id)
        return Link(self.links.session_file(file_id), Msg.of("news.calendar_file")) if file_id else None

    # -- feeds ------------------------------------------------------------------------------------

    def version(self) -> int:
        """Changes whenever a session any calendar shows changes: a cached programme feed is checked with it."""
        return self.store.calendar_version()

    def versions(self) -> tuple[int, int, int]:
        """(sessions, signups, layout) change counts: a programme page or personal feed kept at the same three is
        what it would be built as now, until the next change by time alone."""
        return self.store.calendar_versions()

    def change_marks(self, user_id: str, session_ids: Collection[int]) -> tuple[int, int]:
        """Grows when one of `session_ids` or of the person's signed-up sessions changes, or a signup to one of
        them does: with the layout unchanged, a page or feed built at the same marks is still right."""
        return self.store.change_marks(user_id, session_ids)

    def changed_since(self, version: int) -> dict[int, int]:
        """The sessions changed since the feeds' change count was `version` (session → its new revision): a
        feed whose list of sessions is the same renders only these again."""
        return self.store.changed_since(version)

    def next_session_end(self) -> datetime | None:
        """When the next open session ends: the programme's count and pages change then by time alone."""
        return self.store.next_session_end(self.clock.now())

    def programme(self) -> FeedIndex:
        """Every upcoming session of the network; cancelled ones stay KEEP long, marked cancelled."""
        return self.store.programme_stamps(self.clock.now(), KEEP)

    def personal(self, user_id: str) -> FeedIndex:
        """The sessions a person gives and those they signed up for (waiting places marked), upcoming and of the
        last KEEP; a sign-off removes a session, a cancelled one stays KEEP long. `valid_until`: when one drops out."""
        return self.store.personal_stamps(user_id, self.clock.now(), KEEP)

    def session_file(self, file_id: str) -> Stamp | None:
        """The one session of a calendar file (its id is unguessable and is not the session number)."""
        return self.store.file_stamp(file_id) if is_file_id(file_id) else None

    def entries(self, session_ids: list[int]) -> dict[int, CalendarEntry]:
        """The rows a feed cache lacks, read only when a session changed."""
        return self.store.calendar_entries(session_ids)

    def language_of(self, user_id: str) -> str | None:
        """The language a person chose, for the words inside their feed."""
        return self.store.get_language(user_id)
