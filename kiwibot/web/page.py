"""The programme page: core data → a view model of plain values → HTML (Jinja2, autoescaped).

Everything a person or the core wrote (titles, descriptions, names, reasons) stays a plain string until the
template engine escapes it: nothing here builds markup. Catalogue messages are rendered to plain text too (the
chat's **bold** and `code` marks dropped), so a hostile title inside a message is escaped like any other text.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any, Literal
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from jinja2 import Environment, PackageLoader, StrictUndefined

from kiwibot.core.messages import Code, Lines, Link, Mention, Moment, Msg, PostLink, RichText
from kiwibot.core.model import Headcount, Session
from kiwibot.core.present import headcount
from kiwibot.core.pseudonyms import is_pseudonym, shown_as
from kiwibot.core.service import Kiwi
from kiwibot.core.text import strip_hidden
from kiwibot.i18n import template

PAGE_SIZE = 50  # sessions per page: a phone still scrolls through a page quickly, a busy network gets pages

# Control characters (but newline and tab), zero-width characters, bidi embeddings and overrides, tag
# characters: they hide or reorder text. The page isolates user text with <bdi> instead.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\U000e0000-\U000e007f]"
)
_MARKS = re.compile(r"\*\*|`")
_SAFE_URL = re.compile(r"^https?://[^\s<>\"'\\]+$", re.I)


def clean(text: str) -> str:
    return strip_hidden(text, _INVISIBLE)


def safe_url(url: str | None) -> str | None:
    """Only web links become links; anything else (javascript:, data:, odd spaces) is shown as text or not."""
    return url if url and _SAFE_URL.match(url) else None


def localpart(user_id: str) -> str:
    """A person's name when no better one is known: `@anna:example.org` → `anna`."""
    return user_id.removeprefix("@").partition(":")[0] or user_id


# -- message values → plain text -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Words:
    """Renders the core's message values as plain text in one language (the template escapes it)."""

    language: str
    timezone: ZoneInfo
    names: Callable[[str], str] = localpart

    def __call__(self, value: Any) -> str:
        if isinstance(value, Msg):
            return self._template(value)
        if isinstance(value, str):
            return clean(value)
        if isinstance(value, Mention):
            if is_pseudonym(value.user_id):
                return self._template(Msg.of(shown_as(value.user_id)))
            return clean(value.name or self.names(value.user_id)) or value.user_id
        if isinstance(value, Link):
            return self(value.url) if value.text is None else f"{self(value.text)} ({self(value.url)})"
        if isinstance(value, PostLink):
            return ""  # a link to a chat post means nothing on the page, which shows the session itself
        if isinstance(value, Moment | datetime):
            moment = value if isinstance(value, Moment) else Moment(value)
            return self.moment(moment.at, moment.style)
        if isinstance(value, RichText):
            return clean(value.plain)
        if isinstance(value, Code):
            return clean(value.text)
        if isinstance(value, Lines):
            return "\n".join(self(item) for item in value.items)
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int | float):
            return str(value)
        if isinstance(value, Iterable):
            return ", ".join(self(item) for item in value)
        return self(str(value))

    def t(self, key: str, **params: Any) -> str:
        """A catalogue entry as plain text (the template's `t`)."""
        return self._template(Msg(key, params))

    def moment(self, at: datetime, style: str) -> str:
        return format_datetime(
            at, template(self.language, f"format.{style}"), tzinfo=self.timezone, locale=self.language
        )

    def _template(self, msg: Msg) -> str:
        parts: list[str] = []
        for literal, name, _spec, _conv in string.Formatter().parse(template(self.language, msg.key, msg.params)):
            parts.append(_MARKS.sub("", literal))
            if name is not None:
                parts.append(self(msg.params.get(name, "")))
        return "".join(parts)


# -- the view model ------------------------------------------------------------------------------

Action = Literal["sign_up", "sign_off"]
Standing = Literal["giver", "confirmed", "waiting", "none"]


@dataclass(frozen=True, slots=True)
class SessionView:
    number: int
    anchor: str  # the element id, so "my signups" can link to it
    title: str
    starts: str  # ISO 8601 with offset, for <time datetime>
    time: str  # "14:00 Uhr"
    minutes: int
    duration: str  # "60 Minuten"
    format_name: str
    format_about: str
    giver: str
    description: str
    seats: str  # "3 von 5 Plätzen belegt" / "unbegrenzt"
    participants: str  # "3 Teilnehmende · 2 auf der Warteliste"
    full: bool
    cancelled: bool
    cancel_reason: str
    begun: bool
    link: str | None  # a safe web link, or None
    link_text: str  # the link as written, or "folgt"
    calendar: str | None
    standing: Standing
    standing_text: str  # "Du bist angemeldet." … or ""
    action: Action | None
    action_label: str  # visible button text; the title follows it, visually hidden


