"""Accounts: password checks, session ends."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from elearn.models import Person


def set_password(person: Person, password: str) -> None:
    """Store a salted scrypt hash, never the password."""
    person.password_hash = generate_password_hash(password, method="scrypt")


def authenticate(session: Session, *, identifier: str, password: str, ip: str) -> Person | None:
    """The active person whose NIP or e-mail and password match, else None."""
    ident = identifier.strip()
    person = session.scalar(
        select(Person).where(or_(Person.nip == ident, Person.email == func.lower(ident)))
    )
    if person is None or not person.active or not person.password_hash:
        return None
    if not check_password_hash(person.password_hash, password):
        return None
    return person


def end_sessions(session: Session, person: Person) -> None:
    """Invalidate every session and remember cookie the person holds."""
    person.session_version += 1
