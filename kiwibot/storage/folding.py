"""The archive's search folding in SQL: the same steps as `kiwibot.core.learning.fold`, for the index's triggers.

The search index is kept by triggers inside SQLite, so the folding of what it indexes must be SQL; the search
words are folded in Python. A unit test (tests/unit/test_learning.py) runs both over the same texts and holds
them equal. Migration 8 is built from `folded`: a released migration never changes, so neither may these steps
(a different folding needs a new migration that rebuilds the index).
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
