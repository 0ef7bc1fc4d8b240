"""Supervisor pages: the units a person heads, the people in them, one person, and the export of that list.

Every query starts from `elearn.scope.people_supervised_by` / `units_supervised_by`, so nothing outside the
supervisor's subtrees can be listed, searched, opened or exported.
"""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user
from werkzeug.wrappers import Response

from elearn.auth import require_roles
from elearn.listing import filtered_people, people_list_page
from elearn.models import Person, Role
from elearn.people_export import PERSON_COLUMNS, people_export
from elearn.scope import people_supervised_by, person_among_or_404, units_supervised_by
from elearn.services import directory
from elearn.state import db_session

bp = Blueprint("supervisor", __name__, url_prefix="/atasan")
bp.before_request(require_roles(Role.SUPERVISOR))


def _viewer() -> Person:
    return current_user._get_current_object()


@bp.get("/")
def home() -> str:
    """The units the supervisor heads, each with its subtree and headcounts."""
    viewer = _viewer()
    forest = directory.unit_forest(db_session(), units_supervised_by(viewer), people_supervised_by(viewer))
    return render_template("elearn/supervisor/home.html", forest=forest)


@bp.get("/orang")
def people() -> str:
    """People in the supervisor's units: search by name, NIP or e-mail, filter by unit (a picker of their own
    units, subtree included), paged."""
    viewer = _viewer()
    return people_list_page(
        "elearn/supervisor/people.html",
        db_session(),
        people_supervised_by(viewer),
        units_supervised_by(viewer),
    )


@bp.get("/orang/<int:person_id>")
def person(person_id: int) -> str:
    """One person in the supervisor's units; anyone else is a 404."""
    shown = person_among_or_404(db_session(), people_supervised_by(_viewer()), person_id)
    return render_template("elearn/supervisor/person.html", person=shown)


@bp.get("/orang/ekspor")
def export_people() -> Response:
    """The people list (with the page's filters) as CSV, or XLSX with `?format=xlsx`; audited."""
    viewer = _viewer()
    filtered, _unit = filtered_people(db_session(), people_supervised_by(viewer), units_supervised_by(viewer))
    return people_export("pegawai-unit", filtered, PERSON_COLUMNS, filters=("q", "unit"))
