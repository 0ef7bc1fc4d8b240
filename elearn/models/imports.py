"""Uploaded organisation files and the jobs that check and import them outside the HTTP request, kept in the
database so that any app server can show their progress and any runner can claim them."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.db import Base, UTCDateTime, one_of, utcnow
from elearn.orgdata.records import FILE_KINDS


class PendingImport(Base):
    """One uploaded organisation file; only its owner may see and confirm it. `confirmed_at` is set once, when
    an import of it is started, and the bytes are dropped when that import ends."""

    __tablename__ = "elearn_pending_import"
    __table_args__ = (one_of("kind", FILE_KINDS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("elearn_person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class JobMode(enum.StrEnum):
    """A job checks an upload (the preview, a dry run) or imports it."""

    CHECK = "check"
    APPLY = "apply"


class JobStatus(enum.StrEnum):
    """Queued until a runner claims it, running while its heartbeat is fresh, then done or failed."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class JobStage(enum.StrEnum):
    """Where a running job is: reading the file, checking rows against the database, writing them."""

    READ = "read"
    CHECK = "check"
    WRITE = "write"


class ImportJob(Base):
    """A check or an import of one upload, with its progress (rows `done` of `total` in `stage`), the heartbeat
    of the runner that claimed it, and its outcome (`result` as JSON, or a clean `error`)."""

    __tablename__ = "elearn_import_job"
    __table_args__ = (
        one_of("mode", JobMode),
        one_of("status", JobStatus),
        one_of("stage", JobStage),
        Index("ix_elearn_import_job_status_id", "status", "id"),
        # Job ids are in page addresses: SQLite must not hand a deleted job's id to a new one.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    upload_id: Mapped[int] = mapped_column(
        ForeignKey("elearn_pending_import.id", ondelete="CASCADE"), index=True
    )
    owner_id: Mapped[int] = mapped_column(ForeignKey("elearn_person.id", ondelete="CASCADE"), index=True)
    mode: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default=JobStatus.QUEUED.value)
    stage: Mapped[str | None] = mapped_column(String(10))
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    ip: Mapped[str | None] = mapped_column(String(45))
    runner: Mapped[str | None] = mapped_column(String(100))
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    upload: Mapped[PendingImport] = relationship(lazy="raise")
