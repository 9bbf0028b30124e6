"""Reading an offer ("!anbieten" + `Feld: Wert` lines) into checked fields, and sanitising user HTML.

People write offers by hand, in German or English, often by editing the template. The parser is
lenient where the meaning is clear ("60 min", "1,5 h", "**Titel:**", "Link: folgt") and strict
where a guess could publish something wrong. It never stops at the first mistake: every problem
found is collected and raised together as one `UserError("offer.invalid", problems=...)`, so the
reply names all of them at once.

The description may run over several lines and may stand anywhere: after "Beschreibung:" every line
belongs to it except a known `Feld: Wert` line ("Link: …", "Plätze: 5"), which is read as that field
("Ziel: …" stays in the description). If the sender's client also sent HTML, the formatted description
is cut from it, the field lines are cut out of it as well, and it is sanitised with a small allowlist.

The template (`offer_template`) comes from the catalogue; sent back with its example title or
description still in place it is refused, and a code fence around a pasted template or the command
word pasted again are ignored.

Pure: no chat platform, no storage, no I/O. The parts, each readable alone:
  syntax.py    what a `Feld: Wert` line looks like, the field names in both languages
  fields.py    each field's value checked ("1,5 h" → 90), the limits, `OfferFields`
  template.py  the template to copy, and recognising its examples sent back unchanged
  html.py      sanitising user HTML, and cutting the formatted description out of it
  inline.py    a one-line offer ("Titel: … Termin: … Dauer: …") cut into its field lines
  parse.py     `parse_offer`: the lines read in order, every problem collected
"""

from __future__ import annotations

from kiwibot.core.model import MAX_AHEAD
from kiwibot.core.offer.fields import DESCRIPTION_MAX, SEATS_MAX, TITLE_MAX, OfferFields, format_choices
from kiwibot.core.offer.html import sanitize_html
from kiwibot.core.offer.parse import parse_offer
from kiwibot.core.offer.syntax import FIELDS
from kiwibot.core.offer.template import offer_template

__all__ = [
    "DESCRIPTION_MAX",
    "FIELDS",
    "MAX_AHEAD",
    "SEATS_MAX",
    "TITLE_MAX",
    "OfferFields",
    "format_choices",
    "offer_template",
    "parse_offer",
    "sanitize_html",
]
