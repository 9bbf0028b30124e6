"""The catalogue: every language has every key with the same placeholders."""

from __future__ import annotations

import pytest

from kiwibot.i18n import CATALOGUE, LANGUAGES, placeholders


def test_every_language_has_every_key() -> None:
    keys = {lang: set(CATALOGUE[lang]) for lang in LANGUAGES}
    for lang in LANGUAGES:
        assert keys[lang] == keys["de"], f"{lang}: missing {keys['de'] - keys[lang]}, extra {keys[lang] - keys['de']}"


@pytest.mark.parametrize("key", sorted(CATALOGUE["de"]))
def test_placeholders_agree(key: str) -> None:
    expected = placeholders(CATALOGUE["de"][key])
    for lang in LANGUAGES:
        assert placeholders(CATALOGUE[lang][key]) == expected, f"{lang}:{key}"


def test_command_help_texts_exist_for_every_declared_command() -> None:
    from kiwibot.commands.builtin import COMMANDS

    for command in COMMANDS:
        for lang in LANGUAGES:
            assert command.help in CATALOGUE[lang]
            for arg in command.args:
                assert f"arg.{arg.name}" in CATALOGUE[lang]
