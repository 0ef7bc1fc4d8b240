"""The competency framework and position standards (SKJ) by hand: the admin pages' queries and single edits.

The bulk path is `elearn.services.framework_import`; these functions change one competency or one standard line
with the same rules (technical competencies only, dictionary and course codes untouchable, levels 1-5), audit
the change, and rebuild the standings of a changed position's holders in the same transaction. They flush and
leave the commit to the caller.
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from elearn.competency.files import CODE_MAX, COMPETENCY_CODE, LEVELS, NAME_MAX, TEXT_MAX
from elearn.models import Competency, CompetencyKind, Person, Position, PositionStandard
from elearn.services import audit
from elearn.services.competency import ADMIN_SOURCE, DICTIONARY_SOURCE, upsert_competencies
from elearn.services.competency_standing import refresh_standings
from elearn.services.framework_import import technical_definition

KIND_ORDER = (CompetencyKind.MANAJERIAL, CompetencyKind.SOSIAL_KULTURAL, CompetencyKind.TEKNIS)


class FrameworkProblem(enum.StrEnum):
    """Why an edit of the framework is refused (the admin area words each one)."""

    REQUIRED = "required"
    TOO_LONG = "too_long"
    CODE_INVALID = "code_invalid"
    CODE_TAKEN = "code_taken"
    LEVEL_INVALID = "level_invalid"
    COMPETENCY_UNKNOWN = "competency_unknown"


@dataclass(frozen=True)
class FieldProblem:
    """One refused value: the form field it belongs to and the rule it breaks."""

    field: str
    problem: FrameworkProblem


class FrameworkEditRefused(ValueError):
    """Every rule the requested change breaks; nothing was changed."""

    def __init__(self, problems: Collection[FieldProblem]) -> None:
        super().__init__(", ".join(f"{p.field}: {p.problem}" for p in problems))
        self.problems = tuple(problems)


@dataclass(frozen=True)
class LevelInput:
    """What an admin typed for one level: its description and indicators (one per line)."""

    description: str
    indicators: tuple[str, ...] = ()


# The framework list and one competency.


def competencies(kind: str = "", query: str = "") -> Select[Competency]:
    """Competencies of `kind` (any when empty) whose code starts with, or whose name holds, `query`; by code."""
    chosen = select(Competency)
    if kind in set(CompetencyKind):
        chosen = chosen.where(Competency.kind == kind)
    query = query.strip()
    if query:
        chosen = chosen.where(
            or_(
                Competency.code.istartswith(query, autoescape=True),
                Competency.name.icontains(query, autoescape=True),
            )
        )
    return chosen.order_by(Competency.code, Competency.id)


def competency_with_levels(session: Session, competency_id: int) -> Competency | None:
    """One competency with its five levels."""
    return session.scalar(
        select(Competency).where(Competency.id == competency_id).options(selectinload(Competency.levels))
    )


def is_editable(competency: Competency) -> bool:
    """Only technical competencies that administrators keep; the dictionary and courses own the others."""
    return competency.source == ADMIN_SOURCE and competency.kind == CompetencyKind.TEKNIS.value


def owned_by_course(competency: Competency) -> bool:
    """Whether a course file defines this competency (so it is changed there)."""
    return competency.source not in (ADMIN_SOURCE, DICTIONARY_SOURCE)


def save_technical(
    session: Session,
    *,
    competency: Competency | None,
    code: str,
    name: str,
    definition: str,
    levels: Mapping[int, LevelInput],
    actor: Person,
    now: datetime,
    ip: str | None = None,
) -> Competency:
    """Add a technical competency (`competency` None) or change an editable one (its code stays); audited.

    Raises FrameworkEditRefused with every problem; ValueError for a competency that is not editable.
    """
    if competency is not None and not is_editable(competency):
        raise ValueError("only technical competencies kept by administrators can be edited")
    code = competency.code if competency is not None else code.strip()
    name, definition = name.strip(), " ".join(definition.split())
    cleaned = {
        number: LevelInput(
            " ".join(levels[number].description.split()) if number in levels else "",
            tuple(
                item.strip()
                for item in (levels[number].indicators if number in levels else ())
                if item.strip()
            ),
        )
        for number in LEVELS
    }
    problems = [
        *(_code_problems(session, code) if competency is None else []),
        *_text_problems("name", name, NAME_MAX),
        *_text_problems("definition", definition, TEXT_MAX),
    ]
    for number, level in cleaned.items():
        problems.extend(_text_problems(f"level_{number}", level.description, TEXT_MAX))
        if any(len(item) > TEXT_MAX for item in level.indicators):
            problems.append(FieldProblem(f"indicators_{number}", FrameworkProblem.TOO_LONG))
    if problems:
        raise FrameworkEditRefused(problems)
    before = _snapshot(competency) if competency is not None else None
    upsert_competencies(
        session,
        [
            technical_definition(
                code=code,
                name=name,
                definition=definition,
                levels={n: (level.description, level.indicators) for n, level in cleaned.items()},
            )
        ],
        source=ADMIN_SOURCE,
    )
    saved = session.scalars(
        select(Competency).where(Competency.code == code).options(selectinload(Competency.levels))
    ).one()
    after = _snapshot(saved)
    if before is None:
        audit.record(
            session,
            actor=actor,
            action="competency.created",
            target=saved,
            ip=ip,
            at=now,
            code=code,
            name=name,
        )
    elif before != after:
        changes = {key: {"old": before[key], "new": after[key]} for key in after if before[key] != after[key]}
        audit.record(
            session,
            actor=actor,
            action="competency.updated",
            target=saved,
            ip=ip,
            at=now,
            code=code,
            changes=changes,
        )
    session.flush()
    return saved


def _snapshot(competency: Competency) -> dict[str, Any]:
    """What the audit compares: name, definition and each level's description and indicators."""
    values: dict[str, Any] = {"name": competency.name, "definition": competency.definition}
    for level in competency.levels:
        values[f"level_{level.level}"] = level.description
        values[f"indicators_{level.level}"] = list(level.indicators)
    return values


