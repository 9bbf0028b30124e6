"""Sessions → iCalendar (RFC 5545) with the `icalendar` library: one VEVENT per session, and calendars of them.

A VEVENT is rendered once per session version and reader (language, waiting or not) and kept as bytes; a feed
is its calendar header (name, refresh hints, the VTIMEZONE of the configured zone) with the events spliced in.
The UID comes from the session's calendar-file id, so it is the same in every feed and in the session's file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from functools import lru_cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone

from kiwibot.core.calendar import CalendarEntry
from kiwibot.core.model import Session
from kiwibot.core.pseudonyms import is_pseudonym, shown_as
from kiwibot.i18n import template
from kiwibot.web.page import clean

PRODID = "-//KIWI – Kollegiale Impulse, Wissenswerkstatt//kiwibot//DE"
REFRESH = timedelta(hours=1)
_END = b"END:VCALENDAR\r\n"


def _text(value: str) -> str:
    """What a person wrote, as the page shows it: without control characters (but tab and newline: no calendar
    shows them, strict readers refuse some), zero-width characters and bidi controls (a U+202E in a name would
    reorder the text around it, and a calendar cannot isolate it as the page's <bdi> does)."""
    return clean(value)


def _say(language: str, key: str, **params: object) -> str:
    return template(language, key, params).format(**params)


def localpart(user_id: str) -> str:
    """A person's name when no better one is known: `@anna:example.org` → `anna`."""
    return user_id.removeprefix("@").partition(":")[0] or user_id


class IcalRenderer:
    """Renders with the configured zone; `post_url(room, event)` links a news post on the chat platform;
    `names(user_id)` is how the chat platform names a person (a display name, never a bare id if it knows better).

    An event is kept until its session changes, so a person who renames themselves shows the new name from then.
    """

    def __init__(
        self,
        timezone: ZoneInfo,
        base_url: str,
        post_url: Callable[[str, str], str],
        names: Callable[[str], str] = localpart,
    ) -> None:
        self.timezone = timezone
        self.domain = urlsplit(base_url).hostname or "kiwibot"
        self.post_url = post_url
        self.names = names

    def uid(self, entry: CalendarEntry) -> str:
        return f"{entry.file_id}@{self.domain}"

    def event(
        self, entry: CalendarEntry, language: str, waiting: bool = False, moves: int = 0, moved: datetime | None = None
    ) -> bytes:
        """One VEVENT. Cancelled: STATUS:CANCELLED and "Abgesagt:" before the title (Outlook shows no status
        of a subscribed event); a waiting-list place: STATUS:TENTATIVE and "(Warteliste)" after it. `moves`,
        `moved`: how often and when the reader moved between the waiting list and a seat; SEQUENCE and
        LAST-MODIFIED move with them (both only grow), so clients replace the event (RFC 5545 3.8.7.4)."""
        session = entry.session
        modified = max(entry.modified, moved) if moved is not None else entry.modified
        title = _text(session.title)
        if session.cancelled:
            summary, status = _say(language, "ical.summary_cancelled", title=title), "CANCELLED"
        elif waiting:
            summary, status = _say(language, "ical.summary_waiting", title=title), "TENTATIVE"
        else:
            summary, status = title, "CONFIRMED"
        event = Event()
        event.add("uid", self.uid(entry))
        event.add("sequence", entry.sequence + moves)
        event.add("dtstamp", modified)
        event.add("last-modified", modified)
        event.add("dtstart", session.starts_at.astimezone(self.timezone))
        event.add("dtend", session.ends_at.astimezone(self.timezone))
        event.add("summary", summary)
        event.add("description", self.description(session, language, waiting))
        if session.link:
            event.add("url", session.link)
            event.add("location", session.link)
        event.add("status", status)
        event.add("transp", "OPAQUE")
        return bytes(event.to_ical())

    def description(self, session: Session, language: str, waiting: bool) -> str:
        """Plain text: what a calendar shows under the title."""
        lines: list[str] = []
        if session.cancelled:
            lines.append(_say(language, "ical.cancelled"))
            if session.cancel_reason:
                lines.append(_say(language, "ical.reason", reason=_text(session.cancel_reason)))
            lines.append("")
        elif waiting:
            lines += [_say(language, "ical.waiting"), ""]
        fmt = session.format.value
        lines += [
            _say(language, "ical.number", number=session.id),
            _say(
                language,
                "ical.format",
                format=template(language, f"format.{fmt}.name"),
                about=template(language, f"format.{fmt}.about"),
            ),
            _say(language, "ical.giver", giver=self.givers(session, language)),
            _say(language, "ical.link", link=session.link or template(language, "news.no_link")),
        ]
        if session.description:
            lines += ["", _text(session.description)]
        if session.news_room and session.news_event:
            lines += ["", _say(language, "ical.post", post=self.post_url(session.news_room, session.news_event))]
        return "\n".join(lines)

    def givers(self, session: Session, language: str) -> str:
        """Who gives the session, as the chat's programme says it: "Anna Beispiel" or "Anna Beispiel mit Ben, Cem"."""
        giver = self.person(language, session.giver, session.giver_name)
        if not session.cogivers:
            return giver
        cogivers = ", ".join(self.person(language, user) for user in session.cogivers)
        return _say(language, "programme.givers", giver=giver, cogivers=cogivers)

    def person(self, language: str, user_id: str, known: str = "") -> str:
        """A person by name: `known` (the name recorded with the session), else the platform's; a forgotten one (a
        pseudonym) as "ehemaliges Mitglied"."""
        if is_pseudonym(user_id):
            return template(language, shown_as(user_id))
        return _text(known or self.names(user_id)).strip() or user_id

    def calendar(self, name: str | None, events: Iterable[bytes], years: tuple[int, int] | None) -> bytes:
        """A whole calendar: its header made by icalendar, the rendered events spliced in before its end.

        `name` None: a single session's file, which is imported once rather than subscribed to (no name, no
        refresh hints). `years`: the first and last year of the events, which their VTIMEZONE must cover.
        """
        head = _header(name, self.timezone.key, years)
        return b"".join((head[: -len(_END)], *events, _END))


@lru_cache(maxsize=64)
def _header(name: str | None, zone: str, years: tuple[int, int] | None) -> bytes:
    """The calendar around the events (cached: its VTIMEZONE costs a few milliseconds)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name is not None:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", zone)
        calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")
    if years is not None:
        first, last = years
        calendar.add_component(Timezone.from_tzid(zone, first_date=date(first, 1, 1), last_date=date(last + 1, 1, 1)))
    return bytes(calendar.to_ical())
