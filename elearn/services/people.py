"""Editing one person and their mentorships by hand: the browser's counterpart of the CSV import, with its rules.

The CSV import stays the bulk path; these functions change one record, check the same rules (e-mail unique
ignoring case, unit and position known, no overlapping mentorship of one pair, a mentor holds the `mentor` role),
refuse what would lock an administrator out of their own work, and write an audit entry with the old and new
value of every field that changed. A change of position rebuilds the person's standing against the new position's
standard in the same transaction. They flush and leave the commit to the caller.
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from elearn.models import Mentorship, Person, Position, Role, Unit
from elearn.orgdata.records import EMAIL_MAX, EMAIL_PATTERN, NAME_MAX
from elearn.people.mentoring import periods_overlap
from elearn.services import audit
from elearn.services.accounts import end_sessions
from elearn.services.competency_standing import refresh_standings

# Roles in the order they are stored in audit details (the order pages show them in).
ROLE_ORDER = tuple(Role)


class EditProblem(enum.StrEnum):
    """Why a change is refused (the admin area words each one in the reader's language)."""

    NAME_REQUIRED = "name_required"
    NAME_TOO_LONG = "name_too_long"
    EMAIL_INVALID = "email_invalid"
    EMAIL_TAKEN = "email_taken"
    UNIT_UNKNOWN = "unit_unknown"
    POSITION_UNKNOWN = "position_unknown"
    ROLES_REQUIRED = "roles_required"
    ROLE_UNKNOWN = "role_unknown"
    OWN_ADMIN_ROLE = "own_admin_role"
    OWN_DEACTIVATION = "own_deactivation"
    SAME_PERSON = "same_person"
    ENDS_BEFORE_START = "ends_before_start"
    OVERLAP = "overlap"
    ALREADY_ENDED = "already_ended"


@dataclass(frozen=True)
class FieldProblem:
    """One refused value: the field it belongs to and the rule it breaks."""

    field: str
    problem: EditProblem


class EditRefused(ValueError):
    """Every rule the requested change breaks; nothing was changed."""

    def __init__(self, problems: Collection[FieldProblem]) -> None:
        super().__init__(", ".join(f"{p.field}: {p.problem}" for p in problems))
        self.problems = tuple(problems)


def update_person(
    session: Session,
    person: Person,
    *,
    actor: Person,
    name: str,
    email: str | None,
    unit_id: int | None,
    position_id: int | None,
    roles: Collection[str],
    active: bool,
    now: datetime,
    today: date,
    ip: str | None = None,
) -> dict[str, dict[str, Any]]:
    """Apply the admin's edit of `person` and audit it; returns field -> {"old", "new"} (empty when unchanged).

    Deactivating someone ends their sessions on every device; moving them to another unit dates their joining
    it `today` (`Person.unit_since`, where "N days after joining the unit" due dates count from).
    """
    name, email = name.strip(), (email or "").strip().lower() or None
    wanted_roles = frozenset(roles)
    unit = session.get(Unit, unit_id) if unit_id is not None else None
    position = session.get(Position, position_id) if position_id is not None else None
    problems = [
        *_name_problems(name),
        *_email_problems(session, email, person),
        *([FieldProblem("unit", EditProblem.UNIT_UNKNOWN)] if unit_id is not None and unit is None else []),
        *(
            [FieldProblem("position", EditProblem.POSITION_UNKNOWN)]
            if position_id is not None and position is None
            else []
        ),
        *_role_problems(wanted_roles, person, actor),
    ]
    if person.id == actor.id and person.active and not active:
        problems.append(FieldProblem("active", EditProblem.OWN_DEACTIVATION))
    if problems:
        raise EditRefused(problems)
    changes = _differences(
        {
            "name": (person.name, name),
            "email": (person.email, email),
            "unit": (_unit_value(person.unit), _unit_value(unit)),
            "position": (_position_value(person.position), _position_value(position)),
            "roles": (_ordered_roles(person.roles), _ordered_roles(wanted_roles)),
            "active": (person.active, active),
        }
    )
    if not changes:
        return {}
    if "unit" in changes:
        person.unit_since = today if unit is not None else None
    person.name, person.email, person.unit, person.position, person.active = (
        name,
        email,
        unit,
        position,
        active,
    )
    person.set_roles(set(wanted_roles))
    ended = "active" in changes and not active
    if ended:
        end_sessions(session, person)
    _audit_change(session, person, actor=actor, changes=changes, now=now, ip=ip, sessions_ended=ended)
    session.flush()
    if "position" in changes:
        refresh_standings(session, person_ids=[person.id])
    return changes


def add_mentorship(
    session: Session,
    *,
    actor: Person,
    mentor: Person,
    mentee: Person,
    starts_on: date,
    ends_on: date | None,
    now: datetime,
    ip: str | None = None,
) -> Mentorship:
    """A new mentorship; the mentor gains the `mentor` role when they lack it (audited as a change of roles)."""
    problems = []
    if mentor.id == mentee.id:
        problems.append(FieldProblem("other_nip", EditProblem.SAME_PERSON))
    if ends_on is not None and ends_on < starts_on:
        problems.append(FieldProblem("ends_on", EditProblem.ENDS_BEFORE_START))
    elif _overlapping(session, mentor.id, mentee.id, starts_on, ends_on, apart_from=None):
        problems.append(FieldProblem("starts_on", EditProblem.OVERLAP))
    if problems:
        raise EditRefused(problems)
    if not mentor.has_role(Role.MENTOR):
        old_roles = _ordered_roles(mentor.roles)
        mentor.set_roles(set(mentor.roles) | {Role.MENTOR.value})
        roles_change = {"roles": {"old": old_roles, "new": _ordered_roles(mentor.roles)}}
        _audit_change(session, mentor, actor=actor, changes=roles_change, now=now, ip=ip)
    mentorship = Mentorship(mentor_id=mentor.id, mentee_id=mentee.id, starts_on=starts_on, ends_on=ends_on)
    session.add(mentorship)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="mentorship.added",
        target=mentee,
        ip=ip,
        at=now,
        mentorship_id=mentorship.id,
        mentor_id=mentor.id,
        mentee_id=mentee.id,
        starts_on=starts_on.isoformat(),
        ends_on=ends_on.isoformat() if ends_on else None,
    )
    session.flush()
    return mentorship


