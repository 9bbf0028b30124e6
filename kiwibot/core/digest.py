"""The daily digest: today's sessions and the next days', posted once a day and shown on demand."""

from __future__ import annotations

from datetime import datetime, timedelta

from kiwibot.core.base import KiwiBase
from kiwibot.core.effects import Digest, Effect, Post
from kiwibot.core.messages import Lines, Moment, Msg, Param
from kiwibot.core.present import digest_line, session_link
from kiwibot.core.schedule import day_bounds, digest_due_today, local_day, next_digest


class DigestArea(KiwiBase):
    """The digest is owed once a day: its day is recorded with the post, so a restart neither skips nor repeats it."""

    def digest(self) -> Msg | Lines:
        """Today's sessions and those of the next days, as posted daily and on demand."""
        now, tz = self.clock.now(), self.settings.timezone
        today = local_day(now, tz)
        start, end = day_bounds(today, tz)
        todays = self.store.sessions_between(start, end)
        soon = (
            self.store.sessions_between(end, end + timedelta(days=self.settings.digest_days))
            if self.settings.digest_days
            else []
        )
        if not todays and not soon:
            return Msg.of("digest.empty", date=Moment(now, "weekday_date"))
        counts = self.headcounts([*todays, *soon])
        lines: list[Param] = [Msg.of("digest.title", date=Moment(now, "weekday_date")), Msg.of("digest.today")]
        lines += [digest_line(s, counts[s.id], session_link(s), "time") for s in todays] or [
            Msg.of("digest.none_today")
        ]
        if soon:
            lines.append(Msg.of("digest.soon", days=self.settings.digest_days))
            lines += [digest_line(s, counts[s.id], session_link(s), "datetime") for s in soon]
        return Lines(tuple(lines))

    def next_digest(self) -> datetime:
        """Now, if today's digest is owed (e.g. after a restart past its time); else the next digest time."""
        now, tz, at = self.clock.now(), self.settings.timezone, self.settings.digest_time
        if digest_due_today(now, at, tz) and not self.store.digest_recorded(local_day(now, tz).isoformat()):
            return now
        return next_digest(now, at, tz)

    def daily_digest(self) -> tuple[Effect, ...]:
        """Today's digest, at most once a day: the day is recorded with the queued post."""
        now, tz = self.clock.now(), self.settings.timezone
        if not digest_due_today(now, self.settings.digest_time, tz):
            return ()
        day = local_day(now, tz)
        if not self.store.record_digest(day.isoformat(), now):
            return ()
        message = self.digest()
        if isinstance(message, Msg) and message.key == "digest.empty" and not self.settings.digest_when_empty:
            self.store.digest_sent(day.isoformat())
            return ()
        return (Post("digest", message, Digest(day)),)

    def digest_delivered(self, digest: Digest) -> None:
        """The day's digest was posted: it is not owed any more."""
        self.store.digest_sent(digest.day.isoformat())
