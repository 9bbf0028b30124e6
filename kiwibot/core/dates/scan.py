"""The text folded and cut into tokens; anything that is no known token makes the whole text unknown."""

from __future__ import annotations

import re
import unicodedata

from kiwibot.core.dates.tokens import (
    CalendarDate,
    ClockTime,
    Filler,
    Last,
    Next,
    Number,
    Pair,
    RangeSep,
    RelativeDay,
    Token,
    Unparsable,
    WeekdayName,
    make_time,
    pair_time,
)

_WEEKDAYS: dict[str, int] = {
    name: index
    for index, names in enumerate(
        (
            ("montag", "mo", "monday", "mon"),
            ("dienstag", "di", "tuesday", "tue", "tues"),
            ("mittwoch", "mi", "wednesday", "wed"),
            ("donnerstag", "do", "thursday", "thu", "thur", "thurs"),
            ("freitag", "fr", "friday", "fri"),
            ("samstag", "sonnabend", "sa", "saturday", "sat"),
            ("sonntag", "so", "sunday", "sun"),
        )
    )
    for name in names
}
# German and English month names, full and abbreviated ("Dez.", "Sept"), Austrian "Jänner" too.
_MONTHS: dict[str, int] = {
    name: index
    for index, names in enumerate(
        (
            ("januar", "jänner", "jaenner", "january", "jan", "jän"),
            ("februar", "feber", "february", "feb", "febr"),
            ("märz", "maerz", "marz", "march", "mär", "mrz", "mar"),
            ("april", "apr"),
            ("mai", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nov"),
            ("dezember", "december", "dez", "dec"),
        ),
        start=1,
    )
    for name in names
}
_RELATIVE: dict[str, int] = {
    "vorgestern": -2,
    "gestern": -1,
    "yesterday": -1,
    "heute": 0,
    "today": 0,
    "morgen": 1,
    "tomorrow": 1,
    "übermorgen": 2,
    "uebermorgen": 2,
    "ubermorgen": 2,
}
_NEXT = frozenset({"nächsten", "nächste", "nächster", "naechsten", "naechste", "naechster", "next"})
_LAST = frozenset({"letzten", "letzte", "letzter", "vergangenen", "vergangene", "vergangener", "last"})
_FILLERS = frozenset({"am", "um", "ab", "at", "on", "den", "dem", "von", "from"})
_RANGE_WORDS = frozenset({"bis", "to", "until", "till", "til"})

# Separators between tokens; a dot only when it ends a sentence ("um 14 Uhr.").
_SEP = re.compile(r"(?:[\s,;]|\.(?=\s|$))+")
_DAY_AFTER_TOMORROW = re.compile(r"\bday\s+after\s+tomorrow\b")
_DAY_BEFORE_YESTERDAY = re.compile(r"\bday\s+before\s+yesterday\b")
# Optional "Uhr"/"h" or am/pm after an hour. `msp` lets a spaced "am" be given back as the German filler.
_SUFFIX = r"(?:\s*(?P<uhr>uhr|h)\b|(?P<msp>\s*)(?:(?P<mer>[ap])m\b|(?P<merd>[ap])\.\s?m\.))?"
# A year after a month name: four digits only, so "3. Dez. 14:00" keeps its hour.
_NAMED_YEAR = r"(?:\s*,?\s*(?P<y>\d{4})(?![\d.:]|\s*(?:uhr|h)\b))?"

_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:t(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?)?(?![\d:-])"
)
# "3. Dezember 2026", "3 Dez.", "3rd December": the word must be a month (checked after matching).
_DAY_MONTH = re.compile(r"(?P<d>\d{1,2})(?:\.|st|nd|rd|th)?\s*(?P<mon>[^\W\d_]+)\.?" + _NAMED_YEAR)
# "December 3", "Dec. 3rd, 2026"; the day must not be an hour ("Dez 14 Uhr", "Dez 14:00").
_MONTH_DAY = re.compile(
    r"(?P<mon>[^\W\d_]+)\.?\s*(?P<d>\d{1,2})(?:st|nd|rd|th)?(?![\d.:]|\s*(?:uhr|h\b|[ap]\.?m\b))" + _NAMED_YEAR
)
_DOTTED_DATE = re.compile(r"(?P<d>\d{1,2})\.(?P<mo>\d{1,2})\.(?P<y>\d{4}|\d{2})?(?![\d:])")
_COLON_TIME = re.compile(r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?!\d)" + _SUFFIX)
_H_TIME = re.compile(r"(?P<h>\d{1,2})h(?P<mi>\d{2})(?!\d)")
_UHR_MINUTES = re.compile(r"(?P<h>\d{1,2})\s*uhr\s*(?P<mi>\d{2})(?![\d.:])")
_PAIR = re.compile(r"(?P<a>\d{1,2})\.(?P<b>\d{1,2})(?![\d.:])(?:\s*(?P<uhr>uhr)\b)?")
_HOUR = re.compile(r"(?P<h>\d{1,2})(?![\d.:])" + _SUFFIX)
_DASH = re.compile(r"[-–—]")
_WORD = re.compile(r"(?P<w>[^\W\d_]+)\.?")


