"""A year's training history of some people in the national HR system's shape: what counts, one row per training.

Three streams are read side by side while the export is sent, so memory stays flat for a ministry: the people in
order (name, id), their elearn completions whose certificate is valid, and their approved external training, both
in the same order. The people stream decides whose turn it is, so the database's collation is the only one that
orders names (Python never compares them). Each row carries the training-history fields (jenis, nama, institusi
penyelenggara, tanggal mulai/selesai, jumlah JP, nomor sertifikat) with the person and unit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from elearn.certificates.serial import display
from elearn.clock import year_bounds
from elearn.ledger.kinds import COURSE_KIND
from elearn.models import (
    Certificate,
    Completion,
    CourseVersion,
    ExternalTraining,
    ModuleProgress,
    Person,
    Unit,
)
from elearn.services.ledger import ended_in

BATCH_SIZE = 500
PERSON_COLUMNS = (Person.nip, Person.name, Person.id, Unit.code, Unit.name)
"""Who a row is about; each query selects these first and `_person` reads them back."""


@dataclass(frozen=True)
class HistoryRow:
    """One training in a person's history."""

    nip: str
    name: str
    person_id: int
    unit_code: str
    unit_name: str
    kind: str
    title: str
    provider: str
    starts_on: date
    ends_on: date
    jp: Decimal
    certificate_number: str
    from_elearn: bool


def history(
    session: Session, people: Select[Person], *, year: int, timezone: ZoneInfo, issuer: str
) -> Iterator[HistoryRow]:
    """Every completion (valid certificate) and approved external record of `people` in `year`: people by name,
    each person's trainings by end date."""
    ids = people.with_only_columns(Person.id)
    ordered = session.scalars(ids.order_by(Person.name, Person.id).execution_options(yield_per=BATCH_SIZE))
    completions = _Stream(_completions(session, ids, year=year, timezone=timezone, issuer=issuer))
    external = _Stream(_external(session, ids, year=year))
    for person_id in ordered:
        rows = completions.take(person_id) + external.take(person_id)
        yield from sorted(rows, key=lambda row: (row.ends_on, row.title))


class _Stream:
    """Rows ordered like the people stream, handed out one person at a time."""

    def __init__(self, rows: Iterable[HistoryRow]) -> None:
        self._rows = iter(rows)
        self._next = next(self._rows, None)

    def take(self, person_id: int) -> list[HistoryRow]:
        """The rows of `person_id`, if they come next."""
        taken = []
        while self._next is not None and self._next.person_id == person_id:
            taken.append(self._next)
            self._next = next(self._rows, None)
        return taken


def _local_date(moment: datetime, timezone: ZoneInfo) -> date:
    return moment.astimezone(timezone).date()


def _person(row: Sequence[Any]) -> dict[str, Any]:
    """The HistoryRow fields of the PERSON_COLUMNS at the start of `row`."""
    nip, name, person_id, unit_code, unit_name = row[: len(PERSON_COLUMNS)]
    return {
        "nip": nip,
        "name": name,
        "person_id": person_id,
        "unit_code": unit_code or "",
        "unit_name": unit_name or "",
    }


def _completions(
    session: Session, ids: Select[int], *, year: int, timezone: ZoneInfo, issuer: str
) -> Iterator[HistoryRow]:
    """elearn courses completed in `year` (office calendar): started when the person first opened the course."""
    start, end = year_bounds(year, timezone)
    began = (
        select(func.min(ModuleProgress.started_at))
        .where(
            ModuleProgress.person_id == Completion.person_id,
            ModuleProgress.course_id == Completion.course_id,
            ModuleProgress.started_at <= Completion.completed_at,
        )
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            *PERSON_COLUMNS,
            CourseVersion.title,
            began,
            Completion.completed_at,
            Completion.jp,
            Certificate.serial,
        )
        .join(Person, Person.id == Completion.person_id)
        .join(CourseVersion, CourseVersion.id == Completion.version_id)
        .join(Certificate, Certificate.completion_id == Completion.id)
        .outerjoin(Unit, Unit.id == Person.unit_id)
        .where(
            Completion.person_id.in_(ids),
            Completion.completed_at >= start,
            Completion.completed_at < end,
            Certificate.revoked_at.is_(None),
        )
        .order_by(Person.name, Person.id, Completion.completed_at, CourseVersion.title)
        .execution_options(yield_per=BATCH_SIZE)
    )
    for row in rows:
        title, began_at, completed_at, jp, serial = tuple(row)[len(PERSON_COLUMNS) :]
        ends_on = _local_date(completed_at, timezone)
        yield HistoryRow(
            **_person(row),
            kind=COURSE_KIND,
            title=title,
            provider=issuer,
            starts_on=_local_date(began_at, timezone) if began_at else ends_on,
            ends_on=ends_on,
            jp=jp,
            certificate_number=display(serial),
            from_elearn=True,
        )


def _external(session: Session, ids: Select[int], *, year: int) -> Iterator[HistoryRow]:
    """Approved external training that ended in `year`."""
    rows = session.execute(
        select(
            *PERSON_COLUMNS,
            ExternalTraining.kind,
            ExternalTraining.name,
            ExternalTraining.provider,
            ExternalTraining.starts_on,
            ExternalTraining.ends_on,
            ExternalTraining.jp,
            ExternalTraining.certificate_number,
        )
        .join(Person, Person.id == ExternalTraining.person_id)
        .outerjoin(Unit, Unit.id == Person.unit_id)
        .where(
            ExternalTraining.person_id.in_(ids),
            ExternalTraining.state == "approved",
            ended_in(year),
        )
        .order_by(Person.name, Person.id, ExternalTraining.ends_on, ExternalTraining.name)
        .execution_options(yield_per=BATCH_SIZE)
    )
    for row in rows:
        kind, title, provider, starts, ends, jp, number = tuple(row)[len(PERSON_COLUMNS) :]
        yield HistoryRow(
            **_person(row),
            kind=kind,
            title=title,
            provider=provider,
            starts_on=starts,
            ends_on=ends,
            jp=jp,
            certificate_number=number,
            from_elearn=False,
        )
