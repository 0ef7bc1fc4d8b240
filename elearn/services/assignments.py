"""Assigning learning: a mentor to a current mentee, a supervisor to anyone in their units (one person, a unit with
its subtree, or everyone in a position); extending and withdrawing what one assigned.

One request writes a batch row and then every person's row with one INSERT ... SELECT over the target's people
(drawn from `elearn.scope`, so nobody outside the assigner's reach is ever selected), each with a due date computed
in SQL. `ON CONFLICT DO NOTHING` against `ix_elearn_assignment_one_live` makes assigning the same thing again add
nobody twice, even from two requests at once. Batches whose due date runs from the day a person joins the unit
stay open: `refresh_standing_batches` (cron) adds the people who have joined since.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, Date, Select, String, exists, func, literal, select, update
from sqlalchemy.orm import Session

from elearn.courses.journey import CourseOutline
from elearn.models import Assignment, AssignmentBatch, Person, Position, Role, Unit
from elearn.models.assignments import WHOLE_COURSE
from elearn.scope import PathWithin, mentees_of, people_supervised_by, units_supervised_by
from elearn.services import audit, notifications
from elearn.services.sql_dates import days_after, later_of
from elearn.services.upsert import insert_select_if_absent, rows_affected

MAX_DUE_DAYS = 3650
MAX_NOTE = 2000


class AssignmentRefused(Exception):
    """The assignment cannot be made as asked; `reason` is a stable code the views word for the reader."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class OutOfReach(LookupError):
    """The person, unit, position or assignment is not the assigner's to act on (a view answers 404)."""


@dataclass(frozen=True)
class Target:
    """Who is assigned: one person, a unit with its subtree, or everyone in a position (within the assigner's
    units)."""

    kind: str
    id: int


@dataclass(frozen=True)
class DueRule:
    """When the assignment is due: on a fixed date, or `days` after assignment or after joining the unit."""

    kind: str
    on: date | None = None
    days: int | None = None

    def problem(self, today: date) -> str | None:
        """Why the rule cannot be used on `today`, as a stable code, or None."""
        if self.kind == "fixed":
            return "due_in_past" if self.on is None or self.on < today else None
        if self.kind in ("after_assignment", "after_unit_join"):
            return None if self.days is not None and 0 < self.days <= MAX_DUE_DAYS else "due_days"
        return "due_kind"


@dataclass(frozen=True)
class AssignResult:
    """The batch written and how many people it added (0: everyone had it already; the caller rolls back)."""

    batch_id: int
    added: int


def assignable_people(assigner: Person, role: str, *, today: date) -> Select[Person]:
    """Whom `assigner` may assign to in `role`: current mentees, or the people of the units they head."""
    if role == Role.MENTOR:
        return mentees_of(assigner, today=today)
    if role == Role.SUPERVISOR:
        return people_supervised_by(assigner)
    raise OutOfReach(role)


def target_person_ids(
    session: Session, *, assigner: Person, role: str, target: Target, today: date
) -> Select[int]:
    """The ids of the people `target` names within the assigner's reach; an unknown or foreign target is refused.

    A mentor assigns to one mentee at a time; units and positions are a supervisor's.
    """
    people = assignable_people(assigner, role, today=today)
    if target.kind == "person":
        chosen = people.where(Person.id == target.id)
        if session.scalar(select(chosen.exists())) is False:
            raise OutOfReach(target)
        return chosen.with_only_columns(Person.id)
    if role != Role.SUPERVISOR:
        raise OutOfReach(target)
    if target.kind == "unit":
        unit = session.scalar(units_supervised_by(assigner).where(Unit.id == target.id))
        if unit is None:
            raise OutOfReach(target)
        subtree = select(Unit.id).where(PathWithin(Unit.path, literal(unit.path, String)))
        return people.where(Person.unit_id.in_(subtree)).with_only_columns(Person.id)
    if target.kind == "position":
        if session.get(Position, target.id) is None:
            raise OutOfReach(target)
        return people.where(Person.position_id == target.id).with_only_columns(Person.id)
    raise OutOfReach(target)


