"""Writing the audit log: one call per audited action, in the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from elearn.models import AuditEntry, Person


def record(session: Session, *, actor: Person | None, action: str, target: Any = None, ip: str | None = None,
           **detail: Any) -> AuditEntry:
    """Add an audit entry; `target` is any model with an `id` (its class name becomes the target type)."""
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=type(target).__name__ if target is not None else None,
        target_id=str(target.id) if target is not None else None,
        detail=detail,
        ip=ip,
    )
    session.add(entry)
    return entry
