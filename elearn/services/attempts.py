"""The quiz engine on the server: start, autosave, submit and time out attempts without ever losing an answer.

- Start fixes the attempt's layout (drawn questions, their order, option order) in the database; a second start
  while one is open returns it. The partial unique index `ix_elearn_quiz_attempt_one_open` is the backstop for
  concurrent starts: the loser of the race finds the winner's attempt.
- Every save locks the attempt row, checks it is open, the person's, within its deadline (plus a short grace for
  answers in flight) and that each question belongs to it, parses the responses with the pure quiz core, and
  upserts them with the attempt's next revision. Stale writes: a save carries the revision the page was based on;
  an answer changed since then (by another tab or device) is not overwritten, and the save reports the conflict.
- Submit is idempotent: a finished attempt answers with its stored result (double clicks, two tabs, resends).
- An attempt past its deadline is finished from its saved answers, at its deadline, by whoever touches it first
  (its learner, a page, or `flask elearn attempts close-expired` from cron).
- Finishing scores every question (`elearn.quizzes`), stores the points per answer, marks the module's progress
  and completes the course in the same transaction when that met the rule.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from elearn.courses.journey import CourseOutline, ModuleOutline
from elearn.db import begin_write
from elearn.lru import LruCache
from elearn.models import Course, ModuleQuestion, Question, QuizAnswer, QuizAttempt
from elearn.quizzes import ResponseError, StoredQuestion, parse_response, score
from elearn.services import progress
from elearn.services.outlines import outline_of
from elearn.services.progress import CompletionRecorded

PERCENT = Decimal("0.01")
CLOSE_BATCH = 200


class AttemptRefused(Exception):
    """The attempt cannot do what was asked; `reason` is a stable code the views word for the learner."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class SaveResult:
    """What a save did: the attempt's revision after it, the questions saved, and those refused as stale."""

    revision: int
    saved: tuple[int, ...]
    conflicts: tuple[int, ...]


@dataclass(frozen=True)
class FinishResult:
    """A finished attempt's score, and the course completion its finish recorded (if any)."""

    attempt_id: int
    percent: Decimal
    passed: bool
    completion: CompletionRecorded | None


def _open_key(person_id: int, outline: CourseOutline, module: ModuleOutline) -> tuple[Any, ...]:
    return (
        QuizAttempt.person_id == person_id,
        QuizAttempt.course_id == outline.course_id,
        QuizAttempt.module_key == module.key,
    )


def attempts_used(session: Session, *, person_id: int, outline: CourseOutline, module: ModuleOutline) -> int:
    """How many attempts of this module the person has finished."""
    return int(
        session.scalar(
            select(func.count()).where(*_open_key(person_id, outline, module), QuizAttempt.status != "open")
        )
        or 0
    )


def start_attempt(
    session: Session,
    *,
    person_id: int,
    outline: CourseOutline,
    module: ModuleOutline,
    now: datetime,
    rng: random.Random,
    grace: timedelta,
    timezone: tzinfo,
) -> int:
    """The id of the person's open attempt at `module`, starting one (layout fixed now) if none is open; an open
    attempt whose time ran out is finished first (`timezone` places its JP in the office's year)."""
    begin_write(session)
    open_attempt = session.scalar(
        select(QuizAttempt).where(*_open_key(person_id, outline, module), QuizAttempt.status == "open")
    )
    if open_attempt is not None:
        if not _past_deadline(open_attempt, now, grace):
            return open_attempt.id
        finish(
            session,
            open_attempt,
            outline=outline,
            module=module,
            at=_finish_time(open_attempt, now),
            by="deadline",
            timezone=timezone,
        )
    allowed = module.attempts_allowed
    if allowed and attempts_used(session, person_id=person_id, outline=outline, module=module) >= allowed:
        raise AttemptRefused("no_attempts_left")
    last_number = session.scalar(
        select(func.max(QuizAttempt.number)).where(*_open_key(person_id, outline, module))
    )
    settings = module.settings
    limit = settings.get("time_limit")
    attempt = QuizAttempt(
        person_id=person_id,
        course_id=outline.course_id,
        module_key=module.key,
        module_content_id=module.content_id,
        version_id=outline.version_id,
        kind=module.kind,
        number=(last_number or 0) + 1,
        status="open",
        layout=_layout(session, module, rng),
        revision=0,
        started_at=now,
        deadline_at=now + timedelta(minutes=int(limit)) if limit else None,
    )
    try:
        with session.begin_nested():
            session.add(attempt)
    except IntegrityError:
        winner = session.scalar(
            select(QuizAttempt.id).where(*_open_key(person_id, outline, module), QuizAttempt.status == "open")
        )
        if winner is None:
            raise
        return winner
    progress.start_module(session, person_id=person_id, outline=outline, module=module)
    return attempt.id