def assign(
    session: Session,
    *,
    assigner: Person,
    role: str,
    outline: CourseOutline,
    module_key: str,
    target: Target,
    due: DueRule,
    note: str,
    today: date,
    now: datetime,
    ip: str | None = None,
) -> AssignResult:
    """Assign the course `outline` (or its module `module_key`) to the target's people, with notices queued."""
    if module_key != WHOLE_COURSE and outline.module(module_key) is None:
        raise AssignmentRefused("module")
    problem = due.problem(today)
    if problem is not None:
        raise AssignmentRefused(problem)
    if len(note) > MAX_NOTE:
        raise AssignmentRefused("note")
    people = target_person_ids(session, assigner=assigner, role=role, target=target, today=today)
    batch = AssignmentBatch(
        assigner_id=assigner.id,
        assigner_role=role,
        target_kind=target.kind,
        target_person_id=target.id if target.kind == "person" else None,
        target_unit_id=target.id if target.kind == "unit" else None,
        target_position_id=target.id if target.kind == "position" else None,
        course_id=outline.course_id,
        module_key=module_key,
        due_kind=due.kind,
        due_on=due.on,
        due_days=due.days,
        note=note.strip(),
        assigned_on=today,
    )
    session.add(batch)
    session.flush()
    added = _add_people(session, batch, people, today=today)
    notifications.queue_assignment_notices(session, batch_id=batch.id, today=today, now=now)
    audit.record(
        session,
        actor=assigner,
        action="assignment.create",
        target=batch,
        ip=ip,
        role=role,
        course=outline.slug,
        module=module_key,
        target_kind=target.kind,
        target_id=target.id,
        added=added,
    )
    return AssignResult(batch_id=batch.id, added=added)


def _add_people(session: Session, batch: AssignmentBatch, people: Select[int], *, today: date) -> int:
    """One INSERT ... SELECT of every target person who has no row in this batch and no live one of the same
    thing from the same assigner; returns how many it added."""
    chosen = people.subquery()
    already_in_batch = exists().where(Assignment.batch_id == batch.id, Assignment.person_id == Person.id)
    rows = (
        select(
            literal(batch.id),
            Person.id,
            literal(batch.assigner_id),
            literal(batch.course_id),
            literal(batch.module_key),
            literal(today),
            _due_on(batch, today=today),
        )
        .where(Person.id.in_(select(chosen.c.id)), ~already_in_batch)
        .order_by(Person.id)
    )
    return insert_select_if_absent(
        session,
        Assignment,
        ["batch_id", "person_id", "assigner_id", "course_id", "module_key", "assigned_on", "due_on"],
        rows,
    )


def _due_on(batch: AssignmentBatch, *, today: date) -> ColumnElement[date]:
    """The due date of a person added `today`, as SQL over the person's row where the rule needs it.

    From joining the unit: the join date (today when unknown), but never before the batch's own day, so people
    already in the unit are not overdue on the day they are assigned.
    """
    if batch.due_kind == "fixed":
        return literal(batch.due_on, Date)
    days = batch.due_days or 0
    if batch.due_kind == "after_assignment":
        return days_after(today, days)
    joined = func.coalesce(Person.unit_since, literal(today))
    return days_after(later_of(joined, batch.assigned_on), days)


