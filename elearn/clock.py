"""One clock: "now" (UTC) and "today" (in the office time zone), read at the edge and passed into services.

Pure (no Flask): views and commands ask the app's clock (`elearn.state.clock()`) once and hand the values to the
services and the core, so every rule about dates can be tested with a fixed clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Clock:
    """The office's clock: `timezone` is where people write dates (ELEARN_TIMEZONE)."""

    timezone: ZoneInfo

    def now(self) -> datetime:
        """The current moment, aware, in UTC (how timestamps are stored)."""
        return datetime.now(UTC)

    def today(self) -> date:
        """Today's date in the office."""
        return self.local(self.now()).date()

    def local(self, moment: datetime) -> datetime:
        """`moment` on the office's wall clock."""
        return moment.astimezone(self.timezone)


def year_bounds(year: int, timezone: ZoneInfo) -> tuple[datetime, datetime]:
    """The first moment of `year` and of the next one on the office calendar, in UTC (for range queries)."""
    start = datetime(year, 1, 1, tzinfo=timezone).astimezone(UTC)
    end = datetime(year + 1, 1, 1, tzinfo=timezone).astimezone(UTC)
    return start, end


@dataclass(frozen=True)
class FixedClock(Clock):
    """A clock stopped at `at`, for tests and for replaying a day."""

    at: datetime = datetime(2026, 1, 1, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at
