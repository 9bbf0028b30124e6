"""Handlers of the programme's commands: offer, sign up, lists, changes, patrons."""

from __future__ import annotations

import re

from kiwibot.commands.registry import Context
from kiwibot.core.dates import parse_when
from kiwibot.core.effects import Outcome
from kiwibot.core.errors import UserError
from kiwibot.core.messages import Code, Lines, Mention, Moment, Msg
from kiwibot.core.model import Session
from kiwibot.core.offer import offer_template, parse_offer
from kiwibot.core.present import programme_line, session_link

_USER_ID = re.compile(r"@[^\s:/\"'<>]+:[A-Za-z0-9.\-\[\]:]+")


def number(text: str) -> int:
    """Session numbers as people write them: 7, #7, Nr. 7."""
    cleaned = text.strip().removeprefix("#").removeprefix("Nr.").removeprefix("nr.").strip()
    if not cleaned.isdigit() or int(cleaned) < 1:
        raise UserError("error.bad_number", value=text)
    return int(cleaned)


def command_word(ctx: Context, name: str) -> str:
    return ctx.registry.named(name, ctx.language)


def offer(ctx: Context, text: str | None) -> Outcome | Msg:
    tz = ctx.kiwi.settings.timezone
    if not text:
        template = offer_template(ctx.language, ctx.registry.prefix, ctx.now, tz)
        return Msg.of("offer.template", template=Code(template))
    fields = parse_offer(text, ctx.html, ctx.now, tz)
    return ctx.kiwi.offer(ctx.sender, fields, ctx.room_id, ctx.event_id)


def join(ctx: Context, session: int) -> Outcome:
    return ctx.kiwi.sign_up(ctx.sender, session, f"command:{ctx.event_id}", "command")


def leave(ctx: Context, session: int) -> Outcome:
    return ctx.kiwi.sign_off(ctx.sender, session)


def participants(ctx: Context, session: int) -> Lines:
    found, attendance = ctx.kiwi.participants(ctx.sender, session)
    lines: list[object] = [
        Msg.of("participants.header", number=found.id, title=found.title, count=len(attendance.confirmed))
    ]
    if not attendance.confirmed and not attendance.waiting:
        lines.append(Msg.of("participants.none"))
    lines += [
        Msg.of("participants.line", position=i, name=Mention(user), user_id=Code(user))
        for i, user in enumerate(attendance.confirmed, 1)
    ]
    if attendance.waiting:
        lines.append(Msg.of("participants.waiting", count=len(attendance.waiting)))
        lines += [
            Msg.of("participants.line", position=i, name=Mention(user), user_id=Code(user))
            for i, user in enumerate(attendance.waiting, 1)
        ]
    return Lines(tuple(lines))


def programme(ctx: Context, page: int | None) -> Lines | Msg:
    result = ctx.kiwi.programme(page or 1)
    if not result.sessions:
        return Msg.of("programme.empty", offer=Code(command_word(ctx, "offer")))
    lines: list[object] = [Msg.of("programme.header", page=result.page, pages=result.pages)]
    lines += [programme_line(s, result.counts[s.id], session_link(s)) for s in result.sessions]
    if result.page < result.pages:
        lines.append(Msg.of("programme.more", next=Code(f"{command_word(ctx, 'programme')} {result.page + 1}")))
    return Lines(tuple(lines))


def mine(ctx: Context) -> Lines | Msg:
    given, joined = ctx.kiwi.mine(ctx.sender)
    if not given and not joined:
        return Msg.of("mine.none", programme=Code(command_word(ctx, "programme")))
    lines: list[object] = []
    if given:
        lines.append(Msg.of("mine.given"))
        lines += [_mine_line(s, Msg.of("mine.cancelled") if s.cancelled else "") for s in given]
    if joined:
        lines.append(Msg.of("mine.joined"))
        lines += [
            _mine_line(
                s,
                Msg.of("mine.waiting", position=pos) if pos else (Msg.of("mine.cancelled") if s.cancelled else ""),
            )
            for s, pos in joined
        ]
    return Lines(tuple(lines))


def _mine_line(session: Session, state: object) -> Msg:
    return Msg.of(
        "mine.line",
        number=session.id,
        when=Moment(session.starts_at),
        title=session.title,
        state=state,
        post=session_link(session),
    )


def edit(ctx: Context, session: int, changes: str | None) -> Outcome:
    if not changes:
        raise UserError("edit.nothing", usage=Code(f"{command_word(ctx, 'edit')} {session}\nLink: https://…"))
    try:
        fields = parse_offer(changes, ctx.html, ctx.now, ctx.kiwi.settings.timezone, partial=True)
    except UserError as err:
        raise UserError("edit.invalid", problems=err.problems) from None
    return ctx.kiwi.edit(ctx.sender, session, fields)


def cancel(ctx: Context, session: int, reason: str | None) -> Outcome:
    return ctx.kiwi.cancel(ctx.sender, session, reason)


def repeat(ctx: Context, session: int, when: str) -> Outcome:
    starts_at = parse_when(when, ctx.now, ctx.kiwi.settings.timezone)
    return ctx.kiwi.repeat(ctx.sender, session, starts_at, ctx.room_id, ctx.event_id)


def patron(ctx: Context, text: str | None) -> Msg | Lines:
    words = (text or "").split()
    if not words:
        patrons = ctx.kiwi.patrons()
        if not patrons:
            return Msg.of("patron.none")
        return Lines((Msg.of("patron.list"), *(Mention(p) for p in patrons)))
    remove = words[0].casefold() in {"entfernen", "remove", "weg", "löschen", "delete"}
    user = _mentioned_user(ctx, " ".join(words[1:] if remove else words))
    if user is None:
        raise UserError("patron.which", usage=Code(f"{command_word(ctx, 'patron')} @name:server"))
    if remove:
        return ctx.kiwi.remove_patron(ctx.sender, user)
    return ctx.kiwi.add_patron(ctx.sender, user)


def _mentioned_user(ctx: Context, text: str) -> str | None:
    """The one person the command's text names: a pill (whose plain body shows only a display name) or a
    literal @user:server. None when it names nobody or several: guessing would hand out rights."""
    named = dict.fromkeys([*ctx.named_users, *(user.rstrip(".") for user in _USER_ID.findall(text))])
    return next(iter(named)) if len(named) == 1 else None


def reminders(ctx: Context, choice: str) -> Msg:
    return ctx.kiwi.set_reminder_pref(ctx.sender, choice)


def digest(ctx: Context) -> object:
    return ctx.kiwi.digest()
