"""Handlers of the programme's commands: offer, sign up, lists, changes, patrons."""

from __future__ import annotations

import re
from collections.abc import Callable

from kiwibot.commands.registry import ArgError, Context
from kiwibot.core.dates import parse_slot, starts_with_moment
from kiwibot.core.effects import Direct, Effect, Outcome
from kiwibot.core.errors import UserError
from kiwibot.core.messages import Code, Lines, Mention, Moment, Msg, Param
from kiwibot.core.model import Session
from kiwibot.core.offer import offer_template, parse_offer
from kiwibot.core.present import programme_line, session_link
from kiwibot.core.pseudonyms import is_pseudonym, shown_as
from kiwibot.core.wishnumbers import is_wish_number

_USER_ID = re.compile(r"@[^\s:/\"'<>]+:[A-Za-z0-9.\-\[\]:]+")

# A session number as people write it: 7, 7., #7, # 7, Nr. 7, Nr 7, nr.7, Nummer 7, No. 7, number 7.
# At most nine digits: larger numbers name no session and would not fit SQLite's integers anyway.
_NUM = r"(?:#\s*|(?:nr|no|nummer|number)\.?\s*)?\d{1,9}"
_NUMBER = re.compile(rf"{_NUM}\.?", re.I)
# One number at the start of the arguments, then a boundary; "5, Krankheit" and "5: Krankheit" too.
_ONE = re.compile(rf"(?P<num>{_NUM})\.?(?:\s*[,:;]|(?=\s|$))", re.I)
# Another number right after the first ("5 6", "5, 6", "5 und Nr. 6") where only one makes sense.
_ANOTHER = re.compile(rf"(?:(?:[,;&+/]|und\b|and\b|sowie\b|u\.)\s*)?(?P<num>{_NUM})\.?(?=[\s,;:&+/]|$)", re.I)
# One item of a list of numbers, as the list is read left to right: a wish's number (W7, explained, never taken
# for session 7), a session's number, a separator or filler word ("und", "bitte": ignored), or any other word.
_END = r"(?=[\s,;&+/]|$)"
_FILLER = r"und|and|u\.|sowie|plus|bitte|please|danke|thanks"
_ITEM = re.compile(
    rf"(?P<wish>#?\s*w(?:unsch|ish)?\s*[-.]?\s*\d{{1,9}}\.?){_END}"
    rf"|(?P<num>{_NUM}\.?){_END}"
    rf"|(?P<skip>[,;&+/]|(?:{_FILLER}){_END})"
    r"|(?P<word>[^\s,;&+/]+)",
    re.I,
)
MAX_NUMBERS = 10


def number(text: str) -> int:
    """Session numbers as people write them: 7, 7., #7, Nr. 7, Nr 7. A wish's number (W7) is refused kindly."""
    if is_wish_number(text):
        raise UserError("error.wish_number", value=text.strip())
    match = _NUMBER.fullmatch(text.strip())
    value = int(re.sub(r"\D", "", match.group(0))) if match else 0
    if value < 1:
        raise UserError("error.bad_number", value=text)
    return value


def numbers(text: str) -> tuple[int | UserError, ...]:
    """A list of session numbers ("5 6", "5, 6 und 7 bitte"), each once, in the order given.

    A bad item ("W7", "sieben") stays in the list as its refusal, so the good numbers are still carried out and
    the reply says why the bad one was not ("a refused number does not stop the others"). Filler words and
    separators are ignored. A list of one bad item alone is refused as it always was.
    """
    spans: list[tuple[int, int]] = []
    joined = False  # the last item is a word the next word continues: "weil ich Lust habe" is one item
    for match in _ITEM.finditer(text):
        if match["word"] is not None and joined and text[spans[-1][1] : match.start()].isspace():
            spans[-1] = (spans[-1][0], match.end())
        elif match["skip"] is None:
            spans.append(match.span())
        joined = match["word"] is not None
    found: list[int | UserError] = []
    for item in (text[start:end].strip() for start, end in spans):
        try:
            value: int | UserError = number(item)
        except UserError as err:
            value = err
        if value not in found:
            found.append(value)
    if not found:
        raise ValueError(text)  # nothing but filler: the usage says how
    if len(found) == 1 and isinstance(found[0], UserError):
        raise found[0]
    if sum(isinstance(value, int) for value in found) > MAX_NUMBERS:
        raise UserError("error.too_many_numbers", max=MAX_NUMBERS)
    return tuple(found)


def take_number(text: str) -> tuple[str, str]:
    """Read one session number ("Nr. 6" is one) for commands where several make no sense.

    The one rule for numbers: a second number right after it is refused, not taken as the start of a
    reason or date ("!absagen 5 6"). What follows may start with a word ("5 Krankheit") or a date or
    time ("5 6. Dezember fällt aus", "5 14 Uhr"): a reason that mentions numbers stays a reason.
    """
    match = _ONE.match(text)
    if match is None:
        parts = text.split(maxsplit=1)
        return (parts[0], parts[1] if len(parts) > 1 else "") if parts else ("", "")
    rest = text[match.end() :].strip()
    second = _ANOTHER.match(rest)
    if second is not None and not starts_with_moment(rest[second.start("num") :]):
        raise ArgError("error.one_number", value=second["num"])
    return match["num"], rest


