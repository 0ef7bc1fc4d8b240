"""Reading assignments: each one's status computed in SQL from progress (never stored, never one query per row),
and the lists the assignee, the assigner and a mentee's followers read.

Status: `done` when the person has completed the course (any version) or, for a module, has that module done;
otherwise `overdue` once the due date has passed; otherwise `in_progress` once they have opened anything of it;
otherwise `not_started`. A withdrawn row reads `withdrawn`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from elearn.models import (
    Assignment,
    AssignmentBatch,
    Completion,
    Course,
    CourseVersion,
    ModuleContent,
    ModuleProgress,
    Person,
    Position,
    Unit,
    VersionModule,
)
from elearn.models.assignments import WHOLE_COURSE

STATUSES = ("not_started", "in_progress", "done", "overdue")


def is_done() -> ColumnElement[bool]:
    """SQL, correlated to an assignment row: the person has done what it asks."""
    completed = exists().where(
        Completion.person_id == Assignment.person_id, Completion.course_id == Assignment.course_id
    )
    module_done = exists().where(
        ModuleProgress.person_id == Assignment.person_id,
        ModuleProgress.course_id == Assignment.course_id,
        ModuleProgress.module_key == Assignment.module_key,
        ModuleProgress.status == "completed",
    )
    return or_(
        and_(Assignment.module_key == WHOLE_COURSE, completed),
        and_(Assignment.module_key != WHOLE_COURSE, module_done),
    )


def _is_started() -> ColumnElement[bool]:
    """SQL: the person has opened the course (or the assigned module)."""
    return exists().where(
        ModuleProgress.person_id == Assignment.person_id,
        ModuleProgress.course_id == Assignment.course_id,
        or_(Assignment.module_key == WHOLE_COURSE, ModuleProgress.module_key == Assignment.module_key),
    )


def status_of(today: date) -> ColumnElement[str]:
    """SQL: the row's status on `today`."""
    return case(
        (Assignment.withdrawn_at.is_not(None), "withdrawn"),
        (is_done(), "done"),
        (Assignment.due_on < today, "overdue"),
        (_is_started(), "in_progress"),
        else_="not_started",
    )


def module_title() -> ColumnElement[str | None]:
    """SQL: the title of the assigned module in the course's current version (None for a whole course)."""
    return (
        select(ModuleContent.title)
        .join(VersionModule, VersionModule.module_content_id == ModuleContent.id)
        .join(Course, Course.current_version_id == VersionModule.version_id)
        .where(Course.id == Assignment.course_id, VersionModule.key == Assignment.module_key)
        .limit(1)
        .scalar_subquery()
    )


@dataclass(frozen=True)
class AssignedItem:
    """One live assignment as its assignee (or someone following them) sees it."""

    assignment_id: int
    slug: str
    course_title: str
    module_key: str
    module_title: str | None
    assigned_on: date
    due_on: date
    status: str
    assigner_name: str
    assigner_role: str
    note: str


def assignments_of(session: Session, *, person_id: int, today: date) -> list[AssignedItem]:
    """The person's live assignments in published courses: unfinished first by due date, then done (one query)."""
    assigner = aliased(Person, name="assigner")
    status = status_of(today).label("status")
    rows = session.execute(
        select(
            Assignment.id,
            Course.slug,
            CourseVersion.title,
            Assignment.module_key,
            module_title(),
            Assignment.assigned_on,
            Assignment.due_on,
            status,
            assigner.name,
            AssignmentBatch.assigner_role,
            AssignmentBatch.note,
        )
        .join(AssignmentBatch, AssignmentBatch.id == Assignment.batch_id)
        .join(assigner, assigner.id == Assignment.assigner_id)
        .join(Course, Course.id == Assignment.course_id)
        .join(CourseVersion, CourseVersion.id == Course.current_version_id)
        .where(
            Assignment.person_id == person_id,
            Assignment.withdrawn_at.is_(None),
            Course.archived_at.is_(None),
        )
        .order_by(case((status == "done", 1), else_=0), Assignment.due_on, Assignment.id)
    )
    return [AssignedItem(*row) for row in rows]


@dataclass(frozen=True)
class CourseAssignment:
    """Why a course is first in the reader's catalogue: the earliest live, unfinished assignment of it."""

    due_on: date
    assigner_name: str
    module_title: str | None


def open_assignment_exists(person_id: int) -> ColumnElement[bool]:
    """SQL, correlated to a course row: the person holds a live assignment in it not yet done."""
    return (
        select(Assignment.id)
        .where(
            Assignment.person_id == person_id,
            Assignment.course_id == Course.id,
            Assignment.withdrawn_at.is_(None),
            ~is_done(),
        )
        .exists()
    )


