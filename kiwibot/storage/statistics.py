"""Statistics that outlive the participant lists: each held session's facts, frozen with people as keyed hashes.

Retention deletes who took part in a session some days after it ended; the sponsor's figures (participants,
distinct participants, first-time givers) must stay right. So, before any name can go, `freeze_statistics` copies
what the figures need into `stats_sessions` and `stats_people`: counts, and each participant and giver as
HMAC-SHA256(random key kept in `meta`, user id). A key tells only "the same person as in that other session";
the table holds no user id. `anonymise_statistics` cuts even that link for one person (right to erasure) while
their sessions still count once each. The retention job calls `freeze_statistics(before)` before it deletes names;
the statistics themselves freeze up to now before they read, so nothing depends on the order of the two.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from kiwibot.core.model import Format
from kiwibot.core.statistics_figures import HeldSession
from kiwibot.storage.base import StoreBase
from kiwibot.storage.times import from_iso, iso

_KEY = "stats_key"


class StatisticsRows(StoreBase):
    """Tables `stats_sessions`, `stats_people` and `monthly_reports`."""

    # -- freezing -------------------------------------------------------------------------------

    def freeze_statistics(self, before: datetime) -> int:
        """Freeze every held session (not cancelled) that ended by `before` and is not frozen yet; how many were.

        Call it before deleting any participant list (retention, erasure): it keeps exactly what the figures need.
        Idempotent, and cheap when nothing is new.
        """
        with self.transaction():
            sessions = self.db.execute(
                "SELECT id, giver, starts_at, format, seats FROM sessions WHERE status = 'open' AND ends_at <= ? "
                "AND id NOT IN (SELECT session_id FROM stats_sessions) ORDER BY id",
                (iso(before),),
            ).fetchall()
            if not sessions:
                return 0
            key = self._stats_key()
            for session_id, giver, starts_at, format_, seats in sessions:
                cogivers = [
                    r[0] for r in self.db.execute("SELECT user_id FROM cogivers WHERE session_id = ?", (session_id,))
                ]
                hosts = {giver, *cogivers}
                signed_up = [
                    r[0]
                    for r in self.db.execute(
                        "SELECT user_id FROM signups WHERE session_id = ? ORDER BY seq", (session_id,)
                    )
                ]
                seated = signed_up if seats is None else signed_up[:seats]  # the waiting list did not take part
                participants = [user for user in seated if user not in hosts]
                self.db.execute(
                    "INSERT INTO stats_sessions (session_id, starts_at, format, seats, participants, frozen_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (session_id, starts_at, format_, seats, len(participants), iso(before)),
                )
                self.db.conn.executemany(
                    "INSERT OR IGNORE INTO stats_people (session_id, role, person) VALUES (?, ?, ?)",
                    [(session_id, "participant", _pseudonym(key, user)) for user in participants]
                    + [(session_id, "host", _pseudonym(key, user)) for user in hosts],
                )
        return len(sessions)

    def anonymise_statistics(self, user_id: str) -> None:
        """Cut the link from a person to their frozen figures (erasure): their key becomes a random one, the same in
        every row, so each session still counts them once and the distinct counts stay as they were."""
        with self.transaction():
            old = _pseudonym(self._stats_key(), user_id)
            self.db.execute("UPDATE stats_people SET person = ? WHERE person = ?", (secrets.token_hex(16), old))

    def _stats_key(self) -> bytes:
        """The random key of the hashes, made once per database (inside the caller's transaction)."""
        value: str | None = self._one("SELECT value FROM meta WHERE key = ?", (_KEY,))
        if value is None:
            value = secrets.token_hex(32)
            self.db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (_KEY, value))
        return bytes.fromhex(value)

    # -- reading ----------------------------------------------------------------------------------

    def held_sessions(self, start: datetime, end: datetime) -> list[HeldSession]:
        """The frozen held sessions that started in [start, end), with their people's keys."""
        rows = self.db.execute(
            "SELECT session_id, starts_at, format, seats, participants FROM stats_sessions "
            "WHERE starts_at >= ? AND starts_at < ? ORDER BY starts_at, session_id",
            (iso(start), iso(end)),
        ).fetchall()
        people: dict[tuple[int, str], set[str]] = {}
        for session_id, role, person in self.db.execute(
            "SELECT p.session_id, p.role, p.person FROM stats_people p JOIN stats_sessions s USING (session_id) "
            "WHERE s.starts_at >= ? AND s.starts_at < ?",
            (iso(start), iso(end)),
        ):
            people.setdefault((session_id, role), set()).add(person)
        return [
            HeldSession(
                session_id=row[0],
                starts_at=from_iso(row[1]),
                format=Format(row[2]),
                seats=row[3],
                participants=row[4],
                participant_keys=frozenset(people.get((row[0], "participant"), ())),
                host_keys=frozenset(people.get((row[0], "host"), ())),
            )
            for row in rows
        ]

    def first_held(self, keys: Iterable[str]) -> dict[str, datetime]:
        """For each giver's key: the start of the first session they ever gave (first-time givers)."""
        wanted = sorted(set(keys))
        found: dict[str, datetime] = {}
        for index in range(0, len(wanted), 500):  # SQLite's limit of parameters
            chunk = wanted[index : index + 500]
            rows = self.db.execute(
                "SELECT p.person, MIN(s.starts_at) FROM stats_people p JOIN stats_sessions s USING (session_id) "
                f"WHERE p.role = 'host' AND p.person IN ({','.join('?' * len(chunk))}) GROUP BY p.person",
                tuple(chunk),
            ).fetchall()
            found.update((row[0], from_iso(row[1])) for row in rows)
        return found

    def first_recorded_start(self) -> datetime | None:
        """The start of the first session the figures know (held and frozen, or cancelled); None if none is."""
        value: str | None = self._one(
            "SELECT MIN(starts_at) FROM (SELECT starts_at FROM stats_sessions "
            "UNION ALL SELECT starts_at FROM sessions WHERE status = 'cancelled')"
        )
        return from_iso(value) if value is not None else None

    def cancelled_starts(self, start: datetime, end: datetime) -> list[datetime]:
        """The planned starts of cancelled sessions in [start, end): they count in the month they were planned for."""
        rows = self.db.execute(
            "SELECT starts_at FROM sessions WHERE status = 'cancelled' AND starts_at >= ? AND starts_at < ?",
            (iso(start), iso(end)),
        ).fetchall()
        return [from_iso(row[0]) for row in rows]

    def held_ratings(self, start: datetime, end: datetime) -> list[tuple[int, int]]:
        """(session, rating) of every rated answer about a held session that started in [start, end)."""
        rows: list[Any] = self.db.execute(
            "SELECT f.session_id, f.rating FROM feedback f JOIN stats_sessions s USING (session_id) "
            "WHERE f.rating IS NOT NULL AND s.starts_at >= ? AND s.starts_at < ?",
            (iso(start), iso(end)),
        ).fetchall()
        return [(row[0], row[1]) for row in rows]

    # -- the monthly report -------------------------------------------------------------------

    def monthly_report_recorded(self, month: str) -> bool:
        """Whether the report of `month` ("2026-10") was queued already: a restart must not post it again."""
        return self._one("SELECT 1 FROM monthly_reports WHERE month = ?", (month,)) is not None

    def record_monthly_report(self, month: str, at: datetime) -> bool:
        """True if this call recorded the month (so exactly one caller posts its report)."""
        with self.transaction():
            cur = self.db.execute(
                "INSERT OR IGNORE INTO monthly_reports (month, recorded_at) VALUES (?, ?)", (month, iso(at))
            )
        return cur.rowcount == 1


def _pseudonym(key: bytes, user_id: str) -> str:
    """The same person, the same key; the id cannot be read back without the key and a guess of the id."""
    return hmac.new(key, user_id.encode("utf-8"), hashlib.sha256).hexdigest()[:32]
