"""Plural forms by CLDR category (babel's rules), so catalogue entries never say "(n)"."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from babel import Locale


@dataclass(frozen=True, slots=True)
class Plural:
    """Forms of one message by plural category ("one", "few", "other" …); `count` names the deciding parameter."""

    count: str
    forms: Mapping[str, str]

    def choose(self, language: str, value: Any) -> str:
        try:
            number = abs(int(value))
        except (TypeError, ValueError):
            return self.forms["other"]
        return self.forms.get(plural_rule(language)(number), self.forms["other"])


def plural(count: str, **forms: str) -> Plural:
    """`plural("pages", one="… {pages} Seite", other="… {pages} Seiten")`: one form per category."""
    if "other" not in forms:
        raise ValueError("a plural message needs its 'other' form")
    return Plural(count, forms)


@cache
def plural_rule(language: str) -> Any:
    return Locale.parse(language).plural_form


def plural_categories(language: str) -> frozenset[str]:
    """The categories a language distinguishes for whole numbers, 'other' included."""
    return frozenset({*plural_rule(language).tags, "other"})
