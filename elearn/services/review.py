"""What a learner sees after an attempt: the score, and per question as much as the module's `show_answers` allows.

- `never`: the score and whether it passed, nothing per question (pre-tests by default);
- `after_submit`: each question's result, the feedback that applies and the explanation, after every attempt;
- `after_pass`: the same, once the person has passed (until then only the score; post-tests by default).
After a post-test the page also shows the gain over the pre-test for each competency the course proves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from elearn.courses.journey import CourseOutline, ModuleOutline
from elearn.models import Question, QuizAnswer, QuizAttempt
from elearn.quizzes import StoredQuestion, score


@dataclass(frozen=True)
class AnswerReview:
    """One question of a finished attempt as the result page shows it."""

    number: int
    stem_html: str
    answer_html: tuple[str, ...]
    answer_text: str
    points: Decimal
    max_points: Decimal
    correct: bool
    partly: bool
    feedback_html: tuple[str, ...]
    explanation_html: str


@dataclass(frozen=True)
class CompetencyGain:
    """Pre-test and post-test score for one competency the course proves."""

    code: str
    name: str
    level: int
    before: Decimal
    after: Decimal

    @property
    def gain(self) -> Decimal:
        """Percentage points gained (negative when the post-test went worse)."""
        return self.after - self.before


@dataclass(frozen=True)
class AttemptReview:
    """A finished attempt's result page."""

    attempt: QuizAttempt
    pass_mark: Decimal
    details_shown: bool
    answers: tuple[AnswerReview, ...]
    gains: tuple[CompetencyGain, ...]


def details_allowed(module: ModuleOutline, *, passed_ever: bool) -> bool:
    """Whether answers and feedback may be shown under the module's `show_answers` rule."""
    rule = module.settings.get("show_answers", "after_submit")
    return rule == "after_submit" or (rule == "after_pass" and passed_ever)


def attempt_review(
    session: Session, *, attempt: QuizAttempt, module: ModuleOutline, outline: CourseOutline
) -> AttemptReview:
    """The result of `attempt` with per-question details when allowed, and the pre/post gain after a post-test."""
    passed_ever = bool(
        session.scalar(
            select(QuizAttempt.id).where(
                QuizAttempt.person_id == attempt.person_id,
                QuizAttempt.course_id == attempt.course_id,
                QuizAttempt.module_key == attempt.module_key,
                QuizAttempt.passed.is_(True),
            )
        )
    )
    shown = details_allowed(module, passed_ever=passed_ever)
    return AttemptReview(
        attempt=attempt,
        pass_mark=module.pass_mark,
        details_shown=shown,
        answers=_answers(session, attempt) if shown else (),
        gains=_gains(session, attempt, outline) if attempt.kind == "posttest" else (),
    )


def _answers(session: Session, attempt: QuizAttempt) -> tuple[AnswerReview, ...]:
    """Each question in the attempt's order with its response, points and the feedback that applies."""
    ids = [int(entry["question_id"]) for entry in attempt.layout]
    rows = {row.id: row for row in session.scalars(select(Question).where(Question.id.in_(ids)))}
    responses = {
        answer.question_id: answer.response
        for answer in session.scalars(select(QuizAnswer).where(QuizAnswer.attempt_id == attempt.id))
    }
    reviews = []
    for number, question_id in enumerate(ids, start=1):
        row = rows[question_id]
        stored = StoredQuestion.from_columns(
            qid=row.qid, type=row.type, points=row.points, options=row.options, answer_key=row.answer_key
        )
        response = responses.get(question_id)
        scored = score(stored, response)
        reviews.append(
            AnswerReview(
                number=number,
                stem_html=row.stem_html,
                answer_html=_described(row.options, response),
                answer_text=str(response.get("text", "")) if response else "",
                points=scored.points,
                max_points=stored.points,
                correct=scored.correct,
                partly=not scored.correct and scored.fraction > 0,
                feedback_html=tuple(scored.feedback_html),
                explanation_html=row.explanation_html,
            )
        )
    return tuple(reviews)


def _described(options: list[Any], response: Mapping[str, Any] | None) -> tuple[str, ...]:
    """The learner's answer as HTML fragments: chosen options, typed text (escaped by the template), or pairs."""
    if not response:
        return ()
    html_of = {str(option["id"]): str(option["html"]) for option in options}
    if "choices" in response:
        return tuple(html_of.get(str(choice), "") for choice in response["choices"])
    if "pairs" in response:
        return tuple(
            f"{html_of.get(str(left), '')} → {html_of.get(str(right), '')}"
            for left, right in sorted(response["pairs"].items())
        )
    return ()


def _gains(session: Session, attempt: QuizAttempt, outline: CourseOutline) -> tuple[CompetencyGain, ...]:
    """Per competency of the course: the first pre-test score against this post-test's score."""
    pretest = outline.of_kind("pretest")
    if pretest is None or attempt.score_percent is None:
        return ()
    before = session.scalar(
        select(QuizAttempt.score_percent)
        .where(
            QuizAttempt.person_id == attempt.person_id,
            QuizAttempt.course_id == attempt.course_id,
            QuizAttempt.module_key == pretest.key,
            QuizAttempt.status != "open",
        )
        .order_by(QuizAttempt.number)
        .limit(1)
    )
    if before is None:
        return ()
    return tuple(
        CompetencyGain(
            code=ref.code, name=ref.name, level=ref.level, before=before, after=attempt.score_percent
        )
        for ref in outline.competencies
    )
