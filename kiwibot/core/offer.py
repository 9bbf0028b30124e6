"""Reading an offer ("!anbieten" + `Feld: Wert` lines) into checked fields, and sanitising user HTML.

People write offers by hand, in German or English, often by editing the template. The parser is
lenient where the meaning is clear ("60 min", "1,5 h", "**Titel:**", "Link: folgt") and strict
where a guess could publish something wrong. It never stops at the first mistake: every problem
found is collected and raised together as one `UserError("offer.invalid", problems=...)`, so the
reply names all of them at once.

The description may run over several lines and may stand anywhere: after "Beschreibung:" every line
belongs to it except a known `Feld: Wert` line ("Link: …", "Plätze: 5"), which is read as that field
("Ziel: …" stays in the description). If the sender's client also sent HTML, the formatted description
is cut from it, the field lines are cut out of it as well, and it is sanitised with a small allowlist.

The template (`offer_template`) comes from the catalogue; sent back with its example title or
description still in place it is refused, and a code fence around a pasted template or the command
word pasted again are ignored.

Pure: no chat platform, no storage, no I/O.
"""

from __future__ import annotations

import html as htmllib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction
from functools import cache
from typing import TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import nh3

from kiwibot.core.dates import Slot, parse_slot
from kiwibot.core.errors import UserError
from kiwibot.core.messages import Code, Msg
from kiwibot.core.model import DURATIONS, FORMAT_KEYWORD, FORMAT_WORDS, MAX_AHEAD, Format
from kiwibot.core.text import emoji_part, strip_hidden
from kiwibot.i18n import LANGUAGES, template

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

# Invisible characters that have no business in a description: control characters but newline and tab,
# bidi overrides and marks, zero-width space and joiner, BOM, tag characters, lone surrogates. A ZWJ inside
# an emoji (👩‍💻) and the tags of a subdivision flag stay (`strip_hidden`).
_DESCRIPTION_HIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u200b\u200d\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069"
    "\ufeff\U000e0000-\U000e007f\ud800-\udfff]"
)
# A code fence line, as a pasted template may be wrapped in ("```", "```text", "~~~").
_FENCE = re.compile(r"^(?:```+|~~~+)[\w+-]*$")


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
    written: dict[str, str] = {}  # canonical field -> the key as the sender first wrote it
    lines, fenced = _unwrapped(unicodedata.normalize("NFC", text).splitlines(), partial)
    in_stray_text = False  # one problem per run of lines that are no `Feld: Wert`, not one per line
    description: list[str] | None = None  # the description's lines, once "Beschreibung:" was read
    in_description = False  # after "Beschreibung" (with or without colon) only field lines are fields
    after_cut = False  # a field line was just cut out of the description

    for raw in lines:
        line = _single_line(raw)
        match = _LINE.match(line) if line else None
        field = _ALIASES.get(_key_form(match["key"])) if match else None
        if in_description and field is None:
            # Description text; a blank line left doubled by a cut-out field line is dropped.
            if description is not None and not (line == "" and after_cut and not description[-1].strip()):
                description.append(raw)
                after_cut = after_cut and not line
            continue
        if not line:
            continue
        if match is None:
            problem = _line_problem(line)
            if problem.key != "offer.not_a_field" or not in_stray_text:
                problems.append(problem)
            in_stray_text = problem.key == "offer.not_a_field"
            in_description = in_description or _missing_colon_description(line)  # its lines are no problems
            continue
        in_stray_text = False
        if field is None:
            problems.append(UserError("offer.unknown_field", field=_shown(match["key"])))
            continue
        if field in written:
            if in_description:
                after_cut = True
                problems.append(
                    UserError(
                        "offer.duplicate_after_description",
                        line=_shown(line),
                        field=_shown(written[field]),
                        name=_shown(match["key"]),
                    )
                )
            else:
                problems.append(UserError("offer.duplicate", field=_shown(match["key"])))
            continue
        written[field] = match["key"]
        if field == "description":
            description = [_strip_markers(raw.split(":", 1)[1], match["pre"], match["mid"])]
            in_description, after_cut = True, False
            continue
        after_cut = True
        value = _strip_markers(match["value"], match["pre"], match["mid"]).strip()
        values[field] = _CHECKS[field](value, now, tz, problems)

    if description is not None:
        values["description"] = _check_description("\n".join(description), problems)
    unfilled = [written[field] for field in ("title", "description") if _is_placeholder(field, values.get(field))]
    if unfilled:
        problems.append(UserError("offer.template_unfilled", fields=tuple(_shown(key) for key in unfilled)))
    when = values.get("when")
    if isinstance(when, Slot) and when.minutes is not None:  # "Termin: 3.12. 14-15 Uhr" gives the duration
        if "duration" not in written:
            values["duration"] = when.minutes
            written["duration"] = "Termin"
        elif values["duration"] not in (None, when.minutes):
            problems.append(UserError("offer.duration_conflict", minutes=when.minutes, duration=values["duration"]))
    if not partial:
        problems += [_missing(field) for field in _REQUIRED if field not in written]
    elif not written and not problems:
        problems.append(UserError("offer.nothing_to_change"))
    if problems:
        raise UserError("offer.invalid", problems=tuple(problems))

    plain_description = values.get("description")
    description_html = None
    if html and isinstance(plain_description, str) and not fenced:  # a fenced offer's HTML is one code block
        description_html = _description_html(html)
    return OfferFields(
        title=_as(values.get("title"), str),
        starts_at=when.starts_at if isinstance(when, Slot) else None,
        duration=_as(values.get("duration"), int),
        format=_as(values.get("format"), Format),
        link=_as(values.get("link"), str),
        description=_as(plain_description, str),
        description_html=description_html,
        seats=_as(values.get("seats"), int),
        given=frozenset(written),
    )


