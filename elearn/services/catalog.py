"""The catalogue: every published course, searchable and filterable, with the reader's own status in each; courses
the reader has been assigned and not finished come first, with the due date and who assigned them.

One page costs a fixed number of queries whatever the number of courses: the matching versions (paged), their
count, their competencies, the reader's progress and completions, and their open assignments for the page's courses.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from elearn.courses.journey import CompetencyRef
from elearn.models import Competency, Course, CourseCompetency, CourseVersion, ModuleProgress
from elearn.services.assignment_status import (
    CourseAssignment,
    open_assignment_exists,
    open_assignments_by_course,
)
from elearn.services.progress import completed_course_ids

LANGUAGES = ("id", "en")


@dataclass(frozen=True)
class CatalogFilter:
    """What the reader asked for: text, a competency (and minimum level), a JP range and a language."""

    text: str = ""
    competency: str = ""
    min_level: int | None = None
    min_jp: Decimal | None = None
    max_jp: Decimal | None = None
    language: str = ""


@dataclass(frozen=True)
class CourseCard:
    """One course as the catalogue shows it, with the reader's status."""

    slug: str
    title: str
    summary: str
    language: str
    jp: Decimal
    competencies: tuple[CompetencyRef, ...]
    status: str  # "new", "in_progress" or "completed"
    assignment: CourseAssignment | None = None


@dataclass(frozen=True)
class CatalogPage:
    """One page of the catalogue and how many courses match in all."""

    cards: tuple[CourseCard, ...]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages the matching courses fill."""
        return max(1, -(-self.total // self.per_page))


def published_versions() -> Select[CourseVersion]:
    """The current version of every course that is not archived."""
    return (
        select(CourseVersion)
        .join(Course, Course.current_version_id == CourseVersion.id)
        .where(Course.archived_at.is_(None))
    )


def matching(versions: Select[CourseVersion], wanted: CatalogFilter) -> Select[CourseVersion]:
    """`versions` narrowed by the filter; competency and level filter on what completing the version proves."""
    text = wanted.text.strip()
    if text:
        versions = versions.where(
            or_(
                CourseVersion.title.icontains(text, autoescape=True),
                CourseVersion.summary.icontains(text, autoescape=True),
            )
        )
    if wanted.competency or wanted.min_level:
        condition = CourseCompetency.version_id == CourseVersion.id
        if wanted.competency:
            condition = and_(condition, CourseCompetency.competency_code == wanted.competency)
        if wanted.min_level:
            condition = and_(condition, CourseCompetency.level >= wanted.min_level)
        versions = versions.where(exists().where(condition))
    if wanted.min_jp is not None:
        versions = versions.where(CourseVersion.jp >= wanted.min_jp)
    if wanted.max_jp is not None:
        versions = versions.where(CourseVersion.jp <= wanted.max_jp)
    if wanted.language in LANGUAGES:
        versions = versions.where(CourseVersion.language == wanted.language)
    return versions


def catalog_page(
    session: Session, *, person_id: int, wanted: CatalogFilter, page: int, per_page: int
) -> CatalogPage:
    """One page of matching courses by title, with their competencies and the reader's status."""
    page = max(page, 1)
    versions = matching(published_versions(), wanted)
    total = session.scalar(select(func.count()).select_from(versions.subquery())) or 0
    rows = list(
        session.execute(
            versions.with_only_columns(
                CourseVersion.id,
                CourseVersion.course_id,
                Course.slug,
                CourseVersion.title,
                CourseVersion.summary,
                CourseVersion.language,
                CourseVersion.jp,
            )
            .order_by(
                case((open_assignment_exists(person_id), 0), else_=1), CourseVersion.title, CourseVersion.id
            )
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    competencies = competencies_of(session, [row.id for row in rows])
    course_ids = [row.course_id for row in rows]
    completed = completed_course_ids(session, person_id=person_id, course_ids=course_ids)
    assigned = open_assignments_by_course(session, person_id=person_id, course_ids=course_ids)
    started = set(
        session.scalars(
            select(ModuleProgress.course_id)
            .where(ModuleProgress.person_id == person_id, ModuleProgress.course_id.in_(course_ids))
            .distinct()
        )
    )
    cards = tuple(
        CourseCard(
            slug=row.slug,
            title=row.title,
            summary=row.summary,
            language=row.language,
            jp=row.jp,
            competencies=competencies.get(row.id, ()),
            status="completed"
            if row.course_id in completed
            else "in_progress"
            if row.course_id in started
            else "new",
            assignment=assigned.get(row.course_id),
        )
        for row in rows
    )
    return CatalogPage(cards=cards, total=total, page=page, per_page=per_page)


def competencies_of(session: Session, version_ids: list[int]) -> dict[int, tuple[CompetencyRef, ...]]:
    """Version id -> the competencies (with names) it proves, for several versions in one query."""
    if not version_ids:
        return {}
    found: dict[int, list[CompetencyRef]] = {}
    rows = session.execute(
        select(
            CourseCompetency.version_id,
            CourseCompetency.competency_code,
            Competency.name,
            CourseCompetency.level,
        )
        .join(Competency, Competency.code == CourseCompetency.competency_code)
        .where(CourseCompetency.version_id.in_(version_ids))
        .order_by(CourseCompetency.competency_code)
    )
    for version_id, code, name, level in rows:
        found.setdefault(version_id, []).append(CompetencyRef(code, name, level))
    return {version_id: tuple(refs) for version_id, refs in found.items()}


def competency_choices(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every competency some published course proves, for the catalogue's filter."""
    rows = session.execute(
        select(Competency.code, Competency.name)
        .where(
            Competency.code.in_(
                select(CourseCompetency.competency_code).join(
                    Course, Course.current_version_id == CourseCompetency.version_id
                )
            )
        )
        .order_by(Competency.code)
    )
    return [(code, name) for code, name in rows]
