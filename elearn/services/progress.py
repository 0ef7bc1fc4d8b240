"""A learner's progress: reading it in bulk, recording what they did, and completing a course exactly once.

Progress is read for many courses at once (three indexed queries whatever the number of courses: module progress,
attempts, survey submissions), so "my learning" and the catalogue never query per course. Completion is written in
the transaction of the lesson, attempt or survey that met the rule, with `INSERT ... ON CONFLICT DO NOTHING` on
(person, version): two requests completing the last module at once record one completion and announce one
`course_completed`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from elearn import signals
from elearn.courses.journey import (
    CourseOutline,
    CourseState,
    ModuleOutline,
    ModuleRecord,
    completion_met,
    course_state,
    final_score,
)
from elearn.db import begin_write
from elearn.events import announce
from elearn.models import (
    Certificate,
    Completion,
    Course,
    CourseVersion,
    ModuleProgress,
    QuizAttempt,
    SurveySubmission,
)
from elearn.services import certificates, ledger
from elearn.services.upsert import insert_if_absent

Records = dict[str, ModuleRecord]


def records_for(session: Session, *, person_id: int, course_ids: Iterable[int]) -> dict[int, Records]:
    """Course id -> module key -> what the person did there, for every given course (three queries)."""
    ids = list(set(course_ids))
    found: dict[int, dict[str, dict[str, object]]] = defaultdict(lambda: defaultdict(dict))
    if not ids:
        return {}
    progress_rows = session.execute(
        select(
            ModuleProgress.course_id,
            ModuleProgress.module_key,
            func.max(case((ModuleProgress.status == "completed", 1), else_=0)),
            func.max(ModuleProgress.best_score),
        )
        .where(ModuleProgress.person_id == person_id, ModuleProgress.course_id.in_(ids))
        .group_by(ModuleProgress.course_id, ModuleProgress.module_key)
    )
    for course_id, key, done, best in progress_rows:
        found[course_id][key].update(started=True, done=bool(done), best_score=best)
    attempt_rows = session.execute(
        select(
            QuizAttempt.course_id,
            QuizAttempt.module_key,
            func.count().filter(QuizAttempt.status != "open"),
            func.count().filter(QuizAttempt.status == "open"),
        )
        .where(QuizAttempt.person_id == person_id, QuizAttempt.course_id.in_(ids))
        .group_by(QuizAttempt.course_id, QuizAttempt.module_key)
    )
    for course_id, key, finished, open_count in attempt_rows:
        found[course_id][key].update(started=True, attempts_used=finished, attempt_open=bool(open_count))
    survey_rows = session.execute(
        select(SurveySubmission.course_id, SurveySubmission.module_key).where(
            SurveySubmission.person_id == person_id, SurveySubmission.course_id.in_(ids)
        )
    )
    for course_id, key in survey_rows:
        found[course_id][key].update(started=True, done=True)
    return {
        course_id: {key: ModuleRecord(**values) for key, values in by_key.items()}  # type: ignore[arg-type]  # the keys are ModuleRecord's fields, gathered above
        for course_id, by_key in found.items()
    }


def completed_course_ids(session: Session, *, person_id: int, course_ids: Iterable[int]) -> set[int]:
    """Which of these courses the person has completed (any version)."""
    ids = list(set(course_ids))
    if not ids:
        return set()
    return set(
        session.scalars(
            select(Completion.course_id).where(
                Completion.person_id == person_id, Completion.course_id.in_(ids)
            )
        )
    )


def missing_prerequisites(session: Session, *, person_id: int, outline: CourseOutline) -> tuple[str, ...]:
    """The prerequisite courses (slugs) the person has not completed yet; no query when there are none."""
    if not outline.prerequisites:
        return ()
    done = set(
        session.scalars(
            select(Course.slug)
            .join(Completion, Completion.course_id == Course.id)
            .where(Completion.person_id == person_id, Course.slug.in_(outline.prerequisites))
        )
    )
    return tuple(slug for slug in outline.prerequisites if slug not in done)


def state_of(session: Session, *, person_id: int, outline: CourseOutline) -> CourseState:
    """The person's whole state in one course."""
    records = records_for(session, person_id=person_id, course_ids=[outline.course_id]).get(
        outline.course_id, {}
    )
    return course_state(
        outline,
        records,
        missing_prerequisites=missing_prerequisites(session, person_id=person_id, outline=outline),
        completed=bool(completed_course_ids(session, person_id=person_id, course_ids=[outline.course_id])),
    )


def start_module(session: Session, *, person_id: int, outline: CourseOutline, module: ModuleOutline) -> None:
    """Note that the person opened `module` (once: a second visit or a concurrent one changes nothing)."""
    insert_if_absent(
        session,
        ModuleProgress,
        {
            "person_id": person_id,
            "module_content_id": module.content_id,
            "course_id": outline.course_id,
            "module_key": module.key,
            "status": "started",
            "progress": 0.0,
        },
    )


@dataclass(frozen=True)
class CompletionRecorded:
    """A completion written by this transaction (None is returned when it existed already or the rule is unmet)."""

    completion_id: int
    completed_at: datetime
    jp: Decimal