def _unwrapped(lines: list[str], partial: bool) -> tuple[list[str], bool]:
    """The lines without what pasting the template brings along; True if a code fence was around them.

    Before the first field a code fence and (for a new offer) the command word again ("!anbieten") are
    dropped; a fence at the end goes too when one opened the offer or it closes nothing.
    """
    start, fenced = 0, False
    while start < len(lines):
        line = _single_line(lines[start])
        if _FENCE.match(line):
            fenced = True
        elif line and (partial or not _is_offer_command(line)):
            break
        start += 1
    end = len(lines)
    while end > start and not _single_line(lines[end - 1]):
        end -= 1
    fences = sum(1 for line in lines[start:end] if _FENCE.match(_single_line(line)))
    if end > start and _FENCE.match(_single_line(lines[end - 1])) and (fenced or fences % 2):
        end -= 1
        fenced = True
    return lines[start:end], fenced


def _is_offer_command(line: str) -> bool:
    """The command word again ("!anbieten", "!offer", any prefix of up to three signs), as atop the template."""
    match = re.fullmatch(r"[^\w\s]{1,3}(?P<word>\w+)", line)
    return match is not None and match["word"].casefold() in _COMMAND_WORDS.values()


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
    text = _without_template_hint(strip_hidden(value, _DESCRIPTION_HIDDEN))
    text = "\n".join(line.rstrip() for line in text.splitlines()).strip()
    if len(text) > DESCRIPTION_MAX:
        problems.append(UserError("offer.description_too_long", length=len(text), max=DESCRIPTION_MAX))
        return None
    return text or None


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
    """A line without control and zero-width characters (but inside emoji); tabs and odd spaces become one space."""
    kept = []
    for index, ch in enumerate(raw):
        if ch.isspace():
            kept.append(" ")
        elif unicodedata.category(ch) not in ("Cc", "Cf", "Cs") or emoji_part(raw, index):
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

# The command word at the top of the template, as the commands declare it (`commands/builtin.py`).
_COMMAND_WORDS: dict[str, str] = {"de": "anbieten", "en": "offer"}
# The template's lines, in order; their text is in the catalogue as "offer.template.<part>".
_TEMPLATE_PARTS: tuple[str, ...] = FIELDS
# The fields whose template text is only an example to replace, not a value to keep.
_PLACEHOLDER_FIELDS: tuple[str, ...] = ("title", "description")


