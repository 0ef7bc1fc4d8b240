"""Feedback notes a mentor writes about a mentee, and the replies to them (seen by the mentee's mentors and
supervisors and by the mentee)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from elearn.db import Base, UTCDateTime, utcnow
from elearn.models.people import Person


class FeedbackNote(Base):
    """One note about a mentee, by its author (a mentor of theirs when written)."""

    __tablename__ = "elearn_feedback_note"
    __table_args__ = (Index("ix_elearn_feedback_note_mentee_created", "mentee_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("elearn_person.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("elearn_person.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[Person | None] = relationship(foreign_keys=[author_id])


class FeedbackReply(Base):
    """A reply to a note, by the mentee or a mentor of theirs."""

    __tablename__ = "elearn_feedback_reply"

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(
        ForeignKey("elearn_feedback_note.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("elearn_person.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[Person | None] = relationship(foreign_keys=[author_id])