def refresh_standing_batches(session: Session, *, today: date, now: datetime) -> int:
    """Add the people who have joined a unit (or position) since it was assigned with a due date from joining;
    each batch is re-read through its assigner's scope today. Returns how many people were added."""
    batches = session.scalars(
        select(AssignmentBatch)
        .where(
            AssignmentBatch.withdrawn_at.is_(None),
            AssignmentBatch.due_kind == "after_unit_join",
            AssignmentBatch.target_kind.in_(("unit", "position")),
        )
        .order_by(AssignmentBatch.id)
    ).all()
    added = 0
    for batch in batches:
        target_id = batch.target_unit_id if batch.target_kind == "unit" else batch.target_position_id
        if target_id is None:
            continue
        try:
            people = target_person_ids(
                session,
                assigner=batch.assigner,
                role=batch.assigner_role,
                target=Target(batch.target_kind, target_id),
                today=today,
            )
        except OutOfReach:
            continue
        added += _add_people(session, batch, people, today=today)
    if added:
        notifications.queue_assignment_notices(session, batch_id=None, today=today, now=now)
    return added


def batch_of_or_404(session: Session, *, assigner: Person, batch_id: int) -> AssignmentBatch:
    """The batch `batch_id` if `assigner` made it; anyone else's (or none) is out of reach."""
    batch = session.scalar(
        select(AssignmentBatch).where(
            AssignmentBatch.id == batch_id, AssignmentBatch.assigner_id == assigner.id
        )
    )
    if batch is None:
        raise OutOfReach(batch_id)
    return batch


def _live_rows(batch: AssignmentBatch, assignment_id: int | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        Assignment.batch_id == batch.id,
        Assignment.withdrawn_at.is_(None),
    ]
    if assignment_id is not None:
        conditions.append(Assignment.id == assignment_id)
    return conditions


def _one_in_reach(
    session: Session, batch: AssignmentBatch, assignment_id: int, *, assigner: Person, today: date
) -> None:
    """Refuse a change to one person's row unless it is live, in `batch`, and the person still in reach."""
    people = assignable_people(assigner, batch.assigner_role, today=today).with_only_columns(Person.id)
    found = session.scalar(
        select(Assignment.id).where(*_live_rows(batch, assignment_id), Assignment.person_id.in_(people))
    )
    if found is None:
        raise OutOfReach(assignment_id)


def extend(
    session: Session,
    *,
    assigner: Person,
    batch: AssignmentBatch,
    days: int,
    assignment_id: int | None = None,
    today: date,
    ip: str | None = None,
) -> int:
    """Move the due date of every live row of `batch` (or of one person's) `days` later; how many rows moved."""
    if not 0 < days <= MAX_DUE_DAYS:
        raise AssignmentRefused("due_days")
    if batch.withdrawn_at is not None:
        raise AssignmentRefused("withdrawn")
    if assignment_id is not None:
        _one_in_reach(session, batch, assignment_id, assigner=assigner, today=today)
    moved = rows_affected(
        session,
        update(Assignment)
        .where(*_live_rows(batch, assignment_id))
        .values(due_on=days_after(Assignment.due_on, days))
        .execution_options(synchronize_session=False),
    )
    if assignment_id is None and batch.due_on is not None:
        batch.due_on += timedelta(days=days)
    audit.record(
        session,
        actor=assigner,
        action="assignment.extend",
        target=batch,
        ip=ip,
        days=days,
        assignment=assignment_id,
        rows=moved,
    )
    return moved


def withdraw(
    session: Session,
    *,
    assigner: Person,
    batch: AssignmentBatch,
    now: datetime,
    today: date,
    assignment_id: int | None = None,
    ip: str | None = None,
) -> int:
    """Withdraw the whole batch (it also stops adding newcomers) or one person's row; how many rows it withdrew."""
    if assignment_id is not None:
        _one_in_reach(session, batch, assignment_id, assigner=assigner, today=today)
    else:
        batch.withdrawn_at = now
    withdrawn = rows_affected(
        session,
        update(Assignment)
        .where(*_live_rows(batch, assignment_id))
        .values(withdrawn_at=now)
        .execution_options(synchronize_session=False),
    )
    audit.record(
        session,
        actor=assigner,
        action="assignment.withdraw",
        target=batch,
        ip=ip,
        assignment=assignment_id,
        rows=withdrawn,
    )
    return withdrawn
