"""How the role areas present people: paged lists and the human names of roles (pages and exports alike)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app, render_template, request
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import Select
from sqlalchemy.orm import Session

from elearn.models import Person, Role, Unit
from elearn.services import directory
from elearn.services.directory import UnitChoice
from elearn.state import elearn_state

# In the order roles are shown everywhere: what everyone is first, what only a few are last.
ROLE_LABELS: dict[Role, LazyString] = {
    Role.EMPLOYEE: _l("Pegawai"),
    Role.MENTOR: _l("Mentor"),
    Role.TRAINER: _l("Pengajar"),
    Role.SUPERVISOR: _l("Atasan"),
    Role.ADMIN: _l("Administrator"),
}


def role_labels(roles: Iterable[str]) -> list[str]:
    """The labels of `roles` in the current language, in ROLE_LABELS order (unknown codes are left out)."""
    held = set(roles)
    return [str(label) for role, label in ROLE_LABELS.items() if role in held]


def template_globals() -> dict[str, Any]:
    """What the people macros of `_people.html` need: the role labels, one source for pages and exports."""
    return {"role_labels": ROLE_LABELS}


def paginate(statement: Select[Any]) -> Pagination:
    """One page of `statement` (which must be ordered) plus its total; a page past the end is simply empty."""
    return elearn_state().db.paginate(
        statement,
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["ELEARN_PAGE_SIZE"],
        max_per_page=None,
        error_out=False,
    )


class RowPagination(SelectPagination):
    """A page of rows (several columns each), where Flask-SQLAlchemy's own pagination keeps only the first."""

    def _query_items(self) -> list[Any]:
        statement = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(statement).all())


def paginate_rows(statement: Select[Any]) -> Pagination:
    """One page of the rows of `statement` (which must be ordered) plus their total."""
    return RowPagination(
        select=statement,
        session=elearn_state().db.session,
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["ELEARN_PAGE_SIZE"],
        max_per_page=None,
        error_out=False,
    )


def filtered_people(
    session: Session, people: Select[Person], units: Select[Unit]
) -> tuple[Select[Person], Unit | None]:
    """`people` narrowed by the `q` and `unit` (a code among `units`, subtree included) parameters; the unit found.

    For exports, which need the one unit asked for; list pages use `people_list_page`, which loads the picker.
    """
    unit = directory.find_unit(session, units, _unit_code())
    return _narrowed(people, unit), unit


def people_list_page(
    template: str, session: Session, people: Select[Person], units: Select[Unit], **context: Any
) -> str:
    """One page of `people`, filtered by the `q` and `unit` parameters, with a picker of `units` (one query,
    which also finds the unit asked for) and the filters echoed back, so the search form keeps them."""
    choices = directory.unit_choices(session, units)
    code = _unit_code()
    chosen = next((choice for choice in choices if choice.code == code), None)
    return render_template(
        template,
        pagination=paginate(directory.listed(_narrowed(people, chosen))),
        query=request.args.get("q", ""),
        unit_code=code,
        unit_choices=choices,
        chosen_unit=chosen,
        **context,
    )


def _unit_code() -> str:
    return request.args.get("unit", "").strip()


def _narrowed(people: Select[Person], unit: Unit | UnitChoice | None) -> Select[Person]:
    narrowed = directory.matching_text(people, request.args.get("q", ""))
    return directory.in_unit_subtree(narrowed, unit) if unit is not None else narrowed