def _code_problems(session: Session, code: str) -> list[FieldProblem]:
    if not code:
        return [FieldProblem("code", FrameworkProblem.REQUIRED)]
    if len(code) > CODE_MAX or not COMPETENCY_CODE.fullmatch(code):
        return [FieldProblem("code", FrameworkProblem.CODE_INVALID)]
    taken = session.scalar(select(Competency.id).where(func.lower(Competency.code) == code.lower()))
    return [FieldProblem("code", FrameworkProblem.CODE_TAKEN)] if taken is not None else []


def _text_problems(field: str, value: str, limit: int) -> list[FieldProblem]:
    if not value:
        return [FieldProblem(field, FrameworkProblem.REQUIRED)]
    if len(value) > limit:
        return [FieldProblem(field, FrameworkProblem.TOO_LONG)]
    return []


# Positions and their standards.


def positions(query: str = "") -> Select[Position]:
    """Positions whose code starts with, or whose name holds, `query` (all when empty)."""
    chosen = select(Position)
    query = query.strip()
    if query:
        chosen = chosen.where(
            or_(
                Position.code.istartswith(query, autoescape=True),
                Position.name.icontains(query, autoescape=True),
            )
        )
    return chosen


def standard_sizes(session: Session, position_ids: Sequence[int]) -> dict[int, int]:
    """How many competencies each of `position_ids` requires (one grouped query for a page of positions)."""
    if not position_ids:
        return {}
    rows = (
        select(PositionStandard.position_id, func.count())
        .where(PositionStandard.position_id.in_(position_ids))
        .group_by(PositionStandard.position_id)
    )
    return {position_id: count for position_id, count in session.execute(rows)}


@dataclass(frozen=True)
class StandardLine:
    """One competency a position requires, at its level."""

    competency_id: int
    code: str
    name: str
    kind: str
    required_level: int


def standard_of(session: Session, position_id: int) -> list[StandardLine]:
    """A position's standard: managerial first, then socio-cultural, then technical, each by code."""
    order = {kind.value: position for position, kind in enumerate(KIND_ORDER)}
    rows = session.execute(
        select(
            Competency.id, Competency.code, Competency.name, Competency.kind, PositionStandard.required_level
        )
        .join(Competency, Competency.id == PositionStandard.competency_id)
        .where(PositionStandard.position_id == position_id)
    )
    lines = [StandardLine(*row) for row in rows]
    return sorted(lines, key=lambda line: (order.get(line.kind, len(order)), line.code))


def holder_count(session: Session, position_id: int) -> int:
    """How many people hold the position (whose standings a change rebuilds)."""
    return (
        session.scalar(select(func.count()).select_from(Person).where(Person.position_id == position_id)) or 0
    )


def competency_choices(session: Session) -> list[tuple[int, str, str, str]]:
    """(id, code, name, kind) of every competency, by code, for the standard form's picker."""
    rows = session.execute(
        select(Competency.id, Competency.code, Competency.name, Competency.kind).order_by(Competency.code)
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]  # rows of four columns


def set_required_level(
    session: Session,
    position: Position,
    *,
    competency_id: int | None,
    level: int | None,
    actor: Person,
    now: datetime,
    ip: str | None = None,
) -> bool:
    """Require `competency_id` at `level` of `position` (None removes it from the standard); rebuild the
    standings of the position's holders and audit it. False when nothing changed."""
    competency = session.get(Competency, competency_id) if competency_id is not None else None
    problems = []
    if competency is None:
        problems.append(FieldProblem("competency", FrameworkProblem.COMPETENCY_UNKNOWN))
    if level is not None and level not in LEVELS:
        problems.append(FieldProblem("level", FrameworkProblem.LEVEL_INVALID))
    if problems or competency is None:
        raise FrameworkEditRefused(problems)
    line = session.get(PositionStandard, (position.id, competency.id))
    old = line.required_level if line is not None else None
    if old == level:
        return False
    if level is None and line is not None:
        session.delete(line)
    elif line is None and level is not None:
        session.add(
            PositionStandard(position_id=position.id, competency_id=competency.id, required_level=level)
        )
    elif line is not None and level is not None:
        line.required_level = level
    session.flush()
    refresh_standings(session, position_ids=[position.id])
    audit.record(
        session,
        actor=actor,
        action="standard.removed" if level is None else "standard.set",
        target=position,
        ip=ip,
        at=now,
        position={"code": position.code, "name": position.name},
        competency={"code": competency.code, "name": competency.name},
        changes={"required_level": {"old": old, "new": level}},
    )
    session.flush()
    return True
