"""Learner progress on modules and course completions tied to the version completed.

Progress rows are keyed by module content (what the person actually read or took) and also carry the course and
module key they were reached under, so a module edited in a later version still counts as done for the person who
finished it (a typo fix does not send anyone back), and a course's whole progress is one indexed range read.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from elearn.db import Base, UTCDateTime, one_of, utcnow

PROGRESS_STATUSES = ("started", "completed")


class ModuleProgress(Base):
    """How far a person is in one module content (0-1) and, for graded modules, their best score in percent."""

    __tablename__ = "elearn_module_progress"
    __table_args__ = (
        UniqueConstraint("person_id", "module_content_id"),
        Index("ix_elearn_module_progress_person_course", "person_id", "course_id"),
        one_of("status", PROGRESS_STATUSES),
        CheckConstraint("progress >= 0 AND progress <= 1", name="progress_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("elearn_person.id", ondelete="CASCADE"))
    module_content_id: Mapped[int] = mapped_column(ForeignKey("elearn_module_content.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("elearn_course.id", ondelete="CASCADE"))
    module_key: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="started")
    progress: Mapped[float] = mapped_column(default=0.0)
    best_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Completion(Base):
    """A course completed once by a person, for the exact version completed, with the JP it earned."""

    __tablename__ = "elearn_completion"
    __table_args__ = (
        UniqueConstraint("person_id", "version_id"),
        Index("ix_elearn_completion_person_completed", "person_id", "completed_at"),
        CheckConstraint("jp >= 0", name="jp_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("elearn_person.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("elearn_course.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("elearn_course_version.id"), index=True)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    jp: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    final_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    """The post-test score in percent when the course has one, else the mean of its graded modules' best scores."""
