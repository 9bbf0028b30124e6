"""How the learning loop's things are shown: a wish's post, the list of wishes, a line of the archive."""

from __future__ import annotations

from kiwibot.core.learning import Material, Wish, WishStatus
from kiwibot.core.messages import Code, Lines, Mention, Moment, Msg, Param, PostLink
from kiwibot.core.model import Headcount, Session
from kiwibot.core.present import format_name, isolated, material_line, session_link
from kiwibot.core.pseudonyms import is_pseudonym
from kiwibot.core.wishnumbers import wish_label


def wish_link(wish: Wish) -> PostLink | str:
    """A link to the wish's post, once it is posted."""
    return PostLink(wish.post_room, wish.post_event) if wish.post_room and wish.post_event else ""


def wish_post(wish: Wish, interest: int, session: Session | None, offer_command: str, reaction: str) -> Lines:
    """The wish in the programme room: the topic, who wished it, the interest, and how to take it up; edited when
    the interest changes, and once a session fulfils it (pointing there) or it is closed."""
    label = wish_label(wish.id)
    lines: list[Param] = []
    if wish.status is WishStatus.FULFILLED:
        lines.append(Msg.of("wish.post_title_fulfilled", wish=label, topic=wish.topic))
    elif wish.status is WishStatus.CLOSED:
        lines.append(Msg.of("wish.post_title_closed", wish=label, topic=wish.topic))
    else:
        lines.append(Msg.of("wish.post_title", wish=label, topic=wish.topic))
    # A pseudonym's name ("ehemaliges Mitglied") does not fit "von …": its own wording ("von einem ehemaligen …").
    lines.append(
        Msg.of("wish.post_by_former")
        if is_pseudonym(wish.wisher)
        else Msg.of("wish.post_by", wisher=Mention(wish.wisher))
    )
    if wish.description:
        lines += ["", wish.description]
    lines += ["", Msg.of("wish.interest", count=interest)]
    if wish.status is WishStatus.OPEN:
        lines.append(Msg.of("wish.post_react", reaction=reaction))
        lines.append(Msg.of("wish.post_offer", offer=Code(offer_command), wish=label))
    elif wish.status is WishStatus.FULFILLED and session is not None:
        lines.append(
            Msg.of(
                "wish.post_session",
                number=session.id,
                title=session.title,
                when=Moment(session.starts_at),
                post=session_link(session),
            )
        )
    return Lines(tuple(lines))


def wish_line(wish: Wish, interest: int) -> Msg:
    """One open wish in `!wünsche`: its number, topic, interest, who wished it and when, and its post."""
    details: dict[str, Param] = {
        "wish": wish_label(wish.id),
        "topic": isolated(wish.topic),
        "count": Msg.of("wish.interest", count=interest),
        "when": Moment(wish.created_at, "date"),
        "post": wish_link(wish),
    }
    if is_pseudonym(wish.wisher):
        return Msg.of("wishes.line_former", **details)
    return Msg.of("wishes.line", wisher=Mention(wish.wisher), **details)


def archive_line(session: Session, count: Headcount, materials: list[Material]) -> Lines | Msg:
    """A past session: date, number, title, format, givers ("Gerd mit Ben"), how many took part, and its materials
    as links."""
    giver: Mention | Msg = Mention(session.giver, session.giver_name or None)
    if session.cogivers:
        giver = Msg.of("programme.givers", giver=giver, cogivers=tuple(Mention(user) for user in session.cogivers))
    line = Msg.of(
        "archive.line",
        when=Moment(session.starts_at, "date"),
        number=session.id,
        title=isolated(session.title),
        format=format_name(session),
        giver=giver,
        count=Msg.of("count.participants", count=count.confirmed),
        post=session_link(session),
    )
    if not materials:
        return line
    return Lines((line, *(Msg.of("archive.material", line=material_line(m)) for m in materials)))
