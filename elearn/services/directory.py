"""People and unit lists: search, filters, ordering, eager loading and counts applied to a scope's SELECT.

Every function takes a SELECT from `elearn.scope` and narrows it, so no filter can widen what a viewer sees.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, String, func, literal, or_, select
from sqlalchemy.orm import Session, aliased, joinedload

from elearn.models import Mentorship, Person, PersonRole, Position, Unit
from elearn.scope import PathWithin, mentorship_runs_on

# Three no-break spaces per level of the unit tree in a picker's options.
INDENT = "\u00a0" * 3


def matching_text(people: Select[Person], text: str) -> Select[Person]:
    """People whose name or e-mail contains `text`, or whose NIP starts with it (case-insensitive)."""
    text = text.strip()
    if not text:
        return people
    return people.where(
        or_(
            Person.name.icontains(text, autoescape=True),
            Person.nip.startswith(text, autoescape=True),
            Person.email.icontains(text, autoescape=True),
        )
    )


def in_unit_subtree(people: Select[Person], unit: Unit | UnitChoice) -> Select[Person]:
    """People placed in `unit` or any unit below it (an index range scan on the unit path)."""
    subtree = select(Unit.id).where(PathWithin(Unit.path, literal(unit.path, String)))
    return people.where(Person.unit_id.in_(subtree))


def holding_role(people: Select[Person], role: str) -> Select[Person]:
    """People who hold `role`."""
    return people.where(Person.id.in_(select(PersonRole.person_id).where(PersonRole.role == role)))


@dataclass(frozen=True)
class StatusCounts:
    """How many people are active (may sign in) and how many deactivated."""

    active: int
    inactive: int


def count(session: Session, statement: Select[Any]) -> int:
    """The number of rows `statement` returns (one COUNT query)."""
    return session.scalar(select(func.count()).select_from(statement.subquery())) or 0


def count_by_status(session: Session, people: Select[Person]) -> StatusCounts:
    """Active and deactivated `people`, counted in one query."""
    counted = people.subquery()
    active, total = session.execute(
        select(func.count().filter(counted.c.active.is_(True)), func.count()).select_from(counted)
    ).one()
    return StatusCounts(active=active, inactive=total - active)


def listed(people: Select[Person]) -> Select[Person]:
    """Stable alphabetical order with unit and position joined in (no query per row)."""
    return people.order_by(Person.name, Person.id).options(
        joinedload(Person.unit), joinedload(Person.position)
    )


def units_headed_by(session: Session, person: Person) -> list[Unit]:
    """The units `person` heads, in tree order (whatever their roles: this is the organisation's record)."""
    return list(session.scalars(select(Unit).where(Unit.head_id == person.id).order_by(Unit.path, Unit.id)))


@dataclass(frozen=True)
class UnitChoice:
    """One option of a unit picker: the unit's columns and how deep it sits among the viewer's units."""

    id: int
    code: str
    name: str
    path: str
    indent: int

    @property
    def label(self) -> str:
        """The option's text, indented under its parent with no-break spaces (options take no CSS)."""
        return f"{INDENT * self.indent}{self.name} ({self.code})"


def unit_choices(session: Session, units: Select[Unit]) -> list[UnitChoice]:
    """`units` as picker options in tree order, siblings by name, each indented below its nearest listed
    ancestor (one query for the columns only: fast with thousands of units)."""
    return choices_in_tree_order(session.execute(unit_choice_columns(units)).all())


def unit_choice_columns(units: Select[Unit]) -> Select[int, str, str, str]:
    """`units` reduced to the columns a picker option needs."""
    return units.with_only_columns(Unit.id, Unit.code, Unit.name, Unit.path)


def choices_in_tree_order(rows: Sequence[Any]) -> list[UnitChoice]:
    """Rows of `unit_choice_columns` as options in tree order, each indented below its nearest listed ancestor."""
    listed_ids = {row.id for row in rows}
    children: dict[int | None, list[Any]] = {}
    for row in sorted(rows, key=lambda r: (r.name.casefold(), r.id)):
        ancestors = [int(part) for part in row.path.strip("/").split("/")[:-1]]
        parent = next((a for a in reversed(ancestors) if a in listed_ids), None)
        children.setdefault(parent, []).append(row)
    ordered: list[UnitChoice] = []
    pending = [(row, 0) for row in reversed(children.get(None, []))]
    while pending:
        row, indent = pending.pop()
        ordered.append(UnitChoice(id=row.id, code=row.code, name=row.name, path=row.path, indent=indent))
        pending.extend((child, indent + 1) for child in reversed(children.get(row.id, [])))
    return ordered


def positions_by_name(session: Session) -> list[Position]:
    """Every position, by name (for the edit form's picker)."""
    return list(session.scalars(select(Position).order_by(Position.name, Position.id)))


def names_by_id(session: Session, person_ids: Iterable[int]) -> dict[int, str]:
    """Person id -> name for the given ids, in one query (ids of deleted people are simply absent)."""
    wanted = set(person_ids)
    if not wanted:
        return {}
    return {
        person_id: name
        for person_id, name in session.execute(select(Person.id, Person.name).where(Person.id.in_(wanted)))
    }


def person_with_nip(session: Session, people: Select[Person], nip: str) -> Person | None:
    """The person among `people` whose NIP (or NI PPPK) is `nip`, typed spaces ignored."""
    nip = "".join(nip.split())
    return session.scalar(people.where(Person.nip == nip)) if nip else None


def find_unit(session: Session, units: Select[Unit], code: str) -> Unit | None:
    """The unit with `code` if `units` holds it; a code outside the viewer's units finds nothing."""
    code = code.strip()
    return session.scalar(units.where(Unit.code == code)) if code else None


@dataclass(frozen=True)
class UnitHeadcount:
    """One unit of a tree with the people placed directly in it and in its whole subtree."""

    unit: Unit
    direct: int
    total: int
    children: tuple[UnitHeadcount, ...]


def headcounts(session: Session, unit_ids: Select[int] | list[int], people: Select[Person]) -> dict[int, int]:
    """Unit id -> number of `people` placed directly in it, for the given units (one grouped query)."""
    counted = people.subquery()
    rows = session.execute(
        select(counted.c.unit_id, func.count())
        .where(counted.c.unit_id.in_(unit_ids))
        .group_by(counted.c.unit_id)
    )
    return {unit_id: count for unit_id, count in rows}


def unit_forest(session: Session, units: Select[Unit], people: Select[Person]) -> list[UnitHeadcount]:
    """`units` as trees (roots: units whose parent is not among them) with direct and subtree headcounts."""
    loaded = list(session.scalars(units))
    direct = headcounts(session, units.with_only_columns(Unit.id), people)
    children: dict[int | None, list[Unit]] = {}
    known = {unit.id for unit in loaded}
    for unit in sorted(loaded, key=lambda u: (u.name.casefold(), u.id)):
        children.setdefault(unit.parent_id if unit.parent_id in known else None, []).append(unit)

    def build(unit: Unit) -> UnitHeadcount:
        kids = tuple(build(child) for child in children.get(unit.id, []))
        own = direct.get(unit.id, 0)
        return UnitHeadcount(unit=unit, direct=own, total=own + sum(k.total for k in kids), children=kids)

    return [build(root) for root in children.get(None, [])]


def current_mentors_of(person: Person, *, today: date) -> Select[Person]:
    """The people mentoring `person` on `today`, by name."""
    mentor_ids = select(Mentorship.mentor_id).where(
        Mentorship.mentee_id == person.id, mentorship_runs_on(today)
    )
    return (
        select(Person)
        .where(Person.active.is_(True), Person.id.in_(mentor_ids))
        .order_by(Person.name, Person.id)
    )


def mentorships_of(session: Session, person: Person, *, today: date) -> list[tuple[Mentorship, bool]]:
    """Every mentorship `person` is in, as mentor or mentee, newest first, with whether it runs `today`."""
    rows = session.execute(
        select(Mentorship, mentorship_runs_on(today))
        .where(or_(Mentorship.mentor_id == person.id, Mentorship.mentee_id == person.id))
        .options(joinedload(Mentorship.mentor), joinedload(Mentorship.mentee))
        .order_by(Mentorship.starts_on.desc(), Mentorship.id.desc())
    )
    return [(mentorship, bool(current)) for mentorship, current in rows]


def in_tree_order(units: Select[Unit]) -> Select[Unit]:
    """Units in path order (each parent right before its subtree) with their heads joined in."""
    return units.order_by(Unit.path, Unit.id).options(joinedload(Unit.head))


def matching_units(units: Select[Unit], text: str) -> Select[Unit]:
    """Units whose name contains `text` or whose code starts with it (case-insensitive)."""
    text = text.strip()
    if not text:
        return units
    return units.where(
        or_(Unit.name.icontains(text, autoescape=True), Unit.code.istartswith(text, autoescape=True))
    )


def subtree_headcounts(
    session: Session, unit_ids: Select[int] | list[int], people: Select[Person]
) -> dict[int, int]:
    """Unit id -> number of `people` in that unit and every unit below it (one grouped query)."""
    root = aliased(Unit, name="root_unit")
    counted = people.subquery()
    rows = session.execute(
        select(root.id, func.count(counted.c.id))
        .select_from(root)
        .join(Unit, PathWithin(Unit.path, root.path))
        .join(counted, counted.c.unit_id == Unit.id)
        .where(root.id.in_(unit_ids))
        .group_by(root.id)
    )
    return {unit_id: count for unit_id, count in rows}
