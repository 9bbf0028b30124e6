"""Where the rating sits in a feedback answer: read as people write it, never a number that is part of the text.

The rule (README "Feedback"):
- At the start, a rating is a whole number 1–5, alone ("4 Gut erklärt", "5: top") or with a scale or unit ("4/5",
  "4 von 5", "4 of 5", "4 Sterne", "4 Punkte", "4 stars", "4⭐", "4 ⭐"), in brackets ("(4)"), after a label
  ("Note 4", "Bewertung: 4", "rating 4"), as a number word with a scale or unit ("vier Sterne", "fünf von fünf",
  "four stars"), or as one to five stars ("⭐⭐⭐⭐", "★★★★☆": the empty ☆ do not count).
- A number that is part of the text is text: one that counts something ("2 Stunden", "5 Minuten", "3 Beispiele"),
  a list ("1) …", "1. …"), a percentage or a range ("5%", "3-4").
- Elsewhere in the text, only a marked rating counts ("War super, 5 Sterne!", "… 4/5", "Note 2", "⭐⭐⭐"), and only
  if the text holds exactly one such value; the text then stays as written.
- A marked rating outside 1–5 ("6/5", "0 Sterne", "4,5") at the start is refused, so none is silently dropped.

Pure: no storage, no chat platform.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RATINGS = range(1, 6)

_WORDS = {
    "null": 0, "zero": 0, "ein": 1, "eine": 1, "einen": 1, "eins": 1, "one": 1, "zwei": 2, "two": 2,
    "drei": 3, "three": 3, "vier": 4, "four": 4, "fünf": 5, "fuenf": 5, "five": 5, "sechs": 6, "six": 6,
}  # fmt: skip
_NUMBER = r"(?P<number>\d+(?:[.,]\d+)?|" + "|".join(sorted(_WORDS, key=len, reverse=True)) + r")"
_SCALE = r"(?P<scale>\s*(?:/|von|aus|of|out\s+of)\s*(?:5|fünf|fuenf|five)(?![\d.,]\d))"
_STAR = r"[⭐★🌟☆✩]\ufe0f?"
_UNIT_WORD = r"(?:stern(?:e|en)?|stars?|punkt(?:e|en)?|points?)\b"
_UNIT = rf"(?P<unit>\s*(?:{_UNIT_WORD}|(?:{_STAR}\s*)+))"
_LABEL_WORDS = r"(?:note|bewertung|rating|score|grade)\s*[:=]?\s*"
_LABEL = rf"(?P<label>{_LABEL_WORDS})"
# the end, a space, or a punctuation mark that does not start a longer number ("3-4", "1.000", "3/4")
_END = r"(?=$|\s|[:;,!–—-](?!\d)|\.(?!\d))"
_MARKED = re.compile(rf"{_LABEL}?{_NUMBER}{_SCALE}?{_UNIT}?", re.I)
_BRACKET = rf"\(\s*(?P<bracket>(?:{_LABEL_WORDS})?\d+(?:\s*/\s*5)?)\s*\)"
_LEADING = re.compile(rf"(?:{_BRACKET}|{_LABEL}?{_NUMBER}{_SCALE}?{_UNIT}?){_END}", re.I)
_STARS = re.compile(rf"(?:{_STAR}\s*)+")
_FILLED = "⭐★🌟"
# a number counting something is part of the text: "2 Stunden wären besser", "5 Minuten zu kurz"
_COUNTED = re.compile(
    r"(?:sek(?:unde|unden)?|min|minuten?|std|stunden?|h|tage?n?|wochen?|monate?n?|jahre?n?|mal|x|seconds?|mins?|"
    r"minutes?|hours?|hrs?|days?|weeks?|months?|years?|times?|leute|personen|person|teilnehm\w*|kolleg\w*|people|"
    r"participants?|persons?|beispiel\w*|folien?|fragen?|them(?:a|en)|aufgaben?|übungen?|seiten?|dinge|sachen|"
    r"examples?|slides?|questions?|topics?|pages?|exercises?|things|prozent|percent|euro)",
    re.I,
)
_NEXT_WORD = re.compile(r"\s+([^\W\d_]+)")


@dataclass(frozen=True, slots=True)
class Found:
    """A rating found in an answer: its value (maybe outside 1–5), what was written, and the text left over."""

    value: int | None  # None: a number that looks like a rating but is none ("4,5")
    written: str
    rest: str


def leading_rating(text: str) -> Found | None:
    """The rating at the very start of `text`, if what starts it is one (see the module's rules)."""
    stars = _STARS.match(text)
    if stars is not None:
        return Found(sum(1 for char in stars.group(0) if char in _FILLED), stars.group(0).strip(), text[stars.end() :])
    match = _LEADING.match(text)
    if match is None:
        return None
    if match["bracket"]:
        digits = re.search(r"\d+", match["bracket"])
        assert digits is not None
        return Found(int(digits.group(0)), match.group(0).strip(), text[match.end() :])
    number, rest = match["number"], text[match.end() :]
    value = _value(number)
    if not (match["label"] or match["scale"] or match["unit"]):
        if _counts_something(rest) or _starts_a_list(rest):
            return None  # "2 Stunden", "1) …", "1. …": text
        if value is None:  # "4,5" is a half rating, which there is not; "1.000 Dank" is text
            return Found(None, number, rest) if _looks_like_a_half(number) else None
        if not number.isdigit() or value not in RATINGS:
            return None  # "vier Leute", "10 Minuten zu lang": text
    elif match["scale"] and _counts_something(rest):
        return None  # "2 von 5 Beispielen": text
    return Found(value, match.group(0).strip(), rest)


def marked_rating(text: str) -> int | None:
    """The one marked rating 1–5 inside the text ("War super, 5 Sterne!"); None if there is none or several."""
    values: set[int] = set()
    for match in _MARKED.finditer(text):
        start = match.start()
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in ".,/"):
            continue  # inside a word or a longer number
        if not re.match(_END, text[match.end() :]):
            continue
        number = match["number"]
        unit = (match["unit"] or "").strip().casefold()
        if not (match["label"] or match["scale"] or (unit and not unit.startswith(("punkt", "point")))):
            continue  # a bare number, or "3 Punkte" (points in a list), is text in the middle
        if match["scale"] and _counts_something(text[match.end() :]):
            continue
        value = _value(number)
        if value is not None and value in RATINGS:
            values.add(value)
    values |= set(_star_runs(text))
    return values.pop() if len(values) == 1 else None


