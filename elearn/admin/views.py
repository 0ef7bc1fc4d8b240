"""Administrator pages: the start page, people, units, the audit log and the people export (one person: people.py).

Admins see everyone, deactivated people included; the lists still start from `elearn.scope` so the rules stay
in one place.
"""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import Select
from werkzeug.wrappers import Response

from elearn.admin.audit_text import AUDIT_TIME_FORMAT, action_choices, audit_rows
from elearn.admin.blueprint import bp
from elearn.listing import filtered_people, paginate, people_list_page
from elearn.models import Person, Role
from elearn.people_export import ACCOUNT_COLUMNS, PERSON_COLUMNS, people_export
from elearn.scope import people_visible_to, units_visible_to
from elearn.services import audit as audit_log
from elearn.services import directory
from elearn.state import clock, db_session


def _viewer() -> Person:
    return current_user._get_current_object()


def _everyone() -> Select[Person]:
    """Everyone the signed-in administrator may see (all people, deactivated ones included)."""
    return people_visible_to(_viewer(), today=clock().today())


@bp.get("/")
def home() -> str:
    """Counts of people and units, and the way into each admin page."""
    session = db_session()
    counts = directory.count_by_status(session, _everyone())
    return render_template(
        "elearn/admin/home.html",
        active=counts.active,
        inactive=counts.inactive,
        units=directory.count(session, units_visible_to(_viewer())),
        year=clock().today().year,
    )


def _people_with_role() -> Select[Person]:
    """Everyone, narrowed to holders of the `role` query parameter when it names a role."""
    if request.args.get("role") in set(Role):
        return directory.holding_role(_everyone(), request.args["role"])
    return _everyone()


@bp.get("/orang")
def people() -> str:
    """Everyone: search by name, NIP or e-mail, filter by unit subtree (a picker) and role, paged."""
    return people_list_page(
        "elearn/admin/people.html",
        db_session(),
        _people_with_role(),
        units_visible_to(_viewer()),
        role=request.args.get("role", ""),
    )


@bp.get("/orang/ekspor")
def export_people() -> Response:
    """Everyone (with the list's filters) as CSV, or XLSX with `?format=xlsx`; audited."""
    filtered, _unit = filtered_people(db_session(), _people_with_role(), units_visible_to(_viewer()))
    return people_export("pegawai", filtered, PERSON_COLUMNS + ACCOUNT_COLUMNS, filters=("q", "unit", "role"))


@bp.get("/unit")
def units() -> str:
    """The unit tree in path order with heads and headcounts; search by name or code, paged."""
    session = db_session()
    query = request.args.get("q", "")
    matching = directory.matching_units(units_visible_to(_viewer()), query)
    pagination = paginate(directory.in_tree_order(matching))
    page_ids = [unit.id for unit in pagination.items]
    everyone = _everyone()
    return render_template(
        "elearn/admin/units.html",
        pagination=pagination,
        query=query,
        direct=directory.headcounts(session, page_ids, everyone),
        total=directory.subtree_headcounts(session, page_ids, everyone),
    )


@bp.get("/audit")
def audit() -> str:
    """The audit log, newest first, in words; filter by action (a picker) and by actor (NIP or part of the name)."""
    action = request.args.get("action", "").strip()
    actor = request.args.get("actor", "").strip()
    pagination = paginate(audit_log.search(action=action, actor=actor))
    return render_template(
        "elearn/admin/audit.html",
        pagination=pagination,
        rows=audit_rows(db_session(), pagination.items),
        action=action,
        action_choices=action_choices(action),
        actor=actor,
        time_format=AUDIT_TIME_FORMAT,
    )
