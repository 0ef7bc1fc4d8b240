"""The JP summary per person and year: changed in the transaction of each event, read by every page, rebuilt on demand.

Every change is one `INSERT ... ON CONFLICT DO UPDATE` adding a difference (`change`), so concurrent events for the
same person and year add up instead of overwriting each other. Events and their changes:
- a course completed: +course JP in the year of completion (office calendar);
- a certificate revoked: -course JP in that year;
- external training proposed: +pending in the year it ended; approved: -pending +external; rejected or withdrawn
  while proposed: -pending.
`recompute` sums the records from scratch (`elearn.ledger.summary`), reports every row that differs and, unless
asked only to check, writes the recomputed values.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, tzinfo
from decimal import Decimal
from typing import cast
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Table, and_, delete, extract, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from elearn.clock import year_bounds
from elearn.ledger.summary import Difference, Key, YearTotals, differences, totals_from
from elearn.models import Certificate, Completion, ExternalTraining, JpSummary

ZERO = Decimal(0)


def ended_in(year: int) -> ColumnElement[bool]:
    """SQL: the external training ended in `year` (the year it counts in)."""
    return and_(ExternalTraining.ends_on >= date(year, 1, 1), ExternalTraining.ends_on <= date(year, 12, 31))


def year_of(moment: datetime, timezone: tzinfo) -> int:
    """The office-calendar year of a UTC moment (a completion at 23.30 WIB on 31 December counts in December)."""
    return moment.astimezone(timezone).year


def change(
    session: Session,
    *,
    person_id: int,
    year: int,
    course: Decimal = ZERO,
    external: Decimal = ZERO,
    pending: Decimal = ZERO,
) -> None:
    """Add these differences to the person's summary of `year` (creating the row when it is the first event)."""
    table = cast(Table, JpSummary.__table__)  # a mapped class's table is a Table
    builder = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = builder(table).values(
        person_id=person_id, year=year, course_jp=course, external_jp=external, pending_jp=pending
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[table.c.person_id, table.c.year],
            set_={
                "course_jp": table.c.course_jp + statement.excluded.course_jp,
                "external_jp": table.c.external_jp + statement.excluded.external_jp,
                "pending_jp": table.c.pending_jp + statement.excluded.pending_jp,
            },
        )
    )


def totals(session: Session, *, person_id: int, year: int) -> YearTotals:
    """The person's totals in `year` (one primary-key read; nothing recorded reads as zeros)."""
    row = session.execute(
        select(JpSummary.course_jp, JpSummary.external_jp, JpSummary.pending_jp).where(
            JpSummary.person_id == person_id, JpSummary.year == year
        )
    ).first()
    return YearTotals(*row) if row else YearTotals()


def totals_of(session: Session, *, person_ids: Iterable[int], year: int) -> dict[int, YearTotals]:
    """Totals in `year` for several people at once (one query); people without a row are left out."""
    ids = list(set(person_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(JpSummary.person_id, JpSummary.course_jp, JpSummary.external_jp, JpSummary.pending_jp).where(
            JpSummary.year == year, JpSummary.person_id.in_(ids)
        )
    )
    return {person_id: YearTotals(course, external, pending) for person_id, course, external, pending in rows}


def _stored(session: Session, year: int) -> dict[Key, YearTotals]:
    rows = session.execute(
        select(JpSummary.person_id, JpSummary.course_jp, JpSummary.external_jp, JpSummary.pending_jp).where(
            JpSummary.year == year
        )
    )
    return {(person_id, year): YearTotals(c, e, p) for person_id, c, e, p in rows}


def _computed(session: Session, year: int, timezone: ZoneInfo) -> dict[Key, YearTotals]:
    """The totals of `year` summed from completions (certificate not revoked) and external records."""
    start, end = year_bounds(year, timezone)
    courses = session.execute(
        select(Completion.person_id, func.sum(Completion.jp))
        .outerjoin(Certificate, Certificate.completion_id == Completion.id)
        .where(
            Completion.completed_at >= start, Completion.completed_at < end, Certificate.revoked_at.is_(None)
        )
        .group_by(Completion.person_id)
    )
    external = session.execute(
        select(ExternalTraining.person_id, ExternalTraining.state, func.sum(ExternalTraining.jp))
        .where(ended_in(year))
        .group_by(ExternalTraining.person_id, ExternalTraining.state)
    )
    return totals_from(
        ((person_id, year, jp) for person_id, jp in courses),
        ((person_id, year, state, jp) for person_id, state, jp in external),
    )


def recorded_years(session: Session, timezone: ZoneInfo) -> list[int]:
    """Every year that has a summary row, a completion or an external record (oldest first)."""
    first_completion, last_completion = session.execute(
        select(func.min(Completion.completed_at), func.max(Completion.completed_at))
    ).one()
    years: set[int] = set(session.scalars(select(JpSummary.year).distinct()))
    years.update(
        int(y) for y in session.scalars(select(extract("year", ExternalTraining.ends_on)).distinct())
    )
    if first_completion is not None:
        years.update(range(year_of(first_completion, timezone), year_of(last_completion, timezone) + 1))
    return sorted(years)


def recompute(
    session: Session, *, timezone: ZoneInfo, years: Iterable[int] | None = None, write: bool
) -> list[Difference]:
    """Compare the summary of each year with the records and, when `write`, set every differing row right."""
    found: list[Difference] = []
    for year in sorted(set(years)) if years is not None else recorded_years(session, timezone):
        wrong = differences(_stored(session, year), _computed(session, year, timezone))
        if write:
            for difference in wrong:
                _replace(session, difference)
        found.extend(wrong)
    return found


def _replace(session: Session, difference: Difference) -> None:
    """Write the computed totals of one (person, year); a row that would hold only zeros is removed."""
    session.execute(
        delete(JpSummary).where(
            JpSummary.person_id == difference.person_id, JpSummary.year == difference.year
        )
    )
    wanted = difference.computed
    if not wanted.empty:
        change(
            session,
            person_id=difference.person_id,
            year=difference.year,
            course=wanted.course_jp,
            external=wanted.external_jp,
            pending=wanted.pending_jp,
        )
