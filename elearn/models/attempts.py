"""Quiz attempts and their answers, fixed and kept on the server.

Starting an attempt writes its layout (which questions, in which order, with which option order) so a reload or
another device shows the same attempt. At most one attempt per person and module is open, enforced by a partial
unique index; answers are upserted per question with the attempt revision they were written at, which is how a
stale write from another tab is recognised (docs/quizzes.md).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Numeric, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from elearn.courses.model import GRADED_KINDS
from elearn.db import Base, UTCDateTime, one_of, utcnow

ATTEMPT_STATUSES = ("open", "submitted", "expired")
FINISHED_BY = ("learner", "deadline")


class QuizAttempt(Base):
    """One attempt at a quiz, pre-test or post-test module, by one person."""

    __tablename__ = "elearn_quiz_attempt"
    __table_args__ = (
        UniqueConstraint("person_id", "course_id", "module_key", "number"),
        Index(
            "ix_elearn_quiz_attempt_one_open",
            "person_id",
            "course_id",
            "module_key",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        Index(
            "ix_elearn_quiz_attempt_open_deadline", "deadline_at", postgresql_where=text("status = 'open'")
        ),
        one_of("status", ATTEMPT_STATUSES),
        one_of("kind", sorted(GRADED_KINDS)),
        one_of("finished_by", FINISHED_BY),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("elearn_person.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("elearn_course.id", ondelete="CASCADE"))
    module_key: Mapped[str] = mapped_column(String(100))
    module_content_id: Mapped[int] = mapped_column(ForeignKey("elearn_module_content.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("elearn_course_version.id"))
    kind: Mapped[str] = mapped_column(String(20))
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default="open")
    layout: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    """`[{"question_id": 12, "options": ["a", "b"], "rights": ["r2", "r1"]}, ...]`: the attempt's questions in
    order, each with the order its options (or matching right-hand items) are shown in."""
    revision: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_by: Mapped[str | None] = mapped_column(String(10))
    score_points: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    max_points: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    score_percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    passed: Mapped[bool | None]


class QuizAnswer(Base):
    """The learner's response to one question of an attempt, as last saved; scored when the attempt finishes."""

    __tablename__ = "elearn_quiz_answer"

    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("elearn_quiz_attempt.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[int] = mapped_column(ForeignKey("elearn_question.id"), primary_key=True, index=True)
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    revision: Mapped[int] = mapped_column(default=0)
    """The attempt revision this answer was written at (a save based on an older revision loses to it)."""
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    fraction: Mapped[Decimal | None] = mapped_column(Numeric(6, 5))
    points: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
