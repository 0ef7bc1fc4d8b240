"""Learning assigned by a mentor or a supervisor: one batch per act of assigning, one row per person assigned.

A batch records what was assigned (a course, or one module of it), to whom (a person, a unit with its subtree, or
everyone in a position within the assigner's units), the due-date rule and the note. Its rows are written by one
INSERT ... SELECT (`elearn.services.assignments`), each with its own due date, and a partial unique index lets a
person hold one live assignment of the same thing from the same assigner: assigning it again adds nobody twice.
Statuses (not started, in progress, done, overdue) are never stored: they are read from progress in SQL.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.db import Base, UTCDateTime, one_of, utcnow
from elearn.models.catalog import Course
from elearn.models.org import Position, Unit
from elearn.models.people import Person

ASSIGNER_ROLES = ("mentor", "supervisor")
TARGET_KINDS = ("person", "unit", "position")
DUE_KINDS = ("fixed", "after_assignment", "after_unit_join")
WHOLE_COURSE = ""
"""The `module_key` of an assignment of the whole course."""


class AssignmentBatch(Base):
    """One act of assigning: what, to whom, by when, with which note; withdrawn as a whole or person by person."""

    __tablename__ = "elearn_assignment_batch"
    __table_args__ = (
        one_of("assigner_role", ASSIGNER_ROLES),
        one_of("target_kind", TARGET_KINDS),
        one_of("due_kind", DUE_KINDS),
        CheckConstraint("due_kind <> 'fixed' OR due_on IS NOT NULL", name="fixed_has_date"),
        CheckConstraint("due_kind = 'fixed' OR due_days >= 0", name="relative_has_days"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assigner_id: Mapped[int] = mapped_column(ForeignKey("elearn_person.id", ondelete="CASCADE"), index=True)
    assigner_role: Mapped[str] = mapped_column(String(20))
    target_kind: Mapped[str] = mapped_column(String(20))
    target_person_id: Mapped[int | None] = mapped_column(ForeignKey("elearn_person.id", ondelete="SET NULL"))
    target_unit_id: Mapped[int | None] = mapped_column(ForeignKey("elearn_unit.id", ondelete="SET NULL"))
    target_position_id: Mapped[int | None] = mapped_column(
        ForeignKey("elearn_position.id", ondelete="SET NULL")
    )
    course_id: Mapped[int] = mapped_column(ForeignKey("elearn_course.id", ondelete="CASCADE"))
    module_key: Mapped[str] = mapped_column(String(100), default=WHOLE_COURSE)
    due_kind: Mapped[str] = mapped_column(String(20))
    due_on: Mapped[date | None] = mapped_column(Date)
    due_days: Mapped[int | None]
    note: Mapped[str] = mapped_column(Text, default="")
    assigned_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    assigner: Mapped[Person] = relationship(foreign_keys=[assigner_id])
    target_person: Mapped[Person | None] = relationship(foreign_keys=[target_person_id])
    target_unit: Mapped[Unit | None] = relationship()
    target_position: Mapped[Position | None] = relationship()
    course: Mapped[Course] = relationship()


class Assignment(Base):
    """One person's assignment from a batch, with their own due date (relative rules differ per person)."""

    __tablename__ = "elearn_assignment"
    __table_args__ = (
        Index(
            "ix_elearn_assignment_one_live",
            "assigner_id",
            "person_id",
            "course_id",
            "module_key",
            unique=True,
            sqlite_where=text("withdrawn_at IS NULL"),
            postgresql_where=text("withdrawn_at IS NULL"),
        ),
        Index("ix_elearn_assignment_person_due", "person_id", "due_on"),
        Index("ix_elearn_assignment_batch_person", "batch_id", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("elearn_assignment_batch.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("elearn_person.id", ondelete="CASCADE"))
    assigner_id: Mapped[int] = mapped_column(ForeignKey("elearn_person.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("elearn_course.id", ondelete="CASCADE"), index=True)
    module_key: Mapped[str] = mapped_column(String(100), default=WHOLE_COURSE)
    assigned_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
