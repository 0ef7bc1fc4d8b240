"""Yearly development plans (rencana pengembangan kompetensi): what a person means to develop in a year and how.

The person drafts and proposes; only their supervisor's action makes a plan agreed, and later done. Items aim at a
competency level, a course of the catalogue, or training outside elearn.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.db import Base, UTCDateTime, one_of, utcnow
from elearn.models.catalog import Course
from elearn.models.people import Person

PLAN_STATUSES = ("draft", "proposed", "agreed", "done")
ITEM_KINDS = ("competency", "course", "external")


class DevelopmentPlan(Base):
    """One person's plan for one calendar year."""

    __tablename__ = "elearn_development_plan"
    __table_args__ = (
        UniqueConstraint("person_id", "year"),
        one_of("status", PLAN_STATUSES),
        CheckConstraint(
            "status NOT IN ('agreed', 'done') OR agreed_by_id IS NOT NULL", name="agreed_by_someone"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("elearn_person.id", ondelete="CASCADE"))
    year: Mapped[int]
    status: Mapped[str] = mapped_column(String(10), default="draft")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("elearn_person.id", ondelete="SET NULL"))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    supervisor_comment: Mapped[str] = mapped_column(Text, default="")

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    agreed_by: Mapped[Person | None] = relationship(foreign_keys=[agreed_by_id])
    items: Mapped[list[PlanItem]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanItem.id"
    )


class PlanItem(Base):
    """One aim of a plan: a competency level to reach, a course to complete, or an outside training."""

    __tablename__ = "elearn_plan_item"
    __table_args__ = (
        one_of("kind", ITEM_KINDS),
        CheckConstraint(
            "kind <> 'competency' OR (competency_code IS NOT NULL AND target_level BETWEEN 1 AND 5)",
            name="competency_has_level",
        ),
        CheckConstraint("kind <> 'course' OR course_id IS NOT NULL", name="course_has_course"),
        CheckConstraint("kind <> 'external' OR title <> ''", name="external_has_title"),
        CheckConstraint("jp IS NULL OR jp >= 0", name="jp_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("elearn_development_plan.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    competency_code: Mapped[str | None] = mapped_column(ForeignKey("elearn_competency.code"))
    target_level: Mapped[int | None]
    course_id: Mapped[int | None] = mapped_column(ForeignKey("elearn_course.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200), default="")
    """The outside training's name (kind "external"); empty otherwise."""
    provider: Mapped[str] = mapped_column(String(200), default="")
    jp: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    note: Mapped[str] = mapped_column(Text, default="")

    plan: Mapped[DevelopmentPlan] = relationship(back_populates="items")
    course: Mapped[Course | None] = relationship()