def offer_template(language: str, prefix: str, now: datetime, tz: ZoneInfo) -> str:
    """The text to copy for a new offer, in `language`'s field names, from the catalogue.

    The example date is one week from today at 14:00 ("3.12. 14:00"); the format line lists all formats.
    Title and description are placeholders: sent back unchanged they are refused ("offer.template_unfilled").
    """
    words = list(FORMAT_KEYWORD.get(language, FORMAT_KEYWORD["de"]).values())
    day = now.astimezone(tz).date() + timedelta(days=7)
    values = {
        "when": f"{day.day}.{day.month}. 14:00",
        "first": words[0],
        "formats": f"{', '.join(words[:-1])} {template(language, 'offer.template.or')} {words[-1]}",
    }
    command = _COMMAND_WORDS.get(language, _COMMAND_WORDS["de"])
    lines = [template(language, f"offer.template.{part}").format(**values) for part in _TEMPLATE_PARTS]
    return "\n".join([f"{prefix}{command}", *lines])


@cache
def _template_values(field: str) -> tuple[tuple[str, str], ...]:
    """(text, hint) of `field`'s template line in every language: "Titel deiner Session", ""."""
    found = []
    for language in LANGUAGES:
        match = _LINE.match(template(language, f"offer.template.{field}"))
        if match is None:
            raise ValueError(f"the {language} template line for {field} is no `Feld: Wert` line")
        value = match["value"].strip()
        hint = _HINT.search(value)
        found.append((_without_hint(value), hint.group().strip() if hint else ""))
    return tuple(found)


def _placeholder_form(text: str) -> str:
    return " ".join(text.casefold().split()).strip(" .…*_\"'„“”‚‘’«»")


def _is_placeholder(field: str, value: object) -> bool:
    """Whether a title is the template's example title, or a description still holds the template's questions."""
    if field not in _PLACEHOLDER_FIELDS or not isinstance(value, str):
        return False
    given = _placeholder_form(value)
    for example, _hint in _template_values(field):
        example = _placeholder_form(example)
        if given == example or (field == "description" and example in given):
            return True
    return False


def _without_template_hint(description: str) -> str:
    """The template says its hints in brackets may stay; the description's hint is not published."""
    for _example, hint in _template_values("description"):
        if hint:
            description = description.replace(hint, "")
    return description


# -- HTML -------------------------------------------------------------------------------------

_ALLOWED_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "s", "del", "code", "pre", "p", "br", "ul", "ol", "li", "blockquote", "a"}
)
# Removed together with their content (everything else not allowed is unwrapped, its text kept).
_DROP_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "noscript", "template", "textarea", "title", "mx-reply"}
)
_HREFLESS_A = re.compile(r'<a(?: rel="noopener noreferrer")?>(.*?)</a>', re.S)
_EMPTY_P = re.compile(r"<p>(?:\s|<br>)*</p>")
_EDGE = r"(?:\s|<br>|&nbsp;)+"
_LEADING_EDGE = re.compile("^" + _EDGE)
_TRAILING_EDGE = re.compile(_EDGE + "$")


def _no_link_refused(url: str) -> bool:
    return False


