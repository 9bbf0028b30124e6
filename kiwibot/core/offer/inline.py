"""One-line offers: "Titel: E-Akte Termin: 3.12. 14:00 Dauer: 60 Format: impuls", as people type them into a
single-line chat box, cut into the `Feld: Wert` lines the parser reads.

Only a line that starts with a known field name is cut, and only before another known field name with its colon
("Termin:", "Duration:", "Co-Geber:in:"), so "Wir lernen: Akten anlegen" stays running text. Where the same
name stands more than once, the last one is the field (a title "Neues Format: Impuls-Reihe" before "Format:
impuls"); a field that some line starts with anyway is never cut out of another line. Inside the description
only a required field not given yet is cut out ("… Termin: 3.12." after it): "Mein Wunsch: mehr Praxis" or
"Link: folgt" in the description's text stay there.
"""

from __future__ import annotations

import itertools
import re

from kiwibot.core.offer.fields import REQUIRED
from kiwibot.core.offer.syntax import ALIASES, INLINE_KEY, LINE, key_form, single_line

# Where a field name may begin inside a line: after a space, a comma, a semicolon or a bar.
_WORD_START = re.compile(r"(?<=[\s,;|])(?=[^\s,;|])")
_SEPARATORS = " ,;|"


def _leading_field(line: str) -> str | None:
    match = LINE.match(line) if line else None
    return ALIASES.get(key_form(match["key"])) if match else None


def split_inline(lines: list[str]) -> tuple[list[str], bool]:
    """The lines with each one-line run of fields cut into one line per field; True if any line was cut."""
    given = {field for raw in lines if (field := _leading_field(single_line(raw))) is not None}
    result: list[str] = []
    cut = False
    for raw in lines:
        line = single_line(raw)
        own = _leading_field(line)
        pieces = _pieces(line, own, given) if own is not None else [line]
        cut = cut or len(pieces) > 1
        result.extend(pieces if len(pieces) > 1 else [raw])
    return result, cut


def _pieces(line: str, own: str, given: set[str]) -> list[str]:
    """`line` (starting with field `own`) cut before each further field name that is a field here."""
    match = LINE.match(line)
    assert match is not None
    named: list[tuple[int, str]] = []  # (where a field name starts, its field), in order
    for start in _WORD_START.finditer(line, match.start("value")):
        key = INLINE_KEY.match(line, start.start())
        field = ALIASES.get(key_form(key["key"])) if key is not None else None
        if field is not None and field not in given:
            named.append((start.start(), field))
    cuts: list[int] = []
    done: set[str] = set()
    in_description = own == "description"
    for index, (position, field) in enumerate(named):
        if field in done or (in_description and field not in REQUIRED):
            continue
        later = next((f for _, f in named[index + 1 :] if f in (field, "description")), None)
        if later == field and field != "description":  # named again before a description: that one is the field
            continue
        cuts.append(position)
        done.add(field)
        in_description = field == "description"
    bounds = [0, *cuts, len(line)]
    return [line[a:b].rstrip(_SEPARATORS) for a, b in itertools.pairwise(bounds)]
