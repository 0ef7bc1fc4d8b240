"""Notifications and the e-mail outbox: queueing each reminder once, reading a person's list, and the sender's
claim -> sending -> sent steps (docs/reminders.md).

Queueing is set-based (INSERT ... SELECT ... ON CONFLICT DO NOTHING on the unique key person, reason, subject,
bucket), so running it twice, or from two servers at once, creates each notification once. A notification waits
for e-mail (`pending`) when its reader has an address and wants e-mail; otherwise it is in-app only (`none`).

Sending takes one message at a time: `claim_next` marks the oldest pending message `claimed` with a random token
(`FOR UPDATE SKIP LOCKED` on PostgreSQL, so concurrent senders take different rows; one atomic UPDATE under
SQLite's single writer), `mark_sending` moves it to `sending` just before it is handed to SMTP, and `mark_sent`
records the Message-ID afterwards, each step committed by the caller. Each step names the claim token, so a sender
whose lease was taken over can no longer move the row. `recover_stale` returns expired claims to `pending` (they
never reached SMTP) and turns expired `sending` rows into `unknown`: those may or may not have been delivered and
are never resent without a person deciding (`requeue`).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, func, literal, select, update
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import SQLCoreOperations

from elearn.db import UTCDateTime
from elearn.models import (
    Assignment,
    Course,
    CourseVersion,
    DevelopmentPlan,
    FeedbackNote,
    Notification,
    Person,
)
from elearn.services.assignment_status import is_done, module_title
from elearn.services.upsert import insert_if_absent, insert_select_if_absent, rows_affected

NOTICE_COLUMNS = ["person_id", "reason", "subject_type", "subject_id", "bucket", "email_status", "created_at"]
APPROVAL_REMINDER_DAYS = 7


def email_wanted() -> ColumnElement[str]:
    """SQL: `pending` when the reader has an address and wants e-mail, else `none` (in-app only)."""
    return case((and_(Person.email.is_not(None), Person.notify_by_email.is_(True)), "pending"), else_="none")


def _queue_assignment_rows(
    session: Session,
    reason: str,
    conditions: Sequence[ColumnElement[bool]],
    bucket: SQLCoreOperations[date],
    *,
    now: datetime,
) -> int:
    """Queue `reason` for every live assignment of an active person matching `conditions`."""
    rows = (
        select(
            Assignment.person_id,
            literal(reason),
            literal("assignment"),
            Assignment.id,
            bucket,
            email_wanted(),
            literal(now, UTCDateTime),
        )
        .join(Person, Person.id == Assignment.person_id)
        .join(Course, Course.id == Assignment.course_id)
        .where(
            Assignment.withdrawn_at.is_(None),
            Person.active.is_(True),
            Course.archived_at.is_(None),
            *conditions,
        )
        # One order for every writer: concurrent runs meet on the same first key and wait instead of deadlocking.
        .order_by(Assignment.id)
    )
    return insert_select_if_absent(session, Notification, NOTICE_COLUMNS, rows)


def queue_assignment_notices(session: Session, *, batch_id: int | None, today: date, now: datetime) -> int:
    """Tell each person of a new assignment (of one batch, or of any batch when None) once."""
    conditions = (
        [Assignment.batch_id == batch_id] if batch_id is not None else [Assignment.assigned_on <= today]
    )
    return _queue_assignment_rows(session, "assigned", conditions, Assignment.assigned_on, now=now)


def queue_due_reminders(session: Session, *, today: date, days_before: int, now: datetime) -> int:
    """Remind of unfinished assignments due within `days_before` days, and of those overdue: once per due date."""
    soon = _queue_assignment_rows(
        session,
        "due_soon",
        [Assignment.due_on >= today, Assignment.due_on <= today + timedelta(days=days_before), ~is_done()],
        Assignment.due_on,
        now=now,
    )
    late = _queue_assignment_rows(
        session, "overdue", [Assignment.due_on < today, ~is_done()], Assignment.due_on, now=now
    )
    return soon + late


def queue_one(
    session: Session,
    *,
    person: Person,
    reason: str,
    subject_type: str,
    subject_id: int,
    bucket: date,
    now: datetime,
) -> bool:
    """Queue one notification for `person` (unless the same one exists); whether it was new."""
    wants = person.email is not None and person.notify_by_email
    created = insert_if_absent(
        session,
        Notification,
        {
            "person_id": person.id,
            "reason": reason,
            "subject_type": subject_type,
            "subject_id": subject_id,
            "bucket": bucket,
            "email_status": "pending" if wants else "none",
            "created_at": now,
        },
    )
    return created is not None


def approval_bucket(proposed_on: date, today: date) -> date:
    """The day an approval reminder is about: the proposal day, then once a week while the plan waits."""
    weeks = max((today - proposed_on).days, 0) // APPROVAL_REMINDER_DAYS
    return proposed_on + timedelta(days=weeks * APPROVAL_REMINDER_DAYS)


@dataclass(frozen=True)
class Page:
    """One page of a person's notifications, newest first."""

    items: list[Notification]
    has_more: bool
    unread: int


