"""The archive's search folding in SQL: the same steps as `kiwibot.core.learning.fold`, for the index's triggers.

The search index is kept by triggers inside SQLite, so the folding of what it indexes must be SQL; the search
words are folded in Python. A unit test (tests/unit/test_learning.py) runs both over the same texts and holds
them equal. Migrations 8 and 16 are built from these steps: a released migration never changes, so neither may
they (a different folding needs a new migration that rebuilds the index).
"""

from __future__ import annotations

# SQLite's lower() folds ASCII letters only (without ICU), like `fold`'s first step; the tokenizer folds the rest.
STEPS: tuple[tuple[str, str], ...] = (
    ("ä", "a"),
    ("ö", "o"),
    ("ü", "u"),
    ("Ä", "a"),
    ("Ö", "o"),
    ("Ü", "u"),
    ("ß", "ss"),
    ("ẞ", "ss"),
    ("ae", "a"),
    ("oe", "o"),
    ("ue", "u"),
)


def folded(expression: str) -> str:
    """SQL that folds the text `expression` gives (a column, or `NEW.title` in a trigger)."""
    sql = f"lower({expression})"
    for before, after in STEPS:
        sql = f"replace({sql}, '{before}', '{after}')"
    return sql


def search_values(row: str) -> str:
    """The indexed columns of a session (title, description, giver's name and id), folded; `row` is the table or
    trigger row (`sessions`, `NEW`, `OLD`)."""
    localpart = f"substr({row}.giver, 2, instr({row}.giver, ':') - 2)"
    giver = f"{row}.giver_name || ' ' || {localpart}"
    return ", ".join((folded(f"{row}.title"), folded(f"{row}.description"), folded(giver)))


# Marks inside a word that people write or leave out: "E-Akte" is "eAkte", "Einsteiger:innen" (and *innen, _innen,
# /innen, ·innen) is "Einsteigerinnen". The index holds a text's words and, where it has such marks, the text once
# more without them, so the joined form is found too (`kiwibot.core.learning.JOINERS` is the same list).
JOINERS: tuple[str, ...] = ("-", "\u2010", "\u2011", ":", "*", "_", "/", "\u00b7")


def joined(expression: str) -> str:
    """SQL for the text without the joining marks."""
    sql = expression
    for mark in JOINERS:
        sql = f"replace({sql}, '{mark}', '')"
    return sql


def search_source() -> str:
    """The SELECT of migration 16's view `session_search_source`: each session's id, title, description and
    givers (the giver's name and Matrix id, and the co-givers' ids), folded, each with its joined form."""
    cogivers = "(SELECT group_concat(c.user_id, ' ') FROM cogivers c WHERE c.session_id = s.id)"
    givers = f"s.giver_name || ' ' || s.giver || ' ' || coalesce({cogivers}, '')"
    columns = ", ".join(_both(text) for text in ("s.title", "s.description", givers))
    return f"SELECT s.id, {columns} FROM sessions s"


def _both(expression: str) -> str:
    """The folded text, and after it the folded text without joining marks if that differs."""
    plain, together = folded(expression), folded(joined(expression))
    return f"CASE WHEN {joined(expression)} = {expression} THEN {plain} ELSE {plain} || ' ' || {together} END"
