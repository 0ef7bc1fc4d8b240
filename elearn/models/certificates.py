"""Certificates of completed courses, and the failed look-ups that throttle guessing at the verification page."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from elearn.db import Base, UTCDateTime, utcnow


class Certificate(Base):
    """One certificate per completion, written in the completion's transaction; what it says is kept as issued.

    Holder, course and competencies are copied at issue (a later change of name or of the course's dictionary
    does not rewrite a document already handed out); revocation is the only change it ever gets.
    """

    __tablename__ = "elearn_certificate"
    __table_args__ = (
        CheckConstraint(
            "(revoked_at IS NULL AND revoke_reason IS NULL) OR (revoked_at IS NOT NULL AND revoke_reason <> '')",
            name="revocation_has_reason",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(17), unique=True)
    completion_id: Mapped[int] = mapped_column(
        ForeignKey("elearn_completion.id", ondelete="CASCADE"), unique=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("elearn_person.id", ondelete="CASCADE"), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    """The moment of the completion it certifies (the date it shows and the JP year it counts in)."""
    holder_name: Mapped[str] = mapped_column(String(200))
    holder_nip: Mapped[str] = mapped_column(String(18))
    holder_id_kind: Mapped[str] = mapped_column(String(10))
    course_title: Mapped[str] = mapped_column(String(200))
    version_number: Mapped[int]
    jp: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    competencies: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """[{"code", "name", "name_en", "level"}] as the course version proved them."""
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("elearn_person.id", ondelete="SET NULL"))
    revoke_reason: Mapped[str | None] = mapped_column(Text)


class VerificationFailure(Base):
    """A verification look-up of an unknown serial; counted per address in the database, across every server."""

    __tablename__ = "elearn_verification_failure"
    __table_args__ = (Index("ix_elearn_verification_failure_ip_at", "ip", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ip: Mapped[str] = mapped_column(String(45))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
