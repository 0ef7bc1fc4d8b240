"""What a mentor or a supervisor reads about one person: assignments with their status, courses in progress, quiz
results, JP this year, the feedback threads, the mentorships and this year's development plan, in a fixed number
of queries whatever the person has done."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from elearn.courses.journey import CourseOutline, CourseState
from elearn.lru import LruCache
from elearn.models import (
    Course,
    CourseVersion,
    DevelopmentPlan,
    Mentorship,
    ModuleContent,
    Person,
    QuizAttempt,
    VersionModule,
)
from elearn.scope import mentorship_runs_on
from elearn.services import feedback, ledger, progress
from elearn.services.assignment_status import AssignedItem, assignments_of
from elearn.services.outlines import outline_of

QUIZ_RESULTS_SHOWN = 20


@dataclass(frozen=True)
class QuizResult:
    """One finished attempt: which course and module, when, the score and whether it passed."""

    course_title: str
    module_title: str
    kind: str
    number: int
    finished_at: datetime | None
    score_percent: Decimal | None
    passed: bool | None


def quiz_results(session: Session, *, person_id: int, limit: int = QUIZ_RESULTS_SHOWN) -> list[QuizResult]:
    """The person's most recent finished attempts, newest first (one query)."""
    rows = session.execute(
        select(
            CourseVersion.title,
            ModuleContent.title,
            QuizAttempt.kind,
            QuizAttempt.number,
            QuizAttempt.finished_at,
            QuizAttempt.score_percent,
            QuizAttempt.passed,
        )
        .join(CourseVersion, CourseVersion.id == QuizAttempt.version_id)
        .join(ModuleContent, ModuleContent.id == QuizAttempt.module_content_id)
        .where(QuizAttempt.person_id == person_id, QuizAttempt.status != "open")
        .order_by(QuizAttempt.finished_at.desc(), QuizAttempt.id.desc())
        .limit(limit)
    )
    return [QuizResult(*row) for row in rows]


@dataclass(frozen=True)
class MentorshipPeriod:
    """A mentorship of the person: the mentor's name, its dates, and whether it runs today."""

    mentor_id: int
    mentor_name: str
    starts_on: date
    ends_on: date | None
    current: bool


def mentorships_as_mentee(session: Session, *, person_id: int, today: date) -> list[MentorshipPeriod]:
    """Every mentorship the person is mentored in, newest first (one query)."""
    rows = session.execute(
        select(
            Mentorship.mentor_id,
            Person.name,
            Mentorship.starts_on,
            Mentorship.ends_on,
            mentorship_runs_on(today),
        )
        .join(Person, Person.id == Mentorship.mentor_id)
        .where(Mentorship.mentee_id == person_id)
        .order_by(Mentorship.starts_on.desc(), Mentorship.id.desc())
    )
    return [MentorshipPeriod(mentor, name, start, end, bool(now)) for mentor, name, start, end, now in rows]


@dataclass(frozen=True)
class Overview:
    """Everything the follow-up page shows about one person."""

    year: int
    assignments: list[AssignedItem]
    in_progress: list[CourseState]
    completed: list[progress.CompletedCourse]
    quiz_results: list[QuizResult]
    jp_this_year: Decimal
    threads: list[feedback.Thread]
    mentorships: list[MentorshipPeriod]
    plan_status: str | None


def overview(
    session: Session,
    *,
    person: Person,
    today: date,
    timezone: ZoneInfo,
    outlines: LruCache[int, CourseOutline],
) -> Overview:
    """Everything about `person` that their mentor and supervisors follow (the caller has checked the scope)."""
    in_progress = progress.courses_in_progress(session, person_id=person.id)
    found = {version_id: outline_of(session, outlines, version_id) for _course, version_id in in_progress}
    states = progress.states_of(session, person_id=person.id, outlines=found)
    plan_status = session.scalar(
        select(DevelopmentPlan.status).where(
            DevelopmentPlan.person_id == person.id, DevelopmentPlan.year == today.year
        )
    )
    return Overview(
        year=today.year,
        assignments=assignments_of(session, person_id=person.id, today=today),
        in_progress=[states[version_id] for _course, version_id in in_progress],
        completed=progress.completions_of(session, person_id=person.id),
        quiz_results=quiz_results(session, person_id=person.id),
        jp_this_year=ledger.totals(session, person_id=person.id, year=today.year).approved,
        threads=feedback.threads_of(session, mentee_id=person.id),
        mentorships=mentorships_as_mentee(session, person_id=person.id, today=today),
        plan_status=plan_status,
    )


@dataclass(frozen=True)
class AssignableModule:
    """One choice of the assignment form: a whole course (`module_key` "") or one of its modules."""

    value: str
    course_title: str
    module_title: str | None


def assignable_choices(session: Session) -> list[AssignableModule]:
    """Every published course and each module of its current version, by course title (one query)."""
    rows = session.execute(
        select(Course.slug, CourseVersion.title, VersionModule.key, ModuleContent.title)
        .join(CourseVersion, CourseVersion.id == Course.current_version_id)
        .join(VersionModule, VersionModule.version_id == CourseVersion.id)
        .join(ModuleContent, ModuleContent.id == VersionModule.module_content_id)
        .where(Course.archived_at.is_(None))
        .order_by(CourseVersion.title, Course.id, VersionModule.position)
    )
    choices: list[AssignableModule] = []
    seen: set[str] = set()
    for slug, course_title, key, title in rows:
        if slug not in seen:
            seen.add(slug)
            choices.append(AssignableModule(value=slug, course_title=course_title, module_title=None))
        choices.append(AssignableModule(value=f"{slug}/{key}", course_title=course_title, module_title=title))
    return choices
