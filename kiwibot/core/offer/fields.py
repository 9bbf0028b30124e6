"""Each field's value of an offer checked: lenient where the meaning is clear ("1,5 h", "Link: folgt"), strict
where a guess could publish something wrong. A problem is appended to the list, never raised, so the reply can
name every problem at once."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from kiwibot.core.dates import Slot, parse_slot
from kiwibot.core.errors import UserError
from kiwibot.core.messages import Msg
from kiwibot.core.model import DURATIONS, FORMAT_KEYWORD, FORMAT_WORDS, MAX_AHEAD, Format
from kiwibot.core.offer.syntax import shown, without_hint
from kiwibot.core.offer.template import without_template_hint
from kiwibot.core.text import strip_hidden
from kiwibot.core.wishnumbers import wish_number

TITLE_MAX = 200
DESCRIPTION_MAX = 4000
SEATS_MAX = 10_000

REQUIRED: tuple[str, ...] = ("title", "when", "duration", "format")

_DURATION = re.compile(r"^(?P<n>\d{1,3}(?:[.,]\d{1,2})?)\s*(?P<unit>[^\W\d_]*)\.?$")
_DURATION_HM = re.compile(
    r"^(?P<h>\d)\s*(?::|h|std\.?|stunden?|hours?|hrs?)\s*(?P<m>\d{1,2})"
    r"\s*(?:m|min|minuten|minutes|mins|h|std|stunden?|hours?)?\.?$"
)
_MINUTE_UNITS = frozenset({"", "m", "min", "mins", "minute", "minuten", "minutes"})
_HOUR_UNITS = frozenset({"h", "std", "stunde", "stunden", "hour", "hours", "hr", "hrs"})

_SEATS = re.compile(
    r"^(?:(?:max(?:imal)?\.?|bis zu|höchstens|hoechstens|up to|at most)\s*)?(?P<n>\d{1,9})\s*"
    r"(?:plätze|plaetze|platze|platz|personen|person|teilnehmende|teilnehmer(?::?innen)?|teilnehmer\*innen|"
    r"seats?|places?|people|participants?)?\.?$"
)
_UNLIMITED = frozenset(
    {"unbegrenzt", "unbeschränkt", "unlimited", "-", "–", "—", "keine", "keine begrenzung", "kein limit"}
    | {"no limit", "none", "beliebig", "∞"}
)
_NO_LINK = frozenset(
    {"-", "–", "—", "kein", "keiner", "keine", "ohne", "folgt", "kommt noch", "none", "no", "tba", "tbd", "later"}
)
# "Wunsch: keiner" in a change: the session takes up no wish any more (the one it named is open again).
_NO_WISH = frozenset({"-", "–", "—", "kein", "keiner", "keine", "ohne", "none", "no", "no wish", "kein wunsch"})
_URL_WRAPPED = re.compile(r"^[<(\[](?P<url>(?:https?://|www\.)\S+)[>)\]]$", re.I)
_HOST = re.compile(r"^(?:[\w-]+\.)*[\w-]+$|^\[[0-9a-f:.]+\]$", re.I)
_URL_FORBIDDEN = re.compile(r"[\s<>\"'`\\]")

# Invisible characters that have no business in a description: control characters but newline and tab,
# bidi overrides and marks, zero-width space and joiner, BOM, tag characters, lone surrogates. A ZWJ inside
# an emoji (👩‍💻) and the tags of a subdivision flag stay (`strip_hidden`).
DESCRIPTION_HIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u200b\u200d\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069"
    "\ufeff\U000e0000-\U000e007f\ud800-\udfff]"
)


@dataclass(frozen=True, slots=True)
class OfferFields:
    """What an offer (or an edit, with `partial=True`) said; `given` names the fields that were present.

    A field can be present and None: "Plätze: unbegrenzt" or "Link: -" explicitly remove a limit or link.
    """

    title: str | None = None
    starts_at: datetime | None = None  # aware, UTC
    duration: int | None = None
    format: Format | None = None
    link: str | None = None
    description: str | None = None  # plain text
    description_html: str | None = None  # sanitised HTML, or None when the sender sent no HTML
    seats: int | None = None
    wish: int | None = None  # the topic wish (W7) this session takes up
    # The people a `Co-Geber:in:` line names, as links and words for the platform to resolve (`Platform.person`);
    # empty with the field given: no co-givers (an edit removes them).
    cogivers: tuple[str, ...] = ()
    given: frozenset[str] = frozenset()  # canonical keys: title, when, duration, format, link, description, seats…


def _check_title(value: str, now: datetime, tz: ZoneInfo, problems: list[UserError]) -> str | None:
    title = " ".join(value.split())
    if not title:
        problems.append(missing("title"))
        return None
    if len(title) > TITLE_MAX:
        problems.append(UserError("offer.title_too_long", length=len(title), max=TITLE_MAX))
        return None
    return title


def _check_when(value: str, now: datetime, tz: ZoneInfo, problems: list[UserError]) -> Slot | None:
    value = without_hint(value)
    if not value:
        problems.append(missing("when"))
        return None
    try:
        slot = parse_slot(value, now, tz)
    except UserError as error:
        problems.append(error)
        return None
    starts_at = slot.starts_at
    if starts_at <= now:
        problems.append(UserError("offer.when_past", value=starts_at))
        return None
    if starts_at - now > MAX_AHEAD:
        problems.append(UserError("offer.when_too_far", value=starts_at))
        return None
    return slot


def _check_duration(value: str, now: datetime, tz: ZoneInfo, problems: list[UserError]) -> int | None:
    value = without_hint(value)
    if not value:
        problems.append(missing("duration"))
        return None
    minutes = _minutes(value.casefold())
    if minutes not in DURATIONS:
        problems.append(UserError("offer.bad_duration", value=shown(value)))
        return None
    return minutes


def _minutes(value: str) -> int | None:
    """Minutes from "60", "60 min", "90 Minuten", "1 h", "1,5 Std.", "1:30 h", "1h30"; None if not understood."""
    if match := _DURATION_HM.match(value):
        return int(match["h"]) * 60 + int(match["m"]) if int(match["m"]) < 60 else None
    match = _DURATION.match(value)
    if match is None:
        return None
    amount = Fraction(match["n"].replace(",", "."))
    if match["unit"] in _HOUR_UNITS:
        amount *= 60
    elif match["unit"] not in _MINUTE_UNITS:
        return None
    return int(amount) if amount.denominator == 1 else None


def _check_format(value: str, now: datetime, tz: ZoneInfo, problems: list[UserError]) -> Format | None:
    value = without_hint(value)
    if not value:
        problems.append(missing("format"))
        return None
    chosen = FORMAT_WORDS.get(" ".join(value.casefold().split()).strip(".!"))
    if chosen is None:
        problems.append(UserError("offer.bad_format", value=shown(value), formats=format_choices()))
    return chosen


def _check_link(value: str, now: datetime, tz: ZoneInfo, problems: list[UserError]) -> str | None:
    if wrapped := _URL_WRAPPED.match(value):
        value = wrapped["url"]
    value = trimmed_link(without_hint(value))
    if not value or value.casefold() in _NO_LINK:
        return None
    value = with_scheme(value)
    if not is_web_link(value):
        problems.append(UserError("offer.bad_link", value=shown(value)))
        return None
    return value


# What may stand around a link in a sentence and is not part of it, as linkifiers read it: sentence punctuation
# and closing quotes after it; brackets and quotes opened before it; a closing bracket only if the link did not
# open it ("https://de.wikipedia.org/wiki/Akte_(Verwaltung)" keeps its ")").
_OPENERS = "<([{\"'„“‚‘«»‹›"
_TRAILERS = ".,;:!?\"'“”‘’«»‹›"
_CLOSERS = {")": "(", "]": "[", "}": "{", ">": "<"}


def trimmed_link(text: str) -> str:
    """A link as written in a sentence, without what surrounds it: "(https://example.org/a)." → the link."""
    value = text.strip()
    while value and value[0] in _OPENERS:
        value = value[1:]
    while value:
        last = value[-1]
        if last in _TRAILERS or (last in _CLOSERS and value.count(last) > value.count(_CLOSERS[last])):
            value = value[:-1]
        else:
            break
    return value


def with_scheme(value: str) -> str:
    """ "www.example.org/x" as people copy it from a browser's address bar means https://www.example.org/x."""
    return "https://" + value if value[:4].casefold() == "www." else value


