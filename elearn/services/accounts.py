"""Accounts: passwords, sign-in throttled through `login_throttle`, one-time activation, and ending sessions."""

from __future__ import annotations

import enum
import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session, joinedload

from elearn.models import ActivationToken, Person, Role
from elearn.passwords import hash_password, needs_rehash, verify_password
from elearn.services import audit, login_throttle
from elearn.services.login_throttle import ThrottlePolicy

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
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
    """Store a salted Argon2id hash (elearn/passwords.py), never the password."""
    person.password_hash = hash_password(password)


def replace_password(session: Session, person: Person, password: str) -> None:
    """Set a new password that follows the rules and end every session opened with the old one."""
    _require_strong(password, nip=person.nip)
    set_password(person, password)
    end_sessions(session, person)


def end_sessions(session: Session, person: Person) -> None:
    """Invalidate every session and remember cookie the person holds."""
    person.session_version += 1


def log_out(session: Session, person: Person, *, ip: str | None) -> None:
    """Sign the person out everywhere, audited."""
    end_sessions(session, person)
    audit.record(session, actor=person, action="account.logout", target=person, ip=ip)


def normalize_identifier(raw: str) -> str:
    """E-mails compare lowercase (as stored); a NIP typed with spaces, as printed on cards, loses them."""
    text = raw.strip().lower()
    return text if "@" in text else "".join(text.split())


def authenticate(
    session: Session, *, identifier: str, password: str, ip: str, policy: ThrottlePolicy, now: datetime
) -> AttemptResult:
    """Check a login, refusing even the right password while the account or the address is throttled."""
    ident = normalize_identifier(identifier)
    person = session.scalar(select(Person).where(or_(Person.nip == ident, Person.email == ident)))

    def prove() -> Person | None:
        matches = _password_matches(person, password)
        return person if matches and person is not None and person.active else None

    result = _throttled_attempt(
        session,
        account=person,
        account_key=person.nip if person is not None else ident[:254],
        ip=ip,
        policy=policy,
        now=now,
        prove=prove,
        actor=None,
        failure="account.login_failed",
    )
    if result.person is not None:
        audit.record(session, actor=result.person, action="account.login", target=result.person, ip=ip)
        login_throttle.prune(session, now=now, older_than=policy.retention)
    return result


def _throttled_attempt(
    session: Session,
    *,
    account: Person | None,
    account_key: str,
    ip: str,
    policy: ThrottlePolicy,
    now: datetime,
    prove: Callable[[], Person | None],
    actor: Person | None,
    failure: str,
) -> AttemptResult:
    """Run `prove` (a password or code check) unless throttled, then record and audit the outcome.

    A failure is audited as `failure` against `account` (whom the key belongs to, if anyone), and so is every lock
    it closes, at the moment it closes.
    """
    throttle = login_throttle.check(session, account_key=account_key, ip=ip, policy=policy, now=now)
    locked_until = throttle.locked_until()
    if locked_until is not None:
        return AttemptResult(retry_after_minutes=login_throttle.minutes_until(locked_until, now=now))
    person = prove()
    login_throttle.record(session, account_key=account_key, ip=ip, succeeded=person is not None, now=now)
    if person is None:
        audit.record(session, actor=actor, action=failure, target=account, ip=ip)
        for scope, ends in throttle.locks_made_by_failure(now).items():
            minutes = login_throttle.minutes_until(ends, now=now)
            audit.record(
                session,
                actor=None,
                action="account.locked",
                target=account,
                ip=ip,
                scope=scope.value,
                minutes=minutes,
            )
    return AttemptResult(person=person)


def lift_lock(session: Session, *, person: Person, lifted_by: Person, ip: str | None) -> int:
    """Open a throttled account everywhere (an administrator's action, audited); how many failures were forgotten."""
    forgotten = login_throttle.lift(session, account_key=person.nip)
    audit.record(
        session, actor=lifted_by, action="account.lock_lifted", target=person, ip=ip, failures=forgotten
    )
    return forgotten


