"""The competency framework: managerial and socio-cultural from the national dictionary, technical from courses."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.db import Base, one_of


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