def open_assignments_by_course(
    session: Session, *, person_id: int, course_ids: list[int]
) -> dict[int, CourseAssignment]:
    """Course id -> the earliest-due open assignment of it, for the given courses (one query)."""
    if not course_ids:
        return {}
    assigner = aliased(Person, name="assigner")
    rows = session.execute(
        select(Assignment.course_id, Assignment.due_on, assigner.name, module_title())
        .join(assigner, assigner.id == Assignment.assigner_id)
        .where(
            Assignment.person_id == person_id,
            Assignment.course_id.in_(course_ids),
            Assignment.withdrawn_at.is_(None),
            ~is_done(),
        )
        .order_by(Assignment.due_on.desc(), Assignment.id.desc())
    )
    found: dict[int, CourseAssignment] = {}
    for course_id, due_on, name, title in rows:
        found[course_id] = CourseAssignment(due_on=due_on, assigner_name=name, module_title=title)
    return found


@dataclass(frozen=True)
class BatchRow:
    """One batch as its assigner's list shows it, with how many people stand in each status."""

    batch_id: int
    role: str
    slug: str
    course_title: str
    module_title: str | None
    target_kind: str
    target_name: str
    due_kind: str
    due_on: date | None
    due_days: int | None
    assigned_on: date
    withdrawn: bool
    counts: dict[str, int]

    @property
    def total(self) -> int:
        """Everyone in the batch the assigner still reaches."""
        return sum(self.counts.values())


def batches_of(assigner_id: int) -> Select[*tuple[Any, ...]]:
    """The assigner's batches, newest first, as rows for `BatchRow` (page it, then add `status_counts`)."""
    target_unit = aliased(Unit, name="target_unit")
    target_person = aliased(Person, name="target_person")
    batch_module = (
        select(ModuleContent.title)
        .join(VersionModule, VersionModule.module_content_id == ModuleContent.id)
        .where(
            VersionModule.version_id == Course.current_version_id,
            VersionModule.key == AssignmentBatch.module_key,
        )
        .limit(1)
        .scalar_subquery()
    )
    target_name = func.coalesce(target_person.name, target_unit.name, Position.name, "")
    return (
        select(
            AssignmentBatch.id.label("batch_id"),
            AssignmentBatch.assigner_role.label("role"),
            Course.slug.label("slug"),
            CourseVersion.title.label("course_title"),
            batch_module.label("module_title"),
            AssignmentBatch.target_kind.label("target_kind"),
            target_name.label("target_name"),
            AssignmentBatch.due_kind.label("due_kind"),
            AssignmentBatch.due_on.label("due_on"),
            AssignmentBatch.due_days.label("due_days"),
            AssignmentBatch.assigned_on.label("assigned_on"),
            AssignmentBatch.withdrawn_at.is_not(None).label("withdrawn"),
        )
        .join(Course, Course.id == AssignmentBatch.course_id)
        .join(CourseVersion, CourseVersion.id == Course.current_version_id)
        .outerjoin(target_person, target_person.id == AssignmentBatch.target_person_id)
        .outerjoin(target_unit, target_unit.id == AssignmentBatch.target_unit_id)
        .outerjoin(Position, Position.id == AssignmentBatch.target_position_id)
        .where(AssignmentBatch.assigner_id == assigner_id)
        .order_by(AssignmentBatch.id.desc())
    )


def status_counts(
    session: Session, *, batch_ids: list[int], people: Select[Person], today: date
) -> dict[int, dict[str, int]]:
    """Batch id -> status -> number of the batch's rows whose person is among `people` (one grouped query)."""
    if not batch_ids:
        return {}
    status = status_of(today)
    reachable = people.with_only_columns(Person.id)
    rows = session.execute(
        select(Assignment.batch_id, status, func.count())
        .where(Assignment.batch_id.in_(batch_ids), Assignment.person_id.in_(reachable))
        .group_by(Assignment.batch_id, status)
    )
    counts: dict[int, dict[str, int]] = {batch_id: {} for batch_id in batch_ids}
    for batch_id, name, count in rows:
        counts[batch_id][name] = count
    return counts


def batch_rows(
    session: Session, rows: Sequence[Any], *, people_by_role: Mapping[str, Select[Person]], today: date
) -> list[BatchRow]:
    """A page of `batches_of` rows with their status counts, counted among the people the assigner reaches in
    each batch's role (one grouped query per role)."""
    counts: dict[int, dict[str, int]] = {}
    for role, people in people_by_role.items():
        ids = [row.batch_id for row in rows if row.role == role]
        counts.update(status_counts(session, batch_ids=ids, people=people, today=today))
    return [BatchRow(**row._mapping, counts=counts.get(row.batch_id, {})) for row in rows]


def people_of_batch(batch_id: int, *, people: Select[Person], today: date) -> Select[*tuple[Any, ...]]:
    """The batch's rows whose person is among `people`, by name, with each one's status (page it)."""
    reachable = people.with_only_columns(Person.id)
    return (
        select(
            Assignment.id.label("assignment_id"),
            Person.id.label("person_id"),
            Person.name.label("name"),
            Person.nip.label("nip"),
            Unit.name.label("unit_name"),
            Assignment.due_on.label("due_on"),
            status_of(today).label("status"),
        )
        .join(Person, Person.id == Assignment.person_id)
        .outerjoin(Unit, Unit.id == Person.unit_id)
        .where(Assignment.batch_id == batch_id, Assignment.person_id.in_(reachable))
        .order_by(Person.name, Person.id)
    )
