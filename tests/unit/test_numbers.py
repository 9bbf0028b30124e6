"""Session numbers in commands: one way to write them everywhere, and one rule for several of them."""

from __future__ import annotations

from typing import Any

import pytest

from kiwibot.commands import sessions
from kiwibot.commands.builtin import COMMANDS, build_registry
from kiwibot.core.effects import Outcome, Refresh
from kiwibot.core.errors import UserError
from kiwibot.core.messages import Code, Lines, Msg

REG = build_registry("!")
NUMBER_COMMANDS = [c.primary("de") for c in COMMANDS if c.args and c.args[0].name == "number"]


def args(command: str, text: str) -> list[Any]:
    found = REG.find(command)
    assert found is not None
    return REG.parse_args(found, text, "de")


def refusal(command: str, text: str) -> UserError:
    with pytest.raises(UserError) as info:
        args(command, text)
    return info.value


def test_every_command_that_takes_a_session_number_is_covered() -> None:
    expected = ["anmelden", "abmelden", "teilnehmende", "ändern", "absagen", "wiederholen", "material", "feedback"]
    assert sorted(NUMBER_COMMANDS) == sorted(expected)


SPELLINGS = ["6", "6.", "#6", "# 6", "Nr. 6", "Nr 6", "nr.6", "NR. 6", "Nr. 6.", "Nummer 6", "No. 6", "number 6", "06"]


@pytest.mark.parametrize("written", SPELLINGS)
@pytest.mark.parametrize("command", NUMBER_COMMANDS)
def test_session_number_spellings_work_in_every_command(command: str, written: str) -> None:
    text = written if command not in ("wiederholen",) else f"{written} morgen 14 Uhr"
    parsed = args(command, text)
    assert parsed[0] in (6, (6,))


@pytest.mark.parametrize("written", ["0", "abc", "Nr.", "#", "6.5", "-6", "6a", "1234567890"])
def test_bad_numbers_are_refused_with_the_value(written: str) -> None:
    error = refusal("anmelden", written)
    assert error.key == "error.bad_number"
    assert error.params["value"] == written


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5 6", (5, 6)),
        ("5, 6 und 7", (5, 6, 7)),
        ("5,6", (5, 6)),
        ("5 & 6", (5, 6)),
        ("#5 #6", (5, 6)),
        ("Nr. 5 und Nr. 6", (5, 6)),
        ("5 and 6", (5, 6)),
        ("5. 6.", (5, 6)),
        ("5 5 6", (5, 6)),  # each once
        ("6 5", (6, 5)),  # in the order given
    ],
)
@pytest.mark.parametrize("command", ["anmelden", "join", "abmelden", "leave"])
def test_signup_and_signoff_take_several_numbers(command: str, text: str, expected: tuple[int, ...]) -> None:
    assert args(command, text) == [expected]


def test_several_numbers_have_a_limit() -> None:
    assert args("anmelden", " ".join(str(n) for n in range(1, 11))) == [tuple(range(1, 11))]
    error = refusal("anmelden", " ".join(str(n) for n in range(1, 12)))
    assert error.key == "error.too_many_numbers"


@pytest.mark.parametrize("text", ["5 bitte", "bitte 5", "5 und bitte", "5, please", "5 and"])
def test_filler_words_around_the_numbers_are_ignored(text: str) -> None:
    assert args("anmelden", text) == [(5,)]


@pytest.mark.parametrize("text", ["bitte", "und", ", ;"])
def test_nothing_but_filler_is_a_usage_error(text: str) -> None:
    error = refusal("anmelden", text)
    assert error.key == "error.usage"
    assert error.params["usage"] == Code("!anmelden <Nr.> [Nr. …]")


def keys(parsed: tuple[int | UserError, ...]) -> list[int | str]:
    return [item.key + ":" + str(item.params["value"]) if isinstance(item, UserError) else item for item in parsed]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 W7", [2, "error.wish_number:W7"]),
        ("#3, 2 und W7", [3, 2, "error.wish_number:W7"]),
        ("2 und 4 bitte", [2, 4]),
        ("W7 2", ["error.wish_number:W7", 2]),
        ("2 sieben 3", [2, "error.bad_number:sieben", 3]),
        ("5 weil ich Lust habe", [5, "error.bad_number:weil ich Lust habe"]),
        ("5 6a, Nr. 7", [5, "error.bad_number:6a", 7]),
        ("W7 W8", ["error.wish_number:W7", "error.wish_number:W8"]),
    ],
)
@pytest.mark.parametrize("command", ["anmelden", "abmelden"])
def test_a_bad_item_in_a_list_is_kept_as_its_refusal_and_does_not_stop_the_others(
    command: str, text: str, expected: list[int | str]
) -> None:
    (parsed,) = args(command, text)
    assert keys(parsed) == expected