def normalise(value: str) -> str:
    """Fold case and Unicode forms so "Übermorgen" typed on any keyboard matches one spelling."""
    folded = unicodedata.normalize("NFC", value).lower()
    folded = _DAY_BEFORE_YESTERDAY.sub("vorgestern", folded)
    return _DAY_AFTER_TOMORROW.sub("übermorgen", folded)


def scan(text: str) -> list[Token]:
    """Split the input into tokens; anything that is no known token makes the whole input unknown."""
    tokens: list[Token] = []
    pos = 0
    while True:
        sep = _SEP.match(text, pos)
        if sep:
            pos = sep.end()
        if pos >= len(text):
            return tokens
        pos = scan_one(text, pos, tokens)


def scan_one(text: str, pos: int, tokens: list[Token]) -> int:
    """Recognise the token starting at `pos`, append it (or them) and return where it ends."""
    if m := _ISO.match(text, pos):
        tokens.append(CalendarDate(int(m["y"]), int(m["mo"]), int(m["d"])))
        if m["h"] is not None:
            tokens.append(ClockTime(make_time(m["h"], m["mi"], m["s"] or "0")))
        return m.end()
    if (m := _DAY_MONTH.match(text, pos)) and m["mon"] in _MONTHS:
        tokens.append(_named_date(m))
        return m.end()
    if m := _DOTTED_DATE.match(text, pos):
        year = None if m["y"] is None else _full_year(m["y"])
        tokens.append(CalendarDate(year, int(m["mo"]), int(m["d"])))
        return m.end()
    if m := _COLON_TIME.match(text, pos):
        end, meridiem = _meridiem(m, text)
        tokens.append(ClockTime(make_time(m["h"], m["mi"], meridiem=meridiem), meridiem))
        return end
    if m := (_H_TIME.match(text, pos) or _UHR_MINUTES.match(text, pos)):
        tokens.append(ClockTime(make_time(m["h"], m["mi"])))
        return m.end()
    if m := _PAIR.match(text, pos):
        if m["uhr"]:
            tokens.append(ClockTime(pair_time(m["a"], m["b"])))
        else:
            tokens.append(Pair(m["a"], m["b"]))
        return m.end()
    if m := _HOUR.match(text, pos):
        end, meridiem = _meridiem(m, text)
        if m["uhr"] or meridiem:
            tokens.append(ClockTime(make_time(m["h"], "0", meridiem=meridiem), meridiem))
        else:
            tokens.append(Number(int(m["h"])))
        return end
    if m := _DASH.match(text, pos):
        tokens.append(RangeSep(word=False))
        return m.end()
    if (m := _MONTH_DAY.match(text, pos)) and m["mon"] in _MONTHS:
        tokens.append(_named_date(m))
        return m.end()
    if m := _WORD.match(text, pos):
        tokens.append(_word(m["w"]))
        return m.end()
    raise Unparsable


def _named_date(m: re.Match[str]) -> CalendarDate:
    return CalendarDate(None if m["y"] is None else int(m["y"]), _MONTHS[m["mon"]], int(m["d"]))


def _word(word: str) -> Token:
    """Classify one word; unknown words are not skipped, because "bald 14 Uhr" must not mean today."""
    if word in _WEEKDAYS:
        return WeekdayName(_WEEKDAYS[word])
    if word in _RELATIVE:
        return RelativeDay(_RELATIVE[word])
    if word in _NEXT:
        return Next()
    if word in _LAST:
        return Last()
    if word in _FILLERS:
        return Filler(word)
    if word in _RANGE_WORDS:
        return RangeSep(word=True)
    raise Unparsable


def _meridiem(m: re.Match[str], text: str) -> tuple[int, str | None]:
    """Decide whether a spaced "am" is English a.m. or the German "am" (on) that starts a date.

    Only where both readings give different results is German preferred: "14:00 am Montag" and
    "12:00 am Montag" mean a date follows; "9 am Montag" is 9:00 either way; a final "12 am" is midnight.
    """
    if m["merd"]:
        return m.end(), m["merd"]
    if not m["mer"]:
        return m.end(), None
    if m["mer"] == "p" or not m["msp"]:
        return m.end(), m["mer"]
    hour = int(m["h"])
    at_end = _SEP.fullmatch(text, m.end()) is not None or m.end() == len(text)
    if 1 <= hour <= 11 or (hour == 12 and at_end):
        return m.end(), "a"
    return m.start("msp"), None


def _full_year(digits: str) -> int:
    """Two-digit years are this century: nobody schedules a session for 1926."""
    return 2000 + int(digits) if len(digits) == 2 else int(digits)
