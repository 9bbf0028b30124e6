"""How sessions are shown: message values for news posts, the overview, the programme and lists.

Shared by commands and the adapter so a session looks the same wherever it appears.
"""

from __future__ import annotations

from collections.abc import Sequence

from kiwibot.core.learning import Material, Wish
from kiwibot.core.messages import Code, Lines, Link, Mention, Moment, Msg, Param, PostLink, RichText
from kiwibot.core.model import Headcount, Session
from kiwibot.core.wishnumbers import wish_label


def isolated(text: str) -> str:
    """Right-to-left user text must not reorder the line around it: wrap it in a Unicode isolate."""
    return f"\u2068{text}\u2069"


def format_name(session: Session) -> Msg:
    """The format's name in the reader's language, not the keyword the giver typed."""
    return Msg.of(f"format.{session.format.value}.name")


def headcount(count: Headcount) -> Msg:
    """The waiting list is mentioned only when there is one, so a short session line stays short."""
    if count.waiting:
        return Msg.of(
            "count.with_waitlist", count=Msg.of("count.participants", count=count.confirmed), waiting=count.waiting
        )
    return Msg.of("count.participants", count=count.confirmed)


def news_post(
    session: Session,
    count: Headcount,
    join_command: str,
    reaction: str,
    calendar_file: Link | None = None,
    calendar_command: str | None = None,
    materials: Sequence[Material] = (),
    wish: Wish | None = None,
    started: bool = False,
) -> Lines:
    """The announcement in the programme room; edited in place as signups, changes and materials come in.

    With the web side on, it links the session's calendar file and names the command for personal feeds. A session
    that takes up a topic wish names it, so those who wished for it find it. Once `started`, the post is still
    edited (materials, a forgotten name) but invites no signups and shows no waiting list: nobody moves up any
    more, and `!anmelden` would be refused."""
    lines: list[Param] = []
    if session.cancelled:
        lines.append(Msg.of("news.cancelled_title", number=session.id, title=session.title))
        if session.cancel_reason:
            lines.append(Msg.of("cancel.reason", reason=session.cancel_reason))
    else:
        lines.append(Msg.of("news.title", number=session.id, title=session.title))
    lines += [
        Msg.of("news.format", format=format_name(session), about=Msg.of(f"format.{session.format.value}.about")),
        Msg.of(
            "news.when",
            when=Moment(session.starts_at, "weekday_date"),
            time=Moment(session.starts_at, "time"),
            duration=session.duration,
        ),
        Msg.of("news.giver", giver=Mention(session.giver)),
    ]
    if session.cogivers:
        lines.append(Msg.of("news.cogivers", cogivers=_people(session.cogivers), count=len(session.cogivers)))
    if session.seats is not None:
        lines.append(Msg.of("news.seats", seats=session.seats))
    lines.append(Msg.of("news.link", link=Link(session.link) if session.link else Msg.of("news.no_link")))
    if wish is not None:
        lines.append(Msg.of("news.wish", wish=wish_label(wish.id), topic=wish.topic))
    if session.description_html:
        lines += ["", RichText(session.description_html, session.description)]
    elif session.description:
        lines += ["", session.description]
    if materials:
        lines += ["", Msg.of("news.materials"), *(material_line(m) for m in materials)]
    if started and not session.cancelled:
        lines += ["", headcount(Headcount(count.confirmed, 0, count.seats)), Msg.of("news.started")]
    else:
        lines += ["", headcount(count)]
    if not session.cancelled and not started:
        lines.append(Msg.of("news.signup", reaction=reaction, join=Code(f"{join_command} {session.id}")))
    if calendar_file is not None and calendar_command is not None:
        lines.append(Msg.of("news.calendar", file=calendar_file, calendar=Code(calendar_command)))
    return Lines(tuple(lines))


def material_line(material: Material) -> Msg:
    """One shared link, with its number (to remove it by) and its description as the link's text."""
    return Msg.of("material.line", position=material.position, link=Link(material.url, material.description or None))


def programme_line(session: Session, count: Headcount, post: Param) -> Msg:
    """One line per session in the programme: enough to choose, with a link to the full news post."""
    return Msg.of(
        "programme.line",
        number=session.id,
        when=Moment(session.starts_at),
        title=isolated(session.title),
        format=format_name(session),
        giver=givers(session),
        count=headcount(count),
        post=post,
    )


def givers(session: Session) -> Mention | Msg:
    """Who gives the session, in one short phrase for lists: "Anna" or "Anna mit Ben, Cem"."""
    if not session.cogivers:
        return Mention(session.giver)
    return Msg.of("programme.givers", giver=Mention(session.giver), cogivers=_people(session.cogivers))


def hosts_together(session: Session) -> Mention | Msg:
    """Everyone who gives the session as equals, for a sentence: "Anna", "Anna und Ben", "Anna, Ben und Cem"."""
    if not session.cogivers:
        return Mention(session.giver)
    hosts = session.hosts
    return Msg.of("people.and", first=_people(hosts[:-1]), last=Mention(hosts[-1]))


def _people(users: tuple[str, ...]) -> tuple[Mention, ...]:
    return tuple(Mention(user) for user in users)


def session_link(session: Session) -> PostLink | str:
    """A link to the session's news post, once it is posted (else nothing to show)."""
    if session.news_room and session.news_event:
        return PostLink(session.news_room, session.news_event)
    return ""


def overview(
    sessions: list[Session],
    counts: dict[int, Headcount],
    offer_command: str,
    limit: int = 25,
    calendar_command: str | None = None,
) -> Lines:
    """The pinned programme overview: what is coming, each with its post; `calendar_command` names `!kalender`
    (None while the web side is off)."""
    lines: list[Param] = [Msg.of("overview.title")]
    if not sessions:
        lines.append(Msg.of("overview.empty"))
    lines += [programme_line(s, counts[s.id], session_link(s)) for s in sessions[:limit]]
    if len(sessions) > limit:
        lines.append(Msg.of("overview.more", count=len(sessions) - limit))
    lines.append(Msg.of("overview.footer", offer=Code(offer_command)))
    if calendar_command is not None:
        lines.append(Msg.of("overview.calendar", calendar=Code(calendar_command)))
    return Lines(tuple(lines))


def digest_line(session: Session, count: Headcount, post: Param, style: str) -> Msg:
    """One session in the digest; where seats are limited, how many are still free."""
    return Msg.of(
        "digest.line",
        when=Moment(session.starts_at, style),  # type: ignore[arg-type]
        title=isolated(session.title),
        format=format_name(session),
        giver=givers(session),
        count=_seats_left(count),
        post=post,
    )


def _seats_left(count: Headcount) -> Msg:
    if count.free is None:
        return headcount(count)
    if count.free > 0:
        return Msg.of("digest.free", free=count.free)
    return Msg.of("digest.full_waiting", waiting=count.waiting) if count.waiting else Msg.of("digest.full")
