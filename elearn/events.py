"""Signals announced inside a transaction and sent only once it has committed (`elearn.signals`).

A service calls `announce(session, signal, **payload)`; the caller ends the unit of work with `commit(session)`,
which commits and then sends what was announced. A rollback forgets the announcements, so a receiver never hears
of something that did not happen. Receivers run outside the committed transaction and may use the session.
"""

from __future__ import annotations

from typing import Any

from blinker import Signal
from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session, scoped_session

PENDING = "elearn_announced"
COMMITTED = "elearn_committed"


def announce(session: Session, signal: Signal, **payload: Any) -> None:
    """Send `signal` with `payload` after the current transaction commits."""
    session.info.setdefault(PENDING, []).append((signal, payload))


def commit(session: Session) -> None:
    """Commit, then send every signal announced in the transaction (in the order announced)."""
    session.commit()
    committed = session.info.pop(COMMITTED, [])
    sender = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy's real object, so receivers get the app itself
    for signal, payload in committed:
        signal.send(sender, **payload)


def _committed(session: Session) -> None:
    """The transaction is durable: what it announced may be sent."""
    if PENDING in session.info:
        session.info.setdefault(COMMITTED, []).extend(session.info.pop(PENDING))


def _rolled_back(session: Session) -> None:
    """Nothing announced in a rolled-back transaction happened."""
    session.info.pop(PENDING, None)


def install(sessions: scoped_session[Any]) -> None:
    """Track announcements on the sessions of elearn's database (once per session factory)."""
    if not event.contains(sessions, "after_commit", _committed):
        event.listen(sessions, "after_commit", _committed)
        event.listen(sessions, "after_rollback", _rolled_back)
