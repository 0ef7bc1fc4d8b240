"""Login throttling kept in the database (so every worker and server agrees): pair first, then account, then address.

NIPs are on every list, so failures typed from one address close only that address's way into that account (the
pair); the account-wide limit is set much higher, against guessing spread over many addresses, and the address
limit stops one address guessing many accounts. The login form, the activation code and the current password on
the password-change page all count here, each attempt a row of `elearn_login_attempt`.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from elearn.models import LoginAttempt

ATTEMPT_RETENTION = timedelta(days=1)


class LockScope(enum.StrEnum):
    """What a lock closes: one account from one address, one account from everywhere, or one address."""

    PAIR = "pair"
    ACCOUNT = "account"
    ADDRESS = "address"


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failures each scope gets within the sliding window."""

    max_failures_pair: int
    max_failures_account: int
    max_failures_ip: int
    window: timedelta

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ThrottlePolicy:
        """Read the ELEARN_LOGIN_* settings."""
        return cls(
            max_failures_pair=int(config["ELEARN_LOGIN_MAX_FAILURES_PAIR"]),
            max_failures_account=int(config["ELEARN_LOGIN_MAX_FAILURES_ACCOUNT"]),
            max_failures_ip=int(config["ELEARN_LOGIN_MAX_FAILURES_IP"]),
            window=timedelta(minutes=int(config["ELEARN_LOGIN_WINDOW_MINUTES"])),
        )

    def limit(self, scope: LockScope) -> int:
        """Failures within the window that close `scope` (at least one)."""
        limits = {
            LockScope.PAIR: self.max_failures_pair,
            LockScope.ACCOUNT: self.max_failures_account,
            LockScope.ADDRESS: self.max_failures_ip,
        }
        return max(limits[scope], 1)

    @property
    def retention(self) -> timedelta:
        """Attempts older than this can go: a day, or the window when it is longer."""
        return max(ATTEMPT_RETENTION, self.window)

    def lock_end(self, failures: Sequence[datetime], scope: LockScope) -> datetime | None:
        """With `failures` (newest first) counting for `scope`: when the lock they make ends, or None if unlocked."""
        limit = self.limit(scope)
        return failures[limit - 1] + self.window if len(failures) >= limit else None


@dataclass(frozen=True)
class Throttle:
    """The failures that count for one attempt (newest first, per scope) and what they mean."""

    policy: ThrottlePolicy
    failures: Mapping[LockScope, Sequence[datetime]]

    def locked_until(self) -> datetime | None:
        """When every lock on this attempt has ended, or None when nothing is locked."""
        ends = [self.policy.lock_end(times, scope) for scope, times in self.failures.items()]
        open_ends = [end for end in ends if end is not None]
        return max(open_ends) if open_ends else None

    def locks_made_by_failure(self, at: datetime) -> dict[LockScope, datetime]:
        """The scopes one more failure at `at` would lock (the moment worth auditing), with when each lock ends."""
        made: dict[LockScope, datetime] = {}
        for scope, times in self.failures.items():
            if len(times) == self.policy.limit(scope) - 1:
                end = self.policy.lock_end([at, *times], scope)
                if end is not None:
                    made[scope] = end
        return made


@dataclass(frozen=True)
class AccountLocks:
    """Whether an account is throttled, for the administrator: everywhere, and from which addresses."""

    account_until: datetime | None
    addresses: tuple[tuple[str, datetime], ...]

    @property
    def locked(self) -> bool:
        """Anyone is refused for this account right now."""
        return self.account_until is not None or bool(self.addresses)


def minutes_until(moment: datetime, *, now: datetime) -> int:
    """Whole minutes from `now` until `moment`, rounded up and never below one (what a refusal tells people)."""
    return max(1, math.ceil((moment - now).total_seconds() / 60))


def check(session: Session, *, account_key: str, ip: str, policy: ThrottlePolicy, now: datetime) -> Throttle:
    """The failures that count against this account from this address (two indexed queries)."""
    attempts = _account_attempts(session, account_key=account_key, since=now - policy.window)
    address_failures = session.scalars(
        select(LoginAttempt.at)
        .where(
            LoginAttempt.ip == ip, LoginAttempt.succeeded.is_(False), LoginAttempt.at > now - policy.window
        )
        .order_by(LoginAttempt.at.desc())
        .limit(policy.limit(LockScope.ADDRESS))
    ).all()
    return Throttle(
        policy=policy,
        failures={
            LockScope.PAIR: _pair_failures(attempts, ip),
            LockScope.ACCOUNT: [at for _ip, at, succeeded in attempts if not succeeded],
            LockScope.ADDRESS: address_failures,
        },
    )


def account_locks(
    session: Session, *, account_key: str, policy: ThrottlePolicy, now: datetime
) -> AccountLocks:
    """Whether the account is locked everywhere, and which addresses are locked out of it (one query)."""
    attempts = _account_attempts(session, account_key=account_key, since=now - policy.window)
    everywhere = policy.lock_end([at for _ip, at, succeeded in attempts if not succeeded], LockScope.ACCOUNT)
    addresses = []
    for ip in sorted({ip for ip, _at, _succeeded in attempts}):
        end = policy.lock_end(_pair_failures(attempts, ip), LockScope.PAIR)
        if end is not None:
            addresses.append((ip, end))
    return AccountLocks(account_until=everywhere, addresses=tuple(addresses))


def _account_attempts(
    session: Session, *, account_key: str, since: datetime
) -> Sequence[tuple[str, datetime, bool]]:
    """The account's attempts within the window, newest first: (address, time, succeeded).

    Few rows: refused attempts are not recorded, so failures stop at the account limit.
    """
    rows = session.execute(
        select(LoginAttempt.ip, LoginAttempt.at, LoginAttempt.succeeded)
        .where(LoginAttempt.identifier == account_key, LoginAttempt.at > since)
        .order_by(LoginAttempt.at.desc(), LoginAttempt.id.desc())
    )
    return [(ip, at, succeeded) for ip, at, succeeded in rows]


def _pair_failures(attempts: Sequence[tuple[str, datetime, bool]], ip: str) -> list[datetime]:
    """Failures from `ip` since its last success (a person who finally types it right starts afresh)."""
    failures = []
    for address, at, succeeded in attempts:
        if address != ip:
            continue
        if succeeded:
            break
        failures.append(at)
    return failures


def record(session: Session, *, account_key: str, ip: str, succeeded: bool, now: datetime) -> None:
    """Remember one attempt; recent failures are what throttles, across every worker."""
    session.add(LoginAttempt(at=now, identifier=account_key[:254], ip=ip[:45], succeeded=succeeded))


def lift(session: Session, *, account_key: str) -> int:
    """Forget the account's failures, which opens it everywhere and from every address (address locks stay)."""
    result = session.execute(
        delete(LoginAttempt)
        .where(LoginAttempt.identifier == account_key, LoginAttempt.succeeded.is_(False))
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]  # CursorResult of a DELETE has rowcount


def prune(session: Session, *, now: datetime, older_than: timedelta = ATTEMPT_RETENTION) -> int:
    """Delete attempts older than `older_than` (they no longer count) and say how many went."""
    result = session.execute(
        delete(LoginAttempt)
        .where(LoginAttempt.at < now - older_than)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]  # CursorResult of a DELETE has rowcount