@dataclass(frozen=True, slots=True)
class DayView:
    day: str  # ISO date, for <time datetime>
    label: str  # "Dienstag, 24. November 2026"
    sessions: tuple[SessionView, ...]


@dataclass(frozen=True, slots=True)
class MineView:
    """One line of "my sessions" or "my signups"."""

    number: int
    title: str
    starts: str
    when: str
    state: str  # "(Warteliste, Platz 2)", "(abgesagt)" or ""
    anchor: str | None  # set when the session is on this page


@dataclass(frozen=True, slots=True)
class Notice:
    """What the page tells after a button was pressed (or refused)."""

    text: str
    ok: bool


@dataclass(frozen=True, slots=True)
class PageLink:
    label: str
    href: str


@dataclass(frozen=True, slots=True)
class ProgrammeView:
    language: str
    words: Words
    person: str
    days: tuple[DayView, ...]
    given: tuple[MineView, ...]
    joined: tuple[MineView, ...]
    notice: Notice | None
    csrf: str
    secret: str  # the page's own path segment: forms post relative to it, so a proxy's path prefix is kept
    page: int
    pages: int
    previous: PageLink | None
    next: PageLink | None


# -- core data → view ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProgrammeData:
    """What the page shows, read from the core for one person."""

    user_id: str
    language: str
    timezone: ZoneInfo
    now: datetime
    sessions: tuple[Session, ...]  # this page's sessions in date order, the person's own cancelled ones among them
    counts: Mapping[int, Headcount]
    given: tuple[Session, ...]
    joined: tuple[tuple[Session, int | None], ...]  # with the waiting-list place (None: a seat)
    page: int
    pages: int


