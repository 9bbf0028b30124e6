"""The offer template to copy, from the catalogue, and recognising its examples when they come back unchanged."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from kiwibot.core.model import FORMAT_KEYWORD
from kiwibot.core.offer.syntax import FIELDS, HINT, LINE, without_hint
from kiwibot.i18n import LANGUAGES, template

# The command word at the top of the template, as the commands declare it (`commands/builtin.py`).
_COMMAND_WORDS: dict[str, str] = {"de": "anbieten", "en": "offer"}
# The template's lines, in order; their text is in the catalogue as "offer.template.<part>".
_TEMPLATE_PARTS: tuple[str, ...] = FIELDS
# The fields whose template text is only an example to replace, not a value to keep.
_PLACEHOLDER_FIELDS: tuple[str, ...] = ("title", "description")
_SATURDAY = 5  # date.weekday(): Monday is 0


def offer_template(language: str, prefix: str, now: datetime, tz: ZoneInfo) -> str:
    """The text to copy for a new offer, in `language`'s field names, from the catalogue.

    The example date is one week from today at 14:00 ("3.12. 14:00"), or the working day (Monday to Friday) after
    it when that falls on a weekend, so the example is a date one could offer; the format line lists all formats.
    Title and description are placeholders: sent back unchanged they are refused ("offer.template_unfilled").
    """
    words = list(FORMAT_KEYWORD.get(language, FORMAT_KEYWORD["de"]).values())
    day = now.astimezone(tz).date() + timedelta(days=7)
    while day.weekday() >= _SATURDAY:
        day += timedelta(days=1)
    values = {
        "when": f"{day.day}.{day.month}. 14:00",
        "first": words[0],
        "formats": f"{', '.join(words[:-1])} {template(language, 'offer.template.or')} {words[-1]}",
    }
    command = _COMMAND_WORDS.get(language, _COMMAND_WORDS["de"])
    lines = [template(language, f"offer.template.{part}").format(**values) for part in _TEMPLATE_PARTS]
    return "\n".join([f"{prefix}{command}", *lines])


def is_offer_command(line: str) -> bool:
    """The command word again ("!anbieten", "!offer", any prefix of up to three signs), as atop the template."""
    match = re.fullmatch(r"[^\w\s]{1,3}(?P<word>\w+)", line)
    return match is not None and match["word"].casefold() in _COMMAND_WORDS.values()


@cache
def template_values(field: str) -> tuple[tuple[str, str], ...]:
    """(text, hint) of `field`'s template line in every language: "Titel deiner Session", ""."""
    found = []
    for language in LANGUAGES:
        match = LINE.match(template(language, f"offer.template.{field}"))
        if match is None:
            raise ValueError(f"the {language} template line for {field} is no `Feld: Wert` line")
        value = match["value"].strip()
        hint = HINT.search(value)
        found.append((without_hint(value), hint.group().strip() if hint else ""))
    return tuple(found)


def _placeholder_form(text: str) -> str:
    return " ".join(text.casefold().split()).strip(" .…*_\"'„“”‚‘’«»")


def is_placeholder(field: str, value: object) -> bool:
    """Whether a title is the template's example title, or a description still holds the template's questions."""
    if field not in _PLACEHOLDER_FIELDS or not isinstance(value, str):
        return False
    given = _placeholder_form(value)
    for example, _hint in template_values(field):
        example = _placeholder_form(example)
        if given == example or (field == "description" and example in given):
            return True
    return False


def without_template_hint(description: str) -> str:
    """The template says its hints in brackets may stay; the description's hint is not published."""
    for _example, hint in template_values("description"):
        if hint:
            description = description.replace(hint, "")
    return description