def _layout(session: Session, module: ModuleOutline, rng: random.Random) -> list[dict[str, Any]]:
    """The attempt's questions (drawn and shuffled as the module says) with each one's option order."""
    rows = session.execute(
        select(Question.id, Question.type, Question.options)
        .join(ModuleQuestion, ModuleQuestion.question_id == Question.id)
        .where(ModuleQuestion.module_content_id == module.content_id)
        .order_by(ModuleQuestion.position)
    ).all()
    settings = module.settings
    chosen = list(rows)
    draw = settings.get("draw")
    if draw and int(draw) < len(chosen):
        picked = set(rng.sample(range(len(chosen)), int(draw)))
        chosen = [row for index, row in enumerate(chosen) if index in picked]
    shuffle = bool(settings.get("shuffle"))
    if shuffle:
        rng.shuffle(chosen)
    layout = []
    for question_id, question_type, options in chosen:
        lefts = [o["id"] for o in options if o.get("side") != "right"]
        rights = [o["id"] for o in options if o.get("side") == "right"]
        if shuffle and question_type not in ("truefalse", "likert"):
            rng.shuffle(lefts)
        if question_type == "matching":
            rng.shuffle(
                rights
            )  # the right-hand column is always shuffled, or its order would give pairs away
        layout.append({"question_id": question_id, "options": lefts, "rights": rights})
    return layout


def _past_deadline(attempt: QuizAttempt, now: datetime, grace: timedelta) -> bool:
    return attempt.deadline_at is not None and now > attempt.deadline_at + grace


def _finish_time(attempt: QuizAttempt, now: datetime) -> datetime:
    """An attempt finished late by the deadline counts as finished at its deadline."""
    return min(now, attempt.deadline_at) if attempt.deadline_at else now


