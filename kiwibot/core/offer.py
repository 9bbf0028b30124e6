"""Reading an offer ("!anbieten" + `Feld: Wert` lines) into checked fields, and sanitising user HTML.

People write offers by hand, in German or English, often by editing the template. The parser is
lenient where the meaning is clear ("60 min", "1,5 h", "**Titel:**", "Link: folgt") and strict
where a guess could publish something wrong. It never stops at the first mistake: every problem
found is collected and raised together as one `UserError("offer.invalid", problems=...)`, so the
reply names all of them at once.

The description is always last and runs to the end of the message. If the sender's client also
sent HTML, the formatted description is cut from it and sanitised with a small allowlist.

Pure: no Matrix, no storage, no I/O.
"""

from __future__ import annotations

import html as htmllib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction
from typing import TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import nh3

from kiwibot.core.dates import Slot, parse_slot
from kiwibot.core.errors import UserError
from kiwibot.core.messages import Code, Msg
from kiwibot.core.model import DURATIONS, FORMAT_KEYWORD, FORMAT_WORDS, Format

__all__ = [
    "DESCRIPTION_MAX",
    "FIELDS",
    "MAX_AHEAD",
    "SEATS_MAX",
    "TITLE_MAX",
    "OfferFields",
    "format_choices",
    "offer_template",
    "parse_offer",
    "sanitize_html",
]

_T = TypeVar("_T")

TITLE_MAX = 200
DESCRIPTION_MAX = 4000
SEATS_MAX = 10_000
MAX_AHEAD = timedelta(days=365)

# Canonical field names, in the order of the template.
FIELDS: tuple[str, ...] = ("title", "when", "duration", "format", "link", "seats", "description")
_REQUIRED: tuple[str, ...] = ("title", "when", "duration", "format")

# What people may write before the colon, after `_key_form` (case folded, umlauts spelled out,
# spaces and hyphens removed). German and English; a few common variants.
_ALIASES: dict[str, str] = {
    "titel": "title",
    "title": "title",
    "termin": "when",
    "when": "when",
    "wann": "when",
    "datum": "when",
    "date": "when",
    "zeit": "when",
    "time": "when",
    "dauer": "duration",
    "duration": "duration",
    "format": "format",
    "link": "link",
    "videolink": "link",
    "url": "link",
    "beschreibung": "description",
    "description": "description",
    "plaetze": "seats",
    "platze": "seats",
    "platz": "seats",
    "seats": "seats",
    "teilnehmerzahl": "seats",
    "teilnehmendenzahl": "seats",
}

# A user value shown back in an error is cut to this length.
_SHOWN_MAX = 80

# `Feld: Wert`, also as "**Titel:** …", "- Titel: …"; the key is one to three words without digits
# in front. "https://…" is no key (the colon must not start "//").
_WORD = r"[^\W\d_][^\W_]*"
_LINE = re.compile(
    rf"^(?:[-•]\s+)?(?P<pre>\*\*|__|\*|_)?(?P<key>{_WORD}(?:[ -]{_WORD}){{0,2}})(?P<mid>\*\*|__|\*|_)?"
    r"\s*:(?!//)\s*(?P<value>.*)$",
    re.S,
)
_FIRST_WORD = re.compile(
    rf"^(?:[-•]\s+)?[*_]{{0,2}}(?P<key>{_WORD})[*_]{{0,2}}"  # a field name, maybe bold, maybe a bullet
    r"(?:(?:\s+|\s*[-=–]\s*)(?P<rest>\S.*))?$"  # then a space, dash or "=" instead of the colon
)
# A trailing explanation in parentheses ("60 (30, 60 oder 90 Minuten)"), as the template has them.
_HINT = re.compile(r"(?:^|\s+)\([^()]*\)\s*$")

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
_URL_WRAPPED = re.compile(r"^[<(\[](?P<url>https?://\S+)[>)\]]$", re.I)
_HOST = re.compile(r"^(?:[\w-]+\.)*[\w-]+$|^\[[0-9a-f:.]+\]$", re.I)
_URL_FORBIDDEN = re.compile(r"[\s<>\"'`\\]")