def sanitize_html(html: str, refuse_link: Callable[[str], bool] = _no_link_refused) -> str:
    """User HTML reduced to simple text formatting and plain http(s) links; safe to send again as is.

    `refuse_link` names links that must lose their target though they are web links: those the platform
    shows as mentions (`Platform.is_mention_link`). Idempotent: sanitising the result again with the same
    rule changes nothing (the renderer does exactly that).
    """

    def keep_attribute(element: str, attribute: str, value: str) -> str | None:
        if element == "a" and attribute == "href" and refuse_link(value):
            return None
        return value

    cleaned = nh3.clean(
        html,
        tags=set(_ALLOWED_TAGS),
        clean_content_tags=set(_DROP_WITH_CONTENT),
        attributes={"a": {"href"}},
        attribute_filter=keep_attribute,
        url_schemes={"http", "https"},
        url_relative="deny",
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    # An <a> whose href was refused (a mention, javascript:, relative) keeps only its text.
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
    """Reopen the tags still open at the cut (minus those closed right after the colon), then sanitise
    and cut out the field lines the plain text read as fields."""
    open_tags = list(stack)
    key_line_has_text = True  # False when the description starts on the line after the key
    while (match := _AFTER_COLON.match(rest)) and match.group(0):
        piece, name = match.group(0), (match["name"] or "").lower()
        if name:
            _close(open_tags, name)
        if "\n" in piece or piece.lower().startswith("<br") or name in _LINE_TAGS:
            key_line_has_text = False
        rest = rest[match.end() :]
    cleaned = sanitize_html("".join(tag for _, tag in open_tags) + rest)
    if len(cleaned) > _HTML_TEXT_MAX:
        return None
    cleaned = strip_hidden(_without_field_lines(cleaned, key_line_has_text), _DESCRIPTION_HIDDEN)
    for _example, hint in _template_values("description"):
        if hint:
            cleaned = cleaned.replace(htmllib.escape(hint, quote=False), "")
    cleaned = sanitize_html(cleaned)
    text = htmllib.unescape(re.sub(r"<[^>]*>", "", cleaned)).strip()
    if not text or len(text) > DESCRIPTION_MAX:
        return None
    return cleaned


# Sanitised HTML in pieces: a line break (with the newline after it), a block tag, another tag, text, and
# anything else (a stray "<") kept as it is.
_HTML_PIECE = re.compile(
    r"(?P<br><br>[ \t]*\n?|\n)|(?P<block></?(?:p|ul|ol|li|blockquote|pre)\b[^>]*>)|(?P<tag><[^>]*>)"
    r"|(?P<text>[^<\n]+)|(?P<other>.)",
    re.S,
)
_EMPTY_ELEMENT = re.compile(
    r"<(?P<name>b|strong|i|em|u|s|del|code|a|li|ul|ol|blockquote|pre|p)\b[^>]*>(?:\s|<br>)*</(?P=name)>"
)


def _without_field_lines(html: str, skip_first: bool) -> str:
    """Sanitised description HTML without the lines that are known `Feld: Wert` lines (with their break).

    `skip_first`: the first line with text is the rest of the "Beschreibung:" line and always stays,
    as in the plain text. Tags are kept (elements left empty are removed), so the HTML stays balanced.
    """
    pieces = [(match.lastgroup or "text", match.group()) for match in _HTML_PIECE.finditer(html)]
    lines: list[list[int]] = [[]]  # the pieces (text and inline tags) of each line
    breaks: list[int | None] = [None]  # the piece that starts each line
    for index, (kind, _) in enumerate(pieces):
        if kind in ("br", "block"):
            lines.append([])
            breaks.append(index)
        else:
            lines[-1].append(index)
    drop: set[int] = set()
    for number, members in enumerate(lines):
        text = htmllib.unescape("".join(pieces[i][1] for i in members if pieces[i][0] == "text"))
        if not text.strip():
            continue
        if skip_first:
            skip_first = False
            continue
        if not _is_field_line(_single_line(text)):
            continue
        drop.update(i for i in members if pieces[i][0] == "text")
        before = breaks[number]
        after = breaks[number + 1] if number + 1 < len(lines) else None
        if before is not None and pieces[before][0] == "br" and before not in drop:
            drop.add(before)
        elif after is not None and pieces[after][0] == "br":
            drop.add(after)
    kept = "".join(piece for index, (_, piece) in enumerate(pieces) if index not in drop)
    while (emptied := _EMPTY_ELEMENT.sub("", kept)) != kept:
        kept = emptied
    return kept


def _is_field_line(line: str) -> bool:
    """A `Feld: Wert` line with a known field name ("Link: …"); "Ziel: …" is none."""
    match = _LINE.match(line)
    return match is not None and _key_form(match["key"]) in _ALIASES
