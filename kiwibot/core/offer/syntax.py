"""What a `Feld: Wert` line of an offer looks like, and which field names (German, English) mean which field.

Shared by the parser, the template check and the HTML cut, so that all three agree on what a field line is.
"""

from __future__ import annotations

import re
import unicodedata

from kiwibot.core.errors import UserError
from kiwibot.core.messages import Code
from kiwibot.core.text import emoji_part

# Canonical field names, in the order of the template.
FIELDS: tuple[str, ...] = ("title", "when", "duration", "format", "link", "seats", "cogivers", "description")

# What people may write before the colon, after `key_form` (case folded, umlauts spelled out,
# spaces and hyphens removed). German and English; a few common variants.
ALIASES: dict[str, str] = {
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
    "wunsch": "wish",
    "wunschthema": "wish",
    "wish": "wish",
    # "Co-Geber:in", "Co-Geber*in", "Co-GeberIn", "Co-Geberinnen" (key_form drops a gender sign with its ending)
    "cogeber": "cogivers",
    "cogeberin": "cogivers",
    "cogeberinnen": "cogivers",
    "mitgeber": "cogivers",
    "mitgeberin": "cogivers",
    "mitgeberinnen": "cogivers",
    "cohost": "cogivers",
    "cohosts": "cogivers",
    "cogiver": "cogivers",
    "cogivers": "cogivers",
}

# A user value shown back in an error is cut to this length.
_SHOWN_MAX = 80

# `Feld: Wert`, also as "**Titel:** …", "- Titel: …"; the key is one to three words without digits
# in front. "https://…" is no key (the colon must not start "//").
_WORD = r"[^\W\d_][^\W_]*"
# A gender sign and ending ("Co-Geber:in:", "Co-Geber*innen:") belong to the key only right before the colon.
_GENDER = r"(?:[:*_/]in(?:nen)?(?=(?:\*\*|__|\*|_)?\s*:))?"
LINE = re.compile(
    rf"^(?:[-•]\s+)?(?P<pre>\*\*|__|\*|_)?(?P<key>{_WORD}(?:[ -]{_WORD}){{0,2}}{_GENDER})(?P<mid>\*\*|__|\*|_)?"
    r"\s*:(?!//)\s*(?P<value>.*)$",
    re.S,
)
# A field name with its colon where a line goes on ("… Termin: 3.12. 14:00 Dauer: 60"); "https://" is none.
INLINE_KEY = re.compile(rf"(?:\*\*|__|\*|_)?(?P<key>{_WORD}(?:[ -]{_WORD}){{0,2}}{_GENDER})(?:\*\*|__|\*|_)?\s*:(?!//)")
_FIRST_WORD = re.compile(
    rf"^(?:[-•]\s+)?[*_]{{0,2}}(?P<key>{_WORD})[*_]{{0,2}}"  # a field name, maybe bold, maybe a bullet
    r"(?:(?:\s+|\s*[-=–]\s*)(?P<rest>\S.*))?$"  # then a space, dash or "=" instead of the colon
)
# A trailing explanation in parentheses ("60 (30, 60 oder 90 Minuten)"), as the template has them.
HINT = re.compile(r"(?:^|\s+)\([^()]*\)\s*$")

# A code fence line, as a pasted template may be wrapped in ("```", "```text", "~~~").
FENCE = re.compile(r"^(?:```+|~~~+)[\w+-]*$")


def line_problem(line: str) -> UserError:
    """A line that is no `Feld: Wert`: if it starts with a field name, say that the colon is missing."""
    match = _FIRST_WORD.match(line)
    if match and key_form(match["key"]) in ALIASES:
        example = f"{match['key']}: {match['rest'] or ''}".strip()
        return UserError("offer.missing_colon", line=shown(line), example=Code(shown(example)))
    return UserError("offer.not_a_field", line=shown(line))


def missing_colon_description(line: str) -> bool:
    """A "Beschreibung" without its colon still starts the description: its lines are no stray-text problems."""
    match = _FIRST_WORD.match(line)
    word = match["key"] if match else line.strip(" *_-•")
    return ALIASES.get(key_form(word)) == "description"


def is_field_line(line: str) -> bool:
    """A `Feld: Wert` line with a known field name ("Link: …"); "Ziel: …" is none."""
    match = LINE.match(line)
    return match is not None and key_form(match["key"]) in ALIASES


def single_line(raw: str) -> str:
    """A line without control and zero-width characters (but inside emoji); tabs and odd spaces become one space."""
    kept = []
    for index, ch in enumerate(raw):
        if ch.isspace():
            kept.append(" ")
        elif unicodedata.category(ch) not in ("Cc", "Cf", "Cs") or emoji_part(raw, index):
            kept.append(ch)
    return " ".join("".join(kept).split())


def key_form(key: str) -> str:
    """Field names compared as people vary them: case, umlauts spelled out, spaces, hyphens, dots, gender signs."""
    folded = re.sub(r"[:*_/]in(?:nen)?$", "", key.casefold())  # "Co-Geber:in" is "Co-Geber"
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        folded = folded.replace(umlaut, spelled)
    return re.sub(r"[\s\-.]", "", folded)


def strip_markers(value: str, pre: str | None, mid: str | None) -> str:
    """In "**Titel:** X" the closing bold marker sits after the colon: drop it from the value."""
    value = value.lstrip()
    if pre and not mid and value.startswith(pre):
        value = value[len(pre) :]
    return value


def without_hint(value: str) -> str:
    """The template's explanations in brackets may be left in place: they are no part of the value."""
    return HINT.sub("", value).strip()


def shown(value: str) -> str:
    """A value quoted back in an error: on one line and short, so the reply stays readable."""
    value = " ".join(value.split())
    return value if len(value) <= _SHOWN_MAX else value[: _SHOWN_MAX - 1].rstrip() + "…"
