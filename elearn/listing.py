"""How the role areas present people: paged lists and the human names of roles (pages and exports alike)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import current_app, render_template, request, url_for
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import Select, func, literal, select, tuple_
from sqlalchemy.orm import QueryableAttribute, Session, joinedload

from elearn.models import Person, Role, Unit
from elearn.services import directory
from elearn.services.directory import UnitChoice
from elearn.services.unit_picker import unit_picker
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


# The query parameters of a keyset page: the row the page starts after, the row it ends before, or the last page.
AFTER, BEFORE, LAST = "setelah", "sebelum", "akhir"


@dataclass(frozen=True)
class KeysetPage:
    """One page of a list read after (or before) a known row, so page 2,000 costs what page 1 does; the links
    to the neighbouring pages and where the page sits in the whole list (first_number of total)."""

    items: Sequence[Any]
    total: int
    first_number: int
    first_url: str | None
    previous_url: str | None
    next_url: str | None
    last_url: str | None

    @property
    def last_number(self) -> int:
        """The position of the page's last row (first_number - 1 on an empty page)."""
        return self.first_number + len(self.items) - 1


def keyset_page(
    session: Session,
    rows: Select[Any],
    order: Sequence[QueryableAttribute[Any]],
    *,
    options: Sequence[Any] = (),
) -> KeysetPage:
    """The page of `rows` the AFTER/BEFORE/LAST parameters ask for, in ascending `order` (its last column the
    rows' unique id), loading `options` with the rows: one statement for the rows and one for the total and
    position (none when the first page holds everything).

    The cursor is an id only; the boundary row's other keys are read from `rows` itself in the same statement, so
    an id outside the viewer's scope (or since deleted) gives an empty page and reveals nothing.
    """
    per_page = int(current_app.config["ELEARN_PAGE_SIZE"])
    key, id_column = tuple_(*order), order[-1]
    after, before = _cursor(AFTER), _cursor(BEFORE)
    backwards = before is not None or (after is None and LAST in request.args)
    boundary_id = before if before is not None else after
    page = rows
    if boundary_id is not None:
        boundary_row = rows.where(id_column == boundary_id)
        boundary = tuple_(
            *(boundary_row.with_only_columns(column).scalar_subquery() for column in order[:-1]),
            literal(boundary_id),
        )
        page = page.where(key < boundary if backwards else key > boundary)
    ordered = page.order_by(*((column.desc() for column in order) if backwards else order))
    fetched = list(session.execute(ordered.options(*options).limit(per_page + 1)).all())
    items = [row[0] if len(row) == 1 else row for row in fetched[:per_page]]
    more = len(fetched) > per_page
    if backwards:
        items.reverse()
    if boundary_id is None and not backwards and not more:
        total, first_number = len(items), 1
    else:
        counted = rows.with_only_columns(*order).subquery()
        counted_key = tuple_(*(counted.c[column.key] for column in order))
        if boundary_id is None:
            total = session.execute(select(func.count()).select_from(counted)).scalar_one()
            first_number = total - len(items) + 1 if backwards else 1
        elif before is not None:
            preceding = func.count().filter(counted_key < boundary)
            total, earlier = session.execute(select(func.count(), preceding).select_from(counted)).one()
            first_number = earlier - len(items) + 1
        else:
            up_to_boundary = func.count().filter(counted_key <= boundary)
            total, earlier = session.execute(select(func.count(), up_to_boundary).select_from(counted)).one()
            first_number = earlier + 1
    has_previous = first_number > 1 if items else boundary_id is not None
    has_next = first_number + len(items) - 1 < total if items else False
    return KeysetPage(
        items=items,
        total=total,
        first_number=first_number,
        first_url=_page_url() if has_previous else None,
        previous_url=_page_url({BEFORE: _id_of(items[0], id_column)}) if has_previous and items else None,
        next_url=_page_url({AFTER: _id_of(items[-1], id_column)}) if has_next else None,
        last_url=_page_url({LAST: "1"}) if has_next else None,
    )


def _cursor(name: str) -> int | None:
    return request.args.get(name, type=int)


def _id_of(item: Any, id_column: QueryableAttribute[Any]) -> int:
    return int(getattr(item, id_column.key))


def _page_url(cursor: dict[str, Any] | None = None) -> str:
    """The current page's address with its filters, on the page `cursor` names (the first page without one)."""
    # Every value of a repeated parameter (the criteria of a talent search), not only the first.
    filters = {name: values for name, values in request.args.lists() if name not in (AFTER, BEFORE, LAST)}
    arguments: dict[str, Any] = {**(request.view_args or {}), **filters, **(cursor or {})}
    return url_for(str(request.endpoint), **arguments)


def people_page(session: Session, people: Select[Person]) -> KeysetPage:
    """A keyset page of `people` by name (then id), with unit, position and roles loaded for the table."""
    return keyset_page(
        session,
        people,
        (Person.name, Person.id),
        options=(joinedload(Person.unit), joinedload(Person.position)),
    )


def people_list_page(
    template: str, session: Session, people: Select[Person], units: Select[Unit], **context: Any
) -> str:
    """One page of `people`, filtered by the `q` and `unit` parameters, with a picker of `units` (which also finds
    the unit asked for; bounded when there are many, elearn/services/unit_picker.py) and the filters echoed back,
    so the search form keeps them."""
    picker = unit_picker(session, units, _unit_code())
    return render_template(
        template,
        people=people_page(session, _narrowed(people, picker.chosen)),
        query=request.args.get("q", ""),
        picker=picker,
        chosen_unit=picker.chosen,
        **context,
    )


def _unit_code() -> str:
    return request.args.get("unit", "").strip()


def _narrowed(people: Select[Person], unit: Unit | UnitChoice | None) -> Select[Person]:
    narrowed = directory.matching_text(people, request.args.get("q", ""))
    return directory.in_unit_subtree(narrowed, unit) if unit is not None else narrowed
