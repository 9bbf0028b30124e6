"""Co-givers: up to three people who give a session with its giver and may do all the giver may.

The rules for naming them (whom a line names, who may be named) and what those named or removed are told, as
functions: the sessions area calls them when an offer, an edit or a repeat names co-givers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from kiwibot.core.effects import Direct, Effect
from kiwibot.core.errors import UserError
from kiwibot.core.messages import Lines, Mention, Moment, Msg, Param
from kiwibot.core.model import Session
from kiwibot.core.offer.people import MAX_COGIVERS
from kiwibot.core.offer.syntax import shown
from kiwibot.core.present import session_link

__all__ = ["MAX_COGIVERS", "choose_cogivers", "cogiver_news"]


def choose_cogivers(
    refs: Sequence[str],
    giver: str,
    person: Callable[[str], str | None],
    is_member: Callable[[str], bool],
    header: str,
    no_account: Callable[[str], bool] = lambda user: False,
) -> tuple[str, ...]:
    """The co-givers a line names, each once, in order; every problem at once under `header` (the offer's or the
    edit's "not quite right yet").

    Every reference must name a person (`person`, the platform's reading: a pill or an id written out, never a
    display name), whose account exists (`no_account`: the platform knows it does not, a mistyped id), who is a
    member of the network and not the giver; at most `MAX_COGIVERS` of them.
    """
    people: list[str] = []
    unknown: list[str] = []
    for ref in refs:
        user = person(ref)
        if user is None:
            unknown.append(shown(ref))
        elif user not in people:
            people.append(user)
    problems: list[UserError] = []
    if unknown:
        problems.append(UserError("cogivers.unknown", names=tuple(unknown), count=len(unknown)))
    if giver in people:
        problems.append(UserError("cogivers.giver", user=Mention(giver)))
    others = [user for user in people if user != giver]
    mistyped = [user for user in others if no_account(user)]
    if mistyped:
        problems.append(UserError("cogivers.no_account", ids=tuple(mistyped), count=len(mistyped)))
    strangers = [user for user in others if user not in mistyped and not is_member(user)]
    if strangers:
        problems.append(
            UserError("cogivers.not_member", users=tuple(Mention(u) for u in strangers), count=len(strangers))
        )
    if len(others) > MAX_COGIVERS:
        problems.append(UserError("cogivers.too_many", count=len(others), max=MAX_COGIVERS))
    if problems:
        raise UserError(header, problems=tuple(problems))
    return tuple(others)


def cogiver_news(
    actor: str, session: Session, added: Sequence[str], removed: Sequence[str], signed_off: Sequence[str] = ()
) -> list[Effect]:
    """Those named hear what they may now do (and, if they had signed up, that their seat is freed), those removed
    that they were; nobody hears of their own doing."""
    details: dict[str, Param] = {"actor": Mention(actor), "number": session.id, "title": session.title}
    named = Msg.of("cogivers.named", when=Moment(session.starts_at), post=session_link(session), **details)
    freed = Lines((named, Msg.of("cogivers.seat_freed")))
    effects: list[Effect] = [Direct(user, freed if user in signed_off else named) for user in added if user != actor]
    effects += [Direct(user, Msg.of("cogivers.removed", **details)) for user in removed if user != actor]
    return effects