def _star_runs(text: str) -> list[int]:
    """Runs of two to five filled stars inside the text ("⭐⭐⭐⭐"); a single ⭐ is decoration, not a rating of 1."""
    runs = []
    for match in _STARS.finditer(text):
        if match.start() == 0 or text[: match.start()].rstrip()[-1:].isdigit():
            continue  # at the start it was read as the leading rating; after a digit it is that number's unit
        count = sum(1 for char in match.group(0) if char in _FILLED)
        if 2 <= count <= 5:
            runs.append(count)
    return runs


def _value(number: str) -> int | None:
    """A whole number written in digits or as a word; None for a fraction."""
    if number.isdigit():
        return int(number)
    return _WORDS.get(number.casefold())


def _counts_something(rest: str) -> bool:
    """Whether the word after a number is what it counts ("Stunden", "Minuten", "Beispiele")."""
    word = _NEXT_WORD.match(rest)
    return word is not None and _COUNTED.fullmatch(word.group(1)) is not None


def _starts_a_list(rest: str) -> bool:
    """ "1) gut 2) zu kurz", "1. Punkt": a numbered list, not a rating."""
    return rest.startswith(")") or (rest.startswith(".") and rest[1:].strip() != "")


def _looks_like_a_half(number: str) -> bool:
    """ "4,5" or "2.5" at the start is a half rating, which there is not; "1.000" or "3,14" is no rating."""
    whole, _, fraction = number.replace(",", ".").partition(".")
    return whole.isdigit() and len(fraction) == 1 and int(whole) <= 5
