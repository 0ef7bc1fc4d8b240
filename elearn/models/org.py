"""The organisation: a tree of units (materialised path) and the positions people hold."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.db import Base, one_of

if TYPE_CHECKING:
    from elearn.models.people import Person


class PositionKind(enum.StrEnum):
    """The three kinds of jabatan."""

    STRUKTURAL = "struktural"
    FUNGSIONAL = "fungsional"
    PELAKSANA = "pelaksana"


class Unit(Base):
    """A unit kerja; `path` ("/1/5/12/") makes every subtree one indexed prefix query."""

    __tablename__ = "elearn_unit"
    __table_args__ = (Index("ix_elearn_unit_path", "path", postgresql_ops={"path": "text_pattern_ops"}),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("elearn_unit.id"), index=True)
    path: Mapped[str] = mapped_column(String(1000), default="")
    depth: Mapped[int] = mapped_column(default=0)
    head_id: Mapped[int | None] = mapped_column(
        ForeignKey("elearn_person.id", use_alter=True, ondelete="SET NULL"), index=True
    )

    parent: Mapped[Unit | None] = relationship(remote_side=[id])
    head: Mapped[Person | None] = relationship(foreign_keys=[head_id], post_update=True)

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"


class Position(Base):
    """A jabatan with its kind and optional grade (kelas jabatan / jenjang)."""

    __tablename__ = "elearn_position"
    __table_args__ = (one_of("kind", PositionKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    grade: Mapped[str | None] = mapped_column(String(50))

    def __repr__(self) -> str:
        return f"<Position {self.code}>"
