"""Unit pickers that stay small: every unit while the viewer has few, otherwise the top levels (as many as fit
in `FULL_PICKER_UNITS`, at least one) plus the chosen unit's ancestors, siblings and sub-units, so a ministry's
thousands of units never go into one `<select>` on every page.

Choosing a unit and showing the page lists that unit's sub-units next: the picker is walked down the tree, one
level per choice, and works without JavaScript. Any unit of the viewer's can still be asked for by its code.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Select, String, false, func, literal, or_
from sqlalchemy.orm import Session

from elearn.models import Unit
from elearn.services.directory import UnitChoice, choices_in_tree_order, unit_choice_columns, unit_choices

# Up to this many units a picker lists them all; more are listed by levels.
FULL_PICKER_UNITS = 200


@dataclass(frozen=True)
class UnitPicker:
    """What a unit picker shows: the code asked for, the unit it names (if the viewer has it), and the options."""

    code: str
    chosen: UnitChoice | None
    choices: list[UnitChoice]
    partial: bool

    @property
    def missing(self) -> bool:
        """A code was asked for and names no unit of the viewer's."""
        return bool(self.code) and self.chosen is None


def unit_picker(session: Session, units: Select[Unit], code: str) -> UnitPicker:
    """The picker over `units` for `code`: one query while there are few units; otherwise the units counted per
    depth, the chosen one, and only the listed ones read (four small queries, whatever the number of units).

    Levels count from the shallowest of `units`, which is the tree's indent for a subtree scope; the top of every
    subtree among `units` is listed too (a supervisor heading units at several depths), its sub-units once chosen.
    """
    code = code.strip()
    few = session.execute(unit_choice_columns(units).limit(FULL_PICKER_UNITS + 1)).all()
    if len(few) <= FULL_PICKER_UNITS:
        return picker_of(choices_in_tree_order(few), code)
    per_depth = dict(
        session.execute(units.with_only_columns(Unit.depth, func.count()).group_by(Unit.depth)).all()
    )
    shallowest = min(per_depth)
    top = _top_levels(Counter({depth - shallowest: count for depth, count in per_depth.items()}))
    tops = or_(
        Unit.parent_id.is_(None), Unit.parent_id.not_in(units.with_only_columns(Unit.id).correlate(None))
    )
    listed = or_(Unit.depth < shallowest + top, tops)
    chosen = (
        session.execute(
            units.with_only_columns(Unit.id, Unit.parent_id, Unit.path).where(Unit.code == code)
        ).first()
        if code
        else None
    )
    if chosen is not None:
        ancestors_or_self = literal(chosen.path, String).startswith(Unit.path)
        siblings = Unit.parent_id == chosen.parent_id if chosen.parent_id is not None else false()
        listed = or_(listed, ancestors_or_self, siblings, Unit.parent_id == chosen.id)
    choices = unit_choices(session, units.where(listed))
    return UnitPicker(code, _with_code(choices, code), choices, partial=True)


def picker_of(choices: list[UnitChoice], code: str) -> UnitPicker:
    """The picker for `code` over units already read in full (pages whose figures need every unit anyway)."""
    code = code.strip()
    chosen = _with_code(choices, code)
    if len(choices) <= FULL_PICKER_UNITS:
        return UnitPicker(code, chosen, choices, partial=False)
    top = _top_levels(Counter(choice.indent for choice in choices))
    shown = [choice for choice in choices if _near(choice.path, choice.indent, top, chosen)]
    return UnitPicker(code, chosen, shown, partial=True)


def _with_code(choices: list[UnitChoice], code: str) -> UnitChoice | None:
    return next((choice for choice in choices if choice.code == code), None) if code else None


def _top_levels(per_level: Counter[int]) -> int:
    """How many levels from the top (units per level counted from 0) a partial picker lists: as many as fit in
    FULL_PICKER_UNITS, at least one."""
    shown, listed = 1, per_level[0]
    while per_level[shown] and listed + per_level[shown] <= FULL_PICKER_UNITS:
        listed += per_level[shown]
        shown += 1
    return shown


def _near(path: str, level: int, top: int, chosen: UnitChoice | None) -> bool:
    """Listed in a partial picker: the `top` levels, the chosen unit with its ancestors, its siblings and its
    sub-units."""
    if level < top:
        return True
    if chosen is None:
        return False
    return chosen.path.startswith(path) or _parent_path(path) in (chosen.path, _parent_path(chosen.path))


def _parent_path(path: str) -> str:
    """ "/1/5/12/" -> "/1/5/"."""
    return path[: path.rstrip("/").rfind("/") + 1]
