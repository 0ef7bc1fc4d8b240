"""Who may see whom, as SQL: every list, report, export and search starts from one of these SELECTs.

Rules (the union of everything that applies to the viewer; see docs/scope.md):
- an admin sees everyone, deactivated people included;
- a supervisor sees the active people in the subtree of every unit they head (`Unit.head_id`);
- a mentor sees their current, active mentees;
- everyone sees themself.
A role grants the kind of access and the data (headship, mentorship) gives its extent: a unit head without the
supervisor role, or a mentor whose role was withdrawn, sees no one through it.

Nothing here loads people or unit ids into Python: each rule is a subquery the database resolves through indexes
(subtree: a range scan of ix_elearn_unit_path per headed unit, ix_elearn_person_unit_id; mentees:
ix_elearn_mentorship_mentor_id). Only the paths of the units a viewer heads are read, once per request
(ix_elearn_unit_head_id), so the planner sees each subtree's real size. EXPLAIN ANALYZE on PostgreSQL 15 with
300,000 people: docs/scope.md.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Select,
    SQLColumnExpression,
    String,
    and_,
    bindparam,
    false,
    or_,
    select,
    union,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased, object_session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal
from werkzeug.exceptions import NotFound

from elearn.models import Mentorship, Person, Role, Unit

# Paths are "/1/5/12/", only digits and "/", both below ":": every path in P's subtree sorts in [P, P + ":").
_PATH_UPPER_BOUND_SUFFIX = ":"


class PathWithin(ColumnElement[bool]):
    """`path` lies in the subtree rooted at `root_path` (both SQL expressions), as an index range scan."""

    type = Boolean()
    inherit_cache = True
    _traverse_internals = [
        ("path", InternalTraversal.dp_clauseelement),
        ("root_path", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, path: SQLColumnExpression[str], root_path: SQLColumnExpression[str]) -> None:
        self.path = path
        self.root_path = root_path


@compiles(PathWithin)
def _path_within_binary(element: PathWithin, compiler: SQLCompiler, **kw: Any) -> str:
    """SQLite and other byte-ordered collations: a plain range the path index answers."""
    upper = element.root_path.concat(_PATH_UPPER_BOUND_SUFFIX)
    return compiler.process(and_(element.path >= element.root_path, element.path < upper), **kw)


@compiles(PathWithin, "postgresql")
def _path_within_postgresql(element: PathWithin, compiler: SQLCompiler, **kw: Any) -> str:
    """PostgreSQL: the byte-wise operators of `text_pattern_ops`, the operator class of ix_elearn_unit_path.

    `path LIKE root || '%'` would be correct too, but a pattern built from a column cannot use the index.
    """
    upper = element.root_path.concat(_PATH_UPPER_BOUND_SUFFIX).self_group()
    within = and_(
        element.path.op("~>=~", is_comparison=True)(element.root_path),
        element.path.op("~<~", is_comparison=True)(upper),
    )
    return compiler.process(within, **kw)


_HEADED_PATHS = "_elearn_headed_paths"


def headed_subtree_unit_ids(viewer: Person) -> Select[int]:
    """Ids of every unit in the subtree of a unit `viewer` heads (a person may head several).

    The headed units' paths are read once per loaded viewer (one indexed query, kept on the instance for the
    request) and written into the SQL as literals: a path joined from another row is something PostgreSQL cannot
    estimate at plan time, and it then plans a unit of 50 people like the whole organisation (walking the name
    index of every person; docs/benchmarks.md). A viewer outside any session falls back to that join.
    """
    paths = _headed_paths(viewer)
    if paths is None:
        headed = aliased(Unit, name="headed_unit")
        return (
            select(Unit.id)
            .join(headed, PathWithin(Unit.path, headed.path))
            .where(headed.head_id == viewer.id)
        )
    if not paths:
        return select(Unit.id).where(false())
    return select(Unit.id).where(
        or_(*(PathWithin(Unit.path, bindparam(None, path, String(), literal_execute=True)) for path in paths))
    )


def _headed_paths(viewer: Person) -> tuple[str, ...] | None:
    """The paths of the units `viewer` heads, read once per loaded instance; None when it has no session."""
    known: tuple[str, ...] | None = viewer.__dict__.get(_HEADED_PATHS)
    if known is not None:
        return known
    session = object_session(viewer)
    if session is None or viewer.id is None:
        return None
    found = tuple(session.scalars(select(Unit.path).where(Unit.head_id == viewer.id).order_by(Unit.path)))
    viewer.__dict__[_HEADED_PATHS] = found
    return found


def mentorship_runs_on(today: date) -> ColumnElement[bool]:
    """SQL: the mentorship has started and not yet ended on `today` (an end date is the last day included)."""
    return and_(Mentorship.starts_on <= today, or_(Mentorship.ends_on.is_(None), Mentorship.ends_on >= today))


def current_mentee_ids(viewer: Person, *, today: date) -> Select[int]:
    """Ids of the people `viewer` mentors on `today`."""
    return select(Mentorship.mentee_id).where(Mentorship.mentor_id == viewer.id, mentorship_runs_on(today))


def people_visible_to(viewer: Person, *, today: date) -> Select[Person]:
    """Everyone `viewer` may see: admin all; else self, headed subtrees and current mentees, active only."""
    if viewer.has_role(Role.ADMIN):
        return select(Person)
    visible_ids: list[Select[int]] = [select(Person.id).where(Person.id == viewer.id)]
    if viewer.has_role(Role.SUPERVISOR):
        visible_ids.append(select(Person.id).where(Person.unit_id.in_(headed_subtree_unit_ids(viewer))))
    if viewer.has_role(Role.MENTOR):
        visible_ids.append(current_mentee_ids(viewer, today=today))
    return select(Person).where(Person.active.is_(True), Person.id.in_(union(*visible_ids)))


def people_supervised_by(viewer: Person) -> Select[Person]:
    """The supervisor area's people: active people in the subtrees `viewer` heads (none without the role)."""
    if not viewer.has_role(Role.SUPERVISOR):
        return select(Person).where(false())
    return select(Person).where(Person.active.is_(True), Person.unit_id.in_(headed_subtree_unit_ids(viewer)))


