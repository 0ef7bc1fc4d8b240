"""Notifications: what a person is told (in the app, and by e-mail when they want it), written once per reason.

Each row is both the in-app notification and, when e-mail applies, the outbox entry its message is sent from; its
words are made when it is shown or sent, in the reader's language, from the subject it points at. The unique key
(person, reason, subject, bucket) means a reminder is created at most once: the bucket is the due date a due-date
reminder is about (an extended due date earns a new reminder), or the day of the event otherwise.

E-mail moves through `email_status` (docs/reminders.md): `pending` -> `claimed` (a sender took it; not yet handed
to SMTP) -> `sending` (being handed to SMTP) -> `sent`. A claim that outlives its lease goes back to `pending`
(it never reached SMTP); a `sending` that outlives it becomes `unknown` and is never resent by itself.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from elearn.db import Base, UTCDateTime, one_of, utcnow

REASONS = ("assigned", "due_soon", "overdue", "approval_awaited", "plan_agreed", "feedback", "reply")
SUBJECT_TYPES = ("assignment", "plan", "feedback")
EMAIL_STATUSES = ("none", "pending", "claimed", "sending", "sent", "failed", "unknown", "skipped")


class Notification(Base):
    """One thing a person is told, with the state of its e-mail."""

    __tablename__ = "elearn_notification"
    __table_args__ = (
        UniqueConstraint("person_id", "reason", "subject_type", "subject_id", "bucket"),
        Index("ix_elearn_notification_person_created", "person_id", "created_at"),
        Index(
            "ix_elearn_notification_outbox",
            "email_status",
            "id",
            postgresql_where=text("email_status IN ('pending', 'claimed', 'sending')"),
        ),
        one_of("reason", REASONS),
        one_of("subject_type", SUBJECT_TYPES),
        one_of("email_status", EMAIL_STATUSES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("elearn_person.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(20))
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int]
    bucket: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_status: Mapped[str] = mapped_column(String(10), default="none")
    email_claim: Mapped[str | None] = mapped_column(String(32))
    """The claiming sender's random token: only the sender holding it may move the message on."""
    email_claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_attempts: Mapped[int] = mapped_column(default=0)
    email_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    email_message_id: Mapped[str | None] = mapped_column(String(200))
    email_error: Mapped[str] = mapped_column(Text, default="")