def command_word(ctx: Context, name: str) -> str:
    return ctx.registry.named(name, ctx.language)


def offer(ctx: Context, text: str | None) -> Outcome | Msg:
    tz = ctx.kiwi.settings.timezone
    if not text:
        template = offer_template(ctx.language, ctx.registry.prefix, ctx.now, tz)
        return Msg.of("offer.template", template=Code(template))
    fields = parse_offer(text, ctx.html, ctx.now, tz)
    return ctx.kiwi.offer(ctx.sender, fields, ctx.room_id, ctx.event_id, ctx.sender_name)


def join(ctx: Context, sessions: tuple[int | UserError, ...]) -> Outcome:
    # One signup source per session: the source id is unique, and one message may name several sessions.
    return _each(sessions, lambda n: ctx.kiwi.sign_up(ctx.sender, n, f"command:{ctx.event_id}/{n}", "command"))


def leave(ctx: Context, sessions: tuple[int | UserError, ...]) -> Outcome:
    return _each(sessions, lambda n: ctx.kiwi.sign_off(ctx.sender, n))


def _each(sessions: tuple[int | UserError, ...], act: Callable[[int], Outcome]) -> Outcome:
    """Do `act` for every number. One number: its outcome, or its error, as always.

    Several: one reply with a line per item; a refused number (or an item that is none, like W7) says why in
    its line and the others are still done (nothing is written for a refused one, so no rollback is needed).
    """
    if len(sessions) == 1 and isinstance(sessions[0], int):
        return act(sessions[0])
    replies: list[Param] = []
    effects: list[Effect] = []
    for session in sessions:
        try:
            if isinstance(session, UserError):
                raise session
            outcome = act(session)
        except UserError as err:
            replies.append(err.as_msg())
            continue
        if outcome.reply is not None:
            replies.append(outcome.reply)
        effects += outcome.effects
    return Outcome(Lines(tuple(replies)), tuple(effects))


def participants(ctx: Context, session: int) -> Outcome:
    """Who comes, for those who may see it: by direct message unless asked there, as signups are not for the room
    (everyone else sees counts only)."""
    found, attendance = ctx.kiwi.participants(ctx.sender, session)
    lines: list[Param] = [
        Msg.of("participants.header", number=found.id, title=found.title, count=len(attendance.confirmed))
    ]
    if not attendance.confirmed and not attendance.waiting:
        lines.append(Msg.of("participants.none"))
    lines += [_participant(i, user) for i, user in enumerate(attendance.confirmed, 1)]
    if attendance.waiting:
        lines.append(Msg.of("participants.waiting", count=len(attendance.waiting)))
        lines += [_participant(i, user) for i, user in enumerate(attendance.waiting, 1)]
    listing = Lines(tuple(lines))
    if ctx.is_direct:
        return Outcome(listing)
    sent = Msg.of("participants.sent_dm", number=found.id, title=found.title)
    return Outcome(sent, (Direct(ctx.sender, listing),))


def _participant(position: int, user: str) -> Msg:
    """One line of the list; a name the retention period removed (or a forgotten member) shows no id."""
    if is_pseudonym(user):
        return Msg.of("participants.line_gone", position=position, name=Msg.of(shown_as(user)))
    return Msg.of("participants.line", position=position, name=Mention(user), user_id=Code(user))


def programme(ctx: Context, page: int | None) -> Lines | Msg:
    result = ctx.kiwi.programme(page or 1)
    if not result.sessions:
        return Msg.of("programme.empty", offer=Code(command_word(ctx, "offer")))
    lines: list[Param] = [Msg.of("programme.header", page=result.page, pages=result.pages)]
    lines += [programme_line(s, result.counts[s.id], session_link(s)) for s in result.sessions]
    if result.page < result.pages:
        lines.append(Msg.of("programme.more", next=Code(f"{command_word(ctx, 'programme')} {result.page + 1}")))
    return Lines(tuple(lines))


def mine(ctx: Context) -> Lines | Msg:
    given, joined = ctx.kiwi.mine(ctx.sender)
    if not given and not joined:
        return Msg.of("mine.none", programme=Code(command_word(ctx, "programme")))
    lines: list[Param] = []
    if given:
        lines.append(Msg.of("mine.given"))
        lines += [_mine_line(s, _given_state(s, ctx.sender)) for s in given]
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


def _given_state(session: Session, user: str) -> Param:
    """A session one gives is marked when cancelled, or when one gives it as co-giver."""
    if session.cancelled:
        return Msg.of("mine.cancelled")
    return Msg.of("mine.cohost") if session.giver != user else ""


def _mine_line(session: Session, state: Param) -> Msg:
    return Msg.of(
        "mine.line_state" if state else "mine.line",
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
    slot = parse_slot(when, ctx.now, ctx.kiwi.settings.timezone)
    if slot.minutes is not None:
        # A repeat keeps the session's duration; a range that says otherwise is a mistake, not a change.
        duration = ctx.kiwi.session(session).duration
        if slot.minutes != duration:
            raise UserError(
                "repeat.range_mismatch",
                value=when.strip(),
                minutes=slot.minutes,
                number=session,
                duration=duration,
                edit=Code(command_word(ctx, "edit")),
            )
    return ctx.kiwi.repeat(ctx.sender, session, slot.starts_at, ctx.room_id, ctx.event_id)


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
