"""The unit tree: keeping each unit's materialised path right when units are created or moved."""

from __future__ import annotations

from sqlalchemy import func, update
from sqlalchemy.orm import Session

from elearn.models import Unit


def place_unit(session: Session, unit: Unit, parent: Unit | None) -> None:
    """Attach `unit` under `parent` (or at the root) and rewrite the paths of its whole subtree in one statement."""
    old_path = unit.path or ""
    if parent is not None and old_path and parent.path.startswith(old_path):
        raise ValueError(f"unit {unit.code} cannot be placed under its own descendant {parent.code}")
    if unit.id is None:
        session.add(unit)
        session.flush()
    unit.parent_id = parent.id if parent else None
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    unit.depth = parent.depth + 1 if parent else 0
    if old_path and old_path != unit.path:
        depth_shift = unit.depth - (old_path.count("/") - 2)
        session.execute(
            update(Unit)
            .where(Unit.path.startswith(old_path, autoescape=True), Unit.id != unit.id)
            .values(
                path=unit.path + func.substr(Unit.path, len(old_path) + 1), depth=Unit.depth + depth_shift
            )
            .execution_options(synchronize_session=False)
        )
    session.flush()


def create_unit(session: Session, *, code: str, name: str, parent: Unit | None = None) -> Unit:
    """A new unit placed in the tree."""
    unit = Unit(code=code, name=name)
    place_unit(session, unit, parent)
    return unit
