"""Which command a mistyped word most likely meant: the suggestion after "Den Befehl … kenne ich nicht".

Plain closeness (difflib) picks wrong where German words differ by an umlaut or an ending: "!wünsch" is closer to
`!wünsche` (the list of wishes) than to `!wunsch` (make a wish), though it is `!wunsch` with an umlaut. So, in
order: a word that is an alias but for how umlauts are written is that command; a word followed by text does not
mean a command that takes none when it is another command's alias with an ending ("!wunsche Excel-Kurs"); and
the word shown is the command's alias in the asker's language when that is about as close as the closest alias.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from kiwibot.core import learning

if TYPE_CHECKING:
    from kiwibot.commands.registry import Command

CUTOFF = 0.6
# How much less close the asker's language's alias may be than the closest alias of the same command.
_LANGUAGE_MARGIN = 0.15


def fold(word: str) -> str:
    """A command word as people spell it without (or with) umlauts: "wünsch", "wuensch", "wunsch" are one (the
    archive search's folding, without hyphens)."""
    return learning.fold(word.casefold()).replace("-", "")


def _closeness(word: str, alias: str) -> float:
    return difflib.SequenceMatcher(None, word, alias.casefold()).ratio()


def suggestion(word: str, commands: Sequence[Command], language: str, has_text: bool = False) -> str | None:
    """The alias (without prefix) to suggest for the unknown `word`, or None when no command is close."""
    word = word.casefold()
    if not re.search(r"\w", word):
        return None
    same = [command for command in commands if any(fold(a) == fold(word) for a in command.all_aliases())]
    if same:
        command = same[0]
    else:
        scored = [(_closeness(word, alias), command) for command in commands for alias in command.all_aliases()]
        if not scored:
            return None
        best, command = max(scored, key=lambda item: item[0])  # the first declared among equally close ones
        if best < CUTOFF:
            return None
    if has_text and not command.args:  # "!wishs Excel-Kurs" means `!wish`, not `!wishes` (which takes no text)
        command = next((c for c in commands if c.args and _inflected(word, c)), command)
    return _shown_alias(word, command, language)


def _inflected(word: str, command: Command) -> bool:
    """Whether `word` is one of the command's aliases with an ending added ("wunsche", "wünschen", "wishs")."""
    return any(
        fold(word).startswith(fold(alias)) and _closeness(word, alias) >= CUTOFF for alias in command.all_aliases()
    )


def _shown_alias(word: str, command: Command, language: str) -> str:
    """The command's alias closest to `word`, in the asker's language if one there is about as close."""
    ranked = sorted(command.all_aliases(), key=lambda alias: -_closeness(word, alias))
    own = [alias for alias in ranked if alias in command.aliases.get(language, ())]
    if own and _closeness(word, own[0]) >= _closeness(word, ranked[0]) - _LANGUAGE_MARGIN:
        return own[0]
    return ranked[0]
