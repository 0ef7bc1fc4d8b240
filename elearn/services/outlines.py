"""Course outlines: a published version as learner pages read it, cached per process since versions never change.

A page finds the course's current version with one indexed lookup (`current_version`) and takes the outline from
the app's cache (`outline_of`, with `elearn.state.outlines()`); module HTML is cached per version and content
(`services.content.module_html`), so a renderer upgrade, which re-renders HTML in place under a new version, is
seen at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from elearn.courses.journey import CompetencyRef, CourseOutline, ModuleOutline
from elearn.lru import LruCache
from elearn.models import Competency, Course, CourseCompetency, CourseVersion, ModuleContent, VersionModule


@dataclass(frozen=True)
class PublishedCourse:
    """A course that is in the catalogue: its id and current version."""

    course_id: int
    version_id: int


def current_version(session: Session, slug: str) -> PublishedCourse | None:
    """The published (not archived) course with `slug` and its current version, or None."""
    row = session.execute(
        select(Course.id, Course.current_version_id).where(
            Course.slug == slug, Course.archived_at.is_(None), Course.current_version_id.is_not(None)
        )
    ).first()
    if row is None or row[1] is None:
        return None
    return PublishedCourse(course_id=row[0], version_id=row[1])


def outline_of(session: Session, cache: LruCache[int, CourseOutline], version_id: int) -> CourseOutline:
    """The outline of version `version_id`, from `cache` or read once (versions never change)."""
    return cache.get(version_id, lambda: load_outline(session, version_id))


def load_outline(session: Session, version_id: int) -> CourseOutline:
    """Build the outline of one version (three queries: version, modules, competencies)."""
    version, slug = session.execute(
        select(CourseVersion, Course.slug)
        .join(Course, Course.id == CourseVersion.course_id)
        .where(CourseVersion.id == version_id)
    ).one()
    modules = session.execute(
        select(
            VersionModule.key,
            VersionModule.position,
            ModuleContent.id,
            ModuleContent.title,
            ModuleContent.kind,
            ModuleContent.minutes,
            ModuleContent.required,
            ModuleContent.settings,
        )
        .join(ModuleContent, ModuleContent.id == VersionModule.module_content_id)
        .where(VersionModule.version_id == version_id)
        .order_by(VersionModule.position)
    ).all()
    competencies = session.execute(
        select(CourseCompetency.competency_code, Competency.name, CourseCompetency.level)
        .join(Competency, Competency.code == CourseCompetency.competency_code)
        .where(CourseCompetency.version_id == version_id)
        .order_by(CourseCompetency.competency_code)
    ).all()
    rule = version.completion_rule or {}
    return CourseOutline(
        course_id=version.course_id,
        slug=slug,
        version_id=version.id,
        version_number=version.number,
        title=version.title,
        summary=version.summary,
        language=version.language,
        jp=version.jp,
        valid_years=version.valid_years,
        prerequisites=tuple(version.prerequisites or ()),
        required_modules=tuple(rule.get("required_modules", ())),
        posttest_pass=bool(rule.get("posttest_pass", False)),
        pretest_first=bool(rule.get("pretest_first", False)),
        overview_html=version.overview_html,
        competencies=tuple(CompetencyRef(code, name, level) for code, name, level in competencies),
        modules=tuple(
            ModuleOutline(
                key=row.key,
                position=row.position,
                title=row.title,
                kind=row.kind,
                minutes=row.minutes,
                required=row.required,
                content_id=row.id,
                settings=dict(row.settings or {}),
            )
            for row in modules
        ),
    )
