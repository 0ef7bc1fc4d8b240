"""The competency framework (managerial and socio-cultural from the national dictionary, technical added by admins),
position standards (SKJ), evidence and the summaries that dashboards read."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.db import Base, UTCDateTime, one_of, utcnow


class CompetencyKind(enum.StrEnum):
    """The three kinds of competency in PermenPAN-RB 38/2017."""

    TEKNIS = "teknis"
    MANAJERIAL = "manajerial"
    SOSIAL_KULTURAL = "sosial_kultural"


class Competency(Base):
    """A competency with five level descriptions; `source` tells where its definition comes from."""

    __tablename__ = "elearn_competency"
    __table_args__ = (one_of("kind", CompetencyKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    definition: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(100), default="dictionary")

    levels: Mapped[list[CompetencyLevel]] = relationship(
        back_populates="competency", cascade="all, delete-orphan", order_by="CompetencyLevel.level"
    )


class CompetencyLevel(Base):
    """What level N of a competency means, with its behavioural indicators."""

    __tablename__ = "elearn_competency_level"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),)

    competency_id: Mapped[int] = mapped_column(
        ForeignKey("elearn_competency.id", ondelete="CASCADE"), primary_key=True
    )
    level: Mapped[int] = mapped_column(primary_key=True)
    description: Mapped[str] = mapped_column(Text)
    indicators: Mapped[list[Any]] = mapped_column(JSON, default=list)

    competency: Mapped[Competency] = relationship(back_populates="levels")


EVIDENCE_SOURCES = ("course", "assessment")


class PositionStandard(Base):
    """SKJ: the level of one competency that a position requires."""

    __tablename__ = "elearn_position_standard"
    __table_args__ = (CheckConstraint("required_level BETWEEN 1 AND 5", name="required_level_range"),)

    position_id: Mapped[int] = mapped_column(
        ForeignKey("elearn_position.id", ondelete="CASCADE"), primary_key=True
    )
    competency_id: Mapped[int] = mapped_column(
        ForeignKey("elearn_competency.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    required_level: Mapped[int]


class CompetencyEvidence(Base):
    """One proof that a person attained a competency at a level: a course completion or an assessment result.

    Course evidence names its completion (one row per completion and competency, so a re-import or a double submit
    never adds a second); assessed evidence names who recorded it and why. `expires_on` is the first day it no
    longer counts (from the course's `valid_years`); NULL never expires. `withdrawn_at` set: it no longer counts
    (a revoked certificate, an assessment recorded in error), kept so the history explains itself.
    """

    __tablename__ = "elearn_competency_evidence"
    __table_args__ = (
        UniqueConstraint("completion_id", "competency_id"),
        Index("ix_elearn_competency_evidence_person_competency", "person_id", "competency_id"),
        CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),
        CheckConstraint("expires_on IS NULL OR expires_on > achieved_on", name="expires_after_achieved"),
        CheckConstraint(
            "(source = 'course' AND completion_id IS NOT NULL AND version_id IS NOT NULL)"
            " OR (source = 'assessment' AND completion_id IS NULL AND recorded_by_id IS NOT NULL)",
            name="source_fields",
        ),
        one_of("source", EVIDENCE_SOURCES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("elearn_person.id", ondelete="CASCADE"))
    competency_id: Mapped[int] = mapped_column(ForeignKey("elearn_competency.id", ondelete="CASCADE"))
    level: Mapped[int]
    achieved_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(10))
    completion_id: Mapped[int | None] = mapped_column(
        ForeignKey("elearn_completion.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int | None] = mapped_column(ForeignKey("elearn_course_version.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("elearn_person.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AttainedCompetency(Base):
    """Summary: a person's attained level of one competency, from the highest evidence valid on `computed_on`.

    Kept in the transaction of every event that changes it (a completion, an assessment, a withdrawal) and
    refreshed daily where `valid_until` passed; `flask elearn competency recompute` rebuilds it from the evidence.
    """

    __tablename__ = "elearn_attained_competency"
    __table_args__ = (
        Index("ix_elearn_attained_competency_competency_level", "competency_id", "level", "person_id"),
        Index("ix_elearn_attained_competency_valid_until", "valid_until"),
        CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),
    )

    person_id: Mapped[int] = mapped_column(
        ForeignKey("elearn_person.id", ondelete="CASCADE"), primary_key=True
    )
    competency_id: Mapped[int] = mapped_column(
        ForeignKey("elearn_competency.id", ondelete="CASCADE"), primary_key=True
    )
    level: Mapped[int]
    since: Mapped[date] = mapped_column(Date)
    """When the evidence that gives this level was achieved (the earliest, among equals)."""
    evidence_id: Mapped[int] = mapped_column(ForeignKey("elearn_competency_evidence.id", ondelete="CASCADE"))
    valid_until: Mapped[date | None] = mapped_column(Date)
    """The first day this level may drop (its evidence expires); NULL: it never does."""


class CompetencyStanding(Base):
    """Summary: a person measured against their position's standard, kept with every change to either.

    `required_total` and `attained_total` (each competency's attained level capped at its required one) give
    JPM = attained_total / required_total x 100; `gaps` counts the competencies below standard. A person with no
    position or a position without a standard has no row.
    """

    __tablename__ = "elearn_competency_standing"
    __table_args__ = (
        Index("ix_elearn_competency_standing_jpm", "jpm", "person_id"),
        CheckConstraint("required_total > 0", name="required_positive"),
        CheckConstraint("attained_total BETWEEN 0 AND required_total", name="attained_within_required"),
    )

    person_id: Mapped[int] = mapped_column(
        ForeignKey("elearn_person.id", ondelete="CASCADE"), primary_key=True
    )
    position_id: Mapped[int] = mapped_column(ForeignKey("elearn_position.id", ondelete="CASCADE"), index=True)
    required_total: Mapped[int]
    attained_total: Mapped[int]
    gaps: Mapped[int]
    jpm: Mapped[Decimal] = mapped_column(Numeric(5, 2))
