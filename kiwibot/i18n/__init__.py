"""The message catalogue: one key per message, German first, English second."""

from __future__ import annotations

import string
from collections.abc import Mapping

from kiwibot.i18n import de, en, offer_de, offer_en

LANGUAGES: tuple[str, ...] = ("de", "en")
DEFAULT_LANGUAGE = "de"

CATALOGUE: Mapping[str, Mapping[str, str]] = {
    "de": {**de.MESSAGES, **offer_de.MESSAGES},
    "en": {**en.MESSAGES, **offer_en.MESSAGES},
}


def template(language: str, key: str) -> str:
    """The template for `key`; German when a language lacks it (the key test keeps that from happening)."""
    messages = CATALOGUE.get(language, CATALOGUE[DEFAULT_LANGUAGE])
    try:
        return messages[key]
    except KeyError:
        return CATALOGUE[DEFAULT_LANGUAGE][key]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
