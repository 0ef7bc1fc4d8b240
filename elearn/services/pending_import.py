"""Uploaded organisation files waiting between preview and confirm, in the database so any app server can confirm.

The confirm form carries only a random token (the database keeps its sha256), so the data applied is exactly the
data previewed, and only the administrator who uploaded it can apply it. A confirmed upload keeps its row without
its bytes until it is pruned, so a second confirm is recognised and answered instead of importing twice.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from elearn.models import PendingImport, Person

PENDING_IMPORT_TTL = timedelta(hours=24)


@dataclass(frozen=True)
class PendingUpload:
    """A stored upload as the confirm step sees it; `applied_at` is set once it has been imported."""

    token: str
    kind: str
    filename: str
    data: bytes
    applied_at: datetime | None


def store(session: Session, *, owner: Person, kind: str, filename: str, data: bytes, now: datetime) -> str:
    """Keep `data` for `owner` and return the token the confirm form carries; uploads older than a day go first."""
    prune(session, now=now)
    token = secrets.token_urlsafe(32)
    session.add(
        PendingImport(
            token_hash=_hash(token),
            owner_id=owner.id,
            kind=kind,
            filename=filename,
            data=data,
            created_at=now,
        )
    )
    session.flush()
    return token


def load(session: Session, *, token: str, owner: Person, now: datetime) -> PendingUpload | None:
    """The upload behind `token`, or None when it is unknown, expired or another administrator's (the view 404s)."""
    row = session.scalar(
        select(PendingImport).where(
            PendingImport.token_hash == _hash(token),
            PendingImport.owner_id == owner.id,
            PendingImport.created_at >= now - PENDING_IMPORT_TTL,
        )
    )
    if row is None:
        return None
    return PendingUpload(
        token=token, kind=row.kind, filename=row.filename, data=row.data, applied_at=row.applied_at
    )


def claim(session: Session, token: str, *, now: datetime) -> bool:
    """Mark the upload applied and drop its bytes; False when another request did first (its row lock serialises
    concurrent confirms, so only one of them imports). Call it in the transaction that imports."""
    result = session.execute(
        update(PendingImport)
        .where(PendingImport.token_hash == _hash(token), PendingImport.applied_at.is_(None))
        .values(applied_at=now, data=b"")
    )
    return result.rowcount == 1  # type: ignore[attr-defined]  # DML results are CursorResults, which carry rowcount


def discard(session: Session, token: str) -> None:
    """Forget an upload that will not be imported (the confirm found a problem)."""
    session.execute(delete(PendingImport).where(PendingImport.token_hash == _hash(token)))


def prune(session: Session, *, now: datetime) -> int:
    """Delete uploads older than a day, confirmed or not; returns how many went."""
    result = session.execute(delete(PendingImport).where(PendingImport.created_at < now - PENDING_IMPORT_TTL))
    return int(result.rowcount)  # type: ignore[attr-defined]  # DML results are CursorResults, which carry rowcount


def _hash(token: str) -> str:
    return hashlib.sha256(f"pending-import:{token}".encode()).hexdigest()
