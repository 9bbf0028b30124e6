"""The message catalogue: one key per message, German first, English second.

A message with a number is a `Plural` (see plurals.py): one template per CLDR plural category of the
language, chosen by the value of one named parameter when the message is rendered. No "(n)" and no
`if n == 1` in code.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from typing import Any

from kiwibot.i18n import de, en, loop_de, loop_en, offer_de, offer_en, privacy_de, privacy_en
from kiwibot.i18n.plurals import Plural, plural_categories

Template = str | Plural
__all__ = [
    "CATALOGUE",
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "Plural",
    "Template",
    "entry",
    "placeholders",
    "plural_categories",
    "template",
    "use_command_prefix",
]


LANGUAGES: tuple[str, ...] = ("de", "en")
DEFAULT_LANGUAGE = "de"

CATALOGUE: Mapping[str, Mapping[str, Template]] = {
    "de": {**de.MESSAGES, **offer_de.MESSAGES, **loop_de.MESSAGES, **privacy_de.MESSAGES},
    "en": {**en.MESSAGES, **offer_en.MESSAGES, **loop_en.MESSAGES, **privacy_en.MESSAGES},
}


def entry(language: str, key: str) -> Template:
    """The catalogue entry for `key`; German when a language lacks it (the key test keeps that from happening)."""
    messages = CATALOGUE.get(language, CATALOGUE[DEFAULT_LANGUAGE])
    try:
        return messages[key]
    except KeyError:
        return CATALOGUE[DEFAULT_LANGUAGE][key]


# The catalogue writes commands with "!" (`!ändern 3`); an operator's own `command_prefix` replaces it there.
_COMMAND = re.compile(r"(?<![\w!])!(?=[^\W\d_])")
_prefix = "!"


def use_command_prefix(prefix: str) -> None:
    """The prefix the commands quoted in messages are shown with (the composition root sets the configured one)."""
    global _prefix
    _prefix = prefix


def template(language: str, key: str, params: Mapping[str, Any] | None = None) -> str:
    """The text to fill for `key`: for a plural message, the form that fits its count parameter."""
    found = entry(language, key)
    text = found.choose(language, (params or {}).get(found.count)) if isinstance(found, Plural) else found
    return text if _prefix == "!" else _COMMAND.sub(lambda _: _prefix, text)


def placeholders(text: Template) -> set[str]:
    """Placeholders of a message; for a plural one, of all its forms together."""
    texts = text.forms.values() if isinstance(text, Plural) else (text,)
    return {name for t in texts for _, name, _, _ in string.Formatter().parse(t) if name}
