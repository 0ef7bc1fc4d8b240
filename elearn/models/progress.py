"""Learner progress on module contents and course completions tied to the version completed."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from elearn.db import Base, UTCDateTime, one_of, utcnow

PROGRESS_STATUSES = ("started", "completed")


class ModuleProgress(Base):
    """How far a person is in one module content (0-1); survives re-imports that leave the module unchanged."""

    __tablename__ = "elearn_module_progress"
    __table_args__ = (
        UniqueConstraint("person_id", "module_content_id"),
        one_of("status", PROGRESS_STATUSES),
        CheckConstraint("progress >= 0 AND progress <= 1", name="progress_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("elearn_person.id", ondelete="CASCADE"))
    module_content_id: Mapped[int] = mapped_column(ForeignKey("elearn_module_content.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="started")
    progress: Mapped[float] = mapped_column(default=0.0)
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
