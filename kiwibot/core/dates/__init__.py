"""Turning what people type ("am Donnerstag um 14 Uhr", "3. Dez. 14-15 Uhr", "tomorrow 2pm") into a UTC moment.

Users think in local wall-clock time and mix German and English; the bot stores and schedules in UTC.
Parsing is strict on purpose: a guess that lands on the wrong day is worse than asking again, so
anything not clearly understood becomes a `UserError` the user can fix.

This package only parses. Whether the moment is in the past or too far ahead is the caller's business
("gestern 10 Uhr" parses to yesterday, and the caller says that it is past). The parts, in the order the
text passes through them:
  scan.py       the text folded and cut into tokens: dates, times, weekday and month names, fillers
  tokens.py     what the tokens are, and building a valid wall-clock time
  interpret.py  the tokens combined into at most one day, one time and one end ("14-15 Uhr")
  parse.py      the public functions: a `Slot` in UTC, and the user's errors
"""

from __future__ import annotations

from kiwibot.core.dates.parse import Slot, parse_slot, parse_when, starts_with_moment, to_local

__all__ = ["Slot", "parse_slot", "parse_when", "starts_with_moment", "to_local"]
