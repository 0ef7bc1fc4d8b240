"""Accounts: passwords, sign-in throttled through the database, one-time activation, and ending sessions."""

from __future__ import annotations

import enum
import hashlib
import math
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, delete, or_, select, update
from sqlalchemy.orm import Session, joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from elearn.db import utcnow
from elearn.models import ActivationToken, LoginAttempt, Person, Role
from elearn.services import audit

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
ATTEMPT_RETENTION = timedelta(days=1)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


class PasswordProblem(enum.StrEnum):
    """Why a new password is refused (forms and the CLI word it in their own language)."""

    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    EQUALS_NIP = "equals_nip"


class WeakPasswordError(ValueError):
    """A new password broke a rule; forms check first, so this guards every other caller."""

    def __init__(self, problem: PasswordProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


class AccountError(ValueError):
    """An account action that cannot be done as asked (inactive person, NIP or e-mail already taken)."""


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failed logins an account and an IP address get within the window."""

    max_failures_account: int
    max_failures_ip: int
    window: timedelta

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ThrottlePolicy:
        """Read the ELEARN_LOGIN_* settings."""
        return cls(
            max_failures_account=int(config["ELEARN_LOGIN_MAX_FAILURES_ACCOUNT"]),
            max_failures_ip=int(config["ELEARN_LOGIN_MAX_FAILURES_IP"]),
            window=timedelta(minutes=int(config["ELEARN_LOGIN_WINDOW_MINUTES"])),
        )

    @property
    def retention(self) -> timedelta:
        """Attempts older than this can go: a day, or the window when it is longer."""
        return max(ATTEMPT_RETENTION, self.window)


@dataclass(frozen=True)
class AttemptResult:
    """Who proved who they are (password or activation code), or nobody; a throttled attempt says how long to wait."""

    person: Person | None = None
    retry_after_minutes: int | None = None


@dataclass(frozen=True)
class IssuedActivation:
    """The one-time secrets, shown once to whoever hands them over; only their hashes are stored."""

    person: Person
    token: str
    code: str
    expires_at: datetime


def password_problem(password: str, *, nip: str) -> PasswordProblem | None:
    """The first rule a new password breaks, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return PasswordProblem.TOO_SHORT
    if len(password) > MAX_PASSWORD_LENGTH:
        return PasswordProblem.TOO_LONG
    if password.strip() == nip:
        return PasswordProblem.EQUALS_NIP
    return None


def set_password(person: Person, password: str) -> None:
    """Store a salted scrypt hash, never the password."""
    person.password_hash = generate_password_hash(password, method="scrypt")


def replace_password(session: Session, person: Person, password: str) -> None:
    """Set a new password that follows the rules and end every session opened with the old one."""
    _require_strong(password, nip=person.nip)
    set_password(person, password)
    end_sessions(session, person)


def end_sessions(session: Session, person: Person) -> None:
    """Invalidate every session and remember cookie the person holds."""
    person.session_version += 1


def normalize_identifier(raw: str) -> str:
    """E-mails compare lowercase (as stored); a NIP typed with spaces, as printed on cards, loses them."""
    text = raw.strip().lower()
    return text if "@" in text else "".join(text.split())


def authenticate(
    session: Session, *, identifier: str, password: str, ip: str, policy: ThrottlePolicy
) -> AttemptResult:
    """Check a login, refusing even the right password while the account or the address is throttled."""
    ident = normalize_identifier(identifier)
    person = session.scalar(select(Person).where(or_(Person.nip == ident, Person.email == ident)))
    account_key = person.nip if person is not None else ident[:254]
    wait = minutes_until_allowed(session, account_key=account_key, ip=ip, policy=policy)
    if wait is not None:
        return AttemptResult(retry_after_minutes=wait)
    succeeded = _password_matches(person, password) and person is not None and person.active
    record_attempt(session, account_key=account_key, ip=ip, succeeded=succeeded)
    if not succeeded:
        return AttemptResult()
    prune_login_attempts(session, older_than=policy.retention)
    return AttemptResult(person=person)


def minutes_until_allowed(
    session: Session, *, account_key: str, ip: str, policy: ThrottlePolicy
) -> int | None:
    """Minutes until this account and this address may try again, or None when neither is throttled."""
    now = utcnow()
    since = now - policy.window
    last_success = session.scalar(
        select(LoginAttempt.at)
        .where(
            LoginAttempt.identifier == account_key, LoginAttempt.succeeded.is_(True), LoginAttempt.at > since
        )
        .order_by(LoginAttempt.at.desc())
        .limit(1)
    )
    waits = (
        _minutes_to_wait(
            session,
            LoginAttempt.identifier == account_key,
            since=last_success or since,
            limit=policy.max_failures_account,
            window=policy.window,
            now=now,
        ),
        _minutes_to_wait(
            session,
            LoginAttempt.ip == ip,
            since=since,
            limit=policy.max_failures_ip,
            window=policy.window,
            now=now,
        ),
    )
    blocking = [wait for wait in waits if wait is not None]
    return max(blocking) if blocking else None


def _minutes_to_wait(
    session: Session,
    matches: ColumnElement[bool],
    *,
    since: datetime,
    limit: int,
    window: timedelta,
    now: datetime,
) -> int | None:
    """With `limit` failures after `since`, minutes until the `limit`-th newest leaves the window."""
    pivot = session.scalar(
        select(LoginAttempt.at)
        .where(matches, LoginAttempt.succeeded.is_(False), LoginAttempt.at > since)
        .order_by(LoginAttempt.at.desc())
        .offset(max(limit, 1) - 1)
        .limit(1)
    )
    if pivot is None:
        return None
    return max(1, math.ceil((pivot + window - now).total_seconds() / 60))


def record_attempt(session: Session, *, account_key: str, ip: str, succeeded: bool) -> None:
    """Remember one attempt; the count of recent failures is what throttles, across every worker."""
    session.add(LoginAttempt(at=utcnow(), identifier=account_key[:254], ip=ip[:45], succeeded=succeeded))


def prune_login_attempts(session: Session, *, older_than: timedelta = ATTEMPT_RETENTION) -> int:
    """Delete attempts older than `older_than` (they no longer count) and say how many went."""
    result = session.execute(
        delete(LoginAttempt)
        .where(LoginAttempt.at < utcnow() - older_than)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def _password_matches(person: Person | None, password: str) -> bool:
    """Check the password; without a usable hash, check a dummy so unknown accounts take as long to refuse."""
    if person is None or not person.password_hash:
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(person.password_hash, password)


@cache
def _dummy_hash() -> str:
    """A scrypt hash of a random secret, made once per process."""
    return generate_password_hash(secrets.token_hex(16), method="scrypt")


def _require_strong(password: str, *, nip: str) -> None:
    problem = password_problem(password, nip=nip)
    if problem is not None:
        raise WeakPasswordError(problem)


def change_password(
    session: Session,
    person: Person,
    *,
    current_password: str,
    new_password: str,
    ip: str,
    policy: ThrottlePolicy,
) -> AttemptResult:
    """Replace the password when the current one is right; wrong guesses count as failed logins for the NIP.

    So someone at an unlocked screen cannot guess the current password forever: they are throttled like a login.
    """
    wait = minutes_until_allowed(session, account_key=person.nip, ip=ip, policy=policy)
    if wait is not None:
        return AttemptResult(retry_after_minutes=wait)
    matches = _password_matches(person, current_password)
    record_attempt(session, account_key=person.nip, ip=ip, succeeded=matches)
    if not matches:
        audit.record(session, actor=person, action="account.password_change_refused", target=person, ip=ip)
        return AttemptResult()
    replace_password(session, person, new_password)
    audit.record(session, actor=person, action="account.password_changed", target=person, ip=ip)
    return AttemptResult(person=person)


def issue_activation(
    session: Session, *, person: Person, issued_by: Person | None, valid_for: timedelta, ip: str | None
) -> IssuedActivation:
    """A fresh activation link and code for `person`; whatever was issued before stops working."""
    if not person.active:
        raise AccountError("inactive person")
    session.execute(delete(ActivationToken).where(ActivationToken.person_id == person.id))
    token = secrets.token_urlsafe(32)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    expires_at = utcnow() + valid_for
    for digest in (_link_digest(token), _code_digest(person.nip, code)):
        session.add(
            ActivationToken(
                person_id=person.id,
                token_hash=digest,
                expires_at=expires_at,
                issued_by_id=issued_by.id if issued_by is not None else None,
            )
        )
    audit.record(
        session,
        actor=issued_by,
        action="account.activation_issued",
        target=person,
        ip=ip,
        expires_at=expires_at.isoformat(),
    )
    session.flush()
    return IssuedActivation(person=person, token=token, code=f"{code[:4]}-{code[4:]}", expires_at=expires_at)


def person_for_activation_link(session: Session, token: str) -> Person | None:
    """The person an unused, unexpired activation link belongs to."""
    row = _open_activation(session, _link_digest(token))
    return row.person if row is not None else None


def activate_by_link(session: Session, *, token: str, password: str, ip: str | None) -> Person | None:
    """Set the first (or a reset) password through an activation link; None when the link no longer works."""
    row = _open_activation(session, _link_digest(token))
    return _activate(session, row, password=password, ip=ip, via="link") if row is not None else None


def activate_by_code(
    session: Session, *, nip: str, code: str, password: str, ip: str, policy: ThrottlePolicy
) -> AttemptResult:
    """Set a password by NIP + short code; wrong codes count as failed logins, so guessing is throttled."""
    account_key = normalize_identifier(nip)
    wait = minutes_until_allowed(session, account_key=account_key, ip=ip, policy=policy)
    if wait is not None:
        return AttemptResult(retry_after_minutes=wait)
    row = _open_activation(session, _code_digest(account_key, code))
    person = _activate(session, row, password=password, ip=ip, via="code") if row is not None else None
    record_attempt(session, account_key=account_key, ip=ip, succeeded=person is not None)
    return AttemptResult(person=person)


def _open_activation(session: Session, digest: str) -> ActivationToken | None:
    """The unused, unexpired activation row with this hash, for an active person."""
    row = session.scalar(
        select(ActivationToken)
        .options(joinedload(ActivationToken.person))
        .where(ActivationToken.token_hash == digest)
    )
    if row is None or row.used_at is not None or row.expires_at <= utcnow() or not row.person.active:
        return None
    return row


def _activate(
    session: Session, row: ActivationToken, *, password: str, ip: str | None, via: str
) -> Person | None:
    """Claim the person's open activation (link and code together, once) and set the password."""
    claimed = session.execute(
        update(ActivationToken)
        .where(ActivationToken.person_id == row.person_id, ActivationToken.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if not claimed.rowcount:  # type: ignore[attr-defined]
        return None
    person = row.person
    replace_password(session, person, password)
    audit.record(session, actor=person, action="account.activated", target=person, ip=ip, via=via)
    return person


def _link_digest(token: str) -> str:
    return hashlib.sha256(f"link:{token}".encode()).hexdigest()


def _code_digest(nip: str, code: str) -> str:
    """Codes are short, so their hash is tied to the NIP; dashes, spaces and case do not matter."""
    letters = "".join(ch for ch in code.upper() if ch in CODE_ALPHABET)
    return hashlib.sha256(f"code:{nip}:{letters}".encode()).hexdigest()


def create_admin(session: Session, *, nip: str, name: str, email: str | None, password: str) -> Person:
    """A new administrator who can sign in at once (the first account of an installation)."""
    email = (email or "").strip().lower() or None
    same_identity = Person.nip == nip if email is None else or_(Person.nip == nip, Person.email == email)
    taken = session.scalar(select(Person.id).where(same_identity))
    if taken is not None:
        raise AccountError("NIP or e-mail already belongs to someone")
    _require_strong(password, nip=nip)
    person = Person(nip=nip, name=name.strip(), email=email)
    person.set_roles({Role.ADMIN.value})
    set_password(person, password)
    session.add(person)
    session.flush()
    audit.record(session, actor=None, action="account.admin_created", target=person, via="cli")
    return person