def notifications_of(session: Session, *, person_id: int, limit: int, before_id: int | None = None) -> Page:
    """A page of the person's notifications (keyed by id, never by offset) and how many are unread."""
    listed = select(Notification).where(Notification.person_id == person_id)
    if before_id is not None:
        listed = listed.where(Notification.id < before_id)
    items = list(session.scalars(listed.order_by(Notification.id.desc()).limit(limit + 1)))
    return Page(
        items=items[:limit], has_more=len(items) > limit, unread=unread_count(session, person_id=person_id)
    )


def unread_count(session: Session, *, person_id: int) -> int:
    """How many of the person's notifications they have not marked read."""
    return (
        session.scalar(
            select(func.count()).where(Notification.person_id == person_id, Notification.read_at.is_(None))
        )
        or 0
    )


def mark_all_read(session: Session, *, person_id: int, now: datetime) -> int:
    """Mark every unread notification of the person read; how many were."""
    return rows_affected(
        session,
        update(Notification)
        .where(Notification.person_id == person_id, Notification.read_at.is_(None))
        .values(read_at=now)
        .execution_options(synchronize_session=False),
    )


# The sender's steps.


def claim_next(session: Session, *, now: datetime, after_id: int = 0) -> tuple[int, str] | None:
    """Claim the oldest pending message after `after_id` for this sender: (notification id, claim token), or None
    when none is left.

    The caller commits at once, so the claim is durable before anything is sent.
    """
    token = secrets.token_hex(16)
    oldest = (
        select(Notification.id)
        .where(Notification.email_status == "pending", Notification.id > after_id)
        .order_by(Notification.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    claimed = session.execute(
        update(Notification)
        .where(Notification.id == oldest, Notification.email_status == "pending")
        .values(email_status="claimed", email_claim=token, email_claimed_at=now)
        .returning(Notification.id)
        .execution_options(synchronize_session=False),
    ).scalar_one_or_none()
    return (claimed, token) if claimed is not None else None


def _move(session: Session, notification_id: int, token: str, *, was: str, **values: object) -> bool:
    """Move a claimed row on, only if this sender still holds it in state `was`."""
    moved = rows_affected(
        session,
        update(Notification)
        .where(
            Notification.id == notification_id,
            Notification.email_claim == token,
            Notification.email_status == was,
        )
        .values(**values)
        .execution_options(synchronize_session=False),
    )
    return bool(moved)


def mark_sending(
    session: Session, notification_id: int, token: str, *, message_id: str, now: datetime
) -> bool:
    """About to hand the message to SMTP: from here on a crash leaves it `unknown`, never resent by itself."""
    return _move(
        session,
        notification_id,
        token,
        was="claimed",
        email_status="sending",
        email_message_id=message_id,
        email_claimed_at=now,
        email_attempts=Notification.email_attempts + 1,
    )


def mark_sent(session: Session, notification_id: int, token: str, *, now: datetime) -> bool:
    """SMTP accepted the message."""
    return _move(session, notification_id, token, was="sending", email_status="sent", email_sent_at=now)


def release(session: Session, notification_id: int, token: str) -> bool:
    """Give a claim back untouched (the SMTP server could not be reached): another run sends it."""
    return _move(session, notification_id, token, was="claimed", email_status="pending", email_claim=None)


def mark_unknown(session: Session, notification_id: int, token: str, *, error: str) -> bool:
    """The connection broke while the message was being handed over: it may have been delivered."""
    return _move(
        session, notification_id, token, was="sending", email_status="unknown", email_error=error[:1000]
    )


def mark_skipped(session: Session, notification_id: int, token: str, *, why: str) -> bool:
    """Nothing to send after all (the reader turned e-mail off, lost the address, or the reminder is moot)."""
    return _move(session, notification_id, token, was="claimed", email_status="skipped", email_error=why)


def mark_failed(
    session: Session, notification_id: int, token: str, *, error: str, retry: bool, max_attempts: int
) -> bool:
    """SMTP refused the message before accepting it: try again on a later run (a temporary refusal, while
    attempts remain) or give up (`failed`)."""
    again = retry and session.scalar(
        select(Notification.email_attempts < max_attempts).where(Notification.id == notification_id)
    )
    return _move(
        session,
        notification_id,
        token,
        was="sending",
        email_status="pending" if again else "failed",
        email_claim=None,
        email_error=error[:1000],
    )


@dataclass(frozen=True)
class Recovered:
    """What `recover_stale` did: claims given back, and messages now of unknown fate."""

    released: int
    unknown: int


def recover_stale(session: Session, *, now: datetime, lease: timedelta) -> Recovered:
    """Expired claims go back to `pending`; expired `sending` rows become `unknown` (not resent blindly)."""
    cutoff = now - lease
    released = rows_affected(
        session,
        update(Notification)
        .where(Notification.email_status == "claimed", Notification.email_claimed_at < cutoff)
        .values(email_status="pending", email_claim=None)
        .execution_options(synchronize_session=False),
    )
    unknown = rows_affected(
        session,
        update(Notification)
        .where(Notification.email_status == "sending", Notification.email_claimed_at < cutoff)
        .values(email_status="unknown", email_claim=None)
        .execution_options(synchronize_session=False),
    )
    return Recovered(released=released, unknown=unknown)


def skip_all_pending(session: Session) -> int:
    """E-mail is not configured: every waiting message stays in-app only."""
    return rows_affected(
        session,
        update(Notification)
        .where(Notification.email_status == "pending")
        .values(email_status="skipped", email_error="mail not configured")
        .execution_options(synchronize_session=False),
    )


def unknown_ids(session: Session) -> list[int]:
    """Messages whose delivery is unknown, for the operator to check against the mail server's log."""
    return list(
        session.scalars(
            select(Notification.id).where(Notification.email_status == "unknown").order_by(Notification.id)
        )
    )


def requeue(session: Session, *, notification_ids: Sequence[int]) -> int:
    """Send `unknown` or `failed` messages again (with the same Message-ID, so a receiver that has it may drop it)."""
    return rows_affected(
        session,
        update(Notification)
        .where(
            Notification.id.in_(list(notification_ids)),
            Notification.email_status.in_(("unknown", "failed")),
        )
        .values(email_status="pending", email_claim=None)
        .execution_options(synchronize_session=False),
    )


def still_relevant(session: Session, notification: Notification) -> bool:
    """A due-date reminder whose assignment is done or withdrawn since is not worth an e-mail."""
    if notification.subject_type != "assignment" or notification.reason == "assigned":
        return True
    live_and_open = select(Assignment.id).where(
        Assignment.id == notification.subject_id, Assignment.withdrawn_at.is_(None), ~is_done()
    )
    return bool(session.scalar(select(live_and_open.exists())))


@dataclass(frozen=True)
class AssignmentFacts:
    """What an assignment notice talks about."""

    slug: str
    course_title: str
    module_key: str
    module_title: str | None
    assigner_name: str
    due_on: date


@dataclass(frozen=True)
class PlanFacts:
    """What a plan notice talks about."""

    person_id: int
    person_name: str
    year: int
    agreed_by_name: str


@dataclass(frozen=True)
class FeedbackFacts:
    """What a feedback notice talks about."""

    mentee_id: int
    author_name: str


Facts = AssignmentFacts | PlanFacts | FeedbackFacts


def subject_facts(session: Session, notifications: Sequence[Notification]) -> dict[tuple[str, int], Facts]:
    """(subject type, id) -> what the notice is about, for many notifications (one query per subject type)."""
    wanted: dict[str, set[int]] = {}
    for notification in notifications:
        wanted.setdefault(notification.subject_type, set()).add(notification.subject_id)
    found: dict[tuple[str, int], Facts] = {}
    if wanted.get("assignment"):
        assigner = aliased(Person, name="assigner")
        for row in session.execute(
            select(
                Assignment.id,
                Course.slug,
                CourseVersion.title,
                Assignment.module_key,
                module_title(),
                assigner.name,
                Assignment.due_on,
            )
            .join(Course, Course.id == Assignment.course_id)
            .join(CourseVersion, CourseVersion.id == Course.current_version_id)
            .join(assigner, assigner.id == Assignment.assigner_id)
            .where(Assignment.id.in_(wanted["assignment"]))
        ):
            found[("assignment", row[0])] = AssignmentFacts(*row[1:])
    if wanted.get("plan"):
        agreed_by = aliased(Person, name="agreed_by")
        for plan_id, person_id, name, year, agreer in session.execute(
            select(DevelopmentPlan.id, Person.id, Person.name, DevelopmentPlan.year, agreed_by.name)
            .join(Person, Person.id == DevelopmentPlan.person_id)
            .outerjoin(agreed_by, agreed_by.id == DevelopmentPlan.agreed_by_id)
            .where(DevelopmentPlan.id.in_(wanted["plan"]))
        ):
            found[("plan", plan_id)] = PlanFacts(person_id, name, year, agreer or "")
    if wanted.get("feedback"):
        author = aliased(Person, name="author")
        for note_id, mentee_id, name in session.execute(
            select(FeedbackNote.id, FeedbackNote.mentee_id, author.name)
            .outerjoin(author, author.id == FeedbackNote.author_id)
            .where(FeedbackNote.id.in_(wanted["feedback"]))
        ):
            found[("feedback", note_id)] = FeedbackFacts(mentee_id, name or "")
    return found
