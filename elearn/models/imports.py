"""Uploads waiting between an admin's import preview and confirm, kept in the database so any app server can confirm."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from elearn.db import Base, UTCDateTime, one_of, utcnow
from elearn.orgdata.records import FILE_KINDS


class PendingImport(Base):
    """One previewed organisation file; only the sha256 of its token is stored, and only its owner may confirm it."""

    __tablename__ = "elearn_pending_import"
    __table_args__ = (one_of("kind", FILE_KINDS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("elearn_person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
