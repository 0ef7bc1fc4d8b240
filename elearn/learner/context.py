"""What every learner view needs: the signed-in person, and a published course with its outline (and the person's
state in it) or a 404."""

from __future__ import annotations

from dataclasses import dataclass

from flask_login import current_user
from werkzeug.exceptions import NotFound

from elearn.courses.journey import CourseOutline, CourseState, ModuleOutline
from elearn.models import Person
from elearn.services import progress
from elearn.services.content import module_html
from elearn.services.outlines import current_version, outline_of
from elearn.state import db_session, module_htmls, outlines


def me() -> Person:
    """The signed-in person as a model object (the proxy is not a Person)."""
    person: Person = current_user._get_current_object()
    return person


def course_or_404(slug: str) -> CourseOutline:
    """The current version of the published course `slug`; unknown and archived courses are a 404."""
    session = db_session()
    published = current_version(session, slug)
    if published is None:
        raise NotFound()
    return outline_of(session, outlines(), published.version_id)


@dataclass(frozen=True)
class ModuleAddress:
    """A module found by course slug and module key."""

    outline: CourseOutline
    module: ModuleOutline


def course_state_or_404(slug: str) -> CourseState:
    """The signed-in person's state in the published course `slug` (its outline included), or a 404."""
    state = progress.state_by_slug(db_session(), outlines(), person_id=me().id, slug=slug)
    if state is None:
        raise NotFound()
    return state


def module_or_404(slug: str, key: str) -> tuple[ModuleAddress, CourseState]:
    """The module `key` of the published course `slug` and the signed-in person's state in that course, or a 404."""
    state = course_state_or_404(slug)
    module = state.outline.module(key)
    if module is None:
        raise NotFound()
    return ModuleAddress(outline=state.outline, module=module), state


def module_html_of(address: ModuleAddress) -> str:
    """The module's stored HTML (a lesson's text, a quiz's or survey's introduction), cached per process."""
    return module_html(
        db_session(),
        module_htmls(),
        version_id=address.outline.version_id,
        content_id=address.module.content_id,
    )
