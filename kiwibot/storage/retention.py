"""The retention period in SQL: participants' names replaced by pseudonyms (rows and counts stay), names taken off
feedback, technical records pruned once they can no longer matter. Table `month_keys`.

What stays after a session's names were removed (`sessions.names_removed_at` set), for statistics and the archive:
one `signups` row per person who was signed up (seat or waiting place, in their order, `signed_up_at` kept), its
`user_id` a pseudonym "~anon-…" that is the same for one person within one month of sessions (local time) and
unrelated across months; `feedback` rows with rating, comment and time under a random "~anon-…" each; the session
itself with its giver, co-givers and materials (the programme is public). `signup_sources` of the session are gone.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from kiwibot.core.calendar import REVOKED_KEEP
from kiwibot.core.privacy_rules import REQUEST_KEPT
from kiwibot.core.pseudonyms import ANONYMOUS
from kiwibot.storage.base import StoreBase
from kiwibot.storage.times import from_iso, iso


class RetentionRows(StoreBase):
    """The retention job's reads and deletions."""

    if TYPE_CHECKING:

        def get_meta(self, key: str) -> str | None: ...  # from EventRows

        def set_meta(self, key: str, value: str) -> None: ...  # from EventRows

        def _drop_outbox(self, where: str, params: tuple[object, ...]) -> int: ...  # from PrivacyRows

    def sessions_with_names(self, cutoff: datetime) -> list[tuple[int, datetime]]:
        """Sessions that ended before `cutoff` whose names were not removed yet: (id, start)."""
        rows = self.db.execute(
            "SELECT id, starts_at FROM sessions WHERE names_removed_at IS NULL AND ends_at < ? ORDER BY ends_at, id",
            (iso(cutoff),),
        ).fetchall()
        return [(row[0], from_iso(row[1])) for row in rows]

    def month_key(self, month: str) -> bytes:
        """The key of one month's pseudonyms ("2026-03"), made the first time it is needed."""
        with self.transaction():
            self.db.execute(
                "INSERT OR IGNORE INTO month_keys (month, key) VALUES (?, ?)", (month, secrets.token_hex(32))
            )
        return bytes.fromhex(self._one("SELECT key FROM month_keys WHERE month = ?", (month,)))

    def drop_month_keys(self, before: str) -> int:
        """Keys of months no session of which can still have names: without them a pseudonym leads nowhere."""
        with self.transaction():
            return self.db.execute("DELETE FROM month_keys WHERE month < ?", (before,)).rowcount

    def remove_names(self, session_id: int, key: bytes, at: datetime) -> tuple[int, int]:
        """Replace the names of a session's participants and on its feedback; (participants, answers) changed."""

        def pseudonym(user_id: str) -> str:
            return ANONYMOUS + hmac.new(key, user_id.encode(), hashlib.sha256).hexdigest()[:20]

        with self.transaction():
            self.db.execute("DELETE FROM signup_sources WHERE session_id = ?", (session_id,))
            people = [
                row[0]
                for row in self.db.execute(
                    "SELECT user_id FROM signups WHERE session_id = ? AND user_id NOT LIKE ?",
                    (session_id, ANONYMOUS + "%"),
                )
            ]
            for person in people:
                self.db.execute(
                    "UPDATE signups SET user_id = ? WHERE session_id = ? AND user_id = ?",
                    (pseudonym(person), session_id, person),
                )
            answers = self.db.execute(
                "UPDATE feedback SET user_id = ? || lower(hex(randomblob(10))) "
                "WHERE session_id = ? AND user_id NOT LIKE ?",
                (ANONYMOUS, session_id, ANONYMOUS + "%"),
            ).rowcount
            self.db.execute("UPDATE sessions SET names_removed_at = ? WHERE id = ?", (iso(at), session_id))
        return len(people), answers

    def prune_records(self, before: datetime, now: datetime) -> dict[str, int]:
        """Technical records older than `before` (TECHNICAL_KEEP ago) that can no longer matter, by kind.

        Handled events: only those more than that older than the newest event handled too (a bot that was away
        still recognises what it catches up on); the horizon is kept, and anything older that the server sends
        again is ignored (matrix/sync.py), so a pruned id cannot be handled twice.
        """
        horizon_ms = int(before.timestamp() * 1000)
        newest = self.get_meta("last_event_ts")
        if newest is not None:
            horizon_ms = min(horizon_ms, int(newest) - (int(now.timestamp() * 1000) - horizon_ms))
        cut = iso(before)
        removed: dict[str, int] = {}
        with self.transaction():
            removed["handled events"] = self.db.execute(
                "DELETE FROM handled_events "
                "WHERE COALESCE(origin_ts, CAST(strftime('%s', handled_at) AS INTEGER) * 1000) < ?",
                (horizon_ms,),
            ).rowcount
            if removed["handled events"]:
                old = int(self.get_meta("events_horizon_ms") or 0)
                self.set_meta("events_horizon_ms", str(max(old, horizon_ms)))
            removed["commands"] = self.db.execute("DELETE FROM commands WHERE handled_at < ?", (cut,)).rowcount
            removed["sent or failed messages"] = self._drop_outbox("state != 'pending' AND created_at < ?", (cut,))
            removed["expired confirmations"] = self.db.execute(
                "DELETE FROM forget_requests WHERE requested_at < ?", (iso(now - REQUEST_KEPT),)
            ).rowcount
            ended = "SELECT id FROM sessions WHERE ends_at < ?"
            removed["withdrawn reactions"] = self.db.execute(
                f"DELETE FROM withdrawn_reactions WHERE session_id IN ({ended})", (cut,)
            ).rowcount
            removed["reminders"] = self.db.execute(
                f"DELETE FROM reminders WHERE state != 'planned' AND session_id IN ({ended})", (cut,)
            ).rowcount
            removed["digest days"] = self.db.execute("DELETE FROM digests WHERE recorded_at < ?", (cut,)).rowcount
            removed["revoked calendar links"] = self.db.execute(
                "DELETE FROM revoked_links WHERE revoked_at < ?", (iso(now - REVOKED_KEEP),)
            ).rowcount
        return {kind: count for kind, count in removed.items() if count}
