"""Course surveys: one anonymous response per person and survey, counted as the module being done.

Who answered (`SurveySubmission`, for progress) and what was answered (`SurveyResponse`, for the trainer) are
written in the same transaction but share nothing that links them: the response has no person, no submission id,
and only the day it was given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from elearn.courses.journey import CourseOutline, ModuleOutline
from elearn.db import begin_write
from elearn.models import ModuleQuestion, Question, SurveyResponse, SurveySubmission
from elearn.quizzes import ResponseError, StoredQuestion, parse_response
from elearn.services import progress
from elearn.services.progress import CompletionRecorded
from elearn.services.upsert import insert_if_absent


@dataclass(frozen=True)
class SurveyQuestion:
    """A survey question as the form shows it."""

    id: int
    qid: str
    type: str
    stem_html: str
    options: tuple[dict[str, str], ...]


class SurveyRefused(Exception):
    """An answer that cannot be stored (`reason` names the question)."""

    def __init__(self, question_id: int, reason: str) -> None:
        super().__init__(question_id, reason)
        self.question_id = question_id
        self.reason = reason


def survey_questions(session: Session, module: ModuleOutline) -> list[SurveyQuestion]:
    """The survey's questions in order (one query)."""
    rows = session.execute(
        select(Question.id, Question.qid, Question.type, Question.stem_html, Question.options)
        .join(ModuleQuestion, ModuleQuestion.question_id == Question.id)
        .where(ModuleQuestion.module_content_id == module.content_id)
        .order_by(ModuleQuestion.position)
    )
    return [
        SurveyQuestion(
            id=row.id,
            qid=row.qid,
            type=row.type,
            stem_html=row.stem_html,
            options=tuple({"id": str(o["id"]), "html": str(o["html"])} for o in row.options),
        )
        for row in rows
    ]


def already_answered(
    session: Session, *, person_id: int, outline: CourseOutline, module: ModuleOutline
) -> bool:
    """Whether the person has answered this survey."""
    return (
        session.scalar(
            select(SurveySubmission.id).where(
                SurveySubmission.person_id == person_id,
                SurveySubmission.course_id == outline.course_id,
                SurveySubmission.module_key == module.key,
            )
        )
        is not None
    )


def submit_survey(
    session: Session,
    *,
    person_id: int,
    outline: CourseOutline,
    module: ModuleOutline,
    answers: Mapping[int, Sequence[str]],
    now: datetime,
    today: date,
    timezone: tzinfo,
) -> tuple[bool, CompletionRecorded | None]:
    """Store one anonymous response (once per person: a second submit stores nothing) and mark the module done.

    Returns whether this call stored the response, and the course completion it recorded, if any.
    """
    begin_write(session)
    questions = _stored(session, module)
    parsed: dict[str, Any] = {}
    for question_id, values in answers.items():
        question = questions.get(question_id)
        if question is None:
            raise SurveyRefused(question_id, "not_in_survey")
        response = parse_response(question, list(values))
        if isinstance(response, ResponseError):
            raise SurveyRefused(question_id, str(response))
        parsed[question.qid] = dict(response)
    submitted = insert_if_absent(
        session,
        SurveySubmission,
        {
            "person_id": person_id,
            "course_id": outline.course_id,
            "module_key": module.key,
            "submitted_at": now,
        },
    )
    if submitted is None:
        return False, None
    session.add(
        SurveyResponse(
            course_id=outline.course_id,
            module_content_id=module.content_id,
            answered_on=today,
            answers=parsed,
        )
    )
    session.flush()
    completion = progress.complete_module(
        session, person_id=person_id, outline=outline, module=module, now=now, timezone=timezone
    )
    return True, completion


def _stored(session: Session, module: ModuleOutline) -> dict[int, StoredQuestion]:
    """Question row id -> the survey question in its stored shape (for parsing answers)."""
    rows = session.execute(
        select(
            Question.id, Question.qid, Question.type, Question.points, Question.options, Question.answer_key
        )
        .join(ModuleQuestion, ModuleQuestion.question_id == Question.id)
        .where(ModuleQuestion.module_content_id == module.content_id)
    )
    return {
        row.id: StoredQuestion.from_columns(
            qid=row.qid, type=row.type, points=row.points, options=row.options, answer_key=row.answer_key
        )
        for row in rows
    }