def _password_matches(person: Person | None, password: str) -> bool:
    """Check the password, upgrading an older kind of hash once it matched (the caller's transaction stores it);
    without a usable hash, check a dummy so unknown accounts take as long to refuse."""
    if person is None or not person.password_hash:
        verify_password(_dummy_hash(), password)
        return False
    if not verify_password(person.password_hash, password):
        return False
    if needs_rehash(person.password_hash):
        set_password(person, password)
    return True


@cache
def _dummy_hash() -> str:
    """A hash of a random secret, of the current kind, made once per process."""
    return hash_password(secrets.token_hex(16))


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
    now: datetime,
) -> AttemptResult:
    """Replace the password when the current one is right; wrong guesses count as failed logins for the NIP.

    So someone at an unlocked screen cannot guess the current password forever: they are throttled like a login.
    """
    result = _throttled_attempt(
        session,
        account=person,
        account_key=person.nip,
        ip=ip,
        policy=policy,
        now=now,
        prove=lambda: person if _password_matches(person, current_password) else None,
        actor=person,
        failure="account.password_change_refused",
    )
    if result.person is not None:
        replace_password(session, person, new_password)
        audit.record(session, actor=person, action="account.password_changed", target=person, ip=ip)
    return result


def issue_activation(
    session: Session,
    *,
    person: Person,
    issued_by: Person | None,
    valid_for: timedelta,
    ip: str | None,
    now: datetime,
) -> IssuedActivation:
    """A fresh activation link and code for `person`; whatever was issued before stops working."""
    if not person.active:
        raise AccountError("inactive person")
    session.execute(delete(ActivationToken).where(ActivationToken.person_id == person.id))
    token = secrets.token_urlsafe(32)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    expires_at = now + valid_for
    for digest in (_link_digest(token), _code_digest(person.nip, code)):
        session.add(
            ActivationToken(
                person_id=person.id,
                token_hash=digest,
                created_at=now,
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


def person_for_activation_link(session: Session, token: str, *, now: datetime) -> Person | None:
    """The person an unused, unexpired activation link belongs to."""
    row = _open_activation(session, _link_digest(token), now=now)
    return row.person if row is not None else None


def activate_by_link(
    session: Session, *, token: str, password: str, ip: str | None, now: datetime
) -> Person | None:
    """Set the first (or a reset) password through an activation link; None when the link no longer works."""
    row = _open_activation(session, _link_digest(token), now=now)
    if row is None:
        return None
    return _activate(session, row, password=password, ip=ip, via="link", now=now)


def activate_by_code(
    session: Session, *, nip: str, code: str, password: str, ip: str, policy: ThrottlePolicy, now: datetime
) -> AttemptResult:
    """Set a password by NIP + short code; wrong codes count as failed logins, so guessing is throttled."""
    account_key = normalize_identifier(nip)

    def prove() -> Person | None:
        row = _open_activation(session, _code_digest(account_key, code), now=now)
        return _activate(session, row, password=password, ip=ip, via="code", now=now) if row else None

    return _throttled_attempt(
        session,
        account=session.scalar(select(Person).where(Person.nip == account_key)),
        account_key=account_key,
        ip=ip,
        policy=policy,
        now=now,
        prove=prove,
        actor=None,
        failure="account.activation_refused",
    )


def _open_activation(session: Session, digest: str, *, now: datetime) -> ActivationToken | None:
    """The unused, unexpired activation row with this hash, for an active person."""
    row = session.scalar(
        select(ActivationToken)
        .options(joinedload(ActivationToken.person))
        .where(ActivationToken.token_hash == digest)
    )
    if row is None or row.used_at is not None or row.expires_at <= now or not row.person.active:
        return None
    return row


def _activate(
    session: Session, row: ActivationToken, *, password: str, ip: str | None, via: str, now: datetime
) -> Person | None:
    """Claim the person's open activation (link and code together, once) and set the password."""
    claimed = session.execute(
        update(ActivationToken)
        .where(ActivationToken.person_id == row.person_id, ActivationToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if not claimed.rowcount:  # type: ignore[attr-defined]  # DML results are CursorResults, which carry rowcount
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
