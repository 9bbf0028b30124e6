"""Mistyped command words get the command meant, in the asker's language: umlauts spelled another way, a
missing letter, an ending too many."""

from __future__ import annotations

import pytest

from kiwibot.commands.builtin import COMMANDS
from kiwibot.commands.registry import CommandRegistry
from kiwibot.commands.suggest import fold, suggestion

REG = CommandRegistry("!", COMMANDS)


@pytest.mark.parametrize(
    ("word", "language", "has_text", "expected"),
    [
        ("wünsch", "de", False, "wunsch"),  # `!wunsch` with an umlaut, not the list `!wünsche`
        ("Wünsch", "de", True, "wunsch"),
        ("wuensch", "de", False, "wunsch"),
        ("wunsche", "de", False, "wuensche"),  # the list of wishes without its umlaut
        ("wunsche", "de", True, "wunsch"),  # … but with a topic after it: make a wish
        ("wünschen", "de", True, "wunsch"),
        ("wishs", "en", True, "wish"),
        ("wishs", "en", False, "wishes"),
        ("anbietn", "de", False, "anbieten"),
        ("kalendr", "de", False, "kalender"),
        ("abmeldn", "de", True, "abmelden"),
        ("hilfee", "de", False, "hilfe"),
        ("hlife", "de", False, "hilfe"),
        ("calender", "en", False, "calendar"),  # as close to `!kalender`: the asker's language wins
        ("calender", "de", False, "kalender"),
        ("andern", "de", True, "aendern"),
        ("tagesprogram", "de", True, "tagesprogramm"),  # a plain typo stays a plain typo
        ("programms", "de", True, "programm"),
    ],
)
def test_a_typo_gets_the_command_meant(word: str, language: str, has_text: bool, expected: str) -> None:
    assert REG.find(word) is None
    assert REG.closest(word, language, has_text) == expected


@pytest.mark.parametrize("word", ["xyzzyq", "!!", "", "a"])
def test_nothing_close_gets_no_suggestion(word: str) -> None:
    assert suggestion(word, COMMANDS, "de") is None


def test_every_alias_folds_to_itself_only_within_its_command() -> None:
    """Folding umlauts must not make two commands one: else a typo could name the wrong one."""
    owners: dict[str, str] = {}
    for command in COMMANDS:
        for alias in command.all_aliases():
            assert owners.setdefault(fold(alias), command.name) == command.name, alias


def test_a_real_command_is_no_typo() -> None:
    invocation = REG.match("!wunsch Barrierefreie PDFs")
    assert invocation is not None and invocation.command is REG.find("wish")
    assert REG.match("!wünsche") is not None and REG.match("!wünsche").command is REG.find("wishes")