def mentees_of(viewer: Person, *, today: date) -> Select[Person]:
    """The mentor area's people: `viewer`'s current, active mentees (a past mentee is no longer theirs)."""
    if not viewer.has_role(Role.MENTOR):
        return select(Person).where(false())
    return select(Person).where(
        Person.active.is_(True), Person.id.in_(current_mentee_ids(viewer, today=today))
    )


def units_supervised_by(viewer: Person) -> Select[Unit]:
    """The supervisor area's units: the subtrees of the units `viewer` heads (none without the role)."""
    if not viewer.has_role(Role.SUPERVISOR):
        return select(Unit).where(false())
    return select(Unit).where(Unit.id.in_(headed_subtree_unit_ids(viewer)))


def units_visible_to(viewer: Person) -> Select[Unit]:
    """Units whose people `viewer` may browse as a whole: admin all, a supervisor their headed subtrees."""
    if viewer.has_role(Role.ADMIN):
        return select(Unit)
    return units_supervised_by(viewer)


def can_view(session: Session, viewer: Person, person: Person, *, today: date) -> bool:
    """Whether `person` is in `viewer`'s scope on `today` (one EXISTS query)."""
    visible = people_visible_to(viewer, today=today).where(Person.id == person.id)
    return bool(session.scalar(select(visible.exists())))


def person_among_or_404(session: Session, people: Select[Person], person_id: int) -> Person:
    """The person with `person_id` if `people` holds them; unknown and out-of-scope both answer 404."""
    person = session.scalar(people.where(Person.id == person_id))
    if person is None:
        raise NotFound()
    return person


def visible_person_or_404(session: Session, viewer: Person, person_id: int, *, today: date) -> Person:
    """The person if `viewer` may see them on `today`; otherwise 404, exactly as if they did not exist."""
    return person_among_or_404(session, people_visible_to(viewer, today=today), person_id)