def test_one_bad_item_alone_is_refused_as_before() -> None:
    assert refusal("anmelden", "W7").key == "error.wish_number"
    assert refusal("anmelden", "W7 bitte").key == "error.wish_number"
    assert refusal("abmelden", "sieben").params["value"] == "sieben"


def test_refused_items_count_not_toward_the_limit() -> None:
    parsed = args("anmelden", " ".join(str(n) for n in range(1, 11)) + " W7")[0]
    assert len(parsed) == 11


@pytest.mark.parametrize(
    ("command", "text"),
    [
        ("absagen", "5 6"),
        ("absagen", "5, 6"),
        ("absagen", "5 und 6"),
        ("absagen", "5 #6"),
        ("absagen", "5 Nr. 6"),
        ("absagen", "5 6."),
        ("absagen", "5 6 Leute sind krank"),
        ("cancel", "5 6"),
        ("ändern", "5 6"),
        ("edit", "5 6\nLink: https://example.org"),
        ("wiederholen", "5 6"),
        ("wiederholen", "5 6 morgen 14 Uhr"),
        ("teilnehmende", "5 6"),
        ("participants", "5, 6"),
    ],
)
def test_a_second_number_is_refused_where_only_one_makes_sense(command: str, text: str) -> None:
    error = refusal(command, text)
    assert error.key == "error.one_number"
    assert error.params["value"] in ("6", "#6", "Nr. 6")
    assert error.params["usage"] == REG.usage(REG.find(command), "de")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("5 Krankheit", "Krankheit"),
        ("5: Krankheit", "Krankheit"),
        ("Nr. 5 Krankheit", "Krankheit"),
        ("5 Krankheit, 6 Leute fehlen", "Krankheit, 6 Leute fehlen"),
        ("5 6. Dezember fällt aus", "6. Dezember fällt aus"),  # a date, not a second number
        ("5 6.12. ist Feiertag", "6.12. ist Feiertag"),
        ("5 14 Uhr passt leider nicht", "14 Uhr passt leider nicht"),
        ("5 No problem", "No problem"),
        ("5", None),
    ],
)
def test_reasons_start_with_a_word_or_a_date(text: str, reason: str | None) -> None:
    assert args("absagen", text) == [5, reason]


def test_changes_and_dates_after_one_number_still_work() -> None:
    assert args("ändern", "5\nTermin: 6.12. 14 Uhr") == [5, "Termin: 6.12. 14 Uhr"]
    assert args("wiederholen", "5 6. Dez. 14 Uhr") == [5, "6. Dez. 14 Uhr"]
    assert args("wiederholen", "Nr. 5 14 Uhr morgen") == [5, "14 Uhr morgen"]
    assert args("teilnehmende", "#5") == [5]


def test_usage_shows_which_commands_take_several_numbers() -> None:
    assert REG.usage(REG.find("join"), "de") == Code("!anmelden <Nr.> [Nr. …]")  # type: ignore[arg-type]
    assert REG.usage(REG.find("leave"), "en") == Code("!leave <no.> [no. …]")  # type: ignore[arg-type]
    assert REG.usage(REG.find("cancel"), "de") == Code("!absagen <Nr.> [Grund]")  # type: ignore[arg-type]


def test_one_number_gives_its_own_outcome_or_error() -> None:
    single = Outcome(Msg.of("signup.ok", number=5), (Refresh(5),))
    assert sessions._each((5,), lambda n: single) is single

    def refuse(n: int) -> Outcome:
        raise UserError("session.unknown", number=n)

    with pytest.raises(UserError):
        sessions._each((5,), refuse)


def test_several_numbers_give_one_reply_with_a_line_each_and_errors_in_between() -> None:
    done: list[int] = []

    def act(n: int) -> Outcome:
        if n == 6:
            raise UserError("session.unknown", number=n)
        done.append(n)
        return Outcome(Msg.of("signup.ok", number=n), (Refresh(n),))

    outcome = sessions._each((5, 6, 7), act)
    assert done == [5, 7]
    assert outcome.reply == Lines(
        (Msg.of("signup.ok", number=5), Msg.of("session.unknown", number=6), Msg.of("signup.ok", number=7))
    )
    assert outcome.effects == (Refresh(5), Refresh(7))


def test_an_item_that_is_no_number_is_told_in_its_line_and_the_numbers_are_done() -> None:
    done: list[int] = []

    def act(n: int) -> Outcome:
        done.append(n)
        return Outcome(Msg.of("signup.ok", number=n), (Refresh(n),))

    wish = UserError("error.wish_number", value="W7")
    outcome = sessions._each((2, wish), act)
    assert done == [2]
    assert outcome.reply == Lines((Msg.of("signup.ok", number=2), Msg.of("error.wish_number", value="W7")))
    assert outcome.effects == (Refresh(2),)