def lock_attempt(session: Session, *, attempt_id: int, person_id: int) -> QuizAttempt:
    """The person's attempt, locked for this transaction; another person's or an unknown one is refused alike."""
    begin_write(session)
    attempt = session.scalar(
        select(QuizAttempt)
        .where(QuizAttempt.id == attempt_id, QuizAttempt.person_id == person_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if attempt is None:
        raise AttemptRefused("not_found")
    return attempt


def question_ids(attempt: QuizAttempt) -> list[int]:
    """The attempt's questions in the order shown."""
    return [int(entry["question_id"]) for entry in attempt.layout]


def stored_questions(session: Session, ids: Sequence[int]) -> dict[int, StoredQuestion]:
    """Question id -> its stored shape (answer key included: for scoring, never for pages)."""
    if not ids:
        return {}
    rows = session.execute(
        select(
            Question.id, Question.qid, Question.type, Question.points, Question.options, Question.answer_key
        ).where(Question.id.in_(list(ids)))
    )
    return {
        row.id: StoredQuestion.from_columns(
            qid=row.qid, type=row.type, points=row.points, options=row.options, answer_key=row.answer_key
        )
        for row in rows
    }


def _questions_and_answers(
    session: Session, attempt_id: int, ids: Sequence[int]
) -> tuple[dict[int, StoredQuestion], dict[int, QuizAnswer]]:
    """The stored shape of these questions and the attempt's saved answers to them, in one statement."""
    rows = session.execute(
        select(
            Question.id, Question.qid, Question.type, Question.points, Question.options, Question.answer_key,
            QuizAnswer,
        )
        .outerjoin(QuizAnswer, (QuizAnswer.question_id == Question.id) & (QuizAnswer.attempt_id == attempt_id))
        .where(Question.id.in_(list(ids)))
    )  # fmt: skip
    questions: dict[int, StoredQuestion] = {}
    answers: dict[int, QuizAnswer] = {}
    for row in rows:
        questions[row.id] = StoredQuestion.from_columns(
            qid=row.qid, type=row.type, points=row.points, options=row.options, answer_key=row.answer_key
        )
        if row.QuizAnswer is not None:
            answers[row.id] = row.QuizAnswer
    return questions, answers


def save_answers(
    session: Session,
    *,
    attempt_id: int,
    person_id: int,
    answers: Mapping[int, Sequence[str]],
    base_revision: int | None,
    now: datetime,
    grace: timedelta,
) -> SaveResult:
    """Save the responses to the given questions (question id -> posted values) into an open attempt.

    Nothing is saved when any question is not the attempt's or any response is invalid (AttemptRefused). An
    answer written after `base_revision` by another page is kept and reported in `conflicts`.
    """
    attempt = lock_attempt(session, attempt_id=attempt_id, person_id=person_id)
    if attempt.status != "open":
        raise AttemptRefused("closed")
    if _past_deadline(attempt, now, grace):
        raise AttemptRefused("expired")
    return _write_answers(session, attempt, answers, base_revision=base_revision, now=now)


def _write_answers(
    session: Session,
    attempt: QuizAttempt,
    answers: Mapping[int, Sequence[str]],
    *,
    base_revision: int | None,
    now: datetime,
) -> SaveResult:
    if not answers:
        return SaveResult(revision=attempt.revision, saved=(), conflicts=())
    allowed = set(question_ids(attempt))
    strangers = [question_id for question_id in answers if question_id not in allowed]
    if strangers:
        raise AttemptRefused("not_in_attempt", ", ".join(map(str, strangers)))
    questions, existing = _questions_and_answers(session, attempt.id, list(answers))
    responses: dict[int, dict[str, Any]] = {}
    for question_id, values in answers.items():
        parsed = parse_response(questions[question_id], list(values))
        if isinstance(parsed, ResponseError):
            raise AttemptRefused("invalid", str(parsed))
        responses[question_id] = dict(parsed)
    conflicts = [
        question_id
        for question_id, response in responses.items()
        if base_revision is not None
        and (stored := existing.get(question_id)) is not None
        and stored.revision > base_revision
        and stored.response != response
    ]
    to_write = {qid: response for qid, response in responses.items() if qid not in conflicts}
    if to_write:
        attempt.revision += 1
        for question_id, response in to_write.items():
            answer = existing.get(question_id)
            if answer is None:
                session.add(
                    QuizAnswer(
                        attempt_id=attempt.id,
                        question_id=question_id,
                        response=response,
                        revision=attempt.revision,
                        saved_at=now,
                    )
                )
            elif answer.response != response:
                answer.response = response
                answer.revision = attempt.revision
                answer.saved_at = now
        session.flush()
    return SaveResult(revision=attempt.revision, saved=tuple(to_write), conflicts=tuple(conflicts))


def submit(
    session: Session,
    *,
    attempt_id: int,
    person_id: int,
    outline: CourseOutline,
    module: ModuleOutline,
    answers: Mapping[int, Sequence[str]],
    base_revision: int | None,
    now: datetime,
    grace: timedelta,
    timezone: tzinfo,
) -> FinishResult:
    """Save the last answers (when still in time) and finish the attempt; a finished one returns its result."""
    attempt = lock_attempt(session, attempt_id=attempt_id, person_id=person_id)
    if attempt.status != "open":
        return _result(attempt, completion=None)
    late = _past_deadline(attempt, now, grace)
    if not late:
        _write_answers(session, attempt, answers, base_revision=base_revision, now=now)
    return finish(
        session,
        attempt,
        outline=outline,
        module=module,
        at=_finish_time(attempt, now),
        by="deadline" if late else "learner",
        timezone=timezone,
    )


def finish(
    session: Session,
    attempt: QuizAttempt,
    *,
    outline: CourseOutline,
    module: ModuleOutline,
    at: datetime,
    by: str,
    timezone: tzinfo,
) -> FinishResult:
    """Score every question from the saved answers, close the attempt and record the module's result."""
    ids = question_ids(attempt)
    questions = stored_questions(session, ids)
    answers = {
        answer.question_id: answer
        for answer in session.scalars(select(QuizAnswer).where(QuizAnswer.attempt_id == attempt.id))
    }
    earned = Decimal(0)
    possible = Decimal(0)
    for question_id in ids:
        question = questions[question_id]
        possible += question.points
        answer = answers.get(question_id)
        scored = score(question, answer.response if answer else None)
        earned += scored.points
        if answer is not None:
            answer.fraction = scored.fraction
            answer.points = scored.points
    percent = (earned * 100 / possible).quantize(PERCENT, ROUND_HALF_UP) if possible else Decimal(0)
    pass_mark = module.pass_mark
    attempt.status = "submitted" if by == "learner" else "expired"
    attempt.finished_at = at
    attempt.finished_by = by
    attempt.score_points = earned
    attempt.max_points = possible
    attempt.score_percent = percent
    attempt.passed = percent >= pass_mark
    session.flush()
    counts = attempt.passed or module.kind == "pretest"  # a pre-test is done once taken, whatever the score
    completion = progress.complete_module(
        session,
        person_id=attempt.person_id,
        outline=outline,
        module=module,
        now=at,
        timezone=timezone,
        score=percent,
        passed=counts,
    )
    return _result(attempt, completion=completion)


def _result(attempt: QuizAttempt, *, completion: CompletionRecorded | None) -> FinishResult:
    return FinishResult(
        attempt_id=attempt.id,
        percent=attempt.score_percent or Decimal(0),
        passed=bool(attempt.passed),
        completion=completion,
    )


@dataclass(frozen=True)
class AttemptSummary:
    """One attempt as the quiz's start page lists it."""

    id: int
    number: int
    status: str
    started_at: datetime
    deadline_at: datetime | None
    finished_at: datetime | None
    percent: Decimal | None
    passed: bool | None


def attempts_of(
    session: Session, *, person_id: int, outline: CourseOutline, module: ModuleOutline
) -> list[AttemptSummary]:
    """The person's attempts at `module`, newest first (one query)."""
    rows = session.execute(
        select(
            QuizAttempt.id,
            QuizAttempt.number,
            QuizAttempt.status,
            QuizAttempt.started_at,
            QuizAttempt.deadline_at,
            QuizAttempt.finished_at,
            QuizAttempt.score_percent,
            QuizAttempt.passed,
        )
        .where(*_open_key(person_id, outline, module))
        .order_by(QuizAttempt.number.desc())
    )
    return [AttemptSummary(*row) for row in rows]


@dataclass(frozen=True)
class QuestionOnPage:
    """A question as an attempt page shows it: no credit, no key, options in the attempt's order."""

    id: int
    number: int
    type: str
    points: Decimal
    stem_html: str
    options: tuple[dict[str, str], ...]
    rights: tuple[dict[str, str], ...]
    response: Mapping[str, Any] | None


@dataclass(frozen=True)
class AttemptPage:
    """One page of an attempt."""

    attempt: QuizAttempt
    questions: tuple[QuestionOnPage, ...]
    page: int
    pages: int
    total: int
    answered: frozenset[int]


def attempt_page(session: Session, *, attempt: QuizAttempt, page: int, per_page: int) -> AttemptPage:
    """The questions of page `page` (1-based) with the saved responses, and which questions have an answer."""
    ids = question_ids(attempt)
    size = per_page if per_page > 0 else max(len(ids), 1)
    pages = max(1, -(-len(ids) // size))
    page = min(max(page, 1), pages)
    shown = ids[(page - 1) * size : page * size]
    order = {entry["question_id"]: entry for entry in attempt.layout}
    rows = {
        row.id: row
        for row in session.execute(
            select(Question.id, Question.type, Question.points, Question.stem_html, Question.options).where(
                Question.id.in_(shown)
            )
        )
    }
    saved = {
        question_id: response
        for question_id, response in session.execute(
            select(QuizAnswer.question_id, QuizAnswer.response).where(QuizAnswer.attempt_id == attempt.id)
        )
    }
    questions = []
    for number, question_id in enumerate(shown, start=(page - 1) * size + 1):
        row = rows[question_id]
        by_id = {option["id"]: option for option in row.options}
        entry = order[question_id]
        questions.append(
            QuestionOnPage(
                id=question_id,
                number=number,
                type=row.type,
                points=row.points,
                stem_html=row.stem_html,
                options=tuple(_public(by_id[o]) for o in entry["options"] if o in by_id),
                rights=tuple(_public(by_id[o]) for o in entry.get("rights", ()) if o in by_id),
                response=saved.get(question_id),
            )
        )
    answered = frozenset(qid for qid, response in saved.items() if _has_answer(response))
    return AttemptPage(
        attempt=attempt, questions=tuple(questions), page=page, pages=pages, total=len(ids), answered=answered
    )


def _public(option: Mapping[str, Any]) -> dict[str, str]:
    """Only what a page may show of an option: its id and HTML."""
    return {"id": str(option["id"]), "html": str(option["html"])}


def _has_answer(response: Mapping[str, Any] | None) -> bool:
    """Whether a saved response says anything (an emptied answer does not count as answered)."""
    if not response:
        return False
    return any(value not in (None, "", [], {}) for value in response.values())


def load_attempt(session: Session, *, attempt_id: int, person_id: int) -> QuizAttempt:
    """The person's attempt (not locked), or AttemptRefused("not_found")."""
    attempt = session.scalar(
        select(QuizAttempt).where(QuizAttempt.id == attempt_id, QuizAttempt.person_id == person_id)
    )
    if attempt is None:
        raise AttemptRefused("not_found")
    return attempt


def expired_attempt_ids(
    session: Session, *, now: datetime, grace: timedelta, limit: int = CLOSE_BATCH
) -> list[int]:
    """Open attempts whose deadline (plus grace) has passed, oldest first."""
    return list(
        session.scalars(
            select(QuizAttempt.id)
            .where(QuizAttempt.status == "open", QuizAttempt.deadline_at < now - grace)
            .order_by(QuizAttempt.deadline_at)
            .limit(limit)
        )
    )


def outline_for(
    session: Session, cache: LruCache[int, CourseOutline], attempt: QuizAttempt
) -> tuple[CourseOutline, ModuleOutline]:
    """The outline an attempt is finished under: the course's current version, or the attempt's own version when
    the module has since been removed."""
    current = session.scalar(select(Course.current_version_id).where(Course.id == attempt.course_id))
    for version_id in (current, attempt.version_id):
        if version_id is None:
            continue
        outline = outline_of(session, cache, version_id)
        module = outline.module(attempt.module_key)
        if module is not None:
            return outline, module
    raise AttemptRefused("not_found")


def close_expired_attempt(
    session: Session,
    *,
    attempt_id: int,
    cache: LruCache[int, CourseOutline],
    now: datetime,
    timezone: tzinfo,
) -> FinishResult | None:
    """Finish one attempt whose time ran out, at its deadline, from its saved answers; None when it is no
    longer open or another server holds it (PostgreSQL SKIP LOCKED). The caller commits, one attempt at a time."""
    begin_write(session)
    attempt = session.scalar(
        select(QuizAttempt)
        .where(QuizAttempt.id == attempt_id, QuizAttempt.status == "open")
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    if attempt is None:
        return None
    outline, module = outline_for(session, cache, attempt)
    return finish(
        session,
        attempt,
        outline=outline,
        module=module,
        at=_finish_time(attempt, now),
        by="deadline",
        timezone=timezone,
    )