# Invisible characters that have no business in a description (bidi overrides, zero-width space, BOM).
_DESCRIPTION_INVISIBLE = frozenset(
    "\u00ad\u200b\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
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
    given: frozenset[str] = frozenset()  # canonical keys: title, when, duration, format, link, description, seats


# -- parsing ----------------------------------------------------------------------------------


def parse_offer(text: str, html: str | None, now: datetime, tz: ZoneInfo, *, partial: bool = False) -> OfferFields:
    """Read the lines after the command word into checked fields.

    `html` is the sender's whole `formatted_body` (command word included) or None. With `partial=True`
    (an edit) missing fields are fine, but at least one field must be there. Every problem found is
    raised together: `UserError("offer.invalid", problems=(UserError(...), ...))`.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    problems: list[UserError] = []
    values: dict[str, object] = {}
    written: set[str] = set()
    lines = unicodedata.normalize("NFC", text).splitlines()
    in_stray_text = False  # one problem per run of lines that are no `Feld: Wert`, not one per line

    for index, raw in enumerate(lines):
        line = _single_line(raw)
        if not line:
            continue
        match = _LINE.match(line)
        if match is None:
            problem = _line_problem(line)
            if problem.key != "offer.not_a_field" or not in_stray_text:
                problems.append(problem)
            in_stray_text = problem.key == "offer.not_a_field"
            if _missing_colon_description(line):
                break  # the rest is meant as description; its lines are no separate problems
            continue
        in_stray_text = False
        key = match["key"]
        field = _ALIASES.get(_key_form(key))
        if field is None:
            problems.append(UserError("offer.unknown_field", field=_shown(key)))
            continue
        if field in written:
            problems.append(UserError("offer.duplicate", field=_shown(key)))
            continue
        written.add(field)
        if field == "description":
            first = _strip_markers(raw.split(":", 1)[1], match["pre"], match["mid"])
            values[field] = _check_description("\n".join([first, *lines[index + 1 :]]), problems)
            break
        value = _strip_markers(match["value"], match["pre"], match["mid"]).strip()
        values[field] = _CHECKS[field](value, now, tz, problems)

    when = values.get("when")
    if isinstance(when, Slot) and when.minutes is not None:  # "Termin: 3.12. 14-15 Uhr" gives the duration
        if "duration" not in written:
            values["duration"] = when.minutes
            written.add("duration")
        elif values["duration"] not in (None, when.minutes):
            problems.append(UserError("offer.duration_conflict", minutes=when.minutes, duration=values["duration"]))
    if not partial:
        problems += [_missing(field) for field in _REQUIRED if field not in written]
    elif not written and not problems:
        problems.append(UserError("offer.nothing_to_change"))
    if problems:
        raise UserError("offer.invalid", problems=tuple(problems))

    description = values.get("description")
    description_html = None
    if html and isinstance(description, str):
        description_html = _description_html(html)
    return OfferFields(
        title=_as(values.get("title"), str),
        starts_at=when.starts_at if isinstance(when, Slot) else None,
        duration=_as(values.get("duration"), int),
        format=_as(values.get("format"), Format),
        link=_as(values.get("link"), str),
        description=_as(description, str),
        description_html=description_html,
        seats=_as(values.get("seats"), int),
        given=frozenset(written),
    )


def _as(value: object, kind: type[_T]) -> _T | None:
    return value if isinstance(value, kind) else None


def _check_title(value: str, now: datetime, tz: ZoneInfo, problems: list[UserError]) -> str | None:
    title = " ".join(value.split())
    if not title:
        problems.append(_missing("title"))
        return None
    if len(title) > TITLE_MAX:
        problems.append(UserError("offer.title_too_long", length=len(title), max=TITLE_MAX))
        return None
    return title


def _check_when(value: str, now: datetime, tz: ZoneInfo, problems: list[UserError]) -> Slot | None:
    value = _without_hint(value)
    if not value:
        problems.append(_missing("when"))
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
    value = _without_hint(value)
    if not value:
        problems.append(_missing("duration"))
        return None
    minutes = _minutes(value.casefold())
    if minutes not in DURATIONS:
        problems.append(UserError("offer.bad_duration", value=_shown(value)))
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
    value = _without_hint(value)
    if not value:
        problems.append(_missing("format"))
        return None
    chosen = FORMAT_WORDS.get(" ".join(value.casefold().split()).strip(".!"))
    if chosen is None:
        problems.append(UserError("offer.bad_format", value=_shown(value), formats=format_choices()))
    return chosen


def _check_link(value: str, now: datetime, tz: ZoneInfo, problems: list[UserError]) -> str | None:
    if wrapped := _URL_WRAPPED.match(value):
        value = wrapped["url"]
    value = _without_hint(value)
    if not value or value.casefold() in _NO_LINK:
        return None
    if not _is_web_link(value):
        problems.append(UserError("offer.bad_link", value=_shown(value)))
        return None
    return value


def _is_web_link(value: str) -> bool:
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
    value = _without_hint(value)
    folded = " ".join(value.casefold().split())
    if not folded or folded in _UNLIMITED:
        return None
    match = _SEATS.match(folded)
    seats = int(match["n"]) if match else 0
    if not 1 <= seats <= SEATS_MAX:
        problems.append(UserError("offer.bad_seats", value=_shown(value), max=SEATS_MAX))
        return None
    return seats


def _check_description(value: str, problems: list[UserError]) -> str | None:
    text = "".join(ch for ch in value if _visible_in_description(ch))
    text = "\n".join(line.rstrip() for line in text.splitlines()).strip()
    if len(text) > DESCRIPTION_MAX:
        problems.append(UserError("offer.description_too_long", length=len(text), max=DESCRIPTION_MAX))
        return None
    return text or None


def _visible_in_description(ch: str) -> bool:
    if ch in "\n\t":
        return True
    return ch not in _DESCRIPTION_INVISIBLE and unicodedata.category(ch) not in ("Cc", "Cs")


_CHECKS: dict[str, Callable[[str, datetime, ZoneInfo, list[UserError]], object]] = {
    "title": _check_title,
    "when": _check_when,
    "duration": _check_duration,
    "format": _check_format,
    "link": _check_link,
    "seats": _check_seats,
}


def _missing(field: str) -> UserError:
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


def _line_problem(line: str) -> UserError:
    """A line that is no `Feld: Wert`: if it starts with a field name, say that the colon is missing."""
    match = _FIRST_WORD.match(line)
    if match and _key_form(match["key"]) in _ALIASES:
        example = f"{match['key']}: {match['rest'] or ''}".strip()
        return UserError("offer.missing_colon", line=_shown(line), example=Code(_shown(example)))
    return UserError("offer.not_a_field", line=_shown(line))


def _missing_colon_description(line: str) -> bool:
    match = _FIRST_WORD.match(line)
    word = match["key"] if match else line.strip(" *_-•")
    return _ALIASES.get(_key_form(word)) == "description"


def _single_line(raw: str) -> str:
    """A line without control and zero-width characters; tabs and odd spaces become one space."""
    kept = []
    for ch in raw:
        if ch.isspace():
            kept.append(" ")
        elif unicodedata.category(ch) not in ("Cc", "Cf", "Cs"):
            kept.append(ch)
    return " ".join("".join(kept).split())


def _key_form(key: str) -> str:
    folded = key.casefold()
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        folded = folded.replace(umlaut, spelled)
    return re.sub(r"[\s\-.]", "", folded)


def _strip_markers(value: str, pre: str | None, mid: str | None) -> str:
    """In "**Titel:** X" the closing bold marker sits after the colon: drop it from the value."""
    value = value.lstrip()
    if pre and not mid and value.startswith(pre):
        value = value[len(pre) :]
    return value


def _without_hint(value: str) -> str:
    return _HINT.sub("", value).strip()


def _shown(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= _SHOWN_MAX else value[: _SHOWN_MAX - 1].rstrip() + "…"


# -- the template -----------------------------------------------------------------------------

_TEMPLATE_TEXT: dict[str, dict[str, str]] = {
    "de": {
        "command": "anbieten",
        "title": "Titel: Titel deiner Session",
        "when": "Termin: {when}",
        "duration": "Dauer: 60 (30, 60 oder 90 Minuten)",
        "format": "Format: {first} ({formats})",
        "or": "oder",
        "link": "Link: (freiwillig: Link zum Videoraum, https://…)",
        "seats": "Plätze: unbegrenzt (oder eine Zahl, z. B. 20)",
        "description": (
            "Beschreibung: Worum geht es? Für wen ist die Session gedacht? "
            "Was sollten die Teilnehmenden mitbringen? (Gern über mehrere Zeilen.)"
        ),
    },
    "en": {
        "command": "offer",
        "title": "Title: Title of your session",
        "when": "When: {when}",
        "duration": "Duration: 60 (30, 60 or 90 minutes)",
        "format": "Format: {first} ({formats})",
        "or": "or",
        "link": "Link: (optional: link to the video room, https://…)",
        "seats": "Seats: unlimited (or a number, e.g. 20)",
        "description": (
            "Description: What is it about? Who is it for? What should participants bring? (Several lines are fine.)"
        ),
    },
}


def offer_template(language: str, prefix: str, now: datetime, tz: ZoneInfo) -> str:
    """The text to copy for a new offer, in `language`'s field names; it parses as a valid offer.

    The example date is one week from today at 14:00 ("3.12. 14:00"); the format line lists all formats.
    """
    text = _TEMPLATE_TEXT.get(language, _TEMPLATE_TEXT["de"])
    words = list(FORMAT_KEYWORD.get(language, FORMAT_KEYWORD["de"]).values())
    day = now.astimezone(tz).date() + timedelta(days=7)
    formats = f"{', '.join(words[:-1])} {text['or']} {words[-1]}"
    return "\n".join(
        [
            f"{prefix}{text['command']}",
            text["title"],
            text["when"].format(when=f"{day.day}.{day.month}. 14:00"),
            text["duration"],
            text["format"].format(first=words[0], formats=formats),
            text["link"],
            text["seats"],
            text["description"],
        ]
    )


# -- HTML -------------------------------------------------------------------------------------

_ALLOWED_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "s", "del", "code", "pre", "p", "br", "ul", "ol", "li", "blockquote", "a"}
)
# Removed together with their content (everything else not allowed is unwrapped, its text kept).
_DROP_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "noscript", "template", "textarea", "title", "mx-reply"}
)
# Links to Matrix users, rooms and events become pills in clients: user text must never make them.
_PILL = re.compile(r"^\s*https?://(?:www\.)?matrix\.to/#/(?:@|!|#|\+|%40|%21|%23|%2b)", re.I)
_HREFLESS_A = re.compile(r'<a(?: rel="noopener noreferrer")?>(.*?)</a>', re.S)
_EMPTY_P = re.compile(r"<p>(?:\s|<br>)*</p>")
_EDGE = r"(?:\s|<br>|&nbsp;)+"
_LEADING_EDGE = re.compile("^" + _EDGE)
_TRAILING_EDGE = re.compile(_EDGE + "$")


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    if element == "a" and attribute == "href" and _PILL.match(value):
        return None
    return value


def sanitize_html(html: str) -> str:
    """User HTML reduced to simple text formatting and plain http(s) links; safe to send again as is.

    Idempotent: sanitising the result again changes nothing (the renderer does exactly that).
    """
    cleaned = nh3.clean(
        html,
        tags=set(_ALLOWED_TAGS),
        clean_content_tags=set(_DROP_WITH_CONTENT),
        attributes={"a": {"href"}},
        attribute_filter=_keep_attribute,
        url_schemes={"http", "https"},
        url_relative="deny",
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    # An <a> whose href was refused (pill, javascript:, relative) keeps only its text.
    cleaned = _HREFLESS_A.sub(r"\1", cleaned)
    cleaned = _EMPTY_P.sub("", cleaned)
    cleaned = _LEADING_EDGE.sub("", cleaned)
    return _TRAILING_EDGE.sub("", cleaned)


_MX_REPLY = re.compile(r"<mx-reply\b.*?</mx-reply\s*>", re.I | re.S)
_HTML_TOKEN = re.compile(
    r"<!--.*?(?:-->|$)"
    r"|<(?P<close>/?)(?P<name>[a-zA-Z][a-zA-Z0-9:-]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>"
    r"|[^<]+|<",
    re.S,
)
# Tags that start a new line as far as finding "Beschreibung:" at a line start is concerned.
_LINE_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "blockquote", "pre", "hr", "table", "tr", "td", "th", "dl", "dt", "dd"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "section", "details", "summary"}
)
_VOID_TAGS = frozenset({"br", "hr", "img", "wbr", "input", "meta", "link", "source", "area", "col", "embed"})
_AFTER_COLON = re.compile(r"\s+|<br\s*/?>|</(?P<name>[a-zA-Z][a-zA-Z0-9:-]*)\s*>", re.I)
_KEY_DECORATION = re.compile(r"^\s*(?:![^\s:]+\s+)?(?:[-*•]\s+)?[*_]*|[\s*_]+$")
_DESCRIPTION_KEYS = frozenset(key for key, field in _ALIASES.items() if field == "description")
_HTML_TEXT_MAX = 5 * DESCRIPTION_MAX


def _description_html(html: str) -> str | None:
    """The formatted description: everything after the first "Beschreibung:" at a line start, sanitised.

    Tags that are open at the key (the paragraph, a quote, bold around the whole text) are opened
    again in front of the cut, so the fragment keeps its shape. None if the key is not found or the
    HTML holds far more text than a description may (then it does not match the plain text anyway).
    """
    html = _MX_REPLY.sub("", html)
    stack: list[tuple[str, str]] = []  # open allowed tags since the start: (name, the tag as written)
    line, looking = "", True  # text since the line started; False once the line cannot start with the key
    for token in _HTML_TOKEN.finditer(html):
        if token.group(0).startswith("<!--"):
            continue
        name = token["name"]
        if name:
            name = name.lower()
            if name in _LINE_TAGS:
                line, looking = "", True
            if token["close"]:
                _close(stack, name)
            elif name in _ALLOWED_TAGS and name not in _VOID_TAGS and not token.group(0).endswith("/>"):
                stack.append((name, token.group(0)))
            continue
        offset = token.start()
        for number, segment in enumerate(token.group(0).split("\n")):
            if number:
                line, looking = "", True
            if looking:
                colon = segment.find(":")
                if colon < 0:
                    line += htmllib.unescape(segment)
                    looking = len(line) < 60
                elif _is_description_key(line + htmllib.unescape(segment[:colon])):
                    return _fragment(stack, html[offset + colon + 1 :])
                else:
                    looking = False
            offset += len(segment) + 1
    return None


def _close(stack: list[tuple[str, str]], name: str) -> None:
    for index in range(len(stack) - 1, -1, -1):
        if stack[index][0] == name:
            del stack[index:]
            return


def _is_description_key(text: str) -> bool:
    return _key_form(_KEY_DECORATION.sub("", text)) in _DESCRIPTION_KEYS


def _fragment(stack: list[tuple[str, str]], rest: str) -> str | None:
    """Reopen the tags still open at the cut (minus those closed right after the colon), then sanitise."""
    open_tags = list(stack)
    while (match := _AFTER_COLON.match(rest)) and match.group(0):
        if match["name"]:
            _close(open_tags, match["name"].lower())
        rest = rest[match.end() :]
    cleaned = sanitize_html("".join(tag for _, tag in open_tags) + rest)
    text = htmllib.unescape(re.sub(r"<[^>]*>", "", cleaned)).strip()
    if not text or len(text) > DESCRIPTION_MAX or len(cleaned) > _HTML_TEXT_MAX:
        return None
    return cleaned
