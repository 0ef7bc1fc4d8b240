"""Uploaded organisation files, kept in the database between the check and the import so any server can run them.

The upload is reached only through its jobs, and only by the administrator who uploaded it, so the data
imported is exactly the data checked. Confirming marks the upload once (`confirmed_at`), so a second confirm,
from any server, is recognised and answered instead of importing twice. The bytes are dropped when they can no
longer be imported (refused at the check, or once the import ended); rows older than a day are pruned.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from elearn.models import PendingImport, Person

PENDING_IMPORT_TTL = timedelta(hours=24)


def store(
    session: Session, *, owner: Person, kind: str, filename: str, data: bytes, now: datetime
) -> PendingImport:
    """Keep `data` for `owner`; uploads older than a day go first."""
    prune(session, now=now)
    upload = PendingImport(owner_id=owner.id, kind=kind, filename=filename, data=data, created_at=now)
    session.add(upload)
    session.flush()
    return upload


def confirm(session: Session, *, upload_id: int, now: datetime) -> bool:
    """Mark the upload confirmed; False when it already was (its row lock serialises concurrent confirms, so
    exactly one of them starts an import). Call it in the transaction that queues the import."""
    result = session.execute(
        update(PendingImport)
        .where(PendingImport.id == upload_id, PendingImport.confirmed_at.is_(None))
        .values(confirmed_at=now)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]  # a CursorResult for an UPDATE


def drop_data(session: Session, *, upload_id: int) -> None:
    """Forget the bytes of an upload that will not be imported (again); its jobs keep their results."""
    session.execute(update(PendingImport).where(PendingImport.id == upload_id).values(data=b""))


def prune(session: Session, *, now: datetime) -> int:
    """Delete uploads (and their jobs) older than a day, confirmed or not; returns how many went."""
    result = session.execute(delete(PendingImport).where(PendingImport.created_at < now - PENDING_IMPORT_TTL))
    return int(result.rowcount)  # type: ignore[attr-defined]  # a CursorResult for a DELETE
