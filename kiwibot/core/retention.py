"""The retention period (`privacy.retention_days`): once a day, the names of the participants of sessions that
ended longer ago are removed (the rows stay under pseudonyms, so every count, the archive and the feedback
summaries stay true), their feedback loses its name (the text stays), and technical records that can no longer
matter are pruned. The scheduler only says when; the database says what is due.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from kiwibot.core.base import KiwiBase
from kiwibot.core.effects import Effect
from kiwibot.core.privacy_rules import TECHNICAL_KEEP, Removed
from kiwibot.core.schedule import next_digest

log = logging.getLogger(__name__)

RUN_AT = time(3, 30)  # local time: a quiet hour, after midnight so a day's sessions have all ended


class RetentionArea(KiwiBase):
    """The daily run and when it is due."""

    def next_retention(self) -> datetime:
        """Due at once if it never ran today (after RUN_AT), else at RUN_AT tomorrow (local time)."""
        last = self.store.get_meta("retention_run")
        now = self.clock.now()
        if last is None:
            return now
        return max(now, next_digest(datetime.fromisoformat(last), RUN_AT, self.settings.timezone))

    def month_of(self, start: datetime) -> str:
        """The month a session belongs to (local time, as statistics count it): its pseudonyms are per month."""
        return start.astimezone(self.settings.timezone).strftime("%Y-%m")

    def retention(self) -> tuple[Effect, ...]:
        """Remove what the retention period and the technical periods say must go; log the counts."""
        now = self.clock.now()
        cutoff = now - timedelta(days=self.settings.retention_days)
        participants = feedback = 0
        self.store.freeze_statistics(now)  # what the statistics need is kept before any name goes
        due = self.store.sessions_with_names(cutoff)
        for session_id, starts_at in due:
            key = self.store.month_key(self.month_of(starts_at))
            people, answers = self.store.remove_names(session_id, key, now)
            participants += people
            feedback += answers
        # A month's key goes once no session of it can still have names: it began before the cutoff's month.
        self.store.drop_month_keys(self.month_of(cutoff - timedelta(days=1)))
        records = self.store.prune_records(now - TECHNICAL_KEEP, now)
        self.store.erase_traces()  # the names are gone from the tables; their old pages go from the files
        removed = Removed(len(due), participants, feedback, tuple(sorted(records.items())))
        self.store.set_meta("retention_run", now.isoformat())
        log.info(
            "retention (%d days): names removed in %d sessions (%d participants, %d feedback answers); pruned %s",
            self.settings.retention_days,
            removed.sessions,
            removed.participants,
            removed.feedback,
            ", ".join(f"{count} {kind}" for kind, count in removed.records) or "nothing",
        )
        return ()
