"""The JP ledger: external training with its proof and the supervisor's decision, and JP summed per person and year."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, LargeBinary, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.db import Base, UTCDateTime, one_of, utcnow
from elearn.ledger.kinds import DEVELOPMENT_KINDS
from elearn.models.people import Person

TRAINING_STATES = ("proposed", "approved", "rejected")


class ExternalTraining(Base):
    """Training an employee took outside elearn, with the fields of the national HR system's training history.

    Proposed by the employee, approved or rejected (with a reason) by their supervisor; only approved records count.
    It counts in the year of its end date.
    """

    __tablename__ = "elearn_external_training"
    __table_args__ = (
        Index("ix_elearn_external_training_person_ends", "person_id", "ends_on"),
        Index("ix_elearn_external_training_state_person", "state", "person_id"),
        one_of("kind", DEVELOPMENT_KINDS),
        one_of("state", TRAINING_STATES),
        CheckConstraint("jp > 0", name="jp_positive"),
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        CheckConstraint(
            "(state = 'proposed' AND decided_at IS NULL) OR (state <> 'proposed' AND decided_at IS NOT NULL)",
            name="decided_when_not_proposed",
        ),
        CheckConstraint(
            "state <> 'rejected' OR (decision_reason IS NOT NULL AND decision_reason <> '')",
            name="rejection_has_reason",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("elearn_person.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    """Jenis pengembangan kompetensi (`elearn.ledger.kinds`)."""
    name: Mapped[str] = mapped_column(String(300))
    provider: Mapped[str] = mapped_column(String(200))
    """Institusi penyelenggara."""
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    jp: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    certificate_number: Mapped[str] = mapped_column(String(100), default="")
    state: Mapped[str] = mapped_column(String(10), default="proposed")
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("elearn_person.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship(foreign_keys=[person_id], lazy="raise")
    decided_by: Mapped[Person | None] = relationship(foreign_keys=[decided_by_id], lazy="raise")
    proof: Mapped[TrainingProof] = relationship(
        back_populates="training", cascade="all, delete-orphan", passive_deletes=True, lazy="raise"
    )


class TrainingProof(Base):
    """The proof of one external training (PDF, JPEG or PNG by content), kept in the database for every server."""

    __tablename__ = "elearn_training_proof"

    training_id: Mapped[int] = mapped_column(
        ForeignKey("elearn_external_training.id", ondelete="CASCADE"), primary_key=True
    )
    media_type: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(100))
    """The name it was uploaded under, only to show its owner; downloads are named by the record."""
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)

    training: Mapped[ExternalTraining] = relationship(back_populates="proof", lazy="raise")


class JpSummary(Base):
    """A person's JP in one calendar year, kept in the transaction of every event that changes it.

    `course_jp`: completed courses (certificate not revoked) in that year of the office calendar; `external_jp`:
    approved external training ending in that year; `pending_jp`: external training still awaiting a decision.
    """

    __tablename__ = "elearn_jp_summary"
    __table_args__ = (Index("ix_elearn_jp_summary_year", "year", "person_id"),)

    person_id: Mapped[int] = mapped_column(
        ForeignKey("elearn_person.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    course_jp: Mapped[Decimal] = mapped_column(Numeric(8, 2), default=Decimal(0))
    external_jp: Mapped[Decimal] = mapped_column(Numeric(8, 2), default=Decimal(0))
    pending_jp: Mapped[Decimal] = mapped_column(Numeric(8, 2), default=Decimal(0))
