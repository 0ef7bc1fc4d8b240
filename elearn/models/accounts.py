"""Account security records: one-time activation tokens and login attempts for throttling."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.db import Base, UTCDateTime, utcnow
from elearn.models.people import Person


class ActivationToken(Base):
    """A one-time activation link/code issued by an admin; only its hash is stored."""

    __tablename__ = "elearn_activation_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("elearn_person.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("elearn_person.id", ondelete="SET NULL"))

    person: Mapped[Person] = relationship(foreign_keys=[person_id])


class LoginAttempt(Base):
    """One login attempt; counting recent failures in the database throttles across all workers."""

    __tablename__ = "elearn_login_attempt"
    __table_args__ = (
        Index("ix_elearn_login_attempt_identifier_at", "identifier", "at"),
        Index("ix_elearn_login_attempt_ip_at", "ip", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    identifier: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str] = mapped_column(String(45))
    succeeded: Mapped[bool] = mapped_column(default=False)
