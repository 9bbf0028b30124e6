"""Parsing of user-typed dates and times: every accepted form, rollover, DST edges and the error keys."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from kiwibot.core.dates import Slot, parse_slot, parse_when, starts_with_moment, to_local
from kiwibot.core.errors import UserError
from kiwibot.core.messages import Moment

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
        ("3.12. 14-15", "date.unknown"),  # two bare numbers: only with "Uhr" or after "von"/"um"
        ("3.12. bis 14 Uhr", "date.unknown"),  # "bis" needs a time on both sides
        ("3.12. 14 bis", "date.unknown"),
        ("3.12. 14-15-16 Uhr", "date.unknown"),
        ("3.12. 14-15 Uhr 16:00", "date.unknown"),
        ("Dezember 14:00", "date.unknown"),  # a month needs its day
        ("Dez 14 Uhr", "date.unknown"),  # "14 Uhr" is an hour, not the day
        ("Mai 2026 14:00", "date.unknown"),
        ("3. Foo 14:00", "date.unknown"),
        ("31. Februar 10:00", "date.unknown"),
        ("3. Dez. 3.12. 14:00", "date.unknown"),
        ("letzten 14:00", "date.unknown"),
        ("last 3.12. 14:00", "date.unknown"),
        ("gestern morgen 10 Uhr", "date.unknown"),  # two days: never pick one
        ("morgen heute 14:00", "date.unknown"),
        ("3.12. morgen 14:00", "date.unknown"),
        ("Mo Di 14:00", "date.unknown"),
        ("morgen 14:00 15:00", "date.unknown"),
        ("2026-12-03T14:00 15:00", "date.unknown"),
        ("next 3.12. 14:00", "date.unknown"),
        ("nächsten 14:00", "date.unknown"),
        ("morgen 14:00 bitte", "date.unknown"),
        ("2026-12-03T14:00Z", "date.unknown"),
        ("3.12. 14:00!", "date.unknown"),
        ("3.12.", "date.no_time"),
        ("  Morgen  ", "date.no_time"),
        ("am Donnerstag", "date.no_time"),
        ("2026-12-03", "date.no_time"),
        ("Do 3.12", "date.no_time"),
        ("14:00", "date.no_date"),
        ("um 14 Uhr", "date.no_date"),
        ("2pm", "date.no_date"),
        ("14.30 Uhr", "date.no_date"),
        ("14-15 Uhr", "date.no_date"),
        ("3. Dezember", "date.no_time"),
        ("3.12. 15-14 Uhr", "date.range_order"),
        ("3.12. 14:00-14:00", "date.range_order"),
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


# -- month names, ranges, weekday mismatches, past relative days -----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "3. Dezember 2026 14 Uhr",
        "3. Dezember 14 Uhr",
        "3. Dez. 14:00",
        "3. Dez 14:00",
        "3.Dez. 14:00",
        "3 Dez 14:00",
        "3. dez. 14:00",
        "3. DEZEMBER 2026, 14:00",
        "am 3. Dezember um 14 Uhr",
        "Do, 3. Dez., 14 Uhr",
        "Donnerstag, den 3. Dezember 2026 um 14:00",
        "14 Uhr am 3. Dezember",
        "3 December 2026 2pm",
        "3rd December at 2pm",
        "3. Dec. 14:00",
        "December 3, 2026 2pm",
        "December 3rd at 14:00",
        "Dec. 3 2pm",
        "Thursday, Dec 3, 2026, 2pm",
    ],
)
def test_month_names(text: str) -> None:
    assert parse(text) == DEC3_14


@pytest.mark.parametrize(
    ("spellings", "month"),
    [
        (("Januar", "Jan", "Jan.", "January", "Jänner"), 1),
        (("Februar", "Feb", "Feb.", "February"), 2),
        (("März", "Maerz", "Marz", "MÄRZ", "ma\u0308rz", "Mär.", "Mrz", "March", "Mar"), 3),
        (("April", "Apr."), 4),
        (("Mai", "May"), 5),
        (("Juni", "Jun", "June"), 6),
        (("Juli", "Jul.", "July"), 7),
        (("August", "Aug"), 8),
        (("September", "Sep.", "Sept."), 9),
        (("Oktober", "Okt.", "October", "Oct"), 10),
        (("November", "Nov."), 11),
        (("Dezember", "Dez.", "December", "Dec"), 12),
    ],
)
def test_every_month_name(spellings: tuple[str, ...], month: int) -> None:
    for spelling in spellings:
        local = to_local(parse(f"15. {spelling} 2027 10:00"), BERLIN)
        assert (local.year, local.month, local.day, local.hour) == (2027, month, 15, 10), spelling


def test_year_less_month_name_rolls_over_like_dotted_dates() -> None:
    assert parse("3. Januar 10:00") == parse("3.1. 10:00") == utc(2027, 1, 3, 9)
    assert parse("21. November 14:00") == utc(2026, 11, 21, 13)  # today stays this year


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 2027-03-28: clocks jump from 02:00 CET to 03:00 CEST; the offset follows the named date.
        ("27. März 2027 14:00", utc(2027, 3, 27, 13)),
        ("28. März 2027 14:00", utc(2027, 3, 28, 12)),
        ("28. Maerz 2027 01:30", utc(2027, 3, 28, 0, 30)),
        ("25. Okt. 2026 02:30", utc(2026, 10, 25, 0, 30)),  # fall-back night: the first 02:30
        ("25. Okt. 2026 14:00", utc(2026, 10, 25, 13)),
    ],
)
def test_month_names_across_daylight_saving(text: str, expected: datetime) -> None:
    assert parse(text) == expected


def test_month_name_in_spring_forward_gap_does_not_exist() -> None:
    assert_error("28. März 2027 02:30", "date.nonexistent")


def slot(text: str, now: datetime = NOW) -> Slot:
    return parse_slot(text, now, BERLIN)


@pytest.mark.parametrize(
    ("text", "start", "minutes"),
    [
        ("3.12.2026 14:00-15:00 Uhr", DEC3_14, 60),
        ("3.12.2026 14:00 - 15:00 Uhr", DEC3_14, 60),
        ("3.12. 14:00–15:30", DEC3_14, 90),  # en dash
        ("3.12. 14:00—14:30", DEC3_14, 30),  # em dash
        ("Do, 3.12., 14 bis 15 Uhr", DEC3_14, 60),
        ("Do 3.12. 14-15 Uhr", DEC3_14, 60),
        ("3.12. 14 Uhr bis 15 Uhr", DEC3_14, 60),
        ("3.12. 14-15h", DEC3_14, 60),
        ("3.12. von 14 bis 15", DEC3_14, 60),
        ("3.12. von 14 bis 15:30 Uhr", DEC3_14, 90),
        ("am 3.12. von 14:00 bis 14:30 Uhr.", DEC3_14, 30),
        ("3.12. 14.00-15.00 Uhr", DEC3_14, 60),
        ("3.12. 14:30-15.30 Uhr", utc(2026, 12, 3, 13, 30), 60),
        ("3. Dez. 14-15 Uhr", DEC3_14, 60),
        ("Donnerstag, 3. Dezember, 14:00 bis 15:30 Uhr", DEC3_14, 90),
        ("3.12. 2-3pm", DEC3_14, 60),
        ("3.12. 2pm-3pm", DEC3_14, 60),
        ("3.12. 2pm - 3", DEC3_14, 60),
        ("Dec 3 from 2 to 3:30pm", DEC3_14, 90),
        ("3.12. 11-12pm", utc(2026, 12, 3, 10), 60),  # 11 a.m. to noon, not 11 p.m.
        ("3.12. 11:30am-1pm", utc(2026, 12, 3, 10, 30), 90),
        ("2026-12-03 14:00-15:00", DEC3_14, 60),
        ("morgen 14-15 Uhr", utc(2026, 11, 22, 13), 60),
        ("3.12. 14:00", DEC3_14, None),
        ("3.12. – 14 Uhr", DEC3_14, None),  # a dash that joins no two times is only a separator
    ],
)
def test_time_ranges(text: str, start: datetime, minutes: int | None) -> None:
    assert slot(text) == Slot(start, minutes)
    assert parse(text) == start


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("3.12. 14-14:45 Uhr", 45), ("3.12. 14-16 Uhr", 120), ("3.12. 14:00-15:15", 75), ("3.12. 9-17 Uhr", 480)],
)
def test_range_length_must_be_a_session_duration(text: str, minutes: int) -> None:
    with pytest.raises(UserError) as info:
        slot(text)
    assert info.value.key == "date.range_length"
    assert info.value.params == {"value": text, "minutes": minutes}
    assert_error(text, "date.range_length")  # parse_when checks the end too


def test_range_length_is_elapsed_time_across_daylight_saving() -> None:
    # Spring-forward night: 01:30 CET to 03:30 CEST is one real hour, and the session ends at 03:30.
    assert slot("28. März 2027 1:30-3:30 Uhr") == Slot(utc(2027, 3, 28, 0, 30), 60)
    # Fall-back night: 01:30 CEST to the first 02:30 (still CEST) is one hour.
    assert slot("25.10.2026 1:30-2:30 Uhr") == Slot(utc(2026, 10, 24, 23, 30), 60)
    assert_error("28. März 2027 1:30-2:30 Uhr", "date.nonexistent")  # the end does not exist


@pytest.mark.parametrize(
    ("text", "real"),
    [
        ("Di 30.11. 14 Uhr", datetime(2026, 11, 30, 12, tzinfo=BERLIN)),  # 30.11.2026 is a Monday
        ("Dienstag, 30.11.2026, 14:00", datetime(2026, 11, 30, 12, tzinfo=BERLIN)),
        ("Freitag 3.12. 14:00", datetime(2026, 12, 3, 12, tzinfo=BERLIN)),
        ("Fr, 3. Dezember, 14-15 Uhr", datetime(2026, 12, 3, 12, tzinfo=BERLIN)),
        ("Monday December 3 2pm", datetime(2026, 12, 3, 12, tzinfo=BERLIN)),
        ("Mo 3.12", datetime(2026, 12, 3, 12, tzinfo=BERLIN)),
        # Year-less and rolled over: 20.11.2027 is a Saturday, and 20.11.2026 was a Friday, not a Monday.
        ("Mo 20.11. 10 Uhr", datetime(2027, 11, 20, 12, tzinfo=BERLIN)),
    ],
)
def test_weekday_that_does_not_match_the_date_names_the_real_weekday(text: str, real: datetime) -> None:
    with pytest.raises(UserError) as info:
        parse(text)
    assert info.value.key == "date.wrong_weekday"
    assert info.value.params == {"value": text, "date": Moment(real.astimezone(UTC), "weekday_date")}


def test_wrong_weekday_message_names_the_weekday() -> None:
    from kiwibot.matrix.render import Renderer

    with pytest.raises(UserError) as info:
        parse("Di 30.11. 14 Uhr")
    renderer = Renderer(BERLIN)
    assert "Montag, 30. November 2026" in renderer.render(info.value.as_msg(), "de").body
    assert "Monday, November 30, 2026" in renderer.render(info.value.as_msg(), "en").body


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("gestern 10 Uhr", utc(2026, 11, 20, 9)),
        ("Gestern um 10:00", utc(2026, 11, 20, 9)),
        ("vorgestern 10 Uhr", utc(2026, 11, 19, 9)),
        ("yesterday 10am", utc(2026, 11, 20, 9)),
        ("day before yesterday at 10:00", utc(2026, 11, 19, 9)),
        ("heute 9 Uhr", utc(2026, 11, 21, 8)),  # today, two hours ago
        ("letzten Montag 10 Uhr", utc(2026, 11, 16, 9)),
        ("vergangenen Freitag 10 Uhr", utc(2026, 11, 20, 9)),
        ("last Saturday 10am", utc(2026, 11, 14, 9)),  # today is Saturday: a week ago
        ("gestern 10-11 Uhr", utc(2026, 11, 20, 9)),
        # Friday 20.11. said on Saturday the 21st is yesterday (20.11.2027 would be a Saturday).
        ("Fr 20.11. 10 Uhr", utc(2026, 11, 20, 9)),
        ("Freitag, 20. November, 10 Uhr", utc(2026, 11, 20, 9)),
        ("3.1.2026 10:00", utc(2026, 1, 3, 9)),
    ],
)
def test_past_days_parse_so_the_caller_can_say_they_are_past(text: str, expected: datetime) -> None:
    assert parse(text) == expected
    assert parse(text) < NOW


def test_yesterday_across_daylight_saving() -> None:
    # Sunday 28 March 2027 at 10:00 CEST: yesterday was still winter time.
    sunday = datetime(2027, 3, 28, 8, 0, tzinfo=UTC)
    assert parse("gestern 14:00", sunday) == utc(2027, 3, 27, 13)
    assert parse("heute 14:00", sunday) == utc(2027, 3, 28, 12)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6. Dezember fällt aus", True),
        ("6.12. ist Feiertag", True),
        ("14 Uhr passt nicht", True),
        ("morgen geht nicht", True),
        ("6", False),
        ("6.", False),
        ("6 Leute fehlen", False),
        ("#6", False),
        ("Nr. 6", False),
        ("Krankheit", False),
        ("", False),
    ],
)
def test_starts_with_moment(text: str, expected: bool) -> None:
    assert starts_with_moment(text) is expected
