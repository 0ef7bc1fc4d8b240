"""Course surveys, anonymous by construction: who answered and what was answered are kept in separate tables with
nothing that links them (no person, no shared id, the answer's time rounded to the day)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from elearn.db import Base, UTCDateTime, utcnow


class SurveySubmission(Base):
    """That a person has answered a survey module (for their progress), and when; not what they answered."""

    __tablename__ = "elearn_survey_submission"
    __table_args__ = (UniqueConstraint("person_id", "course_id", "module_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("elearn_person.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("elearn_course.id", ondelete="CASCADE"))
    module_key: Mapped[str] = mapped_column(String(100))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SurveyResponse(Base):
    """One anonymous set of answers to a survey module: question id -> Likert value or text."""

    __tablename__ = "elearn_survey_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("elearn_course.id", ondelete="CASCADE"), index=True)
    module_content_id: Mapped[int] = mapped_column(ForeignKey("elearn_module_content.id"), index=True)
    answered_on: Mapped[date] = mapped_column(Date)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
