"""Handlers of the learning loop's commands: materials of a session, the archive, topic wishes."""

from __future__ import annotations

import re

from kiwibot.commands.registry import Context
from kiwibot.core.effects import Effect, Outcome
from kiwibot.core.errors import UserError
from kiwibot.core.learning import is_year
from kiwibot.core.messages import Code, Lines, Msg, Param
from kiwibot.core.present import material_line, session_link
from kiwibot.core.present_loop import archive_line, wish_line
from kiwibot.core.wishnumbers import (
    close_request,
    is_wish_number,
    names_wishes_only,
    wish_labels_in,
    wish_number,
)

_REMOVE = frozenset({"entfernen", "remove", "löschen", "loeschen", "delete", "weg"})
_CLOSE_WORD = {"de": "schließen", "en": "close"}
_PAGE = re.compile(r"(?:^|\s+)(?P<page>\d{1,9})\.?$")


def _word(ctx: Context, name: str) -> str:
    return ctx.registry.named(name, ctx.language)


# -- materials ----------------------------------------------------------------------------------------


def material(ctx: Context, session: int, text: str | None) -> Outcome | Lines | Msg:
    """`!material N <Link> [Beschreibung]`, `!material N entfernen <Nr.>`, and `!material N` to list them."""
    words = (text or "").split(maxsplit=1)
    if not words:
        found, listed = ctx.kiwi.materials_of(session)
        if not listed:
            return Msg.of(
                "material.none", number=found.id, usage=Code(f"{_word(ctx, 'material')} {found.id} https://…")
            )
        header = Msg.of("material.header", number=found.id, title=found.title, post=session_link(found))
        return Lines((header, *(material_line(m) for m in listed)))
    if words[0].casefold() in _REMOVE:
        position = _position(words[1] if len(words) > 1 else "")
        if position is None:
            raise UserError("material.which", usage=Code(f"{_word(ctx, 'material')} {session} {words[0]} 1"))
        return ctx.kiwi.remove_material(ctx.sender, session, position)
    return ctx.kiwi.add_material(ctx.sender, session, words[0], words[1] if len(words) > 1 else "")


def _position(text: str) -> int | None:
    match = re.fullmatch(r"(?:#\s*|(?:nr|no)\.?\s*)?(\d{1,3})\.?", text.strip(), re.I)
    return int(match.group(1)) if match and int(match.group(1)) > 0 else None


# -- the archive --------------------------------------------------------------------------------------


def take_search(text: str) -> tuple[str, str]:
    """`[Suchwort] [Seite]`: the words, and a number at the end, which is the page ("E-Akte 2", "2"); a year
    (four digits from 2000) is a search word, not a page ("2026", "E-Akte 2026 2"): at 15 sessions a page, a
    2000th page would need 30 000 sessions."""
    match = _PAGE.search(text)
    if match is None or is_year(match["page"]):
        return text.strip(), ""
    return text[: match.start()].strip(), match["page"]


def archive(ctx: Context, query: str | None, page: int | None) -> Lines | Msg:
    result = ctx.kiwi.archive(query, page)
    shown = result.query
    if not result.sessions:
        if shown:
            return Msg.of("archive.nothing_found", query=shown, all=Code(_word(ctx, "archive")))
        return Msg.of("archive.empty")
    header = (
        Msg.of("archive.header_search", query=shown, count=result.total, page=result.page, pages=result.pages)
        if shown
        else Msg.of("archive.header", page=result.page, pages=result.pages)
    )
    lines: list[Param] = [header]
    lines += [archive_line(s, result.counts[s.id], result.materials.get(s.id, [])) for s in result.sessions]
    if result.page < result.pages:
        more = " ".join(part for part in (_word(ctx, "archive"), shown, str(result.page + 1)) if part)
        lines.append(Msg.of("archive.more", next=Code(more)))
    return Lines(tuple(lines))


# -- wishes -------------------------------------------------------------------------------------------


def wish(ctx: Context, text: str | None) -> Outcome | Msg:
    """`!wunsch <Thema>` (a second line describes it) or `!wunsch schließen W7` (also löschen, zurücknehmen, …;
    several numbers close each)."""
    if not text or not text.strip():
        return Msg.of("wish.usage", usage=Code(f"{_word(ctx, 'wish')} Thema"), wishes=Code(_word(ctx, "wishes")))
    first = text.strip().splitlines()[0]
    numbers = close_request(first)
    if numbers is not None:
        if not numbers:
            raise UserError("wish.which", usage=Code(f"{_word(ctx, 'wish')} {first.strip()} W7"))
        return _close_wishes(ctx, numbers)
    if names_wishes_only(first) and not is_wish_number(first):  # a lone W7 is answered by wish_text
        # "W2 W3", "streiche W2": never posted as a topic for everyone to see.
        labels = " ".join(wish_labels_in(first))
        verb = _CLOSE_WORD.get(ctx.language, "close")
        raise UserError(
            "wish.command_as_topic", value=first.strip(), usage=Code(f"{_word(ctx, 'wish')} {verb} {labels}")
        )
    return ctx.kiwi.make_wish(ctx.sender, text)


def _close_wishes(ctx: Context, numbers: tuple[str, ...]) -> Outcome:
    """Each number closed on its own: one that cannot be (not theirs, unknown, a session's) is named with why."""
    if len(numbers) == 1:
        return ctx.kiwi.close_wish(ctx.sender, wish_number(numbers[0]))
    replies: list[Param] = []
    failed: list[Param] = []
    effects: list[Effect] = []
    for written in dict.fromkeys(numbers):
        try:
            closed = ctx.kiwi.close_wish(ctx.sender, wish_number(written))
        except UserError as error:
            failed.append(error.as_msg())
            continue
        replies += [closed.reply] if closed.reply is not None else []
        effects += closed.effects
    if failed:
        replies += [Msg.of("wish.close_some_failed"), *failed]
    return Outcome(Lines(tuple(replies)), tuple(effects))


def wishes(ctx: Context) -> Lines | Msg:
    ranked, total = ctx.kiwi.open_wishes()
    if not ranked:
        return Msg.of("wishes.none", wish=Code(f"{_word(ctx, 'wish')} …"))
    lines: list[Param] = [Msg.of("wishes.header", count=total)]
    lines += [wish_line(w, interest) for w, interest in ranked]
    if total > len(ranked):
        lines.append(Msg.of("wishes.more", count=total - len(ranked)))
    lines.append(Msg.of("wishes.footer", offer=Code(_word(ctx, "offer"))))
    return Lines(tuple(lines))
