"""`parse_offer`: the lines after the command word read in order into checked fields, every problem collected."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from kiwibot.core.dates import Slot
from kiwibot.core.errors import UserError
from kiwibot.core.model import Format
from kiwibot.core.offer.fields import CHECKS, REQUIRED, OfferFields, check_description, missing
from kiwibot.core.offer.html import formatted_description
from kiwibot.core.offer.inline import split_inline
from kiwibot.core.offer.people import cogiver_refs
from kiwibot.core.offer.syntax import (
    ALIASES,
    FENCE,
    LINE,
    key_form,
    line_problem,
    missing_colon_description,
    shown,
    single_line,
    strip_markers,
)
from kiwibot.core.offer.template import is_offer_command, is_placeholder

_T = TypeVar("_T")


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
    lines, inline = split_inline(lines)  # "Titel: … Termin: … Dauer: …" typed on one line
    in_stray_text = False  # one problem per run of lines that are no `Feld: Wert`, not one per line
    description: list[str] | None = None  # the description's lines, once "Beschreibung:" was read
    in_description = False  # after "Beschreibung" (with or without colon) only field lines are fields
    after_cut = False  # a field line was just cut out of the description

    for raw in lines:
        line = single_line(raw)
        match = LINE.match(line) if line else None
        field = ALIASES.get(key_form(match["key"])) if match else None
        if in_description and field is None:
            # Description text; a blank line left doubled by a cut-out field line is dropped.
            if description is not None and not (line == "" and after_cut and not description[-1].strip()):
                description.append(raw)
                after_cut = after_cut and not line
            continue
        if not line:
            continue
        if match is None:
            problem = line_problem(line)
            if problem.key != "offer.not_a_field" or not in_stray_text:
                problems.append(problem)
            in_stray_text = problem.key == "offer.not_a_field"
            in_description = in_description or missing_colon_description(line)  # its lines are no problems
            continue
        in_stray_text = False
        if field is None:
            problems.append(UserError("offer.unknown_field", field=shown(match["key"])))
            continue
        if field in written:
            if in_description:
                after_cut = True
                problems.append(
                    UserError(
                        "offer.duplicate_after_description",
                        line=shown(line),
                        field=shown(written[field]),
                        name=shown(match["key"]),
                    )
                )
            else:
                problems.append(UserError("offer.duplicate", field=shown(match["key"])))
            continue
        written[field] = match["key"]
        if field == "description":
            description = [strip_markers(raw.split(":", 1)[1], match["pre"], match["mid"])]
            in_description, after_cut = True, False
            continue
        after_cut = True
        value = strip_markers(match["value"], match["pre"], match["mid"]).strip()
        values[field] = CHECKS[field](value, now, tz, problems)

    if description is not None:
        values["description"] = check_description("\n".join(description), problems)
    unfilled = [written[field] for field in ("title", "description") if is_placeholder(field, values.get(field))]
    if unfilled:
        problems.append(UserError("offer.template_unfilled", fields=tuple(shown(key) for key in unfilled)))
    when = values.get("when")
    if isinstance(when, Slot) and when.minutes is not None:  # "Termin: 3.12. 14-15 Uhr" gives the duration
        if "duration" not in written:
            values["duration"] = when.minutes
            written["duration"] = "Termin"
        elif isinstance(given := values["duration"], int) and given != when.minutes:
            problems.append(UserError("offer.duration_conflict", minutes=when.minutes, duration=given))
    if not partial:
        problems += [missing(field) for field in REQUIRED if field not in written]
    elif not written and not problems:
        problems.append(UserError("offer.nothing_to_change"))
    if problems:
        raise UserError("offer.invalid", problems=tuple(problems))

    plain_description = values.get("description")
    description_html = None
    # A fenced offer's HTML is one code block; a one-line offer's cannot be cut where its plain text was.
    if html and isinstance(plain_description, str) and not fenced and not inline:
        description_html = formatted_description(html)
    cogivers = values.get("cogivers")
    return OfferFields(
        title=_as(values.get("title"), str),
        starts_at=when.starts_at if isinstance(when, Slot) else None,
        duration=_as(values.get("duration"), int),
        format=_as(values.get("format"), Format),
        link=_as(values.get("link"), str),
        description=_as(plain_description, str),
        description_html=description_html,
        seats=_as(values.get("seats"), int),
        wish=_as(values.get("wish"), int),
        cogivers=cogiver_refs(cogivers, html) if isinstance(cogivers, str) else (),
        given=frozenset(written),
    )


def _unwrapped(lines: list[str], partial: bool) -> tuple[list[str], bool]:
    """The lines without what pasting the template brings along; True if a code fence was around them.

    Before the first field a code fence and (for a new offer) the command word again ("!anbieten") are
    dropped; a fence at the end goes too when one opened the offer or it closes nothing.
    """
    start, fenced = 0, False
    while start < len(lines):
        line = single_line(lines[start])
        if FENCE.match(line):
            fenced = True
        elif line and (partial or not is_offer_command(line)):
            break
        start += 1
    end = len(lines)
    while end > start and not single_line(lines[end - 1]):
        end -= 1
    fences = sum(1 for line in lines[start:end] if FENCE.match(single_line(line)))
    if end > start and FENCE.match(single_line(lines[end - 1])) and (fenced or fences % 2):
        end -= 1
        fenced = True
    return lines[start:end], fenced


def _as(value: object, kind: type[_T]) -> _T | None:
    return value if isinstance(value, kind) else None