def complete_module(
    session: Session,
    *,
    person_id: int,
    outline: CourseOutline,
    module: ModuleOutline,
    now: datetime,
    timezone: tzinfo,
    score: Decimal | None = None,
    passed: bool = True,
) -> CompletionRecorded | None:
    """Record a lesson read, a survey answered or a graded module's result, then complete the course if that met
    its rule; `score` (percent) raises the module's best score, and only a passing result marks it done."""
    begin_write(session)
    start_module(session, person_id=person_id, outline=outline, module=module)
    values: dict[str, object] = {"updated_at": now}
    if score is not None:
        values["best_score"] = case(
            (ModuleProgress.best_score.is_(None), score),
            (ModuleProgress.best_score < score, score),
            else_=ModuleProgress.best_score,
        )
    if passed:
        values.update(
            status="completed",
            progress=1.0,
            completed_at=func.coalesce(ModuleProgress.completed_at, now),
        )
    session.execute(
        update(ModuleProgress)
        .where(ModuleProgress.person_id == person_id, ModuleProgress.module_content_id == module.content_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if not passed:
        return None
    return complete_course_if_met(session, person_id=person_id, outline=outline, now=now, timezone=timezone)


def complete_course_if_met(
    session: Session, *, person_id: int, outline: CourseOutline, now: datetime, timezone: tzinfo
) -> CompletionRecorded | None:
    """Write the completion when the course rule is met and the person has none for this version yet; its
    certificate and the JP of the year (office calendar of `timezone`) in the same transaction."""
    records = records_for(session, person_id=person_id, course_ids=[outline.course_id]).get(
        outline.course_id, {}
    )
    if not completion_met(outline, records):
        return None
    if missing_prerequisites(session, person_id=person_id, outline=outline):
        return None
    completion_id = insert_if_absent(
        session,
        Completion,
        {
            "person_id": person_id,
            "course_id": outline.course_id,
            "version_id": outline.version_id,
            "completed_at": now,
            "jp": outline.jp,
            "final_score": final_score(outline, records),
        },
    )
    if completion_id is None:
        return None
    certificates.issue(session, completion_id=completion_id, person_id=person_id, outline=outline, now=now)
    ledger.change(session, person_id=person_id, year=ledger.year_of(now, timezone), course=outline.jp)
    announce(
        session,
        signals.course_completed,
        person_id=person_id,
        course_id=outline.course_id,
        version_id=outline.version_id,
        completion_id=completion_id,
        completed_at=now,
        jp=outline.jp,
    )
    return CompletionRecorded(completion_id=completion_id, completed_at=now, jp=outline.jp)


@dataclass(frozen=True)
class CompletedCourse:
    """One completion as "my learning" lists it."""

    slug: str
    title: str
    version_number: int
    completed_at: datetime
    jp: Decimal
    final_score: Decimal | None
    serial: str | None
    revoked: bool


def completions_of(
    session: Session, *, person_id: int, within: tuple[datetime, datetime] | None = None
) -> list[CompletedCourse]:
    """Every course the person completed (from `within[0]` until before `within[1]` when given) with its
    certificate, newest first (one query)."""
    moment = Completion.completed_at
    period = (moment >= within[0], moment < within[1]) if within else ()
    rows = session.execute(
        select(
            Course.slug,
            CourseVersion.title,
            CourseVersion.number,
            Completion.completed_at,
            Completion.jp,
            Completion.final_score,
            Certificate.serial,
            Certificate.revoked_at.is_not(None),
        )
        .join(CourseVersion, CourseVersion.id == Completion.version_id)
        .join(Course, Course.id == Completion.course_id)
        .outerjoin(Certificate, Certificate.completion_id == Completion.id)
        .where(Completion.person_id == person_id, *period)
        .order_by(Completion.completed_at.desc(), Completion.id.desc())
    )
    return [CompletedCourse(*row) for row in rows]


def courses_in_progress(session: Session, *, person_id: int) -> list[tuple[int, int]]:
    """(course id, current version id) of published courses the person has begun and not completed, most
    recently active first."""
    last_activity = (
        select(ModuleProgress.course_id, func.max(ModuleProgress.updated_at).label("active_at"))
        .where(ModuleProgress.person_id == person_id)
        .group_by(ModuleProgress.course_id)
        .subquery()
    )
    completed = select(Completion.course_id).where(Completion.person_id == person_id)
    rows = session.execute(
        select(Course.id, Course.current_version_id)
        .join(last_activity, last_activity.c.course_id == Course.id)
        .where(
            Course.archived_at.is_(None),
            Course.current_version_id.is_not(None),
            Course.id.not_in(completed),
        )
        .order_by(last_activity.c.active_at.desc(), Course.id)
    )
    return [(course_id, version_id) for course_id, version_id in rows if version_id is not None]


def states_of(
    session: Session, *, person_id: int, outlines: Mapping[int, CourseOutline]
) -> dict[int, CourseState]:
    """Course states for several outlines at once (prerequisites are not checked: listing pages only)."""
    records = records_for(session, person_id=person_id, course_ids=[o.course_id for o in outlines.values()])
    return {
        version_id: course_state(outline, records.get(outline.course_id, {}))
        for version_id, outline in outlines.items()
    }
