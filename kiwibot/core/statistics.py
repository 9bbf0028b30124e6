"""Statistics for the network's sponsor: `!statistik` for admins and patrons, and the monthly report.

The figures come from held sessions frozen with their people as keys (storage/statistics.py), so they stay right
after retention deletes the participant lists. Reading them first freezes whatever ended since the last time.
The chart and the table are made outside the core (kiwibot/reports/); the core gives the figures and the text.
"""

from __future__ import annotations

from datetime import date, datetime, time

from kiwibot.core.base import KiwiBase
from kiwibot.core.effects import Effect, Post
from kiwibot.core.errors import UserError
from kiwibot.core.messages import Attachment
from kiwibot.core.schedule import at_local, local_day
from kiwibot.core.statistics_figures import Statistics, compute
from kiwibot.core.statistics_period import Period, next_month, previous_month, read_period
from kiwibot.core.statistics_text import summary


class StatisticsArea(KiwiBase):
    """The figures of a period, for those who report on the programme; the last month's, once a month."""

    def statistics(self, user_id: str, period: str | None) -> Statistics:
        """`!statistik [Jahr | von bis | seit X | bis heute]`: admins and patrons only; the period as typed (None:
        the last 12 months)."""
        if not (self.is_admin(user_id) or self.is_patron(user_id)):
            raise UserError("stats.forbidden")
        return self.figures(read_period(period, local_day(self.clock.now(), self.settings.timezone), self._first_month))

    def _first_month(self) -> date | None:
        """The local month of the first session the figures know: where "bis heute" begins."""
        self.store.freeze_statistics(self.clock.now())
        first = self.store.first_recorded_start()
        return None if first is None else local_day(first, self.settings.timezone).replace(day=1)

    def figures(self, period: Period) -> Statistics:
        """The figures of `period`, after freezing every session that has ended (so the figures are read one way)."""
        tz = self.settings.timezone
        self.store.freeze_statistics(self.clock.now())
        start, end = at_local(period.first, time(0), tz), at_local(period.end, time(0), tz)
        held = self.store.held_sessions(start, end)
        first_held = self.store.first_held(key for session in held for key in session.host_keys)
        cancelled = self.store.cancelled_starts(start, end)
        return compute(period, held, first_held, cancelled, self.store.held_ratings(start, end), tz)

    # -- the monthly report -------------------------------------------------------------------

    def _report_month(self) -> Period | None:
        """The month whose report is owed now, or None: off, before the 1st's digest time, or recorded already."""
        if not self.settings.monthly_reports:
            return None
        now, tz = self.clock.now(), self.settings.timezone
        today = local_day(now, tz)
        if now < at_local(today.replace(day=1), self.settings.digest_time, tz):
            return None
        month = previous_month(today)
        return None if self.store.monthly_report_recorded(month.first.strftime("%Y-%m")) else month

    def next_monthly_report(self) -> datetime | None:
        """Now, if last month's report is owed (also after a restart later in the month); else the next 1st at the
        digest time; None when monthly reports are off."""
        if not self.settings.monthly_reports:
            return None
        if self._report_month() is not None:
            return self.clock.now()
        now, tz = self.clock.now(), self.settings.timezone
        this_month = local_day(now, tz).replace(day=1)
        first = at_local(this_month, self.settings.digest_time, tz)
        return first if first > now else at_local(next_month(this_month), self.settings.digest_time, tz)

    def monthly_statistics(self) -> Statistics | None:
        """Last month's figures if its report is owed now (read before the chart is drawn, outside a transaction)."""
        month = self._report_month()
        return None if month is None else self.figures(month)

    def monthly_report(self, stats: Statistics, files: tuple[Attachment, ...]) -> tuple[Effect, ...]:
        """The report of `stats`' month, posted at most once: the month is recorded with the queued post."""
        month = stats.period.first
        if not self.store.record_monthly_report(month.strftime("%Y-%m"), self.clock.now()):
            return ()
        return (Post("reports", summary(stats, self.settings.timezone, files=bool(files)), None, files),)