def end_mentorship(
    session: Session,
    mentorship: Mentorship,
    *,
    actor: Person,
    ends_on: date,
    today: date,
    now: datetime,
    ip: str | None = None,
) -> None:
    """Set the last day of a mentorship that has not ended yet (`ends_on` itself is still included)."""
    if mentorship.ends_on is not None and mentorship.ends_on < today:
        raise EditRefused([FieldProblem("ends_on", EditProblem.ALREADY_ENDED)])
    if ends_on < mentorship.starts_on:
        raise EditRefused([FieldProblem("ends_on", EditProblem.ENDS_BEFORE_START)])
    if _overlapping(
        session,
        mentorship.mentor_id,
        mentorship.mentee_id,
        mentorship.starts_on,
        ends_on,
        apart_from=mentorship.id,
    ):
        raise EditRefused([FieldProblem("ends_on", EditProblem.OVERLAP)])
    old = mentorship.ends_on
    mentorship.ends_on = ends_on
    audit.record(
        session,
        actor=actor,
        action="mentorship.ended",
        target=mentorship.mentee,
        ip=ip,
        at=now,
        mentorship_id=mentorship.id,
        mentor_id=mentorship.mentor_id,
        mentee_id=mentorship.mentee_id,
        starts_on=mentorship.starts_on.isoformat(),
        changes={"ends_on": {"old": old.isoformat() if old else None, "new": ends_on.isoformat()}},
    )
    session.flush()


def _name_problems(name: str) -> list[FieldProblem]:
    if not name:
        return [FieldProblem("name", EditProblem.NAME_REQUIRED)]
    if len(name) > NAME_MAX:
        return [FieldProblem("name", EditProblem.NAME_TOO_LONG)]
    return []


def _email_problems(session: Session, email: str | None, person: Person) -> list[FieldProblem]:
    """Stored e-mails are lower-case (a CHECK constraint says so), so equality ignores case."""
    if email is None:
        return []
    if len(email) > EMAIL_MAX or not EMAIL_PATTERN.fullmatch(email):
        return [FieldProblem("email", EditProblem.EMAIL_INVALID)]
    owner = session.scalar(select(Person.id).where(Person.email == email, Person.id != person.id))
    return [FieldProblem("email", EditProblem.EMAIL_TAKEN)] if owner is not None else []


def _role_problems(roles: frozenset[str], person: Person, actor: Person) -> list[FieldProblem]:
    if not roles:
        return [FieldProblem("roles", EditProblem.ROLES_REQUIRED)]
    if roles - set(Role):
        return [FieldProblem("roles", EditProblem.ROLE_UNKNOWN)]
    if person.id == actor.id and person.has_role(Role.ADMIN) and Role.ADMIN.value not in roles:
        return [FieldProblem("roles", EditProblem.OWN_ADMIN_ROLE)]
    return []


def _overlapping(
    session: Session,
    mentor_id: int,
    mentee_id: int,
    starts_on: date,
    ends_on: date | None,
    *,
    apart_from: int | None,
) -> bool:
    """Whether another mentorship of the same pair shares a day with the period."""
    periods = select(Mentorship.starts_on, Mentorship.ends_on).where(
        Mentorship.mentor_id == mentor_id, Mentorship.mentee_id == mentee_id
    )
    if apart_from is not None:
        periods = periods.where(Mentorship.id != apart_from)
    return any(periods_overlap(starts_on, ends_on, start, end) for start, end in session.execute(periods))


def _differences(values: dict[str, tuple[Any, Any]]) -> dict[str, dict[str, Any]]:
    return {field: {"old": old, "new": new} for field, (old, new) in values.items() if old != new}


def _unit_value(unit: Unit | None) -> dict[str, str] | None:
    """How a unit is kept in the audit log: its code and its name as they were then."""
    return {"code": unit.code, "name": unit.name} if unit is not None else None


def _position_value(position: Position | None) -> dict[str, str] | None:
    return {"code": position.code, "name": position.name} if position is not None else None


def _ordered_roles(roles: Collection[str]) -> list[str]:
    return [role.value for role in ROLE_ORDER if role.value in roles]


def _audit_change(
    session: Session,
    person: Person,
    *,
    actor: Person,
    changes: dict[str, dict[str, Any]],
    now: datetime,
    ip: str | None,
    sessions_ended: bool = False,
) -> None:
    extra = {"sessions_ended": True} if sessions_ended else {}
    audit.record(
        session, actor=actor, action="person.updated", target=person, ip=ip, at=now, changes=changes, **extra
    )
