"""Certificates: issued with each completion, verified by anyone (throttled), revoked by an administrator.

`issue` runs inside the completion's transaction (called by `progress.complete_course_if_met`), so a completion
without its certificate cannot exist. The verification look-up counts unknown serials per client address in the
database, so guessing is throttled across every app server.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from elearn.certificates.serial import new_serial, normalise
from elearn.courses.journey import CourseOutline
from elearn.models import Certificate, Competency, CourseCompetency, Person, VerificationFailure
from elearn.scope import people_visible_to
from elearn.services import audit, competency_evidence, ledger

FAILURE_RETENTION = timedelta(days=1)


def issue(
    session: Session, *, completion_id: int, person_id: int, outline: CourseOutline, now: datetime
) -> Certificate:
    """Write the certificate of a completion just recorded, with what it certifies copied as of `now`."""
    name, nip, id_kind = session.execute(
        select(Person.name, Person.nip, Person.id_kind).where(Person.id == person_id)
    ).one()
    competencies = session.execute(
        select(CourseCompetency.competency_code, Competency.name, Competency.name_en, CourseCompetency.level)
        .join(Competency, Competency.code == CourseCompetency.competency_code)
        .where(CourseCompetency.version_id == outline.version_id)
        .order_by(CourseCompetency.competency_code)
    )
    certificate = Certificate(
        serial=new_serial(),
        completion_id=completion_id,
        person_id=person_id,
        issued_at=now,
        holder_name=name,
        holder_nip=nip,
        holder_id_kind=id_kind,
        course_title=outline.title,
        version_number=outline.version_number,
        jp=outline.jp,
        competencies=[
            {"code": code, "name": label, "name_en": label_en, "level": level}
            for code, label, label_en, level in competencies
        ],
    )
    session.add(certificate)
    session.flush()
    return certificate


def by_serial(session: Session, serial: str) -> Certificate | None:
    """The certificate with this stored serial."""
    return session.scalar(select(Certificate).where(Certificate.serial == serial))


def visible_or_none(session: Session, viewer: Person, typed: str, *, today: date) -> Certificate | None:
    """The certificate with serial `typed` when its holder is in `viewer`'s scope (the page with the NIP)."""
    serial = normalise(typed)
    if serial is None:
        return None
    holders = people_visible_to(viewer, today=today).with_only_columns(Person.id)
    return session.scalar(
        select(Certificate).where(Certificate.serial == serial, Certificate.person_id.in_(holders))
    )


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many unknown serials one address may try within the window."""

    max_failures: int
    window: timedelta

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ThrottlePolicy:
        """Read the ELEARN_VERIFY_* settings."""
        return cls(
            max_failures=int(config["ELEARN_VERIFY_MAX_FAILURES_IP"]),
            window=timedelta(minutes=int(config["ELEARN_VERIFY_WINDOW_MINUTES"])),
        )


@dataclass(frozen=True)
class Verification:
    """The outcome of a look-up: the certificate, nothing (unknown serial), or how long to wait (throttled)."""

    certificate: Certificate | None = None
    retry_after_minutes: int | None = None


def verify(session: Session, *, typed: str, ip: str, now: datetime, policy: ThrottlePolicy) -> Verification:
    """Look a serial up for anyone; while the address is throttled nothing is looked up, found or not."""
    wait = _minutes_until_allowed(session, ip=ip, now=now, policy=policy)
    if wait is not None:
        return Verification(retry_after_minutes=wait)
    serial = normalise(typed)
    found = by_serial(session, serial) if serial else None
    if found is None:
        session.add(VerificationFailure(ip=ip[:45], at=now))
        session.execute(
            delete(VerificationFailure)
            .where(VerificationFailure.at < now - max(FAILURE_RETENTION, policy.window))
            .execution_options(synchronize_session=False)
        )
    return Verification(certificate=found)


def _minutes_until_allowed(session: Session, *, ip: str, now: datetime, policy: ThrottlePolicy) -> int | None:
    """With `max_failures` failures from `ip` inside the window, minutes until the oldest of them leaves it."""
    pivot = session.scalar(
        select(VerificationFailure.at)
        .where(VerificationFailure.ip == ip[:45], VerificationFailure.at > now - policy.window)
        .order_by(VerificationFailure.at.desc())
        .offset(max(policy.max_failures, 1) - 1)
        .limit(1)
    )
    if pivot is None:
        return None
    return max(1, math.ceil((pivot + policy.window - now).total_seconds() / 60))


def revoke(
    session: Session,
    *,
    certificate: Certificate,
    by: Person,
    reason: str,
    now: datetime,
    timezone: tzinfo,
    ip: str | None,
) -> bool:
    """Revoke a valid certificate with a reason (audited); its JP and its competency evidence stop counting.
    False when already revoked."""
    if certificate.revoked_at is not None:
        return False
    certificate.revoked_at = now
    certificate.revoked_by_id = by.id
    certificate.revoke_reason = reason
    ledger.change(
        session,
        person_id=certificate.person_id,
        year=ledger.year_of(certificate.issued_at, timezone),
        course=-Decimal(certificate.jp),
    )
    competency_evidence.withdraw_course_evidence(
        session, certificate.completion_id, today=now.astimezone(timezone).date(), now=now
    )
    audit.record(
        session,
        actor=by,
        action="certificate.revoke",
        target=certificate,
        ip=ip,
        serial=certificate.serial,
        reason=reason,
    )
    session.flush()
    return True


def search(session: Session, text: str, *, limit: int) -> list[Certificate]:
    """Certificates by serial (as typed) or by the holder's NIP, newest first."""
    serial = normalise(text)
    nip = "".join(text.split())
    if not nip:
        return []
    matches = Certificate.holder_nip == nip
    if serial is not None:
        matches = or_(matches, Certificate.serial == serial)
    return list(
        session.scalars(
            select(Certificate)
            .where(matches)
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
            .limit(limit)
        )
    )
