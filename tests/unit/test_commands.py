"""Commands as data: matching, argument parsing and generated help."""

from __future__ import annotations

import pytest

from kiwibot.commands.builtin import COMMANDS, build_registry
from kiwibot.core.errors import UserError
from kiwibot.core.messages import Msg
from kiwibot.matrix.render import Renderer

REG = build_registry("!")


def test_plain_chat_is_not_a_command() -> None:
    for text in ["hallo", "", "   ", "!", "! wow", "! hlife", "!!", "!123", "! 123", "ping!"]:
        assert REG.match(text) is None, text


def test_a_space_after_the_prefix_is_forgiven_for_our_own_commands() -> None:
    """Phone keyboards put a space after "!": "! anmelden 7" means the command, "! wow" stays chat."""
    signup = REG.match("! anmelden 7")
    assert signup is not None and signup.command is REG.find("anmelden") and signup.text == "7"
    assert REG.match("!  Hilfe").command is REG.find("help")


def test_commands_match_in_any_case_and_language() -> None:
    assert REG.match("!HILFE").command is REG.find("help")
    assert REG.match("!help ping").text == "ping"
    assert REG.match("  !Sprache en ").command is REG.find("language")
    unknown = REG.match("!hlife")
    assert unknown.command is None and REG.closest(unknown.word) == "hilfe"


def test_a_command_written_as_two_words_is_that_command() -> None:
    """ "!meine daten" is `!meinedaten`, not `!meine` (my sessions) with a stray word; "!my data" is `!mydata`."""
    for text in ("!meine daten", "!Meine Daten", "! meine daten", "!my data"):
        found = REG.match(text)
        assert found is not None and found.command is REG.find("meinedaten") and found.text == "", text
    assert REG.match("!meine").command is REG.find("meine")
    assert REG.match("!anmelden 7").text == "7"


@pytest.mark.parametrize(
    ("text", "name", "args"),
    [
        ("!programm.", "programme", ""),
        ("!meine?", "mine", ""),
        ("!ping!", "ping", ""),
        ("!Hilfe?!", "help", ""),
        ("!hilfe: anmelden", "help", "anmelden"),
        ("!meine daten.", "mydata", ""),
        ("! programm…", "programme", ""),
    ],
)
def test_sentence_punctuation_after_the_command_word_is_not_part_of_it(text: str, name: str, args: str) -> None:
    found = REG.match(text)
    assert found is not None and found.command is not None and found.command.name == name, text
    assert found.text == args


def test_arguments_parse_and_extra_words_are_refused() -> None:
    language = REG.find("language")
    assert REG.parse_args(language, "en", "de") == ["en"]
    with pytest.raises(UserError) as err:
        REG.parse_args(language, "en de", "de")
    assert err.value.key == "error.usage"
    with pytest.raises(UserError):
        REG.parse_args(language, "", "de")


def test_help_is_generated_from_every_visible_declaration() -> None:
    from zoneinfo import ZoneInfo

    text = Renderer(ZoneInfo("Europe/Berlin")).render(REG.help("de"), "de").body
    for command in COMMANDS:
        if not command.hidden:
            assert f"`!{command.primary('de')}" in text


def test_aliases_are_unique() -> None:
    with pytest.raises(ValueError):
        type(REG)("!", [*COMMANDS, COMMANDS[0]])


def test_usage_marks_optional_arguments() -> None:
    from kiwibot.core.messages import Code

    assert REG.usage(REG.find("help"), "de") == Code("!hilfe [Befehl]")
    assert REG.usage(REG.find("language"), "en") == Code("!language <language>")
    assert isinstance(REG.help_for(REG.find("ping"), "de"), Msg)
