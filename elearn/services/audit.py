"""The audit log: writing one entry per audited action (in the caller's transaction) and searching it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from elearn.models import AuditEntry, Person


def record(
    session: Session,
    *,
    actor: Person | None,
    action: str,
    target: Any = None,
    ip: str | None = None,
    at: datetime | None = None,
    **detail: Any,
) -> AuditEntry:
    """Add an audit entry; `target` is any model with an `id` (its class name becomes the target type).

    `at` is the caller's "now"; without it the database row gets the time of the insert.
    """
    entry = AuditEntry(
        **({"at": at} if at is not None else {}),
        actor_id=actor.id if actor is not None else None,
        action=action,
        target_type=type(target).__name__ if target is not None else None,
        target_id=str(target.id) if target is not None else None,
        detail=detail,
        ip=ip,
    )
    session.add(entry)
    return entry


def search(*, action: str = "", actor: str = "") -> Select[AuditEntry]:
    """Entries newest first: `action` matches exactly, `actor` an exact NIP or part of a name.

    Returns the SELECT rather than rows so the caller pages it (one query for the page, one for the count) and
    names the people of the whole page at once.
    """
    entries = select(AuditEntry)
    action, actor = action.strip(), actor.strip()
    if action:
        entries = entries.where(AuditEntry.action == action)
    if actor:
        actors = select(Person.id).where(
            or_(Person.nip == actor, Person.name.icontains(actor, autoescape=True))
        )
        entries = entries.where(AuditEntry.actor_id.in_(actors))
    return entries.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
