"""A learner's progress: reading it in bulk, recording what they did, and completing a course exactly once.

Progress is read for many courses at once (one statement whatever the number of courses: module progress,
attempts, survey submissions and completions as one UNION ALL), so "my learning" and the catalogue never query per
course, and a course page reads the person's whole state in it with one round trip. Completion is written in
the transaction of the lesson, attempt or survey that met the rule, with `INSERT ... ON CONFLICT DO NOTHING` on
(person, version): two requests completing the last module at once record one completion and announce one
`course_completed`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, literal, null, select, union_all, update
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
from elearn.lru import LruCache
from elearn.models import (
    Certificate,
    Completion,
    Course,
    CourseVersion,
    ModuleProgress,
    QuizAttempt,
    SurveySubmission,
)
from elearn.services import certificates, competency_evidence, ledger
from elearn.services.outlines import outline_of
from elearn.services.upsert import insert_if_absent

Records = dict[str, ModuleRecord]


# What a row of `_activity_rows`' statement is about (its first column).
PROGRESS, ATTEMPTS, SURVEY, COMPLETION, PUBLISHED = 1, 2, 3, 4, 5


@dataclass(frozen=True)
class Activity:
    """What a person did in some courses (by course id and module key), and every course they completed."""

    records: dict[int, Records]
    completed: dict[int, str]

    def missing_prerequisites(self, outline: CourseOutline) -> tuple[str, ...]:
        """The prerequisite courses (slugs) of `outline` the person has not completed yet."""
        done = set(self.completed.values())
        return tuple(slug for slug in outline.prerequisites if slug not in done)

    def state(self, outline: CourseOutline) -> CourseState:
        """The person's whole state in the course of `outline`."""
        return course_state(
            outline,
            self.records.get(outline.course_id, {}),
            missing_prerequisites=self.missing_prerequisites(outline),
            completed=outline.course_id in self.completed,
        )


def activity_of(
    session: Session, *, person_id: int, course_ids: Iterable[int], completions: bool = True
) -> Activity:
    """Module progress, attempts and survey submissions in these courses, and (with `completions`) every
    completion of the person: one statement, a UNION ALL of indexed lookups by person."""
    ids = list(set(course_ids))
    if not ids:
        return Activity(records={}, completed={})
    activity, _published = _activity_rows(
        session, person_id=person_id, in_courses=lambda column: column.in_(ids), completions=completions
    )
    return activity


def state_by_slug(
    session: Session, cache: LruCache[int, CourseOutline], *, person_id: int, slug: str
) -> CourseState | None:
    """The person's state in the published (not archived) course `slug`, or None: one statement finds the course's
    current version and everything the person did in it; the outline comes from `cache`."""
    course_id = (
        select(Course.id)
        .where(Course.slug == slug, Course.archived_at.is_(None), Course.current_version_id.is_not(None))
        .scalar_subquery()
    )
    activity, published = _activity_rows(
        session,
        person_id=person_id,
        in_courses=lambda column: column == course_id,
        completions=True,
        published=course_id,
    )
    if published is None:
        return None
    return activity.state(outline_of(session, cache, published))


def _activity_rows(
    session: Session,
    *,
    person_id: int,
    in_courses: Callable[[Any], ColumnElement[bool]],
    completions: bool,
    published: Any = None,
) -> tuple[Activity, int | None]:
    """Run the UNION ALL of what the person did in the courses `in_courses` selects (plus, with `published`, that
    course's current version id) and sort its rows out."""
    branches: list[Select[*tuple[Any, ...]]] = [
        select(
            literal(PROGRESS).label("kind"),
            ModuleProgress.course_id.label("course_id"),
            ModuleProgress.module_key.label("key"),
            func.max(case((ModuleProgress.status == "completed", 1), else_=0)).label("first"),
            func.max(ModuleProgress.best_score).label("second"),
        )
        .where(ModuleProgress.person_id == person_id, in_courses(ModuleProgress.course_id))
        .group_by(ModuleProgress.course_id, ModuleProgress.module_key),
        select(
            literal(ATTEMPTS),
            QuizAttempt.course_id,
            QuizAttempt.module_key,
            func.count().filter(QuizAttempt.status != "open"),
            func.count().filter(QuizAttempt.status == "open"),
        )
        .where(QuizAttempt.person_id == person_id, in_courses(QuizAttempt.course_id))
        .group_by(QuizAttempt.course_id, QuizAttempt.module_key),
        select(
            literal(SURVEY), SurveySubmission.course_id, SurveySubmission.module_key, null(), null()
        ).where(SurveySubmission.person_id == person_id, in_courses(SurveySubmission.course_id)),
    ]
    if completions:
        branches.append(
            select(literal(COMPLETION), Completion.course_id, Course.slug, null(), null())
            .join(Course, Course.id == Completion.course_id)
            .where(Completion.person_id == person_id)
        )
    if published is not None:
        branches.append(
            select(literal(PUBLISHED), Course.id, null(), Course.current_version_id, null()).where(
                Course.id == published
            )
        )
    found: dict[int, dict[str, dict[str, object]]] = defaultdict(lambda: defaultdict(dict))
    completed: dict[int, str] = {}
    version_id: int | None = None
    for kind, course_id, key, first, second in session.execute(union_all(*branches)):
        if kind == PUBLISHED:
            version_id = int(first)
            continue
        if kind == COMPLETION:
            completed[course_id] = key
            continue
        record = found[course_id][key]
        record["started"] = True
        if kind == PROGRESS:
            record.update(done=bool(record.get("done")) or bool(first), best_score=second)
        elif kind == ATTEMPTS:
            record.update(attempts_used=int(first), attempt_open=bool(second))
        else:  # a survey answered is done, whatever the progress row says
            record["done"] = True
    records = {
        course_id: {key: ModuleRecord(**values) for key, values in by_key.items()}  # type: ignore[arg-type]  # the keys are ModuleRecord's fields, gathered above
        for course_id, by_key in found.items()
    }
    return Activity(records=records, completed=completed), version_id


def records_for(session: Session, *, person_id: int, course_ids: Iterable[int]) -> dict[int, Records]:
    """Course id -> module key -> what the person did there, for every given course (one statement)."""
    return activity_of(session, person_id=person_id, course_ids=course_ids, completions=False).records


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


def state_of(session: Session, *, person_id: int, outline: CourseOutline) -> CourseState:
    """The person's whole state in one course (one statement)."""
    return activity_of(session, person_id=person_id, course_ids=[outline.course_id]).state(outline)


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
    certificate, the JP of the year (office calendar of `timezone`) and the competency evidence with the attained
    levels and standing it changes, in the same transaction."""
    activity = activity_of(session, person_id=person_id, course_ids=[outline.course_id])
    records = activity.records.get(outline.course_id, {})
    if not completion_met(outline, records) or activity.missing_prerequisites(outline):
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
    competency_evidence.record_course_evidence(session, completion_id, timezone=timezone)
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