def is_web_link(value: str) -> bool:
    """http(s) with a plausible host; no spaces, quotes or brackets; no "user@" in front of the host."""
    if _URL_FORBIDDEN.search(value) or len(value) > 2000:
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        return False
    host = parts.netloc.rpartition(":")[0] if parts.port is not None else parts.netloc
    return (
        parts.scheme.lower() in ("http", "https")
        and value.lower().startswith(("http://", "https://"))
        and "@" not in parts.netloc
        and bool(host)
        and _HOST.match(host) is not None
    )


def _check_seats(value: str, now: datetime, tz: ZoneInfo, problems: list[UserError]) -> int | None:
    value = without_hint(value)
    folded = " ".join(value.casefold().split())
    if not folded or folded in _UNLIMITED:
        return None
    match = _SEATS.match(folded)
    seats = int(match["n"]) if match else 0
    if not 1 <= seats <= SEATS_MAX:
        problems.append(UserError("offer.bad_seats", value=shown(value), max=SEATS_MAX))
        return None
    return seats


def _check_wish(value: str, now: datetime, tz: ZoneInfo, problems: list[UserError]) -> int | None:
    value = without_hint(value)
    if " ".join(value.casefold().split()) in _NO_WISH:
        return None
    try:
        return wish_number(value)
    except UserError as error:
        problems.append(error)
        return None


def check_description(value: str, problems: list[UserError]) -> str | None:
    """The description is read apart from the other fields (it spans lines), but checked the same way."""
    text = without_template_hint(strip_hidden(value, DESCRIPTION_HIDDEN))
    text = "\n".join(line.rstrip() for line in text.splitlines()).strip()
    if len(text) > DESCRIPTION_MAX:
        problems.append(UserError("offer.description_too_long", length=len(text), max=DESCRIPTION_MAX))
        return None
    return text or None


def _check_cogivers(value: str, now: datetime, tz: ZoneInfo, problems: list[UserError]) -> str:
    """The line as written: whom it names is read with the HTML (`people.cogiver_refs`), and decided by the core."""
    return value


CHECKS: dict[str, Callable[[str, datetime, ZoneInfo, list[UserError]], object]] = {
    "title": _check_title,
    "when": _check_when,
    "duration": _check_duration,
    "format": _check_format,
    "link": _check_link,
    "seats": _check_seats,
    "wish": _check_wish,
    "cogivers": _check_cogivers,
}


def missing(field: str) -> UserError:
    """A missing format names the choices at once, so the next try can succeed."""
    if field == "format":
        return UserError("offer.missing_format", formats=format_choices())
    return UserError(f"offer.missing_{field}")


def format_choices() -> tuple[Msg, ...]:
    """Every format as "impuls/talk (Impuls)", rendered in the reader's language."""
    choices = []
    for fmt in Format:
        words = dict.fromkeys(FORMAT_KEYWORD[language][fmt] for language in ("de", "en"))
        choices.append(Msg.of("offer.format_choice", words="/".join(words), name=Msg.of(f"format.{fmt.value}.name")))
    return tuple(choices)
