"""Parsing of user-typed dates and times: every accepted form, rollover, DST edges and the error keys."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from kiwibot.core.dates import parse_when, to_local
from kiwibot.core.errors import UserError

BERLIN = ZoneInfo("Europe/Berlin")
# Saturday, 11:00 local (CET) – weekday and rollover expectations below depend on it.
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def parse(text: str, now: datetime = NOW) -> datetime:
    return parse_when(text, now, BERLIN)


def assert_error(text: str, key: str, now: datetime = NOW) -> None:
    with pytest.raises(UserError) as info:
        parse(text, now)
    assert info.value.key == key
    assert info.value.params["value"] == text.strip()


# 3 December 2026 is a Thursday in winter time (UTC+1): 14:00 local is 13:00 UTC.
DEC3_14 = utc(2026, 12, 3, 13)


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-03 14:00",
        "2026-12-03T14:00",
        "2026-12-03t14:00",
        "2026-12-03T14:00:00",
        "03.12.2026 14:00",
        "3.12.2026 14:00",
        "3.12.26 14:00",
        "3.12. 14:00",
        "3.12 14:00",
        "14:00 3.12.",
        "am 3.12. um 14 Uhr",
        "am Donnerstag, den 3.12. um 14 Uhr",
        "Donnerstag, 3.12.2026, 14:00",
        "Thursday 3.12. 2pm",
        "  AM 3.12.2026 UM 14 UHR  ",
        "on 2026-12-03 at 14:00",
        "3.12. um 14 Uhr.",
        "Do 3.12 14:00",
    ],
)
def test_date_forms(text: str) -> None:
    assert parse(text) == DEC3_14


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3.12. 14:00", utc(2026, 12, 3, 13)),
        ("3.12. 14.30", utc(2026, 12, 3, 13, 30)),
        ("3.12 14.30", utc(2026, 12, 3, 13, 30)),
        ("3.12. 14 Uhr", utc(2026, 12, 3, 13)),
        ("3.12. 14Uhr", utc(2026, 12, 3, 13)),
        ("3.12. 14:30 Uhr", utc(2026, 12, 3, 13, 30)),
        ("3.12. 14.30 Uhr", utc(2026, 12, 3, 13, 30)),
        ("3.12. 14 Uhr 30", utc(2026, 12, 3, 13, 30)),
        ("3.12. 14h", utc(2026, 12, 3, 13)),
        ("3.12. 14h30", utc(2026, 12, 3, 13, 30)),
        ("3.12. 14:30h", utc(2026, 12, 3, 13, 30)),
        ("3.12. 2pm", utc(2026, 12, 3, 13)),
        ("3.12. 2 pm", utc(2026, 12, 3, 13)),
        ("3.12. 2PM", utc(2026, 12, 3, 13)),
        ("3.12. 2:30pm", utc(2026, 12, 3, 13, 30)),
        ("3.12. 2:30 p.m.", utc(2026, 12, 3, 13, 30)),
        ("3.12. 9 am", utc(2026, 12, 3, 8)),
        ("3.12. 9:30 a.m.", utc(2026, 12, 3, 8, 30)),
        ("3.12. 12am", utc(2026, 12, 2, 23)),
        ("3.12. 12 am", utc(2026, 12, 2, 23)),
        ("3.12. 12pm", utc(2026, 12, 3, 11)),
        ("3.12. 12 p.m.", utc(2026, 12, 3, 11)),
        ("3.12. um 9", utc(2026, 12, 3, 8)),
        ("3.12. at 9", utc(2026, 12, 3, 8)),
        ("3.12. 0:00", utc(2026, 12, 2, 23)),
        ("3.12. 00:00", utc(2026, 12, 2, 23)),
        ("3.12. 23:59", utc(2026, 12, 3, 22, 59)),
        ("3.12. 9:05", utc(2026, 12, 3, 8, 5)),
        ("3.12. 09:05", utc(2026, 12, 3, 8, 5)),
    ],
)
def test_time_forms(text: str, expected: datetime) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("heute 14:00", utc(2026, 11, 21, 13)),
        ("Heute um 14 Uhr", utc(2026, 11, 21, 13)),
        ("today 2pm", utc(2026, 11, 21, 13)),
        ("morgen 14:00", utc(2026, 11, 22, 13)),
        ("Morgen um 9", utc(2026, 11, 22, 8)),
        ("tomorrow at 9:30 am", utc(2026, 11, 22, 8, 30)),
        ("übermorgen 14:00", utc(2026, 11, 23, 13)),
        ("Übermorgen 14:00", utc(2026, 11, 23, 13)),
        ("u\u0308bermorgen 14:00", utc(2026, 11, 23, 13)),  # decomposed umlaut from some clients
        ("uebermorgen 14:00", utc(2026, 11, 23, 13)),
        ("day after tomorrow 2pm", utc(2026, 11, 23, 13)),
        ("Day After Tomorrow at 14:00", utc(2026, 11, 23, 13)),
        ("morgen 14.30", utc(2026, 11, 22, 13, 30)),
        ("14:00 morgen", utc(2026, 11, 22, 13)),
        ("14 Uhr morgen", utc(2026, 11, 22, 13)),
    ],
)
def test_relative_days(text: str, expected: datetime) -> None:
    assert parse(text) == expected


# From Saturday 2026-11-21: the next such day strictly after today.
WEEKDAY_DATES = {
    "monday": 23,
    "tuesday": 24,
    "wednesday": 25,
    "thursday": 26,
    "friday": 27,
    "saturday": 28,
    "sunday": 22,
}
WEEKDAY_SPELLINGS = [
    ("Montag", "monday"),
    ("Mo", "monday"),
    ("Mo.", "monday"),
    ("Monday", "monday"),
    ("mon", "monday"),
    ("Dienstag", "tuesday"),
    ("Di", "tuesday"),
    ("Di.", "tuesday"),
    ("Tuesday", "tuesday"),
    ("tue", "tuesday"),
    ("Mittwoch", "wednesday"),
    ("Mi", "wednesday"),
    ("Wednesday", "wednesday"),
    ("wed", "wednesday"),
    ("Donnerstag", "thursday"),
    ("Do", "thursday"),
    ("Do.", "thursday"),
    ("Thursday", "thursday"),
    ("thu", "thursday"),
    ("Freitag", "friday"),
    ("Fr", "friday"),
    ("Friday", "friday"),
    ("fri", "friday"),
    ("Samstag", "saturday"),
    ("Sa", "saturday"),
    ("Saturday", "saturday"),
    ("sat", "saturday"),
    ("Sonntag", "sunday"),
    ("So", "sunday"),
    ("So.", "sunday"),
    ("Sunday", "sunday"),
    ("sun", "sunday"),
]


@pytest.mark.parametrize(("spelling", "weekday"), WEEKDAY_SPELLINGS)
@pytest.mark.parametrize("template", ["{} 14:00", "am {} um 14 Uhr", "nächsten {} 14:00", "next {} at 2pm"])
def test_weekdays(spelling: str, weekday: str, template: str) -> None:
    assert parse(template.format(spelling)) == utc(2026, 11, WEEKDAY_DATES[weekday], 13)


@pytest.mark.parametrize("prefix", ["nächsten", "Naechsten", "NEXT"])
def test_next_prefix_means_the_same_as_plain_weekday(prefix: str) -> None:
    assert parse(f"{prefix} Montag 14:00") == parse("Montag 14:00") == utc(2026, 11, 23, 13)


def test_weekday_equal_to_today_is_one_week_ahead() -> None:
    thursday = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
    assert parse("Donnerstag 14:00", thursday) == utc(2026, 12, 10, 13)
    assert parse("Freitag 14:00", thursday) == utc(2026, 12, 4, 13)
    assert parse("Mittwoch 14:00", thursday) == utc(2026, 12, 9, 13)


def test_weekday_with_dotted_time() -> None:
    assert parse("Mo 14.30") == utc(2026, 11, 23, 13, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:00 am Montag", utc(2026, 11, 23, 13)),  # German "am" after a 24-hour time
        ("12:00 am Montag", utc(2026, 11, 23, 11)),  # ambiguous: the German reading (noon) wins
        ("9 am Monday", utc(2026, 11, 23, 8)),
        ("Monday 12 am", utc(2026, 11, 22, 23)),  # a final "12 am" is midnight
        ("um 12 am Montag", utc(2026, 11, 23, 11)),
    ],
)
def test_am_is_german_or_english(text: str, expected: datetime) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3.1. 10:00", utc(2027, 1, 3, 9)),  # already passed this year -> next year
        ("3.1 10:00", utc(2027, 1, 3, 9)),
        ("21.11. 14:00", utc(2026, 11, 21, 13)),  # today stays this year, even if the time is past
        ("21.11. 09:00", utc(2026, 11, 21, 8)),
        ("20.11. 14:00", utc(2027, 11, 20, 13)),
        ("22.11. 14:00", utc(2026, 11, 22, 13)),
        ("31.12. 23:00", utc(2026, 12, 31, 22)),
        ("3.1.2026 10:00", utc(2026, 1, 3, 9)),  # an explicit year is never moved
    ],
)
def test_year_less_dates_roll_over(text: str, expected: datetime) -> None:
    assert parse(text) == expected


def test_leap_day_year_less() -> None:
    assert parse("29.2. 10:00", datetime(2027, 11, 1, 12, tzinfo=UTC)) == utc(2028, 2, 29, 9)
    assert_error("29.2. 10:00", "date.unknown")  # next 29.2. after 2026-11-21 would be in 2027


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 2027-03-28: clocks jump from 02:00 CET to 03:00 CEST.
        ("28.03.2027 01:30", utc(2027, 3, 28, 0, 30)),
        ("28.03.2027 01:59", utc(2027, 3, 28, 0, 59)),
        ("28.03.2027 03:00", utc(2027, 3, 28, 1)),
        ("28.03.2027 03:30", utc(2027, 3, 28, 1, 30)),
        # 2026-10-25: clocks fall back from 03:00 CEST to 02:00 CET; 02:xx happens twice.
        ("25.10.2026 01:30", utc(2026, 10, 24, 23, 30)),
        ("25.10.2026 02:00", utc(2026, 10, 25, 0)),
        ("25.10.2026 02:30", utc(2026, 10, 25, 0, 30)),  # first occurrence (summer time)
        ("25.10.2026 03:30", utc(2026, 10, 25, 2, 30)),
        # Plain summer and winter time.
        ("15.07.2027 14:00", utc(2027, 7, 15, 12)),
        ("15.01.2027 14:00", utc(2027, 1, 15, 13)),
        ("2027-06-01T14:00", utc(2027, 6, 1, 12)),
    ],
)
def test_daylight_saving(text: str, expected: datetime) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize("text", ["28.03.2027 02:30", "28.03.2027 02:00", "2027-03-28T02:59", "28.3.27 2:30am"])
def test_time_in_spring_forward_gap_does_not_exist(text: str) -> None:
    assert_error(text, "date.nonexistent")


def test_tomorrow_across_dst_switch() -> None:
    # Saturday 22:00 CET, the evening before the switch: tomorrow is already in summer time.
    evening = datetime(2027, 3, 27, 21, 0, tzinfo=UTC)
    assert parse("morgen 14:00", evening) == utc(2027, 3, 28, 12)
    assert parse("heute 14:00", evening) == utc(2027, 3, 27, 13)


def test_today_is_the_local_day_not_the_utc_day() -> None:
    # 23:30 UTC on the 27th is already 00:30 on the 28th in Berlin.
    after_midnight = datetime(2027, 3, 27, 23, 30, tzinfo=UTC)
    assert parse("heute 14:00", after_midnight) == utc(2027, 3, 28, 12)
    assert parse("morgen 14:00", after_midnight) == utc(2027, 3, 29, 12)


def test_now_in_another_zone() -> None:
    # 23:30 in New York on the 21st is 05:30 on the 22nd in Berlin.
    new_york = datetime(2026, 11, 21, 23, 30, tzinfo=ZoneInfo("America/New_York"))
    assert parse("heute 14:00", new_york) == utc(2026, 11, 22, 13)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "date.unknown"),
        ("   ", "date.unknown"),
        ("bald", "date.unknown"),
        ("bald 14:00", "date.unknown"),
        ("am um", "date.unknown"),
        ("32.12. 14:00", "date.unknown"),
        ("31.02. 10:00", "date.unknown"),
        ("3.13. 10:00", "date.unknown"),
        ("0.12. 10:00", "date.unknown"),
        ("2026-13-01 10:00", "date.unknown"),
        ("32.12.", "date.unknown"),
        ("25:00", "date.unknown"),
        ("3.12. 25:00", "date.unknown"),
        ("3.12. 24:00", "date.unknown"),
        ("3.12. 14:60", "date.unknown"),
        ("3.12. 14:5", "date.unknown"),
        ("3.12. 13pm", "date.unknown"),
        ("3.12. 0am", "date.unknown"),
        ("3.12. 14 am", "date.unknown"),
        ("3.12. 14.3 Uhr", "date.unknown"),
        ("3.12. 9", "date.unknown"),  # a bare number is only an hour after "um"/"at"
        ("morgen heute 14:00", "date.unknown"),
        ("3.12. morgen 14:00", "date.unknown"),
        ("Mo Di 14:00", "date.unknown"),
        ("morgen 14:00 15:00", "date.unknown"),
        ("2026-12-03T14:00 15:00", "date.unknown"),
        ("next 3.12. 14:00", "date.unknown"),
        ("nächsten 14:00", "date.unknown"),
        ("Freitag 3.12. 14:00", "date.unknown"),  # 3.12.2026 is a Thursday
        ("morgen 14:00 bitte", "date.unknown"),
        ("2026-12-03T14:00Z", "date.unknown"),
        ("3.12. 14:00!", "date.unknown"),
        ("3.12.", "date.no_time"),
        ("  Morgen  ", "date.no_time"),
        ("am Donnerstag", "date.no_time"),
        ("2026-12-03", "date.no_time"),
        ("Do 3.12", "date.no_time"),
        ("Mo 3.12", "date.unknown"),  # the weekday contradicts the date
        ("14:00", "date.no_date"),
        ("um 14 Uhr", "date.no_date"),
        ("2pm", "date.no_date"),
        ("14.30 Uhr", "date.no_date"),
    ],
)
def test_errors(text: str, key: str) -> None:
    assert_error(text, key)


def test_error_value_keeps_original_spelling() -> None:
    with pytest.raises(UserError) as info:
        parse("  Bald, Um 14 Uhr \n")
    assert info.value.key == "date.unknown"
    assert info.value.params["value"] == "Bald, Um 14 Uhr"


def test_result_is_utc() -> None:
    result = parse("3.12. 14:00")
    assert result.tzinfo is UTC


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_when("morgen 14:00", NOW.replace(tzinfo=None), BERLIN)


def test_to_local() -> None:
    local = to_local(utc(2027, 7, 15, 12), BERLIN)
    assert (local.hour, local.minute, local.tzinfo) == (14, 0, BERLIN)
    assert local == utc(2027, 7, 15, 12)
    assert to_local(utc(2027, 1, 15, 13), BERLIN).hour == 14


def test_to_local_rejects_naive() -> None:
    with pytest.raises(ValueError, match="aware"):
        to_local(NOW.replace(tzinfo=None), BERLIN)