def programme_data(kiwi: Kiwi, user_id: str, page: int = 1) -> ProgrammeData:
    """One page of the programme for `user_id` (a page past the end shows the last one)."""
    now = kiwi.clock.now()
    total = kiwi.store.count_upcoming(now)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    sessions = kiwi.store.upcoming(now, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    given, joined = kiwi.mine(user_id)
    # The programme lists open sessions only; a cancelled one the person gives or signed up for is theirs to
    # see (struck through) where it would have been, until it would have ended.
    shown = {s.id for s in sessions}
    first = sessions[0].starts_at if sessions and page > 1 else None
    last = sessions[-1].starts_at if sessions and page < pages else None
    for session in [*given, *(s for s, _ in joined)]:
        if not session.cancelled or session.id in shown:
            continue
        if (first is None or session.starts_at >= first) and (last is None or session.starts_at <= last):
            sessions.append(session)
            shown.add(session.id)
    sessions.sort(key=lambda s: (s.starts_at, s.id))
    return ProgrammeData(
        user_id=user_id,
        language=kiwi.language_of(user_id),
        timezone=kiwi.settings.timezone,
        now=now,
        sessions=tuple(sessions),
        counts=kiwi.headcounts(sessions),
        given=tuple(given),
        joined=tuple(joined),
        page=page,
        pages=pages,
    )


def changes_by_time(data: ProgrammeData) -> datetime | None:
    """The next moment a session on the page (or in the person's lists) begins or ends after `data.now`: the
    page shown then differs (a button goes, a session drops out) though no row changed."""
    moments = [
        moment
        for session in (*data.sessions, *data.given, *(s for s, _ in data.joined))
        for moment in (session.starts_at, session.ends_at)
        if moment > data.now
    ]
    return min(moments, default=None)


def build_view(
    data: ProgrammeData,
    *,
    csrf: str,
    secret: str,
    notice: Notice | None = None,
    names: Callable[[str], str] = localpart,
    calendar_url: Callable[[Session], str | None] = lambda session: None,
) -> ProgrammeView:
    """The page's values, each text already in the reader's language; nothing in it is markup."""
    words = Words(data.language, data.timezone, names)
    places = {s.id: position for s, position in data.joined}  # sessions I signed up for → waiting-list place
    days: dict[date, tuple[datetime, list[SessionView]]] = {}
    for session in data.sessions:
        day = session.starts_at.astimezone(data.timezone).date()
        position = places.get(session.id)
        if data.user_id in session.hosts:  # the giver or a co-giver: no signup button
            standing: Standing = "giver"
        elif session.id in places:
            standing = "waiting" if position is not None else "confirmed"
        else:
            standing = "none"
        view = _session_view(session, data.counts[session.id], standing, position, data.now, words, calendar_url)
        days.setdefault(day, (session.starts_at, []))[1].append(view)
    on_page = {view.number for _, views in days.values() for view in views}
    return ProgrammeView(
        language=data.language,
        words=words,
        person=names(data.user_id),
        days=tuple(
            DayView(day.isoformat(), words.moment(first, "weekday_date"), tuple(views))
            for day, (first, views) in days.items()
        ),
        given=tuple(_mine(s, None, words, on_page) for s in data.given),
        joined=tuple(_mine(s, position, words, on_page) for s, position in data.joined),
        notice=notice,
        csrf=csrf,
        secret=secret,
        page=data.page,
        pages=data.pages,
        previous=PageLink(words.t("web.previous"), _page_href(secret, data.page - 1)) if data.page > 1 else None,
        next=PageLink(words.t("web.next"), _page_href(secret, data.page + 1)) if data.page < data.pages else None,
    )


def _page_href(secret: str, page: int) -> str:
    return secret if page == 1 else f"{secret}?seite={page}"


def _session_view(
    session: Session,
    count: Headcount,
    standing: Standing,
    position: int | None,
    now: datetime,
    words: Words,
    calendar_url: Callable[[Session], str | None],
) -> SessionView:
    begun = session.starts_at <= now
    full = count.free == 0
    action: Action | None = None
    if not session.cancelled and not begun and standing != "giver":
        action = "sign_up" if standing == "none" else "sign_off"
    if action == "sign_up":
        label = words.t("web.sign_up_waiting" if full else "web.sign_up")
    else:
        label = words.t("web.sign_off_waiting" if standing == "waiting" else "web.sign_off")
    if standing == "giver":
        standing_text = words.t("web.yours")
    elif session.cancelled or standing == "none":
        standing_text = ""  # a cancelled session's "signed up" means nothing any more
    elif standing == "waiting":
        standing_text = words.t("web.waiting_place", position=position)
    else:
        standing_text = words.t("web.signed_up")
    if session.seats is None:
        seats = words.t("web.seats_free")
    else:
        seats = words.t("web.seats_taken", taken=count.confirmed, seats=session.seats)
    link = safe_url(session.link)
    return SessionView(
        number=session.id,
        anchor=f"s-{session.id}",
        title=clean(session.title),
        starts=session.starts_at.astimezone(words.timezone).isoformat(timespec="minutes"),
        time=words.moment(session.starts_at, "time"),
        minutes=session.duration,
        duration=words.t("web.minutes", minutes=session.duration),
        format_name=words.t(f"format.{session.format.value}.name"),
        format_about=words.t(f"format.{session.format.value}.about"),
        giver=givers(session, words),
        description=clean(session.description),
        seats=seats,
        participants=words(headcount(count)),
        full=full and not session.cancelled and not begun,  # "whoever signs up now waits" is false then
        cancelled=session.cancelled,
        cancel_reason=words.t("cancel.reason", reason=session.cancel_reason) if session.cancel_reason else "",
        begun=begun and not session.cancelled,
        link=link,
        link_text=clean(session.link) if session.link else words.t("news.no_link"),
        calendar=calendar_url(session),
        standing=standing,
        standing_text=standing_text,
        action=action,
        action_label=label,
    )


def givers(session: Session, words: Words) -> str:
    """Who gives the session, as the chat's programme says it: "Gerd Geber" or "Gerd Geber mit Ben, Cem". The giver
    by the name recorded with the session (as the chat's archive shows them), else as the platform names them."""
    giver = Mention(session.giver, session.giver_name or None)
    if not session.cogivers:
        return words(giver)
    return words.t("programme.givers", giver=giver, cogivers=tuple(Mention(user) for user in session.cogivers))


def _mine(session: Session, position: int | None, words: Words, on_page: set[int]) -> MineView:
    if session.cancelled:
        state = words.t("mine.cancelled")
    elif position is not None:
        state = words.t("mine.waiting", position=position)
    else:
        state = ""
    return MineView(
        number=session.id,
        title=clean(session.title),
        starts=session.starts_at.astimezone(words.timezone).isoformat(timespec="minutes"),
        when=words.moment(session.starts_at, "datetime"),
        state=state,
        anchor=f"s-{session.id}" if session.id in on_page else None,
    )


# -- view → HTML ---------------------------------------------------------------------------------


@cache
def environment() -> Environment:
    """The templates, loaded once from the package; autoescape on for every template, undefined names fail."""
    return Environment(
        loader=PackageLoader("kiwibot.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_programme(view: ProgrammeView) -> str:
    return environment().get_template("programme.html").render(view=view, t=view.words.t)
