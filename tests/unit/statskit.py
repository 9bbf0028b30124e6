"""A seeded database whose statistics are known (#14.6): shared by the unit tests and the real-Synapse test."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from kiwibot.core.model import Format, SessionDraft
from kiwibot.storage import Store

TZ = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
ANNA, BEN, CEM, DORA, EVE = "@anna:x", "@ben:x", "@cem:x", "@dora:x", "@eve:x"
P = [f"@p{i}:x" for i in range(1, 6)]


def local(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def seed(store: Store) -> None:
    """Dec 2025: Anna's first session. Jan 2026: Anna (talk, 3 seats, 4 signed up: one waits) and Ben with Cem
    (workshop, no limit); ratings 5, 4, 3 and a comment without rating. Feb: Anna (talk, 4 seats, 1 came), Ben's
    exchange cancelled. Apr: Dora's group at 00:30 on 1 April Berlin time (still March in UTC). Oct: Eve's AMA,
    10 seats, 5 came. Nov: a session still to come (not held)."""

    def session(giver: str, start: datetime, fmt: Format, seats: int | None, people: list[str]) -> int:
        s = store.create_session(SessionDraft(giver, f"S {start:%Y-%m-%d}", start, 60, fmt, seats=seats), NOW)
        for i, person in enumerate(people):
            store.add_signup_source(s.id, person, f"$src-{s.id}-{i}", "command", NOW)
        return s.id

    session(ANNA, local(2025, 12, 10), Format.AMA, None, [P[0]])
    s1 = session(ANNA, local(2026, 1, 15), Format.TALK, 3, [P[0], P[1], P[2], P[3]])
    s2 = session(BEN, local(2026, 1, 20), Format.WORKSHOP, None, [P[0], P[4]])
    store.set_cogivers(s2, [CEM], BEN, NOW)
    for sid, person, rating, comment in ((s1, P[0], 5, ""), (s1, P[1], 4, "gut"), (s1, P[2], None, "zu kurz")):
        store.save_feedback(sid, person, rating, comment, NOW)
    store.save_feedback(s2, P[4], 3, "", NOW)
    session(ANNA, local(2026, 2, 10), Format.TALK, 4, [P[1]])
    cancelled = session(BEN, local(2026, 2, 12), Format.EXCHANGE, None, [P[2]])
    store.update_session(cancelled, NOW, status="cancelled")
    session(DORA, local(2026, 4, 1, 0, 30), Format.GROUP, 2, [P[0], P[1]])
    session(EVE, local(2026, 10, 5), Format.AMA, 10, P)
    session(ANNA, local(2026, 11, 30), Format.TALK, None, [P[0]])


# year, month, held, talk, ama, exchange, workshop, group, participations, distinct, seats, seated, fill, givers, new,
# cancelled, rating average, ratings: the figures the seed was made to have.
EXPECTED_DE = [
    ["2026", "Januar", "2", "1", "0", "0", "1", "0", "5", "4", "3", "3", "100,0", "3", "2", "0", "4,0", "3"],
    ["2026", "Februar", "1", "1", "0", "0", "0", "0", "1", "1", "4", "1", "25,0", "1", "0", "1", "", "0"],
    ["2026", "März", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "", "0", "0", "0", "", "0"],
    ["2026", "April", "1", "0", "0", "0", "0", "1", "2", "2", "2", "2", "100,0", "1", "1", "0", "", "0"],
    *(
        ["2026", name, *"0000000000", "", "0", "0", "0", "", "0"]
        for name in ("Mai", "Juni", "Juli", "August", "September")
    ),
    ["2026", "Oktober", "1", "0", "1", "0", "0", "0", "5", "5", "10", "5", "50,0", "1", "1", "0", "", "0"],
    ["2026", "November", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "", "0", "0", "0", "", "0"],
]
ENGLISH = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November"]
ENGLISH_MONTHS = dict(zip([row[1] for row in EXPECTED_DE], ENGLISH, strict=True))
# the same in English: the month's English name, a decimal point
EXPECTED_EN = [[row[0], ENGLISH_MONTHS[row[1]], *(cell.replace(",", ".") for cell in row[2:])] for row in EXPECTED_DE]
