"""A person's data: all of it read for `!meinedaten`, and all of it deleted or put under a pseudonym for `!vergessen`.

Tables `forget_requests` and `forgotten`; reads and writes every table that names people. A new table that holds a
user id must be added here (both to `person_record` and `forget_person`): the unit test that scans every table
after forgetting fails until it is.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kiwibot.core.learning import Wish
from kiwibot.core.model import Session
from kiwibot.core.privacy_rules import (
    FeedbackRecord,
    Forgotten,
    InterestRecord,
    MaterialRecord,
    PersonRecord,
    SignupRecord,
)
from kiwibot.storage.base import StoreBase
from kiwibot.storage.times import from_iso, iso

# Queued first posts stay even if they name the person (the post would be lost): once sent, their content is
# dropped, and the edit that follows shows "ehemaliges Mitglied". Every other queued message naming them goes.
_FIRST_POSTS = ("news", "overview", "wish")


class PrivacyRows(StoreBase):
    """Everything by person: the export and forgetting."""

    if TYPE_CHECKING:

        def _sessions(self, where: str, params: tuple[Any, ...] = ()) -> list[Session]: ...  # from SessionRows

        def _wishes(self, where: str, params: tuple[Any, ...] = ()) -> list[Wish]: ...  # from WishRows

        def get_meta(self, key: str) -> str | None: ...  # from EventRows

        def set_meta(self, key: str, value: str) -> None: ...  # from EventRows

    # -- the export ---------------------------------------------------------------------------------

    def _by_id(self, ids: list[int]) -> dict[int, Session]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return {s.id: s for s in self._sessions(f"WHERE id IN ({marks})", tuple(ids))}

    def person_record(self, user_id: str) -> PersonRecord:
        """Every row that names the person, read in one go (a person has few)."""
        u = (user_id,)
        given = self._sessions("WHERE giver = ? ORDER BY starts_at, id", u)
        cogiven = self._sessions(
            "WHERE id IN (SELECT session_id FROM cogivers WHERE user_id = ?) ORDER BY starts_at, id", u
        )
        signup_rows = self.db.execute(
            "SELECT s.session_id, s.signed_up_at, group_concat(DISTINCT src.kind) FROM signups s "
            "LEFT JOIN signup_sources src ON src.session_id = s.session_id AND src.user_id = s.user_id "
            "WHERE s.user_id = ? GROUP BY s.session_id ORDER BY s.signed_up_at",
            u,
        ).fetchall()
        feedback_rows = self.db.execute(
            "SELECT session_id, rating, comment, given_at FROM feedback WHERE user_id = ? ORDER BY given_at", u
        ).fetchall()
        material_rows = self.db.execute(
            "SELECT session_id, url, description, added_at FROM materials WHERE added_by = ? ORDER BY id", u
        ).fetchall()
        sessions = self._by_id(sorted({r[0] for r in [*signup_rows, *feedback_rows, *material_rows]}))
        interest_rows = self.db.execute(
            "SELECT wish_id, MIN(added_at) FROM wish_interest WHERE user_id = ? GROUP BY wish_id ORDER BY wish_id", u
        ).fetchall()
        wishes = {w.id: w for w in self._wishes("WHERE id IN (SELECT wish_id FROM wish_interest WHERE user_id = ?)", u)}
        prefs = self.db.execute("SELECT language, reminder_pref FROM users WHERE user_id = ?", u).fetchone()
        direct = self._one("SELECT room_id FROM direct_rooms WHERE user_id = ?", u)
        patron = self._one("SELECT added_at FROM patrons WHERE user_id = ?", u)
        requested = self._one("SELECT requested_at FROM forget_requests WHERE user_id = ?", u)
        commands = [
            row[0] for row in self.db.execute("SELECT handled_at FROM commands WHERE sender = ? ORDER BY handled_at", u)
        ]
        return PersonRecord(
            user_id=user_id,
            given=tuple(given),
            cogiven=tuple(cogiven),
            signups=tuple(
                SignupRecord(sessions[r[0]], from_iso(r[1]), tuple(sorted((r[2] or "").split(",")) if r[2] else ()))
                for r in signup_rows
            ),
            feedback=tuple(FeedbackRecord(sessions[r[0]], r[1], r[2], from_iso(r[3])) for r in feedback_rows),
            wishes=tuple(self._wishes("WHERE wisher = ? ORDER BY id", u)),
            interest=tuple(InterestRecord(wishes[r[0]], from_iso(r[1])) for r in interest_rows),
            materials=tuple(MaterialRecord(sessions[r[0]], r[1], r[2], from_iso(r[3])) for r in material_rows),
            language=prefs[0] if prefs else None,
            reminders=prefs[1] if prefs else None,
            calendar_links=self._one("SELECT 1 FROM calendar_links WHERE user_id = ? LIMIT 1", u) is not None,
            direct_chat=direct is not None,
            patron_since=from_iso(patron) if patron else None,
            commands=tuple(from_iso(at) for at in commands),
            queued_messages=int(
                self._one(
                    "SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND room_id IN (?, ?)",
                    ("dm:" + user_id, direct or ""),
                )
            ),
            forget_requested=from_iso(requested) if requested else None,
        )

    # -- the confirmation ------------------------------------------------------------------------------

    def request_forget(self, user_id: str, at: datetime) -> None:
        """`!vergessen` was asked: a confirmation is awaited from now (a new ask starts the time again)."""
        with self.transaction():
            self._upsert("forget_requests", "user_id", {"user_id": user_id, "requested_at": iso(at)})

    def forget_requested(self, user_id: str) -> datetime | None:
        """When the person asked to be forgotten, if a confirmation is awaited."""
        value = self._one("SELECT requested_at FROM forget_requests WHERE user_id = ?", (user_id,))
        return None if value is None else from_iso(value)

    def drop_forget_request(self, user_id: str) -> None:
        """An expired ask is gone: a late confirmation must not count."""
        with self.transaction():
            self.db.execute("DELETE FROM forget_requests WHERE user_id = ?", (user_id,))

    # -- the marker -------------------------------------------------------------------------------------

    def _marker(self, user_id: str) -> str:
        """A keyed hash of the person's id: a copy of the table alone does not say who was forgotten."""
        key = self.get_meta("privacy_key")
        if key is None:
            key = secrets.token_hex(32)
            self.set_meta("privacy_key", key)
        return hmac.new(bytes.fromhex(key), user_id.encode(), hashlib.sha256).hexdigest()

    def forgotten_at(self, user_id: str) -> datetime | None:
        """When the person was forgotten (None: never): reactions they made before do not count again."""
        if self._one("SELECT 1 FROM forgotten LIMIT 1") is None:
            return None  # the common case, without computing a hash
        value = self._one("SELECT forgotten_at FROM forgotten WHERE marker = ?", (self._marker(user_id),))
        return None if value is None else from_iso(value)

    # -- forgetting -------------------------------------------------------------------------------------

    def hand_over(self, session_id: int, heir: str, at: datetime) -> None:
        """The co-giver becomes the giver; the other co-givers keep their places, in their order."""
        with self.transaction():
            self.db.execute("DELETE FROM cogivers WHERE session_id = ? AND user_id = ?", (session_id, heir))
            self.db.execute(
                "UPDATE sessions SET giver = ?, giver_name = '', updated_at = ? WHERE id = ?",
                (heir, iso(at), session_id),
            )

    def forget_person(self, user_id: str, pseudonym: str, at: datetime) -> Forgotten:
        """Delete what only serves the person, put the rest under `pseudonym` (counts and texts stay), keep the
        marker. Future signups must have been signed off before (the core does it, so the waiting list moves)."""
        u = (user_id,)
        p = (pseudonym, user_id)
        db = self.db
        with self.transaction():
            sessions = sorted(
                {
                    row[0]
                    for row in db.execute(
                        "SELECT id FROM sessions WHERE giver = ? "
                        "UNION SELECT session_id FROM cogivers WHERE user_id = ?",
                        (user_id, user_id),
                    )
                }
            )
            wishes = sorted(
                {
                    row[0]
                    for row in db.execute(
                        "SELECT id FROM wishes WHERE wisher = ? "
                        "UNION SELECT wish_id FROM wish_interest WHERE user_id = ?",
                        (user_id, user_id),
                    )
                }
            )
            direct = self._one("SELECT room_id FROM direct_rooms WHERE user_id = ?", u)
            # participation: the reactions stay withdrawn, the seats stay counted
            db.execute(
                "INSERT OR IGNORE INTO withdrawn_reactions (event_id, session_id) "
                "SELECT source_id, session_id FROM signup_sources WHERE user_id = ? AND kind = 'reaction'",
                u,
            )
            db.execute("DELETE FROM signup_sources WHERE user_id = ?", u)
            db.execute("UPDATE signups SET user_id = ? WHERE user_id = ?", p)
            db.execute("UPDATE feedback SET user_id = ? WHERE user_id = ?", p)
            # giving, sharing, wishing: shown as "ehemaliges Mitglied" from now on
            db.execute(
                "UPDATE sessions SET giver = ?, giver_name = '', origin_room = NULL, origin_event = NULL "
                "WHERE giver = ?",
                p,
            )
            db.execute("UPDATE cogivers SET user_id = ? WHERE user_id = ?", p)
            db.execute("UPDATE cogivers SET added_by = ? WHERE added_by = ?", p)
            db.execute("UPDATE materials SET added_by = ? WHERE added_by = ?", p)
            db.execute("UPDATE wishes SET wisher = ? WHERE wisher = ?", p)
            db.execute("UPDATE wishes SET finished_by = ? WHERE finished_by = ?", p)
            db.execute("UPDATE patrons SET added_by = ? WHERE added_by = ?", p)
            # what only served the person
            for table, column in (
                ("wish_interest", "user_id"),
                ("patrons", "user_id"),
                ("users", "user_id"),
                ("direct_rooms", "user_id"),
                ("calendar_links", "user_id"),
                ("commands", "sender"),
                ("forget_requests", "user_id"),
            ):
                db.execute(f"DELETE FROM {table} WHERE {column} = ?", u)
            self._forget_messages(user_id, direct)
            if sessions:
                # the search index keeps words of deleted entries until its segments are merged
                db.execute("INSERT INTO session_search (session_search) VALUES ('optimize')")
            self._upsert("forgotten", "marker", {"marker": self._marker(user_id), "forgotten_at": iso(at)})
        return Forgotten(tuple(sessions), tuple(wishes))

    def _forget_messages(self, user_id: str, direct: str | None) -> None:
        """Messages to the person's direct chat go, whatever their state; other queued ones that name them go
        (a first post stays, see _FIRST_POSTS); failed ones that name them lose their content."""
        rooms = ("dm:" + user_id, direct or "dm:")
        gone = "room_id IN (?, ?)"
        naming = "instr(content, ?) > 0"
        first = f"purpose IN ({', '.join('?' * len(_FIRST_POSTS))})"
        self._drop_outbox(
            f"{gone} OR (state = 'pending' AND {naming} AND NOT COALESCE({first}, 0))", (*rooms, user_id, *_FIRST_POSTS)
        )
        self.db.execute(f"UPDATE outbox SET content = '{{}}' WHERE state = 'failed' AND {naming}", (user_id,))

    def _drop_outbox(self, where: str, params: tuple[Any, ...]) -> int:
        """Delete outbox rows (and the bytes of queued files among them)."""
        ids = [row[0] for row in self.db.execute(f"SELECT id FROM outbox WHERE {where}", params)]
        for start in range(0, len(ids), 500):
            chunk = tuple(ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            self.db.execute(f"DELETE FROM outbox_files WHERE outbox_id IN ({marks})", chunk)
            self.db.execute(f"DELETE FROM outbox WHERE id IN ({marks})", chunk)
        return len(ids)
